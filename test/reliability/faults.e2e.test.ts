import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/migrate.js';
import type { Transform } from '../../src/types.js';
import { transforms } from '../../transforms/index.js';
import { git } from '../helpers/cli.js';
import { tempProject } from '../helpers/temp-project.js';
import { recordFigures, scale } from './helpers/figures.js';
import { seededRandom } from '../helpers/random.js';
import { cliRun, cliStart } from './helpers/run.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

const IDS = ['gemini-1.5-flash', 'gemini-1.5-pro', 'gemini-pro', 'gemini-1.0-pro', 'gemini-2.0-flash', 'gemini-2.5-flash'];

/** A tree of `count` Gemini modules of a few shapes (so their migrated bytes differ), and as many plain ones. */
function treeFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const id = IDS[i % IDS.length]!;
    const dir = `src/pkg${i % 7}`;
    files[`${dir}/gemini${i}.ts`] =
      i % 3 === 0
        ? `import { GoogleGenerativeAI } from '@google/generative-ai';\n\nconst genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');\nexport const model${i} = genAI.getGenerativeModel({ model: '${id}' });\n`
        : i % 3 === 1
          ? `import { GoogleGenerativeAI } from '@google/generative-ai';\n\nconst genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);\n\nexport async function ask${i}(prompt: string): Promise<string> {\n  const model = genAI.getGenerativeModel({ model: '${id}' });\n  const result = await model.generateContent(prompt);\n  return result.response.text();\n}\n`
          : `export const MODEL_${i} = process.env.MODEL ?? '${id}';\nexport const config${i} = { model: MODEL_${i}, temperature: ${i / 100} };\n`;
    files[`${dir}/plain${i}.ts`] = `export const add${i} = (a: number, b: number) => a + b + ${i};\n`;
  }
  return files;
}

const references = new Map<string, Record<string, string>>();

/** The bytes a complete run writes for `original`, from one run on a copy (kept for the tests that follow). */
function migratedReference(original: Record<string, string>): Record<string, string> {
  const key = JSON.stringify(original);
  let migrated = references.get(key);
  if (!migrated) {
    const reference = tempProject(original);
    try {
      expect(cliRun(['.'], { cwd: reference.dir }).code).toBe(0);
      migrated = Object.fromEntries(Object.keys(original).map((n) => [n, readFileSync(join(reference.dir, n), 'utf8')]));
    } finally {
      reference.cleanup();
    }
    references.set(key, migrated);
  }
  return migrated;
}

function project(files: Record<string, string>): string {
  const p = tempProject(files);
  cleanups.push(p.cleanup);
  return p.dir;
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mi-faults-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every entry under `dir` (but node_modules), relative, sorted. */
function listTree(dir: string, under = dir): string[] {
  return readdirSync(under, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules') return [];
    const path = join(under, e.name);
    return e.isDirectory() ? listTree(dir, path) : [relative(dir, path)];
  });
}

const TEMP = /(^|\/)\.[^/]+\.migrate-interactions-\d+-\d+\.tmp$/;
const LOCK = '.migrate-interactions.lock';

/**
 * After a fault: every file holds its original bytes or its complete migrated bytes; nothing else is in the tree but
 * our temporary files and lock. Returns what it saw.
 */
function inspect(dir: string, original: Record<string, string>, migrated: Record<string, string>) {
  const seen = { checked: 0, lost: [] as string[], migrated: 0, temps: [] as string[], lock: false };
  for (const name of Object.keys(original)) {
    const now = readFileSync(join(dir, name), 'utf8');
    seen.checked++;
    if (now === migrated[name] && now !== original[name]) seen.migrated++;
    else if (now !== original[name]) seen.lost.push(name);
  }
  for (const entry of listTree(dir)) {
    if (entry in original) continue;
    if (TEMP.test(entry)) seen.temps.push(entry);
    else if (entry === LOCK) seen.lock = true;
    else seen.lost.push(`unexpected ${entry}`);
  }
  return seen;
}

describe('kill -9 during a write run', () => {
  it('leaves every file original or completely migrated; the next run removes the leftovers and says so', async () => {
    const rounds = 1 * scale();
    const killsPerRound = 4;
    const budgetMs = 150_000 * scale();
    const random = seededRandom(0x5eed + scale());
    const original = treeFiles(30);
    const migrated = migratedReference(original);
    const migratedFiles = Object.keys(original).filter((n) => migrated[n] !== original[n]);
    expect(migratedFiles.length).toBeGreaterThanOrEqual(20);

    const dir = project(original);
    const markers = scratch();
    const started = Date.now();
    const figures = { kills: 0, midWrite: 0, checked: 0, lost: 0, leftoversRemoved: 0 };
    for (let round = 0; round < rounds && Date.now() - started < budgetMs; round++) {
      for (const [name, text] of Object.entries(original)) writeFileSync(join(dir, name), text);
      let leftovers: string[] = [];
      for (let k = 0; k < killsPerRound; k++) {
        const marker = join(markers, `writes-started-${round}-${k}`);
        // Renames slowed to 80 ms: with eight files in flight (write.ts), about 10 ms a file.
        const child = cliStart(['.'], { cwd: dir, env: { MI_FAULT_WRITES_STARTED: marker, MI_FAULT_SLOW_RENAME_MS: '80' } });
        const exited = once(child, 'exit');
        if (k === 0) {
          // Anywhere in the first seconds: start-up, the walk, the transforms, or the lock being taken.
          await Promise.race([sleep(Math.floor(random() * 2500)), exited]);
          child.kill('SIGKILL');
        } else if (await until(() => existsSync(marker), exited, 120_000)) {
          // Once the first file is being written, a random part of the write phase (about 10 ms a file).
          await sleep(Math.floor(random() * migratedFiles.length * 12));
          child.kill('SIGKILL');
        }
        const [code, signal] = (await exited) as [number | null, string | null];
        const seen = inspect(dir, original, migrated);
        figures.kills += signal === 'SIGKILL' ? 1 : 0;
        figures.checked += seen.checked;
        figures.lost += seen.lost.length;
        if (signal === 'SIGKILL' && (seen.temps.length > 0 || (seen.migrated > 0 && seen.migrated < migratedFiles.length))) figures.midWrite++;
        expect(seen.lost, `round ${round}, kill ${k}`).toEqual([]);
        expect(signal === 'SIGKILL' || code === 0, `exit ${code}`).toBe(true);
        leftovers = seen.temps;
      }
      const recovery = cliRun(['.'], { cwd: dir });
      expect(recovery.stderr).toBe('');
      expect(recovery.code).toBe(0);
      const after = inspect(dir, original, migrated);
      expect(after.lost).toEqual([]);
      expect(after.temps).toEqual([]);
      expect(after.lock).toBe(false);
      expect(after.migrated).toBe(migratedFiles.length);
      if (leftovers.length) {
        expect(recovery.stdout).toContain(`note: removed ${leftovers.length} temporary file(s) left by an interrupted run: `);
        figures.leftoversRemoved += leftovers.length;
      }
      figures.checked += after.checked;
    }
    // The test is only worth something if kills landed while files were being replaced.
    expect(figures.midWrite).toBeGreaterThan(0);
    recordFigures({ suite: 'kill -9 mid-write', inputs: Object.keys(original).length, faults: figures.kills, checked: figures.checked, lost: figures.lost });
  });
});

describe('two runs at once', () => {
  it('the second refuses while the first holds the lock, and the first ends correct', async () => {
    const original = treeFiles(30);
    const dir = project(original);
    git(dir, 'init', '-q');
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'init');
    const marker = join(scratch(), 'writes-started');

    // Eight files are written at once (write.ts): 320 ms a rename keeps the first run writing for over a second.
    const first = cliStart(['.'], { cwd: dir, env: { MI_FAULT_WRITES_STARTED: marker, MI_FAULT_SLOW_RENAME_MS: '320' } });
    const exited = once(first, 'exit');
    expect(await until(() => existsSync(marker), exited, 120_000)).toBe(true);
    // Another path of the same repository: the lock is the repository's.
    const second = cliRun(['src/pkg1'], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stdout).toContain(`refused to write: another migrate-interactions run (pid ${first.pid}, started `);
    expect(second.stdout).toContain('  .git/migrate-interactions.lock');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);

    const migrated = migratedReference(original);
    for (const name of Object.keys(original)) expect(readFileSync(join(dir, name), 'utf8'), name).toBe(migrated[name]);
    expect(existsSync(join(dir, '.git', 'migrate-interactions.lock'))).toBe(false);
    recordFigures({ suite: 'two runs at once', inputs: Object.keys(original).length, faults: 1, checked: Object.keys(original).length, lost: 0 });
  });

  it('a lock held by a live process refuses; one left by a dead process is taken over, and the run says so', () => {
    const dir = project({ 'a.ts': treeFiles(1)['src/pkg0/gemini0.ts']! });
    const before = readFileSync(join(dir, 'a.ts'), 'utf8');
    writeFileSync(join(dir, LOCK), JSON.stringify({ pid: process.pid, host: hostname(), started: 'earlier' }));
    const refused = cliRun(['.'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain(`refused to write: another migrate-interactions run (pid ${process.pid}, started earlier) is writing this tree`);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toBe(before);

    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(dir, LOCK), JSON.stringify({ pid: dead, host: hostname(), started: 'earlier' }));
    const taken = cliRun(['.'], { cwd: dir });
    expect(taken.code).toBe(0);
    expect(taken.stdout).toContain(`note: removed the lock of an interrupted run (pid ${dead}, started earlier) that is no longer running`);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).not.toBe(before);
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });

  it('dry runs take no lock and remove nothing, but mention what an interrupted run left', () => {
    const dir = project({ 'a.ts': treeFiles(1)['src/pkg0/gemini0.ts']! });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const leftover = `.a.ts.migrate-interactions-${dead}-0.tmp`;
    writeFileSync(join(dir, leftover), 'half a fi');
    writeFileSync(join(dir, LOCK), JSON.stringify({ pid: process.pid, host: hostname(), started: 'earlier' }));
    const r = cliRun(['--dry-run', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`note: 1 temporary file(s) left by an interrupted run (${leftover}): the next write run removes them`);
    expect(existsSync(join(dir, leftover))).toBe(true);
  });
});

describe('a transform that throws', () => {
  it('leaves that file untouched and reported, and migrates the rest', async () => {
    const files = treeFiles(6);
    const dir = project(files);
    const faulty: Transform = {
      id: 'faulty',
      summary: 'throws on one file',
      example: { before: '', after: '' },
      run(ctx) {
        if (ctx.sourceFile.getBaseName() === 'gemini1.ts') throw new Error('boom on purpose');
        return [];
      },
    };
    // Last in the list: the real transforms have already edited the file in memory by then.
    const result = await migrate({ paths: ['.'], cwd: dir, transforms: [...transforms, faulty], force: true });
    expect(result.errors).toEqual([
      { file: 'src/pkg1/gemini1.ts', kind: 'transform', message: expect.stringContaining('boom on purpose') as unknown as string },
    ]);
    expect(readFileSync(join(dir, 'src/pkg1/gemini1.ts'), 'utf8')).toBe(files['src/pkg1/gemini1.ts']);
    for (const name of ['src/pkg0/gemini0.ts', 'src/pkg2/gemini2.ts', 'src/pkg3/gemini3.ts', 'src/pkg4/gemini4.ts']) {
      expect(readFileSync(join(dir, name), 'utf8'), name).not.toBe(files[name]);
    }
    recordFigures({ suite: 'throwing transform', inputs: 6, faults: 1, checked: 6, lost: 0 });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `ready` until it holds (true), the process exits first, or the time is up (false). */
async function until(ready: () => boolean, exited: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ready()) return true;
    if (gone) return false;
    await sleep(5);
  }
  return false;
}

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git } from '../helpers/cli.js';
import { tempProject } from '../helpers/temp-project.js';
import { recordFigures } from './helpers/figures.js';
import { cliRun, giveToUnprivileged } from './helpers/run.js';

const LEGACY = `import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');
export const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
`;
const OLD_ID = 'gemini-1.5-flash';
const NEW_ID = 'gemini-3-flash-preview';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function project(files: Record<string, string | Buffer>): string {
  const p = tempProject(files);
  cleanups.push(p.cleanup);
  return p.dir;
}

function snapshot(dir: string, names: string[]): Map<string, Buffer> {
  return new Map(names.map((n) => [n, readFileSync(join(dir, n))]));
}

/** The error lines of the summary: `  file[:line[:col]]  message`, one per failed file. */
function errorLines(stdout: string): string[] {
  const at = stdout.indexOf('errors (left untouched):\n');
  if (at === -1) return [];
  return stdout
    .slice(at)
    .split('\n')
    .slice(1)
    .filter((l) => l.startsWith('  '));
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

const BUNDLE = `var m={model:"${OLD_ID}"};var d=[${'7,'.repeat(10 * 1024 * 1024)}];`;

/** Each bad file, and the one line the summary must give it: file, line where there is one, and why. */
const BAD: Record<string, { content: string | Buffer; line: RegExp }> = {
  'syntax.ts': { content: LEGACY + 'export const oops = (;\n', line: /^ {2}syntax\.ts:5:\d+ {2}syntax error: / },
  'broken.tsx': { content: LEGACY + 'export const View = () => <div><span>{model.model}</div>;\n', line: /^ {2}broken\.tsx:5:\d+ {2}syntax error: / },
  'broken.jsx': {
    content: `import { GoogleGenerativeAI } from '@google/generative-ai';\nexport const App = () => <ul><li>${OLD_ID}</ul>;\n`,
    line: /^ {2}broken\.jsx:2:\d+ {2}syntax error: /,
  },
  'binary.ts': {
    content: Buffer.concat([Buffer.from("import '@google/genai';\n"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe, 0])]),
    line: /^ {2}binary\.ts:2:\d+ {2}binary content/,
  },
  'latin1.ts': {
    content: Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from(`\nconst m = { model: '${OLD_ID}' };\n`)]),
    line: /^ {2}latin1\.ts:1:7 {2}not valid UTF-8/,
  },
  'mixed.ts': {
    content: Buffer.concat([Buffer.from('// naïve UTF-8 ✓\n' + LEGACY + '// Latin-1: caf'), Buffer.from([0xe9, 0x0a])]),
    line: /^ {2}mixed\.ts:6:16 {2}not valid UTF-8/,
  },
  'utf16le.ts': { content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LEGACY, 'utf16le')]), line: /^ {2}utf16le\.ts {2}UTF-16 file/ },
  'utf16be.ts': { content: Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(LEGACY)]), line: /^ {2}utf16be\.ts {2}UTF-16 file/ },
  'nul.ts': { content: LEGACY.replace('const genAI', 'const\0genAI'), line: /^ {2}nul\.ts:3:6 {2}binary content \(NUL byte\)/ },
  // A 20 MiB minified bundle on one line, over the default 5 MiB limit.
  'bundle.min.js': {
    content: BUNDLE,
    line: new RegExp(`^ {2}bundle\\.min\\.js {2}${Buffer.byteLength(BUNDLE)} bytes, over the 5242880-byte limit \\(--max-file-size\\): skipped$`),
  },
  // Deep enough to overflow the TypeScript parser's stack.
  'deep-parse.ts': { content: LEGACY + `export const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`, line: /^ {2}deep-parse\.ts {2}nested too deeply to parse/ },
  // Parses, but deeper than the walks after it can go safely.
  'deep-walk.ts': { content: LEGACY + `export const y = ${'{ a: '.repeat(400)}1${' }'.repeat(400)};\n`, line: /^ {2}deep-walk\.ts:5:\d+ {2}nested more than 250 levels deep/ },
};

describe('bad input: one line each, file untouched, the run goes on', () => {
  it('reports every bad file with file and line, leaves it byte-identical, and migrates the rest', () => {
    const spaced = 'src/spaced dir/we ird $(touch PWNED) & ; `touch PWNED2` \'q\' "dq" ü 日本.ts';
    // 50,000 lines, the id on the last one; and a 1 MB line before the model.
    const lines50k = LEGACY + Array.from({ length: 49_995 }, (_, i) => (i % 10 ? `// line ${i}` : `export const v${i} = ${i};`)).join('\n') + `\nexport const last = { model: '${OLD_ID}' };\n`;
    const longLine = LEGACY.replace('export const model', `export const table = [${'0,'.repeat(500_000)}];\nexport const model`);
    const dir = project({
      ...Object.fromEntries(Object.entries(BAD).map(([name, { content }]) => [name, content])),
      'good.ts': LEGACY,
      'readonly.ts': LEGACY,
      'lines50k.ts': lines50k,
      'longline.ts': longLine,
      [spaced]: LEGACY,
    });
    // A FIFO behind a symlink: a read would block forever. (Named .ts itself, discovery passes it over.)
    expect(spawnSync('mkfifo', [join(dir, 'pipe.ts')]).status).toBe(0);
    symlinkSync('pipe.ts', join(dir, 'piped.ts'));
    // Root's writes ignore the mode bits: the tool still must not write a file its owner made read-only.
    chmodSync(join(dir, 'readonly.ts'), 0o444);
    expect(readFileSync(join(dir, 'lines50k.ts'), 'utf8').split('\n')).toHaveLength(50_001);

    const before = snapshot(dir, Object.keys(BAD));
    const r = cliRun(['.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);

    const errors = errorLines(r.stdout);
    for (const [name, { line }] of Object.entries(BAD)) {
      const mine = errors.filter((l) => l.startsWith(`  ${name}:`) || l.startsWith(`  ${name}  `));
      expect(mine, name).toHaveLength(1);
      expect(mine[0], name).toMatch(line);
      expect(readFileSync(join(dir, name)).equals(before.get(name)!), `${name} untouched`).toBe(true);
    }
    expect(errors.filter((l) => l.startsWith('  piped.ts  '))).toEqual(['  piped.ts  not a regular file (a FIFO, socket or device): skipped']);
    expect(errors.filter((l) => l.startsWith('  readonly.ts  '))).toEqual(['  readonly.ts  read-only file: not written (left as it was)']);
    expect(readFileSync(join(dir, 'readonly.ts'), 'utf8')).toBe(LEGACY);
    expect(errors).toHaveLength(Object.keys(BAD).length + 2);

    for (const name of ['good.ts', 'lines50k.ts', 'longline.ts', spaced]) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text, name).toContain(NEW_ID);
      expect(text, name).not.toContain(OLD_ID);
    }
    expect(readFileSync(join(dir, 'lines50k.ts'), 'utf8').split('\n').length).toBeGreaterThanOrEqual(50_001);
    expect(r.stdout).toContain(`${spaced}:`);
    expect(existsSync(join(dir, 'PWNED')) || existsSync(join(dir, 'PWNED2')) || existsSync(join(dir, 'src', 'spaced dir', 'PWNED'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.migrate-interactions-'))).toEqual([]);
    recordFigures({ suite: 'bad input', inputs: Object.keys(BAD).length + 6, faults: 0, checked: Object.keys(BAD).length + 5, lost: 0 });
  });

  it('--max-file-size moves the limit', () => {
    const big = LEGACY + `export const pad = '${'x'.repeat(60_000)}';\n`;
    const dir = project({ 'big.ts': big });
    const skipped = cliRun(['--max-file-size', '50000', '.'], { cwd: dir });
    expect(skipped.code).toBe(3);
    expect(errorLines(skipped.stdout)).toEqual([`  big.ts  ${Buffer.byteLength(big)} bytes, over the 50000-byte limit (--max-file-size): skipped`]);
    expect(readFileSync(join(dir, 'big.ts'), 'utf8')).toBe(big);
    const taken = cliRun(['--max-file-size', '100000', '.'], { cwd: dir });
    expect(taken.code).toBe(0);
    expect(readFileSync(join(dir, 'big.ts'), 'utf8')).toContain(NEW_ID);
  });
});

it('names with glob, pathspec and shell characters: uncommitted changes in them are still seen by the git check', () => {
  const names = ['a[1].ts', 'b*.ts', ':(glob)c.ts', 'd $(touch PWNED) ü.ts'];
  const dir = project(Object.fromEntries(names.map((n) => [n, LEGACY])));
  git(dir, 'init', '-q');
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  for (const n of names) writeFileSync(join(dir, n), LEGACY + '// local edit\n');
  const r = cliRun(['.'], { cwd: dir });
  expect(r.code).toBe(2);
  expect(r.stdout).toContain(`or pass --force:\n${[...names].sort().map((n) => `  ${n}`).join('\n')}\n`);
  for (const n of names) expect(readFileSync(join(dir, n), 'utf8')).toBe(LEGACY + '// local edit\n');
  expect(existsSync(join(dir, 'PWNED'))).toBe(false);
});

describe('files and folders that cannot be read or written', () => {
  it('an unreadable file, an unreadable folder, a read-only file and a read-only folder: reported, untouched', () => {
    const dir = project({
      'good.ts': LEGACY,
      'secret.ts': LEGACY,
      'locked/inner.ts': LEGACY,
      'readonly.ts': LEGACY,
      'frozen/inner.ts': LEGACY,
    });
    giveToUnprivileged(dir);
    chmodSync(join(dir, 'secret.ts'), 0o000);
    chmodSync(join(dir, 'locked'), 0o000);
    chmodSync(join(dir, 'readonly.ts'), 0o444);
    chmodSync(join(dir, 'frozen'), 0o555);
    try {
      const r = cliRun(['.'], { cwd: dir, unprivileged: true });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(3);
      expect(errorLines(r.stdout)).toEqual([
        '  frozen/inner.ts  not written (left as it was): permission denied (EACCES)',
        '  locked  cannot read folder (EACCES)',
        '  readonly.ts  read-only file: not written (left as it was)',
        '  secret.ts  cannot read: permission denied (EACCES)',
      ]);
      expect(readFileSync(join(dir, 'good.ts'), 'utf8')).toContain(NEW_ID);
      expect(readFileSync(join(dir, 'readonly.ts'), 'utf8')).toBe(LEGACY);
      expect(readFileSync(join(dir, 'frozen/inner.ts'), 'utf8')).toBe(LEGACY);
      expect(statSync(join(dir, 'readonly.ts')).mode & 0o777).toBe(0o444);
      expect(readdirSync(join(dir, 'frozen'))).toEqual(['inner.ts']);
    } finally {
      chmodSync(join(dir, 'locked'), 0o755); // so that the clean-up can go in
      chmodSync(join(dir, 'frozen'), 0o755);
    }
    expect(readFileSync(join(dir, 'secret.ts'), 'utf8')).toBe(LEGACY);
    expect(readFileSync(join(dir, 'locked/inner.ts'), 'utf8')).toBe(LEGACY);
    recordFigures({ suite: 'unreadable and read-only', inputs: 5, faults: 4, checked: 5, lost: 0 });
  });

  it('a folder that vanishes during the walk and one that vanishes before its files are read', () => {
    const dir = project({
      'a/first.ts': LEGACY,
      'b/gone-while-walking/x.ts': LEGACY,
      'c/y.ts': LEGACY,
      'z/gone-before-read.ts': LEGACY,
      'z/also-gone.ts': LEGACY,
    });
    const walk = cliRun(['.'], { cwd: dir, env: { MI_FAULT_VANISH: `${join(dir, 'b', 'gone-while-walking')}=>${join(dir, 'b', 'gone-while-walking')}` } });
    expect(walk.stderr).toBe('');
    expect(walk.code).toBe(3);
    expect(errorLines(walk.stdout)).toEqual(['  b/gone-while-walking  cannot read folder (ENOENT)']);
    expect(readFileSync(join(dir, 'c/y.ts'), 'utf8')).toContain(NEW_ID);

    for (const f of ['a/first.ts', 'c/y.ts']) writeFileSync(join(dir, f), LEGACY);
    const read = cliRun(['.'], { cwd: dir, env: { MI_FAULT_VANISH: `${join(dir, 'a', 'first.ts')}=>${join(dir, 'z')}` } });
    expect(read.stderr).toBe('');
    expect(read.code).toBe(3);
    expect(errorLines(read.stdout)).toEqual([
      '  z/also-gone.ts  cannot read: it vanished during the run (ENOENT)',
      '  z/gone-before-read.ts  cannot read: it vanished during the run (ENOENT)',
    ]);
    expect(readFileSync(join(dir, 'a/first.ts'), 'utf8')).toContain(NEW_ID);
    expect(readFileSync(join(dir, 'c/y.ts'), 'utf8')).toContain(NEW_ID);
    recordFigures({ suite: 'vanishing folders', inputs: 5, faults: 2, checked: 3, lost: 0 });
  });

  it('a file saved by someone else mid-run is not overwritten; on a full disk the half-written temporary file goes', () => {
    const dir = project({ 'a.ts': LEGACY, 'edited.ts': LEGACY, 'full.ts': LEGACY, 'z.ts': LEGACY });
    const r = cliRun(['.'], { cwd: dir, env: { MI_FAULT_ENOSPC: '.full.ts.', MI_FAULT_EDIT_AFTER_READ: join(dir, 'edited.ts') } });
    expect(r.code).toBe(3);
    expect(errorLines(r.stdout)).toEqual([
      '  edited.ts  changed on disk during the run: not overwritten; run again',
      '  full.ts  not written (left as it was): no space left on the device (ENOSPC)',
    ]);
    expect(readFileSync(join(dir, 'edited.ts'), 'utf8')).toBe(LEGACY + '// saved by someone else during the run\n');
    expect(readFileSync(join(dir, 'full.ts'), 'utf8')).toBe(LEGACY);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toContain(NEW_ID);
    expect(readFileSync(join(dir, 'z.ts'), 'utf8')).toContain(NEW_ID);
    expect(readdirSync(dir).sort()).toEqual(['a.ts', 'edited.ts', 'full.ts', 'node_modules', 'z.ts']);

    // A disk with no room at all: not even the lock can be written; nothing is left behind.
    for (const name of ['a.ts', 'edited.ts', 'z.ts']) writeFileSync(join(dir, name), LEGACY);
    const full = cliRun(['.'], { cwd: dir, env: { MI_FAULT_ENOSPC: '.migrate-interactions' } });
    expect(full.code).toBe(3);
    expect(full.stdout).toContain(`note: could not take the lock ${join(dir, '.migrate-interactions.lock')} (no space left on the device (ENOSPC))`);
    const names = ['a.ts', 'edited.ts', 'full.ts', 'z.ts'];
    expect(errorLines(full.stdout)).toEqual(names.map((n) => `  ${n}  not written (left as it was): no space left on the device (ENOSPC)`));
    for (const name of names) expect(readFileSync(join(dir, name), 'utf8')).toBe(LEGACY);
    expect(readdirSync(dir).sort()).toEqual([...names, 'node_modules'].sort());
    recordFigures({ suite: 'full disk, file edited mid-run', inputs: 4, faults: 6, checked: 8, lost: 0 });
  });
});


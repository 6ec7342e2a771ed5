// The CLI keeps V8's code cache of ts-morph's bundles in the user's cache folder (src/compile-cache.ts). Whatever
// state that folder is in, a run must give the same answer and print nothing about it; only speed may differ.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, CLI } from './helpers/cli.js';
import { tempProjects } from './helpers/temp-project.js';

const project = tempProjects(afterAll);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'mi-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SOURCE = [
  "import { GoogleGenerativeAI } from '@google/generative-ai';",
  "const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');",
  "const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });",
  "export async function ask(q: string): Promise<string> {",
  '  const result = await model.generateContent(q);',
  '  return result.response.text();',
  '}',
  '',
].join('\n');
const dir = project({ 'src/ask.ts': SOURCE });

/** A --check --diff of the project with this cache home; the duration is taken out of the summary. */
const check = (cacheHome: string, env: Record<string, string | undefined> = {}) => {
  const r = cli(['--diff', '--no-progress', '.'], { cwd: dir, env: { XDG_CACHE_HOME: cacheHome, ...env } });
  return { ...r, stderr: r.stderr.replace(/, [\d.]+s\n/, '\n') };
};
const cacheFiles = (cacheHome: string) => {
  const folder = path.join(cacheHome, 'migrate-interactions', 'v8');
  return existsSync(folder) ? readdirSync(folder).map((name) => path.join(folder, name)) : [];
};

let fresh: ReturnType<typeof check>;

describe('the code cache of the CLI', () => {
  it('is written by a first run and read by the next, with the same outcome', () => {
    const home = path.join(scratch, 'first');
    fresh = check(home);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain("+import { GoogleGenAI } from '@google/genai';");
    const files = cacheFiles(home);
    expect(files.map((f) => path.basename(f).replace(/-[0-9a-f]{32}\.bin$/, '')).sort()).toEqual(['ts-morph-common.js', 'ts-morph.js', 'typescript.js']);
    for (const f of files) expect(statSync(f).mode & 0o777).toBe(0o600);
    const sizes = files.map((f) => statSync(f).size);
    expect(check(home)).toEqual(fresh);
    expect(cacheFiles(home).map((f) => statSync(f).size)).toEqual(sizes); // a valid cache is not written again
  });

  it('survives damaged cache files: truncated, garbage, one byte changed, empty', () => {
    const home = path.join(scratch, 'damaged');
    check(home);
    const [a, b, c] = cacheFiles(home);
    const bytes = readFileSync(a!);
    writeFileSync(a!, bytes.subarray(0, bytes.length >> 1));
    writeFileSync(b!, Buffer.alloc(4096, 0x5a));
    const flipped = readFileSync(c!);
    flipped[flipped.length - 100] = flipped[flipped.length - 100]! ^ 0xff; // past the header: only the checksum can tell
    writeFileSync(c!, flipped);
    expect(check(home)).toEqual(fresh);
    for (const f of cacheFiles(home)) writeFileSync(f, '');
    expect(check(home)).toEqual(fresh);
    expect(cacheFiles(home).every((f) => statSync(f).size > 1000)).toBe(true); // written again whole
  });

  it('is skipped when its folder cannot be made, is not private, or the user turned it off', () => {
    const blocker = path.join(scratch, 'a-file');
    writeFileSync(blocker, '');
    expect(check(blocker)).toEqual(fresh); // mkdir fails: ENOTDIR

    const open = path.join(scratch, 'open');
    mkdirSync(path.join(open, 'migrate-interactions', 'v8'), { recursive: true });
    chmodSync(path.join(open, 'migrate-interactions', 'v8'), 0o777); // others could plant code there
    expect(check(open)).toEqual(fresh);
    expect(cacheFiles(open)).toEqual([]);

    const off = path.join(scratch, 'off');
    expect(check(off, { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(fresh);
    expect(cacheFiles(off)).toEqual([]);
  });

  it('takes concurrent first runs: each gives the same outcome, and the cache ends whole', async () => {
    const home = path.join(scratch, 'concurrent');
    const runOnce = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [CLI, '--diff', '--no-progress', '.'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: home } });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => resolve(`${code}\n${out}`));
      });
    const outputs = await Promise.all([runOnce(), runOnce(), runOnce(), runOnce()]);
    for (const o of outputs) expect(o).toBe(`0\n${fresh.stdout}`);
    expect(cacheFiles(home).map((f) => path.extname(f))).toEqual(['.bin', '.bin', '.bin']); // no temporary file left
  });

  it('is not used by the library API, which must not write files of its own in its host process', async () => {
    const home = path.join(scratch, 'library');
    const index = path.join(path.dirname(CLI), 'index.js');
    const script = `const { migrate } = await import(${JSON.stringify(index)}); const r = await migrate({ paths: ['.'], cwd: ${JSON.stringify(dir)}, mode: 'check' }); console.log(r.files.length);`;
    const r = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, XDG_CACHE_HOME: home } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', () => resolve(out));
    });
    expect(r.trim()).toBe('1');
    expect(cacheFiles(home)).toEqual([]);
  });
});

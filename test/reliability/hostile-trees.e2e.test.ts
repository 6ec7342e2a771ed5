import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git } from '../helpers/cli.js';
import { tempProject } from '../helpers/temp-project.js';
import { recordFigures } from './helpers/figures.js';
import { cliRun } from './helpers/run.js';

const LEGACY = `import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');
export const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
`;
const NEW_ID = 'gemini-3-flash-preview';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function project(files: Record<string, string>): string {
  const p = tempProject(files);
  cleanups.push(p.cleanup);
  return p.dir;
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

function errorLines(stdout: string): string[] {
  const at = stdout.indexOf('errors (left untouched):\n');
  return at === -1 ? [] : stdout.slice(at).split('\n').slice(1).filter((l) => l.startsWith('  '));
}

describe('symlinks', () => {
  it('never writes through a link out of the named paths, ends on loops, and writes an alias once, at its target', () => {
    const dir = project({ 'outside/secret.ts': LEGACY, 'outside/dir/inner.ts': LEGACY, 'proj/src/a.ts': LEGACY });
    const src = join(dir, 'proj', 'src');
    symlinkSync('../../outside/secret.ts', join(src, 'link-out.ts'));
    symlinkSync('../../outside/dir', join(src, 'dir-out'));
    symlinkSync('a.ts', join(src, 'alias.ts'));
    symlinkSync('.', join(src, 'loop'));
    symlinkSync('self.ts', join(src, 'self.ts'));
    symlinkSync('pong.ts', join(src, 'ping.ts'));
    symlinkSync('ping.ts', join(src, 'pong.ts'));

    const r = cliRun(['src'], { cwd: join(dir, 'proj') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    expect(errorLines(r.stdout)).toEqual([
      `  src/dir-out  symlink points outside the named paths, to ${join(dir, 'outside', 'dir')}; not followed`,
      `  src/link-out.ts  symlink points outside the named paths, to ${join(dir, 'outside', 'secret.ts')}; not followed`,
      '  src/loop  symlink points back to its ancestor ' + src + '; not followed',
      '  src/ping.ts  symlink chain loops (ELOOP)',
      '  src/pong.ts  symlink chain loops (ELOOP)',
      '  src/self.ts  symlink chain loops (ELOOP)',
    ]);
    expect(read(dir, 'outside/secret.ts')).toBe(LEGACY);
    expect(read(dir, 'outside/dir/inner.ts')).toBe(LEGACY);
    expect(read(dir, 'proj/src/a.ts')).toContain(NEW_ID);
    for (const link of ['link-out.ts', 'dir-out', 'alias.ts', 'loop']) expect(lstatSync(join(src, link)).isSymbolicLink(), link).toBe(true);
    expect(r.stdout.match(/gemini-1\.5-flash → /g)).toHaveLength(1);
    recordFigures({ suite: 'symlinks', inputs: 9, faults: 0, checked: 3, lost: 0 });
  });

  it('a folder swapped for a link out of the tree between read and write is not written through', () => {
    const dir = project({ 'outside/b/x.ts': LEGACY, 'proj/a.ts': LEGACY, 'proj/b/x.ts': LEGACY });
    const proj = join(dir, 'proj');
    const r = cliRun(['.'], { cwd: proj, env: { MI_FAULT_RELINK: `${join(proj, 'b', 'x.ts')}=>${join(proj, 'b')}=>${join(dir, 'outside', 'b')}` } });
    expect(r.code).toBe(3);
    expect(errorLines(r.stdout)).toEqual(['  b/x.ts  replaced by a symlink or a folder during the run: not written']);
    expect(read(dir, 'outside/b/x.ts')).toBe(LEGACY);
    expect(read(dir, 'proj/b.moved/x.ts')).toBe(LEGACY);
    expect(read(dir, 'proj/a.ts')).toContain(NEW_ID);
  });
});

describe('ignore rules and nested folders', () => {
  it.each([['*\n'], ['/*\n'], ['**\n!.gitignore\n']])('a .gitignore of %j ignores everything: nothing is read, the run ends cleanly', (rules) => {
    const dir = project({ '.gitignore': rules, 'src/a.ts': LEGACY, 'b.ts': LEGACY });
    const r = cliRun(['.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^migrate-interactions: 0 files scanned, 0 parsed, 0 changed/);
    expect(read(dir, 'src/a.ts')).toBe(LEGACY);
    expect(read(dir, 'b.ts')).toBe(LEGACY);
  });

  it('a node_modules inside src is skipped', () => {
    const dir = project({ 'src/app.ts': LEGACY, 'src/node_modules/pkg/index.ts': LEGACY, 'src/lib/node_modules/deep/x.js': LEGACY });
    const r = cliRun(['src'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^migrate-interactions: 1 files scanned, 1 parsed, 1 changed/);
    expect(read(dir, 'src/app.ts')).toContain(NEW_ID);
    expect(read(dir, 'src/node_modules/pkg/index.ts')).toBe(LEGACY);
    expect(read(dir, 'src/lib/node_modules/deep/x.js')).toBe(LEGACY);
  });
});

describe('the migrated code is read, never run', () => {
  it('no package script, source file, config file or TypeScript plugin runs; nothing is launched but git; no network', () => {
    const dir = project({});
    const markers = join(dir, 'MARKERS');
    mkdirSync(markers);
    // Each would leave a file in MARKERS if anything ran, imported or evaluated it.
    const mark = (name: string) => `require('node:fs').writeFileSync(${JSON.stringify(join(markers, name))}, 'ran')`;
    const esmMark = (name: string) => `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(markers, name))}, 'ran');\n`;
    const scripts = Object.fromEntries(
      ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'prepublish', 'prepublishOnly', 'pretest', 'test', 'build', 'start', 'lint'].map((s) => [
        s,
        `node -e ${JSON.stringify(mark(s))}`,
      ]),
    );
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'trap', version: '1.0.0', type: 'module', scripts, dependencies: { '@google/generative-ai': '^0.24.1' } }, null, 2) + '\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', plugins: [{ name: './evil-plugin.cjs' }] } }),
      'evil-plugin.cjs': `${mark('plugin')};\nmodule.exports = () => ({ create: (info) => info.languageService });\n`,
      'src/app.ts': esmMark('app') + LEGACY,
      'src/side-effect.cjs': `${mark('cjs')};\nmodule.exports = { model: 'gemini-1.5-flash' };\n`,
      'src/module.mjs': esmMark('mjs') + `export const config = { model: 'gemini-1.5-pro' };\n`,
      'eslint.config.mjs': esmMark('eslint') + `export default [{ rules: {} }]; // gemini-1.5-flash\n`,
      'vite.config.ts': esmMark('vite') + `export default { define: { MODEL: JSON.stringify({ model: 'gemini-pro' }) } };\n`,
      '.git-hooks/post-checkout': `#!/bin/sh\ntouch ${join(markers, 'hook')}\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text, { mode: 0o755 });
    }
    git(dir, 'init', '-q');
    git(dir, 'config', 'core.hooksPath', '.git-hooks');
    writeFileSync(join(dir, '.gitignore'), 'node_modules\nMARKERS\ntrace.log\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'init');

    const trace = join(dir, 'trace.log');
    const r = cliRun(['--typecheck', '--report', 'report.json', '.'], { cwd: dir, env: { MI_TRACE: trace, MI_TRACE_DIR: dir } });
    expect(r.stderr).toBe('');
    expect(r.code).toBeLessThan(2);
    expect(read(dir, 'src/app.ts')).toContain(NEW_ID); // it did run, and migrate
    expect(readdirSync(markers)).toEqual([]);
    const launched = existsSync(trace) ? read(dir, 'trace.log').trim().split('\n') : [];
    expect(launched.length).toBeGreaterThan(0); // the trace works: git was launched
    expect(launched.filter((line) => !/^(execFile|execFileSync|spawn) git /.test(line))).toEqual([]);
    recordFigures({ suite: 'no execution, no network', inputs: 9, faults: 0, checked: 9, lost: 0 });
  });
});

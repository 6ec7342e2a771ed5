// The packed tarball, installed as a dependency: the library from ESM and CommonJS, its published types, and the
// jscodeshift transform from node_modules (where jscodeshift's Babel hook compiles whatever it requires).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/temp-project.js';

const dir = mkdtempSync(join(tmpdir(), 'mi-consumer-'));
const app = join(dir, 'app');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LEGACY = "import { GoogleGenerativeAI } from '@google/generative-ai';\nexport const m = new GoogleGenerativeAI('k').getGenerativeModel({ model: 'gemini-1.5-pro' });\n";
const OPTIONS = "{ paths: ['src'], mode: 'dry-run', only: ['model-id-swap'], modelMap: { 'gemini-1.5-pro': 'gemini-3.1-pro-preview' } }";
const PRINT = '(r) => console.log(JSON.stringify({ subs: r.substitutions.map((s) => `${s.file}:${s.line}:${s.column} ${s.from} -> ${s.to}`), changed: r.changedFiles }))';
const EXPECTED = { subs: ['src/a.ts:2:74 gemini-1.5-pro -> gemini-3.1-pro-preview'], changed: ['src/a.ts'] };

beforeAll(() => {
  // `npm test` has just built dist/; pack exactly what would be published.
  execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(dir, tarball)], { cwd: app, stdio: 'pipe' });
  writeFileSync(join(app, 'src', 'a.ts'), LEGACY);
}, 300_000);

const node = (file: string, args: string[] = []) => spawnSync(process.execPath, [file, ...args], { cwd: app, encoding: 'utf8' });

describe('the library', () => {
  it('imports from ESM', () => {
    writeFileSync(join(app, 'esm.mjs'), `import { migrate } from 'migrate-interactions';\nmigrate(${OPTIONS}).then(${PRINT});\n`);
    const r = node('esm.mjs');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });

  it('requires from CommonJS, with the same result', () => {
    writeFileSync(join(app, 'cjs.cjs'), `const { migrate, TODO_REASONS } = require('migrate-interactions');\nif (!TODO_REASONS['model-id-typed']) throw new Error('no reasons');\nmigrate(${OPTIONS}).then(${PRINT});\n`);
    const r = node('cjs.cjs');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });

  it('publishes types that catch a wrong call, for ESM and CommonJS consumers', () => {
    const use = [
      "const result = await migrate({ paths: ['src'], mode: 'check', modelMap: { 'gemini-1.5-*': 'gemini-3-flash-preview' } });",
      'const first: Substitution | undefined = result.substitutions[0];',
      "const reason: TodoReason | undefined = result.todos[0]?.reason;",
      'console.log(first?.to.toUpperCase(), reason, result.errors[0]?.kind);',
      '// @ts-expect-error: not a mode',
      "await migrate({ mode: 'nope' });",
    ].join('\n');
    writeFileSync(join(app, 'esm-consumer.mts'), `import { migrate, type Substitution, type TodoReason } from 'migrate-interactions';\n${use}\n`);
    writeFileSync(
      join(app, 'cjs-consumer.cts'),
      `import { migrate, type Substitution, type TodoReason } from 'migrate-interactions';\nimport transform = require('migrate-interactions/jscodeshift');\nasync function main() {\n${use}\n}\nvoid main;\nconst t: (file: { path: string; source: string }, api: { report(m: string): void; stats(n: string): void }) => Promise<string | undefined> = transform;\nvoid t;\n`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
        files: ['esm-consumer.mts', 'cjs-consumer.cts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});

describe('the jscodeshift transform', () => {
  it('runs from node_modules as the README says, with jscodeshift compiling transforms (its default)', () => {
    const jscodeshift = join(ROOT, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js');
    const transform = join('node_modules', 'migrate-interactions', 'dist', 'src', 'jscodeshift.cjs');
    const r = node(jscodeshift, ['-t', transform, '--parser=tsx', '--only=model-id-swap', 'src/']);
    expect(r.stdout).toContain('1 ok');
    expect(readFileSync(join(app, 'src', 'a.ts'), 'utf8')).toBe(LEGACY.replace('gemini-1.5-pro', 'gemini-3-flash-preview'));
  });

  it('is exported as migrate-interactions/jscodeshift, a function from require and from import', () => {
    writeFileSync(
      join(app, 'entry.mjs'),
      "import { createRequire } from 'node:module';\nconst esm = await import('migrate-interactions/jscodeshift');\nconst cjs = createRequire(import.meta.url)('migrate-interactions/jscodeshift');\nconsole.log(typeof esm.default, typeof cjs);\n",
    );
    expect(node('entry.mjs').stdout).toBe('function function\n');
  });
});

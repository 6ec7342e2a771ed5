// `--typecheck`: the diagnostics a migration adds, found with the project's own tsconfig, before and after, in memory.
import { mkdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { Node, SyntaxKind } from 'ts-morph';
import { afterAll, describe, expect, test } from 'vitest';
import { transforms } from '../transforms/index.js';
import { migrate } from '../src/migrate.js';
import { typecheckMigration, typecheckReport } from '../src/typecheck.js';
import type { Transform } from '../src/types.js';
import { CLI, nodeAsync } from './helpers/cli.js';
import { ROOT, tempProjects } from './helpers/temp-project.js';

const project = tempProjects(afterAll);

/** The built CLI, asynchronously so the tests of this file overlap. */
function cli(args: string[], cwd: string) {
  return nodeAsync([CLI, '--no-progress', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
}

const STRICT = JSON.stringify({
  compilerOptions: {
    target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'],
    strict: true, noUncheckedIndexedAccess: true, skipLibCheck: true, noEmit: true,
  },
  include: ['src'],
});

const fixture = (name: string) => readFileSync(join(ROOT, 'fixtures', 'generate-content', name), 'utf8');

// A chat keeps the client on the legacy SDK and gets a TODO line, which pushes the error below it down one line:
// the same error, not a new one.
const WITH_OLD_ERROR = `import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);
const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
const chat = model.startChat();

export async function ask(q: string): Promise<string> {
  return (await chat.sendMessage(q)).response.text();
}

export const answer: number = 'forty-two';
`;

const ROUTE = "import { run } from './basic-text.js';\n\nexport const handle = (q: string) => run(q);\n";

/** The 1-based number of the first line of `text` holding `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index === -1) throw new Error(`${needle} not found`);
  return index + 1;
}

describe.concurrent('--typecheck through the CLI', () => {
  test('a migrated project that type-checks adds nothing (write mode); an old error pushed down by a TODO is not new', async () => {
    const dir = project({
      'tsconfig.json': STRICT,
      'package.json': JSON.stringify({ type: 'module', private: true }),
      'src/model-settings.ts': fixture('model-settings.input.ts'),
      'src/class-fields.ts': fixture('class-fields.input.ts'),
      'src/genai-models.ts': fixture('genai-models.input.ts'),
      'src/old-error.ts': WITH_OLD_ERROR,
      'src/basic-text.ts': fixture('basic-text.input.ts'),
      // Unchanged, but importing a changed file: checked too.
      'src/route.ts': ROUTE,
    });
    const r = await cli(['--force', '--typecheck', 'src'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /type check: 5 changed files and 1 file importing them checked with tsconfig\.json: 1 diagnostic before, 1 after, 0 added by the migration/,
    );
    expect(r.stdout).not.toContain('diagnostics added by the migration:');
    expect(r.code).toBe(0);
    // It did write, and the error did move: the match is by message and mapped line, not by raw line.
    const written = readFileSync(join(dir, 'src/old-error.ts'), 'utf8');
    expect(written).toContain('// TODO(migrate-interactions):');
    expect(lineOf(written, "'forty-two'")).toBe(lineOf(WITH_OLD_ERROR, "'forty-two'") + 1);
  });

  test('a diagnostic the migration adds fails the run with file:line (dry run; @google/genai not installed)', async () => {
    // The user has not installed the new SDK yet: the migrated import cannot resolve. A real, added error.
    const dir = project({ 'tsconfig.json': STRICT, 'package.json': JSON.stringify({ type: 'module', private: true }), 'src/app.ts': fixture('basic-text.input.ts') });
    unlinkSync(join(dir, 'node_modules'));
    for (const pkg of ['@google/generative-ai', '@types/node', 'undici-types']) {
      mkdirSync(join(dir, 'node_modules', pkg, '..'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir');
    }

    const r = await cli(['--dry-run', '--typecheck', 'src'], dir);
    expect(r.stdout).toMatch(/type check: 1 changed file checked with tsconfig\.json: 0 diagnostics before, 1 after, 1 added by the migration/);
    expect(r.stdout).toMatch(/diagnostics added by the migration:\n {2}src\/app\.ts:1:29 {2}TS2307 Cannot find module '@google\/genai'/);
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'src/app.ts'), 'utf8')).toBe(fixture('basic-text.input.ts')); // a dry run
  });

  test('without a tsconfig it says so and checks with defaults; JavaScript is checked only with checkJs', async () => {
    const dir = project({ 'app.ts': fixture('basic-text.input.ts'), 'tool.cjs': fixture('commonjs.input.cjs') });
    const r = await cli(['--dry-run', '--typecheck', '.'], dir);
    expect(r.stdout).toContain('note: no tsconfig.json above app.ts (and 1 more): checked with defaults (strict, NodeNext, lib ES2022 + DOM, skipLibCheck)');
    expect(r.stdout).toContain('note: not checked (JavaScript, and its tsconfig has no checkJs): tool.cjs');
    expect(r.stdout).toMatch(/type check: 1 changed file checked with defaults: 0 diagnostics before, 0 after, 0 added by the migration/);
    expect(r.code).toBe(0);
  });
});

// Test-only transforms, run after the real ones through RunOptions.transforms: plausible mistakes a transform could make.
const brokenRead: Transform = {
  id: 'broken-read',
  summary: 'test only: reads the interaction with the wrong field name',
  example: { before: '', after: '' },
  run: ({ sourceFile }) =>
    sourceFile
      .getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)
      .filter((p) => p.getName() === 'output_text')
      .map((p) => ({ start: p.getNameNode().getStart(), end: p.getNameNode().getEnd(), text: 'outputText' })),
};
const brokenExport: Transform = {
  id: 'broken-export',
  summary: 'test only: renames an exported function its importers still use',
  example: { before: '', after: '' },
  run: ({ sourceFile }) =>
    sourceFile
      .getFunctions()
      .filter((f) => f.isExported() && f.getName() === 'run' && Node.isIdentifier(f.getNameNode()))
      .map((f) => ({ start: f.getNameNode()!.getStart(), end: f.getNameNode()!.getEnd(), text: 'runPrompt' })),
};

describe.concurrent('typecheckMigration (library)', () => {
  test('a deliberately broken transform is caught at the right file:line, in its importers too', async () => {
    const dir = project({
      'tsconfig.json': STRICT,
      'package.json': JSON.stringify({ type: 'module', private: true }),
      'src/app.ts': fixture('basic-text.input.ts'),
      'src/summary.ts': fixture('model-settings.input.ts'),
      // Unchanged (no SDK in it) but importing a changed file: it breaks when the export is renamed.
      'src/route.ts': ROUTE.replace('./basic-text.js', './app.js'),
    });
    const result = await migrate({ paths: ['src'], cwd: dir, mode: 'dry-run', transforms: [...transforms, brokenRead, brokenExport] });
    expect(result.errors).toEqual([]);
    const checked = typecheckMigration(result.files, { cwd: dir });

    const app = result.files.find((f) => f.file === 'src/app.ts')!.after!;
    const summary = result.files.find((f) => f.file === 'src/summary.ts')!.after!;
    expect(checked.added.map(({ file, line, code }) => ({ file, line, code }))).toEqual([
      { file: 'src/app.ts', line: lineOf(app, '.outputText'), code: 2551 },
      { file: 'src/route.ts', line: 1, code: 2305 },
      { file: 'src/summary.ts', line: lineOf(summary, '(result.outputText'), code: 2551 },
      { file: 'src/summary.ts', line: lineOf(summary, "'Title: ' + (result.outputText"), code: 2551 },
    ]);
    expect(checked.added[0]?.message).toContain("Property 'outputText' does not exist on type");
    expect(checked.added[1]?.message).toBe("Module '\"./app.js\"' has no exported member 'run'.");
    expect(checked.files.find((f) => f.file === 'src/route.ts')).toMatchObject({ changed: false, before: 0, after: 1 });

    const report = typecheckReport(checked, pc.createColors(false));
    expect(report).toContain(`  src/app.ts:${lineOf(app, '.outputText')}:`);
    expect(report).toContain('2 changed files and 1 file importing them checked with tsconfig.json: 0 diagnostics before, 4 after');
    expect(report).toContain('4 added by the migration');
  });

  test('after a write, across two tsconfigs: the original comes from memory, not from the migrated disk', async () => {
    const dir = project({
      'package.json': JSON.stringify({ type: 'module', private: true }),
      'core/tsconfig.json': STRICT,
      'core/src/app.ts': fixture('basic-text.input.ts'),
      'web/tsconfig.json': STRICT,
      'web/src/route.ts': ROUTE.replace('./basic-text.js', '../../core/src/app.js'),
    });
    const result = await migrate({ paths: ['core', 'web'], cwd: dir, mode: 'write', force: true, transforms: [...transforms, brokenExport] });
    expect(result.files.find((f) => f.file === 'core/src/app.ts')?.written).toBe(true);
    const checked = typecheckMigration(result.files, { cwd: dir });
    expect(checked.files.map(({ file, config, changed, before, after }) => ({ file, config, changed, before, after }))).toEqual([
      { file: 'core/src/app.ts', config: 'core/tsconfig.json', changed: true, before: 0, after: 0 },
      { file: 'web/src/route.ts', config: 'web/tsconfig.json', changed: false, before: 0, after: 1 },
    ]);
    expect(checked.added).toMatchObject([{ file: 'web/src/route.ts', line: 1, code: 2305 }]);
  });

  test('a solution-style tsconfig hands each file to the referenced project that includes it', async () => {
    const dir = project({
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      // Not strict: the implicit any below is fine here, and would be an error under the root's (TypeScript 6) defaults.
      'tsconfig.app.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', types: ['node'], strict: false, skipLibCheck: true }, include: ['src'] }),
      'package.json': JSON.stringify({ type: 'module', private: true }),
      'src/app.ts': fixture('basic-text.input.ts').replace('run(prompt: string)', 'run(prompt)'),
    });
    const result = await migrate({ paths: ['src'], cwd: dir, mode: 'dry-run' });
    const checked = typecheckMigration(result.files, { cwd: dir });
    expect(checked.files).toEqual([{ file: 'src/app.ts', config: 'tsconfig.app.json', changed: true, before: 0, after: 0, added: [] }]);
    expect(checked.notices).toEqual([]);
  });
});

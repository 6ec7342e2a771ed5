// The library API as a consumer uses it: typed options in, the CLI's result out.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonReport, listTransforms, markdownReport, migrate, migrateSource, ModelMapError, UsageError, type MigrateOptions } from '../src/index.js';
import { ROOT, tempProjects } from './helpers/temp-project.js';

const project = tempProjects(afterAll);

const LEGACY = [
  "import { GoogleGenerativeAI } from '@google/generative-ai';",
  "const genAI = new GoogleGenerativeAI('key');",
  "export const a = genAI.getGenerativeModel({ model: 'gemini-1.5-pro' });",
  "export const b = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });",
  '',
].join('\n');

describe('migrate()', () => {
  it('dry-run: flat substitutions with file and position, the model map applied, nothing written', async () => {
    const dir = project({ 'src/a.ts': LEGACY });
    const options: MigrateOptions = { cwd: dir, paths: ['src'], mode: 'dry-run', only: ['model-id-swap'], modelMap: { 'gemini-1.5-pro': 'gemini-3.1-pro-preview' } };
    const result = await migrate(options);
    expect(result.errors).toEqual([]);
    expect(result.substitutions.map(({ file, line, column, from, to }) => ({ file, line, column, from, to }))).toEqual([
      { file: 'src/a.ts', line: 3, column: 52, from: 'gemini-1.5-pro', to: 'gemini-3.1-pro-preview' },
      { file: 'src/a.ts', line: 4, column: 52, from: 'gemini-1.5-flash', to: 'gemini-3-flash-preview' },
    ]);
    expect(result.changedFiles).toEqual(['src/a.ts']);
    expect(result.files[0]?.after).toContain("model: 'gemini-3.1-pro-preview'");
    expect(readFileSync(join(dir, 'src/a.ts'), 'utf8')).toBe(LEGACY);
  });

  it('the model map may be a JSON file, relative to cwd; write mode writes', async () => {
    const dir = project({ 'a.ts': LEGACY, 'models.json': JSON.stringify({ 'gemini-1.5-*': 'gemini-3.1-pro-preview' }) });
    const result = await migrate({ cwd: dir, only: ['model-id-swap'], modelMap: 'models.json' });
    expect(result.mode).toBe('write');
    expect(result.files.find((f) => f.file === 'a.ts')?.written).toBe(true);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).not.toContain('gemini-1.5');
    expect(result.substitutions.every((s) => s.to === 'gemini-3.1-pro-preview')).toBe(true);
  });

  it('an unknown transform id or a bad model map throws before anything is read, even with nothing to migrate', async () => {
    const dir = project({ 'a.ts': LEGACY });
    await expect(migrate({ cwd: dir, only: ['no-such-transform'] })).rejects.toThrow(UsageError);
    await expect(migrate({ cwd: dir, modelMap: { 'gemini-1.5-pro': 'not an id!' } })).rejects.toThrow(ModelMapError);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toBe(LEGACY);
    const empty = project({});
    await expect(migrate({ cwd: empty, skip: ['nope'] })).rejects.toThrow("unknown transform 'nope'");
  });

  it('TODOs and errors are typed per finding; the reports render from the result', async () => {
    const dir = project({
      'typed.ts': "import '@google/generative-ai';\ntype M = 'gemini-1.5-pro';\nexport const m: M = 'gemini-1.5-pro';\n",
      'broken.ts': "import '@google/generative-ai';\nconst = ;\n",
    });
    const result = await migrate({ cwd: dir, mode: 'check', only: ['model-id-swap'] });
    expect(result.todos.map(({ file, reason }) => ({ file, reason }))).toEqual([{ file: 'typed.ts', reason: 'model-id-typed' }]);
    expect(result.errors).toMatchObject([{ file: 'broken.ts', kind: 'syntax', line: 2 }]);
    const json = jsonReport(result) as { schemaVersion: number; tool: { version: string }; todos: unknown[] };
    expect(json.schemaVersion).toBe(1);
    expect(json.tool.version).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version);
    expect(json.todos).toHaveLength(1);
    expect(markdownReport(result)).toContain('| `typed.ts` | 3 | `model-id-typed` |');
  });
});

it('listTransforms() gives the registry in run order', async () => {
  const list = await listTransforms();
  expect(list.at(-1)?.id).toBe('model-id-swap'); // last on purpose: it swaps ids the API transforms carried over
  expect(list.every((t) => t.summary.length > 20)).toBe(true);
});

describe('migrateSource()', () => {
  const TYPED = "import '@google/generative-ai';\ntype M = 'gemini-1.5-pro';\nexport const m: M = 'gemini-1.5-pro';\nexport const o = { model: 'gemini-1.5-pro' };\n";

  it('positions point into the original text by default, into the migrated text on request', async () => {
    const dir = project({});
    const original = await migrateSource({ path: join(dir, 'a.ts'), text: TYPED, only: ['model-id-swap'] });
    const migrated = await migrateSource({ path: join(dir, 'a.ts'), text: TYPED, only: ['model-id-swap'], positionsIn: 'migrated' });
    expect(original.output).toBe(migrated.output);
    expect(original.todos.map((t) => t.line)).toEqual([3]);
    expect(migrated.todos.map((t) => t.line)).toEqual([4]); // the TODO line inserted above line 3 pushes it to 4
    expect(original.modelIds.find((m) => m.to)?.line).toBe(4);
    expect(migrated.modelIds.find((m) => m.to)?.line).toBe(5);
  });

  it('code added to a CRLF file uses CRLF: a chat with its new state lines, a stream loop and its helper', async () => {
    const dir = project({});
    const source = readFileSync(join(ROOT, 'fixtures', 'generate-content', 'chat-stream.input.ts'), 'utf8');
    const expected = readFileSync(join(ROOT, 'fixtures', 'generate-content', 'chat-stream.output.ts'), 'utf8');
    const crlf = await migrateSource({ path: join(dir, 'chat.ts'), text: source.replace(/\n/g, '\r\n'), only: ['generate-content'] });
    expect(crlf.output).toBe(expected.replace(/\n/g, '\r\n'));
    expect(crlf.output).not.toMatch(/[^\r]\n/);
  });

  it('a file that mentions no Gemini SDK or model id comes back untouched; a too large one with an error', async () => {
    const plain = await migrateSource({ path: 'x.ts', text: 'export const x = 1;\n' });
    expect(plain).toEqual({ output: 'export const x = 1;\n', changed: false, modelIds: [], todos: [] });
    const big = await migrateSource({ path: 'x.ts', text: TYPED, maxFileBytes: 10 });
    expect(big.changed).toBe(false);
    expect(big.error?.kind).toBe('too-large');
  });

  it('with project, a constant used as a model by an importing module is swapped, as the CLI does', async () => {
    const config = "export const CHAT_MODEL = 'gemini-1.5-flash';\n";
    const app = "import { GoogleGenerativeAI } from '@google/generative-ai';\nimport { CHAT_MODEL } from './config.js';\nexport const m = new GoogleGenerativeAI('k').getGenerativeModel({ model: CHAT_MODEL });\n";
    const dir = project({ 'config.ts': config, 'app.ts': app });
    writeFileSync(join(dir, 'package.json'), '{}');
    const alone = await migrateSource({ path: join(dir, 'config.ts'), text: config, only: ['model-id-swap'] });
    const withProject = await migrateSource({ path: join(dir, 'config.ts'), text: config, only: ['model-id-swap'], project: true });
    expect(alone.changed).toBe(false);
    expect(withProject.output).toBe("export const CHAT_MODEL = 'gemini-3-flash-preview';\n");
    expect(readFileSync(join(dir, 'app.ts'), 'utf8')).toBe(app); // context only
  });
});

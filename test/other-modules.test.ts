import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { run } from '../src/runner.js';
import { aliasedImports, findPathAliases } from '../src/path-aliases.js';
import { tempProjects } from './helpers/temp-project.js';

const project = tempProjects(afterAll);

const GEMINI = `import { GoogleGenerativeAI } from '@google/generative-ai';
const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');
export const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
`;
const route = (specifier: string) => `import { model } from '${specifier}';
export async function POST(prompt: string): Promise<string> {
  const result = await model.generateContent(prompt);
  return result.response.text();
}
`;

describe('path aliases', () => {
  it('reads paths from the nearest config, through a relative extends, with comments and trailing commas', () => {
    const dir = project({
      'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": { "baseUrl": "src", "paths": { "~/*": ["./*"], "lodash": ["./vendor/lodash"], }, },\n}',
      'tsconfig.json': '{ "extends": "./tsconfig.base.json", /* app */ "include": ["src"] }',
      'src/a.ts': '',
    });
    const aliases = findPathAliases(join(dir, 'src'))!;
    expect(aliases.paths['~/*']).toEqual([join(dir, 'src', '*')]);
    expect(aliases.rules).toEqual([{ prefix: '~/', suffix: '', target: join(dir, 'src', '*') }]); // a bare name is not scanned for
    expect(aliasedImports(Buffer.from(`import a from "~/lib/gemini"; import b from './x'; const c = '~/`), aliases)).toEqual([join(dir, 'src', 'lib/gemini')]);
  });

  it('has none without a config, or with a config without paths', () => {
    expect(findPathAliases(project({ 'a.ts': '' }))).toBeUndefined();
    expect(findPathAliases(project({ 'tsconfig.json': '{ "compilerOptions": { "strict": true } }' }))).toBeUndefined();
  });

  // A Next.js app imports its model as `@/lib/gemini`: that module must be migrated with the model, or it would call
  // generateContent on a settings object.
  it('migrates a module that imports an exported model through an alias, with the one that imports it relatively', async () => {
    const dir = project({
      'tsconfig.json': '{ "compilerOptions": { "strict": true, "paths": { "@/*": ["./*"] } } }',
      'lib/gemini.ts': GEMINI,
      'app/rel/route.ts': route('../../lib/gemini.js'),
      'app/alias/route.ts': route('@/lib/gemini'),
    });
    const result = await run({ paths: [dir], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.errors).toEqual([]);
    const after = (name: string) => result.files.find((f) => f.file === name)?.after ?? '';
    expect(after('app/alias/route.ts')).toContain("import { model, genAI } from '@/lib/gemini';");
    expect(after('app/alias/route.ts')).toContain('await genAI.interactions.create({ ...model, input: prompt })');
    expect(after('app/rel/route.ts')).toContain('await genAI.interactions.create({ ...model, input: prompt })');
    expect(after('lib/gemini.ts')).toContain("export const model = { model: 'gemini-1.5-flash' };");
  });

  it('leaves an exported model alone when its only importer uses an alias the config does not declare', async () => {
    const dir = project({ 'lib/gemini.ts': GEMINI, 'app/route.ts': route('@/lib/gemini') });
    const result = await run({ paths: [dir], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.files.find((f) => f.file === 'app/route.ts')).toBeUndefined();
    expect(result.files.find((f) => f.file === 'lib/gemini.ts')?.after).toContain('TODO(migrate-interactions)');
  });
});

// A constant of another module is converted where it is declared only when that module is one of the run's: its
// importers are then all in the program. Run on the importer alone, the model stays, and the module is not touched.
describe('constants of other modules', () => {
  const files = {
    'lib/tools.ts': `import { SchemaType, type FunctionDeclaration } from '@google/generative-ai';
export const getWeather: FunctionDeclaration = { name: 'get_weather', parameters: { type: SchemaType.OBJECT, properties: { city: { type: SchemaType.STRING } } } };
`,
    'app/agent.ts': `import { GoogleGenerativeAI } from '@google/generative-ai';
import { getWeather } from '../lib/tools.js';
const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);
const agent = genAI.getGenerativeModel({ model: 'gemini-1.5-flash', tools: [{ functionDeclarations: [getWeather] }] });
export async function ask(q: string): Promise<string> {
  return (await agent.generateContent(q)).response.text();
}
`,
  };

  it('are converted where they are declared when both modules are migrated', async () => {
    const dir = project(files);
    const result = await run({ paths: [dir], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.errors).toEqual([]);
    const tools = result.files.find((f) => f.file === 'lib/tools.ts')?.after;
    expect(tools).toContain("export const getWeather: Interactions.Tool = {\n  type: 'function',\n  name: 'get_weather',");
    expect(tools).toContain("import type { Interactions } from '@google/genai';");
    expect(tools).not.toContain('@google/generative-ai');
    expect(result.files.find((f) => f.file === 'app/agent.ts')?.after).toContain('tools: [getWeather]');
  });

  it('stay, with the model that reads them, when their module is outside the run', async () => {
    const dir = project(files);
    const result = await run({ paths: ['app'], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.errors).toEqual([]);
    expect(result.files.map((f) => f.file)).toEqual(['app/agent.ts']);
    expect(result.files[0]!.after).toContain('TODO(migrate-interactions)');
    expect(result.files[0]!.after).toContain('genAI.getGenerativeModel(');
  });
});

// Run on one folder, the tool must still see who imports its models from elsewhere in the project: migrated alone,
// `src/lib/gemini.ts` would hand `src/app` a settings object it still calls generateContent on.
describe('importers outside the paths given', () => {
  const files = {
    'package.json': '{ "name": "app", "type": "module" }',
    'src/lib/gemini.ts': `${GEMINI}export async function summarize(text: string): Promise<string> {
  return (await model.generateContent(text)).response.text();
}
`,
    'src/app/route.ts': route('../lib/gemini.js'),
    'src/app/other.ts': 'export const unrelated = 1;\n',
  };

  it('keep a model they use, with a TODO that names them, and are never edited', async () => {
    const dir = project(files);
    const result = await run({ paths: ['src/lib'], cwd: dir, mode: 'dry-run' });
    expect(result.errors).toEqual([]);
    expect(result.files.map((f) => f.file)).toEqual(['src/lib/gemini.ts']);
    const lib = result.files[0]!.after ?? '';
    expect(lib).toContain('// TODO(migrate-interactions): this model is used in a way the tool cannot follow, so it stays on the legacy SDK (also used in ../app/route.ts, outside the paths given: migrate them together)');
    expect(lib).toContain('genAI.getGenerativeModel(');
    expect(lib).toContain('await model.generateContent(text)');
    expect(result.filesParsed).toBe(1);
  });

  it('are migrated with the model when the paths given hold them', async () => {
    const dir = project(files);
    const result = await run({ paths: ['src'], cwd: dir, mode: 'dry-run' });
    expect(result.errors).toEqual([]);
    expect(result.files.find((f) => f.file === 'src/app/route.ts')?.after).toContain('await genAI.interactions.create({ ...model, input: prompt })');
    expect(result.files.find((f) => f.file === 'src/lib/gemini.ts')?.after).toContain("export const model = { model: 'gemini-3-flash-preview' };");
  });

  it('include the files --ignore leaves out', async () => {
    const dir = project({ ...files, 'legacy/old.ts': route('../src/lib/gemini.js') });
    const result = await run({ paths: ['.'], ignore: ['legacy/**'], cwd: dir, mode: 'dry-run' });
    expect(result.errors).toEqual([]);
    expect(result.files.map((f) => f.file).sort()).toEqual(['src/app/route.ts', 'src/lib/gemini.ts']); // legacy/ is never edited
    expect(result.files.find((f) => f.file === 'src/lib/gemini.ts')?.after).toContain('(also used in ../../legacy/old.ts, outside the paths given: migrate them together)');
  });

  it('keep a CommonJS model they require, or load with import', async () => {
    const dir = project({
      'package.json': '{ "name": "app" }',
      'lib/gemini.js': `const { GoogleGenerativeAI } = require('@google/generative-ai');
const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY);
const model = genAI.getGenerativeModel({ model: 'gemini-2.5-flash' });
const ask = async (q) => (await model.generateContent(q)).response.text();
module.exports = { model, ask };
`,
      'jobs/nightly.js': "const { model } = require('../lib/gemini');\nmodule.exports = async () => (await model.generateContent('report')).response.text();\n",
      'jobs/weekly.mjs': "import gemini from '../lib/gemini.js';\nexport default async () => (await gemini.model.generateContent('week')).response.text();\n",
    });
    const result = await run({ paths: ['lib'], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.errors).toEqual([]);
    const lib = result.files.find((f) => f.file === 'lib/gemini.js')?.after ?? '';
    expect(lib).toContain('(also used in ../jobs/nightly.js, outside the paths given: migrate them together)');
    expect(lib).toContain('(loaded in ../jobs/weekly.mjs, outside the paths given: migrate them together)');
    expect(lib).toContain("require('@google/generative-ai')");
    expect(result.files.map((f) => f.file)).toEqual(['lib/gemini.js']);
  });

  it('keep a client they make models from', async () => {
    const dir = project({
      'package.json': '{ "name": "app" }',
      'lib/client.ts': `import { GoogleGenerativeAI } from '@google/generative-ai';
export const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');
const model = genAI.getGenerativeModel({ model: 'gemini-2.5-flash' });
export const ask = async (q: string) => (await model.generateContent(q)).response.text();
`,
      'jobs/nightly.ts': `import { genAI } from '../lib/client.js';
const model = genAI.getGenerativeModel({ model: 'gemini-2.5-flash' });
export const run = async () => (await model.generateContent('report')).response.text();
`,
    });
    const result = await run({ paths: ['lib'], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.errors).toEqual([]);
    expect(result.files.map((f) => f.file)).toEqual(['lib/client.ts']);
    expect(result.files[0]!.after).toContain('(also used in ../jobs/nightly.ts, outside the paths given: migrate them together)');
    expect(result.files[0]!.after).toContain('export const genAI = new GoogleGenerativeAI(');
  });
});

// A monorepo's packages import each other by name: those importers are in the program too (workspaces.ts).
describe('workspace packages', () => {
  const workspace = (web: string) => ({
    'package.json': '{ "name": "mono", "private": true, "workspaces": ["packages/*"] }',
    'packages/ai/package.json': '{ "name": "@acme/ai", "type": "module", "main": "dist/index.js" }',
    'packages/ai/src/gemini.ts': GEMINI,
    'packages/ai/src/index.ts': "export { model } from './gemini.js';\n",
    'packages/web/package.json': '{ "name": "@acme/web", "type": "module" }',
    'packages/web/src/route.ts': web,
  });

  it('migrates a module that imports the model by the package name and a subpath, with the model', async () => {
    const dir = project(workspace(route('@acme/ai/gemini')));
    const result = await run({ paths: ['.'], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.errors).toEqual([]);
    const web = result.files.find((f) => f.file === 'packages/web/src/route.ts')?.after ?? '';
    expect(web).toContain("import { model, genAI } from '@acme/ai/gemini';");
    expect(web).toContain('await genAI.interactions.create({ ...model, input: prompt })');
  });

  it('migrates a module that imports the model by the package name alone, through the index that re-exports it', async () => {
    const dir = project(workspace(route('@acme/ai')));
    const result = await run({ paths: ['.'], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.errors).toEqual([]);
    expect(result.files.find((f) => f.file === 'packages/ai/src/index.ts')?.after).toBe("export { model, genAI } from './gemini.js';\n");
    const web = result.files.find((f) => f.file === 'packages/web/src/route.ts')?.after ?? '';
    expect(web).toContain("import { model, genAI } from '@acme/ai';");
    expect(web).toContain('await genAI.interactions.create({ ...model, input: prompt })');
  });

  it('keeps the model, in both packages, when the index renames it', async () => {
    const dir = project({ ...workspace(route('@acme/ai').replace(/\bmodel\b/g, 'gemini')), 'packages/ai/src/index.ts': "export { model as gemini } from './gemini.js';\n" });
    const result = await run({ paths: ['.'], cwd: dir, mode: 'dry-run', only: ['generate-content'] });
    expect(result.errors).toEqual([]);
    const lib = result.files.find((f) => f.file === 'packages/ai/src/gemini.ts')?.after ?? '';
    expect(lib).toContain('genAI.getGenerativeModel(');
    expect(lib).toContain('TODO(migrate-interactions)');
    const web = result.files.find((f) => f.file === 'packages/web/src/route.ts')?.after ?? '';
    expect(web).toContain('TODO(migrate-interactions)');
    expect(web).toContain('await gemini.generateContent(prompt)');
  });
});

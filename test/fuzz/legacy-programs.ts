/**
 * Random but valid programs on the SDKs this tool migrates from, for test/fuzz.test.ts. A program is one point in a
 * grid of shapes: which SDK, where the client and model live, how the model id is given, which call, how the result
 * is read, which model settings, which module kind. To cover a new shape, add an entry to one of the tables below
 * (its `fits` says which other choices it works with); the test type-checks every TypeScript input, so a wrong entry
 * shows up as an input error, not as a migration bug.
 */

export type Sdk = 'legacy' | 'genai';
export type Ext = 'ts' | 'mts' | 'js' | 'cjs';

export interface Shape {
  sdk: Sdk;
  ext: Ext;
  placement: string;
  idSource: string;
  call: string;
  read: string;
  settings: string;
  /** How the SDK is imported: `named`, `alias` (the client class renamed) or `namespace` (`import * as sdk`). */
  imports: string;
  id: string;
}

export interface Program {
  /** Folder of the program, e.g. `p0042`. */
  name: string;
  shape: Shape;
  /** Path inside the folder → text. */
  files: Record<string, string>;
}

/** Deprecated ids (swapped), current ones (left), and ones without an Interactions equivalent (a TODO). */
export const MODEL_IDS: readonly string[] = [
  'gemini-1.5-flash',
  'gemini-1.5-pro',
  'gemini-1.5-flash-8b',
  'gemini-1.5-pro-002',
  'gemini-1.0-pro',
  'gemini-pro',
  'gemini-2.0-flash',
  'gemini-2.0-flash-lite',
  'models/gemini-1.5-flash',
  'gemini-2.5-flash',
  'gemini-2.5-pro',
  'gemini-2.0-flash-live-001',
];

/** What the renderers need to know about the program being written. */
interface Ctx {
  shape: Shape;
  ts: boolean;
  /** `: string` in TypeScript, nothing in JavaScript. */
  t(annotation: string): string;
  /** Names to import from the SDK. */
  imports: Set<string>;
  /** Type-only imports (TypeScript only). */
  typeImports: Set<string>;
  /** Imports `name` from the SDK (in the shape's import style) and returns how the code refers to it. */
  use(name: string, kind?: 'value' | 'type'): string;
}

interface Option {
  name: string;
  /** Whether it can be combined with the choices made so far (default: always). */
  fits?(shape: Partial<Shape>): boolean;
}

// ---- the tables -------------------------------------------------------------------------------------------------

const SDKS: readonly (Option & { name: Sdk })[] = [{ name: 'legacy' }, { name: 'legacy' }, { name: 'legacy' }, { name: 'genai' }];
const EXTS: readonly (Option & { name: Ext })[] = [{ name: 'ts' }, { name: 'ts' }, { name: 'ts' }, { name: 'mts' }, { name: 'js' }, { name: 'cjs' }];

/** Where the client and the model (or, for @google/genai, the client) live; `split`: in another module, imported. */
const PLACEMENTS: readonly Option[] = [
  { name: 'module' },
  { name: 'function' },
  { name: 'class' },
  { name: 'factory', fits: (s) => s.sdk === 'legacy' },
  { name: 'method', fits: (s) => s.sdk === 'legacy' }, // a factory method: private in TypeScript, #private in JavaScript
  { name: 'param' },
  { name: 'split' },
];

/** How the model id is given. */
const ID_SOURCES: readonly (Option & { decl(ctx: Ctx, id: string): string; expr: string; param?: (ctx: Ctx, id: string) => string; field?: (ctx: Ctx, id: string) => string })[] = [
  { name: 'literal', decl: () => '', expr: 'ID' },
  { name: 'const', decl: (_, id) => `const MODEL = '${id}';\n`, expr: 'MODEL' },
  { name: 'const-as-const', fits: (s) => isTs(s), decl: (_, id) => `const MODEL = '${id}' as const;\n`, expr: 'MODEL' },
  { name: 'env-fallback', decl: (_, id) => `const MODEL = process.env.GEMINI_MODEL ?? '${id}';\n`, expr: 'MODEL' },
  { name: 'env-or', decl: (_, id) => `const MODEL = process.env.GEMINI_MODEL || '${id}';\n`, expr: 'MODEL' },
  {
    name: 'default-param',
    fits: (s) => s.placement === 'function' || s.placement === 'factory' || s.placement === 'method' || s.placement === 'param',
    decl: () => '',
    expr: 'modelName',
    param: (_, id) => `modelName = '${id}'`,
  },
  { name: 'class-field', fits: (s) => s.placement === 'class' || s.placement === 'method', decl: () => '', expr: 'this.modelId', field: (ctx, id) => `  private readonly modelId = '${id}';\n` },
  { name: 'config-object', decl: (_, id) => `const CONFIG = { model: '${id}', temperature: 0.4 };\n`, expr: 'CONFIG.model' },
  { name: 'list', decl: (ctx, id) => `const MODELS = ['${id}', 'gemini-2.5-flash']${ctx.ts ? ' as const' : ''};\n`, expr: 'MODELS[0]' },
  { name: 'other-module', decl: () => '', expr: 'MODEL' },
];

/** The call made with the model. `legacy`/`genai` render it; null when the call does not exist in that SDK. */
const CALLS: readonly Option[] = [
  { name: 'text' },
  { name: 'text' },
  { name: 'request' },
  { name: 'parts', fits: (s) => s.sdk === 'legacy' },
  { name: 'stream' },
  { name: 'chat' },
  { name: 'count' },
  { name: 'twice' }, // the same model for two different calls
  { name: 'then' }, // a promise chain instead of await
];

/** How the result is read (calls that return text otherwise ignore it). */
const READS: readonly Option[] = [{ name: 'text' }, { name: 'text' }, { name: 'destructure' }, { name: 'inline' }, { name: 'candidates' }, { name: 'usage' }, { name: 'function-calls', fits: (s) => s.sdk === 'legacy' }];

const IMPORT_STYLES: readonly Option[] = [{ name: 'named' }, { name: 'named' }, { name: 'named' }, { name: 'alias' }, { name: 'namespace' }];

/** Model settings. */
const SETTINGS: readonly Option[] = [
  { name: 'none' },
  { name: 'none' },
  { name: 'generation' },
  { name: 'system' },
  { name: 'safety' },
  { name: 'json' },
  { name: 'tools', fits: (s) => s.sdk === 'legacy' },
  { name: 'request-options', fits: (s) => s.sdk === 'legacy' }, // getGenerativeModel's second argument
];

// ---- generation -------------------------------------------------------------------------------------------------

/** `count` programs from `random` (a seeded PRNG returning [0, 1)). */
export function generatePrograms(random: () => number, count: number, first = 0): Program[] {
  const pick = <T extends Option>(options: readonly T[], shape: Partial<Shape>): T => {
    const fitting = options.filter((o) => !o.fits || o.fits(shape));
    return fitting[Math.floor(random() * fitting.length)]!;
  };
  const programs: Program[] = [];
  for (let i = first; i < first + count; i++) {
    const shape: Partial<Shape> = {};
    shape.sdk = pick(SDKS, shape).name;
    shape.ext = pick(EXTS, shape).name;
    shape.placement = pick(PLACEMENTS, shape).name;
    shape.idSource = pick(ID_SOURCES, shape).name;
    shape.call = pick(CALLS, shape).name;
    shape.read = pick(READS, shape).name;
    shape.settings = pick(SETTINGS, shape).name;
    shape.imports = pick(IMPORT_STYLES, shape).name;
    shape.id = MODEL_IDS[Math.floor(random() * MODEL_IDS.length)]!;
    programs.push({ name: `p${String(i).padStart(4, '0')}`, shape: shape as Shape, files: render(shape as Shape) });
  }
  return programs;
}

const ALIASES: Record<string, string> = { GoogleGenerativeAI: 'Gemini', GoogleGenAI: 'GenAI' };

function newCtx(shape: Shape): Ctx {
  const ts = isTs(shape);
  const ctx: Ctx = {
    shape,
    ts,
    t: (a) => (ts ? a : ''),
    imports: new Set(),
    typeImports: new Set(),
    use(name, kind = 'value') {
      (kind === 'type' ? ctx.typeImports : ctx.imports).add(name);
      if (shape.imports === 'namespace') return `sdk.${name}`;
      return shape.imports === 'alias' ? (ALIASES[name] ?? name) : name;
    },
  };
  return ctx;
}

function isTs(shape: Partial<Shape>): boolean {
  return shape.ext === 'ts' || shape.ext === 'mts';
}

export function render(shape: Shape): Record<string, string> {
  const ctx = newCtx(shape);
  const source = ID_SOURCES.find((s) => s.name === shape.idSource)!;
  const idExpr = source.expr === 'ID' ? `'${shape.id}'` : source.expr;
  const files: Record<string, string> = {};
  const sdk = shape.sdk === 'legacy' ? '@google/generative-ai' : '@google/genai';
  const config = shape.idSource === 'other-module' ? importFrom(shape, 'config', ['MODEL']) : '';
  if (shape.idSource === 'other-module') {
    files[`config.${shape.ext}`] = shape.ext === 'cjs' ? `exports.MODEL = '${shape.id}';\n` : `export const MODEL = '${shape.id}';\n`;
  }
  if (shape.placement === 'split' && shape.sdk === 'legacy') {
    // The client and the model in client.*, the calls in main.*.
    const args = `{ model: ${idExpr}${legacySettings(ctx)} }`;
    const client = `${exported(ctx)}const genAI = new ${ctx.use('GoogleGenerativeAI')}(process.env.GEMINI_API_KEY ?? '');\n${exported(ctx)}const model = genAI.getGenerativeModel(${args}${requestOptions(ctx)});\n`;
    files[`client.${shape.ext}`] = importLine(ctx, sdk) + config + '\n' + source.decl(ctx, shape.id) + client + (shape.ext === 'cjs' ? `\nmodule.exports = { genAI, model };\n` : '');
    const ask = `${exported(ctx)}async function ask(prompt${ctx.t(': string')})${ctx.t(': Promise<string>')} {\n${legacyCall(ctx, 'model')}}\n`;
    files[`main.${shape.ext}`] = importFrom(shape, 'client', ['model']) + '\n' + ask + (shape.ext === 'cjs' ? cjsExports(shape) : '');
    return files;
  }
  const body = shape.sdk === 'legacy' ? legacyProgram(ctx, idExpr, source) : genaiProgram(ctx, idExpr, source);
  let header = ctx.imports.size || (ctx.ts && ctx.typeImports.size) ? importLine(ctx, sdk) : '';
  if (shape.placement === 'split') {
    const clientCtx = newCtx(shape);
    const client = `\n${exported(ctx)}const ai = new ${clientCtx.use('GoogleGenAI')}({ apiKey: process.env.GEMINI_API_KEY ?? '' });\n`;
    files[`client.${shape.ext}`] = importLine(clientCtx, sdk) + client + (shape.ext === 'cjs' ? `\nmodule.exports = { ai };\n` : '');
    header += importFrom(shape, 'client', ['ai']);
  }
  files[`main.${shape.ext}`] = header + config + '\n' + source.decl(ctx, shape.id) + body + (shape.ext === 'cjs' ? cjsExports(shape) : '');
  return files;
}

/** `import { a } from './module.js'` (or `require`), with the extension the module kind resolves at run time. */
function importFrom(shape: Shape, module: string, names: string[]): string {
  const runtimeExt = { ts: 'js', mts: 'mjs', js: 'js', cjs: 'cjs' }[shape.ext];
  return shape.ext === 'cjs' ? `const { ${names.join(', ')} } = require('./${module}.${runtimeExt}');\n` : `import { ${names.join(', ')} } from './${module}.${runtimeExt}';\n`;
}

function importLine(ctx: Ctx, sdk: string): string {
  if (ctx.shape.imports === 'namespace') return ctx.shape.ext === 'cjs' ? `const sdk = require('${sdk}');\n` : `import * as sdk from '${sdk}';\n`;
  const alias = (n: string) => (ctx.shape.imports === 'alias' && ALIASES[n] ? `${n} as ${ALIASES[n]}` : n);
  const cjsAlias = (n: string) => (ctx.shape.imports === 'alias' && ALIASES[n] ? `${n}: ${ALIASES[n]}` : n);
  const names = [...ctx.imports].sort();
  if (ctx.shape.ext === 'cjs') return `const { ${names.map(cjsAlias).join(', ')} } = require('${sdk}');\n`;
  const types = ctx.ts ? [...ctx.typeImports].filter((n) => !ctx.imports.has(n)).sort().map((n) => `type ${alias(n)}`) : [];
  return `import { ${[...names.map(alias), ...types].join(', ')} } from '${sdk}';\n`;
}


/** CommonJS programs export through module.exports; the others use `export`. */
function cjsExports(shape: Shape): string {
  return `\nmodule.exports = { ${shape.placement === 'class' || shape.placement === 'method' ? 'Assistant' : 'ask'} };\n`;
}

function exported(ctx: Ctx): string {
  return ctx.shape.ext === 'cjs' ? '' : 'export ';
}

// ---- @google/generative-ai --------------------------------------------------------------------------------------

function legacyProgram(ctx: Ctx, idExpr: string, source: (typeof ID_SOURCES)[number]): string {
  const settings = legacySettings(ctx);
  const modelArgs = `{ model: ${idExpr}${settings} }`;
  const param = source.param ? source.param(ctx, ctx.shape.id) : '';
  const key = `process.env.GEMINI_API_KEY ?? ''`;
  const ask = `${exported(ctx)}async function ask(`;
  const returns = ctx.t(': Promise<string>');
  switch (ctx.shape.placement) {
    case 'module':
      return `const genAI = new ${ctx.use('GoogleGenerativeAI')}(${key});\nconst model = genAI.getGenerativeModel(${modelArgs}${requestOptions(ctx)});\n\n${ask}prompt${ctx.t(': string')})${returns} {\n${legacyCall(ctx, 'model')}}\n`;
    case 'function':
      return `const genAI = new ${ctx.use('GoogleGenerativeAI')}(${key});\n\n${ask}prompt${ctx.t(': string')}${param ? ', ' + param : ''})${returns} {\n  const model = genAI.getGenerativeModel(${modelArgs}${requestOptions(ctx)});\n${legacyCall(ctx, 'model')}}\n`;
    case 'factory':
      return `${exported(ctx)}function createModel(apiKey${ctx.t(': string')}${param ? ', ' + param : ''}) {\n  return new ${ctx.use('GoogleGenerativeAI')}(apiKey).getGenerativeModel(${modelArgs}${requestOptions(ctx)});\n}\n\n${ask}prompt${ctx.t(': string')})${returns} {\n  const model = createModel(${key});\n${legacyCall(ctx, 'model')}}\n`;
    case 'param':
      return `${ask}genAI${ctx.t(': ' + ctx.use('GoogleGenerativeAI', 'type'))}, prompt${ctx.t(': string')}${param ? ', ' + param : ''})${returns} {\n  const model = genAI.getGenerativeModel(${modelArgs}${requestOptions(ctx)});\n${legacyCall(ctx, 'model')}}\n`;
    case 'method': {
      // a model factory written as a method of the class, its client a field set in the constructor
      const field = source.field ? source.field(ctx, ctx.shape.id) : '';
      const name = ctx.ts ? 'model' : '#model';
      const fields = ctx.ts ? `  private readonly genAI: ${ctx.use('GoogleGenerativeAI', 'type')};\n` : '';
      const ctor = `  constructor(apiKey${ctx.t(': string')}) {\n    this.genAI = new ${ctx.use('GoogleGenerativeAI')}(apiKey);\n  }\n`;
      const factory = `\n  ${ctx.ts ? 'private ' : ''}${name}(${param})${ctx.t(': ' + ctx.use('GenerativeModel', 'type'))} {\n    return this.genAI.getGenerativeModel(${modelArgs}${requestOptions(ctx)});\n  }\n`;
      const method = `\n  async ask(prompt${ctx.t(': string')})${returns} {\n${indent(legacyCall(ctx, `this.${name}()`))}  }\n`;
      return `${exported(ctx)}class Assistant {\n${ctx.ts ? field : field.replace('private readonly ', '')}${fields}${ctor}${factory}${method}}\n`;
    }
    default: {
      // class
      const field = source.field ? source.field(ctx, ctx.shape.id) : '';
      const fields = ctx.ts ? `  private readonly genAI: ${ctx.use('GoogleGenerativeAI', 'type')};\n  private readonly model: ${ctx.use('GenerativeModel', 'type')};\n` : '';
      const ctor = `  constructor(apiKey${ctx.t(': string')}) {\n    this.genAI = new ${ctx.use('GoogleGenerativeAI')}(apiKey);\n    this.model = this.genAI.getGenerativeModel(${modelArgs}${requestOptions(ctx)});\n  }\n`;
      const method = `\n  async ask(prompt${ctx.t(': string')})${returns} {\n${indent(legacyCall(ctx, 'this.model'))}  }\n`;
      return `${exported(ctx)}class Assistant {\n${ctx.ts ? field : field.replace('private readonly ', '')}${fields}${ctor}${method}}\n`;
    }
  }
}

function legacySettings(ctx: Ctx): string {
  switch (ctx.shape.settings) {
    case 'generation':
      return ', generationConfig: { temperature: 0.2, maxOutputTokens: 256 }';
    case 'system':
      return `, systemInstruction: 'Answer in one sentence.'`;
    case 'safety':
      return `, safetySettings: [{ category: ${ctx.use('HarmCategory')}.HARM_CATEGORY_HARASSMENT, threshold: ${ctx.use('HarmBlockThreshold')}.BLOCK_ONLY_HIGH }]`;
    case 'json':
      return `, generationConfig: { responseMimeType: 'application/json' }`;
    case 'tools':
      return `, tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parameters: { type: ${ctx.use('SchemaType')}.OBJECT, properties: { city: { type: ${ctx.use('SchemaType')}.STRING } }, required: ['city'] } }] }]`;
    default:
      return '';
  }
}

function requestOptions(ctx: Ctx): string {
  return ctx.shape.settings === 'request-options' ? `, { timeout: 30_000, apiVersion: 'v1beta' }` : '';
}

/** The body of `ask`: calls `m`, returns a string. Two-space indented lines. */
function legacyCall(ctx: Ctx, m: string): string {
  switch (ctx.shape.call) {
    case 'request':
      return legacyRead(ctx, `await ${m}.generateContent({ contents: [{ role: 'user', parts: [{ text: prompt }] }] })`);
    case 'parts':
      return legacyRead(ctx, `await ${m}.generateContent([prompt, 'Be concise.'])`);
    case 'stream':
      return `  const result = await ${m}.generateContentStream(prompt);\n  let text = '';\n  for await (const chunk of result.stream) text += chunk.text();\n  return text;\n`;
    case 'chat':
      return `  const chat = ${m}.startChat({ history: [{ role: 'user', parts: [{ text: 'Hi' }] }, { role: 'model', parts: [{ text: 'Hello!' }] }] });\n${legacyRead(ctx, 'await chat.sendMessage(prompt)')}`;
    case 'count':
      return `  const { totalTokens } = await ${m}.countTokens(prompt);\n  return String(totalTokens);\n`;
    case 'twice':
      return `  const first = await ${m}.generateContent(prompt);\n  const { totalTokens } = await ${m}.countTokens(prompt);\n  return \`\${first.response.text()} (\${totalTokens})\`;\n`;
    case 'then':
      return `  return ${m}.generateContent(prompt).then((r) => r.response.text());\n`;
    default:
      return legacyRead(ctx, `await ${m}.generateContent(prompt)`);
  }
}

function legacyRead(ctx: Ctx, call: string): string {
  switch (ctx.shape.read) {
    case 'destructure':
      return `  const { response } = ${call};\n  return response.text();\n`;
    case 'inline':
      return `  return (${call}).response.text();\n`;
    case 'candidates':
      return `  const result = ${call};\n  return result.response.candidates?.[0]?.content.parts[0]?.text ?? '';\n`;
    case 'usage':
      return `  const result = ${call};\n  const tokens = result.response.usageMetadata?.totalTokenCount ?? 0;\n  return \`\${result.response.text()} (\${tokens} tokens)\`;\n`;
    case 'function-calls':
      return `  const result = ${call};\n  const first = result.response.functionCalls()?.[0];\n  return first ? first.name : result.response.text();\n`;
    default:
      return `  const result = ${call};\n  return result.response.text();\n`;
  }
}

// ---- @google/genai, models and chats ----------------------------------------------------------------------------

function genaiProgram(ctx: Ctx, idExpr: string, source: (typeof ID_SOURCES)[number]): string {
  const param = source.param ? source.param(ctx, ctx.shape.id) : '';
  const client = `new ${ctx.use('GoogleGenAI')}({ apiKey: process.env.GEMINI_API_KEY ?? '' })`;
  const ask = `${exported(ctx)}async function ask(`;
  const returns = ctx.t(': Promise<string>');
  switch (ctx.shape.placement) {
    case 'split': // `ai` is imported from client.*
      return `${ask}prompt${ctx.t(': string')})${returns} {\n${genaiCall(ctx, 'ai', idExpr)}}\n`;
    case 'module':
      return `const ai = ${client};\n\n${ask}prompt${ctx.t(': string')})${returns} {\n${genaiCall(ctx, 'ai', idExpr)}}\n`;
    case 'function':
      return `${ask}prompt${ctx.t(': string')}${param ? ', ' + param : ''})${returns} {\n  const ai = ${client};\n${genaiCall(ctx, 'ai', idExpr)}}\n`;
    case 'param':
      return `${ask}ai${ctx.t(': ' + ctx.use('GoogleGenAI', 'type'))}, prompt${ctx.t(': string')}${param ? ', ' + param : ''})${returns} {\n${genaiCall(ctx, 'ai', idExpr)}}\n`;
    default: {
      const field = source.field ? source.field(ctx, ctx.shape.id) : '';
      const ai = ctx.ts ? `  private readonly ai = ${client};\n` : `  ai = ${client};\n`;
      const method = `\n  async ask(prompt${ctx.t(': string')})${returns} {\n${indent(genaiCall(ctx, 'this.ai', idExpr))}  }\n`;
      return `${exported(ctx)}class Assistant {\n${ctx.ts ? field : field.replace('private readonly ', '')}${ai}${method}}\n`;
    }
  }
}

function genaiConfig(ctx: Ctx): string {
  switch (ctx.shape.settings) {
    case 'generation':
      return ', config: { temperature: 0.2, maxOutputTokens: 256 }';
    case 'system':
      return `, config: { systemInstruction: 'Answer in one sentence.' }`;
    case 'safety':
      return `, config: { safetySettings: [{ category: ${ctx.use('HarmCategory')}.HARM_CATEGORY_HARASSMENT, threshold: ${ctx.use('HarmBlockThreshold')}.BLOCK_ONLY_HIGH }] }`;
    case 'json':
      return `, config: { responseMimeType: 'application/json' }`;
    default:
      return '';
  }
}

function genaiCall(ctx: Ctx, ai: string, idExpr: string): string {
  const config = genaiConfig(ctx);
  switch (ctx.shape.call) {
    case 'stream':
      return `  const stream = await ${ai}.models.generateContentStream({ model: ${idExpr}, contents: prompt${config} });\n  let text = '';\n  for await (const chunk of stream) text += chunk.text ?? '';\n  return text;\n`;
    case 'chat':
      return `  const chat = ${ai}.chats.create({ model: ${idExpr}, history: []${config} });\n${genaiRead(ctx, 'await chat.sendMessage({ message: prompt })')}`;
    case 'count':
      return `  const counted = await ${ai}.models.countTokens({ model: ${idExpr}, contents: prompt });\n  return String(counted.totalTokens ?? 0);\n`;
    case 'twice':
      return `  const first = await ${ai}.models.generateContent({ model: ${idExpr}, contents: prompt${config} });\n  const counted = await ${ai}.models.countTokens({ model: ${idExpr}, contents: prompt });\n  return \`\${first.text ?? ''} (\${counted.totalTokens ?? 0})\`;\n`;
    case 'then':
      return `  return ${ai}.models.generateContent({ model: ${idExpr}, contents: prompt${config} }).then((r) => r.text ?? '');\n`;
    case 'request':
      return genaiRead(ctx, `await ${ai}.models.generateContent({ model: ${idExpr}, contents: [{ role: 'user', parts: [{ text: prompt }] }]${config} })`);
    default:
      return genaiRead(ctx, `await ${ai}.models.generateContent({ model: ${idExpr}, contents: prompt${config} })`);
  }
}

function genaiRead(ctx: Ctx, call: string): string {
  switch (ctx.shape.read) {
    case 'destructure':
      return `  const { text } = ${call};\n  return text ?? '';\n`;
    case 'inline':
      return `  return (${call}).text ?? '';\n`;
    case 'candidates':
      return `  const response = ${call};\n  return response.candidates?.[0]?.content?.parts?.[0]?.text ?? '';\n`;
    case 'usage':
      return `  const response = ${call};\n  return \`\${response.text ?? ''} (\${response.usageMetadata?.totalTokenCount ?? 0} tokens)\`;\n`;
    default:
      return `  const response = ${call};\n  return response.text ?? '';\n`;
  }
}

function indent(lines: string): string {
  return lines.replace(/^(?=.)/gm, '  ');
}

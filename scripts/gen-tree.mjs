#!/usr/bin/env node
// Generates a deterministic monorepo for the benchmark and the low-file-limit test: real package sources
// from this repository's node_modules as the project's own code, plus legacy-SDK files from templates.
//
//   node scripts/gen-tree.mjs <dir> [--files 20000] [--gemini 1] [--seed 1]
//
// Layout: packages/pkg-NNN/{package.json, src/**} with about 100 source files per package, a root .gitignore
// (node_modules/, dist/, *.log), ignored dist/ and node_modules/ folders holding source files (some of them
// Gemini files: a walk that does not honour the ignores would find them), and a few packages with their own
// .gitignore. `--files` counts the source files a walk must read; `--gemini` is the percentage of them that
// mention the SDK or a Gemini model id (what the prefilter lets through). The tree is committed to a fresh
// git repository, so the write mode's uncommitted-changes check sees a clean tree.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_EXT = /\.(?:[cm]?js|[cm]?ts)$/;
// Bytes the tool's prefilter and rg look for: pool files must not contain them, or they would be hits too.
const NEEDLES = ['@google/gen', 'gemini-', 'embedding-00', 'TODO(migrate-interactions)'];
const FILES_PER_PACKAGE = 100;
const SUBDIRS = ['', 'lib', 'utils', 'services', 'routes', 'components', 'models', 'lib/internal', 'services/http', 'utils/format'];

/** mulberry32: small, seeded, and the same on every Node version. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Source files of the installed packages (sorted, so the same lockfile gives the same pool): plain code of
 * 200 bytes to 48 KB, no declaration files, nothing from @google (it names the SDK), nothing with a needle.
 */
export function sourcePool(nodeModules = path.join(ROOT, 'node_modules')) {
  const pool = [];
  const stack = [nodeModules];
  while (stack.length > 0) {
    const dir = stack.pop();
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // popped in ascending order
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '@google' && entry.name !== '.bin' && entry.name !== '.cache') stack.push(abs);
      } else if (entry.isFile() && SOURCE_EXT.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
        const size = statSync(abs).size;
        if (size < 200 || size > 48 * 1024) continue;
        const bytes = readFileSync(abs);
        if (bytes.includes(0) || NEEDLES.some((needle) => bytes.includes(needle))) continue;
        pool.push({ name: entry.name, bytes });
      }
    }
  }
  if (pool.length < 100) throw new Error(`only ${pool.length} usable source files under ${nodeModules}: run npm ci first`);
  return pool;
}

// ---- Gemini file templates -------------------------------------------------------------------------------
// Each returns { ext, text, changes }: `changes` says whether model-id-swap must rewrite the file (a deprecated
// id in a model slot); files with changes=false still pass the prefilter and get parsed.

const id = (k) => String(k).padStart(3, '0');

const TEMPLATES = {
  // A model id in a `model:` literal, ESM TypeScript.
  basic: (k) => ({
    ext: '.ts',
    changes: true,
    text: `import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');
const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash', generationConfig: { temperature: 0.${k % 10} } });

export async function summarize${k}(text: string): Promise<string> {
  const result = await model.generateContent(\`Summarize in one paragraph:\\n\${text}\`);
  return result.response.text();
}
`,
  }),
  // A class field and a default parameter that flow into getGenerativeModel().
  classField: (k) => ({
    ext: '.ts',
    changes: true,
    text: `import { GoogleGenerativeAI, type GenerativeModel } from "@google/generative-ai";

export class Assistant${k} {
  private readonly modelId = "gemini-1.5-flash-001";
  private readonly genAI: GoogleGenerativeAI;

  constructor(apiKey: string) {
    this.genAI = new GoogleGenerativeAI(apiKey);
  }

  model(name: string = "gemini-1.5-pro-002"): GenerativeModel {
    return this.genAI.getGenerativeModel({ model: name || this.modelId });
  }

  async ask(question: string): Promise<string> {
    const chat = this.model().startChat({ history: [] });
    const reply = await chat.sendMessage(question);
    return reply.response.text();
  }
}
`,
  }),
  // CommonJS with require() and an export of the id.
  commonjs: (k) => ({
    ext: '.cjs',
    changes: true,
    text: `'use strict';
const { GoogleGenerativeAI } = require('@google/generative-ai');

const genAI = new GoogleGenerativeAI(process.env.API_KEY);
const model = genAI.getGenerativeModel({ model: 'gemini-pro' });

async function run${k}(prompt) {
  const result = await model.generateContent(prompt);
  return result.response.text();
}

module.exports = { run${k}, modelName: 'gemini-pro' };
`,
  }),
  // A default parameter in plain ESM JavaScript.
  esmDefault: (k) => ({
    ext: '.mjs',
    changes: true,
    text: `import { GoogleGenerativeAI } from '@google/generative-ai';

export function createModel${k}(apiKey, modelName = 'gemini-1.5-pro') {
  return new GoogleGenerativeAI(apiKey).getGenerativeModel({ model: modelName });
}

export async function classify${k}(apiKey, text) {
  const result = await createModel${k}(apiKey).generateContent(\`Label as spam or ham: \${text}\`);
  return result.response.text().trim();
}
`,
  }),
  // The newer SDK's models API with a deprecated id.
  genaiModels: (k) => ({
    ext: '.ts',
    changes: true,
    text: `import { GoogleGenAI } from '@google/genai';

const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });

export async function describe${k}(topic: string): Promise<string | undefined> {
  const response = await ai.models.generateContent({
    model: 'gemini-2.0-flash-001',
    contents: \`Describe \${topic} in one sentence.\`,
  });
  return response.text;
}

export async function embed${k}(text: string) {
  const result = await ai.models.embedContent({ model: 'text-embedding-004', contents: text });
  return result.embeddings?.[0]?.values;
}
`,
  }),
  // Current ids only: parsed, nothing to swap.
  current: (k) => ({
    ext: '.ts',
    changes: false,
    text: `import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');

export const fast${k} = genAI.getGenerativeModel({ model: 'gemini-2.5-flash' });
export const deep${k} = genAI.getGenerativeModel({ model: 'gemini-2.5-pro' });
`,
  }),
  // A mention in a log line and a comment, no SDK: passes the prefilter, changes nothing.
  mention: (k) => ({
    ext: '.js',
    changes: false,
    text: `// Routes prompts through the internal proxy, which talks to gemini-1.5-pro upstream.
export function proxyHeaders${k}(requestId) {
  console.info('proxying request %s to gemini-1.5-pro', requestId);
  return { 'x-request-id': requestId, 'x-upstream': 'llm-proxy' };
}
`,
  }),
};
/**
 * The proof-by-execution programs (fixtures/programs/<name>/before.*) as they are: chats, streams, function calling,
 * JSON mode, ai.chats. The benchmark then times the transforms on the code the test suite proves behaves the same.
 */
const PROGRAMS = (() => {
  const dir = path.join(ROOT, 'fixtures', 'programs');
  return readdirSync(dir)
    .sort()
    .flatMap((name) => readdirSync(path.join(dir, name)).filter((f) => /^before\.[cm]?[jt]s$/.test(f)).map((f) => path.join(dir, name, f)));
})();
TEMPLATES.program = (k) => {
  const file = PROGRAMS[k % PROGRAMS.length];
  return { ext: path.extname(file), changes: true, text: readFileSync(file, 'utf8') };
};

const LEAF_SHAPES = ['basic', 'classField', 'commonjs', 'esmDefault', 'genaiModels', 'current', 'mention', 'basic', 'genaiModels', 'program', 'program'];

// A config module that never imports the SDK; its constants reach getGenerativeModel() in the consumer.
const configModule = () => ({
  ext: '.ts',
  changes: true,
  text: `// Shared model settings for this package.
export const CHAT_MODEL = process.env.CHAT_MODEL ?? 'gemini-1.5-flash';

export const settings = {
  summaryModel: 'gemini-1.5-pro',
  maxTokens: 512,
};
`,
});
const configConsumer = (k, configSpecifier) => ({
  ext: '.ts',
  changes: false,
  text: `import { GoogleGenerativeAI } from '@google/generative-ai';
import { CHAT_MODEL, settings } from '${configSpecifier}';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');

export const chat${k} = genAI.getGenerativeModel({ model: CHAT_MODEL });
export const summarizer${k} = genAI.getGenerativeModel({
  model: settings.summaryModel,
  generationConfig: { maxOutputTokens: settings.maxTokens },
});
`,
});

/** A plain module importing a Gemini module: part of the import closure, never a prefilter hit. */
const importer = (k, specifier) => `import * as llm from '${specifier}';

// Keeps a handle on the AI helpers so the route table can list them.
export const helpers${k} = Object.keys(llm).sort();
export function describeHelpers${k}(): string {
  return helpers${k}.join(', ');
}
`;

function relSpecifier(fromFile, toFile) {
  let rel = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.[cm]?ts$/, '.js');
  if (!rel.startsWith('.')) rel = './' + rel;
  return rel;
}

/**
 * Writes the tree. Returns { files, gemini, expectedChanged } with repo-relative '/' paths: `files` is
 * every source file a walk must find, `gemini` those that pass the prefilter, `expectedChanged` those
 * model-id-swap must rewrite (other transforms may change more of the Gemini files, never a plain one).
 */
export function generateTree(dir, { files = 20_000, gemini = 1, seed = 1, pool = sourcePool(), git = true } = {}) {
  if (!Number.isInteger(files) || files < 10) throw new Error('--files must be an integer ≥ 10');
  if (!(gemini >= 0 && gemini <= 50)) throw new Error('--gemini must be a percentage from 0 to 50');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const write = (rel, content) => {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  };

  // Slots: which package each counted file goes to, and which of them are Gemini files.
  const packages = Math.max(1, Math.round(files / FILES_PER_PACKAGE));
  const geminiCount = Math.round((files * gemini) / 100);
  const isGemini = new Uint8Array(files);
  for (let placed = 0; placed < geminiCount; ) {
    const slot = Math.floor(random() * files);
    if (!isGemini[slot]) {
      isGemini[slot] = 1;
      placed++;
    }
  }

  const result = { files: [], gemini: [], expectedChanged: [] };
  const record = (rel, kind) => {
    result.files.push(rel);
    if (kind) result.gemini.push(rel);
    if (kind === 'changes') result.expectedChanged.push(rel);
  };
  write('.gitignore', 'node_modules/\ndist/\n*.log\ncoverage/\n');
  write('package.json', JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['packages/*'] }, null, 2) + '\n');
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', allowJs: true } }, null, 2) + '\n');

  let slot = 0;
  let serial = 0;
  for (let p = 0; p < packages; p++) {
    const pkg = `packages/pkg-${id(p)}`;
    const count = p === packages - 1 ? files - slot : Math.min(FILES_PER_PACKAGE, files - slot);
    write(`${pkg}/package.json`, JSON.stringify({ name: `@bench/pkg-${id(p)}`, version: '1.0.0', type: 'module' }, null, 2) + '\n');
    const geminiSlots = [];
    for (let i = 0; i < count; i++) if (isGemini[slot + i]) geminiSlots.push(i);
    // Plain files fill the rest; each Gemini leaf gets one importer, taken from the plain files' budget.
    let plain = count - geminiSlots.length;
    const geminiFiles = [];
    for (const [n, _i] of geminiSlots.entries()) {
      const k = serial++;
      if (n === 0 && geminiSlots.length >= 2) {
        geminiFiles.push({ rel: `${pkg}/src/config/models.ts`, make: () => configModule() });
      } else if (n === 1 && geminiSlots.length >= 2) {
        const rel = `${pkg}/src/ai/chat-${k}.ts`;
        geminiFiles.push({ rel, make: () => configConsumer(k, relSpecifier(rel, `${pkg}/src/config/models.ts`)) });
      } else {
        const shape = pick(LEAF_SHAPES);
        const made = TEMPLATES[shape](k);
        const rel = `${pkg}/src/${pick(['ai', 'services', 'lib', 'routes'])}/llm-${k}${made.ext}`;
        geminiFiles.push({ rel, make: () => made });
        if (plain > 0 && made.ext === '.ts') {
          plain--;
          const from = `${pkg}/src/routes/use-llm-${k}.ts`;
          write(from, importer(k, relSpecifier(from, rel)));
          record(from);
        }
      }
    }
    for (const { rel, make } of geminiFiles) {
      const made = make();
      write(rel, made.text);
      record(rel, made.changes ? 'changes' : 'hit');
    }
    for (let i = 0; i < plain; i++) {
      const source = pick(pool);
      const sub = pick(SUBDIRS);
      const rel = `${pkg}/src/${sub ? sub + '/' : ''}${path.basename(source.name, path.extname(source.name))}-${i}${path.extname(source.name)}`;
      write(rel, source.bytes);
      record(rel);
    }
    slot += count;

    // Ignored build output: copies of this package's sources, Gemini ones included.
    if (p % 2 === 0) {
      for (const [n, { rel, make }] of geminiFiles.entries()) write(`${pkg}/dist/gen-${n}.js`, make().text);
      for (let i = 0; i < 10; i++) write(`${pkg}/dist/chunk-${i}.js`, pick(pool).bytes);
    }
    // Some packages ignore their own generated code.
    if (p % 5 === 0) {
      write(`${pkg}/.gitignore`, 'generated/\n*.gen.ts\n');
      for (let i = 0; i < 5; i++) write(`${pkg}/src/generated/schema-${i}.ts`, pick(pool).bytes);
      write(`${pkg}/src/models.gen.ts`, configModule().text);
    }
  }

  // An ignored node_modules/ with real code (5 % of the tree) and the SDKs' types, as in an installed project.
  for (let i = 0; i < Math.ceil(files / 20); i++) {
    const source = pick(pool);
    write(`node_modules/vendor-${id(i % 40)}/lib/${i}-${source.name}`, source.bytes);
  }
  mkdirSync(path.join(dir, 'node_modules', '@google'), { recursive: true });
  for (const sdk of ['generative-ai', 'genai']) {
    const target = path.join(ROOT, 'node_modules', '@google', sdk);
    if (existsSync(target)) symlinkSync(target, path.join(dir, 'node_modules', '@google', sdk), 'dir');
  }

  if (git) {
    const env = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
    for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '--no-gpg-sign', '-m', 'generated tree']]) {
      const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
    }
  }
  for (const list of Object.values(result)) list.sort();
  return result;
}

function parseArgs(argv) {
  const options = { files: 20_000, gemini: 1, seed: 1 };
  let dir;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--files' || arg === '--gemini' || arg === '--seed') options[arg.slice(2)] = Number(argv[++i]);
    else if (!arg.startsWith('-') && dir === undefined) dir = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!dir) throw new Error('usage: node scripts/gen-tree.mjs <dir> [--files N] [--gemini PERCENT] [--seed N]');
  return { dir: path.resolve(dir), options };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { dir, options } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const tree = generateTree(dir, options);
  process.stdout.write(
    `${dir}: ${tree.files.length} source files, ${tree.gemini.length} Gemini (${tree.expectedChanged.length} to change), ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

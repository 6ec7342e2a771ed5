// Proof by execution: every fixtures/programs/<name>/before.* is migrated by the built CLI, then the original and the
// migrated program both run against the fake Gemini server. A migration is right when the program prints the same and
// holds the same conversation (the settings it sends on every call included), not merely when it type-checks.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PRELOAD, fakeGeminiEnv, startFakeGemini, type RecordedRequest } from './fake-gemini/server.mjs';
import { CLI, nodeAsync } from './helpers/cli.js';
import { ROOT, tempProject } from './helpers/temp-project.js';
import type { TodoReason } from '../src/todo-reasons.js';

const PROGRAMS = join(ROOT, 'fixtures', 'programs');
const NEW_MODEL = 'gemini-3-flash-preview';

interface Migrated {
  name: string;
  /** What the original must print: proof the program did its job, so equal output is not two equal failures. */
  prints: string[];
  /** Request fields every Interactions call must carry (settings are per call: nothing is inherited). */
  everyCall?: string[];
  /** Text that must be gone from the migrated source. */
  gone: string[];
  /** TODOs a migrated program may carry: notes on migrated code, not code left behind. */
  notes?: TodoReason[];
}

/** Every program must come out on ai.interactions.create, with no TODO but the notes it lists. */
const MIGRATED: Migrated[] = [
  { name: 'one-shot-text', prints: ['echo: Write a haiku about the sea.'], gone: ["'@google/generative-ai'"] },
  {
    name: 'model-settings',
    prints: ['Title: [sys: You write terse release notes.] echo: Give this change a title: add dark mode'],
    everyCall: ['system_instruction', 'generation_config', 'safety_settings'],
    gone: ["'@google/generative-ai'"],
  },
  { name: 'destructured-usage', prints: ['tokens: 11 in, 13 out, 24 total', '[sys: answer with one word'], everyCall: ['system_instruction'], gone: ["'@google/generative-ai'"] },
  {
    name: 'class-held-model',
    prints: ['[sys: Translate into French.] echo: Thank you | [sys: Translate into French.] echo: See you soon', '3 calls to French'],
    everyCall: ['system_instruction', 'generation_config'],
    gone: ["'@google/generative-ai'"],
  },
  { name: 'commonjs', prints: ['echo: What is the capital of France?'], everyCall: ['generation_config'], gone: ["'@google/generative-ai'"] },
  { name: 'image-input', prints: ['echo: Describe this picture. [image/png 8 bytes]'], gone: ["'@google/generative-ai'", 'inlineData'] },
  { name: 'genai-models', prints: ['tokens: 9 in, 20 total', '[sys: You are a poet.] echo: Write a haiku about autumn.'], gone: ['ai.models.generateContent('] },
  {
    name: 'chat-history',
    prints: ['(turn 3; first: I want to visit Lisbon in May.)', 'history: 6 turns'],
    everyCall: ['system_instruction', 'generation_config'],
    gone: ["'@google/generative-ai'", '.startChat(', '.getHistory('],
  },
  { name: 'streaming-chat', prints: ['[3 chunks, 44 tokens]', '(turn 2; first: Tell me a short story'], gone: ["'@google/generative-ai'", '.sendMessageStream('] },
  {
    name: 'class-held-chat',
    prints: ['(turn 2; first: Dana asks: How do I reset my password?)', '2 turns', 'model: [sys: You are a support agent'],
    everyCall: ['system_instruction'],
    gone: ["'@google/generative-ai'", '.startChat('],
    notes: ['chat-turns-may-overlap'],
  },
  {
    name: 'function-calling',
    prints: ['-> get_weather({"city":"Paris"})', 'result of get_weather: {"city":"Paris","forecast":"sunny","tempC":21}'],
    everyCall: ['tools'],
    gone: ["'@google/generative-ai'", 'functionResponse', 'functionDeclarations', '.args'],
  },
  {
    name: 'genai-function-calling',
    prints: ['-> get_weather({"city":"Paris"})', 'result of get_weather: {"city":"Paris","forecast":"sunny","tempC":21}'],
    everyCall: ['tools'],
    gone: ['ai.models.generateContent(', 'createPartFromFunctionResponse', 'candidates', 'contents.push', '.args'],
  },
  {
    name: 'method-factory-ts',
    prints: ['(turn 2; first: Plan a picnic.)', '[sys: Answer in a cheerful tone.] echo: Name a fruit.'],
    everyCall: ['system_instruction', 'generation_config'],
    gone: ["'@google/generative-ai'", '.startChat(', 'GenerativeModel'],
  },
  {
    name: 'method-factory-js',
    prints: ['(turn 2; first: Quiz me.)', '[sys: You teach astronomy.] echo: Explain eclipses.', '2 models made'],
    everyCall: ['system_instruction', 'generation_config'],
    gone: ["'@google/generative-ai'", '.startChat('],
  },
  { name: 'json-schema', prints: ['echo: Suggest a quick dinner. (1 min, vegetarian)'], everyCall: ['response_format'], gone: ["'@google/generative-ai'", 'SchemaType', 'responseSchema'] },
  {
    name: 'genai-chats',
    prints: ['(turn 2; first: Recommend a mystery novel.)', 'history: 4 turns'],
    everyCall: ['system_instruction', 'generation_config'],
    gone: ['ai.chats.create(', '.sendMessage(', '.getHistory('],
  },
];

interface Report {
  todos: Array<{ file: string; reason: TodoReason }>;
  errors: unknown[];
  changedFiles: string[];
}

let project: { dir: string; cleanup(): void };
let migration: { code: number | null; stdout: string; stderr: string; report: Report };

beforeAll(async () => {
  // type: module makes the .ts programs ES modules (top-level await), as the .mjs ones are.
  project = tempProject({
    'package.json': JSON.stringify({ name: 'programs', private: true, type: 'module' }),
    // Strict TypeScript; JavaScript checked too (loosely), so a migration that breaks a .mjs program's types shows.
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'],
        strict: true, skipLibCheck: true, noEmit: true, allowJs: true, checkJs: true,
      },
    }),
  });
  cpSync(PROGRAMS, join(project.dir, 'original'), { recursive: true });
  cpSync(PROGRAMS, join(project.dir, 'migrated'), { recursive: true });
  // One run over every program, as on a real repository (and one ts-morph start-up instead of thirteen).
  const run = await node([CLI, '--force', '--no-progress', '--typecheck', '--report', 'report.json', 'migrated'], { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined });
  if (!existsSync(join(project.dir, 'report.json'))) throw new Error(`the CLI wrote no report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  const report = JSON.parse(readFileSync(join(project.dir, 'report.json'), 'utf8')) as Report;
  migration = { ...run, report };
  // Node 20 does not run TypeScript: the .ts programs run as their transpiled .mjs, next to them.
  for (const side of ['original', 'migrated']) {
    for (const name of readdirSync(join(project.dir, side))) {
      const file = join(project.dir, side, name, 'before.ts');
      if (!readdirSync(join(project.dir, side, name)).includes('before.ts')) continue;
      const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
      writeFileSync(`${file}.mjs`, js.outputText);
    }
  }
}, 180_000);
afterAll(() => project?.cleanup());

function node(args: string[], env: NodeJS.ProcessEnv) {
  return nodeAsync(args, { cwd: project.dir, env });
}

function sourceOf(side: 'original' | 'migrated', name: string): { path: string; text: string; run: string } {
  const file = readdirSync(join(project.dir, side, name)).find((f) => /^before\.(ts|mjs|cjs)$/.test(f));
  if (!file) throw new Error(`fixtures/programs/${name} has no before.{ts,mjs,cjs}`);
  const path = join(project.dir, side, name, file);
  return { path, text: readFileSync(path, 'utf8'), run: file.endsWith('.ts') ? `${path}.mjs` : path };
}

/** Runs one program against its own fake server (so runs can overlap); the legacy SDK is redirected by the preload. */
async function runProgram(side: 'original' | 'migrated', name: string): Promise<{ stdout: string; requests: RecordedRequest[] }> {
  const fake = await startFakeGemini();
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', PRELOAD, sourceOf(side, name).run], { cwd: project.dir, env: fakeGeminiEnv(fake.url), timeout: 20_000 }, (err, out, stderr) =>
        err ? reject(new Error(`${side}/${name} failed: ${err.message}\n${stderr}`)) : resolve(out)));
    return { stdout, requests: [...fake.requests] };
  } finally {
    await fake.close();
  }
}

/** TODO reasons the report lists for a program, sorted and deduplicated. */
function todoReasons(name: string): TodoReason[] {
  return [...new Set(migration.report.todos.filter((t) => t.file.startsWith(`migrated/${name}/`)).map((t) => t.reason))].sort();
}

// ---- one conversation, whichever protocol carried it ----

/** Legacy generationConfig keys → Interactions generation_config keys (what the transform maps). */
const GENERATION_KEYS: Record<string, string> = { temperature: 'temperature', topP: 'top_p', maxOutputTokens: 'max_output_tokens', stopSequences: 'stop_sequences', seed: 'seed' };

/** A part of a message: text, or media by MIME type with its bytes (base64) or URI. */
type Part = { text: string } | { mime: string; data?: string; uri?: string } | { result: unknown; of: string };

interface Turn {
  /** JSON mode: the mime type and schema asked for. */
  format?: { mime: string; schema?: unknown };
  system?: string;
  input: Part[];
  generation?: Record<string, unknown>;
  safety?: Array<{ type: string; threshold: string }>;
}

/**
 * A request as what the model was asked: the system instruction, the user's message (text and media), the generation
 * and safety settings. Legacy and ai.models requests (`models/*:generateContent`) and Interactions requests map to the
 * same shape.
 */
function turnOf(r: RecordedRequest): Turn {
  const b = r.body;
  if (r.kind === 'interactions.create') {
    // A chat's first turn carries its history as steps: the new message is the last one.
    const blocks = typeof b.input === 'string' ? [{ type: 'text', text: b.input }] : b.input.at(-1)?.type === 'user_input' ? b.input.at(-1).content : b.input;
    const input: Part[] = blocks.map((c: any) =>
      c.type === 'text' ? { text: c.text } : c.type === 'function_result' ? { result: c.result, of: c.name } : { mime: c.mime_type, data: c.data, uri: c.uri },
    );
    const format = b.response_format && { mime: b.response_format.mime_type, schema: b.response_format.schema };
    return clean({ system: b.system_instruction, input, generation: b.generation_config, safety: b.safety_settings, format });
  }
  if (r.kind !== 'generateContent' && r.kind !== 'streamGenerateContent') throw new Error(`unexpected ${r.kind} request`);
  const text = (c: any) => c?.parts.map((p: any) => p.text).join('');
  const part = (p: any): Part =>
    typeof p.text === 'string'
      ? { text: p.text }
      : p.functionResponse
        ? { result: p.functionResponse.response, of: p.functionResponse.name }
        : p.inlineData
          ? { mime: p.inlineData.mimeType, data: p.inlineData.data }
          : { mime: p.fileData.mimeType, uri: p.fileData.fileUri };
  // A chat re-sends its whole history: the new message is the last content (the answers show the history was kept).
  const { responseMimeType, responseSchema, ...generationConfig } = b.generationConfig ?? {};
  const generation = Object.entries(generationConfig)
    .filter(([k, v]) => !(k === 'candidateCount' && v === 1)) // an interaction has exactly one output
    .map(([k, v]) => [GENERATION_KEYS[k] ?? `unmapped ${k}`, v]);
  return clean({
    system: text(b.systemInstruction),
    input: b.contents.at(-1).parts.map(part),
    generation: generation.length ? Object.fromEntries(generation) : undefined,
    format: responseMimeType && { mime: responseMimeType, schema: responseSchema },
    // The legacy SDK sends `safetySettings: []` when there are none: the same as not sending any.
    safety: b.safetySettings?.length ? b.safetySettings.map((s: any) => ({ type: s.category.replace(/^HARM_CATEGORY_/, '').toLowerCase(), threshold: s.threshold.toLowerCase() })) : undefined,
  });
}

const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// ---- tests ----

test('the CLI migrates every program in one run, and the migrated code adds no type error', () => {
  const all = readdirSync(PROGRAMS).sort();
  expect(MIGRATED.map((p) => p.name).sort()).toEqual(all); // every program has a test here
  expect(migration.stderr).toBe('');
  expect(migration.report.errors).toEqual([]);
  // A package.json the run updates is not a program.
  expect(migration.report.changedFiles.filter((f) => f.startsWith('migrated/')).sort()).toEqual(
    all.map((name) => `migrated/${name}/${readdirSync(join(PROGRAMS, name)).find((f) => f.startsWith('before.'))}`),
  );
  // Strict for TypeScript, checkJs for JavaScript: what the programs had before, they have after, nothing more.
  expect(migration.stdout).toMatch(new RegExp(`type check: ${all.length} changed files checked with tsconfig\\.json: \\d+ diagnostics? before, \\d+ after, 0 added by the migration`));
  expect(migration.code).toBe(0);
});

describe.concurrent('migrated today: same stdout, same conversation, on ai.interactions.create', () => {
  test.each(MIGRATED)('$name', async (spec) => {
    const source = sourceOf('migrated', spec.name).text;
    expect(todoReasons(spec.name)).toEqual([...(spec.notes ?? [])].sort());
    for (const text of spec.gone) expect(source).not.toContain(text);
    expect(source).toContain('.interactions.create(');

    const [before, after] = await Promise.all([runProgram('original', spec.name), runProgram('migrated', spec.name)]);
    expect(after.stdout).toBe(before.stdout);
    for (const text of spec.prints) expect(before.stdout).toContain(text);

    expect(before.requests.length).toBeGreaterThan(0);
    expect(before.requests.every((r) => r.kind === 'generateContent' || r.kind === 'streamGenerateContent')).toBe(true);
    expect(after.requests.map((r) => r.kind)).toEqual(before.requests.map(() => 'interactions.create'));
    expect(after.requests.map((r) => [r.status, r.warnings])).toEqual(after.requests.map(() => [200, []]));
    expect(after.requests.map((r) => r.body.model)).toEqual(after.requests.map(() => NEW_MODEL));
    // Call by call, the model was asked the same thing with the same settings.
    expect(after.requests.map(turnOf)).toEqual(before.requests.map(turnOf));
    for (const field of spec.everyCall ?? []) {
      expect(after.requests.filter((r) => r.body[field] === undefined), `${field} missing on a call`).toEqual([]);
    }
  });
});


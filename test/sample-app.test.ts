// Proof by execution for the bundled sample app (what `npm run demo` migrates): the original and the migrated app
// are driven through the same calls against the fake Gemini server, and must print the same. The parts the
// migration moves to ai.interactions must talk Interactions; the parts it leaves with a TODO keep the old protocol.
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PRELOAD, fakeGeminiEnv, startFakeGemini, type RecordedRequest } from './fake-gemini/server.mjs';
import { CLI, nodeAsync } from './helpers/cli.js';
import { ROOT, tempProject } from './helpers/temp-project.js';

const SAMPLE = join(ROOT, 'fixtures', 'sample-app');

/** Calls every feature of the app the way its server and CLI do, and prints what comes back. */
const DRIVER = `
import { SupportBot } from './src/bot/support-bot.js';
import { runWeatherAgent } from './src/tools/weather-agent.js';
import { extractInvoice } from './src/extract/json-mode.js';
import { summarizeHandler } from './src/routes/summarize.js';
import { embed } from './src/gemini.js';

const bot = new SupportBot('Dana');
console.log('bot:', await bot.ask('How do I get a refund?'));
console.log('bot:', await bot.ask('And within how many days?'));
console.log('transcript:', await bot.transcript());
console.log('weather:', await runWeatherAgent('Is it cold? call get_weather({"city":"Oslo"})'));
console.log('invoice:', JSON.stringify(await extractInvoice('ACME Corp, invoice 42, total 99.5 EUR')));
const res = { code: 200, status(c) { this.code = c; return this; }, json(body) { console.log('summary:', this.code, JSON.stringify(body)); } };
await summarizeHandler({ body: { text: 'The build was slow because caches were cold.', style: 'bullets' } }, res);
console.log('embedding:', (await embed('refund policy')).length);
`;

let dir: string;
let cleanup: () => void;
let migration: { code: number | null; stdout: string; stderr: string };

beforeAll(async () => {
  ({ dir, cleanup } = tempProject());
  for (const side of ['original', 'migrated']) cpSync(SAMPLE, join(dir, side), { recursive: true });
  migration = await nodeAsync([CLI, '--force', '--no-progress', 'migrated'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  // Node 20 runs no TypeScript: each side runs as its transpiled modules, next to the sources.
  for (const side of ['original', 'migrated']) {
    for (const file of walk(join(dir, side, 'src'))) {
      const out = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
      writeFileSync(file.replace(/\.ts$/, '.js'), out.outputText);
    }
    writeFileSync(join(dir, side, 'drive.mjs'), DRIVER);
  }
}, 120_000);
afterAll(() => cleanup?.());

function walk(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

async function run(side: string, args: string[]): Promise<{ stdout: string; requests: RecordedRequest[] }> {
  const fake = await startFakeGemini();
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', PRELOAD, ...args], { cwd: join(dir, side), env: fakeGeminiEnv(fake.url), timeout: 20_000 }, (err, out, stderr) =>
        err ? reject(new Error(`${side} ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(out + stderr)));
    return { stdout, requests: [...fake.requests] };
  } finally {
    await fake.close();
  }
}

test('the sample app is migrated without errors', () => {
  expect(migration.stderr).toBe('');
  expect(migration.code).toBe(0);
  expect(migration.stdout).toMatch(/0 errors/);
});

test('the migrated app does what the original did: support bot, weather agent, invoice extraction, summary, embeddings', async () => {
  const [before, after] = await Promise.all([run('original', ['drive.mjs']), run('migrated', ['drive.mjs'])]);
  expect(after.stdout).toBe(before.stdout);
  // Proof each feature did its job (equal output is not two equal failures).
  expect(before.stdout).toContain('(turn 2; first: Here are the product facts');
  expect(before.stdout).toContain('result of get_weather');
  expect(before.stdout).toMatch(/invoice: \{/);
  expect(before.stdout).toMatch(/summary: 200 /);
  expect(before.stdout).toMatch(/embedding: \d+/);
  // Every text request moved to Interactions, the factory-made models (invoice, summary) included; the embeddings
  // stay on ai.models.embedContent, which has no Interactions equivalent.
  const kinds = (rs: RecordedRequest[]) => rs.map((r) => r.kind);
  expect(kinds(before.requests)).toContain('generateContent');
  expect(kinds(after.requests).filter((k) => k !== 'interactions.create')).toEqual(['batchEmbedContents']); // genai's embedContent endpoint
  expect(after.requests.every((r) => r.status === 200 && r.warnings.length === 0)).toBe(true);
  // The invoice extractor's JSON mode travels from its getModel({ generationConfig }) call as response_format.
  const invoice = after.requests.find((r) => r.kind === 'interactions.create' && r.body.response_format);
  expect(invoice?.body.response_format).toMatchObject({ type: 'text', mime_type: 'application/json', schema: { type: 'object' } });
  expect(invoice?.body.generation_config).toMatchObject({ temperature: 0, top_p: 0.95, max_output_tokens: 1024 });
});

test('the streaming CLI prints the same story and token count', async () => {
  const args = ['src/cli/stream.js', '-t', '0.3', 'Tell me about lighthouses'];
  const [before, after] = await Promise.all([run('original', args), run('migrated', args)]);
  expect(after.stdout).toBe(before.stdout);
  expect(before.stdout).toContain('echo: Tell me about lighthouses');
  expect(before.stdout).toMatch(/\(\d+ tokens\)/);
  expect(after.requests.map((r) => r.kind)).toEqual(['interactions.create']);
  expect(after.requests[0]!.body.stream).toBe(true);
});

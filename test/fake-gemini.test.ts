// End-to-end tests of the fake Gemini server: real SDKs run as child programs against it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, test as base } from 'vitest';
import { FAKE_API_KEY, PRELOAD, fakeGeminiEnv, startFakeGemini, type FakeGemini, type RecordedRequest } from './fake-gemini/server.mjs';

// Every test gets its own server, so tests can run concurrently without sharing recorded requests.
const test = base.extend<{ fake: FakeGemini }>({
  // eslint-disable-next-line no-empty-pattern
  fake: async ({}, use) => {
    const fake = await startFakeGemini();
    await use(fake);
    await fake.close();
  },
});

let dir = '';
let programs = 0;
beforeAll(async () => {
  // Programs live outside the project; a node_modules symlink lets them import the installed SDKs.
  dir = await mkdtemp(join(tmpdir(), 'fake-gemini-'));
  await symlink(fileURLToPath(new URL('../node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * Runs an .mjs program with `node --import preload.mjs` and env pointing at `fake`. The program gets an
 * `out(v)` helper that prints one JSON line; the parsed lines are returned. A failing program throws.
 */
async function outputs(fake: FakeGemini, source: string): Promise<any[]> {
  const file = join(dir, `program-${++programs}.mjs`);
  await writeFile(file, `const out = (v) => console.log(JSON.stringify(v));\n${source}`);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', PRELOAD, file], { env: fakeGeminiEnv(fake.url), timeout: 20_000 }, (err, out, stderr) =>
      err ? reject(new Error(`${file} failed: ${err.message}\n${stderr}`)) : resolve(out)));
  return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const legacy = (body: string) => `import { GoogleGenerativeAI, SchemaType } from '@google/generative-ai';
const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY);
${body}`;

const genai = (pkg: string, body: string) => `import { GoogleGenAI, Type } from '${pkg}';
const ai = new GoogleGenAI({}); // key and base URL from the environment
const MODEL = 'gemini-3-flash-preview';
${body}`;

// One conversation, expressed in each API: a system instruction, an image turn, then a document turn.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]).toString('base64');
const SYS = 'Be brief.';
const EXPECTED_CHAT = [
  '[sys: Be brief.] echo: What is this? [image/png 6 bytes]',
  '[sys: Be brief.] echo: And the document? [application/pdf https://files.example/doc-1] (turn 2; first: What is this? [image/png 6 bytes])',
];
const SCHEMA = `{
  type: 'object',
  properties: {
    name: { type: 'string' },
    rating: { type: 'integer' },
    kind: { type: 'string', enum: ['red', 'white'] },
    tags: { type: 'array', items: { type: 'string' } },
    ok: { type: 'boolean' },
  },
}`;
const EXPECTED_JSON = { name: 'echo: List a wine.', rating: 1, kind: 'red', tags: ['echo: List a wine.'], ok: true };
const WEATHER = `{ name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }`;

describe.concurrent('legacy @google/generative-ai 0.24.1 (through the preload)', () => {
  test('generateContent: text, usage and the request it sent', async ({ fake, expect }) => {
    const [r] = await outputs(fake, legacy(`
      const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash', systemInstruction: '${SYS}' });
      const { response } = await model.generateContent('Hello there');
      out({ text: response.text(), usage: response.usageMetadata });`));
    expect(r.text).toBe('[sys: Be brief.] echo: Hello there');
    expect(r.usage).toEqual({ promptTokenCount: 4, candidatesTokenCount: 6, totalTokenCount: 10 });
    const [req] = fake.requests;
    expect(req).toMatchObject({
      method: 'POST', path: '/v1beta/models/gemini-1.5-flash:generateContent', kind: 'generateContent', status: 200,
      headers: { 'x-goog-api-key': FAKE_API_KEY, 'x-goog-api-client': 'genai-js/0.24.1' },
      body: { contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }], systemInstruction: { parts: [{ text: SYS }] } },
    });
  });

  test('chat remembers its history; a stream joins to the same text', async ({ fake, expect }) => {
    const out = await outputs(fake, legacy(`
      const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
      const chat = model.startChat();
      out((await chat.sendMessage('one')).response.text());
      out((await chat.sendMessage('two')).response.text());
      const s = await chat.sendMessageStream('three four five six');
      const chunks = [];
      for await (const c of s.stream) chunks.push(c.text());
      out({ chunks, text: (await s.response).text() });`));
    expect(out.slice(0, 2)).toEqual(['echo: one', 'echo: two (turn 2; first: one)']);
    expect(out[2].chunks.length).toBeGreaterThan(1);
    expect(out[2].chunks.join('')).toBe('echo: three four five six (turn 3; first: one)');
    expect(out[2].text).toBe(out[2].chunks.join(''));
    expect(fake.requests.map((r) => r.body.contents.length)).toEqual([1, 3, 5]);
    expect(fake.requests[2]).toMatchObject({ kind: 'streamGenerateContent', query: { alt: 'sse' } });
  });

  test('chat with a system instruction and media parts (the conversation the genai tests migrate)', async ({ fake, expect }) => {
    const out = await outputs(fake, legacy(`
      const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash', systemInstruction: '${SYS}' });
      const chat = model.startChat();
      out((await chat.sendMessage(['What is this?', { inlineData: { mimeType: 'image/png', data: '${PNG}' } }])).response.text());
      out((await chat.sendMessage(['And the document?', { fileData: { mimeType: 'application/pdf', fileUri: 'https://files.example/doc-1' } }])).response.text());`));
    expect(out).toEqual(EXPECTED_CHAT);
  });

  test('function call round trip', async ({ fake, expect }) => {
    const out = await outputs(fake, legacy(`
      const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash', tools: [{ functionDeclarations: [${WEATHER}] }] });
      const chat = model.startChat();
      const r1 = await chat.sendMessage('call get_weather({"city":"Paris"})');
      const calls = r1.response.functionCalls();
      out(calls);
      const r2 = await chat.sendMessage(calls.map((c) => ({ functionResponse: { name: c.name, response: { city: c.args.city, tempC: 21 } } })));
      out(r2.response.text());`));
    expect(out).toEqual([[{ name: 'get_weather', args: { city: 'Paris' } }], 'result of get_weather: {"city":"Paris","tempC":21}']);
    expect(fake.requests[1]?.body.contents.at(-1)).toEqual({
      role: 'function', parts: [{ functionResponse: { name: 'get_weather', response: { city: 'Paris', tempC: 21 } } }],
    });
  });

  test('JSON mode, media parts and error injection', async ({ fake, expect }) => {
    const out = await outputs(fake, legacy(`
      const json = genAI.getGenerativeModel({ model: 'gemini-1.5-flash', generationConfig: { responseMimeType: 'application/json', responseSchema: ${SCHEMA} } });
      out(JSON.parse((await json.generateContent('List a wine.')).response.text()));
      const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
      const parts = ['What is this?', { inlineData: { mimeType: 'image/png', data: '${PNG}' } }, { fileData: { mimeType: 'application/pdf', fileUri: 'gs://b/x.pdf' } }];
      out((await model.generateContent(parts)).response.text());
      try { await model.generateContent('please fail 429'); out('no error'); }
      catch (e) { out({ name: e.constructor.name, status: e.status, message: e.message }); }`));
    expect(out[0]).toEqual(EXPECTED_JSON);
    expect(out[1]).toBe('echo: What is this? [image/png 6 bytes] [application/pdf gs://b/x.pdf]');
    expect(out[2]).toMatchObject({ name: 'GoogleGenerativeAIFetchError', status: 429 });
    expect(out[2].message).toContain('injected failure 429');
    expect(fake.requests.at(-1)?.status).toBe(429);
  });

  test('countTokens, embedContent and batchEmbedContents', async ({ fake, expect }) => {
    const [r] = await outputs(fake, legacy(`
      const model = genAI.getGenerativeModel({ model: 'text-embedding-004' });
      out({
        count: await model.countTokens('three small words'),
        one: (await model.embedContent('abc')).embedding.values,
        batch: (await model.batchEmbedContents({ requests: [{ content: { role: 'user', parts: [{ text: 'abc' }] } }, { content: { role: 'user', parts: [{ text: 'xyz' }] } }] })).embeddings.map((e) => e.values),
      });`));
    expect(r.count).toEqual({ totalTokens: 3 });
    expect(r.one).toEqual([0.097, 0.098, 0.099, 0, 0, 0, 0, 0]);
    expect(r.batch).toEqual([r.one, [0.12, 0.121, 0.122, 0, 0, 0, 0, 0]]);
    expect(fake.requests.map((q) => q.kind)).toEqual(['countTokens', 'embedContent', 'batchEmbedContents']);
  });
});

describe.concurrent.each([
  { pkg: '@google/genai', version: '3.3.0', apiVersion: 'v1' },
  { pkg: '@google/genai-2', version: '2.32.0', apiVersion: 'v1beta' },
])('$pkg $version', ({ pkg, version, apiVersion }) => {
  test('a migrated chat prints what the legacy chat printed', async ({ fake, expect }) => {
    const out = await outputs(fake, genai(pkg, `
      let previous_interaction_id;
      for (const input of [
        [{ type: 'text', text: 'What is this?' }, { type: 'image', mime_type: 'image/png', data: '${PNG}' }],
        [{ type: 'text', text: 'And the document?' }, { type: 'document', mime_type: 'application/pdf', uri: 'https://files.example/doc-1' }],
      ]) {
        const it = await ai.interactions.create({ model: MODEL, input, previous_interaction_id, system_instruction: '${SYS}' });
        previous_interaction_id = it.id;
        out({ id: it.id, text: it.output_text });
      }`));
    expect(out.map((o) => o.text)).toEqual(EXPECTED_CHAT); // the legacy chat's output, checked above
    const [first, second] = fake.requests.filter((r) => r.kind === 'interactions.create');
    expect(second?.path).toBe(`/${apiVersion}/interactions`);
    expect(second?.headers['x-goog-api-key']).toBe(FAKE_API_KEY);
    expect(second?.headers['user-agent']).toContain(`google-genai-sdk/${version}`);
    // The chained turn sends the id and only the new message, never the history.
    expect(second?.body.previous_interaction_id).toBe(out[0].id);
    expect(second?.body.input).toEqual([{ type: 'text', text: 'And the document?' }, expect.objectContaining({ type: 'document' })]);
    expect(second?.warnings).toEqual([]);
    expect(first?.body.previous_interaction_id).toBeUndefined();
  });

  test('a chain that forgets previous_interaction_id or system_instruction prints something else', async ({ fake, expect }) => {
    const out = await outputs(fake, genai(pkg, `
      const a = await ai.interactions.create({ model: MODEL, input: 'one', system_instruction: '${SYS}' });
      const b = await ai.interactions.create({ model: MODEL, input: 'two', previous_interaction_id: a.id });
      const c = await ai.interactions.create({ model: MODEL, input: 'two', system_instruction: '${SYS}' });
      out([a.output_text, b.output_text, c.output_text]);
      out(await ai.interactions.get(a.id).then((i) => i.output_text));
      try { await ai.interactions.create({ model: MODEL, input: 'x', previous_interaction_id: 'int_missing' }); }
      catch (e) { out({ name: e.name, status: e.status }); }
      try { await ai.interactions.create({ model: MODEL, input: 'x', previousInteractionId: a.id }); }
      catch (e) { out({ name: e.name, status: e.status, message: e.message }); }`));
    expect(out[0]).toEqual(['[sys: Be brief.] echo: one', 'echo: two (turn 2; first: one)', '[sys: Be brief.] echo: two']);
    expect(out[1]).toBe('[sys: Be brief.] echo: one');
    expect(out[2]).toEqual({ name: 'NotFoundError', status: 404 });
    expect(out[3]).toMatchObject({ name: 'BadRequestError', status: 400 });
    expect(out[3].message).toContain('previousInteractionId');
    expect(fake.requests[1]?.warnings).toEqual(['system_instruction not re-sent on a chained turn']);
    expect(fake.requests[3]).toMatchObject({ kind: 'interactions.get', method: 'GET', status: 200 });
  });

  test('a stream gives the unary text, starting in step.start', async ({ fake, expect }) => {
    const out = await outputs(fake, genai(pkg, `
      const unary = await ai.interactions.create({ model: MODEL, input: 'stream these five words please' });
      const events = await ai.interactions.create({ model: MODEL, input: 'stream these five words please', stream: true });
      let start = '', deltas = [], id, status;
      for await (const e of events) {
        if (e.event_type === 'step.start' && e.step.type === 'model_output') for (const b of e.step.content ?? []) start += b.text;
        else if (e.event_type === 'step.delta' && e.delta.type === 'text') deltas.push(e.delta.text);
        else if (e.event_type === 'interaction.completed') ({ id, status } = e.interaction);
      }
      out({ unary: unary.output_text, usage: unary.usage, start, deltas, id, status });
      const next = await ai.interactions.create({ model: MODEL, input: 'next', previous_interaction_id: id });
      out(next.output_text);`));
    const { unary, usage, start, deltas, status } = out[0];
    expect(unary).toBe('echo: stream these five words please');
    expect(usage).toMatchObject({ total_input_tokens: 5, total_output_tokens: 6, total_tokens: 11 });
    expect(deltas.length).toBeGreaterThan(1);
    expect(start + deltas.join('')).toBe(unary);
    expect(deltas.join('')).not.toBe(unary); // a deltas-only loop loses the beginning
    expect(status).toBe('completed');
    expect(out[1]).toBe('echo: next (turn 2; first: stream these five words please)');
    expect(fake.requests[1]?.headers.accept).toContain('text/event-stream');
  });

  test('function call round trip, checked by call_id', async ({ fake, expect }) => {
    const out = await outputs(fake, genai(pkg, `
      const tools = [{ type: 'function', ...${WEATHER} }];
      const it = await ai.interactions.create({ model: MODEL, input: 'call get_weather({"city":"Paris"})', tools });
      const calls = it.steps.filter((s) => s.type === 'function_call');
      out({ status: it.status, calls, text: it.output_text ?? null });
      const result = (call_id) => [{ type: 'function_result', call_id, name: 'get_weather', result: { city: 'Paris', tempC: 21 } }];
      try { await ai.interactions.create({ model: MODEL, previous_interaction_id: it.id, tools, input: result('call_wrong') }); }
      catch (e) { out({ name: e.name, status: e.status }); }
      const done = await ai.interactions.create({ model: MODEL, previous_interaction_id: it.id, tools, input: result(calls[0].id) });
      out({ status: done.status, text: done.output_text });
      // Streamed: the call arrives in step.start, its arguments as JSON fragments.
      const events = await ai.interactions.create({ model: MODEL, input: 'call get_weather({"city":"Oslo"})', tools, stream: true });
      let call, args = '', id;
      for await (const e of events) {
        if (e.event_type === 'step.start' && e.step.type === 'function_call') call = e.step;
        else if (e.event_type === 'step.delta' && e.delta.type === 'arguments_delta') args += e.delta.arguments;
        else if (e.event_type === 'interaction.completed') id = e.interaction.id;
      }
      // This result turn forgets the tools: still answered, but recorded as a warning.
      const noTools = await ai.interactions.create({ model: MODEL, previous_interaction_id: id, input: [{ type: 'function_result', call_id: call.id, result: 'sunny' }] });
      out({ name: call.name, args: JSON.parse(args), text: noTools.output_text });`));
    const [first, wrong, done, streamed] = out;
    expect(first.status).toBe('requires_action');
    expect(first.text).toBeNull();
    expect(first.calls).toEqual([{ type: 'function_call', id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: { city: 'Paris' } }]);
    expect(wrong).toEqual({ name: 'BadRequestError', status: 400 });
    expect(done).toEqual({ status: 'completed', text: 'result of get_weather: {"city":"Paris","tempC":21}' });
    expect(streamed).toEqual({ name: 'get_weather', args: { city: 'Oslo' }, text: 'result of get_weather: "sunny"' });
    const creates = fake.requests.filter((r) => r.kind === 'interactions.create');
    expect(creates.map((r) => r.status)).toEqual([200, 400, 200, 200, 200]);
    expect(creates[2]?.body).toMatchObject({ tools: [{ type: 'function', name: 'get_weather' }], input: [{ call_id: first.calls[0].id }] });
    expect(creates[2]?.warnings).toEqual([]);
    expect(creates[4]?.warnings).toContain('function_result sent without tools (tools are turn-scoped)');
  });

  test('JSON mode, error injection and usage match the legacy protocol', async ({ fake, expect }) => {
    const out = await outputs(fake, genai(pkg, `
      const it = await ai.interactions.create({ model: MODEL, input: 'List a wine.', response_format: { type: 'text', mime_type: 'application/json', schema: ${SCHEMA} } });
      out(JSON.parse(it.output_text));
      try { await ai.interactions.create({ model: MODEL, input: 'please fail 503' }, { maxRetries: 0 }); }
      catch (e) { out({ name: e.name, status: e.status, message: e.message }); }
      try { await ai.interactions.create({ model: MODEL, input: 'x', response_format: ${SCHEMA} }); }
      catch (e) { out({ name: e.name, status: e.status }); }`));
    expect(out[0]).toEqual(EXPECTED_JSON);
    expect(out[1]).toEqual({ name: 'InternalServerError', status: 503, message: '503 fake-gemini: injected failure 503' });
    expect(out[2]).toEqual({ name: 'BadRequestError', status: 400 }); // a raw schema is not a response_format
    expect(fake.requests.map((r) => r.status)).toEqual([200, 503, 400]);
  });

  test('old ai.models / ai.chats API: same text as the legacy SDK', async ({ fake, expect }) => {
    const out = await outputs(fake, genai(pkg, `
      const r = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hello there', config: { systemInstruction: '${SYS}' } });
      out({ text: r.text, usage: r.usageMetadata });
      const chunks = [];
      for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'stream these five words please' })) chunks.push(c.text);
      out(chunks);
      const chat = ai.chats.create({ model: 'gemini-2.5-flash' });
      await chat.sendMessage({ message: 'one' });
      out((await chat.sendMessage({ message: 'two' })).text);
      const json = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'List a wine.', config: { responseMimeType: 'application/json', responseSchema: {
        type: Type.OBJECT, properties: { name: { type: Type.STRING }, rating: { type: Type.INTEGER }, kind: { type: Type.STRING, enum: ['red', 'white'] }, tags: { type: Type.ARRAY, items: { type: Type.STRING } }, ok: { type: Type.BOOLEAN } } } } });
      out(JSON.parse(json.text));
      out((await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'three small words' })).totalTokens);
      out((await ai.models.embedContent({ model: 'text-embedding-004', contents: 'abc' })).embeddings.map((e) => e.values));
      try { await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'fail 403' }); }
      catch (e) { out({ name: e.name, status: e.status }); }`));
    expect(out[0]).toEqual({ text: '[sys: Be brief.] echo: Hello there', usage: { promptTokenCount: 4, candidatesTokenCount: 6, totalTokenCount: 10 } });
    expect(out[1].length).toBeGreaterThan(1);
    expect(out[1].join('')).toBe('echo: stream these five words please');
    expect(out[2]).toBe('echo: two (turn 2; first: one)');
    expect(out[3]).toEqual(EXPECTED_JSON); // UPPERCASE genai Type names
    expect(out[4]).toBe(3);
    expect(out[5]).toEqual([[0.097, 0.098, 0.099, 0, 0, 0, 0, 0]]);
    expect(out[6]).toEqual({ name: 'ApiError', status: 403 });
    expect(fake.requests[0]?.path).toBe(`/${apiVersion}/models/gemini-2.5-flash:generateContent`);
    // genai's embedContent goes to batchEmbedContents on the Gemini API.
    expect(fake.requests.map((r) => r.kind)).toContain('batchEmbedContents');
  });
});

describe.concurrent('preload and start.mjs', () => {
  test('the preload refuses any non-loopback network access', async ({ fake, expect }) => {
    const out = await outputs(fake, `
      import http from 'node:http';
      try { await fetch('https://example.com/'); out('fetched'); } catch (e) { out(e.message); }
      await new Promise((resolve) => http.get('http://93.184.216.34/', () => resolve(out('connected')))
        .on('error', (e) => resolve(out(e.message))));
      const res = await fetch('${fake.url}/v1/interactions/int_missing', { headers: { 'x-goog-api-key': 'k' } });
      out(res.status);`);
    expect(out).toEqual([
      'fake-gemini preload: network access blocked: https://example.com/',
      'fake-gemini preload: network access blocked: tcp 93.184.216.34:80',
      404,
    ]);
  });

  test('start.mjs runs a program against a fresh server', async ({ fake, expect }) => {
    const start = fileURLToPath(new URL('./fake-gemini/start.mjs', import.meta.url));
    const file = join(dir, 'via-start.mjs');
    await writeFile(file, legacy(`
      const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
      console.log((await model.generateContent('via start')).response.text());`));
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [start, '--', process.execPath, file], { env: fakeGeminiEnv(fake.url) }, (err, out) => (err ? reject(err) : resolve(out))));
    expect(stdout).toBe('echo: via start\n');
    expect(fake.requests).toEqual([]); // it used its own server
  });

  test('options: no user_input echo, all text in step.delta', async ({ expect }) => {
    const fake = await startFakeGemini({ echoUserInput: false, textInStepStart: false });
    try {
      const post = (body: object) =>
        fetch(`${fake.url}/v1beta/interactions`, { method: 'POST', headers: { 'x-goog-api-key': 'k' }, body: JSON.stringify({ model: 'm', ...body }) });
      const unary = (await (await post({ input: 'hi there you all' })).json()) as { id: string; steps: unknown[] };
      expect(unary.steps).toEqual([{ type: 'model_output', content: [{ type: 'text', text: 'echo: hi there you all' }] }]);
      const sse = await (await post({ input: 'hi there you all', stream: true })).text();
      const events = sse.split('\n\n').filter(Boolean).map((e) => JSON.parse(e.replace(/^data: /, '')));
      expect(events.map((e) => e.event_type)).toEqual([
        'interaction.created', 'step.start', 'step.delta', 'step.delta', 'step.delta', 'step.stop', 'interaction.completed',
      ]);
      expect(events[1].step.content).toEqual([]);
      expect(events.filter((e) => e.event_type === 'step.delta').map((e) => e.delta.text).join('')).toBe('echo: hi there you all');
      expect((await fetch(`${fake.url}/v1beta/interactions/${unary.id}`)).status).toBe(401); // no API key
      const recorded = (await fetch(`${fake.url}/__fake/requests`).then((r) => r.json())) as RecordedRequest[];
      expect(recorded.map((r) => r.status)).toEqual([200, 200, 401]);
    } finally {
      await fake.close();
    }
  });
});

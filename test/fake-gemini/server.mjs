// @ts-check
// A fake Gemini server for tests: the legacy REST API (`models/*:generateContent` and friends, used by
// @google/generative-ai and by @google/genai's `ai.models`) and the Interactions API (`/interactions`).
// Plain JS with types in server.d.mts, so vitest and a bare `node` (start.mjs) load it without a build.
// Replies come from model.mjs and depend only on the request (and, for Interactions, the stored chain).
import http from 'node:http';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { reply, inputTokens, countWords, chunks, embed } from './model.mjs';

/** @typedef {import('./model.mjs').Turn} Turn @typedef {import('./model.mjs').Part} Part */
/** @typedef {import('./model.mjs').Reply} Reply @typedef {import('./model.mjs').Conversation} Conversation */
/** @typedef {import('./server.d.mts').RecordedRequest} RecordedRequest */
/** @typedef {import('./server.d.mts').FakeGeminiOptions} FakeGeminiOptions */
/** What a handler answers: a JSON body (with a status) or a list of SSE events. @typedef {{ status?: number, json: unknown } | { events: unknown[] }} Answer */
/** A stored interaction: the public object, its input, and the conversation up to and including its output. @typedef {{ interaction: any, input: unknown, turns: Turn[] }} Stored */

export const PRELOAD = fileURLToPath(new URL('./preload.mjs', import.meta.url));
export const FAKE_API_KEY = 'fake-gemini-key';
const CREATED = '2026-01-01T00:00:00Z'; // fixed, so whole responses are deterministic

/** Env for a child program: genai finds the server by GOOGLE_GEMINI_BASE_URL, the preload by FAKE_GEMINI_URL. */
export function fakeGeminiEnv(/** @type {string} */ url, base = process.env) {
  return {
    ...base,
    FAKE_GEMINI_URL: url,
    GOOGLE_GEMINI_BASE_URL: url,
    GEMINI_API_KEY: FAKE_API_KEY,
    // Unset anything that would steer genai elsewhere (another key, Vertex, another API version).
    GOOGLE_API_KEY: undefined,
    GOOGLE_GENAI_USE_VERTEXAI: undefined,
    GOOGLE_GENAI_USE_ENTERPRISE: undefined,
    GOOGLE_VERTEX_BASE_URL: undefined,
    GOOGLE_GENAI_API_VERSION: undefined,
    GOOGLE_CLOUD_PROJECT: undefined,
    GOOGLE_CLOUD_LOCATION: undefined,
  };
}

class HttpError extends Error {
  constructor(/** @type {number} */ status, /** @type {string} */ message) {
    super(message);
    this.status = status;
  }
}

const STATUS_NAMES = /** @type {Record<number, string>} */ ({
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
});
/** Google's error body. Both protocols use it; both SDKs read `error.message` from it. */
const errorBody = (/** @type {number} */ code, /** @type {string} */ message) => ({
  error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' },
});
const hash = (/** @type {unknown} */ v) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/** @param {FakeGeminiOptions} [options] */
export async function startFakeGemini(options = {}) {
  const opts = { echoUserInput: true, textInStepStart: true, requireApiKey: true, ...options };
  /** @type {RecordedRequest[]} */
  const requests = [];
  /** @type {Map<string, Stored>} */
  const store = new Map();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = Buffer.concat(await req.toArray()).toString('utf8');
    /** @type {RecordedRequest} */
    const rec = {
      method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams),
      headers: /** @type {Record<string, string>} */ ({ ...req.headers }), body: undefined, kind: 'unknown',
      status: 0, warnings: [],
    };
    /** @type {Answer} */
    let answer;
    // Control endpoints for a server in another process (start.mjs); not recorded.
    if (url.pathname === '/__fake/requests') answer = { json: requests };
    else if (url.pathname === '/__fake/reset') answer = (reset(), { json: {} });
    else {
      requests.push(rec);
      try {
        answer = route(rec, raw);
      } catch (err) {
        const status = err instanceof HttpError ? err.status : 500;
        answer = { status, json: errorBody(status, err instanceof Error ? err.message : String(err)) };
      }
    }
    if ('events' in answer) {
      // SSE: one `data:` line per event, which is how both SDKs parse it.
      rec.status = 200;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(answer.events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join(''));
    } else {
      rec.status = answer.status ?? 200;
      res.writeHead(rec.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer.json));
    }
  });

  /** @returns {Answer} */
  function route(/** @type {RecordedRequest} */ rec, /** @type {string} */ raw) {
    try {
      rec.body = raw ? JSON.parse(raw) : undefined;
    } catch {
      throw new HttpError(400, 'Invalid JSON payload received.');
    }
    if (opts.requireApiKey && !rec.headers['x-goog-api-key'] && !rec.query['key']) {
      throw new HttpError(401, 'API key not valid. Please pass a valid API key.');
    }
    const legacy = /^\/v\w+\/((?:models|tunedModels)\/[^/:]+):(\w+)$/.exec(rec.path);
    if (legacy && rec.method === 'POST') {
      rec.kind = /** @type {RecordedRequest['kind']} */ (legacy[2]);
      return legacyAnswer(rec.kind, /** @type {string} */ (legacy[1]), rec.body ?? {});
    }
    const interactions = /^\/v\w+\/interactions(?:\/([^/]+))?$/.exec(rec.path);
    if (interactions && rec.method === 'POST' && !interactions[1]) {
      rec.kind = 'interactions.create';
      return createInteraction(rec.body ?? {}, rec.warnings);
    }
    if (interactions && rec.method === 'GET' && interactions[1]) {
      rec.kind = 'interactions.get';
      const found = store.get(decodeURIComponent(interactions[1]));
      if (!found) throw new HttpError(404, `Interaction ${interactions[1]} not found.`);
      if (rec.query['stream'] === 'true') throw new HttpError(400, 'fake-gemini: streaming get() is not supported.');
      return { json: rec.query['include_input'] === 'true' ? { ...found.interaction, input: found.input } : found.interaction };
    }
    throw new HttpError(404, `fake-gemini: no route for ${rec.method} ${rec.path}`);
  }

  /** POST /{version}/interactions @returns {Answer} */
  function createInteraction(/** @type {any} */ body, /** @type {string[]} */ warnings) {
    validateCreate(body);
    const prevId = body.previous_interaction_id;
    const prev = prevId === undefined ? undefined : store.get(prevId);
    if (prevId !== undefined && !prev) throw new HttpError(404, `Interaction ${prevId} not found.`);
    const newTurns = inputTurns(body.input);
    checkCallIds(prev?.turns ?? [], newTurns);
    if (newTurns.some((t) => t.role === 'function') && !body.tools) {
      warnings.push('function_result sent without tools (tools are turn-scoped)');
    }
    // Turn-scoped parameters are not inherited along the chain (§5 P1); note the ones a chained turn dropped.
    for (const key of ['system_instruction', 'tools', 'generation_config', 'response_format', 'safety_settings']) {
      if (prev?.interaction[key] !== undefined && body[key] === undefined) warnings.push(`${key} not re-sent on a chained turn`);
    }

    const json = [body.response_format ?? []].flat().find((f) => f.type === 'text' && f.mime_type === 'application/json');
    /** @type {Conversation} */
    const conv = {
      system: body.system_instruction,
      turns: [...(prev?.turns ?? []), ...newTurns],
      tools: (body.tools ?? []).flatMap((/** @type {any} */ t) => (t?.type === 'function' && t.name ? [t.name] : [])),
      json: json ? { schema: json.schema } : body.response_mime_type === 'application/json' ? {} : undefined,
    };
    const r = reply(conv);
    if (r.kind === 'error') throw new HttpError(r.status, r.message);

    const { stream, store: keep, input, ...echoed } = body;
    const id = `int_${hash([input ?? null, echoed])}`; // same request, same id
    /** @type {Part} */
    const outPart = r.kind === 'call' ? { call: { id: `call_${hash([id, r.name])}`, name: r.name, args: r.args } } : { text: r.text };
    const outStep = 'call' in outPart
      ? { type: 'function_call', id: outPart.call.id, name: outPart.call.name, arguments: outPart.call.args }
      : { type: 'model_output', content: [{ type: 'text', text: r.kind === 'text' ? r.text : '' }] };
    const interaction = {
      id, status: r.kind === 'call' ? 'requires_action' : 'completed', ...echoed, created: CREATED, updated: CREATED,
      steps: [...(opts.echoUserInput ? userInputSteps(input) : []), outStep],
      usage: usage(conv, r, 'total_input_tokens', 'total_output_tokens', 'total_tokens'),
    };
    if (keep !== false) store.set(id, { interaction, input, turns: [...conv.turns, { role: 'model', parts: [outPart] }] });
    return stream ? { events: interactionEvents(interaction, outStep, opts.textInStepStart) } : { json: interaction };
  }

  function reset() {
    requests.length = 0;
    store.clear();
  }

  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve(undefined));
    }),
  };
}

/** Usage in a protocol's field names: input = words of the conversation, output = words of the reply. */
function usage(/** @type {Conversation} */ conv, /** @type {Reply} */ r, /** @type {string[]} */ ...[inKey = '', outKey = '', totalKey = '']) {
  const input = inputTokens(conv);
  const output = countWords(r.kind === 'text' ? r.text : r.kind === 'call' ? `${r.name} ${JSON.stringify(r.args)}` : '');
  return { [inKey]: input, [outKey]: output, [totalKey]: input + output };
}

// ---- legacy REST: POST /{version}/models/{model}:{method} ----

/** @returns {Answer} */
function legacyAnswer(/** @type {string} */ method, /** @type {string} */ model, /** @type {any} */ body) {
  switch (method) {
    case 'countTokens':
      // The legacy SDK wraps the request in generateContentRequest; genai sends bare `contents`.
      return { json: { totalTokens: inputTokens(legacyConversation(body.generateContentRequest ?? body)) } };
    case 'embedContent':
      return { json: { embedding: { values: embed(contentText(body.content) ?? '', body.outputDimensionality) } } };
    case 'batchEmbedContents': {
      const embeddings = (body.requests ?? []).map((/** @type {any} */ r) => ({
        values: embed(contentText(r.content) ?? '', r.outputDimensionality),
      }));
      return { json: { embeddings } };
    }
    case 'generateContent':
    case 'streamGenerateContent': {
      const conv = legacyConversation(body);
      const r = reply(conv);
      if (r.kind === 'error') throw new HttpError(r.status, r.message);
      const usageMetadata = usage(conv, r, 'promptTokenCount', 'candidatesTokenCount', 'totalTokenCount');
      const response = (/** @type {unknown} */ part, last = true) => ({
        candidates: [{ content: { role: 'model', parts: [part] }, index: 0, ...(last && { finishReason: 'STOP' }) }],
        ...(last && { usageMetadata }), // only on the last chunk: both SDKs keep the last one they see
        modelVersion: model.replace(/^models\//, ''),
      });
      if (r.kind === 'call') {
        const json = response({ functionCall: { name: r.name, args: r.args } });
        return method === 'generateContent' ? { json } : { events: [json] };
      }
      if (method === 'generateContent') return { json: response({ text: r.text }) };
      const parts = chunks(r.text);
      return { events: parts.map((text, i) => response({ text }, i === parts.length - 1)) };
    }
    default:
      throw new HttpError(404, `fake-gemini: unsupported method ${method}`);
  }
}

/** @returns {Conversation} */
function legacyConversation(/** @type {any} */ body) {
  const config = body.generationConfig ?? {};
  return {
    system: typeof body.systemInstruction === 'string' ? body.systemInstruction : contentText(body.systemInstruction),
    turns: (body.contents ?? []).map(legacyTurn),
    tools: (body.tools ?? []).flatMap((/** @type {any} */ t) => (t.functionDeclarations ?? []).map((/** @type {any} */ d) => d.name)),
    // responseSchema (OpenAPI subset, either case) or genai's responseJsonSchema.
    json: config.responseMimeType === 'application/json' ? { schema: config.responseSchema ?? config.responseJsonSchema } : undefined,
  };
}

/** @returns {Turn} */
function legacyTurn(/** @type {any} */ content) {
  /** @type {Part[]} */
  const parts = (content.parts ?? []).flatMap(legacyPart);
  // Function responses come with role 'function' from the legacy SDK and role 'user' from genai.
  const role = content.role === 'model' ? 'model' : parts.length && parts.every((p) => 'result' in p) ? 'function' : 'user';
  return { role, parts };
}

/** @returns {Part[]} */
function legacyPart(/** @type {any} */ p) {
  if (p.thought) return [];
  if (typeof p.text === 'string') return [{ text: p.text }];
  if (p.inlineData) return [{ media: { mime: p.inlineData.mimeType, bytes: Buffer.from(p.inlineData.data ?? '', 'base64').length } }];
  if (p.fileData) return [{ media: { mime: p.fileData.mimeType, uri: p.fileData.fileUri } }];
  const { functionCall: call, functionResponse: result } = p;
  if (call) return [{ call: { id: call.id, name: call.name, args: call.args ?? {} } }];
  if (result) return [{ result: { id: result.id, name: result.name, response: result.response } }];
  return [];
}

/** The text parts of a legacy Content (or of a single Part), joined by spaces. */
function contentText(/** @type {any} */ content) {
  if (!content) return undefined;
  return (content.parts ?? [content]).flatMap((/** @type {any} */ p) => (typeof p.text === 'string' ? [p.text] : [])).join(' ');
}

// ---- Interactions ----

// Top-level fields of CreateModelInteraction / CreateAgentInteraction (genai.d.ts 3.3.0 lines 3207, 2616).
const CREATE_FIELDS = new Set([
  'model', 'agent', 'agent_config', 'input', 'previous_interaction_id', 'system_instruction', 'generation_config',
  'tools', 'response_format', 'response_mime_type', 'response_modalities', 'safety_settings', 'stream', 'store',
  'background', 'continuation_token', 'cached_content', 'labels', 'service_tier', 'environment', 'webhook_config',
]);
// GenerationConfig_2 (genai.d.ts 3.3.0 line 7253).
const GENERATION_CONFIG_FIELDS = new Set([
  'temperature', 'top_p', 'seed', 'stop_sequences', 'max_output_tokens', 'thinking_level', 'thinking_summaries',
  'tool_choice', 'speech_config', 'image_config', 'video_config', 'transcription_config',
]);
const CONTENT_TYPES = new Set(['text', 'image', 'audio', 'document', 'video']);

/**
 * Rejects unknown fields, as Google's APIs do. The SDK sends whatever it is given, so a camelCase
 * `previousInteractionId` from a JS program would otherwise be ignored and the chat would just forget.
 */
function validateCreate(/** @type {any} */ body) {
  const unknown = (/** @type {string} */ key, where = '') =>
    new HttpError(400, `Invalid JSON payload received. Unknown name "${key}"${where}: Cannot find field.`);
  for (const key of Object.keys(body)) if (!CREATE_FIELDS.has(key)) throw unknown(key);
  for (const key of Object.keys(body.generation_config ?? {})) {
    if (!GENERATION_CONFIG_FIELDS.has(key)) throw unknown(key, " at 'generation_config'");
  }
  if (!body.model && !body.agent) throw new HttpError(400, 'model is required.');
  // A raw JSON schema passed as response_format type-checks (§5 P9) but is not one.
  for (const f of [body.response_format ?? []].flat()) {
    if (!['text', 'image', 'audio', 'video'].includes(f?.type)) {
      throw new HttpError(400, `response_format.type must be text, image, audio or video; got ${JSON.stringify(f?.type)}.`);
    }
  }
}

/** `input` is a string, one Content block, Content[] (one user turn) or Step[] (a transcript). */
function inputTurns(/** @type {unknown} */ input) {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [/** @type {Turn} */ ({ role: 'user', parts: [{ text: input }] })];
  const items = /** @type {any[]} */ ([input].flat());
  const contents = items.filter((i) => CONTENT_TYPES.has(i?.type)).length;
  if (contents === items.length) return [/** @type {Turn} */ ({ role: 'user', parts: items.map(contentPart) })];
  if (contents > 0) throw new HttpError(400, 'input must hold only Content blocks or only Steps, not both.');
  /** @type {Turn[]} */
  const turns = [];
  const push = (/** @type {Turn['role']} */ role, /** @type {Part[]} */ parts) => {
    const last = turns.at(-1);
    if (last?.role === role && role !== 'user') last.parts.push(...parts); // a model turn may span several steps
    else turns.push({ role, parts });
  };
  for (const step of items) {
    if (step?.type === 'user_input') push('user', (step.content ?? []).map(contentPart));
    else if (step?.type === 'model_output') push('model', (step.content ?? []).map(contentPart));
    else if (step?.type === 'function_call') push('model', [{ call: { id: step.id, name: step.name, args: step.arguments ?? {} } }]);
    else if (step?.type === 'function_result') push('function', [{ result: { id: step.call_id, name: step.name, response: step.result } }]);
    else if (step?.type !== 'thought') throw new HttpError(400, `fake-gemini: unsupported input step type ${JSON.stringify(step?.type)}.`);
  }
  return turns;
}

/** @returns {Part} */
function contentPart(/** @type {any} */ c) {
  if (c?.type === 'text') return { text: String(c.text ?? '') };
  if (!CONTENT_TYPES.has(c?.type)) throw new HttpError(400, `Unknown content type ${JSON.stringify(c?.type)}.`);
  if (!c.mime_type) throw new HttpError(400, `${c.type} content needs mime_type.`);
  if (c.uri !== undefined) return { media: { mime: c.mime_type, uri: c.uri } };
  return { media: { mime: c.mime_type, bytes: Buffer.from(c.data ?? '', 'base64').length } };
}

/** The steps a unary response echoes for its input (the docs disagree whether the real one does; §6 Q3). */
function userInputSteps(/** @type {unknown} */ input) {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [{ type: 'user_input', content: [{ type: 'text', text: input }] }];
  const items = /** @type {any[]} */ ([input].flat());
  return items.every((i) => CONTENT_TYPES.has(i?.type)) ? [{ type: 'user_input', content: items }] : items;
}

/** Every new function_result must answer a still-pending function_call by call_id; fills in a missing name. */
function checkCallIds(/** @type {Turn[]} */ history, /** @type {Turn[]} */ newTurns) {
  const pending = new Map();
  const visit = (/** @type {Part} */ p, /** @type {boolean} */ strict) => {
    if ('call' in p) pending.set(p.call.id, p.call.name);
    if (!('result' in p)) return;
    if (strict && !pending.has(p.result.id)) {
      const ids = JSON.stringify([...pending.keys()]);
      throw new HttpError(400, `function_result call_id ${JSON.stringify(p.result.id)} matches no pending function_call (pending: ${ids}).`);
    }
    p.result.name ??= pending.get(p.result.id);
    pending.delete(p.result.id);
  };
  for (const t of history) for (const p of t.parts) visit(p, false);
  for (const t of newTurns) for (const p of t.parts) visit(p, true);
}

/**
 * The SSE events of a streamed create. Text is split over step.start and step.delta: by default the first
 * chunk rides in step.start, as the real service may do (§1.4), so a loop that reads only deltas loses it.
 * A function call's arguments arrive as JSON string fragments (`arguments_delta`).
 */
function interactionEvents(/** @type {any} */ interaction, /** @type {any} */ step, /** @type {boolean} */ textInStepStart) {
  const { id, status, model, usage: totals } = interaction;
  const head = { id, status: 'in_progress', model, created: CREATED };
  /** @type {Record<string, unknown>[]} */
  const events = [{ event_type: 'interaction.created', interaction: head }];
  if (step.type === 'function_call') {
    const json = JSON.stringify(step.arguments);
    const half = Math.ceil(json.length / 2);
    events.push({ event_type: 'step.start', index: 0, step: { ...step, arguments: {} } });
    for (const part of [json.slice(0, half), json.slice(half)]) {
      events.push({ event_type: 'step.delta', index: 0, delta: { type: 'arguments_delta', arguments: part } });
    }
  } else {
    const texts = chunks(step.content[0].text);
    const inStart = textInStepStart ? texts.splice(0, 1) : [];
    events.push({ event_type: 'step.start', index: 0, step: { type: 'model_output', content: inStart.map((text) => ({ type: 'text', text })) } });
    for (const text of texts) events.push({ event_type: 'step.delta', index: 0, delta: { type: 'text', text } });
  }
  events.push({ event_type: 'step.stop', index: 0 });
  events.push({ event_type: 'interaction.completed', interaction: { ...head, status, updated: CREATED, usage: totals } });
  return events.map((e, i) => ({ ...e, event_id: `${id}:${i}` }));
}

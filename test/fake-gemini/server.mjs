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
    // Unset anything that would steer genai elsewhere (Vertex, another key or API version).
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
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND',
  409: 'ABORTED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
});
/** Google's error body; both protocols (and both SDKs' error parsers) use this shape. */
const errorBody = (/** @type {number} */ code, /** @type {string} */ message) => ({
  error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' },
});
const hash = (/** @type {unknown} */ v) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/** @param {FakeGeminiOptions} [options] */
export async function startFakeGemini(options = {}) {
  const opts = { echoUserInput: true, textInStepStart: true, requireApiKey: true, ...options };
  /** @type {RecordedRequest[]} */
  const requests = [];
  /** Stored interactions: the public object plus the whole conversation up to and including its output. */
  const store = new Map(/** @type {[string, { interaction: any, input: unknown, turns: Turn[] }][]} */ ([]));

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    /** @type {RecordedRequest} */
    const rec = {
      method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams),
      headers: /** @type {Record<string, string>} */ ({ ...req.headers }), body: undefined, kind: 'unknown',
      status: 0, warnings: [],
    };
    const send = (/** @type {number} */ status, /** @type {unknown} */ body) => {
      rec.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    try {
      const raw = Buffer.concat(await req.toArray()).toString('utf8');
      // Control endpoints for a server in another process (start.mjs); not recorded.
      if (url.pathname === '/__fake/requests') return send(200, requests);
      if (url.pathname === '/__fake/reset') return (reset(), send(200, {}));
      requests.push(rec);
      try {
        rec.body = raw ? JSON.parse(raw) : undefined;
      } catch {
        throw new HttpError(400, 'Invalid JSON payload received.');
      }
      if (opts.requireApiKey && !req.headers['x-goog-api-key'] && !url.searchParams.get('key')) {
        throw new HttpError(401, 'API key not valid. Please pass a valid API key.');
      }
      const legacy = /^\/v\w+\/((?:models|tunedModels)\/[^/:]+):(\w+)$/.exec(url.pathname);
      const interaction = /^\/v\w+\/interactions(?:\/([^/]+))?$/.exec(url.pathname);
      if (legacy && req.method === 'POST') {
        rec.kind = /** @type {RecordedRequest['kind']} */ (legacy[2]);
        return handleLegacy(rec, /** @type {string} */ (legacy[1]), send, res);
      }
      if (interaction && req.method === 'POST' && !interaction[1]) {
        rec.kind = 'interactions.create';
        return handleCreate(rec, send, res);
      }
      if (interaction && req.method === 'GET' && interaction[1]) {
        rec.kind = 'interactions.get';
        const found = store.get(decodeURIComponent(interaction[1]));
        if (!found) throw new HttpError(404, `Interaction ${interaction[1]} not found.`);
        return send(200, url.searchParams.get('include_input') === 'true' ? { ...found.interaction, input: found.input } : found.interaction);
      }
      throw new HttpError(404, `fake-gemini: no route for ${req.method} ${url.pathname}`);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (!res.headersSent) send(status, errorBody(status, err instanceof Error ? err.message : String(err)));
      else res.end();
    }
  });

  /** SSE: one `data:` line per event, as both SDKs parse it. */
  const sendEvents = (/** @type {RecordedRequest} */ rec, /** @type {http.ServerResponse} */ res, /** @type {unknown[]} */ events) => {
    rec.status = 200;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const e of events) res.write(`data: ${JSON.stringify(e)}\n\n`);
    res.end();
  };

  // ---- legacy REST: models/{model}:{task} ----

  /** @param {RecordedRequest} rec @param {string} modelName @param {(s: number, b: unknown) => void} send @param {http.ServerResponse} res */
  function handleLegacy(rec, modelName, send, res) {
    const body = rec.body ?? {};
    switch (rec.kind) {
      case 'countTokens':
        // Legacy SDK wraps the request in generateContentRequest; genai sends bare `contents`.
        return send(200, { totalTokens: inputTokens(legacyConversation(body.generateContentRequest ?? body)) });
      case 'embedContent':
        return send(200, { embedding: { values: embed(contentText(body.content), body.outputDimensionality) } });
      case 'batchEmbedContents':
        return send(200, {
          embeddings: (body.requests ?? []).map((/** @type {any} */ r) => ({ values: embed(contentText(r.content), r.outputDimensionality) })),
        });
      case 'generateContent':
      case 'streamGenerateContent': {
        const conv = legacyConversation(body);
        const r = reply(conv);
        if (r.kind === 'error') throw new HttpError(r.status, r.message);
        const usageMetadata = usage(conv, r, 'promptTokenCount', 'candidatesTokenCount', 'totalTokenCount');
        const candidate = (/** @type {unknown[]} */ parts, last = true) => ({
          content: { role: 'model', parts }, index: 0, ...(last && { finishReason: 'STOP' }),
        });
        if (r.kind === 'call') {
          const response = { candidates: [candidate([{ functionCall: { name: r.name, args: r.args } }])], usageMetadata, modelVersion: modelName };
          return rec.kind === 'generateContent' ? send(200, response) : sendEvents(rec, res, [response]);
        }
        if (rec.kind === 'generateContent') {
          return send(200, { candidates: [candidate([{ text: r.text }])], usageMetadata, modelVersion: modelName });
        }
        // Usage only on the last chunk: both SDKs keep the last one they see.
        const parts = chunks(r.text);
        return sendEvents(rec, res, parts.map((text, i) => {
          const last = i === parts.length - 1;
          return { candidates: [candidate([{ text }], last)], ...(last && { usageMetadata }), modelVersion: modelName };
        }));
      }
      default:
        throw new HttpError(404, `fake-gemini: unsupported method ${rec.kind}`);
    }
  }

  // ---- Interactions: POST /{version}/interactions ----

  /** @param {RecordedRequest} rec @param {(s: number, b: unknown) => void} send @param {http.ServerResponse} res */
  function handleCreate(rec, send, res) {
    const body = rec.body ?? {};
    // Unknown fields are rejected, as the real API does: a camelCase `previousInteractionId` must not be
    // silently ignored (the chat would just forget).
    for (const key of Object.keys(body)) if (!CREATE_FIELDS.has(key)) throw new HttpError(400, `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
    for (const key of Object.keys(body.generation_config ?? {})) if (!GENERATION_CONFIG_FIELDS.has(key)) throw new HttpError(400, `Invalid JSON payload received. Unknown name "${key}" at 'generation_config': Cannot find field.`);
    if (!body.model && !body.agent) throw new HttpError(400, 'model is required.');
    const formats = [body.response_format ?? []].flat();
    for (const f of formats) if (!['text', 'image', 'audio', 'video'].includes(f?.type)) throw new HttpError(400, `response_format.type must be text, image, audio or video; got ${JSON.stringify(f?.type)}.`);

    const prevId = body.previous_interaction_id;
    const prev = prevId === undefined ? undefined : store.get(prevId);
    if (prevId !== undefined && !prev) throw new HttpError(404, `Interaction ${prevId} not found.`);
    const history = prev?.turns ?? [];
    const newTurns = inputTurns(body.input);
    checkCallIds(history, newTurns);
    if (newTurns.some((t) => t.role === 'function') && !body.tools) rec.warnings.push('function_result sent without tools (tools are turn-scoped)');
    // Turn-scoped parameters are not inherited along the chain; note the ones a chained turn dropped.
    for (const key of ['system_instruction', 'tools', 'generation_config', 'response_format', 'safety_settings']) {
      if (prev?.interaction[key] !== undefined && body[key] === undefined) rec.warnings.push(`${key} not re-sent on a chained turn`);
    }

    const jsonFormat = formats.find((f) => f.type === 'text' && f.mime_type === 'application/json');
    /** @type {Conversation} */
    const conv = {
      system: body.system_instruction,
      turns: [...history, ...newTurns],
      tools: (body.tools ?? []).flatMap((/** @type {any} */ t) => (t?.type === 'function' && t.name ? [t.name] : [])),
      json: jsonFormat ? { schema: jsonFormat.schema } : body.response_mime_type === 'application/json' ? {} : undefined,
    };
    const r = reply(conv);
    if (r.kind === 'error') throw new HttpError(r.status, r.message);

    const { stream, store: keep, input, ...echoed } = body;
    const id = `int_${hash([prevId ?? null, input ?? null, echoed])}`;
    const out = r.kind === 'call'
      ? { type: 'function_call', id: `call_${hash([id, r.name])}`, name: r.name, arguments: r.args }
      : { type: 'model_output', content: [{ type: 'text', text: r.text }] };
    const status = r.kind === 'call' ? 'requires_action' : 'completed';
    const usage_ = usage(conv, r, 'total_input_tokens', 'total_output_tokens', 'total_tokens');
    const interaction = {
      id, status, ...echoed, created: CREATED, updated: CREATED,
      steps: [...(opts.echoUserInput ? userInputSteps(input) : []), out],
      usage: usage_,
    };
    /** @type {Part} */
    const outPart = out.type === 'function_call' ? { call: { id: out.id, name: r.kind === 'call' ? r.name : '', args: out.arguments } } : { text: r.kind === 'text' ? r.text : '' };
    if (keep !== false) store.set(id, { interaction, input, turns: [...conv.turns, { role: 'model', parts: [outPart] }] });

    if (!stream) return send(200, interaction);
    const head = { id, status: 'in_progress', model: body.model, created: CREATED };
    /** @type {unknown[]} */
    const events = [{ event_type: 'interaction.created', interaction: head }];
    if (out.type === 'function_call') {
      // Arguments stream as JSON string fragments, joined per step index by the client.
      const json = JSON.stringify(out.arguments);
      const half = Math.ceil(json.length / 2);
      events.push({ event_type: 'step.start', index: 0, step: { ...out, arguments: {} } });
      for (const part of [json.slice(0, half), json.slice(half)]) events.push({ event_type: 'step.delta', index: 0, delta: { type: 'arguments_delta', arguments: part } });
    } else {
      // By default the first text rides in step.start, as the real service may do (§1.4): a loop that
      // reads only step.delta loses it.
      const [first = '', ...rest] = chunks(out.content[0]?.text ?? '');
      const startText = opts.textInStepStart ? [first] : [];
      events.push({ event_type: 'step.start', index: 0, step: { type: 'model_output', content: startText.map((text) => ({ type: 'text', text })) } });
      for (const text of opts.textInStepStart ? rest : [first, ...rest]) events.push({ event_type: 'step.delta', index: 0, delta: { type: 'text', text } });
    }
    events.push({ event_type: 'step.stop', index: 0 });
    events.push({ event_type: 'interaction.completed', interaction: { ...head, status, updated: CREATED, usage: usage_ } });
    return sendEvents(rec, res, events.map((e, i) => ({ ...(/** @type {object} */ (e)), event_id: `${id}:${i}` })));
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

// Top-level fields of CreateModelInteraction / CreateAgentInteraction (genai.d.ts 3.3.0, lines 2616, 3207).
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

/** Usage numbers in a protocol's field names: input = words of the conversation, output = words of the reply. */
function usage(/** @type {Conversation} */ conv, /** @type {Reply} */ r, /** @type {string[]} */ ...[inKey, outKey, totalKey]) {
  const input = inputTokens(conv);
  const output = countWords(r.kind === 'text' ? r.text : r.kind === 'call' ? `${r.name} ${JSON.stringify(r.args)}` : '');
  return { [/** @type {string} */ (inKey)]: input, [/** @type {string} */ (outKey)]: output, [/** @type {string} */ (totalKey)]: input + output };
}

// ---- legacy request → Conversation ----

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
  const parts = (content.parts ?? []).flatMap(legacyPart);
  // genai sends function responses with role 'user', the legacy SDK with role 'function'.
  const role = content.role === 'model' ? 'model' : parts.length && parts.every((p) => 'result' in p) ? 'function' : 'user';
  return { role, parts };
}

/** @returns {Part[]} */
function legacyPart(/** @type {any} */ p) {
  if (p.thought) return [];
  if (typeof p.text === 'string') return [{ text: p.text }];
  if (p.inlineData) return [{ media: { mime: p.inlineData.mimeType, bytes: Buffer.from(p.inlineData.data ?? '', 'base64').length } }];
  if (p.fileData) return [{ media: { mime: p.fileData.mimeType, uri: p.fileData.fileUri } }];
  if (p.functionCall) return [{ call: { id: p.functionCall.id, name: p.functionCall.name, args: p.functionCall.args ?? {} } }];
  if (p.functionResponse) return [{ result: { id: p.functionResponse.id, name: p.functionResponse.name, response: p.functionResponse.response } }];
  return [];
}

/** The text parts of a legacy Content (or a single Part), joined by spaces. */
function contentText(/** @type {any} */ content) {
  if (!content) return undefined;
  const parts = content.parts ?? [content];
  return parts.flatMap((/** @type {any} */ p) => (typeof p.text === 'string' ? [p.text] : [])).join(' ');
}

// ---- Interactions input → Turns ----

const CONTENT_TYPES = new Set(['text', 'image', 'audio', 'document', 'video']);

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
    if (last?.role === role && role !== 'user') last.parts.push(...parts);
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

/** The steps a unary response echoes for its input (the real docs disagree whether it does; §6 Q3). */
function userInputSteps(/** @type {unknown} */ input) {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [{ type: 'user_input', content: [{ type: 'text', text: input }] }];
  const items = /** @type {any[]} */ ([input].flat());
  return items.every((i) => CONTENT_TYPES.has(i?.type)) ? [{ type: 'user_input', content: items }] : items;
}

/** Every function_result must answer a function_call that is still pending (by call_id); fills in its name. */
function checkCallIds(/** @type {Turn[]} */ history, /** @type {Turn[]} */ newTurns) {
  const pending = new Map();
  const visit = (/** @type {Part} */ p, /** @type {boolean} */ strict) => {
    if ('call' in p) pending.set(p.call.id, p.call.name);
    if (!('result' in p)) return;
    if (strict && !pending.has(p.result.id)) {
      throw new HttpError(400, `function_result call_id ${JSON.stringify(p.result.id)} matches no pending function_call (pending: ${JSON.stringify([...pending.keys()])}).`);
    }
    p.result.name ??= pending.get(p.result.id);
    pending.delete(p.result.id);
  };
  for (const t of history) for (const p of t.parts) visit(p, false);
  for (const t of newTurns) for (const p of t.parts) visit(p, true);
}

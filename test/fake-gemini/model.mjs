// @ts-check
// The fake "model": a deterministic function from a protocol-neutral conversation to a reply.
// Both protocol adapters in server.mjs translate into this shape, so the same conversation gives the
// same text whichever API carried it. Nothing here knows about HTTP.

/**
 * @typedef {{ text: string }
 *   | { media: { mime: string, bytes?: number, uri?: string } }
 *   | { call: { id?: string, name: string, args: unknown } }
 *   | { result: { id?: string, name: string, response: unknown } }} Part
 * @typedef {{ role: 'user' | 'model' | 'function', parts: Part[] }} Turn
 * @typedef {{ system?: string, turns: Turn[], tools: string[], json?: { schema?: unknown } }} Conversation
 * @typedef {{ kind: 'text', text: string }
 *   | { kind: 'call', name: string, args: Record<string, unknown> }
 *   | { kind: 'error', status: number, message: string }} Reply
 */

/** Text shown for one part: media is acknowledged by mime type and decoded size (or uri). */
export function render(/** @type {Part} */ part) {
  if ('text' in part) return part.text;
  if ('media' in part) {
    const { mime, bytes, uri } = part.media;
    return uri !== undefined ? `[${mime} ${uri}]` : `[${mime} ${bytes} bytes]`;
  }
  if ('call' in part) return `${part.call.name}(${JSON.stringify(part.call.args ?? {})})`;
  return `${part.result.name}: ${JSON.stringify(part.result.response)}`;
}

const renderTurn = (/** @type {Turn} */ turn) => turn.parts.map(render).join(' ');
export const countWords = (/** @type {string} */ s) => s.split(/\s+/).filter(Boolean).length;

/** Input tokens = words of the system instruction plus every part of every turn. */
export function inputTokens(/** @type {Conversation} */ conv) {
  const parts = conv.turns.flatMap((t) => t.parts.map(render));
  return countWords([conv.system ?? '', ...parts].join(' '));
}

/** @returns {Reply} */
export function reply(/** @type {Conversation} */ conv) {
  const userTurns = conv.turns.filter((t) => t.role === 'user');
  const last = conv.turns.findLast((t) => t.role !== 'model');
  if (!last) return { kind: 'error', status: 400, message: 'contents must include a user turn' };
  const sys = conv.system?.trim() ? `[sys: ${conv.system.replace(/\s+/g, ' ').trim()}] ` : '';

  let text;
  if (last.role === 'function') {
    text = last.parts.flatMap((p) => ('result' in p ? [`result of ${render(p)}`] : [])).join('; ');
  } else {
    const said = renderTurn(last);
    const fail = /\bfail (\d{3})\b/.exec(said);
    if (fail) return { kind: 'error', status: Number(fail[1]), message: `fake-gemini: injected failure ${fail[1]}` };
    const call = /\bcall ([A-Za-z_][\w.-]*)\((.*)\)/s.exec(said);
    if (call && conv.tools.includes(/** @type {string} */ (call[1]))) {
      const args = parseArgs(/** @type {string} */ (call[2]));
      if (args) return { kind: 'call', name: /** @type {string} */ (call[1]), args };
    }
    text = `echo: ${said}`;
    // A visible sign of memory, so a migrated chat that lost its history prints something else.
    const first = userTurns[0];
    if (userTurns.length > 1 && first) text += ` (turn ${userTurns.length}; first: ${renderTurn(first)})`;
  }
  text = sys + text;
  if (!conv.json) return { kind: 'text', text };
  const value = conv.json.schema ? fromSchema(conv.json.schema, text, userTurns.length) : { text };
  return { kind: 'text', text: JSON.stringify(value) };
}

function parseArgs(/** @type {string} */ src) {
  if (!src.trim()) return {};
  try {
    const v = JSON.parse(src);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A value that fits a JSON Schema / OpenAPI Schema: strings are the reply text, numbers the turn count.
 * Type names may be lowercase (JSON Schema, legacy SchemaType) or UPPERCASE (genai Type).
 * @param {any} schema @param {string} text @param {number} turn @returns {unknown}
 */
export function fromSchema(schema, text, turn) {
  if (!schema || typeof schema !== 'object') return text;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const alt = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alt) && alt.length) return fromSchema(alt.find((s) => s?.type !== 'null') ?? alt[0], text, turn);
  const types = [schema.type].flat().map((t) => String(t ?? '').toLowerCase());
  const type = types.find((t) => t && t !== 'null') ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string');
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, fromSchema(s, text, turn)]));
    case 'array':
      return [fromSchema(schema.items, text, turn)];
    case 'number':
    case 'integer':
      return turn;
    case 'boolean':
      return true;
    default:
      return text;
  }
}

/** Splits text at word boundaries into up to `n` non-empty chunks that join back to `text`. */
export function chunks(/** @type {string} */ text, n = 3) {
  const words = text.split(/(?<=\s)(?=\S)/);
  const size = Math.ceil(words.length / n);
  const out = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out.length ? out : [''];
}

/** A fixed-length embedding derived from char codes. */
export function embed(/** @type {string} */ text, dims = 8) {
  const values = new Array(dims).fill(0);
  for (let i = 0; i < text.length; i++) values[i % dims] += text.charCodeAt(i);
  return values.map((v) => (v % 1000) / 1000);
}

/**
 * The closed list of reasons a transform may leave code for a person. Every TODO comment the tool writes is
 * `// TODO(migrate-interactions): <message>`, and every report entry carries the reason id.
 * Add a reason here (with what to do by hand) before a transform may use it.
 */
export const TODO_REASONS = {
  'model-id-unsupported': {
    message: 'this model has no Interactions equivalent; choose a current model by hand',
    manual:
      'Image-generation, Live, TTS and AQA models are not chat models: pick a current model of the same kind (for images gemini-2.5-flash-image or gemini-3.1-flash-image) and check the call still fits.',
  },
  'model-id-dynamic': {
    message: 'deprecated model id built at run time; check the value it takes',
    manual:
      'The model id comes from a template literal with substitutions; make sure it no longer produces a gemini-1.x/2.0 id.',
  },
  'model-id-typed': {
    message: 'deprecated model id kept: its declared type does not accept the new id',
    manual:
      'The id is checked against a union of string literals (a type of your own). Add the new id to that type, then replace the id.',
  },
  'model-id-compared': {
    message: 'compares with a deprecated model id that was replaced elsewhere in this file',
    manual:
      'The model value this code tests was swapped, so the comparison may never match again: compare with the new id, or with both.',
  },
  'model-id-list-duplicates': {
    message: 'deprecated model ids in this list now map to the same id',
    manual: 'Several entries became the same model id (a picker or fallback list would repeat it): remove the duplicates or map them with --model-map.',
  },
  'dynamic-settings': {
    message: 'settings built at run time cannot be mapped to Interactions fields; this call was left as it was',
    manual:
      'The settings come from a variable, a spread or a computed key. Write them in the Interactions shape by hand (snake_case keys, generation_config, safety_settings: reference §3.3, §3.5), then migrate the call.',
  },
  'setting-not-mapped': {
    message: 'this setting has no automatic Interactions mapping; this call was left as it was',
    manual:
      'Map the setting by hand (reference §3.3–3.5): some have another home (response_format, tool_choice), some no equivalent (topK, penalties); then migrate the call.',
  },
  'system-instruction-not-string': {
    message: 'system_instruction takes a string only, and this systemInstruction is not one; left as it was',
    manual: 'Join the text parts of the Content/Part into one string and pass it as system_instruction.',
  },
  'client-used-elsewhere': {
    message: 'this client is used in a way the tool cannot follow, so it stays on the legacy SDK for that use',
    manual:
      'The client is passed on, reassigned, kept in an unusual place, or used for something other than getGenerativeModel. The old client stays for that use (models that could migrate use a GoogleGenAI client declared beside it); move the rest by hand to ai.interactions.create(...).',
  },
  'model-used-elsewhere': {
    message: 'this model is used in a way the tool cannot follow, so it stays on the legacy SDK',
    manual:
      'The model handle is passed on, returned, used from another module, stored from two clients, called with ?. (test it first: a missing settings object would still send a request), or used for a method not migrated yet. A model from a factory that makes its own client and used in place needs to be kept in a variable first (then run again). A class method returning a model is followed when all its calls are known: make it private (and call it only as this.method(...)), then run again. Otherwise keep its settings in one object and call ai.interactions.create({ ...settings, input }) by hand.',
  },
  'call-not-migrated': {
    message: 'this call is not migrated automatically yet, so this model stays on the legacy SDK',
    manual:
      'batchEmbedContents, or a chat or stream started away from the client (another module, out of its scope). Move the call by hand (reference §3.1 rows 8–13, 28–29).',
  },
  'request-shape': {
    message: 'this request shape is not migrated automatically; the call was left as it was',
    manual: 'Convert the request by hand: parts become content blocks, contents with roles become Step[] (reference §3.1 rows 6–7).',
  },
  'response-not-followed': {
    message: 'this response is read in a way the tool cannot map, so the call was left as it was',
    manual:
      'The response is passed on, returned, or read through a field with no Interactions equivalent (candidates, promptFeedback, finishReason). Read output_text, steps, usage and status instead (reference §1.2, §3.1 rows 14–19).',
  },
  'request-options': {
    message: 'request options are not moved automatically; this model was left as it was',
    manual:
      'Move timeout, apiVersion, baseUrl and customHeaders to new GoogleGenAI({ apiVersion, httpOptions: { timeout, baseUrl, headers } }), per-call options to the second argument of create() (reference §3.1 rows 30–31).',
  },
  'stream-not-followed': {
    message: 'this stream is read in a way the tool cannot map to Interactions events, so it was left as it was',
    manual:
      'create({ ..., stream: true }) resolves to the event stream itself. Loop over it once: text comes from step.delta text deltas and from the content of a model_output step.start; error events must be thrown by hand; usage comes from each interaction.completed event (reference §1.4, §3.1 rows 8–9, P10, P11).',
  },
  'chat-not-followed': {
    message: 'this chat is used in a way the tool cannot follow, so it and its model were left on the old API',
    manual:
      'A chat becomes the id of its last interaction: send each turn with previous_interaction_id and keep interaction.id for the next one; the settings of the chat and its model go with every turn (reference §3.1 rows 10–13, P1, P3).',
  },
  'chat-turns-may-overlap': {
    message: 'the old chat queued overlapping sendMessage calls; these turns now chain on a shared id, so callers must not send two at once',
    manual:
      'The chat outlives one function (a class field, a module variable, a callback): two turns sent before the first returns would both continue the same interaction and fork the conversation. Await each turn before the next, or queue them (P4).',
  },
  'error-class': {
    message: 'ai.interactions does not throw the legacy error classes: this check never matches after the migration',
    manual:
      'Interactions calls throw the unexported APIError family (BadRequestError, RateLimitError, ...): test e.status (a number) or e.name instead of instanceof (reference §1.5, P12).',
  },
  'manager-not-migrated': {
    message: 'GoogleAIFileManager / GoogleAICacheManager are not migrated automatically',
    manual:
      'Files: ai.files.upload({ file, config: { mimeType, displayName } }) returns the File itself (no .file wrapper). Caches: ai.caches.create(...) and the deprecated cached_content field; no Interactions equivalent (reference §3.1 rows 35–36).',
  },
  'file-manager-not-followed': {
    message: 'this file manager is used in a way the tool cannot follow, so it stays on the legacy SDK',
    manual:
      'Move it to ai.files by hand: uploadFile(path, metadata) → ai.files.upload({ file: path, config: metadata }) returns the File itself (no .file wrapper; a Buffer must become a Blob); getFile(name) → ai.files.get({ name }); listFiles() → ai.files.list() (a Pager: .page is the first page, iterate it for all); deleteFile(name) → ai.files.delete({ name }). Every File field is optional in @google/genai; request options go to the client\'s httpOptions (reference §3.1 row 35).',
  },
  'genai-call-not-migrated': {
    message: 'this @google/genai models/chats call is not migrated to ai.interactions automatically yet',
    manual:
      'Streams become create({ ..., stream: true }) event loops and chats become calls chained by previous_interaction_id (reference §3.2 rows 41–45).',
  },
  'automatic-function-calling': {
    message: 'Interactions runs no function for you (no automatic function calling); this call was left as it was',
    manual:
      'A callable tool, mcpToTool(...) or config.automaticFunctionCalling let @google/genai call your functions and send their results itself. Declare each function as a { type: \'function\', name, description, parameters } tool and run the loop yourself: read the function_call steps, call the function, send function_result steps (call_id: call.id) with previous_interaction_id and the tools again, until no call is left (reference row 51). An MCP server reachable over HTTP may instead be a server-side { type: \'mcp_server\', name, url } tool.',
  },
  'model-handed-in': {
    message: 'this model is handed in from elsewhere and the Interactions API has no model object: migrate it where it is made',
    manual:
      "The model comes from a dependency-injection provider (a Nest provider's useFactory), the constructor's caller or a function's caller. Have that code hand out the GoogleGenAI client and the model's settings ({ model, system_instruction, generation_config, ... }: reference §3.1, §3.3) instead of a GenerativeModel, then call client.interactions.create({ ...settings, input }) here.",
  },
  'client-handed-in': {
    message: 'this client is handed in from elsewhere: migrate it together with the code that makes it',
    manual:
      "The GoogleGenerativeAI client comes from a dependency-injection provider (a Nest provider's useFactory) or a caller. Have that code create new GoogleGenAI({ apiKey }) instead, type this as GoogleGenAI, and turn each getGenerativeModel({...}) made from it into a settings object sent with client.interactions.create({ ...settings, input }) (reference §3.1, §3.3).",
  },
  'legacy-import-remains': {
    message: 'this file still uses @google/generative-ai',
    manual:
      'Something here is still on the legacy SDK and no other TODO says why (a model passed in from elsewhere, an injected GenerativeModel, a type). Migrate it by hand or with the help of the other TODOs in the project.',
  },
} as const satisfies Record<string, { message: string; manual: string }>;

export type TodoReason = keyof typeof TODO_REASONS;

export const TODO_PREFIX = '// TODO(migrate-interactions): ';

export function todoComment(reason: TodoReason, detail?: string): string {
  const { message } = TODO_REASONS[reason];
  return TODO_PREFIX + (detail ? `${message} (${oneLine(detail)})` : message);
}

/** Quoted source in a detail: one line (a line comment ends at the first line break), and not a whole block. */
function oneLine(detail: string): string {
  const flat = detail.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 497)}...` : flat;
}

import { Node, SyntaxKind, ts } from '../src/tsm.js';
import type { CallExpression, Expression, Identifier, NewExpression, ObjectLiteralExpression, SourceFile, VariableDeclaration, ts as TS } from 'ts-morph';
import {
  emptySettings,
  mapGenaiConfig,
  mapLegacyGenerationConfig,
  mapSafetySettings,
  mapSystemInstruction,
  mapToolConfig,
  mapTools,
  textReadCaveat,
  LITERAL_TYPED_FIELDS,
  arrayText,
  objectText,
  fieldText,
  objectLike,
  reindent,
  withRunFiles,
  isRunFile,
  properties,
  type Blocker,
  type MappedSettings,
} from '../src/migration/config-map.js';
import { importEdits, type ImportNeeds } from '../src/migration/imports.js';
import { sdkExportOf, sdkLocalNames, sdkMethodOwner } from '../src/migration/sdk-symbols.js';
import { findNodes, outsideTheRun } from '../src/migration/find.js';
import { contentsToSteps, partsToBlocks } from '../src/migration/parts.js';
import { fileStyle, indentOf, indentUnit, type FileStyle } from '../src/migration/style.js';
import { isAssignmentTarget, isImportedBinding, slotOf, slotReferences, useExpression, variableReferences, type Slot } from '../src/migration/slots.js';
import { isStandalone, isStringValued, localReferences, responseReads } from '../src/migration/responses.js';
import { chatPlan, chatStateEdits, holderState, messageTurn } from '../src/migration/chats.js';
import { freshName, streamEdits, streamHelperText } from '../src/migration/streams.js';
import { callReplacement, requestObject, turnEdits, type TurnNeeds } from '../src/migration/turns.js';
import { functionCallsHelperText, type CallsHelper } from '../src/migration/function-calls.js';
import { mapModelParams, overridesLiteral, type ModelParams } from '../src/migration/model-params.js';
import { modelParameter, strayPass, type ModelParameter } from '../src/migration/model-params-passed.js';
import { keepingEmpty, reassignedSlotOf, reassignedTypeEdit, startsEmpty, storedValue } from '../src/migration/reassigned.js';
import { nullableUses, storedAndReturned } from '../src/migration/nullable.js';
import { clientRead, lateClientEdits, lateClientField, lateFieldSlotOf } from '../src/migration/late-fields.js';
import { clientAndSettings, makesOwnClient, ownClientUses } from '../src/migration/own-client.js';
import { factoryOf, factoryUses, isExportedFactory, returnTypeSpan, type Factory, type ModelUse } from '../src/migration/factories.js';
import { methodRefusal } from '../src/migration/method-factories.js';
import { isRemoved, manualHistory, storedSend, type ManualHistory } from '../src/migration/genai-history.js';
import { providerToken } from '../src/migration/handed-in.js';
import { optionSpreadEdits } from '../src/migration/option-fields.js';
import { commonJsUsers, exportSlotOf, isRequiredBinding, shareClientCommonJs } from '../src/migration/commonjs.js';
import { applyEdits } from '../src/edits.js';
import type { TextEdit, Transform, TransformContext } from '../src/types.js';

/** Model methods other transforms will take over; until then they keep the whole client on the legacy SDK. */
const LATER_METHODS = new Set(['countTokens', 'embedContent', 'batchEmbedContents']);

/**
 * `model.countTokens(x)` / `model.embedContent(x)`: no Interactions equivalent, so they move to `ai.models`, which
 * takes the model id explicitly (the settings object's `model`). Their results are read through the fields the old
 * ones had: `totalTokens` (optional now, so `?? 0`), `embedding.values` (now `embeddings[0].values`).
 */
function modelsCall(call: CallExpression, method: 'countTokens' | 'embedContent', client: string, model: string, blockers: Blocker[]): TextEdit[] {
  const [arg, ...rest] = call.getArguments();
  if (!arg || rest.length || !isStringValued(arg as Expression)) {
    blockers.push({ node: call, reason: 'request-shape', detail: `${method}() with other than one text` });
    return [];
  }
  const edits: TextEdit[] = [{ start: call.getStart(), end: call.getEnd(), text: `${client}.models.${method}({ model: ${model}.model, contents: ${arg.getText()} })` }];
  const awaited = call.getParent();
  const holder = Node.isAwaitExpression(awaited) ? awaited : undefined;
  const decl = holder?.getParent();
  const reads: Node[] = [];
  if (Node.isVariableDeclaration(decl) && decl.getInitializer() === holder && Node.isIdentifier(decl.getNameNode())) {
    for (const ref of localReferences(decl.getNameNode() as Identifier)) {
      const parent = ref.getParent();
      if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === ref) reads.push(parent);
      else blockers.push({ node: ref, reason: 'response-not-followed', detail: `${ref.getText()} is passed on` });
    }
  } else if (Node.isVariableDeclaration(decl) && method === 'countTokens' && Node.isObjectBindingPattern(decl.getNameNode())) {
    // const { totalTokens } = await model.countTokens(x): a default keeps the old number type
    const elements = (decl.getNameNode() as import('ts-morph').ObjectBindingPattern).getElements();
    const only = elements.length === 1 ? elements[0]! : undefined;
    if (!only || only.getInitializer() || (only.getPropertyNameNode()?.getText() ?? only.getName()) !== 'totalTokens') {
      blockers.push({ node: decl, reason: 'response-not-followed', detail: decl.getNameNode().getText() });
    } else {
      edits.push({ start: only.getEnd(), end: only.getEnd(), text: ' = 0' });
    }
    return edits;
  } else if (Node.isVariableDeclaration(decl) && method === 'embedContent' && Node.isObjectBindingPattern(decl.getNameNode())) {
    // const { embedding } = await model.embedContent(x): `embedding` is now the first of `embeddings`, and its
    // `values` may be absent where the old ones were always there.
    const elements = (decl.getNameNode() as import('ts-morph').ObjectBindingPattern).getElements();
    const only = elements.length === 1 ? elements[0]! : undefined;
    const local = only?.getNameNode();
    if (!only || only.getInitializer() || (only.getPropertyNameNode()?.getText() ?? only.getName()) !== 'embedding' || !Node.isIdentifier(local)) {
      blockers.push({ node: decl, reason: 'response-not-followed', detail: decl.getNameNode().getText() });
      return edits;
    }
    edits.push({ start: decl.getNameNode().getStart(), end: decl.getNameNode().getEnd(), text: local.getText() });
    // the whole `await call` becomes `(await ai.models.embedContent(...)).embeddings?.[0]`
    edits[0] = { start: holder!.getStart(), end: call.getEnd(), text: `(await ${edits[0]!.text}).embeddings?.[0]` };
    for (const ref of localReferences(local)) {
      const access = ref.getParent();
      if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== ref || access.getName() !== 'values') {
        blockers.push({ node: ref, reason: 'response-not-followed', detail: `${ref.getText()} is read other than through values` });
        continue;
      }
      const parens = !isStandalone(access);
      edits.push({ start: ref.getEnd(), end: ref.getEnd(), text: '?' }, { start: access.getEnd(), end: access.getEnd(), text: ` ?? []${parens ? ')' : ''}` });
      if (parens) edits.push({ start: access.getStart(), end: access.getStart(), text: '(' });
    }
    return edits;
  } else if (Node.isParenthesizedExpression(holder?.getParent()) && Node.isPropertyAccessExpression(holder!.getParentOrThrow().getParent())) {
    reads.push(holder!.getParentOrThrow().getParentOrThrow());
  } else {
    blockers.push({ node: call, reason: 'response-not-followed', detail: `the ${method}() result is returned or passed on` });
    return edits;
  }
  for (const read of reads as import('ts-morph').PropertyAccessExpression[]) {
    const field = read.getName();
    if (method === 'countTokens' && field === 'totalTokens') {
      const parens = !isStandalone(read);
      edits.push(
        ...(parens ? [{ start: read.getStart(), end: read.getStart(), text: '(' }] : []),
        { start: read.getEnd(), end: read.getEnd(), text: ` ?? 0${parens ? ')' : ''}` },
      );
      continue;
    }
    const values = read.getParent();
    if (method === 'embedContent' && field === 'embedding' && Node.isPropertyAccessExpression(values) && values.getName() === 'values') {
      const parens = !isStandalone(values);
      edits.push(
        ...(parens ? [{ start: read.getStart(), end: read.getStart(), text: '(' }] : []),
        { start: read.getNameNode().getStart(), end: values.getEnd(), text: `embeddings?.[0]?.values ?? []${parens ? ')' : ''}` },
      );
      continue;
    }
    blockers.push({ node: read, reason: 'response-not-followed', detail: `${method}().${field}` });
  }
  return edits;
}

const SETTINGS_TYPE = 'Interactions.CreateModelInteractionParamsNonStreaming';
/** The declared type of a settings field: the request minus its per-call parts (a `stream?: boolean` would make create() return a union). */
const SETTINGS_FIELD_TYPE = "Omit<Interactions.CreateModelInteractionParamsNonStreaming, 'input' | 'stream'>";

/**
 * What one run of the transform adds up to. Edits are applied only when nothing blocked the part they belong to;
 * a client's models may live in other modules, so edits, imports and the stream helper are kept per file.
 */
interface Plan {
  /** The file the transform runs on: edits without a `sourceFile` belong to it. */
  home: SourceFile;
  edits: TextEdit[];
  files: Map<SourceFile, FilePlan>;
  /** genai calls already migrated (or left) with others: a manual history's second send. */
  taken: Set<Node>;
  /**
   * genai calls whose config is a converted constant: committed after all calls are seen, only when every reader
   * of the constant migrates (a call that stays would read a config of the new shape).
   */
  sharing: Array<{ calls: CallExpression[]; bases: VariableDeclaration[]; readers: Node[]; commit: () => void }>;
}

interface FilePlan {
  needs: ImportNeeds;
  /** What migrated streams need: the event-text helper, added once at the end of the file. */
  turns: TurnNeeds;
  /** The helper's name in this file, chosen on first use. */
  helper?: string;
  /** The function-calls helper's name in this file, chosen on first use. */
  callsName?: string;
}

function filePlan(plan: Plan, sf: SourceFile): FilePlan {
  let fp = plan.files.get(sf);
  if (!fp) plan.files.set(sf, (fp = { needs: { values: new Set(), types: new Set() }, turns: {} }));
  return fp;
}

/** What one client's migration needs, per file; merged into the plan only when the client migrates. */
type ClusterNeeds = Map<SourceFile, { turns: TurnNeeds; types: boolean }>;

function clusterFile(cluster: ClusterNeeds, sf: SourceFile): { turns: TurnNeeds; types: boolean } {
  let c = cluster.get(sf);
  if (!c) cluster.set(sf, (c = { turns: {}, types: false }));
  return c;
}

function commitCluster(plan: Plan, cluster: ClusterNeeds): void {
  for (const [sf, c] of cluster) {
    const fp = filePlan(plan, sf);
    if (c.turns.stream) fp.turns.stream = c.turns.stream;
    if (c.types) fp.needs.types.add('Interactions');
    if (c.turns.calls?.used) fp.turns.calls = c.turns.calls;
  }
}

/** A fresh use-tracker for the file's function-calls helper (one per turn: a blocked turn must not add it). */
function callsHelper(plan: Plan, sf: SourceFile): CallsHelper {
  const fp = filePlan(plan, sf);
  return { name: (fp.callsName ??= freshName(sf, 'functionCalls')), used: false };
}

function streamHelper(plan: Plan, sf: SourceFile): string {
  const fp = filePlan(plan, sf);
  return (fp.helper ??= freshName(sf, 'eventText'));
}

/** Edits tagged with the file they belong to, unless it is the one the transform runs on. */
function inFile(edits: TextEdit[], sf: SourceFile, plan: Plan): TextEdit[] {
  return sf === plan.home ? edits : edits.map((e) => ({ ...e, sourceFile: e.sourceFile ?? sf }));
}

/**
 * A legacy chat: `model.startChat(params)` becomes the chat's settings and state, every `sendMessage` /
 * `sendMessageStream` a turn chained on the id of the last one, `getHistory()` the transcript.
 */
function legacyChat(
  start: CallExpression,
  modelUse: Node,
  clientFor: (use: Node) => string | undefined,
  model: MappedSettings,
  plan: Plan,
  cluster: ClusterNeeds,
  blockers: Blocker[],
  notes: Blocker[],
): TextEdit[] {
  const chat = chatPlan(start, 'legacy', blockers);
  if (!chat) return [];
  const style = fileStyle(start.getSourceFile());
  const edits: TextEdit[] = [];
  const before = blockers.length;
  const siblings = new Set(chat.sends.map((s) => s.call));
  for (const send of chat.sends) {
    const sendFile = send.call.getSourceFile();
    const client = clientFor(send.use);
    if (!client) continue; // blocked: the module cannot reach the client
    const turnMessage = messageTurn(send.message, blockers);
    if (!turnMessage) continue;
    const { edits: messageEdits, typed, ...message } = turnMessage;
    edits.push(...inFile(messageEdits, sendFile, plan));
    if (typed) clusterFile(cluster, sendFile).types = true;
    // An exported chat is a holder object: each module reads its settings and id through its own name for it.
    const state = chat.holder ? holderState(send.use) : chat.state;
    const spread = chat.holder ? `${send.use.getText()}.settings` : send.use.getText();
    const continues = chat.shared || chat.sends.length > 1 || insideLoop(send.call, start);
    const spec = { call: send.call, sdk: 'legacy' as const, client, spread, stream: send.stream, chat: state, siblings, continues, ...message, fields: message.fields };
    const turn = turnEdits(spec, streamHelper(plan, sendFile), blockers, clusterFile(cluster, sendFile).turns, callsHelper(plan, sendFile));
    if (!send.stream) textCaveat({ ...model, topLevel: [...model.topLevel, ...chat.settings.topLevel] }, turn, send.call, blockers);
    edits.push(...inFile(turn, sendFile, plan));
  }
  if (blockers.length > before) return [];
  const typedHere = style.typescript && !isCtorField(chat.slot) && needsTypedSettings(chat.settings);
  edits.push(...chatStateEdits(chat, start, modelUse.getText(), style.typescript ? SETTINGS_FIELD_TYPE.replace(/'/g, style.quote) : undefined, typedHere ? ` satisfies ${SETTINGS_TYPE}` : undefined));
  if (!style.typescript && needsTypedSettings(chat.settings)) edits.push(jsdocSettings(chat.slot));
  edits.push(...chat.settings.edits);
  if (style.typescript && (chat.state.history || chat.slot.typeNode || typedHere || chat.settings.types)) clusterFile(cluster, start.getSourceFile()).types = true;
  if (chat.shared) notes.push({ node: chat.slot.holder, reason: 'chat-turns-may-overlap' });
  return edits;
}

export const generateContent: Transform = {
  id: 'generate-content',
  summary:
    'Rewrites generation, chats and streams of both legacy APIs (model.generateContent, startChat, generateContentStream; ai.models, ai.chats) into ai.interactions.create, with the client, model settings and response reads.',
  example: {
    before: [
      "const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);",
      "const model = genAI.getGenerativeModel({ model: 'gemini-3-flash-preview', systemInstruction: 'Be terse.' });",
      'const result = await model.generateContent(prompt);',
      'console.log(result.response.text());',
    ].join('\n'),
    after: [
      'const genAI = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY! });',
      "const model = { model: 'gemini-3-flash-preview', system_instruction: 'Be terse.' };",
      'const result = await genAI.interactions.create({ ...model, input: prompt });',
      "console.log(result.output_text ?? '');",
    ].join('\n'),
  },
  docs: {
    rewrites: [
      '`@google/generative-ai`: a `GoogleGenerativeAI` client, the models it makes with `getGenerativeModel(...)` and',
      'their `generateContent(prompt)` calls become `new GoogleGenAI({ apiKey })`, one settings object per model (kept',
      'where the model was: a variable or a class field) and `client.interactions.create({ ...settings, input })`.',
      'Settings are mapped to the Interactions shape: `systemInstruction` (a string) → `system_instruction`,',
      '`generationConfig` → `generation_config` (`temperature`, `top_p`, `max_output_tokens`, `stop_sequences`; a',
      '`candidateCount` of 1 is dropped), `safetySettings` → `safety_settings` with lowercase `type` and `threshold`,',
      "`responseMimeType: 'application/json'` (+ `responseSchema`, converted to JSON Schema) → top-level",
      "`response_format: { type: 'text', mime_type, schema }`; `tools` → flat `{ type: 'function' | 'code_execution' |",
      "'google_search' | 'url_context' }` entries, one per function declaration; `toolConfig` →",
      "`generation_config.tool_choice`; and `requestOptions` → the client's `apiVersion` and `httpOptions`. Reads of the",
      "result: `response.text()` →",
      "`output_text ?? ''` (text() gave an empty string where output_text is absent), `usageMetadata.*` → `usage.*`.",
      '',
      '`@google/genai`: `ai.models.generateContent({ model, contents, config })` → `ai.interactions.create({ model, input,',
      '... })` with `config` split into top-level fields and `generation_config` (thinking level and summaries,',
      '`responseJsonSchema`, `tools`, `toolConfig`, `labels`, `serviceTier`, `store`, `automaticContinuation` included);',
      '`response.text` → `output_text`, `usageMetadata` → `usage`, the `executableCode` getter → the code of the first',
      '`code_execution_call` step. In both SDKs the only content of a request may leave its role out (`contents: [{',
      'parts }]`, as in Google\'s REST quickstart): it is the user\'s turn. A text read with code execution or search on gets a',
      'TODO: `output_text` keeps only the last run of text where `text()` joined them all (P6). A manual function-call',
      'history (a local `contents` array sent, pushed with `candidates[0].content` and the answers built with',
      '`createPartFromFunctionResponse(call.id, call.name, ...)` or `{ functionResponse: { id, name, response } }`, sent',
      'again, once or in a loop that stores into the first response\'s variable) becomes two calls: the second sends',
      '`function_result` steps with `previous_interaction_id` of the first (in a loop: of the last).',
      '',
      'Chats: `model.startChat(params)` / `ai.chats.create({ model, history, config })` become the chat\'s settings (the',
      'model\'s, with the chat\'s own over them, re-sent on every turn) and, beside the chat (a local, or a field of its',
      'class), the id of the last interaction. `sendMessage(message)` / `sendMessage({ message, config })` (a genai',
      'message may be one part, `{ text }`) become',
      '`create({ ...chat, input, previous_interaction_id })` with the id updated right after the awaited turn. A',
      '`history` (literal, or a constant of the module) is sent as steps with the first turn only; when `getHistory()` is',
      'read, a transcript in the old `{ role, parts }` shape is kept beside the chat and answers it.',
      '',
      'Streams: `generateContentStream(...)`, `sendMessageStream(...)` and `ai.models.generateContentStream(...)` become',
      '`create({ ..., stream: true })` and their `for await` loop a loop over the events: `error` events throw as the old',
      'loop did (P10); text comes from text deltas and from the content a `model_output` `step.start` may carry (a small',
      'helper added once per file); a streamed chat turn takes its id from each `interaction.completed` (the last hop',
      'wins, P11); `await result.response` is rebuilt from the events (the text, and usage summed over hops).',
      '',
      'Where models come from: a variable or field, a `let` several models are stored in (typed as settings), a factory',
      'returning `getGenerativeModel(...)` (it returns the settings; its callers\' models follow, and a `...overrides`',
      'parameter has its callers\' literals converted; a class method too, when its calls are all known: a `private` or',
      '`#private` one, or one of a class neither exported, extended nor used as a value, and every reference a call, on',
      '`this` where the client is a field), another module through the import of an exported model or',
      'factory (relative, or a tsconfig path alias), or through `require()` of one a CommonJS module exports',
      '(`module.exports = { model }`, `exports.model = ...`, `module.exports = model`; required destructured or as',
      '`gemini.model`), a parameter of a function of the module the models are handed to',
      '(typed as settings), a client made in a constructor (it becomes a field). Models that may be missing: a `let model:',
      '`GenerativeModel | null` made on first use by a getter (`if (!model) model = ...`, `model ??= ...`: the getter',
      'hands out settings, its calls are the uses), fields set in `init()` / `onModuleInit()` from a client local to',
      'that method (it becomes an optional field, read as `this.genAI!` where the model was already known to be there);',
      'presence tests (`!model`, `model === null`) and `model!` stay as they are, `| null` stays in the types, and',
      '`model?.generateContent()` is left (a missing settings object would still send a request). A factory that makes',
      'its own client keeps it, so that the key is still read when it runs: it returns `{ client, settings }`, and the',
      'models kept from it call `model.client.interactions.create({ ...model.settings, input })`. A factory that',
      'merges `...options.generationConfig` has its callers\' `generationConfig` literals converted where they are',
      'written, its options type following, and JSON mode passed as a `responseFormat` option. Spreads of',
      'module constants (`{ ...base }`, `generationConfig: { ...baseConfig }`, a genai `config` constant) stay spreads',
      'of the constant, converted where it is declared; so are function declarations, schemas, generation and safety',
      'settings held in constants, of this module or another module of the run. Everything that reads such a constant',
      'migrates, or none of it does.',
      '',
      'Each model is migrated with every call on it, or not at all: a half-migrated model would not type-check. When',
      'some uses of a client stay legacy (a blocked model, a factory, the client passed on), the old client stays for',
      'them and a `GoogleGenAI` client is declared beside it for the rest (modules importing the client import it too).',
      'What stops a model (a setting with no mapping, a response read through `candidates`, a chat kept in a `Map`, a',
      'stream handed to callers) gets a TODO where it stands.',
    ].join('\n'),
    examples: ['model-settings', 'class-fields', 'genai-models', 'chat-local', 'stream-generate', 'genai-chat', 'left-chat-sessions'],
    options: '- `--only generate-content` / `--skip generate-content`: run it alone, or not at all.',
    todos: {
      'client-used-elsewhere': 'The client is passed on, reassigned, or used for something other than `getGenerativeModel`; that use stays legacy.',
      'model-used-elsewhere': 'A model handle is passed on, returned, reassigned (also from another client), used from another module, or out of reach of its client; called with `?.`; made by a factory that makes its own client and used in place (`getModel().generateContent(x)`: keep it in a variable, then run again); returned from a class method whose calls cannot all be known (a public method of an exported or extended class, a method overriding another, read as a value, or called on another object than `this` while its client is a field).',
      'call-not-migrated': 'A model is used for `batchEmbedContents`, or for a chat or stream away from its client.',
      'chat-not-followed': 'A chat kept where its id cannot live (a `Map`, a returned value), a turn not awaited where it is sent, or history with other than text.',
      'chat-turns-may-overlap': 'A note on migrated code: the chat outlives one function, so callers could now send two turns at once (the old chat queued them).',
      'stream-not-followed': 'A stream returned or passed on, iterated more than once, or read through other than `text()` and usage.',
      'dynamic-settings': 'Settings built at run time (a parameter, a call, a computed key, a spread after other settings), or a constant also read where it cannot change with the models (another reader, a model that stays): their Interactions shape cannot be proven, or converting them would break the other reader.',
      'setting-not-mapped': 'A setting with no Interactions mapping: `topK`, penalties, logprobs, `candidateCount` > 1, `thinkingBudget`; `nullable` or non-JSON-Schema fields in a schema; `text/x.enum`; `responseModalities`, `speechConfig`, `imageConfig`, `mediaResolution` (the TODO says where they go); tools other than functions, code execution, Google Search and URL context; a per-request `toolConfig`; a genai setting written beside `config` rather than in it (JavaScript), which the SDK never sent. The TODO names the value.',
      'system-instruction-not-string': 'Interactions takes a string system instruction; a Content or Part would have to be joined by hand.',
      'request-shape': 'The request is not a string prompt (parts, contents with roles, a request object), or a manual function-call history of another shape than declare, send, push the model turn and the answers, send (a loop, answers without the call id).',
      'automatic-function-calling': 'A callable tool, `mcpToTool(...)` or `config.automaticFunctionCalling` (other than `{ disable: true }`): the SDK ran the function loop, Interactions does not.',
      'response-not-followed': 'The result is passed on or read through a field with no Interactions equivalent; for tool and media fields (`executableCode` parts, `codeExecutionResult`, `groundingMetadata`, `inlineData`, the `data` getter) the TODO names the steps or blocks that carry them now.',
      'request-options': 'Request options that differ between models of one client, or that cannot be moved to the client.',
    },
  },
  run(ctx) {
    // Constants of other modules of the run may be converted where they are declared (config-map.ts).
    return withRunFiles(ctx.inRun, () => migrateFile(ctx));
  },
};

/** One file's migration (see the transform's docs): its edits, and those of other files it reaches. */
function migrateFile(ctx: TransformContext): TextEdit[] {
  const sf = ctx.sourceFile;
  const style = fileStyle(sf);
  const plan: Plan = { home: sf, edits: [], files: new Map(), taken: new Set(), sharing: [] };
  const generateCalls = findNodes<CallExpression>(sf, SyntaxKind.CallExpression, (n) => {
    const callee = (n as TS.CallExpression).expression;
    return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'generateContent' || callee.name.text === 'generateContentStream');
  });
  for (const call of generateCalls) migrateGenaiCall(call, ctx, style, plan);
  commitSharedConfigs(plan, ctx);
  for (const client of legacyClients(sf)) migrateLegacyClient(client, ctx, style, plan);
  const chatCreates = findNodes<CallExpression>(sf, SyntaxKind.CallExpression, (n) => {
    const callee = (n as TS.CallExpression).expression;
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'create' && ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'chats';
  });
  for (const start of chatCreates) migrateGenaiChat(start, ctx, style, plan);
  // Every file an edit goes to gets its imports seen to (a converted constant's module too).
  for (const e of plan.edits) if (e.sourceFile) filePlan(plan, e.sourceFile);
  const out = [...plan.edits];
  for (const [file, fp] of plan.files) {
    const own = plan.edits.filter((e) => (e.sourceFile ?? sf) === file);
    if (own.length === 0) continue;
    const fileStyleOf = fileStyle(file);
    // Whatever names a type of the namespace (a step's annotation, a settings type) needs its import.
    if (fileStyleOf.typescript && own.some((e) => /\bInteractions\./.test(e.text))) fp.needs.types.add('Interactions');
    // The helpers migrated code calls (stream text, function calls): once per file, after everything else.
    const helpers = [
      fp.turns.stream && streamHelperText(fp.turns.stream.helper, fileStyleOf.typescript, fileStyleOf.semicolon, fileStyleOf.quote, indentUnit(file)),
      fp.turns.calls && functionCallsHelperText(fp.turns.calls.name, fileStyleOf.typescript, fileStyleOf.semicolon, fileStyleOf.quote, indentUnit(file)),
    ].filter((h): h is string => Boolean(h));
    for (const helper of helpers) {
      if (fileStyleOf.typescript) fp.needs.types.add('Interactions');
      const end = file.getEnd();
      const edit = { start: end, end, text: `${file.getFullText().endsWith('\n') ? '' : '\n'}\n${helper}\n` };
      own.push(edit);
      out.push(...inFile([edit], file, plan));
    }
    const eol = file === sf ? ctx.eol : file.getFullText().includes('\r\n') ? '\r\n' : '\n';
    out.push(...inFile(importEdits(file, fp.needs, own, fileStyleOf, eol), file, plan));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// @google/genai: ai.models.generateContent({ model, contents, config }) → ai.interactions.create({ model, input, ... })

function migrateGenaiCall(call: CallExpression, ctx: TransformContext, style: FileStyle, plan: Plan): void {
  const callee = call.getExpression();
  if (plan.taken.has(call) || !Node.isPropertyAccessExpression(callee) || !['generateContent', 'generateContentStream'].includes(callee.getName())) return;
  const owner = sdkMethodOwner(callee.getNameNode());
  if (owner?.sdk !== 'genai' || owner.owner !== 'Models') return;
  const models = callee.getExpression();
  if (!Node.isPropertyAccessExpression(models) || models.getName() !== 'models') {
    return ctx.todo(call, 'request-shape', 'a Models object held apart from its client');
  }
  const [arg] = call.getArguments();
  if (!arg || !Node.isObjectLiteralExpression(arg)) return ctx.todo(call, 'dynamic-settings', 'the request is not an object literal');
  const contents = arg.getProperty('contents');
  const historyBlockers: Blocker[] = [];
  const contentsValue = Node.isShorthandPropertyAssignment(contents) ? (contents.getNameNode() as unknown as Expression) : Node.isPropertyAssignment(contents) ? contents.getInitializer() : undefined;
  const history = contentsValue && manualHistory(contentsValue, style, historyBlockers);
  if (history || historyBlockers.length) return migrateGenaiHistory(history, call, historyBlockers, ctx, style, plan);
  const one = genaiCallEdits(call, arg, style, plan);
  if (one.blockers.length) return reportBlockers(ctx, call, one.blockers);
  if (one.settings.bases?.length) plan.sharing.push({ calls: [call], bases: one.settings.bases, readers: one.settings.readers ?? [], commit: () => commitGenai(plan, one) });
  else commitGenai(plan, one);
}

/** The genai calls sharing converted config constants: those whose constants are read only by migrating calls. */
function commitSharedConfigs(plan: Plan, ctx: TransformContext): void {
  const kept = new Set(plan.sharing);
  for (let changed = true; changed; ) {
    changed = false;
    const reads = new Set([...kept].flatMap((g) => g.readers));
    for (const group of kept) {
      const stray = strayRead(group.bases, reads);
      if (!stray) continue;
      kept.delete(group);
      changed = true;
      for (const call of group.calls) ctx.todo(call, 'dynamic-settings', `${stray.name} is also read where it cannot change with it (${where(stray.at, call)})`);
    }
  }
  for (const group of kept) group.commit();
}

/** A read of one of the converted constants that the migrating settings did not take, with the constant's name. */
function strayRead(bases: VariableDeclaration[], reads: ReadonlySet<Node>): { name: string; at: Node } | undefined {
  for (const base of bases) {
    const name = base.getNameNode() as Identifier;
    const at = variableReferences(name).find((ref) => ref !== name && !reads.has(ref));
    if (at) return { name: name.getText(), at };
  }
  return undefined;
}

/** A send of a manual history: its input, the reads that go with removed code, how its result is kept. */
interface HistoryTurn {
  fields: Array<[string, string]>;
  skip: (ref: Node) => boolean;
  /** Writes of the result variable by the next send (a loop): the first send's reads cover them. */
  also?: (write: Node) => boolean;
  /** `response = await ...`: stored in the first send's variable, whose reads are the first send's. */
  stored?: boolean;
}

/** What one genai call becomes: its edits, or the blockers that keep it as it was. */
interface GenaiCallEdits {
  edits: TextEdit[];
  blockers: Blocker[];
  turns: TurnNeeds;
  types: boolean;
  settings: MappedSettings;
}

/**
 * `ai.models.generateContent({ model, contents, config })` → `ai.interactions.create({ model, input, ... })`.
 * `turn` replaces what `contents` says (a manual history's turn), and names the reads that go with removed code.
 */
function genaiCallEdits(call: CallExpression, arg: ObjectLiteralExpression, style: FileStyle, plan: Plan, turn?: HistoryTurn): GenaiCallEdits {
  const callee = call.getExpression() as import('ts-morph').PropertyAccessExpression;
  const models = callee.getExpression() as import('ts-morph').PropertyAccessExpression;
  const stream = callee.getName() === 'generateContentStream';
  const settings = { ...emptySettings(true), shareable: true }; // its constants are checked in commitSharedConfigs
  const pairs: Array<[string, string]> = [];
  for (const { name, value, node: prop } of properties(arg, settings.blockers)) {
    if (name === 'model') {
      pairs.push(['model', value.getText()]);
    } else if (name === 'contents') {
      const input = turn ? undefined : genaiContents(value, style, settings.blockers);
      if (turn) pairs.push(...turn.fields);
      else if (input) pairs.push(['input', input]);
    } else if (name === 'config') {
      mapGenaiConfig(value, settings, style);
    } else {
      // The SDK reads model, contents and config only: a setting beside them (JavaScript) was never sent.
      settings.blockers.push({ node: prop, reason: 'setting-not-mapped', detail: `${name} outside config, which the SDK never sent` });
    }
  }
  let reads: TextEdit[] = [];
  const turns: TurnNeeds = {};
  if (settings.blockers.length === 0 && stream) {
    settings.topLevel.push(['stream', 'true']);
    const loop = streamEdits(call, { sdk: 'genai', helper: streamHelper(plan, plan.home) }, settings.blockers);
    if (loop) {
      reads = loop.edits;
      turns.stream = loop.needs;
    }
  } else if (settings.blockers.length === 0 && !turn?.stored) {
    const calls = callsHelper(plan, plan.home);
    reads = responseReads(call, 'genai', settings.blockers, calls, turn?.also, turn?.skip);
    if (calls.used) turns.calls = calls;
    textCaveat(settings, reads, call, settings.blockers);
  }
  const indent = indentOf(arg);
  const edits: TextEdit[] = [
    { start: models.getNameNode().getStart(), end: callee.getEnd(), text: 'interactions.create' },
    { start: arg.getStart(), end: arg.getEnd(), text: requestText(pairs, settings, arg, indent, indentUnit(call.getSourceFile())) },
    ...reads, // inline in create(), the settings are typed by its parameter: no import needed
    ...settings.edits,
  ];
  return { edits, blockers: settings.blockers, turns, types: Boolean(settings.types), settings };
}

function commitGenai(plan: Plan, one: GenaiCallEdits): void {
  filePlan(plan, plan.home);
  commitCluster(plan, new Map([[plan.home, { turns: one.turns, types: one.types }]]));
  plan.edits.push(...one.edits);
}

/**
 * A manual function-call history (see genai-history.ts): both sends migrate together or not at all. The first
 * sends the initial contents; the second the answers as `function_result` steps, chained on the first's id, with
 * its own settings (the tools) as they were. Edits of the first's reads that fall in the answers move with them.
 */
function migrateGenaiHistory(history: ManualHistory | undefined, call: CallExpression, blockers: Blocker[], ctx: TransformContext, style: FileStyle, plan: Plan): void {
  // Every send that stays is marked where it stands (a blocker may point at the first send, or at the array).
  if (!history) {
    ctx.todo(call, blockers[0]!.reason, blockers[0]!.detail);
    return reportBlockers(ctx, call, blockers);
  }
  plan.taken.add(history.first).add(history.second);
  const results = history.results;
  const inResults = (e: TextEdit) => e.start >= results.getStart() && e.end <= results.getEnd();
  // Reads in removed code go with it; those in the answers move with them into the second send.
  const skip = (ref: Node) => isRemoved(ref, history.removals) && !inResults({ start: ref.getStart(), end: ref.getEnd(), text: '' });
  const argOf = (c: CallExpression) => c.getArguments()[0] as ObjectLiteralExpression;
  const also = (write: Node) => storedSend(write) === history.second;
  const first = genaiCallEdits(history.first, argOf(history.first), style, plan, { fields: [['input', history.firstInput]], skip, also });
  const moved = [...history.resultEdits, ...first.edits].filter(inResults);
  first.edits = first.edits.filter((e) => !inResults(e) && !history.removals.some((r) => e.start >= r.start && e.end <= r.end));
  const unit = indentUnit(ctx.sourceFile);
  const input = reindent(textWithEdits(results, moved), indentOf(results), indentOf(argOf(history.second)) + unit);
  const id = `${history.firstResult.getText()}.id`;
  const second = genaiCallEdits(history.second, argOf(history.second), style, plan, { fields: [['previous_interaction_id', id], ['input', input]], skip, stored: history.reassigned });
  const all = [...first.blockers, ...second.blockers];
  // Reads of a variable both sends store into: the text caveat (P6) holds for the second's tools too.
  if (history.reassigned) textCaveat(second.settings, first.edits, history.second, all);
  // store: false keeps no interaction to chain on (P2): the first's, or in a loop the one before each send.
  const unstored = (one: GenaiCallEdits) => one.settings.topLevel.some(([k, v]) => k === 'store' && v !== 'true');
  if (unstored(first) || (history.reassigned && unstored(second))) all.push({ node: history.first, reason: 'request-shape', detail: 'a manual history sent with store off: there is no stored interaction to chain the answers on' });
  if (all.length) {
    ctx.todo(history.second, all[0]!.reason, all[0]!.detail);
    return reportBlockers(ctx, history.first, all);
  }
  const commit = () => {
    commitGenai(plan, first);
    commitGenai(plan, second);
    plan.edits.push(...history.resultEdits.filter((e) => !inResults(e)), ...history.removals);
  };
  const bases = [...(first.settings.bases ?? []), ...(second.settings.bases ?? [])];
  const readers = [...(first.settings.readers ?? []), ...(second.settings.readers ?? [])];
  if (bases.length) plan.sharing.push({ calls: [history.first, history.second], bases, readers, commit });
  else commit();
}

/** The text of `node` with the edits inside it applied. */
function textWithEdits(node: Node, edits: TextEdit[]): string {
  const base = node.getStart();
  return applyEdits(node.getText(), edits.map((e) => ({ start: e.start - base, end: e.end - base, text: e.text })));
}

/**
 * `ai.chats.create({ model, history, config })`: the chat becomes its settings and state, as a legacy chat does;
 * `chat.sendMessage({ message, config })` a turn (a per-turn config replaces the chat's, P18).
 */
function migrateGenaiChat(start: CallExpression, ctx: TransformContext, style: FileStyle, plan: Plan): void {
  const callee = start.getExpression() as import('ts-morph').PropertyAccessExpression;
  const owner = sdkMethodOwner(callee.getNameNode());
  if (owner?.sdk !== 'genai' || owner.owner !== 'Chats') return;
  const chats = callee.getExpression() as import('ts-morph').PropertyAccessExpression;
  const clientNode = chats.getExpression();
  const blockers: Blocker[] = [];
  const cluster: ClusterNeeds = new Map();
  const chat = chatPlan(start, 'genai', blockers);
  const edits: TextEdit[] = [];
  const unit = indentUnit(ctx.sourceFile);
  for (const send of chat?.sends ?? []) {
    if (!clientReaches(clientNode, send.call)) {
      blockers.push({ node: send.call, reason: 'chat-not-followed', detail: `${clientNode.getText()} is out of reach here` });
      continue;
    }
    const turnMessage = messageTurn(send.message, blockers, 'genai');
    if (!turnMessage) continue;
    const { edits: messageEdits, typed, ...message } = turnMessage;
    edits.push(...messageEdits);
    if (typed) clusterFile(cluster, plan.home).types = true;
    let spread: string | undefined = send.use.getText();
    let fields = message.fields;
    if (send.config) {
      const own = emptySettings();
      mapGenaiConfig(send.config, own, style);
      blockers.push(...own.blockers);
      const generation: Array<[string, string]> = own.generationConfig.length ? [['generation_config', objectText(own.generationConfig, indentOf(send.call) + unit, unit)]] : [];
      spread = undefined;
      fields = [['model', `${send.use.getText()}.model`], ...message.fields, ...own.topLevel, ...generation];
    }
    const siblings = new Set(chat!.sends.map((s) => s.call));
    const continues = chat!.shared || chat!.sends.length > 1 || insideLoop(send.call, start);
    const spec = { call: send.call, sdk: 'genai' as const, client: clientNode.getText(), spread, ...message, fields, stream: send.stream, chat: chat!.state, siblings, continues };
    edits.push(...turnEdits(spec, streamHelper(plan, plan.home), blockers, clusterFile(cluster, plan.home).turns, callsHelper(plan, plan.home)));
  }
  if (!chat || blockers.length) return reportBlockers(ctx, start, blockers);
  const typedHere = style.typescript && !isCtorField(chat.slot) && needsTypedSettings(chat.settings);
  edits.push(...chatStateEdits(chat, start, undefined, style.typescript ? SETTINGS_FIELD_TYPE.replace(/'/g, style.quote) : undefined, typedHere ? ` satisfies ${SETTINGS_TYPE}` : undefined));
  if (!style.typescript && needsTypedSettings(chat.settings)) edits.push(jsdocSettings(chat.slot));
  edits.push(...chat.settings.edits);
  plan.edits.push(...edits);
  if (style.typescript && (chat.state.history || chat.slot.typeNode || typedHere || chat.settings.types)) clusterFile(cluster, plan.home).types = true;
  commitCluster(plan, cluster);
  if (chat.shared) ctx.todo(chat.slot.holder, 'chat-turns-may-overlap');
}

/** Whether the client expression (`ai`, `this.ai`) means the same client where `site` stands. */
function clientReaches(client: Node, site: Node): boolean {
  if (Node.isIdentifier(client)) {
    const decl = client.getSymbol()?.getDeclarations()[0];
    if (Node.isImportSpecifier(decl) || Node.isImportClause(decl) || Node.isNamespaceImport(decl)) return true;
    const scope = decl?.getFirstAncestor((a) => Node.isBlock(a) || Node.isSourceFile(a) || Node.isModuleBlock(a));
    return scope !== undefined && site.getAncestors().includes(scope);
  }
  if (Node.isPropertyAccessExpression(client) && client.getExpression().getKind() === SyntaxKind.ThisKeyword) {
    const classOf = (n: Node) => n.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
    const member = site.getFirstAncestor((a) => (Node.isFunctionLikeDeclaration(a) && !Node.isArrowFunction(a)) || Node.isPropertyDeclaration(a));
    return classOf(client) !== undefined && member?.getParent() === classOf(client);
  }
  return false;
}

/** genai `contents`: a string, an array of parts, or an array of contents (with roles, or one without). */
function genaiContents(value: Expression, style: FileStyle, blockers: Blocker[]): string | undefined {
  if (isStringValued(value)) return value.getText();
  const first = Node.isArrayLiteralExpression(value) ? value.getElements()[0] : undefined;
  const withRoles = Node.isObjectLiteralExpression(first) && (first.getProperty('role') !== undefined || first.getProperty('parts') !== undefined);
  const items = withRoles ? contentsToSteps(value, style, isStringValued, blockers, true) : partsToBlocks(value, style, isStringValued, blockers);
  const indent = indentOf(value.getParentOrThrow());
  return items && arrayText(items, indent, indentUnit(value.getSourceFile()));
}

/**
 * The fields a legacy `generateContent(request)` adds after the model's settings: `input`, and for a request
 * object its own settings, which replace the model's field by field as the legacy SDK did (Object.assign).
 */
function legacyRequest(arg: Expression, style: FileStyle, blockers: Blocker[], edits?: TextEdit[]): Array<[string, string]> | undefined {
  if (isStringValued(arg)) return [['input', arg.getText()]];
  // Items are laid out for the create() call, whose fields sit one level in from the statement.
  const unit = indentUnit(arg.getSourceFile());
  const indent = indentOf(arg) + unit;
  if (Node.isArrayLiteralExpression(arg)) {
    const blocks = partsToBlocks(arg, style, isStringValued, blockers, edits);
    return blocks ? [['input', arrayText(blocks, indent, unit)]] : undefined;
  }
  if (!Node.isObjectLiteralExpression(arg)) {
    blockers.push({ node: arg, reason: 'request-shape', detail: 'a request built at run time' });
    return undefined;
  }
  const settings = emptySettings();
  let input: string | undefined;
  for (const { name, value, node: prop } of properties(arg, settings.blockers)) {
    if (name === 'contents') {
      const steps = contentsToSteps(value, style, isStringValued, settings.blockers, true);
      input = steps && arrayText(steps, indent, unit);
    }
    else if (name === 'systemInstruction') mapSystemInstruction(value, settings);
    else if (name === 'generationConfig') mapLegacyGenerationConfig(value, settings);
    else if (name === 'safetySettings') mapSafetySettings(value, settings, style);
    else if (name === 'tools') mapTools(value, settings, style);
    else if (name === 'toolConfig') mapToolConfig(value, settings, style);
    else settings.blockers.push({ node: prop, reason: 'setting-not-mapped', detail: `request ${name}` });
  }
  if (input === undefined && settings.blockers.length === 0) settings.blockers.push({ node: arg, reason: 'request-shape', detail: 'a request without contents' });
  blockers.push(...settings.blockers);
  if (input === undefined || settings.blockers.length) return undefined;
  const fields: Array<[string, string]> = [['input', input], ...settings.topLevel];
  if (settings.generationConfig.length) fields.push(['generation_config', `{ ${settings.generationConfig.map(fieldText).join(', ')} }`]);
  return fields;
}

/** The create() request: model and input first, then the mapped settings, formatted like the original literal. */
function requestText(pairs: Array<[string, string]>, settings: MappedSettings, original: ObjectLiteralExpression, indent: string, unit: string): string {
  const all = [...pairs, ...settings.topLevel];
  if (settings.generationConfig.length) all.push(['generation_config', objectText(settings.generationConfig, indent + unit, unit)]);
  return objectLike(all, indent, unit, original);
}

/**
 * JavaScript has no `satisfies`: a settings object whose fields need literal types (`type: 'function'`) gets a JSDoc
 * type above its statement, so checkJs projects and editors type it as create() expects.
 */
function jsdocSettings(slot: Slot): TextEdit {
  const statement = slot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement) ?? slot.holder;
  const q = fileStyle(statement.getSourceFile()).quote;
  // A lazy `let model = null` keeps its empty start in the type.
  const empty = Node.isVariableDeclaration(slot.holder) && slot.holder.getInitializer()?.getKind() === SyntaxKind.NullKeyword ? ' | null' : '';
  const type = `Omit<import(${q}@google/genai${q}).Interactions.CreateModelInteractionParamsNonStreaming, ${q}input${q} | ${q}stream${q}>${empty}`;
  return { start: statement.getStart(), end: statement.getStart(), text: `/** @type {${type}} */\n${indentOf(statement)}` };
}

function needsTypedSettings(settings: MappedSettings): boolean {
  // Only literal-typed fields need the declared type to keep their literal types in a stored object.
  return settings.topLevel.some(([k]) => LITERAL_TYPED_FIELDS.has(k)) || settings.generationConfig.some(([k]) => LITERAL_TYPED_FIELDS.has(k));
}

// ---------------------------------------------------------------------------------------------------------------
// @google/generative-ai: client → model handles → generateContent calls → response reads, all or nothing.

function legacyClients(sf: SourceFile): NewExpression[] {
  const names = sdkLocalNames(sf);
  if (names.size === 0) return [];
  const candidates = findNodes<NewExpression>(sf, SyntaxKind.NewExpression, (n) => {
    const e = (n as TS.NewExpression).expression;
    return names.has((ts.isPropertyAccessExpression(e) ? e.expression : e).getText(sf.compilerNode));
  });
  return candidates.filter((n) => {
    const e = sdkExportOf(n.getExpression());
    return e?.sdk === 'legacy' && e.name === 'GoogleGenerativeAI';
  });
}

interface ModelHandle {
  slot: Slot;
  /** For a model made in another module: how that module names the client it imports. */
  client?: string;
  call: CallExpression;
  settings: MappedSettings;
  pairs: Array<[string, string]>;
  /** `getGenerativeModel(params, requestOptions)`: these become client options. */
  requestOptions?: Node;
  /** A model made by a factory function: `slot` is the function, its calls are the models. */
  factory?: Factory;
  /** Constants spread into its parameters, converted where they are declared. */
  bases: VariableDeclaration[];
  /** A factory's parameter spread last into its parameters: its callers' literals are converted. */
  overrides?: ModelParams['overrides'];
  /** A `let` several models are stored in: the calls storing them (this one included); they migrate together. */
  stores?: Set<Node>;
}

/** Stands for the client in a model's edits until it is known whether the old client stays (see below). */
const CLIENT = '\u0000client\u0000';

/** One model's migration, computed apart so that a blocked model does not hold the others back. */
interface HandleResult {
  handle: ModelHandle;
  edits: TextEdit[];
  blockers: Blocker[];
  notes: Blocker[];
  cluster: ClusterNeeds;
  shared: SharedClient;
  /** Reaches the client only as a field of its class (a client made in the constructor). */
  hoisted?: boolean;
  /** Functions of the module it is handed to as a parameter, and the arguments that hand it. */
  params: ModelParameter[];
  passed: Node[];
}

/**
 * A legacy client and the models it makes. Each model is migrated with every call on it, or not at all (a
 * half-migrated model would not type-check). When every use of the client migrates, the client itself becomes a
 * `GoogleGenAI`; when some stay (a model that is blocked, a factory, the client passed on), the old client stays for
 * them, a `GoogleGenAI` client is declared beside it for the migrated models, and the TODOs say what is left.
 */
function migrateLegacyClient(client: NewExpression, ctx: TransformContext, style: FileStyle, plan: Plan): void {
  const clientSlot = slotOf(client);
  if (!clientSlot) {
    const token = providerToken(client);
    return ctx.todo(client, 'client-used-elsewhere', token ? `handed out by the dependency-injection provider of ${token}: migrate it with the classes it is injected into` : 'a client not kept in a variable or field of its own');
  }
  /** Uses of the client that stay on the legacy SDK whatever happens to the models. */
  const kept: Blocker[] = [];
  const handles: ModelHandle[] = [];
  const handleBlockers = new Map<ModelHandle, Blocker[]>();
  kept.push(...refusedRequires(clientSlot, 'client-used-elsewhere'));
  for (const ref of slotReferences(clientSlot)) {
    const use = useExpression(clientSlot, ref);
    if (ref === clientSlot.storeSite) continue;
    if (!use || isAssignmentTarget(use)) {
      kept.push({ node: ref, reason: 'client-used-elsewhere', detail: use ? 'reassigned' : undefined });
    } else if (!isRunFile(use.getSourceFile())) {
      kept.push({ node: clientSlot.holder, reason: 'client-used-elsewhere', detail: outsideUse(clientSlot, use) });
    } else if (use.getSourceFile() !== ctx.sourceFile && !importsClient(use, clientSlot)) {
      kept.push({ node: clientSlot.holder, reason: 'client-used-elsewhere', detail: `used in ${use.getSourceFile().getBaseName()}` });
    } else {
      // A model made in another module from the exported client: that module reaches the client by its import.
      const own: Blocker[] = [];
      const handle = modelHandleAt(use, own);
      if (handle) {
        const h = { ...handle, client: use.getSourceFile() === ctx.sourceFile ? undefined : use.getText() };
        handles.push(h);
        handleBlockers.set(h, own);
      } else kept.push(...own);
    }
  }
  // Models stored in one `let` share its type: each knows the others' calls.
  for (const h of handles) {
    const together = handles.filter((o) => o.slot.name === h.slot.name);
    if (together.length > 1 || h.slot.storeSite !== h.slot.name) h.stores = new Set(together.map((o) => o.call));
  }
  const hoist = ctorClientField(clientSlot) ?? lateClientField(clientSlot, style);
  const results = handles.map((h) => migrateHandle(h, handleBlockers.get(h)!, clientSlot, hoist, ctx, plan));
  allOrNone(results);
  const migrated = results.filter((r) => r.blockers.length === 0);
  const blocked = results.filter((r) => r.blockers.length > 0);
  const optionBlockers: Blocker[] = [];
  const clientOptions = clientOptionsFrom(migrated.map((r) => r.handle), optionBlockers);
  const allBlockers = [...kept, ...blocked.flatMap((r) => r.blockers)];
  const clientStatement = clientSlot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  const partial = allBlockers.length > 0;
  const hoisted = migrated.some((r) => r.hoisted);
  // A second client cannot be handed to CommonJS importers the way ES ones get it (an `export` beside it).
  const required = migrated.filter((r) => r.shared.commonJs);
  if (partial && required.length) {
    return reportBlockers(ctx, client, [...allBlockers, ...required.map((r) => ({ node: r.handle.call, reason: 'model-used-elsewhere' as const, detail: 'required by other modules, while other uses of its client stay on the legacy SDK' }))]);
  }
  if (hoisted && partial) {
    const out = migrated.filter((r) => r.hoisted).map((r) => ({ node: r.handle.call, reason: 'model-used-elsewhere' as const, detail: `${clientSlot.access} is out of reach here` }));
    return reportBlockers(ctx, client, [...allBlockers, ...out]);
  }
  const canSplit = clientSlot.kind === 'variable' && clientStatement?.getDeclarations().length === 1 && !clientSlot.typeNode;
  if (migrated.length === 0 || optionBlockers.length || (partial && !canSplit)) {
    return reportBlockers(ctx, client, [...allBlockers, ...optionBlockers]);
  }
  // The name the migrated models reach the client by: the old one, or (split) a new client's, free in every file.
  const files = new Set([ctx.sourceFile, ...migrated.map((r) => r.handle.call.getSourceFile())]);
  const newName = partial ? ['ai', 'genai', 'googleGenAI'].find((n) => [...files].every((f) => freshName(f, n) === n)) : undefined;
  if (partial && !newName) return reportBlockers(ctx, client, [...allBlockers, { node: client, reason: 'client-used-elsewhere', detail: 'no free name for a second client' }]);
  // Split: modules that import the old client for a migrated model import the new one (instead, or as well). Decided
  // before anything is committed, so that a module whose import cannot be extended leaves the whole client as it was.
  const newImports = new Map<SourceFile, TextEdit>();
  for (const r of partial ? migrated : []) {
    if (!r.handle.client) continue;
    const file = r.handle.call.getSourceFile();
    const importEdit = importNewClient(r.handle, newName!, migrated.map((m) => m.handle));
    if (!importEdit) return reportBlockers(ctx, client, [...allBlockers, { node: r.handle.call, reason: 'model-used-elsewhere', detail: `the import in ${file.getBaseName()} cannot be extended` }]);
    newImports.set(file, importEdit);
  }
  for (const b of allBlockers) ctx.todo(b.node, b.reason, b.detail);

  const unit = indentUnit(ctx.sourceFile);
  const edits: TextEdit[] = [];
  const args = client.getArguments();
  const options: Array<[string, string]> = [...(args[0] ? [['apiKey', args[0].getText()] as [string, string]] : []), ...clientOptions];
  const optionsText = objectText(options, indentOf(clientSlot.holder), unit);
  if (hoisted) {
    edits.push(...hoistEdits(clientSlot, hoist!, `new GoogleGenAI(${optionsText})`, style));
  } else if (!partial) {
    edits.push({ start: client.getStart(), end: client.getEnd(), text: `new GoogleGenAI(${optionsText})` });
    if (clientSlot.typeNode) edits.push({ start: clientSlot.typeNode.getStart(), end: clientSlot.typeNode.getEnd(), text: keepingEmpty(clientSlot.typeNode, 'GoogleGenAI') });
  } else {
    const semi = style.semicolon ? ';' : '';
    const exported = clientStatement!.hasExportKeyword() || migrated.some((r) => r.shared.exportEdit) ? 'export ' : '';
    const kind = clientStatement!.getDeclarationKind();
    edits.push({ start: clientStatement!.getEnd(), end: clientStatement!.getEnd(), text: `\n${indentOf(clientStatement!)}${exported}${kind} ${newName} = new GoogleGenAI(${optionsText})${semi}` });
  }
  const shared: SharedClient = { imports: new Map() };
  for (const r of migrated) {
    for (const note of r.notes) ctx.todo(note.node, note.reason, note.detail);
    for (const [file, edit] of r.shared.imports) shared.imports.set(file, edit);
    for (const [file, edit] of r.shared.reexports ?? []) (shared.reexports ??= new Map()).set(file, edit);
    shared.exportEdit ??= r.shared.exportEdit;
    const local = partial ? newName! : hoisted ? hoist!.access : (r.handle.client ?? clientRead(clientSlot, style));
    edits.push(...r.edits.map((e) => ({ ...e, text: e.text.split(CLIENT).join(local) })));
    commitCluster(plan, r.cluster);
  }
  for (const [file, edit] of newImports) shared.imports.set(file, edit);
  edits.push(...[...shared.imports.values(), ...(shared.reexports?.values() ?? [])].map((e) => (e.text.includes(CLIENT) ? { ...e, text: e.text.split(CLIENT).join(newName ?? clientSlot.name.getText()) } : e)));
  if (shared.exportEdit && !partial) edits.push(shared.exportEdit);
  plan.edits.push(...edits);
  filePlan(plan, ctx.sourceFile).needs.values.add('GoogleGenAI');
}

/**
 * Models that share something migrate together or not at all: a constant spread into several models' parameters
 * is converted once, for all of them (every reader of it must be the parameters of a model that migrates), and
 * models stored in one `let` share its type.
 */
function allOrNone(results: HandleResult[]): void {
  for (let changed = true; changed; ) {
    changed = false;
    const migrating = results.filter((r) => r.blockers.length === 0);
    const migratedReads = new Set(migrating.flatMap((r) => r.handle.settings.readers ?? []));
    const migratedPasses = new Set(migrating.flatMap((r) => r.passed));
    const migratedCalls = new Set<Node>(migrating.map((r) => r.handle.call));
    for (const r of results) {
      if (r.blockers.length) continue;
      const stays = [...(r.handle.stores ?? [])].find((c) => !migratedCalls.has(c));
      if (stays) {
        r.blockers.push({ node: r.handle.call, reason: 'model-used-elsewhere', detail: `${r.handle.slot.name.getText()} also holds a model that stays (line ${stays.getStartLineNumber()})` });
        changed = true;
        continue;
      }
      // A function taking models as a parameter changes with them: every call of it must hand it a migrating model.
      const strayCall = r.params.map((p) => strayPass(p, functionReferences(p.fnName), migratedPasses)).find(Boolean);
      if (strayCall) {
        r.blockers.push({ node: r.handle.call, reason: 'model-used-elsewhere', detail: `handed to a function also used where a model that stays is passed (${where(strayCall, r.handle.call)})` });
        changed = true;
        continue;
      }
      const stray = strayRead(r.handle.bases, migratedReads);
      if (stray) {
        r.blockers.push({ node: r.handle.call, reason: 'dynamic-settings', detail: `${stray.name} is also read where it cannot change with it (${where(stray.at, r.handle.call)})` });
        changed = true;
      }
    }
  }
}

/** The references of a function of the module (a declaration or a variable holding it), the name excluded. */
function functionReferences(name: Identifier): Node[] {
  const holder = name.getParentOrThrow();
  return slotReferences({ kind: 'variable', name, access: name.getText(), holder, storeSite: name });
}

/** `line 12`, or `tools.ts line 12` for a place in another module than the one migrated. */
function where(node: Node, from: Node): string {
  const file = node.getSourceFile() === from.getSourceFile() ? '' : `${node.getSourceFile().getBaseName()} `;
  return `${file}line ${node.getStartLineNumber()}`;
}

/**
 * A module that imports the old client for a migrated model: its import names the new client instead, or as well
 * when other uses of the old client remain there. Undefined when the import cannot be rewritten (an alias).
 */
function importNewClient(handle: ModelHandle, newName: string, migrated: ModelHandle[]): TextEdit | undefined {
  const file = handle.call.getSourceFile();
  const use = handle.call.getExpression().getFirstChild();
  const decl = use?.getSymbol()?.getDeclarations()[0];
  if (!Node.isImportSpecifier(decl) || decl.getAliasNode()) return undefined;
  const local = decl.getNameNode() as Identifier;
  const stillUsed = localReferences(local).some((ref) => !migrated.some((m) => m.call.getSourceFile() === file && m.call.getExpression().getFirstChild() === ref));
  return stillUsed
    ? { start: decl.getEnd(), end: decl.getEnd(), text: `, ${newName}`, sourceFile: file }
    : { start: local.getStart(), end: local.getEnd(), text: newName, sourceFile: file };
}

/** One model handle: its calls, chats and streams, and its settings object; the client is written as CLIENT. */
function migrateHandle(handle: ModelHandle, blockers: Blocker[], clientSlot: Slot, hoist: Slot | undefined, ctx: TransformContext, plan: Plan): HandleResult {
  const result: HandleResult = { handle, edits: [], blockers, notes: [], cluster: new Map(), shared: { imports: new Map() }, params: [], passed: [] };
  const { edits, notes, cluster } = result;
  const handleFile = handle.call.getSourceFile();
  /** Whether a call in the handle's file can reach the client: anywhere for an imported client. */
  const reachable = (site: Node) => {
    if (handle.client || reaches(clientSlot, site)) return true;
    // A client made in the constructor, used from the class's methods: it becomes a field (see ctorClientField).
    if (hoist && reaches(hoist, site)) return (result.hoisted = true);
    return false;
  };
  const refs = slotReferences(handle.slot).filter((r) => r !== handle.slot.storeSite);
  blockers.push(...refusedRequires(handle.slot, 'model-used-elsewhere'));
  const outside = refs.find((r) => !isRunFile(r.getSourceFile()));
  if (outside) blockers.push({ node: handle.slot.holder, reason: 'model-used-elsewhere', detail: outsideUse(handle.slot, outside) });
  const exported = (handle.factory ? isExportedFactory(handle.factory) : isExportedVariable(handle.slot)) || commonJsUsers(handle.slot) !== undefined;
  if (refs.length === 0 && !storedAndReturned(handle.slot) && exported) {
    // Exported, and no use in the files of this run: its users are elsewhere, and a settings object would break them.
    blockers.push({ node: handle.slot.holder, reason: 'model-used-elsewhere', detail: 'exported, with no use in the files migrated' });
  }
  const { uses, holders, calls } = handle.factory
    ? factoryUses(handle.factory, refs, blockers)
    : { uses: refs.map((ref): ModelUse => { const use = useExpression(handle.slot, ref); return { ref, use, anchor: use }; }), holders: [], calls: [] };
  // A model that may be missing: presence tests stay, lazy getters hand it out (nullable.ts).
  const getterTypes = handle.factory ? [] : nullableUses(handle.slot, uses, holders, fileStyle(handleFile).typescript ? SETTINGS_FIELD_TYPE.replace(/'/g, fileStyle(handleFile).quote) : undefined, handle.stores, blockers);
  if (getterTypes.length) clusterFile(cluster, handleFile).types = true;
  edits.push(...inFile(getterTypes, handleFile, plan));
  // A factory that makes its own client returns it with the settings; only models kept from it migrate (own-client.ts).
  const own = makesOwnClient(handle.factory, clientSlot) ? ownClientUses(handle.factory, uses, holders, blockers) : undefined;
  if (handle.overrides) edits.push(...overridesEdits(handle, calls, blockers, plan));
  if (handle.settings.optionSpread) edits.push(...optionsEdits(handle, calls, blockers, plan));
  if (handle.stores && !startsEmpty(handle.slot) && !handle.stores.has((handle.slot.holder as VariableDeclaration).getInitializerOrThrow())) {
    blockers.push({ node: handle.slot.holder, reason: 'model-used-elsewhere', detail: `${handle.slot.name.getText()} also holds another value` });
  }
  for (const { ref, use, anchor, via } of uses) {
    // Another model stored in the same `let` is migrated by its own handle.
    if (use && handle.stores?.has(storedValue(use)!)) continue;
    if (own?.has(use!) && !own.get(use!)) continue; // refused in ownClientUses
    if (!use || isAssignmentTarget(use)) {
      blockers.push({ node: ref, reason: 'model-used-elsewhere', detail: use ? 'reassigned' : undefined });
      continue;
    }
    const access = use.getParent();
    const call = access?.getParent();
    const isGenerate =
      Node.isPropertyAccessExpression(access) && access.getName() === 'generateContent' && Node.isCallExpression(call) && call.getExpression() === access;
    const method = Node.isPropertyAccessExpression(access) && Node.isCallExpression(call) ? access.getName() : undefined;
    const useFile = use.getSourceFile();
    if ((method === 'countTokens' || method === 'embedContent') && useFile === handleFile && reachable(call!)) {
      edits.push(...inFile(modelsCall(call as CallExpression, method, CLIENT, use.getText(), blockers), useFile, plan));
      continue;
    }
    if ((method === 'startChat' || method === 'generateContentStream') && call) {
      if (useFile !== handleFile || !reachable(call)) {
        blockers.push({ node: use, reason: 'call-not-migrated', detail: `${method}() away from its client` });
      } else if (method === 'startChat') {
                // Turns of an exported chat may be sent from other modules: they get the client through their import.
        const clientFor = (send: Node) => {
          if (send.getSourceFile() === useFile) return CLIENT;
          const chatSlot = slotOf(call as CallExpression);
          const shared = useFile === ctx.sourceFile && chatSlot ? shareClient(clientSlot, { slot: chatSlot }, send, blockers, result.shared) : undefined;
          if (!shared) blockers.push({ node: send, reason: 'chat-not-followed', detail: `used in ${send.getSourceFile().getBaseName()}, away from its client` });
          return shared;
        };
        edits.push(...inFile(legacyChat(call as CallExpression, use, clientFor, handle.settings, plan, cluster, blockers, notes), useFile, plan));
      } else {
        const [arg, options] = (call as CallExpression).getArguments();
        if (options) blockers.push({ node: call, reason: 'request-options', detail: 'per-call options' });
        const request = arg && legacyRequest(arg as Expression, fileStyle(useFile), blockers);
        if (!arg) blockers.push({ node: call, reason: 'request-shape', detail: 'no request' });
        const turn = { call: call as CallExpression, sdk: 'legacy' as const, client: CLIENT, spread: use.getText(), fields: request ?? [], stream: true };
        // Streamed chunks inlined executed code and its result as text; the events of a code_execution step are not text.
        if (textReadCaveat(handle.settings)?.includes('code_execution')) blockers.push({ node: call, reason: 'stream-not-followed', detail: 'code execution output was part of the chunk text' });
        if (request) edits.push(...inFile(turnEdits(turn, streamHelper(plan, useFile), blockers, clusterFile(cluster, useFile).turns), useFile, plan));
      }
      continue;
    }
    // Handed to a function of this module as its parameter: the parameter's uses are this model's too.
    const passedTo = !method ? modelParameter(use) : undefined;
    if (passedTo && !result.params.some((p) => p.param === passedTo.param)) {
      result.params.push(passedTo);
      result.passed.push(use);
      for (const r of localReferences(passedTo.name)) uses.push({ ref: r, use: r, anchor: undefined });
      const typeNode = passedTo.param.getTypeNode();
      if (typeNode && fileStyle(useFile).typescript) {
        edits.push(...inFile([{ start: typeNode.getStart(), end: typeNode.getEnd(), text: SETTINGS_FIELD_TYPE.replace(/'/g, fileStyle(useFile).quote) }], useFile, plan));
        clusterFile(cluster, useFile).types = true;
      }
      continue;
    }
    if (passedTo) {
      result.passed.push(use);
      continue;
    }
    if (!isGenerate) {
      if (method && LATER_METHODS.has(method)) blockers.push({ node: use, reason: 'call-not-migrated', detail: `${method}()` });
      else blockers.push({ node: use, reason: 'model-used-elsewhere', detail: method ? `${method}()` : howPassedOn(use) });
      continue;
    }
    const carried = own?.get(use);
    let clientAccess = carried?.client ?? CLIENT;
    if (carried) {
      // the model carries its client: nothing to reach
    } else if (useFile !== handleFile) {
      // A model exported to another module: that module gets the client too, through the import it already has.
      const shared = handleFile === ctx.sourceFile ? shareClient(clientSlot, via ? { slot: via.slot, factory: via } : handle, anchor ?? use, blockers, result.shared) : undefined;
      if (!shared) {
        if (handleFile !== ctx.sourceFile) blockers.push({ node: use, reason: 'model-used-elsewhere', detail: `used in ${useFile.getBaseName()}, away from its client` });
        continue;
      }
      clientAccess = shared;
    } else if (!reachable(call)) {
      blockers.push({ node: call, reason: 'model-used-elsewhere', detail: `${clientSlot.access} is out of reach here` });
      continue;
    }
    const [arg, options] = call.getArguments();
    if (options) blockers.push({ node: call, reason: 'request-options', detail: 'per-call options' });
    const partConstants: TextEdit[] = []; // parts kept in constants, converted where they are declared
    const request = arg && legacyRequest(arg as Expression, fileStyle(useFile), blockers, partConstants);
    if (!request) {
      if (!arg) blockers.push({ node: call, reason: 'request-shape', detail: 'no request' });
      continue;
    }
    edits.push(...inFile(partConstants, useFile, plan));
    const text = `${clientAccess}.interactions.create(${requestObject(carried?.settings ?? use.getText(), request, call)})`;
    const calls = callsHelper(plan, useFile);
    const reads = responseReads(call, 'legacy', blockers, calls);
    if (calls.used) clusterFile(cluster, useFile).turns.calls = calls;
    textCaveat(handle.settings, reads, call, blockers);
    edits.push(...inFile([...callReplacement(call as CallExpression, text), ...reads], useFile, plan));
  }
  blockers.push(...handle.settings.blockers);

  const handleStyle = fileStyle(handleFile);
  const unit = indentUnit(handleFile);
  const all = [...handle.pairs, ...handle.settings.topLevel];
  const indent = indentOf(handle.call);
  if (handle.settings.generationConfig.length) all.push(['generation_config', objectText(handle.settings.generationConfig, indent + unit, unit)]);
  if (handle.overrides) {
    const spread: [string, string] = [`...${handle.overrides.param.getName()}`, `...${handle.overrides.param.getName()}`];
    // Where it stood: before the model's own settings (after the constants spread first), or last.
    const own = all.findIndex(([key]) => !key.startsWith('...'));
    if (handle.overrides.leading && own >= 0) all.splice(own, 0, spread);
    else all.push(spread);
  }
  const objectLiteral = objectLike(all, indent, unit, handle.call.getArguments()[0]!);
  // A field assigned in the constructor keeps a declared type, which also types the literal; elsewhere the
  // literal is typed where it stands, and only when a literal-typed field needs it.
  const satisfies = handleStyle.typescript && !isCtorField(handle.slot) && needsTypedSettings(handle.settings);
  const settingsText = objectLiteral + (satisfies ? ` satisfies ${SETTINGS_TYPE}` : '');
  // An arrow's expression body that becomes an object literal needs parentheses, or it would read as a block.
  const arrowBody = Node.isArrowFunction(handle.call.getParent());
  const returned = own ? clientAndSettings(CLIENT, settingsText, indentOf(handle.call), unit) : settingsText;
  const handleEdits: TextEdit[] = [{ start: handle.call.getStart(), end: handle.call.getEnd(), text: arrowBody ? `(${returned})` : returned }];
  // The model's declared type goes with it: where it was kept, and where a factory's callers keep theirs.
  for (const slot of [handle.slot, ...holders]) {
    const settingsType = SETTINGS_FIELD_TYPE.replace(/'/g, handleStyle.quote);
    const edit = handle.stores && slot === handle.slot ? (handleStyle.typescript ? reassignedTypeEdit(slot, settingsType) : undefined) : slotTypeEdit(slot, handleStyle.quote);
    if (!edit) continue;
    edits.push(...inFile([edit], slot.holder.getSourceFile(), plan));
    if (edit.text) clusterFile(cluster, slot.holder.getSourceFile()).types = true;
  }
  const returnType = handle.factory && returnTypeSpan(handle.factory.fn);
  if (returnType) handleEdits.push({ ...returnType, text: '' });
  if (!handleStyle.typescript && !handle.factory && needsTypedSettings(handle.settings)) handleEdits.push(jsdocSettings(handle.slot));
  handleEdits.push(...handle.settings.edits); // constants converted where they are declared
  if (handle.settings.types) clusterFile(cluster, handleFile).types = true;
  edits.push(...inFile(handleEdits, handleFile, plan));
  if (satisfies) clusterFile(cluster, handleFile).types = true;
  else clusterFile(cluster, handleFile); // its legacy imports are pruned too
  return result;
}

/**
 * A factory's `overrides` parameter, spread last into its models' settings: each caller's object literal is written
 * in the Interactions shape, and the parameter is typed as partial settings. Blocked where a caller's argument is
 * not a literal, or the parameter is read other than by that spread.
 */
function overridesEdits(handle: ModelHandle, calls: CallExpression[], blockers: Blocker[], plan: Plan): TextEdit[] {
  const { param, index, generation } = handle.overrides!;
  const fn = param.getParent();
  const name = param.getNameNode() as Identifier;
  if (!handle.factory || fn !== handle.factory.fn || localReferences(name).length !== 1) {
    blockers.push({ node: handle.call, reason: 'dynamic-settings', detail: `the spread ...${name.getText()}: a parameter read elsewhere, or not of a factory` });
    return [];
  }
  const edits: TextEdit[] = [];
  for (const call of calls) {
    const arg = call.getArguments()[index];
    if (!arg) continue; // optional: the type checker made sure of it
    if (!Node.isObjectLiteralExpression(arg)) {
      blockers.push({ node: call, reason: 'dynamic-settings', detail: `${name.getText()} ${arg.getText()}` });
      continue;
    }
    const literal = overridesLiteral(arg, generation, fileStyle(call.getSourceFile()));
    blockers.push(...literal.blockers);
    edits.push(...inFile(literal.edits, call.getSourceFile(), plan));
  }
  const style = fileStyle(param.getSourceFile());
  if (!style.typescript) return edits;
  const type = `Partial<${SETTINGS_FIELD_TYPE.replace(/'/g, style.quote)}>`;
  const typeNode = param.getTypeNode();
  const after = param.getQuestionTokenNode() ?? name;
  edits.push(typeNode ? { start: typeNode.getStart(), end: typeNode.getEnd(), text: type } : { start: after.getEnd(), end: after.getEnd(), text: `: ${type}` });
  return edits;
}

/**
 * A factory's `...options.generationConfig`: its callers' literals are converted, its options type follows, and JSON
 * mode asked for by a caller reaches the settings as `response_format` (option-fields.ts).
 */
function optionsEdits(handle: ModelHandle, calls: CallExpression[], blockers: Blocker[], plan: Plan): TextEdit[] {
  const spread = handle.settings.optionSpread!;
  const fn = spread.param.getParent();
  if (!handle.factory || fn !== handle.factory.fn) {
    blockers.push({ node: handle.call, reason: 'dynamic-settings', detail: `the spread ...${spread.access.getText()}: not of a factory` });
    return [];
  }
  const ownFormat = handle.settings.topLevel.some(([k]) => k === 'response_format');
  const out = optionSpreadEdits(spread, calls, fn.getParameters().indexOf(spread.param), ownFormat);
  blockers.push(...out.blockers);
  if (out.blockers.length) return [];
  if (out.responseFormat) handle.settings.topLevel.push(['response_format', out.responseFormat]);
  if (out.types) handle.settings.types = true;
  (handle.settings.readers ??= []).push(...out.readers);
  return [...out.own, ...out.callers.flatMap(({ call, edits }) => inFile(edits, call.getSourceFile(), plan))];
}

/** For a TODO: how a model that is not called is handed on. */
function howPassedOn(use: Node): string | undefined {
  const statement = use.getFirstAncestor((a) => Node.isStatement(a));
  if (statement && /^(module\.)?exports\b/.test(statement.getText())) {
    // Exported again by a module that requires it (an index), or the model is the module itself (module.exports = model).
    if (isRequiredBinding(use)) return `re-exported from ${use.getSourceFile().getBaseName()}: the modules requiring it there are not followed`;
    return 'exported with module.exports: its users in other modules are not followed';
  }
  const parent = use.getParent();
  if (Node.isShorthandPropertyAssignment(parent) || Node.isPropertyAssignment(parent)) return 'put in an object';
  if (Node.isCallExpression(parent) || Node.isNewExpression(parent)) return 'passed to a function';
  if (Node.isReturnStatement(parent) || Node.isArrowFunction(parent)) return 'returned';
  return undefined;
}

/** A field declared apart and assigned in the constructor (its declared type stays, as the settings' type). */
function isCtorField(slot: Slot): boolean {
  return slot.kind === 'field' && slot.storeSite !== slot.name;
}

/** A slot's declared model type: the settings type for a field assigned in the constructor, else removed. */
function slotTypeEdit(slot: Slot, quote: string): TextEdit | undefined {
  const typeNode = slot.typeNode;
  if (!typeNode) return undefined;
  if (isCtorField(slot)) return { start: typeNode.getStart(), end: typeNode.getEnd(), text: keepingEmpty(typeNode, SETTINGS_FIELD_TYPE.replace(/'/g, quote)) };
  return { start: slot.name.getEnd(), end: typeNode.getEnd(), text: '' };
}

/** The edits that give other modules the client: one import per module, one `export` at most. */
interface SharedClient {
  imports: Map<SourceFile, TextEdit>;
  /** Barrels the model is imported through (`export { model } from './gemini'`): they re-export the client too. */
  reexports?: Map<SourceFile, TextEdit>;
  exportEdit?: TextEdit;
  /** Given to modules that require the model (commonjs.ts): the edits name the client, no placeholder. */
  commonJs?: boolean;
}

/**
 * Lets another module reach the client of a model it imports: the client's declaration is exported if it was not,
 * and the module's own import of the model names the client too. Returns how that module refers to the client, or
 * undefined (with a blocker) when this cannot be done cleanly.
 */
function shareClient(clientSlot: Slot, model: { slot: Slot; factory?: Factory }, use: Node, blockers: Blocker[], shared: SharedClient): string | undefined {
  const modelSlot = model.slot;
  const other = use.getSourceFile();
  const name = clientSlot.name.getText();
  const blocked = (detail: string) => {
    blockers.push({ node: use, reason: 'model-used-elsewhere', detail });
    return undefined;
  };
  if (isRequiredBinding(use)) {
    const share = shareClientCommonJs(clientSlot, modelSlot, use, shared);
    if ('refused' in share) return blocked(share.refused);
    shared.commonJs = true;
    return share.access;
  }
  if (shared.imports.has(other)) return CLIENT;
  const clientStatement = clientSlot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  const modelStatement = modelSlot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  const exported = model.factory ? isExportedFactory(model.factory) : modelStatement?.isExported();
  if (clientSlot.kind !== 'variable' || modelSlot.kind !== 'variable' || !Node.isSourceFile(clientStatement?.getParent()) || !exported) {
    return blocked(`used in ${other.getBaseName()}, away from its client`);
  }
  const specifier = Node.isIdentifier(use) ? use.getSymbol()?.getDeclarations()[0] : undefined;
  const importedFrom = Node.isImportSpecifier(specifier) ? specifier.getImportDeclaration().getModuleSpecifierSourceFile() : undefined;
  const home = clientSlot.name.getSourceFile();
  const through = Node.isImportSpecifier(specifier) && importedFrom && importedFrom !== home ? barrelReexport(importedFrom, home, clientSlot, specifier.getName()) : undefined;
  if (!Node.isImportSpecifier(specifier) || specifier.getAliasNode() || !importedFrom || (importedFrom !== home && !through)) {
    return blocked(`imported into ${other.getBaseName()} in a way the tool cannot extend (a re-export, an alias)`);
  }
  if (other.getLocals().some((l) => l.getName() === name)) return blocked(`${other.getBaseName()} already has a ${name}`);
  if (through && through !== 'as-is') (shared.reexports ??= new Map()).set(importedFrom, through);
  const last = specifier.getImportDeclaration().getNamedImports().at(-1)!;
  shared.imports.set(other, { start: last.getEnd(), end: last.getEnd(), text: `, ${CLIENT}`, sourceFile: other });
  if (!clientStatement!.isExported()) shared.exportEdit ??= { start: clientStatement!.getStart(), end: clientStatement!.getStart(), text: 'export ' };
  return CLIENT;
}

/**
 * How a barrel that re-exports the model from the client's module (`export { model } from './gemini'`, `export *
 * from './gemini'`, a package's index) can hand out the client as well: an edit adding it to the named re-export,
 * 'as-is' when `export *` already will, undefined when it cannot (an alias, `export * as`, a barrel outside the run,
 * a barrel that already exports another value of the client's name).
 */
function barrelReexport(barrel: SourceFile, home: SourceFile, clientSlot: Slot, modelName: string): TextEdit | 'as-is' | undefined {
  if (!isRunFile(barrel)) return undefined;
  const name = clientSlot.name.getText();
  const already = barrel.getExportedDeclarations().get(name);
  if (already && !already.every((d) => d === clientSlot.holder)) return undefined;
  if (barrel.getLocals().some((l) => l.getName() === name)) return undefined;
  for (const decl of barrel.getExportDeclarations()) {
    if (decl.isTypeOnly() || decl.getModuleSpecifierSourceFile() !== home) continue;
    if (decl.isNamespaceExport() && !decl.getNamespaceExport()) return 'as-is';
    const named = decl.getNamedExports();
    if (named.some((e) => e.getName() === modelName && !e.getAliasNode() && !e.isTypeOnly())) {
      if (named.some((e) => (e.getAliasNode()?.getText() ?? e.getName()) === name)) return 'as-is';
      return { start: named.at(-1)!.getEnd(), end: named.at(-1)!.getEnd(), text: `, ${CLIENT}`, sourceFile: barrel };
    }
  }
  return undefined;
}

function isExportedVariable(slot: Slot): boolean {
  const statement = slot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  if (slot.kind !== 'variable' || !statement) return false;
  const name = slot.name.getText();
  const sf = slot.holder.getSourceFile();
  return (
    statement.hasExportKeyword() ||
    sf.getExportDeclarations().some((d) => !d.getModuleSpecifier() && d.getNamedExports().some((e) => e.getName() === name)) ||
    sf.getExportAssignments().some((a) => a.getExpression().getText() === name) ||
    // CommonJS: module.exports = { model } / exports.model = model (found where they stand: a file that only
    // mentions the word, in a comment or a string, exports nothing)
    commonJsUsers(slot) !== undefined
  );
}

/** Why a use in a module outside the paths given keeps the model or client: the tool edits only the run's files. */
function outsideUse(slot: Slot, use: Node): string {
  return `also used in ${outsideTheRun(slot.name.getSourceFile(), use.getSourceFile())}`;
}

/**
 * Whether `use` (in another module) is that module's import of the exported client: a named import of the
 * module-level variable, which every function of that module reaches.
 */
function importsClient(use: Node, clientSlot: Slot): boolean {
  return clientSlot.kind === 'variable' && isExportedVariable(clientSlot) && (isImportedBinding(use) || isRequiredBinding(use));
}

/** What keeps a CommonJS export where it is: a module that loads it in a way the tool cannot follow. */
function refusedRequires(slot: Slot, reason: 'client-used-elsewhere' | 'model-used-elsewhere'): Blocker[] {
  return (commonJsUsers(slot)?.refused ?? []).map((r) => ({ node: r.node, reason, detail: r.detail }));
}

/**
 * `const genAI = new GoogleGenerativeAI(key)` in a constructor whose models are used from the class's methods (a
 * common NestJS service shape): the client can become a field of the class, assigned where the local was. Its slot
 * as a field, or undefined when the local cannot move (another declaration beside it, a member of that name).
 */
function ctorClientField(slot: Slot): Slot | undefined {
  const statement = slot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  const ctor = statement?.getParent()?.getParent();
  if (slot.kind !== 'variable' || !statement || statement.getDeclarations().length !== 1 || !Node.isConstructorDeclaration(ctor)) return undefined;
  const cls = ctor.getParent();
  const name = slot.name.getText();
  if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return undefined;
  if (cls.getMembers().some((m) => (Node.isPropertyDeclaration(m) || Node.isMethodDeclaration(m) || Node.isGetAccessorDeclaration(m)) && m.getName() === name)) return undefined;
  if (ctor.getParameters().some((p) => p.getName() === name)) return undefined;
  return { ...slot, kind: 'field', access: `this.${name}`, holder: statement };
}

/** The constructor's client local becomes `this.<name> = ...`, declared as a field above the constructor in TypeScript. */
function hoistEdits(local: Slot, field: Slot, clientText: string, style: FileStyle): TextEdit[] {
  const statement = field.holder;
  const ctor = statement.getFirstAncestorByKind(SyntaxKind.Constructor);
  if (!ctor) return lateClientEdits(local, field, clientText, style); // made in init() (late-fields.ts)
  const semi = style.semicolon ? ';' : '';
  // Only whole migrated models read the local (a client with other uses is not moved): nothing else to rename.
  const edits: TextEdit[] = [{ start: statement.getStart(), end: statement.getEnd(), text: `${field.access} = ${clientText}${semi}` }];
  if (style.typescript) {
    const at = ctor.getStart(true);
    edits.push({ start: at, end: at, text: `private readonly ${local.name.getText()}: GoogleGenAI${semi}

${indentOf(ctor)}` });
  }
  return edits;
}

/** Whether code at `site` can read the client slot: inside its scope, or for a field, inside its class's methods. */
function reaches(slot: Slot, site: Node): boolean {
  if (slot.kind === 'variable') {
    const scope = slot.holder.getFirstAncestor((a) => Node.isBlock(a) || Node.isSourceFile(a) || Node.isModuleBlock(a));
    return scope === undefined || site.getAncestors().includes(scope);
  }
  const cls = slot.holder.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  // `this` must still be the instance: the first non-arrow function (or field initializer) up from the site is a member of the class.
  const member = site.getFirstAncestor((a) => (Node.isFunctionLikeDeclaration(a) && !Node.isArrowFunction(a)) || Node.isPropertyDeclaration(a));
  return cls !== undefined && member?.getParent() === cls && !(Node.isPropertyDeclaration(member) && member.isStatic());
}

/** Legacy `RequestOptions` keys → `GoogleGenAI` options (reference §3.1 row 30). */
const HTTP_OPTIONS: Record<string, string> = { timeout: 'timeout', baseUrl: 'baseUrl', customHeaders: 'headers' };

/**
 * The client options the models' `requestOptions` become. They were per model and are per client now, so the
 * models of one client must agree (otherwise: a TODO to split the client by hand).
 */
function clientOptionsFrom(handles: ModelHandle[], blockers: Blocker[]): Array<[string, string]> {
  const texts = new Set(handles.map((h) => h.requestOptions?.getText() ?? ''));
  const first = handles[0]?.requestOptions;
  if (texts.size > 1) {
    for (const h of handles) blockers.push({ node: h.call, reason: 'request-options', detail: 'models of one client with different request options' });
    return [];
  }
  if (!first) return [];
  if (!Node.isObjectLiteralExpression(first)) {
    blockers.push({ node: first, reason: 'request-options', detail: first.getText() });
    return [];
  }
  const out: Array<[string, string]> = [];
  const http: Array<[string, string]> = [];
  for (const { name, value, node: prop } of properties(first, blockers)) {
    if (name === 'apiVersion') out.push(['apiVersion', value.getText()]);
    else if (HTTP_OPTIONS[name] && (name !== 'customHeaders' || Node.isObjectLiteralExpression(value))) http.push([HTTP_OPTIONS[name]!, value.getText()]);
    else blockers.push({ node: prop, reason: 'request-options', detail: name });
  }
  if (http.length) out.push(['httpOptions', `{ ${http.map(fieldText).join(', ')} }`]);
  return out;
}

/** `model = client.getGenerativeModel({...})` kept in a variable or field: the handle and its settings, or a blocker. */
function modelHandleAt(use: Node, blockers: Blocker[]): ModelHandle | undefined {
  const access = use.getParent();
  const call = access?.getParent();
  if (!Node.isPropertyAccessExpression(access) || access.getName() !== 'getGenerativeModel' || !Node.isCallExpression(call)) {
    const method = Node.isPropertyAccessExpression(access) ? access.getName() : undefined;
    blockers.push({ node: use, reason: 'client-used-elsewhere', detail: method });
    return undefined;
  }
  const reassigned = reassignedSlotOf(call);
  const factory = slotOf(call) || reassigned ? undefined : factoryOf(call);
  const slot = slotOf(call) ?? reassigned ?? factory?.slot ?? lateFieldSlotOf(call) ?? exportSlotOf(call);
  if (!slot) {
    const returned = Node.isReturnStatement(call.getParent()) || Node.isArrowFunction(call.getParent());
    const token = returned ? providerToken(call) : undefined;
    const method = returned ? call.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) : undefined;
    const detail = token
      ? `handed out by the dependency-injection provider of ${token}: its consumers get a model object, and must change with it`
      : Node.isMethodDeclaration(method)
        ? methodRefusal(method, call)
        : returned
          ? 'returned from a function that may return something else, or an async one'
          : 'a model not kept in a variable or field of its own';
    blockers.push({ node: call, reason: 'model-used-elsewhere', detail });
    return undefined;
  }
  const [params, requestOptions] = call.getArguments();
  if (!params || !Node.isObjectLiteralExpression(params)) {
    blockers.push({ node: call, reason: 'dynamic-settings', detail: 'model parameters that are not an object literal' });
    return undefined;
  }
  const settings = { ...emptySettings(true), shareable: true }; // its constants are checked in allOrNone
  const pairs: Array<[string, string]> = [];
  const { bases, overrides } = mapModelParams(params, settings, pairs, fileStyle(use.getSourceFile()));
  return { slot, call, settings, pairs, requestOptions, factory, bases: [...bases, ...(settings.bases ?? [])], overrides };
}

/** Whether `site` may run more than once for one chat: inside a loop that is itself inside the chat's scope. */
function insideLoop(site: Node, chatStart: Node): boolean {
  const scope = chatStart.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) ?? chatStart.getSourceFile();
  return site.getAncestors().some((a) => Node.isIterationStatement(a) && a.getStart() >= scope.getStart() && a.getEnd() <= scope.getEnd() && !(chatStart.getStart() >= a.getStart() && chatStart.getEnd() <= a.getEnd()));
}

/**
 * text() joined every text part (and inlined code and its results); output_text keeps only the last text run, so
 * with code execution or search on, a text read would silently lose text (P6): such a read is left with a TODO.
 */
function textCaveat(settings: MappedSettings, reads: TextEdit[], call: Node, blockers: Blocker[]): void {
  const caveat = textReadCaveat(settings);
  if (caveat && reads.some((e) => /\boutput_text\b/.test(e.text))) blockers.push({ node: call, reason: 'response-not-followed', detail: caveat });
}

/** One TODO per blocker (in whichever file it stands), once per statement and reason; the code stays as it was. */
function reportBlockers(ctx: TransformContext, fallback: Node, blockers: Blocker[]): void {
  if (!blockers.some((b) => b.node.getSourceFile() === ctx.sourceFile)) ctx.todo(fallback, blockers[0]!.reason, blockers[0]!.detail);
  for (const b of blockers) ctx.todo(b.node, b.reason, b.detail);
}

import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, Expression, Identifier } from 'ts-morph';
import { arrayText, reindent, emptySettings, mapGenaiConfig, mapLegacyGenerationConfig, mapSafetySettings, mapSystemInstruction, mapToolConfig, mapTools, objectText, properties, type Blocker, type MappedSettings } from './config-map.js';
import { contentsToSteps, mappedContents, partToBlock, partsToBlocks } from './parts.js';
import { functionResultsMessage } from './function-calls.js';
import { isStringValued } from './responses.js';
import { isImportedBinding, slotOf, slotReferences, useExpression, variableReferences, type Slot } from './slots.js';
import { freshName } from './streams.js';
import { fileStyle, indentOf, indentUnit, quoted, type FileStyle } from './style.js';
import { requestObject, type ChatState, type Turn } from './turns.js';
import type { TextEdit } from '../types.js';

/** A chat object found with everything that uses it; the caller turns it into state and turns, or reports blockers. */
export interface ChatPlan {
  slot: Slot;
  /** The settings the chat adds over its model's (startChat params other than history), as request fields. */
  settings: MappedSettings;
  /** The history as steps (source text), when startChat was given one. */
  historySteps?: string[];
  /** The history as written (legacy Content literal): the transcript starts from it. */
  historyLiteral?: Expression;
  state: ChatState;
  /** Every turn: the call and the message it sends (genai: and the config that replaces the chat's for that turn). */
  sends: Array<{ call: CallExpression; use: Node; stream: boolean; message: Expression; config?: Expression }>;
  /** `getHistory()` calls, answered from the transcript. */
  historyReads: CallExpression[];
  /** Turns may be sent from more than one function call at a time (pitfall P4). */
  shared: boolean;
  /** The transcript is a new variable or field (not the history array the chat was given). */
  ownTranscript: boolean;
  /** An exported chat: `{ settings, interactionId }`, reached in each module through that module's name for it. */
  holder?: boolean;
}

/** The state of a holder chat as code that names it `use` reads it. */
export function holderState(use: Node): ChatState {
  return { id: `${use.getText()}.interactionId` };
}


/** The chat's value as kept: `await ai.chats.create(...)` awaits a chat made at once (the await goes with the call). */
function startExpression(start: CallExpression): Expression {
  const parent = start.getParent();
  return Node.isAwaitExpression(parent) ? parent : start;
}

/** Where a chat with no slot of its own went, as a TODO detail: a lazily made chat, a map of chats, a store. */
function unkeptChat(value: Expression): string {
  const parent = value.getParent();
  if (Node.isBinaryExpression(parent) && parent.getRight() === value && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    const left = parent.getLeft();
    return Node.isIdentifier(left) ? `a chat assigned to ${left.getText()} later than its declaration` : `a chat stored in ${left.getText()}`;
  }
  if (Node.isCallExpression(parent) && parent.getArguments().includes(value)) return `a chat passed straight to ${parent.getExpression().getText()}()`;
  return 'a chat not kept in a variable or field of its own';
}

/**
 * A chat and its uses, or undefined with blockers: legacy `model.startChat(params)` (its settings go over the
 * model's) or genai `ai.chats.create({ model, history, config })` (its settings are all there is).
 */
export function chatPlan(start: CallExpression, sdk: 'legacy' | 'genai', blockers: Blocker[]): ChatPlan | undefined {
  const slot = slotOf(startExpression(start));
  const fail = (node: Node, detail: string) => {
    blockers.push({ node, reason: 'chat-not-followed', detail });
    return undefined;
  };
  if (!slot) return fail(start, unkeptChat(startExpression(start)));
  const statement = slot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  if (slot.kind === 'variable' && (!statement || statement.getDeclarations().length !== 1)) return fail(slot.holder, 'a chat declared with others');
  // An exported chat becomes a holder object other modules keep using: { settings, interactionId }.
  const holder = slot.kind === 'variable' && statement!.hasExportKeyword() && Node.isSourceFile(statement!.getParent()) && sdk === 'legacy';
  if (slot.kind === 'variable' && statement!.hasExportKeyword() && !holder) return fail(slot.holder, 'an exported chat');
  const style = fileStyle(start.getSourceFile());
  const settings = emptySettings(true);
  let historySteps: string[] | undefined;
  let historyLiteral: Expression | undefined;
  let historyTextOnly = false;
  const [params, ...extra] = start.getArguments();
  if (extra.length) return fail(start, 'startChat with request options');
  if (params && !Node.isObjectLiteralExpression(params)) return fail(params, 'chat parameters built at run time');
  if (sdk === 'genai' && !params) return fail(start, 'chats.create() without parameters');
  if (params && Node.isObjectLiteralExpression(params)) {
    for (const { name, value, node } of properties(params, settings.blockers)) {
      if (sdk === 'genai' && name === 'model') settings.topLevel.unshift(['model', value.getText()]);
      else if (sdk === 'genai' && name === 'config') mapGenaiConfig(value, settings, style);
      else if (sdk === 'genai' && name !== 'history') settings.blockers.push({ node, reason: 'setting-not-mapped', detail: `chats.create ${name}` });
      else if (name === 'history' && Node.isArrayLiteralExpression(value) && value.getElements().length === 0) {
        // `history: []` written in place: no earlier turn to send, and no array of the caller's that grows.
      } else if (name === 'history') {
        // A history array of this module is converted when the first turn is sent: the old chat grew that very
        // array, so by then it may hold more than it was declared with (another chat's turns, for one).
        const literal = constantArray(value);
        historyTextOnly = isTextOnlyContents(literal ?? value);
        if (literal && historyTextOnly) historySteps = [`...${historyMap(value, style)}`];
        else historySteps = contentsToSteps(literal ?? value, style, isStringValued, settings.blockers);
        historyLiteral = value;
      } else if (name === 'systemInstruction') mapSystemInstruction(value, settings);
      else if (name === 'generationConfig') mapLegacyGenerationConfig(value, settings);
      else if (name === 'safetySettings') mapSafetySettings(value, settings, style);
      else if (name === 'tools') mapTools(value, settings, style);
      else if (name === 'toolConfig') mapToolConfig(value, settings, style);
      else settings.blockers.push({ node, reason: 'setting-not-mapped', detail: `startChat ${name}` });
    }
  }
  blockers.push(...settings.blockers);
  if (settings.blockers.length) return undefined;

  const sends: ChatPlan['sends'] = [];
  const historyReads: CallExpression[] = [];
  const home = enclosingFunction(slot.holder);
  let shared = slot.kind === 'field';
  for (const ref of slotReferences(slot)) {
    if (ref === slot.storeSite) continue;
    const use = useExpression(slot, ref);
    if (!use) return fail(ref, 'the chat is stored again or read from another object');
    if (use.getSourceFile() !== start.getSourceFile() && !(holder && isImportedBinding(use))) return fail(use, `used in ${use.getSourceFile().getBaseName()}`);
    const access = use.getParent();
    const call = access?.getParent();
    const method = Node.isPropertyAccessExpression(access) && access.getExpression() === use && Node.isCallExpression(call) && call.getExpression() === access ? access.getName() : undefined;
    if (method === 'sendMessage' || method === 'sendMessageStream') {
      const args = (call as CallExpression).getArguments();
      if (args.length !== 1) return fail(call!, `${method}() with request options`);
      // The old chat queued a turn sent before the last one returned; a chained create() would fork instead (P4).
      if (!Node.isAwaitExpression(call!.getParent())) return fail(call!, `a ${method}() that is not awaited where it is sent`);
      const send = { call: call as CallExpression, use, stream: method === 'sendMessageStream', message: args[0] as Expression, config: undefined as Expression | undefined };
      if (sdk === 'genai') {
        // sendMessage({ message, config }): the config replaces the chat's for this turn (P18)
        const arg = args[0]!;
        if (!Node.isObjectLiteralExpression(arg)) return fail(arg, `${method}() with a request built at run time`);
        const fields = properties(arg, blockers);
        const message = fields.find((f) => f.name === 'message');
        const other = fields.find((f) => f.name !== 'message' && f.name !== 'config');
        if (!message || other) return fail(arg, other ? `${method}() with ${other.name}` : `${method}() without a message`);
        send.message = message.value;
        send.config = fields.find((f) => f.name === 'config')?.value;
      }
      sends.push(send);
      if (enclosingFunction(call!) !== home) shared = true;
    } else if (method === 'getHistory') {
      historyReads.push(call as CallExpression);
    } else if (method) return fail(use, `${method}()`);
    // `chat.history`: a property of the old chat object, which the chat's state has no counterpart of.
    else if (Node.isPropertyAccessExpression(access) && access.getExpression() === use) return fail(access, `${access.getText()} is read`);
    else return fail(use, `${use.getText()} is passed on`);
  }
  if (historyReads.length && historyLiteral && !historyTextOnly) {
    return fail(historyLiteral, 'getHistory() is read and the history is not text only');
  }

  const base = slot.name.getText();
  const scope = slot.kind === 'field' ? slot.holder.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a)) ?? slot.holder : slot.holder;
  const access = (name: string) => (slot.kind === 'field' ? `this.${name}` : name);
  const state: ChatState = { id: access(freshName(scope, `${base}InteractionId`)) };
  if (holder && (historySteps || historyReads.length)) return fail(slot.holder, 'an exported chat with history');
  if (holder) {
    state.id = 'interactionId'; // read through each module's own name of the holder: see holderState
    return { slot, settings, historySteps, historyLiteral, state, sends, historyReads, shared: true, ownTranscript: false, holder: true };
  }
  // One sending call takes the history inline, where create() types it; several share a variable. A history array
  // converted at run time (`...HISTORY.map(...)`) stays inline: it must be read when the first turn is sent.
  const convertedLate = historyLiteral !== undefined && Node.isIdentifier(historyLiteral) && historySteps?.[0]?.startsWith('...') === true;
  if (historySteps && sends.length > 1 && !convertedLate) state.history = access(freshName(scope, `${base}History`));
  else if (historySteps) state.historySteps = historySteps;
  // The old chat kept its history in the very array it was given, and grew it turn by turn: a named history array
  // is therefore the transcript itself (whoever else reads it sees the turns, as before). Otherwise a transcript is
  // kept only when getHistory() is read.
  const named = historyLiteral && Node.isIdentifier(historyLiteral) ? historyLiteral : undefined;
  if (named && !historyTextOnly) return fail(named, 'the history array grows with every turn, and it is not text only');
  if (named && !sends.every((s) => isReachableFrom(named, s.call))) return fail(named, 'the history array is out of reach where turns are sent');
  if (named) state.transcript = named.getText();
  else if (historyReads.length) state.transcript = access(freshName(scope, `${base}Transcript`));
  return { slot, settings, historySteps, historyLiteral, state, sends, historyReads, shared, ownTranscript: !named && historyReads.length > 0 };
}

/**
 * The request fields of one `sendMessage(message)`: the input, and the user step a first turn with history sends. A
 * message that answers function calls is a `followUp`: its parts become function_result steps (edits elsewhere, or
 * inside the message, already applied to the input text).
 */
export function messageTurn(message: Expression, blockers: Blocker[], sdk: 'legacy' | 'genai' = 'legacy'): (Pick<Turn, 'fields' | 'userStep' | 'message' | 'followUp' | 'inputNode'> & { edits: TextEdit[]; typed: boolean }) | undefined {
  const style = fileStyle(message.getSourceFile());
  const q = (s: string) => quoted(s, style);
  if (isStringValued(message)) {
    return {
      fields: [['input', message.getText()]],
      userStep: `{ type: ${q('user_input')}, content: [{ type: ${q('text')}, text: ${message.getText()} }] }`,
      message,
      inputNode: message,
      edits: [],
      typed: false,
    };
  }
  const before = blockers.length;
  const results = functionResultsMessage(message, blockers);
  if (blockers.length > before) return undefined;
  if (results) return { fields: [['input', message.getText()]], inputNode: message, followUp: true, edits: results.edits, typed: results.typed };
  // genai's message is a PartListUnion: one part (`{ text }`) is a message too. The legacy chat iterated it: no.
  const onePart = sdk === 'genai' && Node.isObjectLiteralExpression(message);
  const blocks = onePart ? [partToBlock(message, style, isStringValued, blockers)] : partsToBlocks(message, style, isStringValued, blockers);
  if (!blocks || blocks.some((b) => b === undefined)) return undefined;
  const list = `[${blocks.join(', ')}]`;
  return { fields: [['input', list]], userStep: `{ type: ${q('user_input')}, content: ${list} }`, edits: [], typed: false };
}

/**
 * The edits that turn the chat object into state: where it was created, its settings (the model's, with the chat's
 * own over them); beside it, the id of the last interaction, the history to send first, the transcript.
 */
export function chatStateEdits(plan: ChatPlan, start: CallExpression, modelSettings: string | undefined, settingsType: string | undefined, satisfies: string | undefined): TextEdit[] {
  const { slot, state } = plan;
  const sf = start.getSourceFile();
  const style = fileStyle(sf);
  const semi = style.semicolon ? ';' : '';
  const ts = style.typescript;
  const unit = indentUnit(sf);
  const edits: TextEdit[] = [];
  const own: Array<[string, string]> = [...plan.settings.topLevel];
  const indent = indentOf(start);
  if (plan.settings.generationConfig.length) own.push(['generation_config', objectText(plan.settings.generationConfig, indent + unit, unit)]);
  const settings = own.length || !modelSettings ? requestObject(modelSettings, own, start) + (satisfies ?? '') : modelSettings;
  if (plan.holder) {
    // Other modules send turns through it: the settings and the id travel together.
    const id = ts ? 'interactionId: undefined as string | undefined' : '/** @type {string | undefined} */ interactionId: undefined';
    edits.push({ start: startExpression(start).getStart(), end: start.getEnd(), text: `{ settings: ${settings}, ${id} }` });
    if (slot.typeNode) edits.push({ start: slot.name.getEnd(), end: slot.typeNode.getEnd(), text: '' });
    return edits;
  }
  edits.push({ start: startExpression(start).getStart(), end: start.getEnd(), text: settings });
  if (slot.typeNode) {
    if (slot.kind === 'field' && settingsType) edits.push({ start: slot.typeNode.getStart(), end: slot.typeNode.getEnd(), text: settingsType });
    else edits.push({ start: slot.name.getEnd(), end: slot.typeNode.getEnd(), text: '' });
  }

  const name = (access: string) => access.replace(/^this\./, '');
  const anchorNode = slot.kind === 'variable' ? slot.holder.getFirstAncestorByKindOrThrow(SyntaxKind.VariableStatement) : Node.isPropertyDeclaration(slot.name.getParent()) ? slot.name.getParentOrThrow() : slot.holder;
  const historyText = plan.historySteps ? arrayText(plan.historySteps, indentOf(anchorNode), unit) : undefined;
  const transcriptStart = plan.historyLiteral ? reindent(plan.historyLiteral.getText(), indentOf(plan.historyLiteral), indentOf(anchorNode)) : '[]';
  const transcriptType = 'Array<{ role: string; parts: Array<{ text: string }> }>';
  const transcript = plan.ownTranscript ? state.transcript : undefined;
  const declared = slot.name.getParent();
  let lines: string[];
  let anchor: Node;
  if (slot.kind === 'variable') {
    anchor = slot.holder.getFirstAncestorByKindOrThrow(SyntaxKind.VariableStatement);
    lines = [
      ...(ts ? [] : [jsdocType('string | undefined')]),
      `let ${state.id}${ts ? ': string | undefined' : ''}${semi}`,
      ...(state.history ? [...(ts ? [] : [jsdocType(STEPS_JS)]), `const ${state.history}${ts ? ': Interactions.Step[]' : ''} = ${historyText}${semi}`] : []),
      ...(transcript ? [...(ts ? [] : [jsdocType(TRANSCRIPT_JS)]), `const ${transcript}${ts ? `: ${transcriptType}` : ''} = ${transcriptStart}${semi}`] : []),
    ];
  } else if (Node.isPropertyDeclaration(declared)) {
    anchor = declared;
    lines = [
      ...(ts ? [] : [jsdocType('string | undefined')]),
      ts ? `private ${name(state.id)}?: string${semi}` : `${name(state.id)}${semi}`,
      ...(state.history ? [...(ts ? [] : [jsdocType(STEPS_JS)]), `${ts ? 'private readonly ' : ''}${name(state.history)}${ts ? ': Interactions.Step[]' : ''} = ${historyText}${semi}`] : []),
      ...(transcript ? [...(ts ? [] : [jsdocType(TRANSCRIPT_JS)]), `${ts ? 'private readonly ' : ''}${name(transcript)}${ts ? `: ${transcriptType}` : ''} = ${transcriptStart}${semi}`] : []),
    ];
  } else {
    // JavaScript: a field that only the constructor assigns.
    anchor = slot.holder;
    lines = [
      jsdocType('string | undefined'),
      `${state.id} = undefined${semi}`,
      ...(state.history ? [jsdocType(STEPS_JS), `${state.history} = ${historyText}${semi}`] : []),
      ...(transcript ? [jsdocType(TRANSCRIPT_JS), `${transcript} = ${transcriptStart}${semi}`] : []),
    ];
  }
  const at = anchor.getEnd();
  const anchorIndent = indentOf(anchor);
  edits.push({ start: at, end: at, text: lines.map((l) => `\n${anchorIndent}${l}`).join('') });
  for (const read of plan.historyReads) {
    // getHistory() → the transcript (legacy returned a promise of it; an await of a plain value is the same value).
    let whole: Node = read;
    if (Node.isAwaitExpression(whole.getParent())) whole = whole.getParentOrThrow();
    if (whole !== read && Node.isParenthesizedExpression(whole.getParent())) whole = whole.getParentOrThrow();
    edits.push({ start: whole.getStart(), end: whole.getEnd(), text: state.transcript! });
  }
  return edits;
}

/** `HISTORY.map(...)`: the old `{ role, parts: [{ text }] }` contents of an array as steps, at run time. */
function historyMap(history: Expression, style: FileStyle): string {
  const q = (t: string) => quoted(t, style);
  const typed = style.typescript ? ': Interactions.Step' : '';
  const blocks = `content.parts.map((part) => ({ type: ${q('text')}, text: part.text ?? ${q('')} }))`;
  return `${history.getText()}.map((content)${typed} => ({ type: content.role === ${q('user')} ? ${q('user_input')} : ${q('model_output')}, content: ${blocks} }))`;
}

/** JavaScript: the state's type as a JSDoc comment, so checkJs projects (and editors) type it as TypeScript would. */
export function jsdocType(type: string): string {
  return `/** @type {${type}} */`;
}

const STEPS_JS = "import('@google/genai').Interactions.Step[]";
const TRANSCRIPT_JS = 'Array<{ role: string, parts: Array<{ text: string }> }>';


/** Whether a module-level (or enclosing) declaration of `id` is visible at `site`. */
function isReachableFrom(id: Node, site: Node): boolean {
  const decl = id.getSymbol()?.getDeclarations()[0];
  const scope = decl?.getFirstAncestor((a) => Node.isBlock(a) || Node.isSourceFile(a) || Node.isModuleBlock(a));
  return scope !== undefined && site.getAncestors().includes(scope);
}

function enclosingFunction(node: Node): Node {
  return node.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isClassStaticBlockDeclaration(a)) ?? node.getSourceFile();
}

/** `const HISTORY = [...]` in this module, read through its name: the array literal, or undefined. */
function constantArray(value: Expression): Expression | undefined {
  if (!Node.isIdentifier(value)) return undefined;
  // `{ history }`: the name is a property; the variable is its value symbol.
  const parent = value.getParent();
  const symbol = Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === value ? parent.getValueSymbol() : value.getSymbol();
  const decl = symbol?.getDeclarations()[0];
  if (!Node.isVariableDeclaration(decl) || decl.getSourceFile() !== value.getSourceFile()) return undefined;
  const statement = decl.getVariableStatement();
  const init = decl.getInitializer();
  // An array literal, or messages mapped to contents (`history.map((m) => ({ role, parts: [{ text }] }))`).
  const mapped = Node.isCallExpression(init) && mappedContents(init, fileStyle(init.getSourceFile())) !== undefined;
  if (statement?.getDeclarationKind() !== 'const' || !(Node.isArrayLiteralExpression(init) || mapped)) return undefined;
  // Only a constant nothing mutates: every other use reads it.
  const mutated = variableReferences(decl.getNameNode() as Identifier).some((r) => {
    const parent = r.getParent();
    return Node.isPropertyAccessExpression(parent) && /^(push|pop|shift|unshift|splice|sort|reverse|fill|copyWithin)$/.test(parent.getName());
  });
  return mutated ? undefined : init;
}

/** A history literal whose parts are all `{ text }`: the transcript keeps the old shape for it. */
function isTextOnlyContents(history: Expression): boolean {
  if (Node.isCallExpression(history)) return mappedContents(history, fileStyle(history.getSourceFile())) !== undefined;
  if (!Node.isArrayLiteralExpression(history)) return false;
  return history.getElements().every((content) => {
    const parts = Node.isObjectLiteralExpression(content) ? content.getProperty('parts') : undefined;
    const list = Node.isPropertyAssignment(parts) ? parts.getInitializer() : undefined;
    return (
      Node.isArrayLiteralExpression(list) &&
      list.getElements().every((p) => Node.isObjectLiteralExpression(p) && p.getProperties().length === 1 && p.getProperties()[0]!.getText().startsWith('text'))
    );
  });
}

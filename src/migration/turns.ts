import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, Expression, Identifier } from 'ts-morph';
import { arrayText, fieldText, type Blocker } from './config-map.js';
import { responseReads } from './responses.js';
import { streamEdits, type StreamNeeds } from './streams.js';
import { fileStyle, indentOf, indentUnit, quoted } from './style.js';
import type { TextEdit } from '../types.js';
import type { CallsHelper } from './function-calls.js';

/** What a chat became: the id of its last interaction, plus what the old chat object kept client-side. */
export interface ChatState {
  /** How code reads the id of the last interaction: `chatInteractionId` or `this.chatInteractionId`. */
  id: string;
  /** `startChat({ history })`: the history as steps, sent once with the first turn: a variable, or inline when one call sends. */
  history?: string;
  historySteps?: string[];
  /** `getHistory()` is read: a transcript in the old `{ role, parts: [{ text }] }` shape. */
  transcript?: string;
}

/** One call that becomes `create(...)`: a single call, a stream, or a chat turn. */
export interface Turn {
  call: CallExpression;
  sdk: 'legacy' | 'genai';
  /** How this code reaches the client: `genAI`, `this.genAI`. */
  client: string;
  /** The settings object spread first (`...model`), if any. */
  spread?: string;
  /** The request fields after it: `input` and per-call settings. */
  fields: Array<[string, string]>;
  stream: boolean;
  chat?: ChatState;
  /** The message as sent (for a chat transcript): a string expression, or undefined when it is not text. */
  message?: Expression;
  /** The user turn as a step (for a first turn with history). */
  userStep?: string;
  /** Function results answering the last turn: never the first turn, never text for a transcript. */
  followUp?: boolean;
  /**
   * The node whose text is the input as written (a message passed through): the call is then rewritten around it,
   * so edits inside it (function results, renames) still apply.
   */
  inputNode?: Node;
  /** Another turn may follow this one on the same chat (so a stream must be read to its end). */
  continues?: boolean;
  /** Other turns of the same conversation that may reassign this turn's result variable. */
  siblings?: Set<CallExpression>;
}

export interface TurnNeeds {
  stream?: StreamNeeds;
  /** The function-calls helper, when a read of function calls uses it. */
  calls?: CallsHelper;
}

/**
 * The edits of one turn: the call becomes `client.interactions.create({...})`, its result is read as the old one
 * was, and for a chat the id (and transcript) are updated right after the awaited turn.
 */
export function turnEdits(turn: Turn, helper: string, blockers: Blocker[], needs: TurnNeeds, callsHelper?: CallsHelper): TextEdit[] {
  const { call, chat } = turn;
  const sf = call.getSourceFile();
  const style = fileStyle(sf);
  const semi = style.semicolon ? ';' : '';
  const q = (s: string) => quoted(s, style);
  const fields = turn.fields.map(([k, v]): [string, string] => [k, v]); // rewritten below: the caller's stay as they are
  if ((chat?.history || chat?.historySteps) && !turn.followUp) {
    // The history of startChat has no server-side interaction: it goes with the first turn only (pitfall P3).
    const input = fields.find(([k]) => k === 'input');
    if (!input || !turn.userStep) {
      blockers.push({ node: call, reason: 'chat-not-followed', detail: 'a first turn that cannot carry the history' });
      return [];
    }
    const first = chat.history
      ? `[...${chat.history}, ${turn.userStep}]`
      : arrayText([...chat.historySteps!, turn.userStep], indentOf(call) + indentUnit(sf), indentUnit(sf));
    input[1] = `${chat.id} === undefined ? ${first} : ${input[1]}`;
  }
  if (turn.stream) fields.push(['stream', 'true']);
  if (chat) fields.push(['previous_interaction_id', chat.id]);
  const input = fields.find(([k]) => k === 'input');
  const text = `${turn.client}.interactions.create(${requestObject(turn.spread, fields, call)})`;
  const edits: TextEdit[] = [];
  // The message as written ends the input: the call is rewritten around it, so edits inside it still apply.
  const inPlace = turn.inputNode && input?.[1].endsWith(turn.inputNode.getText()) ? turn.inputNode : undefined;
  const at = inPlace ? text.indexOf(`input: ${input![1]}`) : -1;
  if (inPlace && at >= 0) {
    const cut = at + 'input: '.length + input![1].length - inPlace.getText().length;
    const after = cut + inPlace.getText().length;
    edits.push({ start: call.getStart(), end: inPlace.getStart(), text: text.slice(0, cut) }, { start: inPlace.getEnd(), end: call.getEnd(), text: text.slice(after) });
  } else edits.push({ start: call.getStart(), end: call.getEnd(), text });

  const transcriptPush = (modelText: string): string[] => {
    if (!chat?.transcript) return [];
    const message = turn.message;
    if (!message || turn.followUp || !isRepeatable(message)) {
      blockers.push({ node: call, reason: 'chat-not-followed', detail: 'getHistory() is read, and this message is not plain text' });
      return [];
    }
    const part = (role: string, t: string) => `{ role: ${q(role)}, parts: [{ text: ${t} }] }`;
    return [`${chat.transcript}.push(${part('user', message.getText())}, ${part('model', modelText)})${semi}`];
  };

  if (turn.stream) {
    const result = streamEdits(
      call,
      {
        sdk: turn.sdk,
        helper,
        onCompleted: chat ? (event) => [`${chat.id} = ${event}.interaction.id${semi}`] : undefined,
        mustComplete: chat !== undefined && turn.continues !== false,
        afterLoop: chat?.transcript ? (t) => transcriptPush(t) : undefined,
      },
      blockers,
    );
    if (result) {
      edits.push(...result.edits);
      needs.stream = result.needs;
    }
    return edits;
  }
  const awaited = call.getParent();
  let holder: Node | undefined = awaited;
  while (holder && Node.isParenthesizedExpression(holder.getParent())) holder = holder.getParent();
  const parent = holder?.getParent();
  // `result = await chat.sendMessage(...)`: the turn that declared `result` reads it; this one only updates the id.
  const reassigns = Node.isBinaryExpression(parent) && parent.getRight() === holder && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isIdentifier(parent.getLeft());
  if (!reassigns) {
    const reads = responseReads(call, turn.sdk, blockers, callsHelper, (write) => isSiblingWrite(write, turn.siblings));
    edits.push(...reads);
    if (callsHelper?.used) needs.calls = callsHelper;
  }
  if (!chat) return edits;
  // A chat turn: keep the id of the interaction for the next turn, right after this one.
  let resultName: string | undefined;
  let statement: Node | undefined;
  if (Node.isExpressionStatement(parent) && holder && !chat.transcript) {
    // `await chat.sendMessage(x);`: nothing reads the result but the next turn, which needs its id
    edits.push({ start: holder.getStart(), end: holder.getStart(), text: `${chat.id} = (` }, { start: holder.getEnd(), end: holder.getEnd(), text: ').id' });
    return edits;
  }
  if (reassigns) {
    resultName = (parent as import('ts-morph').BinaryExpression).getLeft().getText();
    statement = parent!.getParent();
    if (!Node.isExpressionStatement(statement)) statement = undefined;
  } else if (Node.isVariableDeclaration(parent) && parent.getInitializer() === holder) {
    const name = parent.getNameNode();
    const local = Node.isIdentifier(name) ? name : Node.isObjectBindingPattern(name) ? (name.getElements()[0]?.getNameNode() as Identifier | undefined) : undefined;
    resultName = local?.getText();
    const list = parent.getParent();
    statement = list?.getParent();
    if (!Node.isVariableStatement(statement) || list!.getChildrenOfKind(SyntaxKind.VariableDeclaration).length !== 1) statement = undefined;
  }
  const container = statement?.getParent();
  if (!resultName || !statement || !(Node.isBlock(container) || Node.isSourceFile(container) || Node.isCaseClause(container))) {
    blockers.push({ node: call, reason: 'chat-not-followed', detail: 'a turn whose result is not kept in a variable of its own statement' });
    return edits;
  }
  const after = [`${chat.id} = ${resultName}.id${semi}`, ...transcriptPush(`${resultName}.output_text ?? ${q('')}`)];
  const indent = indentOf(statement);
  edits.push({ start: statement.getEnd(), end: statement.getEnd(), text: after.map((l) => `\n${indent}${l}`).join('') });
  return edits;
}

/** Whether an assignment to a result variable stores another turn of the same conversation. */
function isSiblingWrite(write: Node, siblings: Set<CallExpression> | undefined): boolean {
  const assignment = write.getParent();
  let value = Node.isBinaryExpression(assignment) ? assignment.getRight() : undefined;
  while (Node.isParenthesizedExpression(value)) value = value.getExpression();
  const call = Node.isAwaitExpression(value) ? value.getExpression() : undefined;
  return Node.isCallExpression(call) && siblings !== undefined && siblings.has(call);
}

/** `{ ...spread, k: v }` on one line, or one field per line when long, indented from the call. */
export function requestObject(spread: string | undefined, fields: Array<[string, string]>, call: Node): string {
  const parts = [...(spread ? [`...${spread}`] : []), ...fields.map(fieldText)];
  const indent = indentOf(call);
  const unit = indentUnit(call.getSourceFile());
  const oneLine = `{ ${parts.join(', ')} }`;
  if (oneLine.length + indent.length <= 100 && !oneLine.includes('\n')) return oneLine;
  return `{\n${parts.map((f) => `${indent}${unit}${f},`).join('\n')}\n${indent}}`;
}

/**
 * The edit that replaces `call` with `text`, split around the call's prompt argument when `text` keeps it as it is
 * (`input: <argument>`): edits inside the argument (the read of another response) then still apply.
 */
export function callReplacement(call: CallExpression, text: string): TextEdit[] {
  const arg = call.getArguments()[0];
  const at = arg ? text.lastIndexOf(`input: ${arg.getText()}`) : -1;
  if (!arg || at < 0) return [{ start: call.getStart(), end: call.getEnd(), text }];
  const from = at + 'input: '.length;
  return [
    { start: call.getStart(), end: arg.getStart(), text: text.slice(0, from) },
    { start: arg.getEnd(), end: call.getEnd(), text: text.slice(from + arg.getText().length) },
  ];
}

/** An expression that reads the same when evaluated twice: no calls, no writes. */
function isRepeatable(e: Expression): boolean {
  const bad = [SyntaxKind.CallExpression, SyntaxKind.NewExpression, SyntaxKind.AwaitExpression, SyntaxKind.BinaryExpression, SyntaxKind.PostfixUnaryExpression, SyntaxKind.PrefixUnaryExpression];
  return !bad.includes(e.getKind()) && !e.getDescendants().some((d) => bad.includes(d.getKind()));
}


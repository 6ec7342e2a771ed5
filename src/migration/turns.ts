import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, Expression, Identifier } from 'ts-morph';
import { arrayText, type Blocker } from './config-map.js';
import { responseReads } from './responses.js';
import { streamEdits, type StreamNeeds } from './streams.js';
import { fileStyle, indentOf, indentUnit, quoted } from './style.js';
import type { TextEdit } from '../types.js';

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
}

export interface TurnNeeds {
  stream?: StreamNeeds;
}

/**
 * The edits of one turn: the call becomes `client.interactions.create({...})`, its result is read as the old one
 * was, and for a chat the id (and transcript) are updated right after the awaited turn.
 */
export function turnEdits(turn: Turn, helper: string, blockers: Blocker[], needs: TurnNeeds): TextEdit[] {
  const { call, chat } = turn;
  const sf = call.getSourceFile();
  const style = fileStyle(sf);
  const semi = style.semicolon ? ';' : '';
  const q = (s: string) => quoted(s, style);
  const fields = [...turn.fields];
  if (chat?.history || chat?.historySteps) {
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
  const text = `${turn.client}.interactions.create(${requestObject(turn.spread, fields, call)})`;
  const edits: TextEdit[] = [{ start: call.getStart(), end: call.getEnd(), text }];

  const transcriptPush = (modelText: string): string[] => {
    if (!chat?.transcript) return [];
    const message = turn.message;
    if (!message || !isRepeatable(message)) {
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
        afterLoop: chat?.transcript ? (t) => transcriptPush(t) : undefined,
      },
      blockers,
    );
    if (result) {
      edits.push(...result.edits);
      needs.stream = { helper, usageType: (needs.stream?.usageType ?? false) || result.needs.usageType };
    }
    return edits;
  }
  edits.push(...responseReads(call, turn.sdk, blockers));
  if (!chat) return edits;
  // A chat turn: keep the id of the interaction for the next turn, right after this one.
  const awaited = call.getParent();
  let holder: Node | undefined = awaited;
  while (holder && Node.isParenthesizedExpression(holder.getParent())) holder = holder.getParent();
  const parent = holder?.getParent();
  let resultName: string | undefined;
  let statement: Node | undefined;
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === holder) {
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

/** `{ ...spread, k: v }` on one line, or one field per line when long, indented from the call. */
export function requestObject(spread: string | undefined, fields: Array<[string, string]>, call: Node): string {
  const parts = [...(spread ? [`...${spread}`] : []), ...fields.map(([k, v]) => `${k}: ${v}`)];
  const indent = indentOf(call);
  const unit = indentUnit(call.getSourceFile());
  const oneLine = `{ ${parts.join(', ')} }`;
  if (oneLine.length + indent.length <= 100 && !oneLine.includes('\n')) return oneLine;
  return `{\n${parts.map((f) => `${indent}${unit}${f},`).join('\n')}\n${indent}}`;
}

/** An expression that reads the same when evaluated twice: no calls, no writes. */
function isRepeatable(e: Expression): boolean {
  const bad = [SyntaxKind.CallExpression, SyntaxKind.NewExpression, SyntaxKind.AwaitExpression, SyntaxKind.BinaryExpression, SyntaxKind.PostfixUnaryExpression, SyntaxKind.PrefixUnaryExpression];
  return !bad.includes(e.getKind()) && !e.getDescendants().some((d) => bad.includes(d.getKind()));
}


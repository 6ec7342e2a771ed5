import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, Expression, Identifier } from 'ts-morph';
import type { Blocker } from './config-map.js';
import { localReferences } from './responses.js';
import { sdkExportOf } from './sdk-symbols.js';
import { fileStyle, quoted } from './style.js';
import type { TextEdit } from '../types.js';

/**
 * The function-call round trip (reference §3.1 rows 15, 16, 25; P7).
 *
 * Reading: `response.functionCalls()` becomes `functionCalls(interaction)`, a helper added once per file that gives
 * the `function_call` steps, or undefined when there are none, as the old method did (so `if (!calls)` and
 * `calls?.length` keep their meaning). The calls are followed (a variable, a `for...of`, an array method's callback,
 * `calls[0]`) and their `.args` become `.arguments`; a call passed on elsewhere would change type: a blocker.
 *
 * Answering: a part `{ functionResponse: { name: call.name, response } }` whose `call` is such a call becomes
 * `{ type: 'function_result', call_id: call.id, name: call.name, result: response }`: the id pairs the result with
 * its call, which the old API did by name only.
 */

/** What a read of function calls needs from its file: the helper's name, set when it is used. */
export interface CallsHelper {
  name: string;
  used: boolean;
}

/** `X.functionCalls()` (legacy) / `X.functionCalls` (genai) / `X.functionCall()`: the edits, or a blocker. `base` is X. */
export function functionCallsRead(read: Node, whole: Node, base: Node, cut: number | undefined, helper: CallsHelper, blockers: Blocker[]): TextEdit[] {
  const single = Node.isPropertyAccessExpression(read) && read.getName() === 'functionCall';
  helper.used = true;
  // genai's getter may be narrowed by a test before (`if (r.functionCalls) r.functionCalls.map(...)`); a helper call
  // is not: a member read or a for...of straight off it keeps its meaning (a TypeError on none) with `!` (TypeScript).
  const next = whole.getParent();
  const member =
    ((Node.isPropertyAccessExpression(next) || Node.isElementAccessExpression(next)) && next.getExpression() === whole && !next.hasQuestionDotToken()) ||
    (Node.isForOfStatement(next) && next.getExpression() === whole);
  const assert = member && !single && fileStyle(read.getSourceFile()).typescript ? '!' : '';
  const edits: TextEdit[] = [
    { start: base.getStart(), end: base.getStart(), text: `${helper.name}(` },
    { start: cut ?? base.getEnd(), end: whole.getEnd(), text: single ? ')?.[0]' : `)${assert}` },
  ];
  const before = blockers.length;
  if (single) followCall(whole, edits, blockers);
  else followCalls(whole, edits, blockers);
  return blockers.length > before ? [] : edits;
}

/** A list of calls: where it goes, its elements are followed. */
function followCalls(list: Node, edits: TextEdit[], blockers: Blocker[]): void {
  let holder = list;
  const parent = holder.getParent();
  // functionCalls() ?? [] : the same list
  if (Node.isBinaryExpression(parent) && parent.getLeft() === holder && parent.getOperatorToken().getKind() === SyntaxKind.QuestionQuestionToken) holder = parent;
  // (functionCalls() ?? []).map(...): parentheses change nothing
  while (Node.isParenthesizedExpression(holder.getParent())) holder = holder.getParentOrThrow();
  const decl = holder.getParent();
  if (Node.isVariableDeclaration(decl) && decl.getInitializer() === holder && Node.isIdentifier(decl.getNameNode())) {
    for (const ref of localReferences(decl.getNameNode() as Identifier)) followListUse(ref, edits, blockers);
    return;
  }
  followListUse(holder, edits, blockers);
}

/** One use of a list of calls: tests and lengths are fine; elements are followed; anything else is a blocker. */
function followListUse(use: Node, edits: TextEdit[], blockers: Blocker[]): void {
  const parent = use.getParent();
  if (Node.isForOfStatement(parent) && parent.getExpression() === use) {
    const init = parent.getInitializer();
    const decl = Node.isVariableDeclarationList(init) ? init.getDeclarations()[0] : undefined;
    return decl ? followElement(decl.getNameNode(), edits, blockers) : void blockers.push({ node: use, reason: 'response-not-followed', detail: 'function calls iterated into an outer variable' });
  }
  if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === use) {
    const name = parent.getName();
    if (name === 'length') return;
    const call = parent.getParent();
    if (/^(map|forEach|filter|some|every|find|flatMap)$/.test(name) && Node.isCallExpression(call) && call.getExpression() === parent) {
      const fn = call.getArguments()[0];
      const param = Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParameters()[0] : undefined;
      if (param) followElement(param.getNameNode(), edits, blockers);
      if (name === 'filter' || name === 'find') followCalls(call, edits, blockers); // still calls (a list, or one)
      return;
    }
  }
  if (Node.isElementAccessExpression(parent) && parent.getExpression() === use) return followCall(parent, edits, blockers);
  // if (calls), !calls, calls && ..., calls?.length: the helper keeps undefined for "none"
  if (Node.isIfStatement(parent) || Node.isPrefixUnaryExpression(parent) || Node.isConditionalExpression(parent)) return;
  // calls && ..., ... && calls; calls || x, calls ?? x, calls === x: a test (its value flows on only as a test)
  const op = Node.isBinaryExpression(parent) ? parent.getOperatorToken().getKind() : undefined;
  if (op === SyntaxKind.AmpersandAmpersandToken) return;
  if (Node.isBinaryExpression(parent) && parent.getLeft() === use && [SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken, SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken].includes(op!)) return;
  blockers.push({ node: use, reason: 'response-not-followed', detail: `function calls used as ${parent?.getText().slice(0, 40) ?? 'a value'}` });
}

/** One call, kept in a variable or read in place. */
function followCall(call: Node, edits: TextEdit[], blockers: Blocker[]): void {
  const decl = call.getParent();
  if (Node.isVariableDeclaration(decl) && decl.getInitializer() === call) return followElement(decl.getNameNode(), edits, blockers);
  followElementUse(call, edits, blockers);
}

/** The name a call is bound to (an identifier, or `{ name, args }`): `.args` becomes `.arguments`. */
function followElement(name: Node, edits: TextEdit[], blockers: Blocker[]): void {
  if (Node.isIdentifier(name)) {
    for (const ref of localReferences(name)) followElementUse(ref, edits, blockers);
    return;
  }
  if (Node.isObjectBindingPattern(name)) {
    for (const element of name.getElements()) {
      const key = element.getPropertyNameNode()?.getText() ?? element.getName();
      if (key === 'args') {
        const prop = element.getPropertyNameNode();
        if (prop) edits.push({ start: prop.getStart(), end: prop.getEnd(), text: 'arguments' });
        else edits.push({ start: element.getNameNode().getStart(), end: element.getNameNode().getStart(), text: 'arguments: ' });
      } else if (key !== 'name') {
        blockers.push({ node: element, reason: 'response-not-followed', detail: `a function call's ${key}` });
      }
    }
    return;
  }
  blockers.push({ node: name, reason: 'response-not-followed', detail: 'a function call bound in a way the tool cannot follow' });
}

/** A use of one call: `.name` stays, `.args` becomes `.arguments`, the name of a functionResponse is fine. */
function followElementUse(use: Node, edits: TextEdit[], blockers: Blocker[]): void {
  const parent = use.getParent();
  if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === use) {
    // genai calls have an `id` too (optional there, always set on a step)
    if (parent.getName() === 'name' || parent.getName() === 'id') return;
    if (parent.getName() === 'args') {
      edits.push({ start: parent.getNameNode().getStart(), end: parent.getNameNode().getEnd(), text: 'arguments' });
      return;
    }
  }
  // if (call) / call && ...: a presence test
  if (Node.isIfStatement(parent) || Node.isPrefixUnaryExpression(parent)) return;
  if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.AmpersandAmpersandToken && parent.getLeft() === use) return;
  blockers.push({ node: use, reason: 'response-not-followed', detail: `a function call passed on (${parent?.getText().slice(0, 40)})` });
}


// ---------------------------------------------------------------------------------------------------------------
// Answering calls.

/**
 * `{ functionResponse: { name: call.name, response } }` (an `id: call.id` may come with it) or genai's
 * `createPartFromFunctionResponse(call.id, call.name, response)` → a `function_result` step, when `call` is a
 * function call of the old SDK (its type says so); undefined when the pairing cannot be traced.
 */
function functionResultText(part: Node): { edits: TextEdit[] } | undefined {
  const fields = Node.isCallExpression(part) ? createdResponseFields(part) : literalResponseFields(part);
  const name = fields?.get('name');
  const response = fields?.get('response');
  if (!fields || !name || !response || !Node.isPropertyAccessExpression(name) || name.getName() !== 'name') return undefined;
  const call = name.getExpression();
  const id = fields.get('id');
  // The id, when given, must be the same call's: it is what pairs the result with its call.
  if (id && !(Node.isPropertyAccessExpression(id) && id.getName() === 'id' && id.getExpression().getText() === call.getText())) return undefined;
  if (fields.size !== (id ? 3 : 2) || !isFunctionCall(call)) return undefined;
  const q = (s: string) => quoted(s, fileStyle(part.getSourceFile()));
  // Around the response value, which keeps its text and any edits inside it (`call.args` → `call.arguments`).
  // An arrow's body that becomes an object literal needs parentheses: `(c) => ({ ... })`.
  const paren = Node.isArrowFunction(part.getParent()) ? ['(', ')'] : ['', ''];
  const before = `${paren[0]}{ type: ${q('function_result')}, call_id: ${call.getText()}.id, name: ${name.getText()}, result: `;
  return {
    edits: [
      { start: part.getStart(), end: response.getStart(), text: before },
      { start: response.getEnd(), end: part.getEnd(), text: ` }${paren[1]}` },
    ],
  };
}

/** The fields of `{ functionResponse: { ... } }`, by name; undefined for any other shape. */
function literalResponseFields(part: Node): Map<string, Expression> | undefined {
  if (!Node.isObjectLiteralExpression(part)) return undefined;
  const props = part.getProperties();
  const only = props.length === 1 && Node.isPropertyAssignment(props[0]) && props[0].getName() === 'functionResponse' ? props[0].getInitializer() : undefined;
  if (!Node.isObjectLiteralExpression(only)) return undefined;
  const fields = new Map<string, Expression>();
  for (const p of only.getProperties()) {
    if (Node.isPropertyAssignment(p)) fields.set(p.getName(), p.getInitializerOrThrow());
    else if (Node.isShorthandPropertyAssignment(p)) fields.set(p.getName(), p.getNameNode() as unknown as Expression);
    else return undefined;
  }
  return fields;
}

/**
 * genai `createPartFromFunctionResponse(id, name, response)`: its fields, with the fallbacks a caller adds for the
 * optional `id` and `name` of a genai call (`call.id ?? ''`, `call.name!`) stripped, as a step's are always set.
 */
function createdResponseFields(part: Node): Map<string, Expression> | undefined {
  if (!Node.isCallExpression(part)) return undefined;
  const callee = part.getExpression();
  const sdk = sdkExportOf(callee);
  if (sdk?.sdk !== 'genai' || sdk.name !== 'createPartFromFunctionResponse') return undefined;
  const [id, name, response, ...rest] = part.getArguments() as Expression[];
  if (!id || !name || !response || rest.length) return undefined;
  return new Map([['id', withoutFallback(id)], ['name', withoutFallback(name)], ['response', response]]);
}

/** `x ?? fallback` / `x!` → x. */
function withoutFallback(e: Expression): Expression {
  if (Node.isNonNullExpression(e)) return e.getExpression();
  if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.QuestionQuestionToken) return e.getLeft();
  return e;
}

/** Whether the expression is a function call of the old SDKs (legacy `FunctionCall`, genai `FunctionCall`). */
function isFunctionCall(e: Node): boolean {
  const type = e.getType();
  const symbol = type.getSymbol() ?? type.getAliasSymbol();
  if (symbol?.getName() !== 'FunctionCall') return false;
  const file = symbol.getDeclarations()[0]?.getSourceFile().getFilePath() ?? '';
  return /@google\/(generative-ai|genai)\//.test(file);
}

/**
 * A message that answers function calls: an array literal of such parts, `calls.map((call) => ({ functionResponse
 * ... }))`, or a local array that only ever gets such parts pushed. The edits turn each part into a step (and a
 * declared `FunctionResponsePart[]` into `Interactions.Step[]`); undefined when the message is something else.
 */
export function functionResultsMessage(message: Expression, blockers: Blocker[]): { edits: TextEdit[]; typed: boolean } | undefined {
  const parts: Node[] = [];
  let typed = false;
  const edits: TextEdit[] = [];
  if (Node.isArrayLiteralExpression(message)) parts.push(...message.getElements());
  else if (Node.isCallExpression(message) && isMapCall(message)) {
    const fn = message.getArguments()[0];
    const body = Node.isArrowFunction(fn) ? fn.getBody() : undefined;
    const returned = Node.isParenthesizedExpression(body) ? body.getExpression() : body;
    if (!returned || !(Node.isObjectLiteralExpression(returned) || Node.isCallExpression(returned))) return undefined;
    parts.push(returned);
    // A step built in a callback has no contextual type: say what it is (TypeScript).
    if (fileStyle(message.getSourceFile()).typescript && Node.isArrowFunction(fn) && !fn.getReturnTypeNode()) {
      const close = fn.getFirstChildByKind(SyntaxKind.CloseParenToken);
      const param = fn.getParameters()[0];
      if (!close || !param) return undefined;
      edits.push({ start: close.getEnd(), end: close.getEnd(), text: ': Interactions.Step' });
      typed = true;
    }
  } else if (Node.isIdentifier(message)) {
    const decl = message.getSymbol()?.getDeclarations()[0];
    const init = Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
    if (!Node.isVariableDeclaration(decl) || !Node.isArrayLiteralExpression(init) || init.getElements().length) return undefined;
    for (const ref of localReferences(decl.getNameNode() as Identifier)) {
      const access = ref.getParent();
      const push = access?.getParent();
      if (ref === message) continue;
      if (Node.isPropertyAccessExpression(access) && access.getName() === 'push' && Node.isCallExpression(push) && push.getExpression() === access) {
        parts.push(...push.getArguments());
      } else if (!(Node.isPropertyAccessExpression(access) && access.getName() === 'length')) {
        blockers.push({ node: ref, reason: 'request-shape', detail: `${ref.getText()} is used for more than collecting function results` });
        return { edits: [], typed: false };
      }
    }
    const typeNode = decl.getTypeNode();
    if (typeNode) {
      edits.push({ start: typeNode.getStart(), end: typeNode.getEnd(), text: 'Interactions.Step[]' });
      typed = true;
    }
  } else return undefined;
  if (parts.length === 0) return undefined;
  for (const part of parts) {
    const converted = functionResultText(part);
    if (!converted) {
      blockers.push({ node: part, reason: 'request-shape', detail: 'a function response whose call cannot be paired (no call id)' });
      return { edits: [], typed: false };
    }
    edits.push(...converted.edits);
  }
  return { edits, typed };
}

function isMapCall(call: CallExpression): boolean {
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) && callee.getName() === 'map' && call.getArguments().length === 1;
}

/** The per-file helper `functionCalls(interaction)`. */
export function functionCallsHelperText(name: string, typescript: boolean, semicolon: boolean, quote: "'" | '"', unit: string): string {
  const semi = semicolon ? ';' : '';
  const q = (s: string) => quote + s + quote;
  const doc = 'The function calls an interaction asks for, as functionCalls() gave them: undefined when there are none.';
  const lines = typescript
    ? [
        `/** ${doc} */`,
        `function ${name}(interaction: Interactions.Interaction): Interactions.FunctionCallStep[] | undefined {`,
        `${unit}const calls = (interaction.steps ?? []).filter((step): step is Interactions.FunctionCallStep => step.type === ${q('function_call')})${semi}`,
      ]
    : [
        '/**',
        ` * ${doc}`,
        ` * @param {import(${q('@google/genai')}).Interactions.Interaction} interaction`,
        ` * @returns {import(${q('@google/genai')}).Interactions.FunctionCallStep[] | undefined}`,
        ' */',
        `function ${name}(interaction) {`,
        `${unit}const calls = /** @type {import(${q('@google/genai')}).Interactions.FunctionCallStep[]} */ ((interaction.steps ?? []).filter((step) => step.type === ${q('function_call')}))${semi}`,
      ];
  lines.push(`${unit}return calls.length ? calls : undefined${semi}`, '}');
  return lines.join('\n');
}



import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, Expression, Identifier, ObjectLiteralExpression, Statement } from 'ts-morph';
import { arrayText, type Blocker } from './config-map.js';
import { functionResultsMessage } from './function-calls.js';
import { contentsToSteps } from './parts.js';
import { isStringValued, localReferences } from './responses.js';
import { sdkMethodOwner } from './sdk-symbols.js';
import { isAssignmentTarget } from './slots.js';
import { indentOf, indentUnit, type FileStyle } from './style.js';
import type { TextEdit } from '../types.js';

/**
 * A manual function-call history of `@google/genai` (reference row 50, example 19): a local `contents` array sent
 * with `ai.models.generateContent`, then pushed with the model's turn (`first.candidates?.[0]?.content`) and a user
 * turn answering its calls (`createPartFromFunctionResponse(call.id, call.name, ...)` or `{ functionResponse }`
 * parts), and sent again.
 *
 * The server keeps that history now: the first call sends the initial contents, the second only the
 * `function_result` steps, chained with `previous_interaction_id`; the array and its pushes go. This holds for that
 * straight line (declare, send, push the model turn, push the answers, send) in one block, and for a loop in that
 * block that pushes and sends again into the first response's variable (`response = await ...`, chaining on the
 * last one each turn). One send in a loop, a third send, a `continue` between the pushes and the send, another
 * reader of the array or answers that cannot be paired with their calls are left with a TODO.
 */
export interface ManualHistory {
  first: CallExpression;
  second: CallExpression;
  /** The first call's input: the initial contents as steps, or their only text. */
  firstInput: string;
  /** The variable holding the first interaction: the second chains on its id. */
  firstResult: Identifier;
  /** The second send stores into that variable (`response = await ...` in a loop): it chains on the last one. */
  reassigned: boolean;
  /** The answers (the pushed turn's `parts`) and the edits that make them `function_result` steps. */
  results: Expression;
  resultEdits: TextEdit[];
  /** Whole lines dropped: the array's declaration, the pushes, a model turn kept in a variable. */
  removals: TextEdit[];
}

const NOT_TRACED = 'request-shape' as const;

/**
 * The history `contents` (a property value of a genai `generateContent` request) belongs to. Undefined with no
 * blocker when it is no pushed-to local array (the request is then judged as it is); undefined with blockers when
 * it is one whose shape the tool cannot follow.
 */
export function manualHistory(contents: Expression, style: FileStyle, blockers: Blocker[]): ManualHistory | undefined {
  if (!Node.isIdentifier(contents)) return undefined;
  const shorthand = contents.getParent();
  const symbol = Node.isShorthandPropertyAssignment(shorthand) ? shorthand.getValueSymbol() : contents.getSymbol();
  const decl = symbol?.getDeclarations()[0];
  const nameNode = Node.isVariableDeclaration(decl) ? decl.getNameNode() : undefined;
  const init = Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  if (!Node.isVariableDeclaration(decl) || !Node.isIdentifier(nameNode) || !Node.isArrayLiteralExpression(init)) return undefined;
  const refs = references(nameNode);
  const pushes = refs.map(pushOf).filter((p): p is CallExpression => p !== undefined);
  if (pushes.length === 0) return undefined;
  const name = nameNode.getText();
  const sends = refs.map(sentBy).filter((c): c is CallExpression => c !== undefined);
  // Every TODO stands above the first send: the call that was left as it was, with what stopped it.
  const fail = (node: Node, detail: string) => void blockers.push({ node: sends[0] ?? node, reason: NOT_TRACED, detail: `the manual history ${name}: ${detail}` });

  const other = refs.find((r) => !pushOf(r) && !sentBy(r));
  if (other) return fail(other, 'used for more than sending and pushing turns');
  if (sends.length === 1) return fail(sends[0]!, 'the first contents and the answers go through one call (a loop): send the contents once, then each answer with previous_interaction_id of the last interaction');
  if (sends.length !== 2) return fail(sends[0] ?? decl, `sent ${sends.length} times; only a first send and the answers to its calls (once, or in a loop) are migrated`);
  const [first, second] = sends as [CallExpression, CallExpression];

  // Declare and send in one block; then push and send again, in that block or in the body of a loop in it.
  const declStatement = decl.getVariableStatement();
  const block = declStatement?.getParent();
  if (!declStatement || !Node.isBlock(block) || declStatement.getDeclarations().length !== 1) return fail(decl, 'not declared alone in a function body');
  const statements = block.getStatements();
  const iDecl = statements.indexOf(declStatement);
  const iFirst = indexIn(statements, first);
  if (iFirst <= iDecl || loopsAround(first, block).length) return fail(first, 'first sent from a loop or another block');
  const firstResult = resultVariable(first, statements[iFirst]!, second);
  if (!firstResult) return fail(first, 'the first response is not kept in a variable of its own (or is reassigned other than by the next send)');
  const again = sendAgain(second, firstResult.name, block, iFirst);
  if (!again) return fail(second, 'sent again from another block, or from a loop in a shape the tool cannot follow');
  const home = again.home;
  const iSecond = indexIn(home, second);

  // The pushes: the model's turn, then the answers; unconditional, except a model turn tested for presence.
  const args: Expression[] = [];
  const removed = new Set<Statement>([declStatement]);
  let resultsStatement: Statement | undefined;
  let firstPush = iSecond;
  for (const push of pushes) {
    const statement = push.getParent();
    const i = indexIn(home, push);
    if (!Node.isExpressionStatement(statement) || i <= again.after || i >= iSecond) return fail(push, 'pushed outside the line between its two sends');
    const guarded = home[i] !== statement;
    const pushed = push.getArguments() as Expression[];
    if (guarded && !(pushed.length === 1 && isPresenceGuard(home[i]!, statement, pushed[0]!))) return fail(push, 'pushed under a condition');
    for (const arg of pushed) {
      args.push(arg);
      if (args.length === 2) resultsStatement = home[i];
    }
    firstPush = Math.min(firstPush, i);
    removed.add(home[i]!);
  }
  if (args.length !== 2) return fail(pushes[0]!, 'pushed with other than the model turn and the answers');
  const [modelTurn, answers] = args as [Expression, Expression];
  const turnHolder = modelTurnOf(modelTurn, firstResult.name);
  if (!turnHolder) return fail(modelTurn, "the turn pushed first is not the last response's candidates[0].content");
  if (Node.isVariableStatement(turnHolder)) {
    if (indexIn(home, turnHolder) <= again.after) return fail(turnHolder, 'the model turn is read before the first send');
    removed.add(turnHolder);
  }
  // A `continue` after a push would have pushed the same turns twice: the old history and the chain would differ.
  if (home.slice(firstPush, iSecond).some((st) => st.getDescendantsOfKind(SyntaxKind.ContinueStatement).length > 0)) return fail(second, 'a continue between the pushes and the send');
  let parts = answerParts(answers);
  if (!parts) return fail(answers, "the answers are not one turn { role, parts } of the user's");
  // `const parts = calls.map(...)` right before the push, read only there: it moves into the send with the push.
  const ahead = Node.isIdentifier(parts) ? builtAhead(parts, home, removed, indexIn(home, resultsStatement!)) : undefined;
  if (ahead) {
    removed.add(ahead.statement);
    parts = ahead.value;
  }
  const found: Blocker[] = [];
  const results = functionResultsMessage(parts, found);
  if (found.length) return fail(parts, found[0]!.detail ?? 'the answers cannot be paired with their calls');
  if (!results || results.edits.length === 0) return fail(parts, 'the answers are not function responses paired with their calls by id');
  // The answers are evaluated where the second send now stands: nothing may run in between.
  const next = home.slice(indexIn(home, resultsStatement!) + 1).find((st) => !removed.has(st));
  if (next !== home[iSecond]) return fail(answers, 'the answers are pushed before other statements run');

  const before = blockers.length;
  const firstInput = initialInput(init, first, iFirst === iDecl + 1, style, blockers);
  if (firstInput === undefined) return blockers.length > before ? undefined : fail(init, 'the first contents are built before other statements run');
  const removals: TextEdit[] = [];
  for (const statement of removed) {
    const line = wholeLines(statement);
    if (!line) return fail(statement, 'a push shares its line with other code');
    removals.push({ ...line, text: '' });
  }
  return { first, second, firstInput, firstResult: firstResult.name, reassigned: firstResult.reassigned, results: parts, resultEdits: results.edits, removals };
}

/** The uses of a local variable in its function, shorthand properties (`{ contents }`) included. */
function references(name: Identifier): Identifier[] {
  const symbol = name.getSymbol();
  const scope = name.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) ?? name.getSourceFile();
  return scope.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => {
    if (id === name || id.getText() !== name.getText()) return false;
    const parent = id.getParent();
    return Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() === symbol : id.getSymbol() === symbol;
  });
}

/** Whether `inner` lies inside `outer`. */
function contains(outer: Node, inner: Node): boolean {
  return inner.getStart() >= outer.getStart() && inner.getEnd() <= outer.getEnd();
}

/** `contents.push(...)` for a reference `contents`: the call. */
function pushOf(ref: Node): CallExpression | undefined {
  const access = ref.getParent();
  const call = access?.getParent();
  return Node.isPropertyAccessExpression(access) && access.getName() === 'push' && Node.isCallExpression(call) && call.getExpression() === access ? call : undefined;
}

/** `ai.models.generateContent({ ..., contents })` sending `ref` as its contents: the call. */
function sentBy(ref: Node): CallExpression | undefined {
  const prop = ref.getParent();
  const isValue = Node.isShorthandPropertyAssignment(prop) || (Node.isPropertyAssignment(prop) && prop.getInitializer() === ref && prop.getName() === 'contents');
  if (!isValue || (Node.isShorthandPropertyAssignment(prop) && prop.getName() !== 'contents')) return undefined;
  const request = prop!.getParent();
  const call = request?.getParent();
  const callee = Node.isCallExpression(call) ? call.getExpression() : undefined;
  if (!Node.isCallExpression(call) || call.getArguments()[0] !== request || !Node.isPropertyAccessExpression(callee) || callee.getName() !== 'generateContent') return undefined;
  const owner = sdkMethodOwner(callee.getNameNode());
  return owner?.sdk === 'genai' && owner.owner === 'Models' ? call : undefined;
}

/**
 * `const first = await call` as the statement itself: `first`, when it is never reassigned, or only by the next send
 * (`first = await next`, a loop that sends again until no call is left).
 */
function resultVariable(call: CallExpression, statement: Statement, next: CallExpression): { name: Identifier; reassigned: boolean } | undefined {
  const awaited = call.getParent();
  const decl = awaited?.getParent();
  if (!Node.isAwaitExpression(awaited) || !Node.isVariableDeclaration(decl) || decl.getInitializer() !== awaited) return undefined;
  const name = decl.getNameNode();
  if (!Node.isIdentifier(name) || decl.getVariableStatement() !== statement) return undefined;
  const writes = localReferences(name).filter(isAssignmentTarget);
  if (writes.some((w) => storedSend(w) !== next)) return undefined;
  return { name, reassigned: writes.length > 0 };
}

/** For the target of `x = await call;` (a statement of its own): the call. */
export function storedSend(target: Node): CallExpression | undefined {
  const assignment = target.getParent();
  if (!Node.isBinaryExpression(assignment) || assignment.getLeft() !== target || assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return undefined;
  const awaited = assignment.getRight();
  const call = Node.isAwaitExpression(awaited) ? awaited.getExpression() : undefined;
  return Node.isExpressionStatement(assignment.getParent()) && Node.isCallExpression(call) ? call : undefined;
}

/**
 * Where the second send stands: a statement of the first's block after it (`const second = await ...`), or
 * `first = await ...` in the body of a loop that is a statement of that block (each turn chains on the last). The
 * statements it may be pushed among, and the index in them after which pushes may come.
 */
function sendAgain(second: CallExpression, first: Identifier, block: import('ts-morph').Block, iFirst: number): { home: Statement[]; after: number } | undefined {
  const statements = block.getStatements();
  const loops = loopsAround(second, block);
  if (loops.length === 0) {
    const i = indexIn(statements, second);
    return i > iFirst ? { home: statements, after: iFirst } : undefined;
  }
  const loop = loops[0]!;
  const body = (loop as import('ts-morph').WhileStatement).getStatement();
  const target = second.getParent()?.getParent();
  const stored = Node.isBinaryExpression(target) ? target.getLeft() : undefined;
  if (loops.length !== 1 || statements.indexOf(loop as Statement) <= iFirst || !Node.isBlock(body) || !stored || storedSend(stored) !== second) return undefined;
  if (!Node.isIdentifier(stored) || stored.getSymbol() !== first.getSymbol() || stored.getParent()?.getParent()?.getParent() !== body) return undefined;
  return { home: body.getStatements(), after: -1 };
}

/** The index of the statement (of `statements`) that holds `node`, or -1. */
function indexIn(statements: Statement[], node: Node): number {
  return statements.findIndex((st) => st === node || contains(st, node));
}

/** The loops around `node` up to `block`, innermost first. */
function loopsAround(node: Node, block: Node): Node[] {
  return node.getAncestors().filter((a) => Node.isIterationStatement(a) && contains(block, a) && a !== block);
}

/** `if (turn) contents.push(turn)` (braces or not, no else): a presence test of what is pushed. */
function isPresenceGuard(outer: Statement, push: Statement, arg: Expression): boolean {
  if (!Node.isIfStatement(outer) || outer.getElseStatement() || outer.getExpression().getText() !== arg.getText()) return false;
  const then = outer.getThenStatement();
  return then === push || (Node.isBlock(then) && then.getStatements().length === 1 && then.getStatements()[0] === push);
}

/**
 * The model turn pushed: `first.candidates?.[0]?.content` (with `!` or `?.` anywhere), or a variable holding it read
 * nowhere else. Returns the node that goes with the push: the expression itself, or the variable's statement.
 */
function modelTurnOf(turn: Expression, first: Identifier): Node | undefined {
  if (isCandidateContent(turn, first)) return turn;
  if (!Node.isIdentifier(turn)) return undefined;
  const decl = turn.getSymbol()?.getDeclarations()[0];
  const init = Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  const statement = Node.isVariableDeclaration(decl) ? decl.getVariableStatement() : undefined;
  if (!init || !statement || statement.getDeclarations().length !== 1 || !isCandidateContent(init, first)) return undefined;
  // Read only by the push and its presence test.
  const refs = localReferences((decl as import('ts-morph').VariableDeclaration).getNameNode() as Identifier);
  const pushStatement = turn.getFirstAncestorByKind(SyntaxKind.ExpressionStatement);
  const guard = pushStatement?.getParent();
  const allowed = (r: Node) => r === turn || (Node.isIfStatement(guard) && guard.getExpression() === r) || (Node.isBlock(guard) && Node.isIfStatement(guard.getParent()) && (guard.getParent() as import('ts-morph').IfStatement).getExpression() === r);
  return refs.every(allowed) ? statement : undefined;
}

function isCandidateContent(e: Expression, first: Identifier): boolean {
  const text = e.getText().replace(/\s+/g, '').replace(/!/g, '').replace(/\?\./g, '.').replace(/\.\[/g, '[');
  const base = first.getText();
  if (text !== `${base}.candidates[0].content`) return false;
  const root = e.getFirstDescendant((d) => Node.isIdentifier(d) && d.getText() === base);
  return root?.getSymbol() === first.getSymbol();
}

/**
 * `const parts = <value>` as the last statement before the push at `iPush` (removed ones aside), with `parts` read
 * by the push only: the value and its statement.
 */
function builtAhead(parts: Identifier, home: Statement[], removed: Set<Statement>, iPush: number): { value: Expression; statement: Statement } | undefined {
  const shorthand = parts.getParent();
  const decl = (Node.isShorthandPropertyAssignment(shorthand) ? shorthand.getValueSymbol() : parts.getSymbol())?.getDeclarations()[0];
  const statement = Node.isVariableDeclaration(decl) ? decl.getVariableStatement() : undefined;
  const value = Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  const previous = home.slice(0, iPush).reverse().find((st) => !removed.has(st));
  if (!statement || !value || previous !== statement || statement.getDeclarations().length !== 1 || Node.isArrayLiteralExpression(value)) return undefined;
  const refs = references((decl as import('ts-morph').VariableDeclaration).getNameNode() as Identifier);
  return refs.length === 1 && refs[0] === parts ? { value, statement } : undefined;
}

/** `{ role: 'user' | 'function' | 'tool', parts }`: the parts. */
function answerParts(turn: Expression): Expression | undefined {
  if (!Node.isObjectLiteralExpression(turn) || turn.getProperties().length !== 2) return undefined;
  const role = valueOf(turn, 'role');
  const parts = valueOf(turn, 'parts');
  const roleText = role && (Node.isStringLiteral(role) || Node.isNoSubstitutionTemplateLiteral(role)) ? role.getLiteralText() : undefined;
  return parts && roleText && ['user', 'function', 'tool'].includes(roleText) ? parts : undefined;
}

function valueOf(obj: ObjectLiteralExpression, key: string): Expression | undefined {
  const p = obj.getProperty(key);
  if (Node.isPropertyAssignment(p)) return p.getInitializer();
  if (Node.isShorthandPropertyAssignment(p)) return p.getNameNode() as unknown as Expression;
  return undefined;
}

/**
 * The initial contents as the first call's input: their only text, or steps. They were built where the array was
 * declared: moved into the call only when it comes right after, or when they read no variable at all.
 */
function initialInput(init: Expression, first: CallExpression, adjacent: boolean, style: FileStyle, blockers: Blocker[]): string | undefined {
  if (!adjacent && init.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => !Node.isPropertyAssignment(id.getParent()) || (id.getParent() as import('ts-morph').PropertyAssignment).getInitializer() === id)) {
    return undefined;
  }
  const only = Node.isArrayLiteralExpression(init) && init.getElements().length === 1 ? init.getElements()[0] : undefined;
  const parts = Node.isObjectLiteralExpression(only) && only.getProperties().length === 2 && isUserRole(valueOf(only, 'role')) ? valueOf(only, 'parts') : undefined;
  const part = Node.isArrayLiteralExpression(parts) && parts.getElements().length === 1 ? parts.getElements()[0] : undefined;
  const text = Node.isObjectLiteralExpression(part) && part.getProperties().length === 1 ? valueOf(part, 'text') : undefined;
  if (text) return text.getText();
  const steps = contentsToSteps(init, style, isStringValued, blockers);
  const unit = indentUnit(first.getSourceFile());
  return steps && arrayText(steps, indentOf(first.getArguments()[0]!) + unit, unit);
}

function isUserRole(role: Expression | undefined): boolean {
  return role !== undefined && (Node.isStringLiteral(role) || Node.isNoSubstitutionTemplateLiteral(role)) && role.getLiteralText() === 'user';
}

/** The lines a statement fills (with its JSDoc and a trailing comment), or undefined when it shares them with code. */
function wholeLines(statement: Statement): { start: number; end: number } | undefined {
  const text = statement.getSourceFile().getFullText();
  const begin = statement.getStart(true);
  const start = text.lastIndexOf('\n', begin - 1) + 1;
  if (text.slice(start, begin).trim() !== '') return undefined;
  const nl = text.indexOf('\n', statement.getEnd());
  const end = nl === -1 ? text.length : nl + 1;
  const rest = text.slice(statement.getEnd(), end).trim();
  if (rest !== '' && !rest.startsWith('//')) return undefined;
  return { start, end };
}

/** Whether a node lies inside one of the removed ranges (its reads go with it). */
export function isRemoved(node: Node, removals: readonly TextEdit[]): boolean {
  return removals.some((r) => node.getStart() >= r.start && node.getEnd() <= r.end);
}

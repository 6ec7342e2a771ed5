import { Node, SyntaxKind } from '../tsm.js';
import type { Slot } from './slots.js';
import { slotReferences, valueSymbol } from './slots.js';
import { factoryUses, isExportedFactory, namedFunction, ownReturns, type Factory, type ModelUse } from './factories.js';
import { keepingEmpty, storedValue } from './reassigned.js';
import type { Blocker } from './config-map.js';
import type { TextEdit } from '../types.js';

/**
 * Models that may be missing: a `let model: GenerativeModel | null` made on first use, a field set in `init()`.
 * A settings object is as present as the model it replaces (both are objects), so presence tests and `!` stay as they
 * are; a lazy getter's calls are the model's uses, like a factory's; only `?.` must refuse (see below).
 */

/** `!model`, `model === null`, `if (model)`: tests whether the model is there, which holds of its settings alike. */
export function isPresenceTest(use: Node): boolean {
  const parent = use.getParent();
  if (Node.isPrefixUnaryExpression(parent)) return parent.getOperatorToken() === SyntaxKind.ExclamationToken;
  if (Node.isBinaryExpression(parent)) {
    const op = parent.getOperatorToken().getKind();
    const other = parent.getLeft() === use ? parent.getRight() : parent.getLeft();
    const empty = other.getKind() === SyntaxKind.NullKeyword || (Node.isIdentifier(other) && other.getText() === 'undefined');
    return empty && EQUALITY.has(op);
  }
  if (Node.isIfStatement(parent) || Node.isWhileStatement(parent) || Node.isDoStatement(parent)) return parent.getExpression() === use;
  return Node.isConditionalExpression(parent) && parent.getCondition() === use;
}

const EQUALITY = new Set([SyntaxKind.EqualsEqualsToken, SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken]);

/**
 * The function handing out the model kept in `slot` at this reference, or undefined: every return of a plain named
 * function is the slot (`if (!model) model = ...; return model;`, `return (model ??= ...)`, `() => model!`), so each
 * call of it is a use of the model.
 */
export function lazyGetterOf(slot: Slot, ref: Node): Factory | undefined {
  const returned = returnedAt(ref);
  const fn = Node.isReturnStatement(returned?.getParent()) ? returned!.getParentOrThrow().getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) : returned?.getParent();
  const getter = namedFunction(fn);
  if (!getter) return undefined;
  const values = Node.isArrowFunction(getter.fn) && !Node.isBlock(getter.fn.getBody()) ? [getter.fn.getBody()] : ownReturns(getter.fn).map((r) => (r.asKind(SyntaxKind.ReturnStatement)?.getExpression()));
  const symbol = slot.name.getSymbol();
  const isSlot = (v: Node | undefined) => {
    const read = v && readOf(v);
    return Node.isIdentifier(read) && valueSymbol(read) === symbol;
  };
  return values.every(isSlot) ? getter : undefined;
}

/** The expression a reference hands back, when it is returned: `model`, `model!`, `(model ??= x)`. */
function returnedAt(ref: Node): Node | undefined {
  let value = ref;
  const assignment = ref.getParent();
  if (Node.isBinaryExpression(assignment) && assignment.getLeft() === ref && LAZY.has(assignment.getOperatorToken().getKind())) value = assignment;
  while (Node.isParenthesizedExpression(value.getParent()) || Node.isNonNullExpression(value.getParent())) value = value.getParentOrThrow();
  const parent = value.getParent();
  return Node.isReturnStatement(parent) || (Node.isArrowFunction(parent) && parent.getBody() === value) ? value : undefined;
}

const LAZY = new Set([SyntaxKind.QuestionQuestionEqualsToken, SyntaxKind.BarBarEqualsToken]);

/** The variable a returned value reads, through parentheses, `!` and a lazy store. */
function readOf(value: Node): Node {
  let v = value;
  for (;;) {
    if (Node.isParenthesizedExpression(v) || Node.isNonNullExpression(v)) v = v.getExpression();
    else if (Node.isBinaryExpression(v) && LAZY.has(v.getOperatorToken().getKind())) v = v.getLeft();
    else return v;
  }
}

/**
 * The model's uses with its presence tests set aside, `model!` read whole, and the returns of its lazy getters
 * replaced by the getters' calls (and the variables and fields those are kept in, added to `holders`). Returns the
 * edits that type each getter as handing out settings. `model?.generateContent(x)` is refused: it skipped the call
 * when the model was missing, while a spread of a missing settings object would still send a request.
 */
export function nullableUses(slot: Slot, uses: ModelUse[], holders: Slot[], settingsType: string | undefined, stores: ReadonlySet<Node> | undefined, blockers: Blocker[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const out: ModelUse[] = [];
  const getters = new Set<Node>();
  const all = [...uses];
  // The store `return (model ??= x)` is excluded from the uses, but it hands the model out too.
  if (slot.kind === 'variable' && returnedAt(slot.storeSite)) all.push({ ref: slot.storeSite, use: undefined, anchor: undefined });
  for (const u of all) {
    const stored = storedValue(u.use ?? u.ref);
    if (stored && u.ref !== slot.storeSite && !stores?.has(stored)) {
      // Another value stored: from another client, handed out at once, or (left to the caller) anything else.
      if (/\.getGenerativeModel\(/.test(stored.getText())) blockers.push({ node: u.ref, reason: 'model-used-elsewhere', detail: `${slot.name.getText()} is also stored from another client: its calls could not know which client to send with` });
      else if (returnedAt(u.ref)) blockers.push({ node: u.ref, reason: 'model-used-elsewhere', detail: `${slot.name.getText()} also holds another value` });
      else out.push(u);
      continue;
    }
    const getter = u.ref.getKind() === SyntaxKind.Identifier ? lazyGetterOf(slot, u.ref) : undefined;
    if (getter) {
      if (getters.has(getter.fn)) continue;
      getters.add(getter.fn);
      const refs = functionRefs(getter);
      // Exported with no call in the files migrated: its callers are elsewhere, and would get settings.
      if (refs.length === 0 && isExportedFactory(getter)) blockers.push({ node: getter.slot.holder, reason: 'model-used-elsewhere', detail: `${getter.slot.name.getText()} is exported, with no use in the files migrated` });
      const through = factoryUses(getter, refs, blockers);
      holders.push(...through.holders);
      out.push(...through.uses.map((t) => ({ ...t, via: getter })));
      const type = getter.fn.getReturnTypeNode();
      if (type && settingsType) edits.push({ start: type.getStart(), end: type.getEnd(), text: keepingEmpty(type, settingsType) });
      continue;
    }
    if (u.ref === slot.storeSite) {
      // returned, but not by a plain getter (an async function, other values returned too)
      blockers.push({ node: u.ref, reason: 'model-used-elsewhere', detail: 'returned from a function that may return something else, or an async one' });
      continue;
    }
    if (u.use && isPresenceTest(u.use)) continue;
    out.push(u);
  }
  uses.length = 0;
  for (const u of out) {
    const use = u.use && Node.isNonNullExpression(u.use.getParent()) ? u.use.getParentOrThrow() : u.use;
    const access = use?.getParent();
    if (use && Node.isPropertyAccessExpression(access) && access.getExpression() === use && access.hasQuestionDotToken()) {
      blockers.push({ node: use, reason: 'model-used-elsewhere', detail: `${use.getText()}?.${access.getName()}(): a missing model skipped the call, its settings object would not` });
      continue;
    }
    if (use && isPresenceTest(use)) continue; // a getter's result tested: `if (!getModel())`
    uses.push({ ...u, use });
  }
  return edits;
}

/** `() => (model ??= ...)`: the model's only reference may be its store, which hands it out (its getter's calls are its uses). */
export function storedAndReturned(slot: Slot): boolean {
  return returnedAt(slot.storeSite) !== undefined;
}

/** The getter's references (its name excluded): its calls, here or in modules importing it. */
function functionRefs(getter: Factory): Node[] {
  return slotReferences(getter.slot);
}

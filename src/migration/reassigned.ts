import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, VariableDeclarationKind } from 'ts-morph';
import type { Slot } from './slots.js';
import type { TextEdit } from '../types.js';

/**
 * `model = client.getGenerativeModel(...)` storing into a `let` (a model switched at run time): the variable's slot,
 * with this assignment as its store. Every model stored there becomes a settings object, so they migrate together.
 */
export function reassignedSlotOf(call: CallExpression): Slot | undefined {
  const assignment = call.getParent();
  if (!Node.isBinaryExpression(assignment) || assignment.getRight() !== call || !STORES.has(assignment.getOperatorToken().getKind())) return undefined;
  const left = assignment.getLeft();
  const lazy = assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken;
  if (!Node.isIdentifier(left) || !(Node.isExpressionStatement(assignment.getParent()) || (lazy && isReturned(assignment)))) return undefined;
  const decl = left.getSymbol()?.getDeclarations()[0];
  if (!Node.isVariableDeclaration(decl) || decl.getVariableStatement()?.getDeclarationKind() !== ('let' as VariableDeclarationKind)) return undefined;
  const name = decl.getNameNode();
  if (!Node.isIdentifier(name)) return undefined;
  return { kind: 'variable', name, access: name.getText(), holder: decl, typeNode: decl.getTypeNode(), storeSite: left };
}

/** `model = x`, and the lazy `model ??= x` / `model ||= x` (a model made on first use). */
const STORES = new Set([SyntaxKind.EqualsToken, SyntaxKind.QuestionQuestionEqualsToken, SyntaxKind.BarBarEqualsToken]);

/** `return (model ??= x)`, `() => (model ??= x)`: stored and handed out at once (a lazy getter, see nullable.ts). */
function isReturned(assignment: Node): boolean {
  let value = assignment;
  while (Node.isParenthesizedExpression(value.getParent())) value = value.getParentOrThrow();
  const parent = value.getParent();
  return Node.isReturnStatement(parent) || (Node.isArrowFunction(parent) && parent.getBody() === value);
}

/** The value a store of the slot writes: the right side of `model = value` (or `??=`, `||=`), or undefined for a read. */
export function storedValue(use: Node): Node | undefined {
  const parent = use.getParent();
  return Node.isBinaryExpression(parent) && parent.getLeft() === use && STORES.has(parent.getOperatorToken().getKind()) ? parent.getRight() : undefined;
}

/** A `let` that starts empty: `let model;`, `= undefined`, `= null`. */
export function startsEmpty(slot: Slot): boolean {
  const init = Node.isVariableDeclaration(slot.holder) ? slot.holder.getInitializer() : undefined;
  return !init || init.getKind() === SyntaxKind.NullKeyword || (Node.isIdentifier(init) && init.getText() === 'undefined');
}

/**
 * The declared type of a variable holding models stored at several places: the settings type (kept with `| undefined`
 * or `| null` when the old type had them), since the settings objects stored differ in their fields.
 */
export function reassignedTypeEdit(slot: Slot, settingsType: string): TextEdit {
  const type = slot.typeNode;
  if (!type) {
    const init = Node.isVariableDeclaration(slot.holder) ? slot.holder.getInitializer()?.getText() : undefined;
    const empty = init === 'null' || init === 'undefined' ? ` | ${init}` : '';
    return { start: slot.name.getEnd(), end: slot.name.getEnd(), text: `: ${settingsType}${empty}` };
  }
  return { start: type.getStart(), end: type.getEnd(), text: keepingEmpty(type, settingsType) };
}

/** `settingsType` with the `| null` / `| undefined` of the model type it replaces (`GenerativeModel | null`). */
export function keepingEmpty(type: Node, settingsType: string): string {
  const nullable = Node.isUnionTypeNode(type) ? type.getTypeNodes().filter((t) => /^(undefined|null)$/.test(t.getText())).map((t) => t.getText()) : [];
  return [settingsType, ...nullable].join(' | ');
}

import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, ClassDeclaration, ClassExpression, Identifier, MethodDeclaration } from 'ts-morph';
import type { Slot } from './slots.js';
import { fileStyle, indentOf, type FileStyle } from './style.js';
import { sdkTypeOf } from './sdk-symbols.js';
import type { TextEdit } from '../types.js';

/**
 * Fields set late: `init()` / `onModuleInit()` makes the client in a local and stores the models in fields
 * (`private model: GenerativeModel | null = null`), which the other methods use after a guard or with `!`.
 */

/** The instance method `node` runs in (not a nested function), with its class. */
function methodOf(node: Node): { method: MethodDeclaration; cls: ClassDeclaration | ClassExpression } | undefined {
  const method = node.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a));
  if (!Node.isMethodDeclaration(method) || method.isStatic()) return undefined;
  const cls = method.getParent();
  return Node.isClassDeclaration(cls) || Node.isClassExpression(cls) ? { method, cls } : undefined;
}

/**
 * `this.model = client.getGenerativeModel(...)` in an instance method: the field as a slot, like one assigned in the
 * constructor. Undefined when the field starts with another value than nothing (`= null`, `= undefined`, none).
 */
export function lateFieldSlotOf(call: CallExpression): Slot | undefined {
  const assignment = call.getParent();
  if (!Node.isBinaryExpression(assignment) || assignment.getRight() !== call || assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return undefined;
  const left = assignment.getLeft();
  const statement = assignment.getParent();
  if (!Node.isPropertyAccessExpression(left) || left.getExpression().getKind() !== SyntaxKind.ThisKeyword || !Node.isExpressionStatement(statement)) return undefined;
  const where = methodOf(assignment);
  if (!where || !Node.isIdentifier(left.getNameNode())) return undefined;
  const declared = where.cls.getProperty(left.getName());
  // TypeScript declares its fields: one declared elsewhere (a base class) keeps a model type this cannot change.
  if (!declared && fileStyle(call.getSourceFile()).typescript) return undefined;
  if (declared && (declared.isStatic() || !Node.isIdentifier(declared.getNameNode()))) return undefined;
  // A field that may also hold another kind of model (`GenerativeModel | VertexAiGenerativeModel`) is not the model's alone.
  const type = declared?.getTypeNode();
  if (type && !(Node.isUnionTypeNode(type) ? type.getTypeNodes() : [type]).every((t) => isEmptyType(t) || isLegacyModelType(t))) return undefined;
  const init = declared?.getInitializer();
  if (init && !(init.getKind() === SyntaxKind.NullKeyword || (Node.isIdentifier(init) && init.getText() === 'undefined'))) return undefined;
  return {
    kind: 'field',
    name: (declared?.getNameNode() ?? left.getNameNode()) as Identifier,
    access: `this.${left.getName()}`,
    holder: statement,
    typeNode: declared?.getTypeNode(),
    storeSite: left.getNameNode(),
  };
}

/**
 * The method's client local, as a field of the class the other methods can read: undefined when it cannot move (a
 * constructor's, handled apart; another declaration beside it; a member or parameter of that name). It is not set
 * until the method runs, so in TypeScript it is declared optional and read as `this.<name>!`: it is read only with
 * a model stored right after it, where the model was already known to be there (its guard, or its own `!`).
 */
export function lateClientField(slot: Slot, style: FileStyle): Slot | undefined {
  const statement = slot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  const where = statement && methodOf(statement);
  if (slot.kind !== 'variable' || !where || statement!.getDeclarations().length !== 1) return undefined;
  const name = slot.name.getText();
  const taken = where.cls.getMembers().some((m) => (Node.isPropertyDeclaration(m) || Node.isMethodDeclaration(m) || Node.isGetAccessorDeclaration(m) || Node.isSetAccessorDeclaration(m)) && m.getName() === name);
  if (taken || where.method.getParameters().some((p) => p.getName() === name)) return undefined;
  return { ...slot, kind: 'field', access: `this.${name}${style.typescript ? '!' : ''}`, holder: statement! };
}

/** The local becomes `this.<name> = ...` where it stood, declared `private <name>?: GoogleGenAI` in TypeScript. */
export function lateClientEdits(local: Slot, field: Slot, clientText: string, style: FileStyle): TextEdit[] {
  const statement = field.holder;
  const method = methodOf(statement)!.method;
  const semi = style.semicolon ? ';' : '';
  const name = local.name.getText();
  const edits: TextEdit[] = [{ start: statement.getStart(), end: statement.getEnd(), text: `this.${name} = ${clientText}${semi}` }];
  if (!style.typescript) return edits;
  // Declared with the class's other fields, or above the method when it has none.
  const fields = methodOf(statement)!.cls.getProperties().filter((p) => !p.isStatic());
  const last = fields.at(-1);
  const at = last ? last.getEnd() : method.getStart(true);
  const declaration = `private ${name}?: GoogleGenAI${semi}`;
  edits.push({ start: at, end: at, text: last ? `\n${indentOf(last)}${declaration}` : `${declaration}\n\n${indentOf(method)}` });
  return edits;
}

function isEmptyType(t: Node): boolean {
  return /^(null|undefined)$/.test(t.getText());
}

function isLegacyModelType(t: Node): boolean {
  const e = sdkTypeOf(t);
  return e?.sdk === 'legacy' && e.name === 'GenerativeModel';
}

/**
 * How migrated code reads a client field that may be empty (`GoogleGenerativeAI | null`, `genAI?:`): with `!` in
 * TypeScript. It is read only for a model stored in the same block right after it was set, where that model was
 * known to be there (its guard, or its own `!`).
 */
export function clientRead(slot: Slot, style: FileStyle): string {
  const member = slot.name.getParent();
  const optional = Node.isPropertyDeclaration(member) && member.hasQuestionToken();
  const type = slot.typeNode;
  const empty = optional || (Node.isUnionTypeNode(type) && type.getTypeNodes().some(isEmptyType));
  return slot.kind === 'field' && style.typescript && empty ? `${slot.access}!` : slot.access;
}

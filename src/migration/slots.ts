import { Node, SyntaxKind, ts } from '../tsm.js';
import type { Expression, Identifier, TypeNode, ts as TS } from 'ts-morph';
import { findNodes, projectFiles } from './find.js';
import { commonJsUsers } from './commonjs.js';

/**
 * Where a value is kept: a variable, or a class field (initialised where it is declared, or assigned once in the
 * constructor). Its uses are found by symbol, across the files of the program.
 */
export interface Slot {
  kind: 'variable' | 'field';
  /** The identifier whose references are the slot's uses. */
  name: Identifier;
  /** How code in the slot's scope reads it: `model` or `this.model`. */
  access: string;
  /** The statement or member that holds it (for TODO placement and indentation). */
  holder: Node;
  /** Its declared type, if any (`private model: GenerativeModel`). */
  typeNode?: TypeNode;
  /** The `name` node of the place that stores the value: a use of the slot that is not a read. */
  storeSite: Node;
}

/** The slot `value` is stored in, or undefined when it is not kept in a single named place. */
export function slotOf(value: Expression): Slot | undefined {
  const parent = value.getParent();
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === value) {
    const name = parent.getNameNode();
    if (!Node.isIdentifier(name)) return undefined;
    return { kind: 'variable', name, access: name.getText(), holder: parent, typeNode: parent.getTypeNode(), storeSite: name };
  }
  if (Node.isPropertyDeclaration(parent) && parent.getInitializer() === value && !parent.isStatic()) {
    const name = parent.getNameNode();
    if (!Node.isIdentifier(name)) return undefined;
    return { kind: 'field', name, access: `this.${name.getText()}`, holder: parent, typeNode: parent.getTypeNode(), storeSite: name };
  }
  // this.model = genAI.getGenerativeModel(...) in the constructor
  if (Node.isBinaryExpression(parent) && parent.getRight() === value && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    const left = parent.getLeft();
    const ctor = parent.getFirstAncestor((a) => Node.isConstructorDeclaration(a) || Node.isFunctionLikeDeclaration(a));
    if (!Node.isPropertyAccessExpression(left) || left.getExpression().getKind() !== SyntaxKind.ThisKeyword || !Node.isConstructorDeclaration(ctor)) {
      return undefined;
    }
    const declared = ctor.getParentIfKind(SyntaxKind.ClassDeclaration)?.getProperty(left.getName());
    const declaredName = declared?.getNameNode();
    return {
      kind: 'field',
      // a `#name` field too: its references are found by the language service, as an identifier's are
      name: Node.isIdentifier(declaredName) || Node.isPrivateIdentifier(declaredName) ? (declaredName as unknown as Identifier) : (left.getNameNode() as Identifier),
      access: `this.${left.getName()}`,
      holder: parent.getFirstAncestorByKind(SyntaxKind.ExpressionStatement) ?? parent,
      typeNode: declared?.getTypeNode(),
      storeSite: left.getNameNode(),
    };
  }
  return undefined;
}

/**
 * A use of the slot as an expression: the identifier for a variable, `this.model` for a field. Undefined for a
 * use that is not a plain read (`other.model`, a store).
 */
export function useExpression(slot: Slot, ref: Node): Node | undefined {
  if (ref === slot.storeSite || ref === slot.name) return undefined;
  if (slot.kind === 'variable') {
    // `gemini.model` of `const gemini = require('./gemini')`: the reference is the property name (commonjs.ts).
    const parent = ref.getParent();
    return Node.isPropertyAccessExpression(parent) && parent.getNameNode() === ref ? parent : ref;
  }
  const access = ref.getParent();
  if (Node.isPropertyAccessExpression(access) && access.getNameNode() === ref && access.getExpression().getKind() === SyntaxKind.ThisKeyword) return access;
  return undefined;
}

/** Whether `use` names a value imported into its module (a named, non-type import). */
export function isImportedBinding(use: Node): boolean {
  const decl = Node.isIdentifier(use) ? use.getSymbol()?.getDeclarations()[0] : undefined;
  return Node.isImportSpecifier(decl) && !decl.isTypeOnly() && !decl.getImportDeclaration().isTypeOnly();
}

/**
 * The references of a variable (its declaration name), found the way a slot's are: in its scope when no other
 * module can see it, else through its exports.
 */
export function variableReferences(name: Identifier): Node[] {
  const decl = name.getParentOrThrow();
  return slotReferences({ kind: 'variable', name, access: name.getText(), holder: decl, storeSite: name });
}

export function isAssignmentTarget(node: Node): boolean {
  const parent = node.getParent();
  return Node.isBinaryExpression(parent) && parent.getLeft() === node && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken;
}

/**
 * Every reference of the slot in the program, the declaration and import/export bindings excluded. A slot no other
 * module can see (a variable that is not exported, a private field) is searched in its own scope by name and symbol;
 * only the others need the language service, which type-checks the whole program to answer.
 */
export function slotReferences(slot: Slot): Node[] {
  // A value a CommonJS module exports: its module and the modules that require it (commonjs.ts).
  const required = commonJsUsers(slot)?.refs;
  const local = required ? undefined : localSlotReferences(slot);
  const module = required || local ? undefined : moduleSlotReferences(slot);
  if (module && process.env.MIGRATE_INTERACTIONS_CHECK_REFERENCES) compareWithLanguageService(slot.name, module);
  const refs = required ?? local ?? module ?? slot.name.findReferencesAsNodes();
  return refs.filter((n) => {
    const parent = n.getParent();
    return n !== slot.name && !Node.isImportSpecifier(parent) && !Node.isExportSpecifier(parent) && !Node.isImportClause(parent);
  });
}

function localSlotReferences(slot: Slot): Node[] | undefined {
  const text = slot.name.getText();
  if (slot.kind === 'field') {
    const member = slot.name.getParent();
    const isPrivate = Node.isPropertyDeclaration(member) && member.hasModifier(SyntaxKind.PrivateKeyword);
    const cls = slot.holder.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
    if (!isPrivate || !cls) return undefined;
    // Only `this.<name>` reads name the field: an object key or a local of the same name does not.
    return findNodes(cls, SyntaxKind.Identifier, (n) => {
      const parent = n.parent;
      return (n as TS.Identifier).text === text && ts.isPropertyAccessExpression(parent) && parent.name === n && parent.expression.kind === SyntaxKind.ThisKeyword;
    });
  }
  if (Node.isMethodDeclaration(slot.holder)) return undefined; // a method factory (a #name too): the language service finds its calls
  const statement = slot.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  if (!statement || statement.hasExportKeyword()) return undefined; // syntactic: isExported() would build the program
  const symbol = slot.name.getSymbol();
  const scope = slot.holder.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isSourceFile(a)) ?? slot.holder.getSourceFile();
  const refs = findNodes(scope, SyntaxKind.Identifier, (n) => (n as TS.Identifier).text === text).filter((id) => valueSymbol(id) === symbol);
  // `export { model }` or `export default model` elsewhere in the file: other modules may use it after all.
  const exported = refs.some((id) => Node.isExportSpecifier(id.getParent()) || Node.isExportAssignment(id.getParent()));
  return exported ? undefined : refs;
}

/** The symbol an identifier reads: for `{ model }` the variable, not the property it also declares. */
export function valueSymbol(id: Node): ReturnType<Node['getSymbol']> {
  const parent = id.getParent();
  return Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === id ? parent.getValueSymbol() : id.getSymbol();
}

/**
 * An exported module-level variable of an ES module: its references are the identifiers of that name, in the files
 * of the program that mention it, whose symbol is the variable's (through import aliases and re-exports). That is
 * what the language service's find-references answers, without it walking the SDKs' declaration files. Undefined
 * where a reference could hide under another name or shape: CommonJS exports, default exports, aliased imports.
 */
function moduleSlotReferences(slot: Slot): Node[] | undefined {
  return slot.kind === 'variable' ? moduleVariableReferences(slot.name) : undefined;
}

/**
 * The references of a module-level variable of an ES module (see moduleSlotReferences), the declaration included
 * as find-references includes it; undefined when the fast search cannot be sure and the language service must answer.
 */
export function moduleVariableReferences(name: Identifier): Node[] | undefined {
  const decl = name.getParent();
  const statement = Node.isVariableDeclaration(decl) && decl.getNameNode() === name ? decl.getVariableStatement() : undefined;
  const home = name.getSourceFile();
  if (!statement || !Node.isSourceFile(statement.getParent())) return undefined;
  if (/\b(module\.exports|exports\.|require\s*\(|export\s+default)\b/.test(home.getFullText())) return undefined;
  const target = name.getSymbol();
  if (!target) return undefined;
  const text = name.getText();
  const refs: Node[] = [];
  for (const file of projectFiles(home.getProject())) {
    if (file.isDeclarationFile() || file.isInNodeModules() || !file.getFullText().includes(text)) continue;
    for (const id of findNodes(file, SyntaxKind.Identifier, (n) => (n as TS.Identifier).text === text)) {
      const parent = id.getParent();
      // `import { x as y }` / `export { x as y }`: uses go by another name that this search cannot see.
      if ((Node.isImportSpecifier(parent) || Node.isExportSpecifier(parent)) && parent.getAliasNode()) return undefined;
      let symbol = valueSymbol(id);
      if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
      if (symbol === target) refs.push(id);
    }
  }
  return refs;
}

/**
 * Test aid (MIGRATE_INTERACTIONS_CHECK_REFERENCES=1): the fast search must find exactly what the language service
 * finds; the suite runs with it on, so every fixture and program checks the shortcut.
 */
export function compareWithLanguageService(name: Identifier, found: Node[]): void {
  const key = (n: Node) => `${n.getSourceFile().getFilePath()}:${n.getStart()}`;
  const expected = name.findReferencesAsNodes().filter((n) => n !== name).map(key).sort();
  const actual = found.filter((n) => n !== name).map(key).sort();
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    throw new Error(`reference search differs for ${name.getText()}: language service ${expected.join(', ')}; fast ${actual.join(', ')}`);
  }
}

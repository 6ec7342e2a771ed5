import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Node, SyntaxKind, ts } from '../tsm.js';
import type { BinaryExpression, CallExpression, Identifier, ObjectBindingPattern, ObjectLiteralExpression, SourceFile, ts as TS } from 'ts-morph';
import { findNodes, isRunFile, outsideTheRun, projectFiles } from './find.js';
import { freshName } from './streams.js';
import { indentOf } from './style.js';
import type { Slot } from './slots.js';

/**
 * Values a CommonJS module hands out through `module.exports` / `exports`, followed into the modules that
 * `require()` them, as ES exports are followed through their imports. The shapes: `module.exports = { model }` (or
 * `{ name: model }`), `module.exports.model = model`, `exports.model = model`; on the other side
 * `const { model } = require('./gemini')` (renamed or not) and `const gemini = require('./gemini')` read as
 * `gemini.model`. What cannot be followed (another way of requiring the module, a `require()` of a computed path
 * that may load it, the module object passed on whole) is reported, and keeps the value where it is.
 */

/** Where a module hands a value out. */
export interface ExportSite {
  /** The property importers read it by; undefined for `module.exports = value` (the module is the value). */
  name: string | undefined;
  /** The top-level statement that exports it. */
  statement: Node;
  /** `module.exports = { ... }`: the literal a client can be added to. */
  object?: ObjectLiteralExpression;
}

/** A use the tool cannot follow, with the reason for its TODO. */
export interface Refusal {
  node: Node;
  detail: string;
}

export interface CommonJsUsers {
  /** References of the value: in its own module (export sites left out) and in the modules requiring it. */
  refs: Node[];
  refused: Refusal[];
  exports: ExportSite[];
}

const cache = new WeakMap<TS.Node, CommonJsUsers | null>();

/**
 * The users of a module-level variable or function that its CommonJS module exports, or undefined when the module
 * does not export it that way (an ES module, a value kept private).
 */
export function commonJsUsers(slot: Slot): CommonJsUsers | undefined {
  const hit = cache.get(slot.name.compilerNode);
  if (hit !== undefined) return hit ?? undefined;
  const found = findUsers(slot);
  cache.set(slot.name.compilerNode, found ?? null);
  return found;
}

function findUsers(slot: Slot): CommonJsUsers | undefined {
  const home = slot.name.getSourceFile();
  if (slot.kind !== 'variable' || !/\bexports\b/.test(home.getFullText())) return undefined;
  if (isExportSlot(slot)) return exportedInPlace(slot);
  if (!isModuleLevel(slot)) return undefined;
  const symbol = slot.name.getSymbol();
  const text = slot.name.getText();
  const own = findNodes<Identifier>(home, SyntaxKind.Identifier, (n) => (n as TS.Identifier).text === text).filter(
    (id) => id !== slot.name && symbolOf(id) === symbol,
  );
  const exports: ExportSite[] = [];
  const refs: Node[] = [];
  for (const id of own) {
    const site = exportSiteOf(id);
    if (site) exports.push(site);
    else refs.push(id);
  }
  if (exports.length === 0) return undefined;
  const refused: Refusal[] = [];
  // `module.exports = model` and another export of it: the importers' shapes would not agree.
  if (exports.length > 1 && exports.some((e) => e.name === undefined)) refused.push({ node: exports[0]!.statement, detail: 'exported as the module and as a property of it' });
  const names = new Set(exports.map((e) => e.name ?? WHOLE));
  for (const link of linksTo(home, refused)) refs.push(...requiredUses(link, names, refused));
  // A module outside the paths given (outside-importers.ts) is read for its uses, never edited: a refusal there has no
  // line to go on, so it is said here. (Its plain uses are among the refs, which the transforms refuse themselves.)
  const outside = refused.map((r) => r.node).find((n) => !isRunFile(n.getSourceFile()));
  if (outside) refused.push({ node: exports[0]!.statement, detail: `loaded in ${outsideTheRun(home, outside.getSourceFile())}` });
  return { refs, refused, exports };
}

function isModuleLevel(slot: Slot): boolean {
  const holder = slot.holder;
  if (Node.isFunctionDeclaration(holder)) return Node.isSourceFile(holder.getParent());
  const statement = holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  return Node.isVariableDeclaration(holder) && Node.isSourceFile(statement?.getParent()) && !statement!.hasExportKeyword();
}

/** The symbol an identifier reads: for `{ model }` the variable, not the property it also declares. */
function symbolOf(id: Node): ReturnType<Node['getSymbol']> {
  const parent = id.getParent();
  return Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === id ? parent.getValueSymbol() : id.getSymbol();
}

/** The export `id` stands at: a property of `module.exports = { ... }`, or the right of `module.exports[.name] =`. */
export function exportSiteOf(id: Node): ExportSite | undefined {
  const parent = id.getParent();
  let object: Node | undefined;
  let name: string | undefined;
  if (Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === id && !parent.getObjectAssignmentInitializer()) {
    object = parent.getParent();
    name = id.getText();
  } else if (Node.isPropertyAssignment(parent) && parent.getInitializer() === id) {
    const key = parent.getNameNode();
    if (!Node.isIdentifier(key) && !Node.isStringLiteral(key)) return undefined;
    object = parent.getParent();
    name = Node.isStringLiteral(key) ? key.getLiteralText() : key.getText();
  }
  if (object) {
    const assign = object.getParent();
    if (!Node.isObjectLiteralExpression(object) || !isTopLevelAssignment(assign) || assign.getRight() !== object || exportsTarget(assign.getLeft()) !== WHOLE) return undefined;
    return { name, statement: assign.getParent()!, object };
  }
  if (isTopLevelAssignment(parent) && parent.getRight() === id) {
    const target = exportsTarget(parent.getLeft());
    if (target === undefined) return undefined;
    return { name: target === WHOLE ? undefined : target, statement: parent.getParent()! };
  }
  return undefined;
}

const WHOLE = Symbol('module.exports');

/** `module.exports` → WHOLE, `module.exports.x` / `exports.x` → 'x', anything else undefined. */
function exportsTarget(left: Node): typeof WHOLE | string | undefined {
  if (isModuleExports(left)) return WHOLE;
  if (!Node.isPropertyAccessExpression(left)) return undefined;
  const object = left.getExpression();
  const isExports = (Node.isIdentifier(object) && object.getText() === 'exports' && !declaresLocal(left.getSourceFile(), 'exports')) || isModuleExports(object);
  return isExports ? left.getName() : undefined;
}

function isModuleExports(node: Node): boolean {
  return (
    Node.isPropertyAccessExpression(node) &&
    node.getName() === 'exports' &&
    Node.isIdentifier(node.getExpression()) &&
    node.getExpression().getText() === 'module' &&
    !declaresLocal(node.getSourceFile(), 'module')
  );
}

function isTopLevelAssignment(node: Node | undefined): node is BinaryExpression {
  return (
    Node.isBinaryExpression(node) &&
    node.getOperatorToken().getKind() === SyntaxKind.EqualsToken &&
    Node.isExpressionStatement(node.getParent()) &&
    Node.isSourceFile(node.getParentOrThrow().getParent())
  );
}

/** Whether the file declares `name` itself anywhere (then `module` / `exports` are not CommonJS's). */
function declaresLocal(sf: SourceFile, name: string): boolean {
  return findNodes(sf, SyntaxKind.Identifier, (n) => {
    const p = n.parent;
    return (n as TS.Identifier).text === name && (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === n;
  }).length > 0;
}

/** Every place another module of the program loads `home`: a `require('./x')`; the other ways are refused. */
function linksTo(home: SourceFile, refused: Refusal[]): CallExpression[] {
  const requires: CallExpression[] = [];
  const project = home.getProject();
  for (const file of projectFiles(project)) {
    if (file === home || file.isDeclarationFile() || file.isInNodeModules()) continue;
    const text = file.getFullText();
    if (!/\brequire\b|\bimport\b|\bexport\b/.test(text)) continue;
    const dynamic: Refusal[] = [];
    let loadsHome = false;
    for (const decl of [...file.getImportDeclarations(), ...file.getExportDeclarations()]) {
      if (decl.getModuleSpecifierSourceFile() === home) {
        loadsHome = true;
        refused.push({ node: decl, detail: `loaded with import in ${file.getBaseName()}` });
      }
    }
    for (const call of findNodes<CallExpression>(file, SyntaxKind.CallExpression, (n) => {
      const e = (n as TS.CallExpression).expression;
      return (ts.isIdentifier(e) && e.text === 'require') || e.kind === SyntaxKind.ImportKeyword;
    })) {
      const [arg] = call.getArguments();
      if (!arg) continue;
      const isImport = call.getExpression().getKind() === SyntaxKind.ImportKeyword;
      if (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg)) {
        if (resolveRelative(file, arg.getLiteralText()) !== home.getFilePath()) continue;
        loadsHome = true;
        if (isImport) refused.push({ node: call, detail: `loaded with import() in ${file.getBaseName()}` });
        else requires.push(call);
      } else if (mayLoad(file, arg, home)) {
        dynamic.push({ node: call, detail: `${file.getBaseName()} loads a module by a path computed at run time` });
      }
    }
    // Only in a module that also requires this one: which other modules the program holds depends on the run (the
    // CLI's folder, jscodeshift's one file and its links), and the answer must not.
    if (loadsHome) refused.push(...dynamic);
  }
  return requires;
}

const EXTENSIONS = ['.js', '.cjs', '.ts', '.cts', '.jsx', '.tsx', '.mjs', '.mts', '.json'];

/** The file a relative specifier names, as Node's require() finds it (the exact path, an extension, an index). */
function resolveRelative(from: SourceFile, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return undefined;
  const base = resolve(dirname(from.getFilePath()), specifier);
  const project = from.getProject();
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, 'index' + e))];
  for (const c of candidates) {
    const sf = project.getSourceFile(c);
    if (sf) return sf.getFilePath();
    if (c !== base && existsSync(c)) return c; // a file the program does not hold comes first
  }
  return undefined;
}

/** Whether a `require()` of a computed path may load `home`: anything but a template whose fixed folder excludes it. */
function mayLoad(file: SourceFile, arg: Node, home: SourceFile): boolean {
  if (!Node.isTemplateExpression(arg)) return true;
  const head = arg.getHead().getLiteralText();
  const folder = head.slice(0, head.lastIndexOf('/') + 1);
  if (!folder.startsWith('./') && !folder.startsWith('../')) return true;
  return home.getFilePath().startsWith(resolve(dirname(file.getFilePath()), folder) + sep);
}

/**
 * The uses of the exported `names` in the module of one `require()`: the references of the locals a destructuring
 * binds, or the `ns.name` reads of the module object. Other shapes are refused.
 */
function requiredUses(call: CallExpression, names: Set<string | typeof WHOLE>, refused: Refusal[]): Node[] {
  const file = call.getSourceFile();
  const where = file.getBaseName();
  const decl = call.getParent();
  if (Node.isExpressionStatement(decl)) return []; // required for its side effects only
  if (!Node.isVariableDeclaration(decl) || decl.getInitializer() !== call || !Node.isVariableStatement(decl.getVariableStatement())) {
    refused.push({ node: call, detail: `required in ${where} in a way the tool cannot follow (not kept in a variable of its own)` });
    return [];
  }
  const name = decl.getNameNode();
  const uses: Node[] = [];
  if (Node.isObjectBindingPattern(name) && names.has(WHOLE)) {
    refused.push({ node: decl, detail: `destructured in ${where}, where the module is the value itself` });
    return [];
  }
  if (Node.isObjectBindingPattern(name)) {
    for (const el of (name as ObjectBindingPattern).getElements()) {
      const key = el.getPropertyNameNode()?.getText() ?? el.getName();
      if (el.getDotDotDotToken()) {
        refused.push({ node: decl, detail: `required in ${where} into a rest element` });
        continue;
      }
      if (!names.has(key)) continue;
      const local = el.getNameNode();
      if (el.getInitializer() || !Node.isIdentifier(local)) {
        refused.push({ node: decl, detail: `required in ${where} with a default or a nested pattern` });
        continue;
      }
      uses.push(...localUses(local));
    }
    return uses;
  }
  if (!Node.isIdentifier(name)) {
    refused.push({ node: decl, detail: `required in ${where} in a way the tool cannot follow` });
    return [];
  }
  if (names.has(WHOLE)) return localUses(name); // the module is the value: its local's uses are the value's
  for (const ref of localUses(name)) {
    const access = ref.getParent();
    if (Node.isPropertyAccessExpression(access) && access.getExpression() === ref) {
      if (names.has(access.getName())) uses.push(access.getNameNode());
      continue;
    }
    refused.push({ node: ref, detail: `the module object ${name.getText()} is passed on in ${where}` });
  }
  return uses;
}

/** The references of a local of its module, its declaration left out. */
function localUses(local: Identifier): Identifier[] {
  const symbol = local.getSymbol();
  const text = local.getText();
  return findNodes<Identifier>(local.getSourceFile(), SyntaxKind.Identifier, (n) => (n as TS.Identifier).text === text).filter(
    (id) => id !== local && symbolOf(id) === symbol,
  );
}

/** The `require()` a use in another module reads the value through: its declaration, and how the use reads it. */
function requireOf(use: Node): { decl: import('ts-morph').VariableDeclaration; namespace?: Identifier; element?: import('ts-morph').BindingElement; whole?: true } | undefined {
  const parent = use.getParent();
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === use) use = parent; // `getModel` of `gemini.getModel`
  if (Node.isPropertyAccessExpression(use)) {
    const ns = use.getExpression();
    const decl = Node.isIdentifier(ns) ? ns.getSymbol()?.getDeclarations()[0] : undefined;
    return Node.isVariableDeclaration(decl) && isRequireCall(decl.getInitializer()) ? { decl, namespace: ns as Identifier } : undefined;
  }
  const shorthand = use.getParent();
  const symbol = Node.isShorthandPropertyAssignment(shorthand) && shorthand.getNameNode() === use ? shorthand.getValueSymbol() : use.getSymbol();
  const element = Node.isIdentifier(use) ? symbol?.getDeclarations()[0] : undefined;
  if (Node.isVariableDeclaration(element) && isRequireCall(element.getInitializer()) && Node.isIdentifier(element.getNameNode())) {
    return { decl: element, whole: true }; // `const model = require('./gemini')` of `module.exports = model`
  }
  const decl = Node.isBindingElement(element) ? element.getParent()?.getParent() : undefined;
  return Node.isVariableDeclaration(decl) && isRequireCall(decl.getInitializer()) && Node.isBindingElement(element) ? { decl, element } : undefined;
}

function isRequireCall(node: Node | undefined): boolean {
  return Node.isCallExpression(node) && node.getExpression().getText() === 'require';
}

/** Whether `use` reads a value another module exports through a `require()` of this module (a client, a model). */
export function isRequiredBinding(use: Node): boolean {
  return requireOf(use) !== undefined;
}

/** What sharing a client with CommonJS importers took: one edit per module, one export at most. */
export interface CommonJsShare {
  imports: Map<SourceFile, import('../types.js').TextEdit>;
  exportEdit?: import('../types.js').TextEdit;
}

/**
 * Lets a module that requires a model (or its factory) reach the model's client, as shareClient does for ES
 * imports: the client is added to the module's exports (unless it is there already) and to the importer's
 * destructuring; a module object reads it as `gemini.genAI`. Returns how the importer names the client, or the
 * reason it cannot.
 */
export function shareClientCommonJs(client: Slot, model: Slot, use: Node, share: CommonJsShare): { access: string } | { refused: string } {
  const home = client.name.getSourceFile();
  const other = use.getSourceFile();
  const users = commonJsUsers(model);
  const via = requireOf(use);
  const clientStatement = client.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  if (!users || !via || client.kind !== 'variable' || !Node.isSourceFile(clientStatement?.getParent()) || model.name.getSourceFile() !== home) {
    return { refused: `used in ${other.getBaseName()}, away from its client` };
  }
  const name = client.name.getText();
  const site = users.exports[0]!;
  if (site.name === undefined) return shareWhole(client, model, site, via, share);
  if (via.whole) return { refused: `required whole in ${other.getBaseName()}` };
  // The name the module exports the client by: the one it has, or its own added beside the model's.
  const clientUsers = commonJsUsers(client);
  let exportName = clientUsers?.exports[0]?.name;
  if (!exportName) {
    const added = share.exportEdit ?? exportClient(users.exports, name, clientStatement!);
    if ('refused' in added) return added;
    share.exportEdit = added;
    exportName = name;
  }
  if (via.namespace) return { access: `${via.namespace.getText()}.${exportName}` };
  const pattern = via.decl.getNameNode() as ObjectBindingPattern;
  const bound = pattern.getElements().find((el) => (el.getPropertyNameNode()?.getText() ?? el.getName()) === exportName && !el.getInitializer());
  if (bound && Node.isIdentifier(bound.getNameNode())) return { access: bound.getName() };
  const pending = share.imports.get(other);
  if (pending) return pending.text.endsWith(`, ${exportName}`) ? { access: exportName } : { refused: `required twice in ${other.getBaseName()}` };
  if (freshName(other, exportName) !== exportName) return { refused: `${other.getBaseName()} already has a ${exportName}` };
  const last = pattern.getElements().at(-1)!;
  share.imports.set(other, { start: last.getEnd(), end: last.getEnd(), text: `, ${exportName}`, sourceFile: other });
  return { access: exportName };
}

/**
 * `module.exports = model`: the module can hand out one value only, so it becomes `{ model, genAI }` and each module
 * requiring it destructures both, its local kept (`const m = require(...)` → `const { model: m, genAI } = ...`).
 * Every user in the run is rewritten with it, or the model stays (all or none, as for any model).
 */
function shareWhole(client: Slot, model: Slot, site: ExportSite, via: NonNullable<ReturnType<typeof requireOf>>, share: CommonJsShare): { access: string } | { refused: string } {
  const name = client.name.getText();
  const other = via.decl.getSourceFile();
  const clientStatement = client.holder.getFirstAncestorByKind(SyntaxKind.VariableStatement)!;
  if (!via.whole) return { refused: `required in ${other.getBaseName()} other than whole` };
  if (site.statement.getStart() < clientStatement.getEnd()) return { refused: `exported before its client ${name} is declared` };
  const modelName = model.name.getText();
  if (modelName === name) return { refused: `the model and its client are both named ${name}` };
  const value = ((site.statement as import('ts-morph').ExpressionStatement).getExpression() as BinaryExpression).getRight();
  share.exportEdit ??= { start: value.getStart(), end: value.getEnd(), text: `{ ${modelName}, ${name} }`, sourceFile: value.getSourceFile() };
  const local = via.decl.getNameNode();
  const pending = share.imports.get(other);
  if (pending) return pending.start === local.getStart() ? { access: name } : { refused: `required twice in ${other.getBaseName()}` };
  if (freshName(other, name) !== name) return { refused: `${other.getBaseName()} already has a ${name}` };
  const binding = local.getText() === modelName ? modelName : `${modelName}: ${local.getText()}`;
  share.imports.set(other, { start: local.getStart(), end: local.getEnd(), text: `{ ${binding}, ${name} }`, sourceFile: other });
  return { access: name };
}

/** The edit that exports the client beside the model: a property of the exported literal, or a statement of its own. */
function exportClient(sites: ExportSite[], name: string, clientStatement: Node): import('../types.js').TextEdit | { refused: string } {
  const site = sites[0]!;
  const file = site.statement.getSourceFile();
  if (site.statement.getStart() < clientStatement.getEnd()) return { refused: `exported before its client ${name} is declared` };
  const taken = exportedNames(file);
  if (taken.has(name)) return { refused: `the module already exports another ${name}` };
  if (site.object) {
    const props = site.object.getProperties();
    const last = props.at(-1);
    if (!last) return { refused: 'exported in an empty object' };
    const multiline = site.object.getText().includes('\n');
    if (!multiline) return { start: last.getEnd(), end: last.getEnd(), text: `, ${name}`, sourceFile: file };
    // One property a line: the client goes on a line of its own, after a trailing comma if the literal has one.
    const comma = last.getNextSibling()?.getKind() === SyntaxKind.CommaToken ? last.getNextSiblingOrThrow() : undefined;
    const at = comma ?? last;
    return { start: at.getEnd(), end: at.getEnd(), text: `${comma ? '' : ','}\n${indentOf(last)}${name}${comma ? ',' : ''}`, sourceFile: file };
  }
  // After the module's last export, written as that one is (`exports.x` or `module.exports.x`).
  const after = exportStatements(file).at(-1)!;
  const left = (after.getExpression() as BinaryExpression).getLeft().getText();
  if (!left.includes('.exports.') && !left.startsWith('exports.')) return { refused: 'the module ends with module.exports = ...' };
  const owner = left.slice(0, left.lastIndexOf('.'));
  const semi = after.getText().trimEnd().endsWith(';') ? ';' : '';
  return { start: after.getEnd(), end: after.getEnd(), text: `\n${owner}.${name} = ${name}${semi}`, sourceFile: file };
}

/** The names a CommonJS module exports (module.exports literal properties, `exports.x =` assignments). */
function exportedNames(sf: SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of exportStatements(sf)) {
    const e = statement.getExpression() as BinaryExpression;
    const target = exportsTarget(e.getLeft());
    if (typeof target === 'string') names.add(target);
    const right = e.getRight();
    if (target === WHOLE && Node.isObjectLiteralExpression(right)) {
      for (const p of right.getProperties()) if (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) || Node.isMethodDeclaration(p)) names.add(p.getName());
    }
  }
  return names;
}

/** The module's top-level `module.exports = ...` / `exports.x = ...` statements, in order. */
function exportStatements(sf: SourceFile): import('ts-morph').ExpressionStatement[] {
  return sf.getStatements().filter((st): st is import('ts-morph').ExpressionStatement => {
    const e = Node.isExpressionStatement(st) ? st.getExpression() : undefined;
    return isTopLevelAssignment(e) && exportsTarget(e.getLeft()) !== undefined;
  });
}

/** `exports.model = genAI.getGenerativeModel(...)`: a model kept nowhere else than in the module's exports. */
export function exportSlotOf(value: Node): Slot | undefined {
  const assign = value.getParent();
  if (!isTopLevelAssignment(assign) || assign.getRight() !== value) return undefined;
  const left = assign.getLeft();
  if (!Node.isPropertyAccessExpression(left) || typeof exportsTarget(left) !== 'string') return undefined;
  const name = left.getNameNode();
  return { kind: 'variable', name, access: left.getText(), holder: assign.getParentOrThrow(), storeSite: name };
}

function isExportSlot(slot: Slot): boolean {
  return Node.isExpressionStatement(slot.holder) && Node.isPropertyAccessExpression(slot.name.getParent()) && exportSlotOf((slot.holder.getExpression() as BinaryExpression).getRight()) !== undefined;
}

/** The users of a value stored straight into the exports: `exports.model` read in its own module, and its importers. */
function exportedInPlace(slot: Slot): CommonJsUsers {
  const home = slot.name.getSourceFile();
  const name = slot.name.getText();
  const statement = slot.holder;
  const refs: Node[] = [];
  const refused: Refusal[] = [];
  for (const access of findNodes<import('ts-morph').PropertyAccessExpression>(home, SyntaxKind.PropertyAccessExpression, (n) => (n as TS.PropertyAccessExpression).name.text === name)) {
    if (access.getNameNode() === slot.name || exportsTarget(access) !== name) continue;
    refs.push(access.getNameNode()); // read back as `exports.model`: useExpression makes it the access
  }
  // Another assignment to the same export would replace the model: refused, as a reassigned variable is.
  if (exportStatements(home).some((st) => st !== statement && exportsTarget((st.getExpression() as BinaryExpression).getLeft()) === name)) {
    refused.push({ node: statement, detail: `exports.${name} is assigned more than once` });
  }
  const exports: ExportSite[] = [{ name, statement }];
  for (const link of linksTo(home, refused)) refs.push(...requiredUses(link, new Set([name]), refused));
  return { refs, refused, exports };
}

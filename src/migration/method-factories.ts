import { Node, SyntaxKind, ts } from '../tsm.js';
import type { CallExpression, ClassDeclaration, ClassExpression, Identifier, MethodDeclaration, SourceFile, ts as TS } from 'ts-morph';
import { ownReturns, type Factory } from './factories.js';
import { findNodes } from './find.js';

/**
 * A model factory written as a class method (a NestJS or Angular service, a bot class):
 * `private model(name = 'gemini-1.5-pro'): GenerativeModel { return this.genAI.getGenerativeModel({ model: name }) }`.
 * It is followed as function factories are (factories.ts) when every call of it can be found and changed with it:
 *
 * - a `private` or `#private` method: only its class calls it, and no subclass can override it;
 * - a public (or protected) method of a class that is not exported, not extended and not used as a value (only
 *   `new C()` and type references): nothing outside the module can reach the method, or override it;
 *
 * and in both cases every reference of the method is a call, in its module, and a method overriding or implementing
 * a member of a base class or interface is left (callers through the base expect a model). A method whose client is
 * a field of its instance (`this.genAI`) is called as `this.model()` only: a model from `other.model()` would need
 * the other object's client. Each method is judged once; the verdict is a factory or why not.
 */
const verdicts = new WeakMap<Node, Factory | string>();

/** The method the getGenerativeModel `call` is the one returned value of, as a factory, or why it is not followed. */
export function methodFactory(method: MethodDeclaration, call: CallExpression): Factory | string {
  const known = verdicts.get(method);
  if (known !== undefined) return known;
  const verdict = judge(method, call);
  verdicts.set(method, verdict);
  return verdict;
}

function judge(method: MethodDeclaration, call: CallExpression): Factory | string {
  const name = method.getNameNode();
  const shown = `${name.getText()}()`;
  const cls = method.getParent();
  if (!Node.isIdentifier(name) && !Node.isPrivateIdentifier(name)) return `returned from the method ${method.getName()}: a computed name`;
  if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return `returned from the method ${shown} of an object literal: only class methods are followed`;
  if (method.isStatic()) return `returned from the static method ${shown}: only instance methods are followed as model factories`;
  if (method.isAsync() || method.isGenerator()) return `returned from the method ${shown}, an async or generator one: its callers do not get the model itself`;
  if (method.getOverloads().length) return `returned from the method ${shown}, which has overloads`;
  if (method.getDecorators().length) return `returned from the method ${shown}, which has a decorator`;
  if (ownReturns(method).length !== 1) return `returned from the method ${shown}, which may return something else`;
  // A private method overrides nothing and cannot be overridden (the compiler refuses it), nor called from outside.
  const isPrivate = Node.isPrivateIdentifier(name) || method.hasModifier(SyntaxKind.PrivateKeyword);
  if (!isPrivate) {
    const base = inherited(cls, name.getText());
    if (base) return `returned from the method ${shown}, which ${base}: callers through it expect a model`;
    const reach = classReach(cls);
    if (reach) return `returned from the public method ${shown} of ${reach}: callers or subclasses elsewhere could depend on the model it returns (a private method would be followed)`;
    // A read of the name on a value the checker cannot type (a JavaScript parameter, `any`) may be a call of it too,
    // wherever an instance can go: the modules linked to the class's by imports.
    const untyped = untypedRead(linkedFiles(method.getSourceFile()), name.getText());
    if (untyped) return `returned from the method ${shown}, while ${name.getText()} is also read on a value of unknown type (${where(untyped, method)}: ${statementText(untyped)}), which may be an instance of this class`;
  }
  const refs = name.findReferencesAsNodes().filter((r) => r !== name);
  const file = method.getSourceFile();
  // The client of the model is a field of the instance: `other.model()` would be another instance's model.
  const client = call.getExpression().getFirstChild();
  const ownClient = Node.isPropertyAccessExpression(client) && client.getExpression().getKind() === SyntaxKind.ThisKeyword;
  for (const ref of refs) {
    if (ref.getSourceFile() !== file) return `returned from the method ${shown}, also called in ${ref.getSourceFile().getBaseName()}`;
    const access = ref.getParent();
    const called = Node.isPropertyAccessExpression(access) && access.getNameNode() === ref && Node.isCallExpression(access.getParent()) && (access.getParent() as CallExpression).getExpression() === access;
    const line = ref.getStartLineNumber();
    if (!called) return `returned from the method ${shown}, which is read other than in a call x.${name.getText()}(...) (line ${line}: ${statementText(ref)}): its calls cannot all be followed`;
    if (access.hasQuestionDotToken()) return `returned from the method ${shown}, called with ?. (line ${line})`;
    if (ownClient && access.getExpression().getKind() !== SyntaxKind.ThisKeyword) {
      return `returned from the method ${shown}, also called on another object than this (line ${line}), whose model needs that object's client ${client.getText()}`;
    }
  }
  const slotName = name as unknown as Identifier; // an identifier or a #private name: both are found by reference
  return { fn: method, slot: { kind: 'variable', name: slotName, access: name.getText(), holder: method, storeSite: slotName } };
}

/** How the method overrides or implements a member of a base class or interface (`overrides Base.model()`), or undefined. */
function inherited(cls: ClassDeclaration | ClassExpression, name: string): string | undefined {
  const base = cls.getExtends();
  const heritage = [...(base ? [base] : []), ...cls.getImplements()];
  for (const h of heritage) {
    const type = h.getType();
    const verb = h === base ? 'overrides' : 'implements';
    // A base the checker cannot see (an unresolved import) could declare it: refused as well.
    if (type.isAny()) return `${verb} a member of ${h.getExpression().getText()}, a type the tool cannot see`;
    if (type.getProperty(name)) return `${verb} ${h.getExpression().getText()}.${name}()`;
  }
  return undefined;
}

/** How a class can be reached beyond `new C()` and type references: exported, extended, used as a value. */
function classReach(cls: ClassDeclaration | ClassExpression): string | undefined {
  const className = cls.getName() ?? 'a class expression';
  if (!Node.isClassDeclaration(cls) || !cls.getNameNode()) return className;
  if (cls.isExported() || cls.isDefaultExport()) return `the exported class ${className}`;
  const nameNode = cls.getNameNode()!;
  for (const ref of nameNode.findReferencesAsNodes()) {
    if (ref === nameNode) continue;
    const parent = ref.getParent();
    if (Node.isNewExpression(parent) && parent.getExpression() === ref) continue;
    if (Node.isTypeReference(parent)) continue;
    const heritage = ref.getFirstAncestorByKind(SyntaxKind.HeritageClause);
    if (heritage && Node.isExpressionWithTypeArguments(parent)) {
      const sub = heritage.getParent();
      return `the class ${className}, extended by ${Node.isClassDeclaration(sub) || Node.isClassExpression(sub) ? (sub.getName() ?? 'a class expression') : 'another class'} (line ${ref.getStartLineNumber()})`;
    }
    return `the class ${className}, used as a value (${where(ref, cls)}: ${statementText(ref)})`;
  }
  return undefined;
}

/**
 * The module and the modules linked to it by imports, either way and transitively: where its values can go. The
 * same group the jscodeshift adapter migrates a file with (run-context.ts), so that both see the same reads.
 */
function linkedFiles(home: SourceFile): SourceFile[] {
  const seen = new Set([home]);
  const queue = [home];
  for (let file = queue.pop(); file; file = queue.pop()) {
    for (const next of [...file.getReferencedSourceFiles(), ...file.getReferencingSourceFiles()]) {
      if (seen.has(next) || next.isDeclarationFile() || next.isInNodeModules()) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return [...seen];
}

/**
 * The first read of a member called `name` on a value of unknown type, in `files`: `x.model`,
 * `x['model']` or `const { model } = x` where `x` is `any` (an untyped JavaScript parameter), which find-references
 * cannot tie to the method.
 */
function untypedRead(files: SourceFile[], name: string): Node | undefined {
  for (const file of files) {
    if (file.isDeclarationFile() || file.isInNodeModules() || !file.getFullText().includes(name)) continue;
    const hit = findNodes(file, SyntaxKind.Identifier, (n) => (n as TS.Identifier).text === name).find((id) => {
      const parent = id.getParent();
      if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) return parent.getExpression().getType().isAny();
      if (Node.isBindingElement(parent) && (parent.getPropertyNameNode() ?? parent.getNameNode()) === id) return parent.getParentOrThrow().getType().isAny();
      return false;
    });
    if (hit) return hit;
    const indexed = findNodes(file, SyntaxKind.ElementAccessExpression, (n) => {
      const arg = (n as TS.ElementAccessExpression).argumentExpression;
      return ts.isStringLiteralLike(arg) && arg.text === name;
    }).find((e) => (e as import('ts-morph').ElementAccessExpression).getExpression().getType().isAny());
    if (indexed) return indexed;
  }
  return undefined;
}

/** `line 12`, or `other.ts` for a place in another module. */
function where(node: Node, from: Node): string {
  return node.getSourceFile() === from.getSourceFile() ? `line ${node.getStartLineNumber()}` : node.getSourceFile().getBaseName();
}

/** The statement a reference stands in, on one line and short, for a TODO. */
function statementText(ref: Node): string {
  const statement = ref.getFirstAncestor((a) => Node.isStatement(a) || Node.isPropertyDeclaration(a)) ?? ref;
  const text = statement.getText().replace(/\s+/g, ' ').replace(/;$/, '');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Why a method returning a model is not followed as its factory (a TODO detail). */
export function methodRefusal(method: MethodDeclaration, call: CallExpression): string {
  const verdict = methodFactory(method, call);
  return typeof verdict === 'string' ? verdict : `returned from the method ${method.getName()}()`;
}

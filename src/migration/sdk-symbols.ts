import { Node, ts } from '../tsm.js';
import type { Identifier, SourceFile, ts as TS } from 'ts-morph';
import { wrap } from './find.js';
import { GENAI_SDK, LEGACY_SDK } from '../sdk-imports.js';

export type Sdk = 'legacy' | 'genai';

function sdkOfSpecifier(specifier: string): Sdk | undefined {
  if (specifier === LEGACY_SDK || specifier.startsWith(LEGACY_SDK + '/')) return 'legacy';
  if (specifier === GENAI_SDK || specifier.startsWith(GENAI_SDK + '/')) return 'genai';
  return undefined;
}

type Binding = { sdk: Sdk; name: string } | { sdk: Sdk; namespace: true };
const bindingsCache = new WeakMap<object, Map<string, Binding>>();

/**
 * The file's own bindings of Gemini SDK exports: ESM imports (named, renamed, namespace, default), `import x =
 * require()`, and top-level CommonJS requires, destructured or not. Local name → what it names.
 */
function sdkBindings(sf: SourceFile): Map<string, Binding> {
  let map = bindingsCache.get(sf.compilerNode);
  if (map) return map;
  map = new Map();
  for (const decl of sf.getImportDeclarations()) {
    const sdk = sdkOfSpecifier(decl.getModuleSpecifierValue());
    if (!sdk) continue;
    for (const spec of decl.getNamedImports()) map.set((spec.getAliasNode() ?? spec.getNameNode()).getText(), { sdk, name: spec.getName() });
    const ns = decl.getNamespaceImport() ?? decl.getDefaultImport();
    if (ns) map.set(ns.getText(), { sdk, namespace: true });
  }
  // Statements are looked at on the compiler tree first: a big file has thousands, and only a require matters.
  for (const stmt of sf.compilerNode.statements) {
    const isRequire = ts.isVariableStatement(stmt) && stmt.declarationList.declarations.some((d) => d.initializer && isSdkRequireCall(d.initializer));
    if (!isRequire && !ts.isImportEqualsDeclaration(stmt)) continue;
    const wrapped = wrap(sf, stmt);
    if (Node.isImportEqualsDeclaration(wrapped)) {
      const ref = wrapped.getModuleReference();
      const sdk = Node.isExternalModuleReference(ref) ? sdkOfSpecifier(ref.getExpression()?.getText().slice(1, -1) ?? '') : undefined;
      if (sdk) map.set(wrapped.getName(), { sdk, namespace: true });
    }
    if (!Node.isVariableStatement(wrapped)) continue;
    for (const decl of wrapped.getDeclarations()) {
      const sdk = requiredSdk(decl.getInitializer());
      if (!sdk) continue;
      const name = decl.getNameNode();
      if (Node.isIdentifier(name)) map.set(name.getText(), { sdk, namespace: true });
      else if (Node.isObjectBindingPattern(name)) {
        for (const el of name.getElements()) map.set(el.getName(), { sdk, name: el.getPropertyNameNode()?.getText() ?? el.getName() });
      }
    }
  }
  bindingsCache.set(sf.compilerNode, map);
  return map;
}

/** The SDK export a type annotation names (`GenerateContentResult`, `GenerativeModel`), traced like sdkExportOf. */
export function sdkTypeOf(typeNode: Node | undefined): { sdk: Sdk; name: string } | undefined {
  const name = Node.isTypeReference(typeNode) ? typeNode.getTypeName() : undefined;
  return Node.isIdentifier(name) ? sdkExportOf(name) : undefined;
}

/**
 * Which SDK export `node` names (`GoogleGenerativeAI`, `G.GoogleGenerativeAI`, a renamed import, a CommonJS
 * destructured require), traced through the file's own imports: no type checker, so it works without the SDK's
 * types installed, and costs a map look-up. (A local that shadows an SDK import is taken for the import.)
 */
export function sdkExportOf(node: Node): { sdk: Sdk; name: string } | undefined {
  const bindings = sdkBindings(node.getSourceFile());
  if (Node.isIdentifier(node)) {
    const b = bindings.get(node.getText());
    return b && 'name' in b ? b : undefined;
  }
  if (Node.isPropertyAccessExpression(node) && Node.isIdentifier(node.getExpression())) {
    const b = bindings.get(node.getExpression().getText());
    return b && 'namespace' in b ? { sdk: b.sdk, name: node.getName() } : undefined;
  }
  return undefined;
}

/** Local names that stand for SDK exports in this file (for cheap text filters before any wrapping). */
export function sdkLocalNames(sf: SourceFile): ReadonlySet<string> {
  return new Set(sdkBindings(sf).keys());
}

function isSdkRequireCall(node: TS.Expression): boolean {
  return (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length > 0 &&
    ts.isStringLiteral(node.arguments[0]!) &&
    sdkOfSpecifier(node.arguments[0].text) !== undefined
  );
}

function requiredSdk(init: Node | undefined): Sdk | undefined {
  if (!Node.isCallExpression(init)) return undefined;
  const callee = init.getExpression();
  const arg = init.getArguments()[0];
  if (!Node.isIdentifier(callee) || callee.getText() !== 'require' || !Node.isStringLiteral(arg)) return undefined;
  return sdkOfSpecifier(arg.getLiteralText());
}

/**
 * The SDK class that declares the method a call invokes, by the type checker: `model.generateContent` on any
 * expression whose type is the legacy `GenerativeModel` (a field, a parameter, an injected value, an import from
 * another module). Undefined when the SDK's types are not resolvable or the method is not the SDK's.
 */
export function sdkMethodOwner(nameNode: Identifier): { sdk: Sdk; owner: string } | undefined {
  const symbol = nameNode.getSymbol();
  for (const decl of symbol?.getDeclarations() ?? []) {
    const path = decl.getSourceFile().getFilePath();
    const sdk: Sdk | undefined = path.includes('/@google/generative-ai/') ? 'legacy' : /\/@google\/genai(-2)?\//.test(path) ? 'genai' : undefined;
    const owner = decl.getParent();
    if (sdk && (Node.isClassDeclaration(owner) || Node.isInterfaceDeclaration(owner))) return { sdk, owner: owner.getName() ?? '' };
  }
  return undefined;
}

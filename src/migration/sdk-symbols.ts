import { Node, type Identifier } from 'ts-morph';
import { GENAI_SDK, LEGACY_SDK } from '../sdk-imports.js';

export type Sdk = 'legacy' | 'genai';

function sdkOfSpecifier(specifier: string): Sdk | undefined {
  if (specifier === LEGACY_SDK || specifier.startsWith(LEGACY_SDK + '/')) return 'legacy';
  if (specifier === GENAI_SDK || specifier.startsWith(GENAI_SDK + '/')) return 'genai';
  return undefined;
}

/**
 * Which SDK export `node` names (`GoogleGenerativeAI`, `G.GoogleGenerativeAI`, a renamed import, a CommonJS
 * destructured require), traced through the file's own imports, so it works without the SDK's types installed.
 */
export function sdkExportOf(node: Node): { sdk: Sdk; name: string } | undefined {
  if (Node.isPropertyAccessExpression(node)) {
    const ns = node.getExpression();
    if (!Node.isIdentifier(ns)) return undefined;
    const decl = ns.getSymbol()?.getDeclarations()[0];
    // import * as G from '...'; const G = require('...')
    if (Node.isNamespaceImport(decl)) {
      const importDecl = decl.getFirstAncestor((a) => Node.isImportDeclaration(a));
      const sdk = Node.isImportDeclaration(importDecl) ? sdkOfSpecifier(importDecl.getModuleSpecifierValue()) : undefined;
      return sdk && { sdk, name: node.getName() };
    }
    if (Node.isVariableDeclaration(decl)) {
      const sdk = requiredSdk(decl.getInitializer());
      return sdk && { sdk, name: node.getName() };
    }
    return undefined;
  }
  if (!Node.isIdentifier(node)) return undefined;
  return sdkExportOfIdentifier(node);
}

function sdkExportOfIdentifier(id: Identifier): { sdk: Sdk; name: string } | undefined {
  const decl = id.getSymbol()?.getDeclarations()[0];
  if (Node.isImportSpecifier(decl)) {
    const sdk = sdkOfSpecifier(decl.getImportDeclaration().getModuleSpecifierValue());
    return sdk && { sdk, name: decl.getName() };
  }
  if (Node.isBindingElement(decl)) {
    const declaration = decl.getFirstAncestor((a) => Node.isVariableDeclaration(a));
    const sdk = Node.isVariableDeclaration(declaration) ? requiredSdk(declaration.getInitializer()) : undefined;
    const name = decl.getPropertyNameNode()?.getText() ?? decl.getName();
    return sdk && { sdk, name };
  }
  return undefined;
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

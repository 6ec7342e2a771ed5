import { SyntaxKind, ts } from './tsm.js';
import type { SourceFile, ts as TS } from 'ts-morph';

export const LEGACY_SDK = '@google/generative-ai';
export const GENAI_SDK = '@google/genai';

/** True for `@google/generative-ai`, its `/server` and `dist/...` sub-paths, and `@google/genai` (and sub-paths). */
export function isGeminiSdkSpecifier(specifier: string): boolean {
  return [LEGACY_SDK, GENAI_SDK].some((sdk) => specifier === sdk || specifier.startsWith(sdk + '/'));
}

const cache = new WeakMap<object, boolean>();

/** Whether the file imports or requires a Gemini SDK (ESM, `import x = require`, CommonJS, dynamic import). */
export function usesGeminiSdk(sourceFile: SourceFile): boolean {
  const key = sourceFile.compilerNode;
  let result = cache.get(key);
  if (result === undefined) {
    result = moduleSpecifiers(sourceFile).some(isGeminiSdkSpecifier);
    cache.set(key, result);
  }
  return result;
}

function moduleSpecifiers(sourceFile: SourceFile): string[] {
  const out: string[] = [];
  for (const decl of sourceFile.getImportDeclarations()) out.push(decl.getModuleSpecifierValue());
  for (const decl of sourceFile.getExportDeclarations()) {
    const value = decl.getModuleSpecifierValue();
    if (value) out.push(value);
  }
  // require(), import() and `import x = require()` can sit anywhere; only look when the text mentions an SDK.
  if (!sourceFile.getFullText().includes('@google/gen')) return out;
  const stack: TS.Node[] = [sourceFile.compilerNode];
  while (stack.length) {
    const node = stack.pop()!;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isLoader = callee.kind === SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      const arg = node.arguments[0];
      if (isLoader && arg && ts.isStringLiteral(arg)) out.push(arg.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      out.push(node.expression.text);
    }
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return out;
}

import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', '..');

export type GenaiVersion = '3.3.0' | '2.32.0';

/**
 * Type-checks files strictly, as a careful user's project would (strict, noUncheckedIndexedAccess, NodeNext, DOM lib
 * per the reference's P16), against the pinned `@google/genai` 3.3.0 or, through a path mapping, 2.32.0.
 * Returns the diagnostics as `file:line: message` strings.
 */
export function typecheck(files: string[], genai: GenaiVersion): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    skipLibCheck: true,
    allowJs: true,
    checkJs: false,
    jsx: ts.JsxEmit.ReactJSX,
    esModuleInterop: true,
    // Nest-style fixtures use parameter decorators, as Nest projects compile them.
    experimentalDecorators: true,
    ...(genai === '2.32.0' ? { paths: { '@google/genai': [join(ROOT, 'node_modules/@google/genai-2/dist/node/node.d.ts')] } } : {}),
  };
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}: ${message}`;
  });
}

import type { Node, SourceFile } from 'ts-morph';
import { SyntaxKind } from '../tsm.js';

/** The file's own habits, so inserted code reads like the code around it. */
export interface FileStyle {
  quote: "'" | '"';
  semicolon: boolean;
  /** True for .ts/.tsx/.mts/.cts: type-only syntax may be emitted. */
  typescript: boolean;
}

const cache = new WeakMap<object, FileStyle>();

const SEMICOLON_KINDS = new Set([
  SyntaxKind.ImportDeclaration,
  SyntaxKind.ImportEqualsDeclaration,
  SyntaxKind.ExportDeclaration,
  SyntaxKind.ExportAssignment,
  SyntaxKind.VariableStatement,
  SyntaxKind.ExpressionStatement,
  SyntaxKind.TypeAliasDeclaration,
]);

export function fileStyle(sf: SourceFile): FileStyle {
  let style = cache.get(sf.compilerNode);
  if (!style) {
    // The quote of the module specifiers, which formatters keep uniform; else whichever quote the text uses more.
    const text = sf.getFullText();
    const specifier = sf.getImportDeclarations()[0]?.getModuleSpecifier().getText() ?? /\brequire\(\s*(['"])/.exec(text)?.[1];
    const single = specifier ? Number(specifier.startsWith("'")) : (text.match(/'/g) ?? []).length;
    const double = specifier ? Number(specifier.startsWith('"')) : (text.match(/"/g) ?? []).length;
    // Only statements that end with a semicolon or none count: a function or class declaration never has one.
    const statements = sf.getStatements().filter((s) => SEMICOLON_KINDS.has(s.getKind()));
    const withSemi = statements.filter((s) => s.getText().trimEnd().endsWith(';')).length;
    style = {
      quote: double > single ? '"' : "'",
      semicolon: statements.length === 0 || withSemi * 2 >= statements.length,
      typescript: /\.[cm]?tsx?$/.test(sf.getFilePath()),
    };
    cache.set(sf.compilerNode, style);
  }
  return style;
}

export function quoted(text: string, style: FileStyle): string {
  const q = style.quote;
  return q + text.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), '\\' + q) + q;
}

/** The indentation of the line `node` starts on. */
export function indentOf(node: Node): string {
  const text = node.getSourceFile().getFullText();
  const start = node.getStart();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** One indentation step as the file uses it (two spaces when it cannot tell). */
export function indentUnit(sf: SourceFile): string {
  // The first indented line that is code: a block comment's ` * ` continuation is indented by one space.
  const m = /\n([ \t]+)(?!\*)\S/.exec(sf.getFullText());
  if (!m) return '  ';
  return m[1]!.startsWith('\t') ? '\t' : ' '.repeat(Math.min(m[1]!.length, 8));
}

import { Node, SyntaxKind } from '../tsm.js';
import type { ImportDeclaration, SourceFile, VariableStatement, ts as TS } from 'ts-morph';
import { findNodes } from './find.js';
import type { TextEdit } from '../types.js';
import { GENAI_SDK } from '../sdk-imports.js';
import { quoted, type FileStyle } from './style.js';
import { sdkExportOf } from './sdk-symbols.js';

export interface ImportNeeds {
  /** Value exports of `@google/genai` the new code uses (e.g. `GoogleGenAI`). */
  values: Set<string>;
  /** Type-only exports (e.g. `Interactions`, a namespace of types: `import type` keeps verbatimModuleSyntax happy). */
  types: Set<string>;
}

/**
 * Import edits after a migration: legacy specifiers nothing uses any more are removed (the declaration too when
 * it empties), and what the new code needs from `@google/genai` is added in the file's module style.
 * `replaced` are the ranges the other edits rewrite: a use inside them no longer counts.
 */
export function importEdits(sf: SourceFile, needs: ImportNeeds, replaced: readonly TextEdit[], style: FileStyle, eol: string): TextEdit[] {
  if (replaced.length === 0) return [];
  const edits: TextEdit[] = [];
  const stillUsed = (local: Node) => usedOutside(sf, local, replaced);
  const missing = new Set(needs.values);
  let anchor: number | undefined; // where new import lines go: in place of a removed legacy import
  let commonJs = false;

  for (const decl of sf.getImportDeclarations()) {
    const specifier = decl.getModuleSpecifierValue();
    const genai = specifier === GENAI_SDK;
    // A type-only import of the new SDK is left alone; one of a legacy SDK is pruned like the others.
    if ((!isLegacy(specifier) && !genai) || (genai && decl.isTypeOnly())) continue;
    const named = decl.getNamedImports();
    const kept = named.filter((s) => stillUsed(s.getAliasNode() ?? s.getNameNode())).map((s) => s.getText());
    const added = genai && !decl.getNamespaceImport() ? [...missing].filter((v) => !named.some((s) => s.getName() === v)) : [];
    if (genai && !decl.getNamespaceImport()) for (const v of needs.values) missing.delete(v);
    if (kept.length === named.length && added.length === 0) continue;
    if (kept.length + added.length === 0 && !decl.getDefaultImport() && !decl.getNamespaceImport()) {
      const range = wholeLine(sf, decl);
      edits.push({ ...range, text: '' });
      anchor ??= range.start;
    } else {
      const bindings = decl.getImportClause()?.getNamedBindings();
      const names = `{ ${[...kept, ...added].join(', ')} }`;
      if (bindings) edits.push({ start: bindings.getStart(), end: bindings.getEnd(), text: names });
      else edits.push({ start: decl.getStart(), end: decl.getEnd(), text: `import ${names} from ${quoted(specifier, style)}${style.semicolon ? ';' : ''}` });
    }
  }
  for (const stmt of sdkRequires(sf)) {
    commonJs = true;
    const decl = stmt.getDeclarations()[0]!;
    const pattern = decl.getNameNode();
    if (!Node.isObjectBindingPattern(pattern) || !isLegacy(requiredSpecifier(stmt))) continue;
    const elements = pattern.getElements();
    const kept = elements.filter((e) => stillUsed(e.getNameNode()));
    if (kept.length === elements.length) continue;
    if (kept.length === 0 && stmt.getDeclarations().length === 1) {
      const range = wholeLine(sf, stmt);
      edits.push({ ...range, text: '' });
      anchor ??= range.start;
    } else {
      edits.push({ start: pattern.getStart(), end: pattern.getEnd(), text: `{ ${kept.map((e) => e.getText()).join(', ')} }` });
    }
  }

  const semi = style.semicolon ? ';' : '';
  const from = quoted(GENAI_SDK, style);
  const lines: string[] = [];
  if (missing.size) {
    const values = [...missing].join(', ');
    lines.push(commonJs ? `const { ${values} } = require(${from})${semi}` : `import { ${values} } from ${from}${semi}`);
  }
  const hasTypes = sf.getImportDeclarations().some((d) => d.getModuleSpecifierValue() === GENAI_SDK && d.isTypeOnly());
  if (needs.types.size && !hasTypes && style.typescript) lines.push(`import type { ${[...needs.types].join(', ')} } from ${from}${semi}`);
  if (lines.length) {
    const text = lines.map((l) => l + eol).join('');
    const lastImport = [...sf.getImportDeclarations(), ...sdkRequires(sf)].sort((a, b) => a.getStart() - b.getStart()).pop();
    const at = anchor ?? (lastImport ? wholeLine(sf, lastImport).end : 0);
    edits.push({ start: at, end: at, text });
  }
  return edits;
}

function isLegacy(specifier: string): boolean {
  return specifier === '@google/generative-ai' || specifier.startsWith('@google/generative-ai/');
}

/** Top-level `const ... = require('<a Gemini SDK>')` statements. */
function sdkRequires(sf: SourceFile): VariableStatement[] {
  return sf.getVariableStatements().filter((stmt) => {
    const spec = requiredSpecifier(stmt);
    return isLegacy(spec) || spec === GENAI_SDK;
  });
}

function requiredSpecifier(stmt: VariableStatement): string {
  const init = stmt.getDeclarations()[0]?.getInitializer();
  if (!Node.isCallExpression(init) || init.getExpression().getText() !== 'require') return '';
  const arg = init.getArguments()[0];
  return Node.isStringLiteral(arg) ? arg.getLiteralText() : '';
}

/** Whether the binding `local` is referenced anywhere in the file outside the replaced ranges. */
function usedOutside(sf: SourceFile, local: Node, replaced: readonly TextEdit[]): boolean {
  const name = local.getText();
  const symbol = local.getSymbol();
  return findNodes(sf, SyntaxKind.Identifier, (n) => (n as TS.Identifier).text === name).some((id) => {
    if (id === local) return false;
    if (id.getFirstAncestor((a) => Node.isImportDeclaration(a))) return false;
    const start = id.getStart();
    if (replaced.some((e) => e.start <= start && start < e.end)) return false;
    const parent = id.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) return false; // x.Name is not a use of Name
    return symbol === undefined || id.getSymbol() === symbol || sdkExportOf(id) !== undefined;
  });
}

/** The statement's full lines, newline included, so deleting it leaves no blank line behind. */
function wholeLine(sf: SourceFile, node: ImportDeclaration | VariableStatement | Node): { start: number; end: number } {
  const text = sf.getFullText();
  const start = text.lastIndexOf('\n', node.getStart() - 1) + 1;
  const nl = text.indexOf('\n', node.getEnd());
  return { start, end: nl === -1 ? text.length : nl + 1 };
}

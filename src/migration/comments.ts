import { Node, ts } from '../tsm.js';
import type { ts as TS } from 'ts-morph';

/**
 * Comments of an object literal the migration writes anew (model parameters, a request, a config constant): without
 * this, `model: 'gemini-1.5-pro', // flash is too weak here` would lose its comment. Each comment goes with the
 * field its property became; one whose property has no single counterpart goes above the first field, so none is lost.
 */
export interface LiteralComments {
  /** Comment lines above a property, those inside its value, and the comment after it on its line, by its name. */
  byKey: Map<string, { leading: string[]; inner: string[]; trailing?: string }>;
  /** Every comment in the literal, in order (nested ones too). */
  all: string[];
}

export function literalComments(literal: Node): LiteralComments {
  const byKey: LiteralComments['byKey'] = new Map();
  const all = commentsIn(literal);
  if (all.length === 0 || !Node.isObjectLiteralExpression(literal)) return { byKey, all };
  const text = literal.getSourceFile().getFullText();
  const comment = (r: TS.CommentRange) => text.slice(r.pos, r.end);
  for (const prop of literal.getProperties()) {
    const name = Node.isSpreadAssignment(prop) ? `...${prop.getExpression().getText()}` : (prop as { getName?: () => string }).getName?.();
    if (!name) continue;
    const leading = (ts.getLeadingCommentRanges(text, prop.getFullStart()) ?? []).map(comment);
    const next = prop.getNextSibling();
    const after = next?.getKind() === ts.SyntaxKind.CommaToken ? next.getEnd() : prop.getEnd();
    const trailing = (ts.getTrailingCommentRanges(text, after) ?? []).map(comment)[0];
    const inner = commentsIn(prop);
    if (leading.length || inner.length || trailing) byKey.set(name, { leading, inner, trailing });
  }
  return { byKey, all };
}

/**
 * Comments anywhere inside a node, from the parsed tree: the trivia before and after each token (a `//` inside a
 * string or a template is not one).
 */
function commentsIn(node: Node): string[] {
  const text = node.getSourceFile().getFullText();
  const own = node.getText();
  if (!own.includes('//') && !own.includes('/*')) return [];
  const sf = node.getSourceFile().compilerNode;
  const found = new Map<number, string>();
  const from = node.getStart();
  const to = node.getEnd();
  const visit = (n: TS.Node) => {
    for (const r of [...(ts.getLeadingCommentRanges(text, n.pos) ?? []), ...(ts.getTrailingCommentRanges(text, n.end) ?? [])]) {
      if (r.pos >= from && r.end <= to) found.set(r.pos, text.slice(r.pos, r.end));
    }
    n.getChildren(sf).forEach(visit);
  };
  visit(node.compilerNode);
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

/** Where a property's comments go: the field of the same key, of its snake_case name, or one of these. */
const RENAMED: Record<string, string> = { contents: 'input', config: 'generation_config', toolConfig: 'generation_config' };

/**
 * Lines of a field block with the literal's comments carried over: `fields` are the new `key: value` lines (one per
 * field, without their comma), `keys` their keys. Undefined when no comment would be lost (lay out as usual).
 */
export function commentedFields(comments: LiteralComments, keys: string[], lines: string[], written: string, indent: string): string[] | undefined {
  const missing = comments.all.filter((c) => !written.includes(c));
  if (missing.length === 0) return undefined;
  const placed = new Set<string>();
  const leadingOf = new Map<number, string[]>();
  const trailingOf = new Map<number, string>();
  for (const [name, { leading, inner, trailing }] of comments.byKey) {
    const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const at = [name, snake, RENAMED[name]].map((k) => (k ? keys.indexOf(k) : -1)).find((i) => i >= 0);
    if (at === undefined) continue;
    // Comments inside a value the migration rewrote (`temperature: 0, // deterministic`) go above its field.
    const lead = [...leading, ...inner].filter((c) => missing.includes(c) && !placed.has(c));
    lead.forEach((c) => placed.add(c));
    if (lead.length) leadingOf.set(at, [...(leadingOf.get(at) ?? []), ...lead]);
    if (trailing && missing.includes(trailing) && !placed.has(trailing) && !trailingOf.has(at)) {
      placed.add(trailing);
      trailingOf.set(at, trailing);
    }
  }
  const loose = missing.filter((c) => !placed.has(c));
  const out: string[] = [];
  lines.forEach((line, i) => {
    for (const c of [...(i === 0 ? loose : []), ...(leadingOf.get(i) ?? [])]) out.push(...c.split('\n').map((l, j) => (j === 0 ? indent + l : l)));
    out.push(`${indent}${line},${trailingOf.has(i) ? ` ${trailingOf.get(i)}` : ''}`);
  });
  return out;
}

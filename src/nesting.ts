import { lineColumn } from './edits.js';
import { ts } from './tsm.js';
import type { ts as TS } from 'ts-morph';

/**
 * The TypeScript parser and ts-morph's tree walks recurse once per level of nesting, and run out of stack (a
 * RangeError that would end the whole run) at about 500-700 levels of `{a: {a: ...}}`, `f(f(...))` or `A<A<...>>`,
 * less in a cold process. Real code stays under about 100 (the deepest file among 2,700 in this repository's
 * node_modules, bundles included, is at 103), so files deeper than this are left out with a message.
 */
export const MAX_NESTING = 250;

export interface NestingProblem {
  message: string;
  line?: number;
  column?: number;
}


/**
 * The transform phase parses each file once; a parse that throws (a stack overflow, caught there, so the run goes on)
 * is reported with this, and a tree that parsed but is deeper than the walks after it can go, with nestingProblem.
 */
export function parseFailure(e: unknown): NestingProblem {
  // Only a stack overflow is expected here; anything else from the parser must not end the run either.
  if (!(e instanceof RangeError)) return { message: `the TypeScript parser failed on it (${(e as Error).message}): skipped` };
  return { message: `nested too deeply to parse (the parser ran out of stack; the limit is ${MAX_NESTING} levels): skipped` };
}

/** Why the parsed file is too deeply nested to migrate safely, if it is. */
export function nestingProblem(sourceFile: TS.SourceFile): NestingProblem | undefined {
  const deepest = deepestNode(sourceFile);
  if (deepest.depth <= MAX_NESTING) return undefined;
  return {
    ...lineColumn(sourceFile.text, deepest.offset),
    message: `nested more than ${MAX_NESTING} levels deep, deeper than the parser can safely walk: skipped`,
  };
}

/**
 * The deepest node, walked with an explicit stack (a recursive walk would overflow on the files it looks for). A
 * link in a chain of binary operators (`a + b + c ...`) counts a quarter of a level: TypeScript parses and checks
 * those without recursion, and only ts-morph's walks recurse, at a few frames a level.
 */
function deepestNode(root: TS.SourceFile): { depth: number; offset: number } {
  let deepest = { depth: 0, offset: 0 };
  const stack: Array<{ node: TS.Node; depth: number }> = [{ node: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, depth } = item;
    if (depth > deepest.depth) {
      deepest = { depth, offset: node.getStart(root) };
      if (depth > MAX_NESTING) break; // far enough to say so
    }
    node.forEachChild((child) => {
      const chain = ts.isBinaryExpression(node) && node.left === child && ts.isBinaryExpression(child);
      stack.push({ node: child, depth: depth + (chain ? 0.25 : 1) });
    });
  }
  return deepest;
}

import { lineColumn } from './edits.js';
import { decodeSource } from './source-text.js';

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

type Ts = typeof import('ts-morph').ts;
type TsNode = import('ts-morph').ts.Node;
type TsSourceFile = import('ts-morph').ts.SourceFile;
let tsModule: Promise<Ts> | undefined;

/**
 * Why the file is too deeply nested to migrate safely, if it is. It parses the file once on its own, where a stack
 * overflow is caught; files that cannot be decoded are left to the transform phase, which reports them.
 */
export async function nestingProblem(fileName: string, bytes: Uint8Array): Promise<NestingProblem | undefined> {
  const decoded = decodeSource(bytes);
  if ('kind' in decoded) return undefined;
  // ts-morph's own copy of TypeScript, loaded on the first file that needs it, as the transform phase loads it.
  const ts = await (tsModule ??= import('ts-morph').then((m) => m.ts));
  let sourceFile: TsSourceFile;
  try {
    sourceFile = ts.createSourceFile(fileName, decoded.text, ts.ScriptTarget.Latest, false);
  } catch (e) {
    // Only a stack overflow is expected here; anything else from the parser must not end the run either.
    if (!(e instanceof RangeError)) return { message: `the TypeScript parser failed on it (${(e as Error).message}): skipped` };
    return { message: `nested too deeply to parse (the parser ran out of stack; the limit is ${MAX_NESTING} levels): skipped` };
  }
  const deepest = deepestNode(ts, sourceFile);
  if (deepest.depth <= MAX_NESTING) return undefined;
  return {
    ...lineColumn(decoded.text, deepest.offset),
    message: `nested more than ${MAX_NESTING} levels deep, deeper than the parser can safely walk: skipped`,
  };
}

/**
 * The deepest node, walked with an explicit stack (a recursive walk would overflow on the files it looks for). A
 * link in a chain of binary operators (`a + b + c ...`) counts a quarter of a level: TypeScript parses and checks
 * those without recursion, and only ts-morph's walks recurse, at a few frames a level.
 */
function deepestNode(ts: Ts, root: TsSourceFile): { depth: number; offset: number } {
  let deepest = { depth: 0, offset: 0 };
  const stack: Array<{ node: TsNode; depth: number }> = [{ node: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, depth } = item;
    if (depth > deepest.depth) {
      deepest = { depth, offset: node.getStart(root) };
      if (depth > MAX_NESTING) break; // far enough to say so
    }
    ts.forEachChild(node, (child) => {
      const chain = ts.isBinaryExpression(node) && node.left === child && ts.isBinaryExpression(child);
      stack.push({ node: child, depth: depth + (chain ? 0.25 : 1) });
    });
  }
  return deepest;
}

import type { Node, SourceFile, SyntaxKind, ts } from 'ts-morph';

/**
 * Nodes of one kind under `root`, found on the compiler tree and wrapped only when they pass `test`. ts-morph's own
 * getDescendantsOfKind wraps every match, and wrapping is what makes big files slow; the walk is iterative, so a
 * deeply nested file cannot overflow the stack here.
 */
export function findNodes<T extends Node>(root: Node, kind: SyntaxKind, test?: (node: ts.Node, sf: ts.SourceFile) => boolean): T[] {
  const sf = root.getSourceFile();
  const compilerSf = sf.compilerNode;
  const found: ts.Node[] = [];
  const stack: ts.Node[] = [root.compilerNode];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.kind === kind && (!test || test(node, compilerSf))) found.push(node);
    node.forEachChild((child) => {
      stack.push(child);
    });
  }
  return found.sort((a, b) => a.pos - b.pos).map((n) => wrap<T>(sf, n));
}

/** The ts-morph wrapper of a compiler node of `sf` (the one ts-morph would hand out itself). */
export function wrap<T extends Node>(sf: SourceFile, node: ts.Node): T {
  const factory = (sf as unknown as { _context: { compilerFactory: { getNodeFromCompilerNode(n: ts.Node, s: SourceFile): Node } } })._context.compilerFactory;
  return factory.getNodeFromCompilerNode(node, sf) as T;
}

const runFiles = new WeakMap<object, readonly SourceFile[]>();

/**
 * The project's own source files, the ones a search for references must look through. ts-morph's getSourceFiles()
 * walks every file it has loaded (the libraries' too) sorted by folder depth on each call, and the searches ask once
 * per exported model; the transform phase, which knows its files, registers them once (setProjectFiles).
 */
export function projectFiles(project: { getSourceFiles(): SourceFile[] }): readonly SourceFile[] {
  return runFiles.get(project) ?? project.getSourceFiles();
}

/** What projectFiles answers for `project` from now on: its files, in the order getSourceFiles() gives them. */
export function setProjectFiles(project: { getSourceFiles(): SourceFile[] }): void {
  runFiles.set(project, project.getSourceFiles());
}

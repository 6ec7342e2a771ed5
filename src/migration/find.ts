import { dirname, relative } from 'node:path';
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

const fileLists = new WeakMap<object, readonly SourceFile[]>();

/**
 * The project's own source files, the ones a search for references must look through. ts-morph's getSourceFiles()
 * walks every file it has loaded (the libraries' too) sorted by folder depth on each call, and the searches ask once
 * per exported model; the transform phase, which knows its files, registers them once (setProjectFiles).
 */
export function projectFiles(project: { getSourceFiles(): SourceFile[] }): readonly SourceFile[] {
  return fileLists.get(project) ?? project.getSourceFiles();
}

/** What projectFiles answers for `project` from now on: its files, in the order getSourceFiles() gives them. */
export function setProjectFiles(project: { getSourceFiles(): SourceFile[] }): void {
  fileLists.set(project, project.getSourceFiles());
}

/**
 * The files of the run, which a transform may edit: set by a transform for the length of its run (withRunFiles). A
 * constant declared in such a module can be converted there; a module outside the paths given, read only for the
 * uses it makes of the run's files (outside-importers.ts), is not one of them.
 */
let runFileTest: ((sf: SourceFile) => boolean) | undefined;

export function withRunFiles<T>(inRun: ((sf: SourceFile) => boolean) | undefined, fn: () => T): T {
  const before = runFileTest;
  runFileTest = inRun;
  try {
    return fn();
  } finally {
    runFileTest = before;
  }
}

/** Whether `sf` is a file of the run; outside a transform's run (none set) every file is. */
export function isRunFile(sf: SourceFile): boolean {
  return runFileTest ? runFileTest(sf) : true;
}

/** Whether a run is set and holds `sf`. */
export function knownRunFile(sf: SourceFile): boolean {
  return Boolean(runFileTest?.(sf));
}

/** Where `other` is, seen from `from`'s folder, and that it must change with it: the detail of a TODO kept for it. */
export function outsideTheRun(from: SourceFile, other: SourceFile): string {
  return `${relative(dirname(from.getFilePath()), other.getFilePath())}, outside the paths given: migrate them together`;
}

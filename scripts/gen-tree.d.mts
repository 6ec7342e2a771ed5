// Types for scripts/gen-tree.mjs, so TypeScript tests can generate trees.
export interface SourcePoolEntry {
  name: string;
  bytes: Buffer;
}
export interface GeneratedTree {
  /** Every source file a walk must find, relative to the tree, with '/' separators. */
  files: string[];
  /** The files that pass the prefilter. */
  gemini: string[];
  /** The files model-id-swap must rewrite (other transforms may change more of the Gemini files). */
  expectedChanged: string[];
}
export function rng(seed: number): () => number;
export function sourcePool(nodeModules?: string): SourcePoolEntry[];
export function generateTree(
  dir: string,
  options?: { files?: number; gemini?: number; seed?: number; pool?: SourcePoolEntry[]; git?: boolean },
): GeneratedTree;

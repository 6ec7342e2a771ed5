import { dirname, join } from 'node:path';

/**
 * The files that import (directly or through other local modules) a file that uses a Gemini SDK. They never
 * mention the SDK themselves (`import { model } from './gemini'`), yet a model exported there is used in them, so
 * they must be part of the program the transforms see.
 */

const EXTENSION = /\.([cm]?[jt]sx?)$/;

/** A path without its source extension and without a trailing `/index`: what a specifier can name. */
function moduleKey(path: string): string {
  return path.replace(EXTENSION, '').replace(/\/index$/, '');
}

/**
 * Of `importsOf` (file → its relative specifiers), the files whose imports reach one of `targets`, transitively.
 * Resolution is by path only (extension and `/index` ignored), which may take in a file too many, never one too few.
 * Each specifier is resolved once into a reverse index (module → importers), then walked breadth-first: the cost
 * follows the number of specifiers, not specifiers × rounds.
 */
export function importersOf(targets: Iterable<string>, importsOf: ReadonlyMap<string, readonly string[]>): string[] {
  const importers = new Map<string, string[]>();
  for (const [file, specifiers] of importsOf) {
    const dir = dirname(file);
    for (const s of specifiers) {
      const key = moduleKey(join(dir, s));
      const list = importers.get(key);
      if (!list) importers.set(key, [file]);
      else if (list[list.length - 1] !== file) list.push(file);
    }
  }
  const reached = new Set<string>();
  const queue: string[] = [];
  for (const t of targets) {
    const key = moduleKey(t);
    if (!reached.has(key)) reached.add(key), queue.push(key);
  }
  const found = new Set<string>();
  for (let i = 0; i < queue.length; i++) {
    for (const file of importers.get(queue[i]!) ?? []) {
      if (found.has(file)) continue;
      found.add(file);
      const key = moduleKey(file);
      if (!reached.has(key)) reached.add(key), queue.push(key);
    }
  }
  return [...found].sort();
}

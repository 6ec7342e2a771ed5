import { dirname, resolve } from 'node:path';

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
 * Of `importsOf` (file → its relative specifiers, and aliased ones as absolute paths), the files whose imports reach one of `targets`, transitively.
 * Resolution is by path only (extension and `/index` ignored), which may take in a file too many, never one too few.
 */
export function importersOf(targets: Iterable<string>, importsOf: ReadonlyMap<string, readonly string[]>): string[] {
  const reached = new Set<string>();
  for (const t of targets) reached.add(moduleKey(t));
  const found: string[] = [];
  const pending = new Map(importsOf);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [file, specifiers] of pending) {
      const dir = dirname(file);
      if (!specifiers.some((s) => reached.has(moduleKey(resolve(dir, s))))) continue; // an aliased import is already absolute
      found.push(file);
      reached.add(moduleKey(file));
      pending.delete(file);
      grew = true;
    }
  }
  return found.sort();
}

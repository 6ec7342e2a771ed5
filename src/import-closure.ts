import { basename, dirname, join } from 'node:path';

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
 * Specifiers are indexed by the last name they end in, so only those that can name a module reached are resolved
 * (a path join each); the closure is walked breadth-first.
 */
export function importersOf(targets: Iterable<string>, importsOf: ReadonlyMap<string, readonly string[]>): string[] {
  const byName = new Map<string, Array<[file: string, specifier: string]>>();
  for (const [file, specifiers] of importsOf) {
    for (const s of specifiers) {
      const name = lastName(s);
      const list = byName.get(name);
      if (list) list.push([file, s]);
      else byName.set(name, [[file, s]]);
    }
  }
  const reached = new Set<string>();
  const queue: string[] = [];
  const reach = (key: string) => {
    if (!reached.has(key)) reached.add(key), queue.push(key);
  };
  for (const t of targets) reach(moduleKey(t));
  const found = new Set<string>();
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i]!;
    // `..`, `.` and the like end in no name: they are resolved for every module.
    for (const [file, s] of [...(byName.get(basename(key)) ?? []), ...(byName.get('') ?? [])]) {
      if (found.has(file) || moduleKey(join(dirname(file), s)) !== key) continue;
      found.add(file);
      reach(moduleKey(file));
    }
  }
  return [...found].sort();
}

/** The last name of the module a specifier names once moduleKey has stripped it; '' when that takes a join to know. */
function lastName(specifier: string): string {
  const parts = specifier.replace(EXTENSION, '').split('/');
  let name = parts.pop();
  if (name === 'index') name = parts.pop();
  return name === undefined || name === '' || name === '.' || name === '..' ? '' : name;
}

import { basename, dirname, resolve } from 'node:path';

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
 * Specifiers are indexed by the last name they end in, and only those ending in the name of a module reached are
 * resolved (a path join each, at most once); the closure is walked breadth-first.
 */
export function importersOf(targets: Iterable<string>, importsOf: ReadonlyMap<string, readonly string[]>): string[] {
  const byName = new Map<string, Import[]>();
  const byKey = new Map<string, Import[]>(); // `..`, `.` and the like end in no name: resolved up front
  for (const [file, specifiers] of importsOf) {
    for (const specifier of specifiers) {
      const name = lastName(specifier);
      const entry: Import = { file, specifier };
      const [index, key] = name ? [byName, name] : [byKey, (entry.key = resolveKey(entry))];
      const list = index.get(key);
      if (list) list.push(entry);
      else index.set(key, [entry]);
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
    for (const entry of [...(byName.get(basename(key)) ?? []), ...(byKey.get(key) ?? [])]) {
      if (found.has(entry.file) || (entry.key ??= resolveKey(entry)) !== key) continue;
      found.add(entry.file);
      reach(moduleKey(entry.file));
    }
  }
  return [...found].sort();
}

interface Import {
  file: string;
  specifier: string;
  /** What it names, once resolved. */
  key?: string;
}

function resolveKey(entry: Import): string {
  return moduleKey(resolve(dirname(entry.file), entry.specifier)); // an aliased import is already absolute
}

/** The last name of the module a specifier names once moduleKey has stripped it; '' when that takes a join to know. */
function lastName(specifier: string): string {
  const parts = specifier.replace(EXTENSION, '').split('/');
  let name = parts.pop();
  if (name === 'index') name = parts.pop();
  return name === undefined || name === '' || name === '.' || name === '..' ? '' : name;
}

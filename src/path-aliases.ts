import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { relativeSpecifiers } from './prefilter.js';

/**
 * The project's module path aliases (`compilerOptions.paths` of its tsconfig.json or jsconfig.json:
 * `"@/*": ["./src/*"]`). A module imported as `@/lib/gemini` is as much an importer of a Gemini file as one that
 * writes `../lib/gemini`: without the aliases it would be left out of the program and broken by a migrated export.
 */
export interface PathAliases {
  /** For the analysis program: each pattern with absolute targets (no baseUrl needed, which TypeScript 6 deprecates). */
  paths: Record<string, string[]>;
  rules: Array<{ prefix: string; suffix: string; target: string }>;
  /**
   * Workspace packages by name (workspaces.ts): the source file the bare name stands for, and the pattern its subpaths
   * (`@acme/ai/models`) map to. Kept apart from `rules`: a monorepo has hundreds, and they are found with one scan
   * for import keywords per file rather than two searches per name.
   */
  packages?: Record<string, { entry?: string; files: string }>;
}

/** The aliases of the nearest tsconfig.json / jsconfig.json at or above `from` (a folder or file), or undefined. */
export function findPathAliases(from: string): PathAliases | undefined {
  let dir = isDirectory(from) ? from : dirname(from);
  for (;;) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = join(dir, name);
      if (existsSync(file)) return aliasesOf(file);
    }
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `paths` (and the `baseUrl` they are relative to) from a config file and the configs it extends by relative path. */
function aliasesOf(file: string, depth = 0): PathAliases | undefined {
  const config = readJsonc(file);
  const options = (config?.compilerOptions ?? {}) as { paths?: Record<string, string[]>; baseUrl?: string };
  if (!options.paths) {
    const parent = typeof config?.extends === 'string' && config.extends.startsWith('.') ? resolve(dirname(file), config.extends) : undefined;
    const next = parent && (existsSync(parent) ? parent : existsSync(`${parent}.json`) ? `${parent}.json` : undefined);
    return next && depth < 8 ? aliasesOf(next, depth + 1) : undefined;
  }
  const base = resolve(dirname(file), options.baseUrl ?? '.');
  const paths: Record<string, string[]> = {};
  const rules: PathAliases['rules'] = [];
  for (const [pattern, targets] of Object.entries(options.paths)) {
    if (!Array.isArray(targets) || targets.length === 0) continue;
    paths[pattern] = targets.map((t) => resolve(base, t));
    const star = pattern.indexOf('*');
    // A bare module name (`lodash`) is not an alias worth scanning for; a prefix is (`@/`, `~/`, `@app/`).
    if (star < 1) continue;
    rules.push({ prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), target: paths[pattern]![0]! });
  }
  return rules.length ? { paths, rules } : undefined;
}

/** tsconfig files allow comments and trailing commas. */
function readJsonc(file: string): { compilerOptions?: unknown; extends?: unknown } | undefined {
  try {
    const text = readFileSync(file, 'utf8')
      .replace(/("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str: string | undefined) => str ?? '')
      .replace(/,(\s*[}\]])/g, '$1');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The local modules a file's bytes import: relative specifiers as written, aliased ones (tsconfig `paths`, workspace
 * packages) as absolute paths. What import-closure.ts links files by; a superset found without parsing.
 */
export function localImports(bytes: Buffer, aliases: PathAliases | false | undefined): string[] {
  return [...relativeSpecifiers(bytes), ...aliasedImports(bytes, aliases || undefined)];
}

/**
 * The aliased module specifiers in a file's bytes, as absolute paths (the first target of their pattern); like
 * relativeSpecifiers, a superset found without parsing.
 */
export function aliasedImports(bytes: Buffer, aliases: PathAliases | undefined): string[] {
  if (!aliases) return [];
  const found: string[] = [];
  for (const rule of aliases.rules) {
    for (const quote of ["'", '"']) {
      const needle = Buffer.from(quote + rule.prefix, 'utf8');
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + needle.length)) {
        const end = bytes.indexOf(quote, at + needle.length);
        if (end === -1 || end - at > 1024) continue;
        const specifier = bytes.toString('utf8', at + 1, end);
        if (specifier.includes('\n') || !specifier.endsWith(rule.suffix)) continue;
        const rest = specifier.slice(rule.prefix.length, specifier.length - rule.suffix.length);
        found.push(rule.target.replace('*', rest));
      }
    }
  }
  if (aliases.packages) found.push(...packageImports(bytes, aliases.packages));
  return found;
}

/**
 * What to search a file's bytes for to find imports of the workspace's packages: a quote and a package scope
 * (`'@acme/`), or a quote and an unscoped name. A monorepo's packages share one or a few scopes, so this is a couple
 * of searches per file whatever the number of packages; a string that names a package outside an import counts too,
 * which adds a file to the program at worst. Many unscoped names fall back to finding every import keyword.
 */
const needlesOf = new WeakMap<object, Buffer[]>();
const SPECIFIER_STARTS = ['from ', 'require(', 'import(', 'import '];
const MAX_NAME_NEEDLES = 8;

function packageNeedles(packages: NonNullable<PathAliases['packages']>): Buffer[] {
  let needles = needlesOf.get(packages);
  if (needles) return needles;
  const scopes = new Set<string>();
  const names: string[] = [];
  for (const name of Object.keys(packages)) {
    if (name.startsWith('@') && name.includes('/')) scopes.add(name.slice(0, name.indexOf('/') + 1));
    else names.push(name);
  }
  const starts = names.length > MAX_NAME_NEEDLES ? SPECIFIER_STARTS : [...scopes, ...names];
  needles = starts.flatMap((start) => ["'", '"'].map((q) => Buffer.from(SPECIFIER_STARTS.includes(start) ? start + q : q + start, 'utf8')));
  needlesOf.set(packages, needles);
  return needles;
}

/** The workspace packages a file imports by name, as absolute paths (the entry, or the file a subpath names). */
function packageImports(bytes: Buffer, packages: NonNullable<PathAliases['packages']>): string[] {
  const found: string[] = [];
  for (const needle of packageNeedles(packages)) {
    // The needle ends with its quote (an import keyword) or starts with it (a scope or name, kept in the specifier).
    const keyword = needle[0] !== 0x27 && needle[0] !== 0x22;
    const quote = keyword ? needle[needle.length - 1]! : needle[0]!;
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + needle.length)) {
      const from = keyword ? at + needle.length : at + 1;
      const end = bytes.indexOf(quote, from);
      if (end === -1 || end - from > 256) continue;
      const specifier = bytes.toString('utf8', from, end);
      const parts = specifier.split('/');
      const nameLength = specifier.startsWith('@') ? 2 : 1;
      const pkg = packages[parts.slice(0, nameLength).join('/')];
      if (!pkg) continue;
      const rest = parts.slice(nameLength).join('/');
      if (!rest) {
        if (pkg.entry) found.push(pkg.entry);
      } else found.push(pkg.files.replace('*', rest));
    }
  }
  return found;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isDirectory, type PathAliases } from './path-aliases.js';

/**
 * The packages of the npm, yarn or pnpm workspace around `from`, as path aliases: `@acme/ai` → the source file its
 * package.json points to, `@acme/ai/*` → files of the package. In a monorepo a model exported by one package is
 * imported by another by its package name; without these the importer is left out of the program and broken by the
 * migrated export (see path-aliases.ts, which does the same for tsconfig `paths`). Undefined outside a workspace.
 */
export function workspaceAliases(from: string): PathAliases | undefined {
  const root = workspaceRoot(from);
  if (!root) return undefined;
  const paths: PathAliases['paths'] = {};
  const packages: NonNullable<PathAliases['packages']> = {};
  for (const dir of packageDirs(root.dir, root.patterns)) {
    const pkg = readJson(join(dir, 'package.json'));
    const name = typeof pkg?.name === 'string' ? pkg.name : undefined;
    if (!name || packages[name]) continue;
    const entry = sourceEntry(dir, pkg!);
    const files = existsSync(join(dir, 'src')) ? join(dir, 'src', '*') : join(dir, '*');
    packages[name] = { entry, files };
    paths[`${name}/*`] = [files];
    if (entry) paths[name] = [entry];
  }
  return Object.keys(packages).length ? { paths, rules: [], packages } : undefined;
}

/** Both: the tsconfig's `paths` win where they name the same pattern, as the compiler would see them. */
export function mergeAliases(tsconfig: PathAliases | undefined, workspace: PathAliases | undefined): PathAliases | undefined {
  if (!tsconfig || !workspace) return tsconfig ?? workspace;
  return { paths: { ...workspace.paths, ...tsconfig.paths }, rules: tsconfig.rules, packages: workspace.packages };
}

interface PackageJson {
  name?: unknown;
  workspaces?: unknown;
  [field: string]: unknown;
}

/** The nearest folder at or above `from` that declares workspaces (package.json or pnpm-workspace.yaml), below home. */
function workspaceRoot(from: string): { dir: string; patterns: string[] } | undefined {
  const home = homedir();
  let dir = isDirectory(from) ? from : dirname(from);
  for (; dir !== home && dirname(dir) !== dir; dir = dirname(dir)) {
    const patterns = workspacePatterns(dir);
    if (patterns) return { dir, patterns };
    if (existsSync(join(dir, '.git'))) return undefined;
  }
  return undefined;
}

/** The package folders a folder's pnpm-workspace.yaml or package.json `workspaces` name, if it declares any. */
export function workspacePatterns(dir: string): string[] | undefined {
  const pnpm = join(dir, 'pnpm-workspace.yaml');
  if (existsSync(pnpm)) return pnpmPatterns(readFileSync(pnpm, 'utf8'));
  const ws = existsSync(join(dir, 'package.json')) ? readJson(join(dir, 'package.json'))?.workspaces : undefined;
  const patterns = Array.isArray(ws) ? ws : Array.isArray((ws as { packages?: unknown })?.packages) ? (ws as { packages: unknown[] }).packages : undefined;
  return patterns?.filter((p): p is string => typeof p === 'string');
}

/** The `packages:` list of a pnpm-workspace.yaml (`- 'packages/*'` lines). */
function pnpmPatterns(yaml: string): string[] {
  const list = /^packages:\s*\n((?:[ \t]*-[^\n]*\n?|[ \t]*#[^\n]*\n?|[ \t]*\n)*)/m.exec(yaml)?.[1] ?? '';
  return [...list.matchAll(/^[ \t]*-[ \t]*['"]?([^'"\n#]+?)['"]?[ \t]*(?:#.*)?$/gm)].map((m) => m[1]!);
}

/** The folders the patterns name (`packages/*`, `apps/**`, `tools/cli`) that hold a package.json; `!` patterns excluded. */
function packageDirs(root: string, patterns: readonly string[]): string[] {
  const excluded = new Set(patterns.filter((p) => p.startsWith('!')).flatMap((p) => expand(root, p.slice(1))));
  return patterns
    .filter((p) => !p.startsWith('!'))
    .flatMap((p) => expand(root, p))
    .filter((dir) => !excluded.has(dir) && existsSync(join(dir, 'package.json')));
}

function expand(root: string, pattern: string): string[] {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  const star = clean.indexOf('*');
  if (star < 0) return [resolve(root, clean)];
  const base = resolve(root, clean.slice(0, star).replace(/\/$/, ''));
  return clean.slice(star).startsWith('**') ? subfolders(base, 4) : subfolders(base, 1);
}

function subfolders(dir: string, depth: number): string[] {
  if (depth === 0) return [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => [join(dir, e.name), ...subfolders(join(dir, e.name), depth - 1)]);
}

const SOURCE = /\.(?:[cm]?[jt]sx?)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/**
 * The source file a package's name stands for: what its package.json points to when that is a source file, else
 * the usual `src/index` or `index` (a package built to `dist/` keeps its sources there).
 */
function sourceEntry(dir: string, pkg: PackageJson): string | undefined {
  const fields = [pkg.source, pkg.types, pkg.typings, exportsEntry(pkg.exports), pkg.module, pkg.main];
  for (const field of fields) {
    if (typeof field !== 'string') continue;
    const file = resolve(dir, field);
    if (SOURCE.test(file) && !DECLARATION.test(file) && existsSync(file)) return file;
  }
  for (const name of ['src/index.ts', 'src/index.tsx', 'src/index.mts', 'src/index.js', 'src/index.mjs', 'index.ts', 'index.js', 'index.mjs']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** `exports` or its `"."` entry, as a path: a string, or the first of its `source`/`import`/`default`/`require` conditions. */
function exportsEntry(exports: unknown, depth = 0): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object' || depth > 3) return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return exportsEntry(map['.'], depth + 1);
  for (const condition of ['source', 'import', 'default', 'require', 'node']) {
    const found = exportsEntry(map[condition], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function readJson(file: string): PackageJson | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

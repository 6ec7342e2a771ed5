import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { discover } from './discovery.js';
import { importersOf } from './import-closure.js';
import { findPathAliases, localImports, type PathAliases } from './path-aliases.js';
import { mergeAliases, workspaceAliases } from './workspaces.js';
import { prefilter } from './prefilter.js';
import { DEFAULT_MAX_FILE_BYTES, type Candidate } from './runner.js';

/**
 * What the CLI would see around one file, for adapters that get one file at a time (jscodeshift). The CLI parses all
 * the files of its run together (those that concern the migration and the modules importing them), so a transform
 * may follow a model or a constant into another module, or rewrite both sides of an import. Migrating a file with
 * the files connected to it by relative imports, as they were when the adapter started, gives it the CLI's result.
 */

interface Snapshot {
  /** The files the CLI would parse, as they were when the snapshot was taken. */
  files: Map<string, Candidate>;
  /** Each of them → the others it imports or is imported by (relative imports, resolved by path as the CLI does). */
  links: Map<string, Set<string>>;
  /** The project's tsconfig `paths` and workspace packages, for the program as the CLI gives them. */
  aliases: PathAliases | undefined;
}

const snapshots = new Map<string, Promise<Snapshot>>();

/**
 * The project folder a lone file belongs to: the nearest folder above it with a package.json or a .git, else its own.
 * That is the folder a user would give the CLI.
 */
export function projectRootOf(absPath: string): string {
  const { root } = parse(absPath);
  for (let dir = dirname(absPath); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return dir;
    if (dir === root) return dirname(absPath);
  }
}

/**
 * Whether the CLI would parse `absPath` (it mentions the SDK or a model id, or imports a file that does), and the
 * other files of its connected group (through relative imports, either way) among those the CLI would parse under
 * `root`, as they were when this process first looked at `root`: a jscodeshift worker snapshots its project before
 * it writes anything, so every file is migrated against the originals, whatever order the files come in.
 */
export async function projectContext(absPath: string, root: string): Promise<{ parsedByCli: boolean; linked: Candidate[]; aliases?: PathAliases }> {
  let snapshot = snapshots.get(root);
  if (!snapshot) {
    snapshot = takeSnapshot(root);
    snapshots.set(root, snapshot);
  }
  const { files, links, aliases } = await snapshot;
  if (!files.has(absPath)) return { parsedByCli: false, linked: [] };
  const seen = new Set([absPath]);
  const queue = [absPath];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const next of links.get(file) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  seen.delete(absPath);
  return { parsedByCli: true, linked: [...seen].map((p) => files.get(p)!), aliases };
}

async function takeSnapshot(root: string): Promise<Snapshot> {
  const found = await discover([root], { cwd: root });
  const files = new Map<string, Candidate>();
  const importsOf = new Map<string, string[]>(); // files that miss the prefilter → their relative imports
  const bytesOf = new Map<string, Buffer>();
  const aliases = mergeAliases(findPathAliases(root), workspaceAliases(root));
  for (const f of found.files) {
    try {
      const bytes = readFileSync(f.absPath);
      // Named by absolute path: only the adapter's own file is reported, under the name it was given.
      if (prefilter(bytes).hit) {
        if (bytes.length <= DEFAULT_MAX_FILE_BYTES) files.set(f.absPath, { file: f.absPath, absPath: f.absPath, realPath: f.realPath, bytes });
      } else {
        const imports = localImports(bytes, aliases);
        if (imports.length) {
          importsOf.set(f.absPath, imports);
          bytesOf.set(f.absPath, bytes);
        }
      }
    } catch {
      // Unreadable: the CLI would report it; here it simply cannot be context.
    }
  }
  // As the CLI: the modules that import a Gemini file (directly or not) belong to the program.
  const byPath = new Map(found.files.map((f) => [f.absPath, f]));
  for (const p of importersOf(files.keys(), importsOf)) {
    const f = byPath.get(p)!;
    files.set(p, { file: p, absPath: p, realPath: f.realPath, bytes: bytesOf.get(p)! });
  }

  const byKey = new Map([...files.keys()].map((p) => [moduleKey(p), p]));
  const links = new Map<string, Set<string>>([...files.keys()].map((p) => [p, new Set<string>()]));
  for (const [p, c] of files) {
    for (const specifier of localImports(c.bytes, aliases)) {
      const target = byKey.get(moduleKey(resolve(dirname(p), specifier)));
      if (!target || target === p) continue;
      links.get(p)!.add(target);
      links.get(target)!.add(p);
    }
  }
  return { files, links, aliases };
}

/** A path without its source extension and without a trailing `/index`: what a relative specifier can name. */
function moduleKey(path: string): string {
  return path.replace(/\.[cm]?[jt]sx?$/, '').replace(/[\\/]index$/, '');
}

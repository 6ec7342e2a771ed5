import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { discover, isInside } from './discovery.js';
import { describeFsError } from './fs-errors.js';
import { importersOf } from './import-closure.js';
import { localImports, type PathAliases } from './path-aliases.js';
import type { FileReader } from './prefilter.js';
import type { Candidate, FileError } from './runner.js';
import { workspacePatterns } from './workspaces.js';

/**
 * The modules outside the paths given that import a file of the run (directly or through other modules). A run on
 * `src/lib` must still see `src/app/page.ts` calling the model `src/lib/gemini.ts` exports: migrated alone, the
 * model would become a settings object under a caller that still calls `generateContent` on it. These files are
 * read into the program so that the transforms see those uses, and never edited: a model or client used there
 * keeps a TODO that names the file (generate-content), and any other edit of them fails its file whole.
 *
 * The project is the folder of the nearest `.git` above the paths, or else its package or workspace folder (see
 * projectRoot); nothing is searched when the paths given cover it and `--ignore` leaves nothing out.
 */
export async function outsideImporters(
  paths: readonly string[],
  ignore: readonly string[],
  cwd: string,
  runFiles: ReadonlySet<string>,
  targets: readonly string[],
  reader: FileReader,
  aliases: PathAliases | false,
): Promise<{ candidates: Candidate[]; errors: FileError[] }> {
  const named = (paths.length ? paths : ['.']).map((p) => resolve(cwd, p));
  // With --ignore, the ignored files of the paths given are outside the run as well: looked through like the rest.
  const roots = [...new Set(named.map(projectRoot).filter((r): r is string => r !== undefined))].filter(
    (root) => ignore.length > 0 || !named.some((p) => isInside(p, root)),
  );
  const candidates: Candidate[] = [];
  const errors: FileError[] = [];
  if (roots.length === 0) return { candidates, errors };

  const others = (await discover(roots, { cwd })).files.filter((f) => !runFiles.has(f.absPath));
  // The files of the run that import a Gemini file are among the targets already (candidates), so the outside
  // files' own imports are all the closure needs.
  const imports = new Map<string, string[]>();
  for (const f of others) {
    try {
      const bytes = reader.read(f.absPath);
      const specifiers = localImports(bytes, aliases);
      if (specifiers.length) imports.set(f.absPath, specifiers);
    } catch {
      // Unreadable: if it mattered it could not be known; the walk reported nothing for it either.
    }
  }
  const byPath = new Map(others.map((f) => [f.absPath, f]));
  for (const absPath of importersOf(targets, imports)) {
    const f = byPath.get(absPath);
    if (!f) continue; // a file of the run
    try {
      candidates.push({ file: f.displayPath, absPath, realPath: f.realPath, bytes: Buffer.from(reader.read(absPath)), outside: true });
    } catch (e) {
      errors.push({ file: f.displayPath, kind: 'unreadable', message: `imports a file of the run but cannot be read: ${describeFsError(e)}` });
    }
  }
  return { candidates, errors };
}

/**
 * The folder of the nearest `.git` at or above `from`; without one, the nearest folder with a package.json, or the
 * outermost one that declares workspaces. Never the home folder or the file system's root: a stray package.json or
 * a dotfiles repository there is not a project.
 */
function projectRoot(from: string): string | undefined {
  const home = homedir();
  let nearestPackage: string | undefined;
  let workspaces: string | undefined;
  for (let dir = from; dir !== home && dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (existsSync(join(dir, 'package.json'))) {
      nearestPackage ??= dir;
      if (workspacePatterns(dir)) workspaces = dir;
    }
  }
  return workspaces ?? nearestPackage;
}

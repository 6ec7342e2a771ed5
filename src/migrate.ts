import { dirname, relative, sep } from 'node:path';
import { gitState, type GitState } from './git.js';
import { describeHolder, takeLock } from './lock.js';
import { run, type FileError, type Mode, type RunOptions, type RunResult } from './runner.js';
import { packageJsonsOf } from './package-json.js';
import { leftovers } from './temp-files.js';
import { writeChanged } from './write.js';

export interface MigrateOptions extends RunOptions {
  /** Write even over files with uncommitted git changes. */
  force?: boolean;
}

export interface MigrateResult extends RunResult {
  mode: Mode;
  /** Set when the write mode refused to run: nothing was written. */
  refused?: { reason: string; files: string[] };
  /** One-line facts the user should know (e.g. no git safety net). */
  notices: string[];
}

/** The whole job without printing: discover, transform, and in write mode write. The CLI renders what this returns. */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const mode = options.mode ?? 'write';
  const cwd = options.cwd ?? process.cwd();
  if (mode !== 'write') return withLeftovers({ ...(await run({ ...options, mode })), mode }, cwd, false);

  // Two write runs over one tree would each read what the other is rewriting: the second one stops here.
  const lock = await takeLock(options.paths, cwd);
  if (lock.kind === 'held') {
    return {
      ...emptyResult(mode),
      refused: {
        reason: `${describeHolder(lock.holder)} is writing this tree; wait for it to finish, or delete this lock file if that process is gone`,
        files: [display(lock.path, cwd)],
      },
    };
  }
  try {
    let early: EarlyGitState | undefined;
    const result: MigrateResult = { ...(await run({ ...options, mode, onCandidates: (paths) => (early = earlyGitState(paths)) })), mode };
    if (lock.notice) result.notices.unshift(lock.notice);
    return await writeStep(await withLeftovers(result, cwd, true), options, early);
  } finally {
    if (lock.kind === 'taken') await lock.release();
  }
}

/** git's view of the files to parse and of their package.json files, asked before the transforms run. */
interface EarlyGitState {
  files: ReadonlySet<string>;
  state: Promise<GitState | undefined>;
}

/**
 * git status runs in its own process: started before the transforms, it works beside them instead of after them
 * (about 0.3 s on a 20,000-file repository). The files that change are among these, unless a transform or the
 * package.json step reaches further; then, or if this fails, git is asked again about exactly those.
 */
function earlyGitState(paths: readonly string[]): EarlyGitState {
  const files = [...new Set([...paths, ...packageJsonsOf(paths)])];
  let state: Promise<GitState | undefined>;
  try {
    state = gitState(files).catch(() => undefined);
  } catch {
    state = Promise.resolve(undefined);
  }
  return { files: new Set(files), state };
}

/** The early answer for exactly `paths`: a file's status does not depend on the other files asked about with it. */
async function gitStateFor(paths: readonly string[], early: EarlyGitState | undefined): Promise<GitState> {
  const known = early && paths.every((p) => early.files.has(p)) ? await early.state : undefined;
  // With a filter driver the files were compared by hash, a choice made for all of them at once: ask again.
  if (!known || known.filtered) return gitState(paths);
  const wanted = new Set(paths);
  return { outside: known.outside.filter((f) => wanted.has(f)), dirty: known.dirty.filter((f) => wanted.has(f)), filtered: false };
}

async function writeStep(result: MigrateResult, options: MigrateOptions, early: EarlyGitState | undefined): Promise<MigrateResult> {
  const changed = result.files.filter((f) => f.changed);
  if (changed.length === 0) return result;

  const git = await gitStateFor(
    changed.map((f) => f.realPath),
    early,
  );
  if (git.outside.length) {
    result.notices.push(`${git.outside.length} file(s) to change are not in a git repository: there is no undo but your own backup`);
  }
  if (git.dirty.length && !options.force) {
    const dirty = new Set(git.dirty);
    result.refused = {
      reason: 'these files have uncommitted changes, and a migration mixed into them could not be reviewed or undone on its own; commit or stash them, or pass --force',
      files: changed.filter((f) => dirty.has(f.realPath)).map((f) => f.file),
    };
    return result;
  }
  const writeErrors: FileError[] = await writeChanged(changed);
  result.errors.push(...writeErrors);
  result.errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)); // one list by file, as the run's own
  return result;
}

/**
 * Temporary files left beside these files by a run that was killed mid-write: a write run removes them, any other
 * run only says they are there.
 */
async function withLeftovers(result: MigrateResult, cwd: string, remove: boolean): Promise<MigrateResult> {
  const found = await leftovers(
    result.files.map((f) => dirname(f.realPath)),
    remove,
  );
  if (found.paths.length) {
    const names = found.paths.map((p) => display(p, cwd));
    const listed = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    result.notices.push(
      remove
        ? `removed ${names.length} temporary file(s) left by an interrupted run: ${listed}`
        : `${names.length} temporary file(s) left by an interrupted run (${listed}): the next write run removes them`,
    );
  }
  for (const { path, reason } of found.failed) {
    result.notices.push(`could not remove ${display(path, cwd)}, left by an interrupted run: ${reason}`);
  }
  return result;
}

function emptyResult(mode: Mode): MigrateResult {
  return { filesScanned: 0, filesParsed: 0, files: [], errors: [], existingTodoFiles: [], missing: [], notices: [], durationMs: 0, mode };
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : path;
}

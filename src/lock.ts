import { lstat, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describeFsError, errorCode } from './fs-errors.js';
import { isAlive } from './temp-files.js';

/**
 * One write run at a time per tree. The lock is a file holding the owner's pid: in the git folder of the first named
 * path when there is one (invisible to `git status`, shared by every path of the repository), else in the first named
 * folder. A lock whose pid is gone (a run killed with -9, a closed terminal) is taken over, and the run says so.
 */
export const LOCK_NAME = 'migrate-interactions.lock';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

export type LockResult =
  | { kind: 'taken'; path: string; release(): Promise<void>; notice?: string }
  | { kind: 'held'; path: string; holder: LockHolder | undefined }
  /** The lock could not be written (a read-only git folder...): the run goes on unprotected, and says so. */
  | { kind: 'unavailable'; path: string; notice: string };

/** A lock file that cannot be parsed is being written right now, unless it is older than this. */
const UNREADABLE_GRACE_MS = 5000;

export async function takeLock(paths: readonly string[], cwd: string): Promise<LockResult> {
  const path = await lockPath(resolve(cwd, paths[0] ?? '.'));
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  let notice: string | undefined;
  // Bounded: each turn either takes the lock, reports who holds it, or removes one stale lock.
  for (let attempt = 0; attempt < 3; attempt++) {
    let created = false;
    try {
      const handle = await open(path, 'wx', 0o644);
      created = true;
      try {
        await handle.writeFile(JSON.stringify(me) + '\n');
      } finally {
        await handle.close();
      }
      return { kind: 'taken', path, release: () => release(path, me), notice };
    } catch (e) {
      if (created) await unlink(path).catch(() => undefined); // a full disk: leave no empty lock behind
      if (errorCode(e) !== 'EEXIST') return { kind: 'unavailable', path, notice: `could not take the lock ${path} (${describeFsError(e)}): a second run at the same time would not be stopped` };
    }
    const existing = await readHolder(path);
    if (existing === 'gone') continue;
    if (!(await isStale(path, existing))) return { kind: 'held', path, holder: existing };
    if (await removeStale(path, existing)) {
      notice = existing
        ? `removed the lock of an interrupted run (pid ${existing.pid}, started ${existing.started}) that is no longer running`
        : `removed an unreadable lock file left by an interrupted run`;
    }
  }
  return { kind: 'held', path, holder: undefined };
}

/** `.git/migrate-interactions.lock` of the repository holding `target`, else `.migrate-interactions.lock` beside it. */
async function lockPath(target: string): Promise<string> {
  let dir = target;
  try {
    dir = await realpath(target);
    if (!(await stat(dir)).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(target); // missing: the run reports it; the lock only needs a place
  }
  for (let at = dir; ; at = dirname(at)) {
    const gitDir = await gitDirOf(at);
    if (gitDir) return join(gitDir, LOCK_NAME);
    if (dirname(at) === at) return join(dir, '.' + LOCK_NAME);
  }
}

/** The git folder of a work tree root: `.git` itself, or where a `.git` file (worktree, submodule) points. */
async function gitDirOf(dir: string): Promise<string | undefined> {
  const dotGit = join(dir, '.git');
  try {
    const stats = await lstat(dotGit);
    if (stats.isDirectory()) return dotGit;
    const pointer = /^gitdir: (.+)$/m.exec(await readFile(dotGit, 'utf8'));
    return pointer ? resolve(dir, pointer[1]!.trim()) : undefined;
  } catch {
    return undefined;
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined | 'gone'> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? (holder as LockHolder) : undefined;
  } catch (e) {
    return errorCode(e) === 'ENOENT' ? 'gone' : undefined;
  }
}

async function isStale(path: string, holder: LockHolder | undefined): Promise<boolean> {
  if (holder) return holder.host === hostname() && !isAlive(holder.pid); // another machine's pid cannot be checked
  try {
    return Date.now() - (await stat(path)).mtimeMs > UNREADABLE_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Moves the stale lock aside before deleting it, and checks that what moved is what was judged stale: two runs that
 * take over at once cannot then delete each other's fresh lock.
 */
async function removeStale(path: string, judged: LockHolder | undefined): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch {
    return false; // someone else moved it first
  }
  const moved = await readHolder(aside);
  if (moved !== 'gone' && JSON.stringify(moved) !== JSON.stringify(judged)) {
    await rename(aside, path).catch(() => undefined); // a fresh lock: put it back
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

async function release(path: string, me: LockHolder): Promise<void> {
  const holder = await readHolder(path);
  if (holder !== 'gone' && holder?.pid === me.pid && holder.started === me.started) await unlink(path).catch(() => undefined);
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another migrate-interactions run';
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `another migrate-interactions run (pid ${holder.pid}${where}, started ${holder.started})`;
}

import { lstat, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFsError, errorCode } from './fs-errors.js';

/**
 * Temporary files are named `.<name>.migrate-interactions-<pid>-<n>.tmp` next to the file they replace (without
 * `<name>.` where that would make the name too long): hidden, not a source extension (discovery never picks one up),
 * and recognisable, so that a run killed between writing one and renaming it over the file leaves something the next
 * run can find and remove.
 */
const MARK = 'migrate-interactions-';
const TEMP_NAME = /^\.(?:.+\.)?migrate-interactions-(\d+)-(\d+)\.tmp$/;
/** File names are limited to 255 bytes: a long one is left out of its temporary file's name. */
const MAX_NAME_BYTES = 255 - '.migrate-interactions-4294967295-999999.tmp'.length;
/** Older than this, a temporary file is garbage even if its pid is alive again (pids are reused). */
const ABANDONED_AFTER_MS = 10 * 60 * 1000;

let sequence = 0;

export function tempPathFor(path: string): string {
  const name = basename(path);
  const prefix = Buffer.byteLength(name) <= MAX_NAME_BYTES ? `${name}.` : '';
  return join(dirname(path), `.${prefix}${MARK}${process.pid}-${sequence++}.tmp`);
}

export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

export interface Leftovers {
  /** Temporary files of runs that are gone, removed (or, for a run that writes nothing, found). */
  paths: string[];
  /** Those that could not be removed, with why. */
  failed: Array<{ path: string; reason: string }>;
}

/** Finds the temporary files that earlier, interrupted runs left in `dirs`, and removes them when `remove`. */
export async function leftovers(dirs: Iterable<string>, remove: boolean): Promise<Leftovers> {
  const found: Leftovers = { paths: [], failed: [] };
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue; // the folder went away: nothing of ours is left in it
    }
    for (const name of names) {
      const match = TEMP_NAME.exec(name);
      if (!match) continue;
      const path = join(dir, name);
      if (!(await abandoned(path, Number(match[1])))) continue;
      if (!remove) {
        found.paths.push(path);
        continue;
      }
      try {
        await unlink(path);
        found.paths.push(path);
      } catch (e) {
        if (errorCode(e) !== 'ENOENT') found.failed.push({ path, reason: describeFsError(e) });
      }
    }
  }
  found.paths.sort();
  return found;
}

/** A run writing now holds its pid and touches its file within seconds; anything else is left over. */
async function abandoned(path: string, pid: number): Promise<boolean> {
  if (pid === process.pid) return false;
  try {
    const stats = await lstat(path);
    if (!stats.isFile()) return false; // ours are always plain files: a link or folder by that name is not ours to remove
    return !isAlive(pid) || Date.now() - stats.mtimeMs > ABANDONED_AFTER_MS;
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM'; // alive, but someone else's
  }
}

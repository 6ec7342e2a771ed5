import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, open, readFile, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeFsError, errorCode } from './fs-errors.js';
import type { FileError, FileResult } from './runner.js';
import { encodeSource } from './source-text.js';
import { tempPathFor } from './temp-files.js';

/**
 * Writes each changed file atomically: the new bytes go to a temporary file in the same folder (named so that a
 * later run recognises it, see temp-files.ts), are flushed to disk, and replace the file by a rename, which keeps
 * the old bytes or the new ones whatever happens. The file's mode (and owner, when root writes), BOM and line
 * endings are kept. A file that changed on disk since it was read, is read-only, or is no longer where it was is not
 * written.
 */
export async function writeChanged(files: readonly FileResult[]): Promise<FileError[]> {
  const toWrite = files.filter((f) => f.changed && f.after !== undefined && f.decoded);
  // A few files at a time: each waits mostly on its fsync, which the thread pool runs side by side (the journal
  // commits them together), where one after the other every file paid a full flush.
  const refusals = await inBatches(toWrite, WRITES_IN_FLIGHT, (f) =>
    writeOne(f, encodeSource(f.after!, f.decoded!.bom)).catch((e: unknown): Refusal => ({ kind: 'write', message: `not written (left as it was): ${describeFsError(e)}` })),
  );
  const errors: FileError[] = [];
  toWrite.forEach((f, i) => {
    const refusal = refusals[i];
    if (refusal) errors.push({ file: f.file, ...refusal });
    else f.written = true;
  });
  // Each folder is flushed once, after every rename into it.
  await inBatches([...new Set(toWrite.filter((f) => f.written).map((f) => dirname(f.realPath)))], WRITES_IN_FLIGHT, syncFolder);
  return errors;
}

const WRITES_IN_FLIGHT = 8;

/** `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

type Refusal = Pick<FileError, 'kind' | 'message'>;

/** Writes one file; returns why it was not written, or throws the file-system error that stopped it. */
async function writeOne(f: FileResult, bytes: Buffer): Promise<Refusal | undefined> {
  const path = f.realPath;
  const stats = await lstat(path);
  // realPath was resolved during discovery: a symlink here now, or on the way, would send the rename elsewhere.
  if (!stats.isFile() || (await realpath(path)) !== path) return { kind: 'write', message: 'replaced by a symlink or a folder during the run: not written' };
  if (await isReadOnly(path, stats.mode)) return { kind: 'write', message: 'read-only file: not written (left as it was)' };

  const temp = tempPathFor(path);
  // 'wx' (O_EXCL) never opens an existing file or follows a symlink planted under the temporary name.
  const handle = await open(temp, 'wx', 0o600);
  try {
    await fillAndFlush(handle, bytes, stats);
    // Last look before the rename: someone may have saved the file while we migrated it.
    if (sha256(await readFile(path)) !== f.hash) {
      await unlink(temp);
      return { kind: 'changed-on-disk', message: 'changed on disk during the run: not overwritten; run again' };
    }
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  return undefined; // the folder is flushed by writeChanged, once for all its files
}

async function fillAndFlush(handle: FileHandle, bytes: Buffer, stats: { mode: number; uid: number; gid: number }): Promise<void> {
  try {
    await handle.writeFile(bytes);
    await handle.chmod(stats.mode & 0o7777);
    // A file root writes for another user stays theirs (as write-file-atomic did).
    if (process.getuid?.() === 0) await handle.chown(stats.uid, stats.gid);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Root may write anything: the mode bits still say whether the owner meant the file to be read-only. */
async function isReadOnly(path: string, mode: number): Promise<boolean> {
  if ((mode & 0o222) === 0) return true;
  try {
    await access(path, constants.W_OK);
    return false;
  } catch (e) {
    if (errorCode(e) === 'EACCES' || errorCode(e) === 'EPERM') return true;
    throw e;
  }
}

/** The rename is durable once the folder is flushed too; not every platform can open a folder, so this is best effort. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some network file systems refuse: the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

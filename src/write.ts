import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import writeFileAtomic from 'write-file-atomic';
import { encodeSource } from './source-text.js';
import type { FileError, FileResult } from './runner.js';

/**
 * Writes each changed file atomically (a temporary file in the same folder, then a rename), keeping its mode, BOM
 * and line endings. A file whose bytes changed on disk since it was read is not overwritten.
 */
export async function writeChanged(files: readonly FileResult[]): Promise<FileError[]> {
  const errors: FileError[] = [];
  for (const f of files) {
    if (!f.changed || f.after === undefined || !f.decoded) continue;
    try {
      const now = await readFile(f.realPath);
      if (createHash('sha256').update(now).digest('hex') !== f.hash) {
        errors.push({ file: f.file, kind: 'changed-on-disk', message: 'changed on disk during the run: not overwritten; run again' });
        continue;
      }
      await writeFileAtomic(f.realPath, encodeSource(f.after, f.decoded.bom));
      f.written = true;
    } catch (e) {
      errors.push({ file: f.file, kind: 'write', message: `not written (left as it was): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  }
  return errors;
}

import { readFile } from 'node:fs/promises';
import { discover } from './discovery.js';
import { prefilter } from './prefilter.js';
import type { DecodedSource } from './source-text.js';
import { loadModelTable } from './model-ids.js';
import { pool } from './pool.js';
import { importersOf, relativeImports } from './import-closure.js';
import type { ModelIdFinding, TodoFinding, Transform } from './types.js';

export type Mode = 'write' | 'dry-run' | 'diff' | 'check';

export interface RunOptions {
  paths: string[];
  cwd?: string;
  mode?: Mode;
  ignore?: string[];
  only?: string[];
  skip?: string[];
  /** Contents of a `--model-map` file. */
  modelMap?: { path: string; text: string };
  /** Files larger than this are skipped with a message (minified bundles). */
  maxFileBytes?: number;
  /** Called after each file is read and, if needed, migrated. */
  onProgress?: (done: number, total: number) => void;
  /** For tests: replace the registry. */
  transforms?: readonly Transform[];
}

export type FileErrorKind = 'syntax' | 'binary' | 'encoding' | 'unreadable' | 'too-large' | 'transform' | 'write' | 'changed-on-disk' | 'discovery';

export interface FileError {
  file: string;
  line?: number;
  column?: number;
  kind: FileErrorKind;
  message: string;
}

export interface FileResult {
  /** Path relative to cwd, with '/' separators. */
  file: string;
  absPath: string;
  /** Where the bytes live (a file reached through a symlink is written there, never over the link). */
  realPath: string;
  changed: boolean;
  /** Set by the write step once the new bytes are on disk. */
  written?: boolean;
  modelIds: ModelIdFinding[];
  todos: TodoFinding[];
  /** Original and migrated text, kept for diffs (only for files that changed). */
  before?: string;
  after?: string;
  decoded?: DecodedSource;
  hash?: string;
}

export interface RunResult {
  filesScanned: number;
  filesParsed: number;
  files: FileResult[];
  errors: FileError[];
  /** Files that already hold a `TODO(migrate-interactions)` line, whatever this run does (for --strict). */
  existingTodoFiles: string[];
  missing: string[];
  durationMs: number;
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Selects transforms by id, keeping the registry order. Unknown ids are a usage error. */
export function selectTransforms(all: readonly Transform[], only: string[] = [], skip: string[] = []): Transform[] {
  const ids = new Set(all.map((t) => t.id));
  for (const id of [...only, ...skip]) {
    if (!ids.has(id)) throw new UsageError(`unknown transform '${id}' (see --list-transforms)`);
  }
  return all.filter((t) => (only.length === 0 || only.includes(t.id)) && !skip.includes(t.id));
}

export class UsageError extends Error {}

export interface Candidate {
  file: string;
  absPath: string;
  realPath: string;
  bytes: Buffer;
}

/** Discover → read and prefilter → parse and transform. Writes nothing: `migrate()` does. */
export async function run(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const table = loadModelTable(options.modelMap);
  const discovered = await discover(options.paths.length ? options.paths : ['.'], { cwd, ignore: options.ignore });
  const errors: FileError[] = discovered.problems.map((p) => ({ file: p.path, kind: p.kind === 'unreadable' ? 'unreadable' : 'discovery', message: p.message }));
  const result: RunResult = { filesScanned: discovered.files.length, filesParsed: 0, files: [], errors, existingTodoFiles: [], missing: discovered.missing, durationMs: 0 };
  if (discovered.missing.length) return result;

  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const candidates: Candidate[] = [];
  const importsOf = new Map<string, string[]>(); // files that miss the prefilter → their relative imports
  const byPath = new Map(discovered.files.map((f) => [f.absPath, f]));
  let done = 0;
  await pool(discovered.files, 32, async (f) => {
    try {
      // One read per file and no stat: big files are rare, and a file that never mentions the SDK is not worth a message.
      const bytes = await readFile(f.absPath);
      const hit = prefilter(bytes);
      if (hit.hasTodoMarker) result.existingTodoFiles.push(f.displayPath);
      if (!hit.hit) {
        const imports = relativeImports(bytes);
        if (imports.length) importsOf.set(f.absPath, imports);
        return;
      }
      if (bytes.length > maxBytes) {
        errors.push({ file: f.displayPath, kind: 'too-large', message: `${bytes.length} bytes, over the ${maxBytes}-byte limit (--max-file-size): skipped` });
        return;
      }
      candidates.push({ file: f.displayPath, absPath: f.absPath, realPath: f.realPath, bytes });
    } catch (e) {
      errors.push({ file: f.displayPath, kind: 'unreadable', message: `cannot read: ${(e as Error).message}` });
    } finally {
      options.onProgress?.(++done, discovered.files.length);
    }
  });
  if (candidates.length === 0) return finish(result, started);
  // Modules that import a Gemini file use what it exports: read them again (few) so the program sees them.
  for (const absPath of importersOf(candidates.map((c) => c.absPath), importsOf)) {
    const f = byPath.get(absPath)!;
    try {
      candidates.push({ file: f.displayPath, absPath, realPath: f.realPath, bytes: await readFile(absPath) });
    } catch (e) {
      errors.push({ file: f.displayPath, kind: 'unreadable', message: `cannot read: ${(e as Error).message}` });
    }
  }

  candidates.sort((a, b) => (a.file < b.file ? -1 : 1));
  // ts-morph and the transforms load only now: a run with no Gemini file never pays for them.
  const { transformCandidates } = await import('./transform-phase.js');
  await transformCandidates(candidates, options, table, result);
  return finish(result, started);
}

function finish(result: RunResult, started: number): RunResult {
  result.errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  result.existingTodoFiles.sort();
  result.durationMs = Math.round(performance.now() - started);
  return result;
}


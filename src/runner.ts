import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { discover } from './discovery.js';
import { describeFsError } from './fs-errors.js';
import { FileReader, prefilter, relativeSpecifiers } from './prefilter.js';
import { searchableBytes, type DecodedSource } from './source-text.js';
import { loadModelTable } from './model-ids.js';
import { importersOf } from './import-closure.js';
import { aliasedImports, findPathAliases, type PathAliases } from './path-aliases.js';
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
  /** One-line facts the user should know (package.json changes, no git safety net...). */
  notices: string[];
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
  const result: RunResult = { filesScanned: discovered.files.length, filesParsed: 0, files: [], errors, existingTodoFiles: [], missing: discovered.missing, notices: [], durationMs: 0 };
  if (discovered.missing.length) return result;

  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const candidates: Candidate[] = [];
  const files = discovered.files;
  // Relative imports of the files that miss the prefilter, to find the modules that import a Gemini file.
  // Collected only from the first hit on: a run with no Gemini file never pays for it, and the files read
  // before that first hit (listed in `unscanned`) are read again only if there is a hit at all.
  const importsOf = new Map<string, string[]>();
  const unscanned: number[] = [];
  // The project's path aliases (`@/lib/gemini`), looked up at the first hit; false: none.
  let aliases: PathAliases | false | undefined;
  const reader = new FileReader();
  // Synchronous reads, one file at a time: on a warm cache they beat the thread pool's round trips, and one
  // open file at a time keeps any `ulimit -n`. Worker threads do not pay here (see docs/performance.md).
  let lastYield = performance.now();
  // Discovery saw a regular file everywhere but at a symlink or a named path: there a FIFO would block the read forever.
  const named = new Set(options.paths.map((p) => resolve(cwd, p)));
  for (let index = 0; index < files.length; index++) {
    const f = files[index]!;
    try {
      if ((f.absPath !== f.realPath || named.has(f.absPath)) && !statSync(f.realPath).isFile()) {
        errors.push({ file: f.displayPath, kind: 'unreadable', message: 'not a regular file (a FIFO, socket or device): skipped' });
        continue;
      }
      // One read per file and no stat: big files are rare, and a file that never mentions the SDK is not worth a message.
      const bytes = reader.read(f.absPath);
      const hit = prefilter(searchableBytes(bytes));
      if (hit.hasTodoMarker) result.existingTodoFiles.push(f.displayPath);
      if (!hit.hit) {
        if (candidates.length === 0) unscanned.push(index);
        else addImports(importsOf, f.absPath, bytes, (aliases ??= findPathAliases(resolve(cwd, options.paths[0] ?? '.')) ?? false));
      } else if (bytes.length > maxBytes) {
        errors.push({ file: f.displayPath, kind: 'too-large', message: `${bytes.length} bytes, over the ${maxBytes}-byte limit (--max-file-size): skipped` });
      } else {
        candidates.push({ file: f.displayPath, absPath: f.absPath, realPath: f.realPath, bytes: Buffer.from(bytes) });
      }
    } catch (e) {
      errors.push({ file: f.displayPath, kind: 'unreadable', message: `cannot read: ${describeFsError(e)}` });
    }
    // Let the progress line (a timer) draw on long runs.
    if ((index & 255) === 255 && performance.now() - lastYield > 50) {
      options.onProgress?.(index + 1, files.length);
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  options.onProgress?.(files.length, files.length);
  if (candidates.length === 0) return finish(result, started);

  aliases ??= findPathAliases(resolve(cwd, options.paths[0] ?? '.')) ?? false;
  for (const index of unscanned) {
    const f = files[index]!;
    try {
      addImports(importsOf, f.absPath, reader.read(f.absPath), aliases);
    } catch {
      // Unreadable now but not before: it is reported if it turns out to matter below.
    }
  }
  // Modules that import a Gemini file use what it exports: read them again (few) so the program sees them.
  const byPath = new Map(files.map((f) => [f.absPath, f]));
  for (const absPath of importersOf(candidates.map((c) => c.absPath), importsOf)) {
    const f = byPath.get(absPath)!;
    try {
      candidates.push({ file: f.displayPath, absPath, realPath: f.realPath, bytes: Buffer.from(reader.read(absPath)) });
    } catch (e) {
      errors.push({ file: f.displayPath, kind: 'unreadable', message: `cannot read: ${describeFsError(e)}` });
    }
  }
  if (candidates.length === 0) return finish(result, started);

  candidates.sort((a, b) => (a.file < b.file ? -1 : 1));
  // ts-morph and the transforms load only now: a run with no Gemini file never pays for them.
  const { transformCandidates } = await import('./transform-phase.js');
  await transformCandidates(candidates, options, table, result, aliases || undefined);
  return finish(result, started);
}

function addImports(importsOf: Map<string, string[]>, absPath: string, bytes: Buffer, aliases: PathAliases | false): void {
  const specifiers = [...relativeSpecifiers(bytes), ...aliasedImports(bytes, aliases || undefined)];
  if (specifiers.length) importsOf.set(absPath, specifiers);
}

function finish(result: RunResult, started: number): RunResult {
  result.errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  result.existingTodoFiles.sort();
  result.durationMs = Math.round(performance.now() - started);
  return result;
}


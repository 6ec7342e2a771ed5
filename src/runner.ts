import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Project } from 'ts-morph';
import { discover, type DiscoveredFile } from './discovery.js';
import { FileReader } from './prefilter.js';
import { addImporters, emptyResults, packFiles, readOne, type ReadResults, type ReadSettings } from './read-loop.js';
import type { ReadWorkerInput } from './read-worker.js';
import type { DecodedSource } from './source-text.js';
import { loadModelTable } from './model-ids.js';
import { findPathAliases, type PathAliases } from './path-aliases.js';
import { mergeAliases, workspaceAliases } from './workspaces.js';
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
  /** Called with the real paths of the files to parse, before they are parsed (the write mode asks git about them). */
  onCandidates?: (realPaths: readonly string[]) => void;
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
  checkTransformIds(all.map((t) => t.id), only, skip);
  return all.filter((t) => (only.length === 0 || only.includes(t.id)) && !skip.includes(t.id));
}

/** Throws the usage error for the first of `only` and `skip` that is not among `ids`. */
export function checkTransformIds(ids: readonly string[], only: readonly string[] = [], skip: readonly string[] = []): void {
  for (const id of [...only, ...skip]) {
    if (!ids.includes(id)) throw new UsageError(`unknown transform '${id}' (see --list-transforms)`);
  }
}

export class UsageError extends Error {}

export interface Candidate {
  file: string;
  absPath: string;
  realPath: string;
  bytes: Buffer;
  /** A module outside the paths given that imports a file of the run: read into the program, never edited (outside-importers.ts). */
  outside?: boolean;
}

/**
 * At the first hit, when at least this many files are left to read, a worker thread reads them while this thread
 * loads ts-morph and parses the libraries the program needs whatever the candidates are; fewer, and the thread's
 * start-up would not pay. (MIGRATE_INTERACTIONS_READ_WORKER_FILES: a test aid, to run either path on a small tree.)
 */
const WORKER_MIN_FILES = Number(process.env.MIGRATE_INTERACTIONS_READ_WORKER_FILES || 4000);

/** Discover → read and prefilter → parse and transform. Writes nothing: `migrate()` does. */
export async function run(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const table = loadModelTable(options.modelMap);
  const discovered = await discover(options.paths.length ? options.paths : ['.'], { cwd, ignore: options.ignore });
  const errors: FileError[] = discovered.problems.map((p) => ({ file: p.path, kind: p.kind === 'unreadable' ? 'unreadable' : 'discovery', message: p.message }));
  const result: RunResult = { filesScanned: discovered.files.length, filesParsed: 0, files: [], errors, existingTodoFiles: [], missing: discovered.missing, notices: [], durationMs: 0 };
  if (discovered.missing.length) return result;

  const settings: ReadSettings = { named: new Set(options.paths.map((p) => resolve(cwd, p))), maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES };
  const files = discovered.files;
  const reads = emptyResults();
  // Relative imports of the files that miss the prefilter, to find the modules that import a Gemini file.
  // Collected only from the first hit on: a run with no Gemini file never pays for it, and the files read
  // before that first hit (listed in `unscanned`) are read again only if there is a hit at all.
  const unscanned: number[] = [];
  // The project's path aliases (`@/lib/gemini`), looked up at the first hit (false: none); undefined before it.
  let aliases: PathAliases | false | undefined;
  const reader = new FileReader();
  // Synchronous reads, one file at a time: on a warm cache they beat the thread pool's round trips, and one
  // open file at a time keeps any `ulimit -n` (see docs/performance.md).
  let lastYield = performance.now();
  let index = 0;
  let worker: Promise<ReadResults | undefined> | undefined;
  let readByWorker = false;
  for (; index < files.length; index++) {
    if (readOne(files[index]!, reader, settings, reads, aliases)) unscanned.push(index);
    if (aliases === undefined && reads.candidates.length) {
      aliases = projectAliases(resolve(cwd, options.paths[0] ?? '.'));
      if (files.length - index - 1 >= WORKER_MIN_FILES) {
        worker = readInWorker(files, index + 1, unscanned, reads.candidates, settings, aliases, options.onProgress);
        index++;
        break;
      }
    }
    // Let the progress line (a timer) draw on long runs.
    if ((index & 255) === 255 && performance.now() - lastYield > 50) {
      options.onProgress?.(index + 1, files.length);
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }

  let phase: typeof import('./transform-phase.js') | undefined;
  let project: Project | undefined;
  if (worker) {
    // ts-morph and the libraries load here, on this thread, while the worker reads.
    phase = await import('./transform-phase.js');
    project = phase.preparedProject(aliases || undefined, dirname(reads.candidates[0]!.absPath));
    const rest = await worker;
    if (rest) {
      mergeResults(reads, rest);
      readByWorker = true;
    } else {
      // The worker could not start or failed: its share is read here.
      for (; index < files.length; index++) readOne(files[index]!, reader, settings, reads, aliases);
    }
  }
  options.onProgress?.(files.length, files.length);
  const candidates = reads.candidates;
  if (candidates.length === 0) return finish(withReads(result, reads), started);

  // Done by the worker, when there was one.
  if (!readByWorker) addImporters(reads, [], unscanned.map((i) => files[i]!), files, reader, (aliases ??= projectAliases(resolve(cwd, options.paths[0] ?? '.'))));

  withReads(result, reads);
  candidates.sort((a, b) => (a.file < b.file ? -1 : 1));
  options.onCandidates?.(candidates.map((c) => c.realPath));
  // The importers outside the paths given: the transforms must see what uses a model before they change it.
  const { outsideImporters } = await import('./outside-importers.js');
  const outside = await outsideImporters(options.paths, options.ignore ?? [], cwd, new Set(files.map((f) => f.absPath)), candidates.map((c) => c.absPath), reader, aliases ?? false);
  result.errors.push(...outside.errors);
  candidates.push(...outside.candidates);
  // ts-morph and the transforms load only now: a run with no Gemini file never pays for them.
  phase ??= await import('./transform-phase.js');
  await phase.transformCandidates(candidates, options, table, result, aliases || undefined, project);
  return finish(result, started);
}

/** The module names that stand for the project's own files: tsconfig `paths` and the workspace's package names. */
function projectAliases(from: string): PathAliases | false {
  return mergeAliases(findPathAliases(from), workspaceAliases(from)) ?? false;
}

/**
 * Reads files[from..] on a worker thread, then the importers of every Gemini file found (read-loop.ts,
 * addImporters); undefined when the worker could not start or failed, and this thread then does it all itself.
 */
function readInWorker(
  files: readonly DiscoveredFile[],
  from: number,
  unscanned: readonly number[],
  candidates: readonly Candidate[],
  settings: ReadSettings,
  aliases: PathAliases | false,
  onProgress: RunOptions['onProgress'],
): Promise<ReadResults | undefined> {
  const input: ReadWorkerInput = {
    files: packFiles(files.slice(from)),
    rescan: packFiles(unscanned.map((i) => files[i]!)),
    targets: candidates.map((c) => c.absPath),
    named: [...settings.named],
    maxBytes: settings.maxBytes,
    aliases,
  };
  return new Promise((settle) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: input });
    } catch {
      settle(undefined);
      return;
    }
    worker.on('message', (m: { done?: number; results?: ReadResults }) => {
      if (m.done !== undefined) onProgress?.(from + m.done, files.length);
      // Buffers arrive as plain Uint8Arrays.
      if (m.results) settle({ ...m.results, candidates: m.results.candidates.map((c) => ({ ...c, bytes: Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength) })) });
    });
    worker.once('error', () => settle(undefined));
    worker.once('exit', () => settle(undefined)); // after the results, this changes nothing
  });
}

function withReads(result: RunResult, reads: ReadResults): RunResult {
  result.errors.push(...reads.errors);
  result.existingTodoFiles.push(...reads.existingTodoFiles);
  return result;
}

/** The worker's results, importers included: its imports are not needed any more, and are not sent. */
function mergeResults(into: ReadResults, from: ReadResults): void {
  into.candidates.push(...from.candidates);
  into.existingTodoFiles.push(...from.existingTodoFiles);
  into.errors.push(...from.errors);
}

function finish(result: RunResult, started: number): RunResult {
  result.errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  result.existingTodoFiles.sort();
  result.durationMs = Math.round(performance.now() - started);
  return result;
}


import { resolve } from 'node:path';
import { projectContext, projectRootOf } from './run-context.js';
import { loadModelTable } from './model-ids.js';
import { prefilter } from './prefilter.js';
import { DEFAULT_MAX_FILE_BYTES, type Candidate, type FileError, type FileResult, type RunOptions, type RunResult } from './runner.js';

export interface MigrateSourceOptions {
  /** The file's path: its extension picks the parser, its folder resolves imports (SDK types). */
  path: string;
  text: string;
  only?: string[];
  skip?: string[];
  /** Contents of a model map file (`--model-map`): `{ path, text }`, the path only naming it in errors. */
  modelMap?: RunOptions['modelMap'];
  /** Larger files are not migrated and come back with a `too-large` error (minified bundles). Default 5 MiB. */
  maxFileBytes?: number;
  /**
   * Where findings' line/column point: into the text as given (default), or into the migrated text, as the CLI
   * does in write mode (TODO lines push the code below them down).
   */
  positionsIn?: 'original' | 'migrated';
  /**
   * Migrate it together with the files the CLI would parse along with it under `root` (default: the nearest folder
   * above with a package.json or .git) and that are linked to it by relative imports, either way: read once per
   * process and never changed, they let the transforms follow a model or a constant across modules as the CLI does.
   * Default false: this file alone, plus what it imports as it is on disk.
   */
  project?: boolean | { root: string };
}

export interface MigrateSourceResult {
  output: string;
  changed: boolean;
  modelIds: FileResult['modelIds'];
  todos: FileResult['todos'];
  /** Set when the file could not be migrated (syntax error, failing transform, too large): `output` is then the input. */
  error?: FileError;
}

/**
 * Migrates one file's text in memory, with the same transforms as the CLI: the entry point for adapters that hand
 * over one file at a time (jscodeshift). With `project`, the result is the CLI's for this file (see the README for
 * what it still cannot see); without, recognition sees this file and what it imports.
 */
export async function migrateSource(options: MigrateSourceOptions): Promise<MigrateSourceResult> {
  const unchanged: MigrateSourceResult = { output: options.text, changed: false, modelIds: [], todos: [] };
  const bytes = Buffer.from(options.text, 'utf8');
  const absPath = resolve(options.path);
  const hit = prefilter(bytes).hit;
  if (!hit && !options.project) return unchanged; // never parsed, as in the CLI: it cannot change
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (hit && bytes.length > maxBytes) {
    return { ...unchanged, error: { file: options.path, kind: 'too-large', message: `${bytes.length} bytes, over the ${maxBytes}-byte limit: skipped` } };
  }
  const context = options.project ? await projectContext(absPath, options.project === true ? projectRootOf(absPath) : resolve(options.project.root)) : undefined;
  // The CLI also parses a file that only imports a Gemini file (it uses what that exports), and may change it.
  if (!hit && !context?.parsedByCli) return unchanged;

  const candidates: Candidate[] = [{ file: options.path, absPath, realPath: absPath, bytes }, ...(context?.linked ?? [])];
  // The CLI migrates its files in path order, each seeing the ones before it migrated: same order here.
  candidates.sort((a, b) => (a.absPath < b.absPath ? -1 : 1));
  const result: RunResult = { filesScanned: candidates.length, filesParsed: 0, files: [], errors: [], existingTodoFiles: [], missing: [], notices: [], durationMs: 0 };
  const { transformCandidates } = await import('./transform-phase.js');
  await transformCandidates(
    candidates,
    // The mode only decides where positions point: nothing here writes.
    { paths: [], mode: options.positionsIn === 'migrated' ? 'write' : 'dry-run', only: options.only, skip: options.skip },
    loadModelTable(options.modelMap),
    result,
    context?.aliases,
  );
  const file = result.files.find((f) => f.absPath === absPath);
  // The decoder strips a BOM; give it back so the adapter's output differs from its input only where we edited.
  const bom = options.text.startsWith('\uFEFF') ? '\uFEFF' : '';
  return {
    output: file?.after !== undefined ? bom + file.after : options.text,
    changed: file?.changed ?? false,
    modelIds: file?.modelIds ?? [],
    todos: file?.todos ?? [],
    error: result.errors.find((e) => e.file === options.path), // the linked files' own problems are not this file's
  };
}

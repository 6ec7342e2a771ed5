import { resolve } from 'node:path';
import { loadModelTable } from './model-ids.js';
import { prefilter } from './prefilter.js';
import { DEFAULT_MAX_FILE_BYTES, type FileError, type FileResult, type RunOptions, type RunResult } from './runner.js';

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
 * over one file at a time (jscodeshift). Recognition sees this file alone, plus the SDKs' types: a constant declared
 * here and used as a model only in another file is not recognised (see the README).
 */
export async function migrateSource(options: MigrateSourceOptions): Promise<MigrateSourceResult> {
  const unchanged: MigrateSourceResult = { output: options.text, changed: false, modelIds: [], todos: [] };
  const bytes = Buffer.from(options.text, 'utf8');
  // As in the CLI: a file that mentions neither SDK nor a model id is never parsed, so it cannot change.
  if (!prefilter(bytes).hit) return unchanged;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) {
    return { ...unchanged, error: { file: options.path, kind: 'too-large', message: `${bytes.length} bytes, over the ${maxBytes}-byte limit: skipped` } };
  }

  const absPath = resolve(options.path);
  const result: RunResult = { filesScanned: 1, filesParsed: 0, files: [], errors: [], existingTodoFiles: [], missing: [], notices: [], durationMs: 0 };
  const { transformCandidates } = await import('./transform-phase.js');
  await transformCandidates(
    [{ file: options.path, absPath, realPath: absPath, bytes }],
    // The mode only decides where positions point: nothing here writes.
    { paths: [], mode: options.positionsIn === 'migrated' ? 'write' : 'dry-run', only: options.only, skip: options.skip },
    loadModelTable(options.modelMap),
    result,
  );
  const file = result.files[0];
  // The decoder strips a BOM; give it back so the adapter's output differs from its input only where we edited.
  const bom = options.text.startsWith('\uFEFF') ? '\uFEFF' : '';
  return {
    output: file?.after !== undefined ? bom + file.after : options.text,
    changed: file?.changed ?? false,
    modelIds: file?.modelIds ?? [],
    todos: file?.todos ?? [],
    error: result.errors[0],
  };
}

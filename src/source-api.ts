import { resolve } from 'node:path';
import { loadModelTable } from './model-ids.js';
import type { FileError, FileResult, RunOptions, RunResult } from './runner.js';

export interface MigrateSourceOptions {
  /** The file's path: its extension picks the parser, its folder resolves imports (SDK types). */
  path: string;
  text: string;
  only?: string[];
  skip?: string[];
  modelMap?: RunOptions['modelMap'];
}

export interface MigrateSourceResult {
  output: string;
  changed: boolean;
  modelIds: FileResult['modelIds'];
  todos: FileResult['todos'];
  /** Set when the file could not be migrated (syntax error, failing transform): `output` is then the input. */
  error?: FileError;
}

/**
 * Migrates one file's text in memory, with the same transforms as the CLI: the entry point for adapters that hand
 * over one file at a time (jscodeshift). Recognition sees this file alone, plus the SDKs' types.
 */
export async function migrateSource(options: MigrateSourceOptions): Promise<MigrateSourceResult> {
  const absPath = resolve(options.path);
  const result: RunResult = { filesScanned: 1, filesParsed: 0, files: [], errors: [], existingTodoFiles: [], missing: [], durationMs: 0 };
  const { transformCandidates } = await import('./transform-phase.js');
  await transformCandidates(
    [{ file: options.path, absPath, realPath: absPath, bytes: Buffer.from(options.text, 'utf8') }],
    { paths: [], mode: 'dry-run', only: options.only, skip: options.skip },
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

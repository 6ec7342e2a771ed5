// The library API: `import { migrate } from 'migrate-interactions'` (or require() it, on Node 20.19+). The CLI prints
// and reports the same result: its summary and `--report` files are built from `MigrateResult` and its flat lists.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate as migrateFiles, type MigrateOptions as CoreOptions, type MigrateResult as CoreResult } from './migrate.js';
import { parseModelMap } from './model-ids.js';
import { jsonReport as buildJsonReport } from './report/json.js';
import { reportModel, type ReportModel } from './report/model.js';
import type { Mode } from './runner.js';

export { migrateSource, type MigrateSourceOptions, type MigrateSourceResult } from './source-api.js';
export { markdownReport } from './report/markdown.js';
export { REPORT_SCHEMA_VERSION } from './report/json.js';
export type { Mode, FileResult, FileError, FileErrorKind } from './runner.js';
export { UsageError } from './runner.js';
export { ModelMapError, type ModelIdKind } from './model-ids.js';
export type { ModelIdFinding, TodoFinding, Transform, TransformDocs } from './types.js';
export { TODO_REASONS, type TodoReason } from './todo-reasons.js';
export { EXIT_CODES, exitCodeFor } from './exit-codes.js';

/** Old model id, or a glob such as `gemini-1.5-*`, → the id to put instead (`--model-map`). */
export type ModelMap = Record<string, string>;

export interface MigrateOptions {
  /** Files or folders, relative to `cwd`. Default `['.']`. */
  paths?: string[];
  /** Default `process.cwd()`. Paths in the result are relative to it. */
  cwd?: string;
  /** `write` (the default) writes in place; `dry-run`, `diff` and `check` write nothing. */
  mode?: Mode;
  /** Run only these transforms (ids from `listTransforms()`); default all, in registry order. */
  only?: string[];
  /** Do not run these transforms. */
  skip?: string[];
  /** Gitignore-style globs of paths to skip, relative to `cwd`. */
  ignore?: string[];
  /** Replacement per old model id: the map itself, or the path of a JSON file holding it (relative to `cwd`). */
  modelMap?: ModelMap | string;
  /** In write mode, write even over files with uncommitted git changes. Default false: nothing is written then. */
  force?: boolean;
  /** Larger files are skipped with an error (minified bundles). Default 5 MiB. */
  maxFileBytes?: number;
  /** Called after each file is read and, when it concerns the migration, migrated. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Everything the run found. `files` has one entry per file that was parsed (with its changes, `before`/`after` text
 * when it changed, and its findings); `substitutions`, `advisories`, `todos` and `changedFiles` list the same findings
 * flat, each with its file, in the order the CLI prints them. Positions are 1-based: in write mode they point into
 * the migrated file, otherwise into the file as it is.
 */
export interface MigrateResult extends CoreResult, ReportModel {}

export type Substitution = ReportModel['substitutions'][number];
export type Advisory = ReportModel['advisories'][number];
export type Todo = ReportModel['todos'][number];

/**
 * Migrates files as the CLI does: discover, transform, and in write mode write (unless git shows uncommitted changes
 * and `force` is not set: then `refused` says why and nothing is written). Throws `UsageError` for an unknown
 * transform id and `ModelMapError` for a bad model map, before touching anything.
 */
export async function migrate(options: MigrateOptions = {}): Promise<MigrateResult> {
  const cwd = options.cwd ?? process.cwd();
  const core: CoreOptions = {
    paths: options.paths?.length ? options.paths : ['.'],
    cwd,
    mode: options.mode ?? 'write',
    only: options.only,
    skip: options.skip,
    ignore: options.ignore,
    modelMap: await modelMapFile(options.modelMap, cwd),
    force: options.force,
    maxFileBytes: options.maxFileBytes,
    onProgress: options.onProgress,
  };
  if (core.modelMap) parseModelMap(core.modelMap.path, core.modelMap.text); // fail before any work, as the CLI does
  if (options.only?.length || options.skip?.length) {
    // Unknown ids are a usage error even when no file concerns the migration.
    const [{ transforms }, { selectTransforms }] = await Promise.all([import('../transforms/index.js'), import('./runner.js')]);
    selectTransforms(transforms, options.only, options.skip);
  }
  const result = await migrateFiles(core);
  return { ...result, ...reportModel(result) };
}

/** The transforms in the order they run, as `--list-transforms` prints them. */
export async function listTransforms(): Promise<Array<{ id: string; summary: string }>> {
  const { transforms } = await import('../transforms/index.js');
  return transforms.map(({ id, summary }) => ({ id, summary }));
}

/** The JSON report `--report <file>.json` writes (schema: docs/report-schema.json in the package). */
export function jsonReport(result: CoreResult): object {
  return buildJsonReport(result, packageVersion());
}

let version: string | undefined;
function packageVersion(): string {
  // Read on demand, not at import: most consumers never ask for it. The nearest package.json above this module is
  // ours, whether it runs from dist/src/ (published) or src/ (tests).
  for (let dir = dirname(fileURLToPath(import.meta.url)); !version; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) version = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    else if (dirname(dir) === dir) version = 'unknown';
  }
  return version;
}

async function modelMapFile(map: MigrateOptions['modelMap'], cwd: string): Promise<CoreOptions['modelMap']> {
  if (map === undefined) return undefined;
  if (typeof map === 'string') return { path: map, text: await readFile(resolve(cwd, map), 'utf8') };
  return { path: 'modelMap option', text: JSON.stringify(map) };
}

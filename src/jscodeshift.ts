/**
 * The jscodeshift transform: a thin adapter over `migrateSource()`, so that
 * `npx jscodeshift -t node_modules/migrate-interactions/dist/src/jscodeshift.cjs src/` runs the CLI's migration,
 * one file at a time. jscodeshift decides which files, `--dry` and `--print`; this module migrates and reports.
 * The `.cjs` twin (jscodeshift.cts) is what jscodeshift loads: see there why.
 */
import { readFileSync } from 'node:fs';
import { isSourceFileName } from './discovery.js';
import { migrateSource, type MigrateSourceResult } from './source-api.js';
import { decodeSource } from './source-text.js';

/** What jscodeshift passes as the first argument (structurally compatible with `FileInfo` of @types/jscodeshift). */
export interface JscodeshiftFile {
  path: string;
  source: string;
}

/** The part of jscodeshift's `API` this adapter uses. */
export interface JscodeshiftApi {
  report(message: string): void;
  stats(name: string, quantity?: number): void;
}

/**
 * jscodeshift's options: its own (`dry`) and any unknown `--flag=value` on its command line, passed through.
 * Lists may be repeated (`--only=a --only=b`) or comma-separated (`--only=a,b`).
 */
export interface JscodeshiftOptions {
  dry?: boolean;
  only?: string | string[];
  skip?: string | string[];
  /** Path of a model map JSON file, as `--model-map=models.json` (relative to the working directory). */
  'model-map'?: string;
  modelMap?: string;
  [option: string]: unknown;
}

/**
 * Migrates one file. Returns the new source, or `undefined` when nothing changed (jscodeshift counts it as skipped).
 * Throws when the file cannot be migrated (jscodeshift counts an error, and `--fail-on-error` exits 1).
 */
export default async function transform(file: JscodeshiftFile, api: JscodeshiftApi, options: JscodeshiftOptions = {}): Promise<string | undefined> {
  // Files the CLI would never read (declaration files, `.es6`...) are not ours to change.
  if (!isSourceFileName(file.path)) return undefined;
  assertFaithfulText(file);
  const result = await migrateSource({
    path: file.path,
    text: file.source,
    only: list(options.only),
    skip: list(options.skip),
    modelMap: modelMapFile(options['model-map'] ?? options.modelMap),
    // The CLI sees all its files at once: migrate this one with those linked to it, to get the CLI's result.
    project: true,
    // Unless nothing is written, point at the lines of the file as it will be on disk, as the CLI's write mode does.
    positionsIn: options.dry ? 'original' : 'migrated',
  });
  if (result.error) {
    const { line, column, message } = result.error;
    throw new Error(line ? `${line}:${column ?? 1}: ${message}` : message);
  }
  for (const message of reportLines(result)) api.report(message);
  // jscodeshift shows stats in dry runs only.
  const replaced = result.modelIds.filter((m) => m.to !== undefined).length;
  if (replaced) api.stats('model ids replaced', replaced);
  if (result.todos.length) api.stats('TODOs', result.todos.length);
  return result.changed ? result.output : undefined;
}

/** One line per substitution, TODO and advisory, as the CLI's summary lists them. */
export function reportLines(result: Pick<MigrateSourceResult, 'modelIds' | 'todos'>): string[] {
  const lines: Array<{ line: number; column: number; text: string }> = [];
  for (const m of result.modelIds) {
    const text = m.to !== undefined ? `replaced ${m.from} → ${m.to}` : `advisory ${m.from}: ${m.note ?? m.kind}`;
    lines.push({ line: m.line, column: m.column, text });
  }
  for (const t of result.todos) lines.push({ line: t.line, column: t.column, text: `${t.message} [${t.reason}]` });
  return lines.sort((a, b) => a.line - b.line || a.column - b.column).map((l) => `${l.line}:${l.column} ${l.text}`);
}

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

// A worker migrates many files: read the model map once per worker.
const modelMaps = new Map<string, { path: string; text: string }>();

function modelMapFile(path: unknown): { path: string; text: string } | undefined {
  if (path === undefined) return undefined;
  if (typeof path !== 'string' || path === '') throw new Error('--model-map expects a path: --model-map=models.json');
  let map = modelMaps.get(path);
  if (!map) {
    map = { path, text: readFileSync(path, 'utf8') };
    modelMaps.set(path, map);
  }
  return map;
}

/**
 * jscodeshift decodes every file as UTF-8, replacing what is not with U+FFFD, and would write those back. The CLI
 * refuses such files; so does this adapter, by looking at the bytes on disk when the text holds a U+FFFD.
 */
function assertFaithfulText(file: JscodeshiftFile): void {
  if (!file.source.includes('\uFFFD')) return;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch {
    return; // not a file on disk (an API caller's text): nothing was lost in decoding
  }
  const decoded = decodeSource(bytes);
  if ('kind' in decoded) throw new Error(decoded.message);
}

import type { MigrateResult } from '../migrate.js';
import { reportModel } from './model.js';

/** Bump when a field is removed or changes meaning; adding fields keeps the version. See docs/report-schema.json. */
export const REPORT_SCHEMA_VERSION = 1;

export function jsonReport(result: MigrateResult, toolVersion: string): object {
  const model = reportModel(result);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'migrate-interactions', version: toolVersion },
    mode: result.mode,
    durationMs: result.durationMs,
    summary: {
      filesScanned: result.filesScanned,
      filesParsed: result.filesParsed,
      filesChanged: model.changedFiles.length,
      filesWritten: result.files.filter((f) => f.written).length,
      substitutions: model.substitutions.length,
      advisories: model.advisories.length,
      todos: model.todos.length,
      errors: result.errors.length,
    },
    refused: result.refused ?? null,
    notices: result.notices,
    changedFiles: model.changedFiles,
    substitutions: model.substitutions.map(({ file, line, column, from, to, transform }) => ({ file, line, column, from, to, transform })),
    advisories: model.advisories.map(({ file, line, column, from, kind, note, transform }) => ({ file, line, column, id: from, kind, note: note ?? null, transform })),
    todos: model.todos.map(({ file, line, column, reason, message, transform }) => ({ file, line, column, reason, message, transform })),
    errors: result.errors.map((e) => ({ file: e.file, line: e.line ?? null, column: e.column ?? null, kind: e.kind, message: e.message })),
    missing: result.missing,
  };
}

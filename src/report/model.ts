import type { MigrateResult } from '../migrate.js';
import type { ModelIdFinding, TodoFinding } from '../types.js';

/** Flat lists every renderer shares, so the terminal, JSON and Markdown reports cannot disagree. */
export interface ReportModel {
  substitutions: Array<ModelIdFinding & { file: string; to: string }>;
  advisories: Array<ModelIdFinding & { file: string }>;
  todos: Array<TodoFinding & { file: string }>;
  changedFiles: string[];
}

export function reportModel(result: MigrateResult): ReportModel {
  const model: ReportModel = { substitutions: [], advisories: [], todos: [], changedFiles: [] };
  for (const f of result.files) {
    if (f.changed) model.changedFiles.push(f.file);
    for (const m of f.modelIds) {
      if (m.to !== undefined) model.substitutions.push({ ...m, file: f.file, to: m.to });
      else model.advisories.push({ ...m, file: f.file });
    }
    for (const t of f.todos) model.todos.push({ ...t, file: f.file });
  }
  return model;
}

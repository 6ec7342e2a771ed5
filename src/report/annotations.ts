import type { MigrateResult } from '../migrate.js';
import { reportModel } from './model.js';

/** GitHub Actions workflow commands, one per pending change and per TODO, so a review shows them inline. */
export function githubAnnotations(result: MigrateResult): string[] {
  const model = reportModel(result);
  const lines: string[] = [];
  const annotated = new Set<string>();
  for (const s of model.substitutions) {
    lines.push(command(s.file, s.line, s.column, `deprecated model id ${s.from}: run migrate-interactions to replace it with ${s.to}`));
    annotated.add(s.file);
  }
  for (const f of result.files) {
    if (f.changed && !annotated.has(f.file)) {
      lines.push(command(f.file, firstChangedLine(f.before ?? '', f.after ?? ''), 1, 'migrate-interactions would change this file'));
    }
  }
  for (const t of model.todos) lines.push(command(t.file, t.line, t.column, t.message));
  return lines;
}

function command(file: string, line: number, col: number, message: string): string {
  return `::warning file=${escapeProperty(file)},line=${line},col=${col},title=migrate-interactions::${escapeData(message)}`;
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function firstChangedLine(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1;
}

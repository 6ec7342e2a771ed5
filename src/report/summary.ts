import type pc from 'picocolors';

type Colors = ReturnType<typeof pc.createColors>;
import type { MigrateResult } from '../migrate.js';
import { reportModel } from './model.js';

/** The terminal summary: counts first, then every substitution, TODO, advisory and error with file:line. */
export function terminalSummary(result: MigrateResult, c: Colors): string {
  const model = reportModel(result);
  const lines: string[] = [];
  const changed = model.changedFiles.length;
  const written = result.files.filter((f) => f.written).length;
  const changeWord =
    result.mode === 'write' ? (result.refused ? `${changed} to change (nothing written)` : `${written} changed`) : `${changed} would change`;
  lines.push(
    c.bold('migrate-interactions: ') +
      [
        `${result.filesScanned} files scanned`,
        `${result.filesParsed} parsed`,
        changeWord,
        `${model.substitutions.length} model ids replaced`,
        `${model.todos.length} TODOs`,
        `${result.errors.length} errors`,
        `${(result.durationMs / 1000).toFixed(2)}s`,
      ].join(', '),
  );
  for (const notice of result.notices) lines.push(c.yellow(`note: ${notice}`));
  if (result.refused) {
    lines.push(c.red(`refused to write: ${result.refused.reason}:`));
    for (const f of result.refused.files) lines.push(`  ${f}`);
  }
  section(lines, c, 'model ids replaced', model.substitutions.map((s) => `${s.file}:${s.line}:${s.column}  ${s.from} → ${c.green(s.to)}`));
  section(lines, c, 'TODOs', model.todos.map((t) => `${t.file}:${t.line}  ${t.message}`));
  section(lines, c, 'advisories', model.advisories.map((a) => `${a.file}:${a.line}:${a.column}  ${a.from}: ${a.note ?? a.kind}`));
  section(lines, c, 'errors (left untouched)', result.errors.map((e) => `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}  ${c.red(e.message)}`));
  return lines.join('\n');
}

function section(lines: string[], c: Colors, title: string, items: string[]): void {
  if (items.length === 0) return;
  lines.push(c.bold(`${title}:`));
  for (const item of items) lines.push(`  ${item}`);
}

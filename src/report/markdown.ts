import type { MigrateResult } from '../migrate.js';
import { TODO_REASONS } from '../todo-reasons.js';
import { reportModel } from './model.js';

/** A review-ready report: what changed, what to check by hand, what could not be read. */
export function markdownReport(result: MigrateResult): string {
  const model = reportModel(result);
  const out: string[] = [];
  const verb = result.mode === 'write' && !result.refused ? 'changed' : 'to change';
  out.push('# migrate-interactions report', '');
  out.push(
    `Mode: \`${result.mode}\` · ${result.filesScanned} files scanned · ${result.filesParsed} parsed · ` +
      `${model.changedFiles.length} ${verb} · ${model.substitutions.length} model ids replaced · ` +
      `${model.todos.length} TODOs · ${result.errors.length} errors`,
    '',
  );
  if (result.refused) out.push(`**Nothing was written**: ${result.refused.reason}.`, '', ...result.refused.files.map((f) => `- \`${f}\``), '');
  for (const notice of result.notices) out.push(`> ${notice}`, '');

  if (model.changedFiles.length) out.push(`## Files ${verb}`, '', ...model.changedFiles.map((f) => `- \`${f}\``), '');
  if (model.substitutions.length) {
    out.push('## Model ids replaced', '', '| file | line | old id | new id |', '|---|---|---|---|');
    for (const s of model.substitutions) out.push(`| \`${s.file}\` | ${s.line}:${s.column} | \`${s.from}\` | \`${s.to}\` |`);
    out.push('');
  }
  if (model.todos.length) {
    out.push('## Left for you (TODO)', '', '| file | line | reason | what to do |', '|---|---|---|---|');
    for (const t of model.todos) out.push(`| \`${t.file}\` | ${t.line} | \`${t.reason}\` | ${cell(TODO_REASONS[t.reason].manual)} |`);
    out.push('');
  }
  if (model.advisories.length) {
    out.push('## Advisories (left in place)', '', '| file | line | id | note |', '|---|---|---|---|');
    for (const a of model.advisories) out.push(`| \`${a.file}\` | ${a.line}:${a.column} | \`${a.from}\` | ${cell(a.note ?? a.kind)} |`);
    out.push('');
  }
  if (result.errors.length) {
    out.push('## Errors (files left untouched)', '', '| file | line | kind | message |', '|---|---|---|---|');
    for (const e of result.errors) out.push(`| \`${e.file}\` | ${e.line ?? ''} | ${e.kind} | ${cell(e.message)} |`);
    out.push('');
  }
  return out.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

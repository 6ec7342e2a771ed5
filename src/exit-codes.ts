import type { MigrateResult } from './migrate.js';

/** Every exit code the CLI can return; `--help` and the README list them from here. */
export const EXIT_CODES = {
  ok: { code: 0, meaning: 'done; with --check: nothing left to migrate' },
  pending: { code: 1, meaning: '--check: some file would change (with --strict: or a TODO(migrate-interactions) remains); --typecheck: the migration added type errors' },
  fatal: { code: 2, meaning: 'usage error, missing path, refused write (uncommitted changes, or another run holds the lock), or a fatal error' },
  fileErrors: { code: 3, meaning: 'finished, but some files could not be read, parsed or written (listed; left untouched)' },
} as const;

export function exitCodeFor(result: MigrateResult, strict: boolean): number {
  if (result.refused || result.missing.length) return EXIT_CODES.fatal.code;
  if (result.mode === 'check') {
    const pending = result.files.some((f) => f.changed);
    const todos = result.files.some((f) => f.todos.length > 0) || result.existingTodoFiles.length > 0;
    if (pending || (strict && todos)) return EXIT_CODES.pending.code;
  }
  return result.errors.length ? EXIT_CODES.fileErrors.code : EXIT_CODES.ok.code;
}

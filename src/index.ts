// The library API: what the CLI prints and reports is built from these results.
export { migrate, type MigrateOptions, type MigrateResult } from './migrate.js';
export { migrateSource, type MigrateSourceOptions, type MigrateSourceResult } from './source-api.js';
export type { Mode, FileResult, FileError, FileErrorKind } from './runner.js';
export type { ModelIdFinding, TodoFinding, Transform } from './types.js';
export { TODO_REASONS, type TodoReason } from './todo-reasons.js';
export { EXIT_CODES } from './exit-codes.js';

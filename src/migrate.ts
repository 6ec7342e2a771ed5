import { gitState } from './git.js';
import { run, type FileError, type Mode, type RunOptions, type RunResult } from './runner.js';
import { writeChanged } from './write.js';

export interface MigrateOptions extends RunOptions {
  /** Write even over files with uncommitted git changes. */
  force?: boolean;
}

export interface MigrateResult extends RunResult {
  mode: Mode;
  /** Set when the write mode refused to run: nothing was written. */
  refused?: { reason: string; files: string[] };
  /** One-line facts the user should know (e.g. no git safety net). */
  notices: string[];
}

/** The whole job without printing: discover, transform, and in write mode write. The CLI renders what this returns. */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const mode = options.mode ?? 'write';
  const result: MigrateResult = { ...(await run({ ...options, mode })), mode };
  const changed = result.files.filter((f) => f.changed);
  if (mode !== 'write' || changed.length === 0) return result;

  const git = await gitState(changed.map((f) => f.realPath));
  if (git.outside.length) {
    result.notices.push(`${git.outside.length} file(s) to change are not in a git repository: there is no undo but your own backup`);
  }
  if (git.dirty.length && !options.force) {
    const dirty = new Set(git.dirty);
    result.refused = {
      reason: 'these files have uncommitted changes, and a migration mixed into them could not be reviewed or undone on its own; commit or stash them, or pass --force',
      files: changed.filter((f) => dirty.has(f.realPath)).map((f) => f.file),
    };
    return result;
  }
  const writeErrors: FileError[] = await writeChanged(changed);
  result.errors.push(...writeErrors);
  return result;
}

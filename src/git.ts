import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
// A repository's own config can make git run a command (core.fsmonitor); the tool never runs project code.
const SAFE = ['-c', 'core.fsmonitor=false'];

export interface GitState {
  /** Files (absolute) that are outside any git work tree. */
  outside: string[];
  /** Files (absolute) with uncommitted changes: modified, staged, untracked, or in conflict. */
  dirty: string[];
}

/** Which of `files` git could not restore: the write mode refuses those unless --force. */
export async function gitState(files: readonly string[]): Promise<GitState> {
  const byRoot = new Map<string, string[]>();
  const outside: string[] = [];
  const rootOfDir = new Map<string, Promise<string | undefined>>();
  for (const file of files) {
    const dir = dirname(file);
    if (!rootOfDir.has(dir)) rootOfDir.set(dir, topLevel(dir));
    const root = await rootOfDir.get(dir)!;
    if (!root) outside.push(file);
    else byRoot.set(root, [...(byRoot.get(root) ?? []), file]);
  }
  const dirty: string[] = [];
  for (const [root, rootFiles] of byRoot) {
    const { stdout } = await exec('git', [...SAFE, '-C', root, 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...rootFiles], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const entries = stdout.split('\0');
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.length < 4) continue;
      dirty.push(resolve(root, entry.slice(3)));
      if (entry[0] === 'R' || entry[0] === 'C') i++; // a rename is followed by its old path
    }
  }
  const wanted = new Set(files);
  return { outside, dirty: dirty.filter((f) => wanted.has(f)).sort() };
}

async function topLevel(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await exec('git', [...SAFE, '-C', dir, 'rev-parse', '--show-toplevel']);
    return stdout.trim() || undefined;
  } catch {
    return undefined; // not a repository, or git is not installed
  }
}

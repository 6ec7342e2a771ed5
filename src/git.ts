import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
// A repository's own config can make git run a command (core.fsmonitor); the tool never runs project code.
const SAFE = ['-c', 'core.fsmonitor=false'];

export interface GitState {
  /** Files (absolute) that are outside any git work tree. */
  outside: string[];
  /** Files (absolute) with uncommitted changes: modified, staged, untracked, or in conflict. */
  dirty: string[];
  /** A filter driver applies to some of the files: they were compared by hash, not by `git status`. */
  filtered: boolean;
}

/**
 * Which of `files` git could not restore: the write mode refuses those unless --force. Every git process it needs
 * is started before it returns (the work trees are found with a blocking `rev-parse`, a few milliseconds each), so
 * the write mode can call it before the transforms and let git work beside them; only the answer is awaited.
 */
export function gitState(files: readonly string[]): Promise<GitState> {
  const byRoot = new Map<string, string[]>();
  const outside: string[] = [];
  const rootOf = workTreeFinder();
  for (const file of files) {
    const root = rootOf(dirname(file));
    if (!root) outside.push(file);
    else byRoot.set(root, [...(byRoot.get(root) ?? []), file]);
  }
  let filtered = false;
  const perRoot = [...byRoot].map(([root, rootFiles]) => {
    if (!usesFilterDrivers(root, rootFiles)) return dirtyByStatus(root, rootFiles);
    filtered = true;
    return dirtyWithoutFilters(root, rootFiles);
  });
  const wanted = new Set(files);
  return Promise.all(perRoot).then((lists) => ({ outside, dirty: lists.flat().filter((f) => wanted.has(f)).sort(), filtered }));
}

async function dirtyByStatus(root: string, files: readonly string[]): Promise<string[]> {
  const { stdout } = await exec('git', [...SAFE, '-C', root, 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...files], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const dirty: string[] = [];
  const entries = stdout.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    dirty.push(resolve(root, entry.slice(3)));
    if (entry[0] === 'R' || entry[0] === 'C') i++; // a rename is followed by its old path
  }
  return dirty;
}

/**
 * Whether an attributes file that applies to `files` names a filter driver. `git status` runs a driver's clean
 * command (a command from the project's own config) on files it re-reads, and the tool never runs project code.
 * Attributes come from .gitattributes in a file's folder and the folders above it, and from .git/info/attributes.
 */
function usesFilterDrivers(root: string, files: readonly string[]): boolean {
  const candidates = new Set([resolve(root, '.git', 'info', 'attributes')]);
  for (const file of files) {
    for (let dir = dirname(file); dir.startsWith(root); dir = dirname(dir)) {
      candidates.add(resolve(dir, '.gitattributes'));
      if (dir === root) break;
    }
  }
  for (const file of candidates) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // no such file
    }
    if (/\sfilter=/.test(text)) return true;
  }
  return false;
}

/**
 * Dirty files found without running any driver: a file is clean when its bytes hash to the blob the index holds
 * for it and the index holds what HEAD has. A file a filter would have normalised looks dirty (use --force).
 */
async function dirtyWithoutFilters(root: string, files: readonly string[]): Promise<string[]> {
  const indexed = new Map<string, string>();
  const { stdout } = await exec('git', [...SAFE, '-C', root, 'ls-files', '-s', '-z', '--', ...files], { maxBuffer: 64 * 1024 * 1024 });
  for (const entry of stdout.split('\0').filter(Boolean)) {
    const [meta, path] = entry.split('\t') as [string, string];
    indexed.set(resolve(root, path), meta.split(' ')[1]!);
  }
  const staged = await exec('git', [...SAFE, '-C', root, 'diff-index', '--cached', '--name-only', '-z', 'HEAD', '--', ...files]).then(
    (r) => new Set(r.stdout.split('\0').filter(Boolean).map((f) => resolve(root, f))),
    () => new Set<string>(), // no HEAD yet: every file is new, and the index comparison below says so
  );
  const dirty: string[] = [];
  for (const file of files) {
    const blob = indexed.get(file);
    const bytes = await readFile(file).catch(() => undefined);
    if (!blob || !bytes || staged.has(file) || blobId(bytes, blob.length === 64 ? 'sha256' : 'sha1') !== blob) dirty.push(file);
  }
  return dirty;
}

function blobId(bytes: Buffer, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * The work tree a folder is in, as `git rev-parse --show-toplevel` run there says, with one git process per work
 * tree instead of one per folder (a spawn costs 5-20 ms, and a migration touches a folder per few files). Git finds
 * the work tree by walking up to the first folder holding `.git`; so does this, and it asks git only in that folder.
 * Where the environment changes git's search (GIT_DIR, GIT_WORK_TREE, GIT_CEILING_DIRECTORIES...), git is asked in
 * every folder, as before.
 */
function workTreeFinder(): (dir: string) => string | undefined {
  const byDir = new Map<string, string | undefined>();
  const envSteers = Object.keys(process.env).some((k) => /^GIT_(DIR|WORK_TREE|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM|COMMON_DIR)$/.test(k));
  const holderOf = new Map<string, string | undefined>(); // folder → the nearest folder at or above it holding .git
  const holder = (dir: string): string | undefined => {
    if (holderOf.has(dir)) return holderOf.get(dir);
    const parent = dirname(dir);
    const found = existsSync(join(dir, '.git')) ? dir : parent === dir ? undefined : holder(parent);
    holderOf.set(dir, found);
    return found;
  };
  return (dir) => {
    const key = envSteers ? dir : (holder(dir) ?? dir);
    if (!byDir.has(key)) byDir.set(key, topLevel(key));
    return byDir.get(key);
  };
}

function topLevel(dir: string): string | undefined {
  try {
    const stdout = execFileSync('git', [...SAFE, '-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return stdout.trim() || undefined;
  } catch {
    return undefined; // not a repository, or git is not installed
  }
}

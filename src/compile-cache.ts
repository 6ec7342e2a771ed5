import { createHash } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

/**
 * V8's code cache for ts-morph's bundles (TypeScript alone is 9 MB of JavaScript). Node 20 compiles them on every
 * run, about 0.15 s of a run that migrates anything; Node ≥ 22.1 has a cache of its own (`module.enableCompileCache`),
 * used instead where it exists. Only the CLI turns this on (`useCodeCache()`): a library must not write files or add
 * exit handlers in its host's process. `NODE_DISABLE_COMPILE_CACHE=1` turns it off, as it does Node's own.
 *
 * Whatever goes wrong here (no cache folder, an unwritable one, a corrupt or foreign file, a concurrent run) costs
 * the cache, never the run: the bundles are then compiled as usual.
 */

let enabled = false;
/** require's own module cache (`require.cache`), where a preloaded bundle goes. */
const loaded = createRequire(import.meta.url).cache;

/** Called by the CLI before anything loads ts-morph. */
export function useCodeCache(): void {
  enabled = !process.env.NODE_DISABLE_COMPILE_CACHE;
}

/**
 * Compiles and runs these CommonJS files, dependencies first, from the code cache when it holds them, and puts
 * them into require's cache, so that the require() that follows finds them loaded. The cache is written when the
 * process exits, so it also holds the functions the run compiled lazily (most of what TypeScript runs).
 */
export function preloadWithCodeCache(files: readonly string[]): void {
  if (!enabled) return;
  enabled = false; // once per process
  const nodeCache = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  const dir = cacheFolder(typeof nodeCache === 'function' ? 'node' : 'v8');
  if (!dir) return;
  if (typeof nodeCache === 'function') {
    try {
      nodeCache(dir);
    } catch {
      // Node's own cache could not start: compiled as usual.
    }
    return;
  }
  const toSave: Array<{ script: vm.Script; path: string }> = [];
  for (const file of files) {
    try {
      const saved = preload(file, dir);
      if (saved) toSave.push(saved);
    } catch {
      delete loaded[file]; // require() loads it as usual
    }
  }
  if (toSave.length) process.once('exit', () => save(toSave, dir));
}

/** A folder of the per-user cache (`$XDG_CACHE_HOME`, `~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`), if it is safe to use. */
function cacheFolder(name: string): string | undefined {
  try {
    const home = os.homedir();
    const base =
      process.env.XDG_CACHE_HOME ||
      (process.platform === 'win32' ? process.env.LOCALAPPDATA : process.platform === 'darwin' ? join(home, 'Library', 'Caches') : join(home, '.cache'));
    if (!base) return undefined;
    const dir = join(base, 'migrate-interactions', name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Code from this folder runs: it must be a real folder of this user that nobody else can write to.
    const st = lstatSync(dir);
    if (!st.isDirectory()) return undefined;
    if (process.platform !== 'win32' && (st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

const MAGIC = Buffer.from('MICC0001');
const HEADER = MAGIC.length + 32; // magic, SHA-256 of the payload

function preload(file: string, dir: string): { script: vm.Script; path: string } | undefined {
  if (loaded[file]) return undefined;
  const fd = openSync(file, 'r');
  let source: string;
  let key: string;
  try {
    const st = fstatSync(fd);
    source = readFileSync(fd, 'utf8');
    // V8 checks the cache against the source's length only, so the key names the exact file and Node.
    key = createHash('sha256').update(JSON.stringify([file, st.size, st.mtimeMs, st.ino, process.version, process.arch])).digest('hex').slice(0, 32);
  } finally {
    closeSync(fd);
  }
  const path = join(dir, `${basename(file)}-${key}.bin`);
  const cachedData = readCache(path);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
    filename: file,
    cachedData,
    importModuleDynamically: (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  } as vm.ScriptOptions);
  const mod = new Module(file) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(dirname(file));
  loaded[file] = mod;
  (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return cachedData && !script.cachedDataRejected ? undefined : { script, path };
}

/** The cached bytes, if the file is whole: V8 itself checks only the header before running what it holds. */
function readCache(path: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return undefined;
  }
  if (data.length < HEADER || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const payload = data.subarray(HEADER);
  return digest(payload).equals(data.subarray(MAGIC.length, HEADER)) ? payload : undefined;
}

/** Catches a torn or damaged file (about 10 ms for the 10 MB); the folder itself is checked to be the user's own. */
function digest(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** Written whole under a private name, then renamed: a concurrent run reads the old file or the new one. */
function save(scripts: ReadonlyArray<{ script: vm.Script; path: string }>, dir: string): void {
  for (const { script, path } of scripts) {
    const temp = `${path}.${process.pid}.tmp`;
    try {
      const payload = script.createCachedData();
      writeFileSync(temp, Buffer.concat([MAGIC, digest(payload), payload]), { mode: 0o600, flag: 'wx' });
      renameSync(temp, path);
    } catch {
      try {
        unlinkSync(temp);
      } catch {
        // never written
      }
    }
  }
  pruneStale(dir, new Set(scripts.map((s) => basename(s.path))));
}

/** Caches of other Node or ts-morph versions written more than a month ago (one still in use is written again by its next run). */
function pruneStale(dir: string, keep: ReadonlySet<string>): void {
  try {
    const monthAgo = Date.now() - 30 * 24 * 3600 * 1000;
    for (const name of readdirSync(dir)) {
      if (keep.has(name)) continue;
      const path = join(dir, name);
      try {
        if (lstatSync(path).mtimeMs < monthAgo) unlinkSync(path);
      } catch {
        // gone already, or not ours to remove
      }
    }
  } catch {
    // unreadable folder: nothing to prune
  }
}

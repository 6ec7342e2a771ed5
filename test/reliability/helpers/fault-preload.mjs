// @ts-check
// `node --import <this> dist/src/cli.js ...`: injects file-system faults into the real CLI, and traces what it
// launches, at the points the environment names. Test-only; nothing here ships.
//
//   MI_FAULT_VANISH="<trigger>=><folder>"  the first time <trigger> is opened or listed, <folder> is deleted first
//   MI_FAULT_EDIT_AFTER_READ="<file>"       the first time <file> is read whole, a line is appended to it on disk
//   MI_FAULT_ENOSPC="<name part>"          writing a file whose path contains it writes half, then fails with ENOSPC
//   MI_FAULT_SLOW_RENAME_MS="<ms>"          every rename waits that long first (widens the window for kill -9)
//   MI_FAULT_WRITES_STARTED="<file>"        created when the first file (but the lock) is opened for writing
//   MI_FAULT_RELINK="<trigger>=><folder>=><target>"  when <trigger> is first opened, <folder> becomes a symlink to <target>
//   MI_TRACE="<file>"                      one line per child process, network connection, DNS lookup or fetch
//   MI_TRACE_DIR="<folder>"                 with MI_TRACE: also one line per module imported or required from there
import childProcess from 'node:child_process';
import dns from 'node:dns';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import module, { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const env = process.env;

if (env.MI_FAULT_VANISH) {
  const [trigger, folder] = env.MI_FAULT_VANISH.split('=>');
  let done = false;
  const vanish = (/** @type {unknown} */ p) => {
    if (done || typeof p !== 'string' || path.resolve(p) !== trigger) return;
    done = true;
    fs.rmSync(/** @type {string} */ (folder), { recursive: true, force: true });
  };
  const { openSync } = fs;
  fs.openSync = /** @type {any} */ ((/** @type {any[]} */ ...args) => (vanish(args[0]), openSync.apply(fs, /** @type {any} */ (args))));
  const { readdirSync } = fs;
  fs.readdirSync = /** @type {any} */ ((/** @type {any[]} */ ...args) => (vanish(args[0]), readdirSync.apply(fs, /** @type {any} */ (args))));
  const { readdir } = fsp;
  fsp.readdir = /** @type {any} */ ((/** @type {any[]} */ ...args) => (vanish(args[0]), readdir.apply(fsp, /** @type {any} */ (args))));
}

if (env.MI_FAULT_RELINK) {
  // A folder swapped for a symlink to somewhere else between the reads and the writes.
  const [trigger, folder, target] = env.MI_FAULT_RELINK.split('=>');
  let done = false;
  const { openSync } = fs;
  fs.openSync = /** @type {any} */ ((/** @type {any[]} */ ...args) => {
    const fd = openSync.apply(fs, /** @type {any} */ (args));
    if (!done && typeof args[0] === 'string' && path.resolve(args[0]) === trigger) {
      done = true;
      fs.renameSync(/** @type {string} */ (folder), `${folder}.moved`);
      fs.symlinkSync(/** @type {string} */ (target), /** @type {string} */ (folder));
    }
    return fd;
  });
}

if (env.MI_FAULT_EDIT_AFTER_READ) {
  const target = env.MI_FAULT_EDIT_AFTER_READ;
  const watched = new Set();
  let done = false;
  const { openSync, closeSync } = fs;
  fs.openSync = /** @type {any} */ ((/** @type {any[]} */ ...args) => {
    const fd = openSync.apply(fs, /** @type {any} */ (args));
    if (!done && typeof args[0] === 'string' && path.resolve(args[0]) === target) watched.add(fd);
    return fd;
  });
  // The runner reads a file whole, then closes it: edit it right after, as an editor saving mid-run would.
  fs.closeSync = (fd) => {
    closeSync(fd);
    if (!watched.delete(fd) || done) return;
    done = true;
    fs.appendFileSync(target, '// saved by someone else during the run\n');
  };
}

if (env.MI_FAULT_ENOSPC || env.MI_FAULT_WRITES_STARTED) {
  const part = env.MI_FAULT_ENOSPC;
  const started = env.MI_FAULT_WRITES_STARTED;
  const failing = new WeakSet();
  const probe = await fsp.open(process.execPath, 'r');
  const FileHandle = Object.getPrototypeOf(probe);
  await probe.close();
  const { open } = fsp;
  fsp.open = /** @type {any} */ (async (/** @type {any[]} */ ...args) => {
    const handle = await open.apply(fsp, /** @type {any} */ (args));
    const forWriting = /[wa+]/.test(String(args[1] ?? 'r'));
    if (started && forWriting && !String(args[0]).endsWith('.lock') && !fs.existsSync(started)) fs.writeFileSync(started, String(process.pid));
    if (part && forWriting && String(args[0]).includes(part)) failing.add(handle);
    return handle;
  });
  const { writeFile } = FileHandle;
  FileHandle.writeFile = async function (/** @type {any} */ data, /** @type {any[]} */ ...rest) {
    if (!failing.has(this)) return writeFile.call(this, data, ...rest);
    await writeFile.call(this, Buffer.from(data).subarray(0, Math.floor(data.length / 2)));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  };
}

if (env.MI_FAULT_SLOW_RENAME_MS) {
  const ms = Number(env.MI_FAULT_SLOW_RENAME_MS);
  const { rename } = fsp;
  fsp.rename = /** @type {any} */ (async (/** @type {any[]} */ ...args) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return rename.apply(fsp, /** @type {any} */ (args));
  });
}

if (env.MI_TRACE) {
  const log = env.MI_TRACE;
  const trace = (/** @type {string} */ line) => fs.appendFileSync(log, line.replace(/\n/g, ' ') + '\n');
  for (const name of /** @type {const} */ (['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork'])) {
    const real = /** @type {any} */ (childProcess)[name];
    const traced = (/** @type {any} */ fn) => (/** @type {any[]} */ ...args) => {
      trace(`${name} ${[args[0], ...(Array.isArray(args[1]) ? args[1] : [])].join(' ')}`);
      return fn.apply(childProcess, args);
    };
    const wrapper = traced(real);
    // promisify(execFile) resolves { stdout, stderr } through this symbol: keep it, traced too.
    if (real[promisify.custom]) Object.defineProperty(wrapper, promisify.custom, { value: traced(real[promisify.custom]) });
    /** @type {any} */ (childProcess)[name] = wrapper;
  }
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = /** @type {any} */ (function (/** @type {any[]} */ ...args) {
    trace(`connect ${JSON.stringify(args[0])}`);
    return connect.apply(this, /** @type {any} */ (args));
  });
  const lookup = dns.lookup;
  dns.lookup = /** @type {any} */ ((/** @type {any[]} */ ...args) => (trace(`dns ${args[0]}`), lookup.apply(dns, /** @type {any} */ (args))));
  // Any module loaded from the project's own folder, by import or by require.
  const projectDir = env.MI_TRACE_DIR;
  if (projectDir) {
    const Module = /** @type {any} */ (module.Module);
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (/** @type {any[]} */ ...args) {
      const file = resolveFilename.apply(this, args);
      if (String(file).startsWith(projectDir)) trace(`require ${file}`);
      return file;
    };
    const hooks = `import { appendFileSync } from 'node:fs';
      let log, dir;
      export function initialize(data) { ({ log, dir } = data); }
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context);
        if (result.url.startsWith('file://' + dir)) appendFileSync(log, 'import ' + result.url + '\\n');
        return result;
      }`;
    module.register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { log, dir: projectDir } });
  }
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => (trace(`fetch ${String(input)}`), realFetch(input, init));
}

syncBuiltinESMExports();

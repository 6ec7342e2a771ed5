import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { JscodeshiftApi, JscodeshiftFile, JscodeshiftOptions } from './jscodeshift.js';
import type { ThreadReply, ThreadRequest } from './jscodeshift-thread.js';

let thread: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve(reply: ThreadReply): void; reject(error: Error): void }>();

/**
 * The file to give jscodeshift's `-t`. jscodeshift loads transforms with require() after installing Babel's require
 * hook (its default `--babel`), which then compiles every CommonJS module loaded in that process, ts-morph included,
 * and fails on it. So this CommonJS module only hands each file to a worker thread, out of the hook's reach (require
 * hooks are per thread), where the ESM adapter (jscodeshift.ts) migrates it; reports and stats come back with it.
 */
async function transform(file: JscodeshiftFile, api: JscodeshiftApi, options: JscodeshiftOptions = {}): Promise<string | undefined> {
  const request: ThreadRequest = {
    id: nextId++,
    file: { path: file.path, source: file.source },
    // jscodeshift's options are plain values; drop anything that could not cross to the thread.
    options: JSON.parse(JSON.stringify(options)) as JscodeshiftOptions,
  };
  const reply = await new Promise<ThreadReply>((resolve, reject) => {
    pending.set(request.id, { resolve, reject });
    const worker = started();
    worker.ref(); // keep the process alive while a file is in the thread (jscodeshift --run-in-band has no other handle)
    worker.postMessage(request);
  });
  for (const message of reply.reports) api.report(message);
  for (const [name, quantity] of reply.stats) api.stats(name, quantity);
  if (reply.error !== undefined) throw new Error(reply.error);
  return reply.output;
}

function started(): Worker {
  if (thread) return thread;
  const worker = new Worker(join(__dirname, 'jscodeshift-thread.js'));
  worker.on('message', (reply: ThreadReply) => {
    pending.get(reply.id)?.resolve(reply);
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref(); // idle: let jscodeshift's worker exit when it is done
  });
  const fail = (error: Error) => {
    if (thread === worker) thread = undefined; // the next file starts a new thread
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`migrate-interactions: the migration thread exited (code ${code})`)));
  thread = worker;
  return worker;
}

export = transform;

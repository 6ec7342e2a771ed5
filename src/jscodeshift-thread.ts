/** The worker thread behind jscodeshift.cjs: runs the ESM adapter on each file it is sent. */
import { parentPort } from 'node:worker_threads';
import transform, { type JscodeshiftFile, type JscodeshiftOptions } from './jscodeshift.js';

export interface ThreadRequest {
  id: number;
  file: JscodeshiftFile;
  options: JscodeshiftOptions;
}

export interface ThreadReply {
  id: number;
  output?: string;
  /** The adapter's `api.report()` and `api.stats()` calls, replayed on jscodeshift's side. */
  reports: string[];
  stats: Array<[name: string, quantity: number]>;
  error?: string;
}

parentPort?.on('message', async (request: ThreadRequest) => {
  const reply: ThreadReply = { id: request.id, reports: [], stats: [] };
  const api = {
    report: (message: string) => void reply.reports.push(message),
    stats: (name: string, quantity = 1) => void reply.stats.push([name, quantity]),
  };
  try {
    reply.output = await transform(request.file, api, request.options);
  } catch (e) {
    reply.error = e instanceof Error ? e.message : String(e);
  }
  parentPort?.postMessage(reply);
});

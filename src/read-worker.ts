import { parentPort, workerData } from 'node:worker_threads';
import type { PathAliases } from './path-aliases.js';
import { FileReader } from './prefilter.js';
import { addImporters, emptyResults, readOne, unpackFiles } from './read-loop.js';

/**
 * The rest of the read loop, and the importers of the Gemini files, on a second thread while the main thread loads
 * ts-morph and parses the libraries (runner.ts, readInWorker). Sends `{ done }` now and then, and the results once
 * at the end.
 */
export interface ReadWorkerInput {
  /** The files to read (packFiles). */
  files: string;
  /** Files read before the first hit: only their imports are wanted (packFiles). */
  rescan: string;
  /** The candidates found before (absolute paths): their importers are wanted too. */
  targets: string[];
  named: string[];
  maxBytes: number;
  aliases: PathAliases | false;
}

const input = workerData as ReadWorkerInput;
const files = unpackFiles(input.files);
const rescan = unpackFiles(input.rescan);
const reader = new FileReader();
const settings = { named: new Set(input.named), maxBytes: input.maxBytes };
const results = emptyResults();
for (let i = 0; i < files.length; i++) {
  readOne(files[i]!, reader, settings, results, input.aliases);
  if ((i & 1023) === 1023) parentPort!.postMessage({ done: i + 1 });
}
addImporters(results, input.targets, rescan, [...files, ...rescan], reader, input.aliases);
// The imports were for the importers, found above: they stay here (tens of thousands of strings to copy).
parentPort!.postMessage({ results: { ...results, importsOf: new Map() } });

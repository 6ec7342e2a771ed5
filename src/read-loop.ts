import { statSync } from 'node:fs';
import type { DiscoveredFile } from './discovery.js';
import { describeFsError } from './fs-errors.js';
import { importersOf } from './import-closure.js';
import { localImports, type PathAliases } from './path-aliases.js';
import { FileReader, prefilter } from './prefilter.js';
import type { Candidate, FileError } from './runner.js';
import { searchableBytes } from './source-text.js';

/** The files of the run as the read loop needs them (what a worker thread is sent). */
export type ReadFile = Pick<DiscoveredFile, 'absPath' | 'realPath' | 'displayPath'>;

/** What the reads found: the same whichever thread read which files. */
export interface ReadResults {
  candidates: Candidate[];
  /** Relative and aliased imports of the files that missed the prefilter (to find the importers of Gemini files). */
  importsOf: Map<string, string[]>;
  existingTodoFiles: string[];
  errors: FileError[];
}

export interface ReadSettings {
  /** Paths named on the command line, absolute: there a FIFO would block the read forever, so they are stat'ed. */
  named: ReadonlySet<string>;
  maxBytes: number;
}

/**
 * Files as one string for a worker thread: copying one string costs a few milliseconds where 20,000 objects of
 * three strings each cost tens. NUL cannot occur in a path; a real path equal to the path is left empty.
 */
export function packFiles(files: readonly ReadFile[]): string {
  return files.map((f) => `${f.absPath}\0${f.realPath === f.absPath ? '' : f.realPath}\0${f.displayPath}`).join('\0');
}

export function unpackFiles(packed: string): ReadFile[] {
  if (!packed) return [];
  const parts = packed.split('\0');
  const files: ReadFile[] = [];
  for (let i = 0; i < parts.length; i += 3) files.push({ absPath: parts[i]!, realPath: parts[i + 1] || parts[i]!, displayPath: parts[i + 2]! });
  return files;
}

export function emptyResults(): ReadResults {
  return { candidates: [], importsOf: new Map(), existingTodoFiles: [], errors: [] };
}

/**
 * Reads one file and prefilters it: a candidate when it passes, else, when `aliases` is given (there is a Gemini
 * file, so importers matter), the imports it makes. Returns true for a miss whose imports were not collected.
 */
export function readOne(f: ReadFile, reader: FileReader, settings: ReadSettings, into: ReadResults, aliases: PathAliases | false | undefined): boolean {
  try {
    // Discovery saw a regular file everywhere but at a symlink or a named path.
    if ((f.absPath !== f.realPath || settings.named.has(f.absPath)) && !statSync(f.realPath).isFile()) {
      into.errors.push({ file: f.displayPath, kind: 'unreadable', message: 'not a regular file (a FIFO, socket or device): skipped' });
      return false;
    }
    // One read per file and no stat: big files are rare, and a file that never mentions the SDK is not worth a message.
    const bytes = reader.read(f.absPath);
    const hit = prefilter(searchableBytes(bytes));
    if (hit.hasTodoMarker) into.existingTodoFiles.push(f.displayPath);
    if (!hit.hit) {
      if (aliases === undefined) return true;
      addImports(into.importsOf, f.absPath, bytes, aliases);
    } else if (bytes.length > settings.maxBytes) {
      into.errors.push({ file: f.displayPath, kind: 'too-large', message: `${bytes.length} bytes, over the ${settings.maxBytes}-byte limit (--max-file-size): skipped` });
    } else {
      into.candidates.push({ file: f.displayPath, absPath: f.absPath, realPath: f.realPath, bytes: Buffer.from(bytes) });
    }
  } catch (e) {
    into.errors.push({ file: f.displayPath, kind: 'unreadable', message: `cannot read: ${describeFsError(e)}` });
  }
  return false;
}

/**
 * Once every file is read: the imports of the files read before the first hit (`rescan`), then the modules that
 * import a Gemini file (`targets` and the candidates found here), read again as candidates: they use what it
 * exports, so the program must see them. `files` holds every file the importers can be among.
 */
export function addImporters(
  into: ReadResults,
  targets: readonly string[],
  rescan: readonly ReadFile[],
  files: readonly ReadFile[],
  reader: FileReader,
  aliases: PathAliases | false,
): void {
  for (const f of rescan) {
    try {
      addImports(into.importsOf, f.absPath, reader.read(f.absPath), aliases);
    } catch {
      // Unreadable now but not before: it is reported if it turns out to matter below.
    }
  }
  const byPath = new Map(files.map((f) => [f.absPath, f]));
  for (const absPath of importersOf([...targets, ...into.candidates.map((c) => c.absPath)], into.importsOf)) {
    const f = byPath.get(absPath)!;
    try {
      into.candidates.push({ file: f.displayPath, absPath, realPath: f.realPath, bytes: Buffer.from(reader.read(absPath)) });
    } catch (e) {
      into.errors.push({ file: f.displayPath, kind: 'unreadable', message: `cannot read: ${describeFsError(e)}` });
    }
  }
}

function addImports(importsOf: Map<string, string[]>, absPath: string, bytes: Buffer, aliases: PathAliases | false): void {
  const specifiers = localImports(bytes, aliases);
  if (specifiers.length) importsOf.set(absPath, specifiers);
}

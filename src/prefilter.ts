import { closeSync, openSync, readSync } from 'node:fs';

export const PREFILTER_NEEDLES: readonly string[] = [
  '@google/generative-ai',
  '@google/genai',
  'gemini-',
  'text-embedding-004',
  'embedding-001',
];
export const TODO_MARKER = 'TODO(migrate-interactions)';

export interface PrefilterResult {
  /** The file mentions one of the SDK packages or model names: worth parsing. */
  hit: boolean;
  /** The file already carries a TODO left by an earlier run. */
  hasTodoMarker: boolean;
}

// Needles sharing a substring are found with one scan for that core, then confirmed around each
// occurrence: three scans instead of five for a file that does not hit, which is most files. A core that
// starts with a rare byte scans fastest (the search jumps from one occurrence of its first byte to the next):
// '-00' finds the embedding ids four times faster than 'embedding-00', whose 'e' is everywhere.
interface NeedleGroup {
  core: Buffer;
  /** Each needle with the offset of the core inside it. */
  needles: { bytes: Buffer; coreOffset: number }[];
}

function group(core: string, needles: string[]): NeedleGroup {
  return {
    core: Buffer.from(core, 'latin1'),
    needles: needles.map((needle) => ({ bytes: Buffer.from(needle, 'latin1'), coreOffset: needle.indexOf(core) })),
  };
}

const GROUPS: readonly NeedleGroup[] = [
  group('@google/gen', ['@google/generative-ai', '@google/genai']),
  group('-00', ['text-embedding-004', 'embedding-001']),
  group('gemini-', ['gemini-']),
];
const TODO_BYTES = Buffer.from(TODO_MARKER, 'latin1');

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function containsGroup(buffer: Buffer, { core, needles }: NeedleGroup): boolean {
  for (let at = buffer.indexOf(core); at !== -1; at = buffer.indexOf(core, at + 1)) {
    for (const { bytes, coreOffset } of needles) {
      const start = at - coreOffset;
      const end = start + bytes.length;
      if (start >= 0 && end <= buffer.length && buffer.compare(bytes, 0, bytes.length, start, end) === 0) return true;
    }
  }
  return false;
}

/** Byte-level check for whether a file can concern the migration, without decoding it. */
export function prefilter(bytes: Uint8Array): PrefilterResult {
  const buffer = asBuffer(bytes);
  return {
    hit: GROUPS.some((needleGroup) => containsGroup(buffer, needleGroup)),
    hasTodoMarker: buffer.indexOf(TODO_BYTES) !== -1,
  };
}

/** A NUL byte in the first 8000 bytes, as git decides; UTF-16 text (with a BOM) is left to the caller. */
export function isProbablyBinary(bytes: Uint8Array): boolean {
  const first = bytes[0];
  const second = bytes[1];
  if ((first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff)) return false;
  return asBuffer(bytes).subarray(0, 8000).indexOf(0) !== -1;
}

/**
 * Reads whole files into one reused buffer: no `stat`, no promise round trips and no allocation per file,
 * which is most of the cost of `fs.promises.readFile` on a tree of small files where nearly every file
 * misses the prefilter. One file is open at a time, so any open-file limit is respected.
 */
export class FileReader {
  private static readonly INITIAL = 64 * 1024;
  private buffer = Buffer.allocUnsafeSlow(FileReader.INITIAL);

  /** The bytes of `path`, valid until the next call (copy what you keep: `Buffer.from(bytes)`). */
  read(path: string): Buffer {
    // A big file grew the buffer: do not keep megabytes for the rest of the run.
    if (this.buffer.length > 16 * FileReader.INITIAL) this.buffer = Buffer.allocUnsafeSlow(FileReader.INITIAL);
    const fd = openSync(path, 'r');
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafeSlow(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        const n = readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (n === 0) return this.buffer.subarray(0, length);
        length += n;
      }
    } finally {
      closeSync(fd);
    }
  }
}

const QUOTE_DOT = [Buffer.from("'.", 'latin1'), Buffer.from('".', 'latin1')];
const SLASH = 0x2f;
const DOT = 0x2e;
const NEWLINE = 0x0a;
const MAX_SPECIFIER = 1024;

/**
 * Every quoted string that starts with './' or '../' (relative module specifiers, and a few plain paths),
 * found on the bytes: no decoding of the file, and only the specifiers are turned into strings. A superset of
 * the specifiers of import, export-from, import() and require().
 */
export function relativeSpecifiers(bytes: Uint8Array): string[] {
  const buffer = asBuffer(bytes);
  const found: string[] = [];
  for (const needle of QUOTE_DOT) {
    const quote = needle[0]!;
    for (let at = buffer.indexOf(needle); at !== -1; at = buffer.indexOf(needle, at + 2)) {
      const next = buffer[at + 2];
      if (next !== SLASH && !(next === DOT && buffer[at + 3] === SLASH)) continue;
      const limit = Math.min(buffer.length, at + 1 + MAX_SPECIFIER);
      let end = at + 2;
      while (end < limit && buffer[end] !== quote && buffer[end] !== NEWLINE) end++;
      if (buffer[end] === quote) found.push(buffer.toString('utf8', at + 1, end));
    }
  }
  return found;
}

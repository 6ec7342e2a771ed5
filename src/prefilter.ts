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
// occurrence: three scans instead of five for a file that does not hit, which is most files.
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
  group('embedding-00', ['text-embedding-004', 'embedding-001']),
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

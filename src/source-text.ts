/** Decoding and encoding of source files: what we read must be written back with the same BOM and line endings. */

export interface DecodedSource {
  text: string;
  bom: boolean;
  /** The file's line ending, for inserted lines: CRLF when the file has more CRLF than bare LF. */
  eol: '\n' | '\r\n';
}

export type DecodeProblem = { kind: 'binary' | 'encoding'; message: string; line?: number; column?: number };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeSource(bytes: Uint8Array): DecodedSource | DecodeProblem {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { kind: 'encoding', message: 'UTF-16 file: only UTF-8 sources are migrated; convert it to UTF-8 first' };
  }
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  const nul = body.indexOf(0);
  if (nul !== -1) {
    return { kind: 'binary', message: 'binary content (NUL byte): not a source file', ...lineColumnAt(body, nul) };
  }
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    const at = firstInvalidUtf8(body);
    return { kind: 'encoding', message: 'not valid UTF-8: only UTF-8 sources are migrated', ...lineColumnAt(body, at) };
  }
  return { text, bom, eol: dominantEol(text) };
}

/**
 * The bytes to search for the SDK's names: a UTF-16 file (with its BOM) as UTF-8, so that one that mentions the SDK
 * is reported as UTF-16 rather than passed over as a file that does not concern the migration.
 */
export function searchableBytes(bytes: Buffer): Buffer {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  if (!le && !(bytes[0] === 0xfe && bytes[1] === 0xff)) return bytes;
  return Buffer.from(new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes), 'utf8');
}

export function encodeSource(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body;
}

function dominantEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

function lineColumnAt(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >> 5 === 0b110 ? 2 : b >> 4 === 0b1110 ? 3 : b >> 3 === 0b11110 ? 4 : 0;
    if (len === 0) return i;
    try {
      decoder.decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return bytes.length;
}

import { describe, expect, it } from 'vitest';
import { isProbablyBinary, PREFILTER_NEEDLES, prefilter, TODO_MARKER } from '../src/prefilter.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('prefilter', () => {
  it.each([
    ["import { GoogleGenerativeAI } from '@google/generative-ai';"],
    ['const { GoogleGenAI } = require("@google/genai")'],
    ["import('@google/genai/node')"],
    ["model: 'gemini-2.5-flash'"],
    ['const MODEL = `gemini-${version}`;'],
    ["embedContent({ model: 'text-embedding-004' })"],
    ['models/embedding-001'],
    ['@google/gen@google/genai'], // a false start of the shared prefix right before a real one
    ['text-embedding-00text-embedding-004'],
    ['ünïcödé 🎉 gemini-pro'], // multi-byte text around the needle
  ])('hits %j', (text) => {
    expect(prefilter(bytes(text)).hit).toBe(true);
  });

  it.each([
    [''],
    ["import OpenAI from 'openai';"],
    ['@google/gen'], // shared prefix only
    ['@google/generative'],
    ['@google/genkit'],
    ['Gemini is a model'], // no dash, and case matters
    ['GEMINI-PRO'],
    ['text-embedding-003'],
    ['embedding-002 embedding-00'],
    [`// ${TODO_MARKER}: check this`], // the marker alone is not a hit
  ])('does not hit %j', (text) => {
    expect(prefilter(bytes(text)).hit).toBe(false);
  });

  it('finds each needle on its own, also at the very start and end of the buffer', () => {
    expect(PREFILTER_NEEDLES).toHaveLength(5);
    for (const needle of PREFILTER_NEEDLES) {
      expect(prefilter(bytes(needle)).hit, needle).toBe(true);
      expect(prefilter(bytes(`x${needle}`)).hit, needle).toBe(true);
      expect(prefilter(bytes(needle.slice(0, -1))).hit, needle).toBe(false);
    }
  });

  it('works on a plain Uint8Array and on a view into a larger buffer', () => {
    expect(prefilter(new TextEncoder().encode("'gemini-pro'")).hit).toBe(true);
    const backing = bytes('gemini-pro ... plain text');
    expect(prefilter(backing.subarray(11)).hit).toBe(false);
    expect(prefilter(new Uint8Array(backing.buffer, backing.byteOffset, 11)).hit).toBe(true);
  });

  it('flags the TODO marker', () => {
    expect(prefilter(bytes(`// ${TODO_MARKER}: review`))).toEqual({ hit: false, hasTodoMarker: true });
    expect(prefilter(bytes(`// ${TODO_MARKER}\nmodel: 'gemini-2.0-flash'`))).toEqual({ hit: true, hasTodoMarker: true });
    expect(prefilter(bytes("model: 'gemini-2.0-flash' // TODO(migrate)"))).toEqual({ hit: true, hasTodoMarker: false });
    expect(prefilter(bytes('todo(migrate-interactions)')).hasTodoMarker).toBe(false);
  });
});

describe('isProbablyBinary', () => {
  it('detects a NUL byte within the first 8000 bytes', () => {
    expect(isProbablyBinary(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]))).toBe(true);
    const late = Buffer.alloc(9000, 0x61);
    late[7999] = 0;
    expect(isProbablyBinary(late)).toBe(true);
    late[7999] = 0x61;
    late[8000] = 0; // past the window, as in git
    expect(isProbablyBinary(late)).toBe(false);
  });

  it('treats text, empty input and UTF-8 with a BOM as text', () => {
    expect(isProbablyBinary(bytes("const a = 'gemini-pro';\n"))).toBe(false);
    expect(isProbablyBinary(new Uint8Array())).toBe(false);
    expect(isProbablyBinary(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('x')]))).toBe(false);
  });

  it('leaves UTF-16 with a BOM to the caller even though it is full of NULs', () => {
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('const a = 1;', 'utf16le')]);
    const utf16be = Buffer.from(utf16le).swap16();
    expect(utf16be[0]).toBe(0xfe);
    expect(isProbablyBinary(utf16le)).toBe(false);
    expect(isProbablyBinary(utf16be)).toBe(false);
    // Without the BOM the same bytes look binary.
    expect(isProbablyBinary(utf16le.subarray(2))).toBe(true);
  });
});

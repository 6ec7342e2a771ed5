import { describe, expect, it } from 'vitest';
import { minNodeMajor, updateDependencies } from '../src/package-json.js';

const PKG = `{
  "name": "app",
  "dependencies": {
    "@google/generative-ai": "^0.24.1",
    "express": "^5.0.0"
  }
}
`;

describe('package.json dependencies', () => {
  it('replaces the legacy SDK in place when nothing uses it any more', () => {
    const { text, changes } = updateDependencies(PKG, '^2.32.0', { removeLegacy: true });
    expect(text).toBe(PKG.replace('"@google/generative-ai": "^0.24.1"', '"@google/genai": "^2.32.0"'));
    expect(changes).toEqual(['@google/generative-ai replaced by @google/genai ^2.32.0']);
  });

  it('adds @google/genai beside the legacy SDK while it is still used', () => {
    const { text } = updateDependencies(PKG, '^2.32.0', { removeLegacy: false });
    expect(text).toContain('    "@google/genai": "^2.32.0",\n    "@google/generative-ai": "^0.24.1",\n');
  });

  it('raises an old @google/genai and removes the legacy entry, last-entry comma included', () => {
    const pkg = '{\r\n  "dependencies": {\r\n    "@google/genai": "^1.33.0",\r\n    "@google/generative-ai": "0.24.1"\r\n  }\r\n}\r\n';
    const { text, changes } = updateDependencies(pkg, '^3.3.0', { removeLegacy: true });
    expect(text).toBe('{\r\n  "dependencies": {\r\n    "@google/genai": "^3.3.0"\r\n  }\r\n}\r\n');
    expect(changes).toEqual(['@google/genai raised from ^1.33.0 to ^3.3.0', '@google/generative-ai removed']);
  });

  it('keeps a recent enough @google/genai as it is', () => {
    const pkg = '{ "dependencies": {\n  "@google/genai": "^3.1.0"\n} }\n';
    expect(updateDependencies(pkg, '^3.3.0', { removeLegacy: true })).toEqual({ text: pkg, changes: [] });
  });

  it('asks for a hand edit when there is no entry to put @google/genai beside', () => {
    expect(updateDependencies('{ "name": "x" }\n', '^2.32.0', { removeLegacy: true }).advice).toBe('add @google/genai ^2.32.0 to the dependencies');
  });
});

describe('engines.node', () => {
  it.each([
    [undefined, 0],
    ['>=18', 18],
    ['>=22.0.0', 22],
    ['^20.19.0 || >=22.12.0', 20],
    ['22.x || 24.x', 22],
    ['>=20 <25', 20],
  ])('%s admits Node %i and up', (range, major) => {
    expect(minNodeMajor(range)).toBe(major);
  });
});

describe('a package.json not laid out one entry per line', () => {
  it('is never rewritten, and a recent @google/genai needs nothing', () => {
    const pkg = '{"dependencies":{"@google/genai":"^3.3.0"}}\n';
    expect(updateDependencies(pkg, '^2.32.0', { removeLegacy: true, declared: { genai: '^3.3.0' } })).toEqual({ text: pkg, changes: [], advice: undefined });
  });
  it('gets advice instead of an edit', () => {
    const pkg = '{"dependencies":{"@google/generative-ai":"^0.24.1"}}\n';
    expect(updateDependencies(pkg, '^2.32.0', { removeLegacy: true, declared: { legacy: '^0.24.1' } })).toEqual({
      text: pkg,
      changes: [],
      advice: 'add @google/genai ^2.32.0, remove @google/generative-ai',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { classifyModelId, loadModelTable, ModelMapError, parseModelMap } from '../src/model-ids.js';

const table = loadModelTable();

describe('model-id matcher', () => {
  it.each([
    ['gemini-1.0-pro', 'gemini-3-flash-preview'],
    ['gemini-1.0-pro-001', 'gemini-3-flash-preview'],
    ['gemini-1.0-pro-vision-latest', 'gemini-3-flash-preview'],
    ['gemini-1.5-flash', 'gemini-3-flash-preview'],
    ['gemini-1.5-flash-8b', 'gemini-3-flash-preview'],
    ['gemini-1.5-flash-002', 'gemini-3-flash-preview'],
    ['gemini-1.5-pro-latest', 'gemini-3-flash-preview'],
    ['gemini-1.5-pro-exp-0827', 'gemini-3-flash-preview'],
    ['gemini-2.0-flash', 'gemini-3-flash-preview'],
    ['gemini-2.0-flash-lite-001', 'gemini-3-flash-preview'],
    ['gemini-2.0-flash-exp', 'gemini-3-flash-preview'],
    ['gemini-2.0-pro-exp-02-05', 'gemini-3-flash-preview'],
    ['gemini-2.0-flash-thinking-exp-01-21', 'gemini-3-flash-preview'],
    ['gemini-pro', 'gemini-3-flash-preview'],
    ['gemini-pro-vision', 'gemini-3-flash-preview'],
    ['gemini-ultra', 'gemini-3-flash-preview'],
    ['gemini-pro-latest', 'gemini-3-flash-preview'],
    ['models/gemini-1.5-flash', 'models/gemini-3-flash-preview'],
    ['models/gemini-pro', 'models/gemini-3-flash-preview'],
  ])('%s → %s', (id, to) => {
    expect(classifyModelId(id, table)).toMatchObject({ kind: 'deprecated', replacement: to });
  });

  it.each([
    ['gemini-2.5-flash', 'current'],
    ['gemini-2.5-pro', 'current'],
    ['models/gemini-2.5-flash-lite', 'current'],
    ['gemini-3-flash-preview', 'current-latest'],
    ['gemini-3.1-pro-preview', 'current-latest'],
    ['gemini-flash-latest', 'current-latest'],
    ['text-embedding-004', 'embedding'],
    ['embedding-001', 'embedding'],
    ['models/embedding-001', 'embedding'],
    ['gemini-embedding-001', 'embedding-current'],
    ['gemini-2.0-flash-preview-image-generation', 'unsupported'],
    ['gemini-2.0-flash-exp-image-generation', 'unsupported'],
    ['gemini-2.0-flash-live-001', 'unsupported'],
    ['gemini-2.5-flash-preview-tts', 'unsupported'],
    ['aqa', 'unsupported'],
  ])('%s is %s and not replaced', (id, kind) => {
    const verdict = classifyModelId(id, table);
    expect(verdict?.kind).toBe(kind);
    expect(verdict?.replacement).toBeUndefined();
  });

  it.each(['gemini', 'gemini-', 'gemini-1.5', 'Gemini 1.5 Flash', 'gpt-4o', 'gemini-1.5-flash is great', 'my-gemini-pro', 'gemini-pro-2'])(
    '%s is not a model id the table knows',
    (text) => {
      expect(classifyModelId(text, table)).toBeUndefined();
    },
  );
});

describe('--model-map', () => {
  const mapped = loadModelTable({
    path: 'map.json',
    text: JSON.stringify({ 'gemini-1.5-*': 'gemini-3.1-pro-preview', 'gemini-1.5-flash': 'gemini-3-flash-preview', 'gemini-2.5-flash': 'gemini-3-flash-preview' }),
  });

  it('an exact id wins over a glob, whatever the order', () => {
    expect(classifyModelId('gemini-1.5-flash', mapped)?.replacement).toBe('gemini-3-flash-preview');
    expect(classifyModelId('gemini-1.5-pro', mapped)?.replacement).toBe('gemini-3.1-pro-preview');
  });
  it('keeps the models/ prefix when it was there', () => {
    expect(classifyModelId('models/gemini-1.5-pro-002', mapped)?.replacement).toBe('models/gemini-3.1-pro-preview');
  });
  it('ids the map does not name keep the built-in replacement', () => {
    expect(classifyModelId('gemini-pro', mapped)?.replacement).toBe('gemini-3-flash-preview');
  });
  it('an exact entry may retire a current id too', () => {
    expect(classifyModelId('gemini-2.5-flash', mapped)).toMatchObject({ kind: 'deprecated', replacement: 'gemini-3-flash-preview' });
  });
  it.each([
    ['not json', '{'],
    ['an array', '[]'],
    ['a non-string value', '{"gemini-pro": 3}'],
    ['an id with spaces', '{"gemini-pro": "gemini 3"}'],
  ])('rejects %s', (_, text) => {
    expect(() => parseModelMap('map.json', text)).toThrow(ModelMapError);
  });
  it('the built-in table says when it was checked', () => {
    expect(table.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

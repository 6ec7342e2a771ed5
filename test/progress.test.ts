import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { progressLine } from '../src/progress.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
}

it('on a terminal, shows nothing during the first second, then one updating line, cleared at the end', () => {
  const { stream, writes } = fakeStream(true);
  const progress = progressLine(stream, true);
  progress.update(10, 400);
  vi.advanceTimersByTime(900);
  expect(writes).toEqual([]);
  vi.advanceTimersByTime(200);
  progress.update(200, 400);
  vi.advanceTimersByTime(100);
  expect(writes.at(-1)).toMatch(/^\r\x1b\[2K200\/400 files, \d+ files\/s$/);
  progress.stop();
  expect(writes.at(-1)).toBe('\r\x1b[2K');
  const count = writes.length;
  vi.advanceTimersByTime(1000);
  expect(writes.length).toBe(count);
});

it('off a terminal, or with --no-progress, prints nothing at all', () => {
  for (const [tty, enabled] of [
    [false, true],
    [true, false],
  ] as const) {
    const { stream, writes } = fakeStream(tty);
    const progress = progressLine(stream, enabled);
    progress.update(1, 2);
    vi.advanceTimersByTime(5000);
    progress.stop();
    expect(writes).toEqual([]);
  }
});

it('a run shorter than a second leaves no trace', () => {
  const { stream, writes } = fakeStream(true);
  const progress = progressLine(stream, true);
  vi.advanceTimersByTime(500);
  progress.stop();
  expect(writes).toEqual([]);
});

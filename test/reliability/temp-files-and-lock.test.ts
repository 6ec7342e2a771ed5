import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { takeLock } from '../../src/lock.js';
import { isTempName, leftovers, tempPathFor } from '../../src/temp-files.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mi-temp-'));
  dirs.push(dir);
  return dir;
}
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('temporary file names', () => {
  it('are hidden, recognisable, and stay under 255 bytes for the longest file names', () => {
    const short = basename(tempPathFor('/x/app.ts'));
    expect(short).toMatch(new RegExp(`^\\.app\\.ts\\.migrate-interactions-${process.pid}-\\d+\\.tmp$`));
    expect(isTempName(short)).toBe(true);
    const long = basename(tempPathFor('/x/' + 'é'.repeat(127) + '.ts')); // 256 bytes would not fit
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(isTempName(long)).toBe(true);
    for (const name of ['app.ts', '.app.ts', '.app.ts.tmp', '.app.ts.migrate-interactions-x-1.tmp']) expect(isTempName(name), name).toBe(false);
  });

  it('leftovers of dead runs are found, and removed only when asked; live runs, old or not, and symlinks are judged apart', async () => {
    const dir = scratch();
    const dead = `.a.ts.migrate-interactions-${deadPid()}-0.tmp`;
    const live = `.b.ts.migrate-interactions-${process.ppid}-3.tmp`; // our parent: alive
    const staleLive = `.c.ts.migrate-interactions-${process.ppid}-4.tmp`;
    const link = `.d.ts.migrate-interactions-${deadPid()}-0.tmp`;
    for (const name of [dead, live, staleLive, 'a.ts']) writeFileSync(join(dir, name), 'x');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, staleLive), hourAgo, hourAgo);
    symlinkSync('a.ts', join(dir, link));

    const found = await leftovers([dir], false);
    expect(found.paths).toEqual([join(dir, dead), join(dir, staleLive)]);
    expect(readdirSync(dir)).toHaveLength(5);
    const removed = await leftovers([dir, dir, join(dir, 'gone')], true);
    expect(removed).toEqual({ paths: [join(dir, dead), join(dir, staleLive)], failed: [] });
    expect(readdirSync(dir).sort()).toEqual([live, link, 'a.ts'].sort());
  });
});

describe('the lock', () => {
  it('lives in the git folder of the first path, and is released by its holder only', async () => {
    const root = scratch();
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    const lock = await takeLock(['src/deep'], root);
    expect(lock.kind).toBe('taken');
    expect(lock.path).toBe(join(root, '.git', 'migrate-interactions.lock'));
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    // Same process, second take: refused (it is one tree, whoever asks).
    const second = await takeLock(['.'], root);
    expect(second).toMatchObject({ kind: 'held', holder: { pid: process.pid } });
    if (lock.kind === 'taken') await lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('follows a worktree .git file, and outside git sits in the named folder', async () => {
    const root = scratch();
    mkdirSync(join(root, 'real-git-dir'));
    mkdirSync(join(root, 'wt'));
    writeFileSync(join(root, 'wt', '.git'), 'gitdir: ../real-git-dir\n');
    const inWorktree = await takeLock(['.'], join(root, 'wt'));
    expect(inWorktree.path).toBe(join(root, 'real-git-dir', 'migrate-interactions.lock'));
    const plain = scratch();
    const outside = await takeLock([], plain);
    expect(outside.path).toBe(join(plain, '.migrate-interactions.lock'));
    for (const l of [inWorktree, outside]) if (l.kind === 'taken') await l.release();
  });

  it('takes over a dead holder or an old unreadable lock, not a fresh unreadable one or any holder on another host', async () => {
    const dir = scratch();
    const path = join(dir, '.migrate-interactions.lock');
    const cases: Array<[string, 'taken' | 'held', (() => void)?]> = [
      [JSON.stringify({ pid: deadPid(), host: hostname(), started: 'then' }), 'taken'],
      ['', 'held'],
      ['', 'taken', () => utimesSync(path, new Date(0), new Date(0))],
      [JSON.stringify({ pid: deadPid(), host: 'another-machine', started: 'then' }), 'held'],
    ];
    for (const [content, expected, prepare] of cases) {
      writeFileSync(path, content);
      prepare?.();
      const lock = await takeLock([], dir);
      expect(lock.kind, content || 'empty').toBe(expected);
      if (lock.kind === 'taken') {
        expect(lock.notice).toMatch(/^removed (the|an unreadable) lock/);
        await lock.release();
      }
      rmSync(path, { force: true });
    }
  });
});

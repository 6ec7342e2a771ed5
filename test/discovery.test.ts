import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALWAYS_SKIPPED_DIRS, discover, SOURCE_EXTENSIONS } from '../src/discovery.js';

let root: string;

beforeEach(async () => {
  // realpath: on macOS os.tmpdir() is itself behind a symlink.
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'discovery-')));
});

afterEach(async () => {
  await chmodAll(root);
  await rm(root, { recursive: true, force: true });
});

async function chmodAll(dir: string): Promise<void> {
  await chmod(path.join(dir, 'locked'), 0o755).catch(() => undefined);
}

/** Creates files (content '') and folders (names ending in '/') under `root`. */
async function tree(entries: Record<string, string> | string[], base = root): Promise<void> {
  const pairs = Array.isArray(entries) ? entries.map((name) => [name, ''] as const) : Object.entries(entries);
  for (const [name, content] of pairs) {
    const abs = path.join(base, name);
    if (name.endsWith('/')) {
      await mkdir(abs, { recursive: true });
    } else {
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
  }
}

async function found(paths: string[] = [], ignore?: string[], cwd = root): Promise<string[]> {
  const result = await discover(paths, { cwd, ignore });
  return result.files.map((file) => file.displayPath);
}

describe('discover', () => {
  it('takes source extensions and skips declaration files', async () => {
    await tree([
      'a.ts', 'b.tsx', 'c.mts', 'd.cts', 'e.js', 'f.jsx', 'g.mjs', 'h.cjs',
      'types.d.ts', 'types.d.mts', 'types.d.cts', 'readme.md', 'data.json', 'noext', 'x.ts.bak',
    ]);
    expect(await found()).toEqual(['a.ts', 'b.tsx', 'c.mts', 'd.cts', 'e.js', 'f.jsx', 'g.mjs', 'h.cjs']);
    expect(SOURCE_EXTENSIONS).toHaveLength(8);
  });

  it('returns absolute, real and display paths, sorted by display path', async () => {
    await tree(['z/b.ts', 'a.ts', 'z/a.ts', 'm/deep/er/x.ts', 'B.ts']);
    const result = await discover([], { cwd: root });
    expect(result.files.map((f) => f.displayPath)).toEqual(['B.ts', 'a.ts', 'm/deep/er/x.ts', 'z/a.ts', 'z/b.ts']);
    expect(result.files[2]).toEqual({
      absPath: path.join(root, 'm/deep/er/x.ts'),
      realPath: path.join(root, 'm/deep/er/x.ts'),
      displayPath: 'm/deep/er/x.ts',
    });
    expect(result).toMatchObject({ problems: [], missing: [] });
    // Same answer again: order does not depend on I/O timing.
    expect(await found()).toEqual(result.files.map((f) => f.displayPath));
  });

  it('shows paths outside cwd as absolute', async () => {
    await tree(['pkg/a.ts', 'here/']);
    const result = await discover([path.join(root, 'pkg')], { cwd: path.join(root, 'here') });
    expect(result.files.map((f) => f.displayPath)).toEqual([path.join(root, 'pkg/a.ts')]);
  });

  it('honours the root .gitignore', async () => {
    // With a UTF-8 BOM, which git skips.
    await tree({ '.gitignore': '\uFEFFgenerated/\n*.gen.ts\n/top-only.ts\n', 'a.ts': '', 'x.gen.ts': '', 'top-only.ts': '' });
    await tree(['generated/g.ts', 'src/generated/g.ts', 'src/y.gen.ts', 'src/top-only.ts', 'src/ok.ts']);
    expect(await found()).toEqual(['a.ts', 'src/ok.ts', 'src/top-only.ts']);
  });

  it('honours nested .gitignore files relative to their folder, with negations', async () => {
    await tree({
      '.gitignore': '*.gen.ts\n',
      'pkg/.gitignore': '/out/\nlocal.ts\n!keep.gen.ts\n',
      'pkg/out/o.ts': '',
      'pkg/src/out/o.ts': '', // '/out/' is anchored to pkg/, not pkg/src/
      'pkg/local.ts': '',
      'pkg/src/local.ts': '',
      'pkg/keep.gen.ts': '',
      'pkg/drop.gen.ts': '',
      'keep.gen.ts': '', // the negation only applies inside pkg/
      'out/o.ts': '',
      // Name-only patterns (CRLF line endings) match at any depth below their folder only.
      'pkg/sub/.gitignore': 'tmp\r\n*.old.ts\r\n',
      'pkg/sub/deep/tmp/t.ts': '',
      'pkg/sub/deep/x.old.ts': '',
      'pkg/tmp/t.ts': '',
    });
    expect(await found()).toEqual(['out/o.ts', 'pkg/keep.gen.ts', 'pkg/src/out/o.ts', 'pkg/tmp/t.ts']);
  });

  it('walks into a folder a deeper .gitignore re-includes', async () => {
    // '/x' makes the root rules path-based, where `ignore` also tests the parent folders.
    await tree({ '.gitignore': 'gen/\n/x\n*.old.ts\n', 'pkg/.gitignore': '!gen/\n', 'pkg/gen/a.ts': '', 'pkg/gen/b.old.ts': '', 'gen/b.ts': '' });
    expect(await found()).toEqual(['pkg/gen/a.ts']);
  });

  it('honours .gitignore files between the git root and a walked subfolder', async () => {
    await tree({
      '.git/': '',
      '.gitignore': 'secret.ts\npackages/app/src/gen/\n',
      'packages/.gitignore': 'fixtures/\n',
      'packages/app/src/a.ts': '',
      'packages/app/src/secret.ts': '',
      'packages/app/src/gen/g.ts': '',
      'packages/app/src/fixtures/f.ts': '',
    });
    expect(await found(['packages/app/src'])).toEqual(['packages/app/src/a.ts']);
    // Also when run from inside the subfolder.
    expect(await found([], undefined, path.join(root, 'packages/app'))).toEqual(['src/a.ts']);
  });

  it('does not apply outer .gitignore files inside a nested repository', async () => {
    await tree({ '.git/': '', '.gitignore': '*.gen.ts\n', 'a.gen.ts': '', 'vendored/.git/': '', 'vendored/b.gen.ts': '' });
    expect(await found()).toEqual(['vendored/b.gen.ts']);
  });

  it('outside a git repository, honours .gitignore files from cwd down only', async () => {
    await tree({ '.gitignore': 'a.ts\n', 'sub/a.ts': '', 'sub/b.ts': '' });
    expect(await found(['sub'])).toEqual(['sub/b.ts']);
    expect(await found([], undefined, path.join(root, 'sub'))).toEqual(['a.ts', 'b.ts']);
  });

  it('walks a folder that is named explicitly even if gitignored, but not its ignored content', async () => {
    await tree({ '.git/': '', '.gitignore': '/vendor/\n*.gen.ts\n', 'vendor/v.ts': '', 'vendor/v.gen.ts': '', 'vendor/sub/w.ts': '' });
    expect(await found()).toEqual([]);
    expect(await found(['vendor'])).toEqual(['vendor/sub/w.ts', 'vendor/v.ts']);
    expect(await found(['vendor/sub'])).toEqual(['vendor/sub/w.ts']);
  });

  it('takes an explicitly named file even if gitignored or in an always-skipped folder, but not a .d.ts', async () => {
    await tree({ '.gitignore': 'ignored.ts\n', 'ignored.ts': '', 'node_modules/m.ts': '', 'x.d.ts': '', 'notes.md': '' });
    expect(await found(['ignored.ts', 'node_modules/m.ts', 'x.d.ts', 'notes.md'])).toEqual(['ignored.ts', 'node_modules/m.ts']);
  });

  it('applies --ignore globs relative to cwd, to walked and named paths', async () => {
    await tree(['legacy/a.ts', 'src/legacy/b.ts', 'src/a.ts', 'src/a.spec.ts', 'deep/x/y.spec.ts', 'old/o.ts', 'keep.ts']);
    expect(await found([], ['legacy/**', '**/*.spec.ts', 'old/'])).toEqual(['keep.ts', 'src/a.ts', 'src/legacy/b.ts']);
    expect(await found(['src/a.spec.ts', 'src/a.ts'], ['*.spec.ts'])).toEqual(['src/a.ts']);
    // Relative to cwd, not to the walked folder.
    expect(await found(['src'], ['legacy/**'])).toEqual(['src/a.spec.ts', 'src/a.ts', 'src/legacy/b.ts']);
  });

  it('always skips the usual output and dependency folders, at any depth', async () => {
    const skipped = ALWAYS_SKIPPED_DIRS.flatMap((dir) => [`${dir}/a.ts`, `src/${dir}/a.ts`]);
    await tree([...skipped, 'src/a.ts', 'src/builder/a.ts']);
    expect(await found()).toEqual(['src/a.ts', 'src/builder/a.ts']);
    // Named explicitly, a skipped folder is walked, but not the skipped folders inside it.
    await tree(['dist/node_modules/x.ts']);
    expect(await found(['dist'])).toEqual(['dist/a.ts']);
  });

  it('reports a symlink loop and terminates', async () => {
    await tree(['a/b/x.ts']);
    await symlink('..', path.join(root, 'a/b/up'));
    await symlink('.', path.join(root, 'a/self'));
    const result = await discover([], { cwd: root });
    expect(result.files.map((f) => f.displayPath)).toEqual(['a/b/x.ts']);
    expect(result.problems.map((p) => [p.path, p.kind])).toEqual([
      ['a/b/up', 'symlink-loop'],
      ['a/self', 'symlink-loop'],
    ]);
  });

  it('does not follow a symlink out of the named roots, and reports it', async () => {
    await tree(['proj/a.ts', 'outside/o.ts']);
    await symlink(path.join(root, 'outside'), path.join(root, 'proj/ext'));
    await symlink(path.join(root, 'outside/o.ts'), path.join(root, 'proj/o.ts'));
    const result = await discover(['proj'], { cwd: root });
    expect(result.files.map((f) => f.displayPath)).toEqual(['proj/a.ts']);
    expect(result.problems.map((p) => [p.path, p.kind])).toEqual([
      ['proj/ext', 'outside-root'],
      ['proj/o.ts', 'outside-root'],
    ]);
    // Naming the outside folder too makes it a root, so the links are fine.
    const both = await discover(['proj', 'outside'], { cwd: root });
    expect(both.problems).toEqual([]);
    expect(both.files.map((f) => f.displayPath)).toEqual(['outside/o.ts', 'proj/a.ts']);
  });

  it('follows a symlinked folder inside the root whose target is not walked otherwise', async () => {
    await tree({ '.gitignore': 'real/\n', 'real/r.ts': '' });
    await symlink('real', path.join(root, 'alias'));
    const result = await discover([], { cwd: root });
    expect(result.files).toEqual([
      { absPath: path.join(root, 'alias/r.ts'), realPath: path.join(root, 'real/r.ts'), displayPath: 'alias/r.ts' },
    ]);
  });

  it('returns a file once when named twice, and prefers a direct path over a symlink', async () => {
    await tree(['src/a.ts']);
    await symlink('src', path.join(root, 'a-link'));
    await symlink('src/a.ts', path.join(root, 'a-file-link.ts'));
    const result = await discover(['src/a.ts', './src/a.ts', 'a-link/a.ts', '.', 'a-file-link.ts'], { cwd: root });
    expect(result.files).toEqual([{ absPath: path.join(root, 'src/a.ts'), realPath: path.join(root, 'src/a.ts'), displayPath: 'src/a.ts' }]);
    expect(result.problems).toEqual([]);
  });

  it('reports broken symlinks', async () => {
    await tree(['a.ts']);
    await symlink('nowhere.ts', path.join(root, 'broken.ts'));
    await symlink('nowhere', path.join(root, 'broken-dir'));
    await symlink('nowhere.md', path.join(root, 'broken.md')); // not a source file: not worth a report
    const result = await discover([], { cwd: root });
    expect(result.files.map((f) => f.displayPath)).toEqual(['a.ts']);
    expect(result.problems.map((p) => [p.path, p.kind])).toEqual([
      ['broken-dir', 'broken-symlink'],
      ['broken.ts', 'broken-symlink'],
    ]);
    const named = await discover(['broken.ts'], { cwd: root });
    expect(named.problems.map((p) => p.kind)).toEqual(['broken-symlink']);
  });

  it('lists missing paths', async () => {
    await tree(['a.ts']);
    const result = await discover(['a.ts', 'nope', 'nope/*.ts', 'a.ts/x'], { cwd: root });
    expect(result.missing).toEqual(['nope', 'nope/*.ts', 'a.ts/x']);
    expect(result.files.map((f) => f.displayPath)).toEqual(['a.ts']);
  });

  it('expands a glob argument with the same skip rules', async () => {
    await tree({
      '.gitignore': 'gen/\n',
      'src/a.ts': '',
      'src/a.spec.ts': '',
      'src/sub/b.ts': '',
      'src/gen/g.ts': '',
      'src/node_modules/m.ts': '',
      'src/notes.md': '',
      'packages/p1/index.ts': '',
      'packages/p2/lib/index.ts': '',
    });
    expect(await found(['src/**/*.ts'], ['*.spec.ts'])).toEqual(['src/a.ts', 'src/sub/b.ts']);
    // A glob matching folders walks them.
    expect(await found(['packages/*'])).toEqual(['packages/p1/index.ts', 'packages/p2/lib/index.ts']);
    // A glob whose matches are all skipped matches nothing.
    expect((await discover(['src/**/g.ts'], { cwd: root })).missing).toEqual(['src/**/g.ts']);
    // Its static part is named explicitly, like a named folder.
    expect(await found(['src/gen/*.ts'])).toEqual(['src/gen/g.ts']);
  });

  it('takes a path with glob characters literally when it exists', async () => {
    await tree(['app/[id]/page.tsx', 'app/x/page.tsx']);
    expect(await found(['app/[id]/page.tsx'])).toEqual(['app/[id]/page.tsx']);
  });

  it('reports an unreadable folder and goes on (or, as root, simply walks it)', async () => {
    await tree(['locked/secret.ts', 'open/a.ts']);
    await chmod(path.join(root, 'locked'), 0o000);
    const result = await discover([], { cwd: root });
    const isRoot = process.getuid?.() === 0;
    if (isRoot) {
      // root bypasses permission bits: the folder is just walked.
      expect(result.problems).toEqual([]);
      expect(result.files.map((f) => f.displayPath)).toEqual(['locked/secret.ts', 'open/a.ts']);
    } else {
      expect(result.problems.map((p) => [p.path, p.kind])).toEqual([['locked', 'unreadable']]);
      expect(result.files.map((f) => f.displayPath)).toEqual(['open/a.ts']);
    }
  });

  it('walks a very deep tree without overflowing the stack', async () => {
    const deep = Array.from({ length: 1000 }, () => 'd').join('/');
    await tree([`${deep}/x.ts`]);
    expect(await found()).toEqual([`${deep}/x.ts`]);
  });
});

// What the speed work must not break, checked for correctness and never for time (timing lives in
// `npm run bench`): a low open-file limit, no ts-morph on runs that do not need it, and the pieces of the
// read loop (buffer reuse, relative specifiers, the .gitignore fast path).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTree, type GeneratedTree } from '../scripts/gen-tree.mjs';
import { discover } from '../src/discovery.js';
import { FileReader, relativeSpecifiers } from '../src/prefilter.js';
import { CLI } from './helpers/cli.js';
import { ROOT } from './helpers/temp-project.js';

let scratch: string;
beforeAll(() => {
  scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'mi-perf-')));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const env = { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: undefined } as NodeJS.ProcessEnv;

describe('a generated 3,000-file monorepo', () => {
  let tree: GeneratedTree & { dir: string };
  beforeAll(() => {
    const dir = path.join(scratch, 'tree');
    tree = { dir, ...generateTree(dir, { files: 3000, gemini: 0.5, seed: 7 }) };
  });

  it('is checked completely under `ulimit -n 256`', () => {
    // `ulimit -n` is printed first, to prove the limit is in force for the CLI that `exec` starts.
    const r = spawnSync('sh', ['-c', `ulimit -n 256 && ulimit -n && exec "${process.execPath}" "${CLI}" --check --no-progress .`], {
      cwd: tree.dir,
      env,
      encoding: 'utf8',
    });
    const [limit, ...lines] = r.stdout.split('\n');
    expect(limit).toBe('256');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(lines.find((l) => l.startsWith('migrate-interactions: '))).toMatch(/^migrate-interactions: 3000 files scanned, .* 0 errors/);
    const listed = lines.filter((l) => l.startsWith('would change: ')).map((l) => l.slice('would change: '.length));
    // Every file the generator wrote to be migrated, and nothing but Gemini files (other transforms may change more of those).
    expect(tree.expectedChanged.length).toBeGreaterThan(5);
    expect(listed).toEqual(expect.arrayContaining(tree.expectedChanged));
    expect(listed.filter((f) => !tree.gemini.includes(f))).toEqual([]);
  });

  // From the first hit on, big trees are read on a worker thread while the main thread loads ts-morph and parses
  // the libraries (runner.ts); MIGRATE_INTERACTIONS_READ_WORKER_FILES moves the threshold so both paths run here.
  it('migrates byte for byte the same whether the reads go to a worker thread or not, also under `ulimit -n 256`', () => {
    const diff = (workerFrom: string) => {
      const r = spawnSync('sh', ['-c', `ulimit -n 256 && exec "${process.execPath}" "${CLI}" --diff --no-progress .`], {
        cwd: tree.dir,
        env: { ...env, MIGRATE_INTERACTIONS_READ_WORKER_FILES: workerFrom },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(r.status, r.stderr).toBe(0);
      return { patch: r.stdout, summary: r.stderr.replace(/, [\d.]+s\n/, '\n') };
    };
    const single = diff('1000000000');
    expect(single.patch).toContain('+++ b/');
    expect(diff('1')).toEqual(single);
    // A worker that cannot start (here: a build without its module) leaves its share to the main thread, silently.
    const build = path.join(scratch, 'build-without-worker');
    cpSync(path.join(ROOT, 'dist'), path.join(build, 'dist'), { recursive: true });
    rmSync(path.join(build, 'dist', 'src', 'read-worker.js'));
    cpSync(path.join(ROOT, 'package.json'), path.join(build, 'package.json'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(build, 'node_modules'), 'dir');
    const r = spawnSync(process.execPath, [path.join(build, 'dist', 'src', 'cli.js'), '--diff', '--no-progress', '.'], {
      cwd: tree.dir,
      env: { ...env, MIGRATE_INTERACTIONS_READ_WORKER_FILES: '1' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect({ patch: r.stdout, summary: r.stderr.replace(/, [\d.]+s\n/, '\n') }).toEqual(single);
  });
});

describe('lazy loading', () => {
  // A preload that lists the CommonJS modules loaded (ts-morph and TypeScript are CommonJS) when the process exits.
  const probe = (args: string[], cwd: string): string[] => {
    const probeFile = path.join(scratch, 'probe.cjs');
    const out = path.join(scratch, `loaded-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(probeFile, "process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, Object.keys(require.cache).join('\\n')));\n");
    const r = spawnSync(process.execPath, ['--require', probeFile, CLI, ...args], { cwd, env: { ...env, PROBE_OUT: out }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBeLessThan(2);
    return readFileSync(out, 'utf8').split('\n');
  };
  const loadsTsMorph = (modules: string[]) => modules.some((m) => m.includes(`${path.sep}ts-morph${path.sep}`) || m.includes(`${path.sep}typescript${path.sep}`));

  let project: string;
  beforeAll(() => {
    project = path.join(scratch, 'lazy');
    mkdirSync(path.join(project, 'src'), { recursive: true });
    writeFileSync(path.join(project, 'src', 'plain.ts'), "export const answer = 42;\nimport './other.js';\n");
    writeFileSync(path.join(project, 'src', 'other.ts'), 'export {};\n');
  });

  it('does not load ts-morph for --help, --version or a run where no file passes the prefilter', () => {
    expect(loadsTsMorph(probe(['--help'], project))).toBe(false);
    expect(loadsTsMorph(probe(['--version'], project))).toBe(false);
    expect(loadsTsMorph(probe(['--check', '.'], project))).toBe(false);
    // --only and --skip are checked against the ids alone, not the transforms (which load ts-morph).
    expect(loadsTsMorph(probe(['--check', '--only', 'model-id-swap', '--skip', 'legacy-remnants', '.'], project))).toBe(false);
  });

  it('knows the registry ids without loading the registry, in its order', async () => {
    const [{ transforms }, { TRANSFORM_IDS }] = await Promise.all([import('../transforms/index.js'), import('../src/transform-ids.js')]);
    expect(TRANSFORM_IDS).toEqual(transforms.map((t) => t.id));
  });

  it('loads it once a file passes the prefilter (the probe sees it)', () => {
    const dir = path.join(scratch, 'lazy-hit');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'a.ts'), "export const model = { model: 'gemini-2.5-flash' };\n");
    expect(loadsTsMorph(probe(['--check', '.'], dir))).toBe(true);
  });
});

describe('FileReader', () => {
  it('reads files of any size whole, and empty ones', () => {
    const dir = path.join(scratch, 'reader');
    mkdirSync(dir, { recursive: true });
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 'x'); // past the initial buffer, several times
    big.write('gemini-pro', big.length - 10);
    writeFileSync(path.join(dir, 'big.js'), big);
    writeFileSync(path.join(dir, 'empty.js'), '');
    writeFileSync(path.join(dir, 'small.js'), 'const a = 1;\n');
    const reader = new FileReader();
    expect(reader.read(path.join(dir, 'small.js')).toString()).toBe('const a = 1;\n');
    expect(reader.read(path.join(dir, 'big.js')).equals(big)).toBe(true);
    expect(reader.read(path.join(dir, 'empty.js')).length).toBe(0);
    expect(reader.read(path.join(dir, 'small.js')).toString()).toBe('const a = 1;\n');
    expect(() => reader.read(path.join(dir, 'missing.js'))).toThrow(/ENOENT/);
  });
});

describe('relativeSpecifiers', () => {
  it('finds the relative specifiers of every import form, and only quoted ./ and ../ strings', () => {
    const source = [
      "import { a } from './a.js';",
      'import b from "../lib/b";',
      "export * from './c/index.js';",
      "const d = await import('./d.mjs');",
      "const e = require('../../e.cjs');",
      "import './side-effect.js';",
      "import x from 'package';",
      "const f = '.hidden';",
      "const g = 'text ./not-a-specifier';",
      "const h = './unterminated",
      "';",
      "import ü from './ünïcode.js';",
    ].join('\n');
    expect(relativeSpecifiers(Buffer.from(source)).sort()).toEqual(
      ['./a.js', '../lib/b', './c/index.js', './d.mjs', '../../e.cjs', './side-effect.js', './ünïcode.js'].sort(),
    );
    expect(relativeSpecifiers(Buffer.from(''))).toEqual([]);
    expect(relativeSpecifiers(Buffer.from("'./"))).toEqual([]);
  });
});

describe('the .gitignore fast path for file names', () => {
  it('gives the same answers as the full rules', async () => {
    const root = path.join(scratch, 'ignores');
    const files: Record<string, string> = {
      '.gitignore': '*.log.js\nsecret.ts\n!keep.log.js\nbuild-output/\n# comment\n\n',
      'pkg/.gitignore': 'gen-*.ts\n*.tmp.ts\n', // 'gen-*.ts' is not a simple ending: the full rules decide
      'a.ts': '',
      'x.log.js': '',
      'keep.log.js': '',
      'secret.ts': '',
      'not-secret.ts': '',
      'pkg/gen-a.ts': '',
      'pkg/b.tmp.ts': '',
      'pkg/c.ts': '',
      'pkg/deep/x.log.js': '',
      'pkg/deep/secret.ts': '',
      'pkg/deep/d.ts': '',
    };
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), content);
    }
    mkdirSync(path.join(root, '.git'));
    const found = (await discover(['.'], { cwd: root })).files.map((f) => f.displayPath);
    expect(found).toEqual(['a.ts', 'keep.log.js', 'not-secret.ts', 'pkg/c.ts', 'pkg/deep/d.ts']);
  });
});

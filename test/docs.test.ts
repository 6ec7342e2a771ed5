// Documentation that cannot drift: one page per transform, every TODO reason explained, all of it regenerated.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TODO_PREFIX, TODO_REASONS } from '../src/todo-reasons.js';
import { transforms } from '../transforms/index.js';
import { FIXTURES } from './helpers/fixture-cases.js';
import { ROOT } from './helpers/temp-project.js';

const NOT_TRANSFORMS = new Set(['sample-app', 'programs']);
const sorted = (xs: Iterable<string>) => [...xs].sort();

/** `npm run docs` without its build step: `npm test` has just built dist/. */
function docs(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'docs.mjs'), '--no-build', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('one to one', () => {
  const ids = sorted(transforms.map((t) => t.id));

  it('registry ids are unique', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('each registry id has its transforms/<id>.ts, and each transform file is registered', () => {
    const files = readdirSync(join(ROOT, 'transforms')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    expect(sorted(files.map((f) => f.replace(/\.ts$/, '')))).toEqual(ids);
  });
  it('each registry id has its fixtures/<id>/ folder, and each fixture folder a transform', () => {
    const folders = readdirSync(FIXTURES).filter((f) => !NOT_TRANSFORMS.has(f) && statSync(join(FIXTURES, f)).isDirectory());
    expect(sorted(folders)).toEqual(ids);
  });
  it('each registry id has its docs/transforms/<id>.md page, and each page a transform', () => {
    const pages = readdirSync(join(ROOT, 'docs', 'transforms')).filter((f) => f.endsWith('.md'));
    expect(sorted(pages.map((f) => f.replace(/\.md$/, '')))).toEqual(ids);
  });
});

describe('content', () => {
  it('docs/todo-reasons.md has an entry for every TODO reason, with its comment and what to do by hand', () => {
    const page = readFileSync(join(ROOT, 'docs', 'todo-reasons.md'), 'utf8');
    const headings = [...page.matchAll(/^## `([a-z0-9-]+)`$/gm)].map((m) => m[1]);
    expect(headings).toEqual(Object.keys(TODO_REASONS));
    for (const [reason, { message, manual }] of Object.entries(TODO_REASONS)) {
      const entry = page.slice(page.indexOf(`## \`${reason}\``)).split(/\n## /)[0]!;
      expect(entry, reason).toContain(`\`${TODO_PREFIX}${message}\``);
      expect(entry, reason).toContain(`What to do by hand: ${manual}`);
    }
  });

  it('every TODO reason a transform documents is one it may write, and each page shows a real fixture', () => {
    for (const t of transforms) {
      expect(t.docs, `${t.id} has no docs field`).toBeDefined();
      const page = readFileSync(join(ROOT, 'docs', 'transforms', `${t.id}.md`), 'utf8');
      for (const reason of Object.keys(t.docs!.todos)) expect(page, t.id).toContain(`### \`${reason}\``);
      const example = t.docs!.examples[0]!;
      const input = [`${example}.input.ts`, `${example}/input`].map((p) => join(FIXTURES, t.id, p)).find(existsSync);
      expect(input, `${t.id}: example ${example}`).toBeDefined();
      // The fixture's text is in the page as it is on disk: included, not retyped.
      const first = statSync(input!).isDirectory() ? join(input!, readdirSync(input!).sort()[0]!) : input!;
      expect(page).toContain(readFileSync(first, 'utf8').trimEnd());
    }
  });
});

describe('npm run docs --check', () => {
  it('passes: the pages, the TODO reasons and the README table are up to date', () => {
    const r = docs(['--check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  describe('fails, naming the file, when', () => {
    // A copy of what the generator reads and writes, so the real tree is never touched.
    const root = mkdtempSync(join(tmpdir(), 'mi-docs-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const fresh = () => {
      rmSync(root, { recursive: true, force: true });
      for (const p of ['README.md', 'docs', 'fixtures']) cpSync(join(ROOT, p), join(root, p), { recursive: true, filter: (src) => !src.includes('node_modules') });
    };

    it('the README table is edited by hand', () => {
      fresh();
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      writeFileSync(join(root, 'README.md'), readme.replace(/^\| \[`model-id-swap`\].*$/m, '| `model-id-swap` | swaps ids |'));
      const r = docs(['--check', '--root', root]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('docs: README.md: stale');
    });

    it('a page is missing, a page has no transform, or a fixture shown changed', () => {
      fresh();
      rmSync(join(root, 'docs', 'transforms', 'model-id-swap.md'));
      writeFileSync(join(root, 'docs', 'transforms', 'gone.md'), '# gone\n');
      const r = docs(['--check', '--root', root]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('docs: docs/transforms/model-id-swap.md: stale');
      expect(r.stderr).toContain('docs: docs/transforms/gone.md: no such transform any more');

      fresh();
      const fixture = join(root, 'fixtures', 'model-id-swap', `${transforms.find((t) => t.id === 'model-id-swap')!.docs!.examples[0]}.output.ts`);
      writeFileSync(fixture, readFileSync(fixture, 'utf8') + '// changed\n');
      expect(docs(['--check', '--root', root]).stderr).toContain('docs: docs/transforms/model-id-swap.md: stale');
    });

    it('without --check it rewrites what is stale, after which --check passes', () => {
      fresh();
      writeFileSync(join(root, 'docs', 'todo-reasons.md'), 'hand-written\n');
      const r = docs(['--root', root]);
      expect(r.stdout).toContain('docs: wrote docs/todo-reasons.md');
      expect(readFileSync(join(root, 'docs', 'todo-reasons.md'), 'utf8')).toBe(readFileSync(join(ROOT, 'docs', 'todo-reasons.md'), 'utf8'));
      expect(docs(['--check', '--root', root]).code).toBe(0);
    });
  });
});

// The jscodeshift transform, run by the real jscodeshift CLI on copies of the fixtures, against the CLI's own output.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transform as JscodeshiftTransform } from 'jscodeshift';
import { afterAll, describe, expect, it } from 'vitest';
import transform from '../src/jscodeshift.js';
import { cli } from './helpers/cli.js';
import { fixtureCases, type FixtureCase } from './helpers/fixture-cases.js';
import { ROOT, tempProject } from './helpers/temp-project.js';

const JSCODESHIFT = join(ROOT, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js');
const ADAPTER = join(ROOT, 'dist', 'src', 'jscodeshift.cjs');

// The adapter's signature is one jscodeshift accepts (checked by tsc, which type-checks the tests).
void (transform satisfies JscodeshiftTransform);

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));
function project(files: Record<string, string | Buffer>): string {
  const p = tempProject(files);
  cleanups.push(p.cleanup);
  return p.dir;
}

/** Runs jscodeshift as a user would (`-t` the shipped `.cjs`, Babel on by default), without colours. */
function jscodeshift(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [JSCODESHIFT, '-t', ADAPTER, ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name));
/** The files whose bytes differ between two folders. */
const differing = (a: string, b: string, names: string[]) => names.filter((n) => !read(a, n).equals(read(b, n)));

const byTransform = new Map<string, FixtureCase[]>();
for (const c of fixtureCases()) byTransform.set(c.transform, [...(byTransform.get(c.transform) ?? []), c]);

/** A transform's cases in one project, as a user's tree: one-file cases at the top, multi-file cases in a folder each. */
function projectFiles(cases: FixtureCase[]): Record<string, string> {
  // A package.json, as a real project has: the adapter looks for importers under the nearest one.
  const files: Record<string, string> = { 'package.json': JSON.stringify({ name: 'app', private: true }) };
  for (const c of cases) {
    for (const f of c.files) files[c.files.length > 1 ? `${c.name}/${f.name}` : f.name] = readFileSync(f.input, 'utf8');
  }
  // A BOM and CRLF line endings must come through as the CLI keeps them.
  const first = cases.find((c) => c.files.length === 1 && c.files[0]!.output)!.files[0]!;
  files[`crlf-bom-${first.name}`] = '\uFEFF' + readFileSync(first.input, 'utf8').replace(/\r?\n/g, '\r\n');
  return files;
}

describe.each([...byTransform.keys()])('fixtures/%s', (transformId) => {
  it('jscodeshift writes byte-identical files to the CLI, and skips the files it does not change', () => {
    const files = projectFiles(byTransform.get(transformId)!);
    const sources = Object.keys(files).filter((n) => n !== 'package.json').sort();

    const viaCli = project(files);
    const cliRun = cli(['--only', transformId, '--no-progress', '.'], { cwd: viaCli });
    expect(cliRun.code, cliRun.stdout + cliRun.stderr).toBe(0);
    const viaJscodeshift = project(files);
    const run = jscodeshift([`--only=${transformId}`, ...sources], viaJscodeshift);
    expect(run.code, run.stderr).toBe(0);

    expect(differing(viaCli, viaJscodeshift, sources)).toEqual([]);
    const changed = sources.filter((n) => !read(viaCli, n).equals(Buffer.from(files[n]!)));
    expect(changed.length).toBeGreaterThan(0); // not a comparison of untouched copies
    expect(run.stdout).toContain('0 errors');
    expect(run.stdout).toContain(`${changed.length} ok`);
    expect(run.stdout).toContain(`${sources.length - changed.length} skipped`); // undefined, not the same text back
    expect(run.stdout).toContain('0 unmodified');
  }, 400_000);
});

describe('what one file does not show', () => {
  const dir = join(ROOT, 'fixtures', 'model-id-swap', 'config-module');
  const config = readFileSync(join(dir, 'input', 'config.ts'), 'utf8');
  const app = readFileSync(join(dir, 'input', 'app.ts'), 'utf8').replace("'./config.js'", "'../config/config.js'");

  it('the modules linked to this file under its package.json are read, as the CLI reads all its files', () => {
    const files = { 'package.json': '{}', 'config.ts': config, 'app.ts': readFileSync(join(dir, 'input', 'app.ts'), 'utf8') };
    const viaJscodeshift = project(files);
    // config.ts alone says nothing of models; app.ts, which imports it, does.
    const run = jscodeshift(['--only=model-id-swap', 'config.ts'], viaJscodeshift);
    expect(run.code, run.stderr).toBe(0);
    expect(read(viaJscodeshift, 'config.ts').toString()).toBe(readFileSync(join(dir, 'output', 'config.ts'), 'utf8'));
    expect(run.stdout).toContain('REP config.ts 2:53 replaced gemini-1.5-flash → gemini-3-flash-preview');
  });

  it('an importer outside that package is not seen: the id is left and listed, as the CLI does given the package alone', () => {
    const files = { 'config/package.json': '{}', 'config/config.ts': config, 'app/package.json': '{}', 'app/app.ts': app };
    const viaJscodeshift = project(files);
    const run = jscodeshift(['--only=model-id-swap', 'config/config.ts', 'app/app.ts'], viaJscodeshift);
    expect(run.code, run.stderr).toBe(0);
    expect(read(viaJscodeshift, 'config/config.ts').toString()).toBe(config);
    expect(run.stdout).toContain('REP config/config.ts 2:53 advisory gemini-1.5-flash: left in place: not used as a model here');
    expect(run.stdout).toContain('2 skipped');

    // The CLI on the folder above both packages follows CHAT_MODEL into app.ts and swaps it...
    const viaCli = project(files);
    cli(['--only', 'model-id-swap', '.'], { cwd: viaCli });
    expect(read(viaCli, 'config/config.ts').toString()).toContain("process.env.CHAT_MODEL ?? 'gemini-3-flash-preview'");
    // ...and given the package alone, it does what jscodeshift did.
    const packageAlone = project(files);
    cli(['--only', 'model-id-swap', 'config'], { cwd: packageAlone });
    expect(differing(packageAlone, viaJscodeshift, ['config/config.ts', 'app/app.ts'])).toEqual([]);
  });
});

describe('jscodeshift options', () => {
  const basic = join(ROOT, 'fixtures', 'model-id-swap', 'basic-literals');
  const input = readFileSync(`${basic}.input.ts`, 'utf8');
  const output = readFileSync(`${basic}.output.ts`, 'utf8');

  it('--dry --print writes nothing, prints the migrated file, and reports each change at its original line', () => {
    const dir = project({ 'a.ts': input });
    const run = jscodeshift(['--dry', '--print', '--only=model-id-swap', 'a.ts'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(read(dir, 'a.ts').toString()).toBe(input);
    expect(run.stdout).toContain(output);
    expect(run.stdout).toContain('REP a.ts 6:60 replaced gemini-1.5-flash → gemini-3-flash-preview');
    expect(run.stdout).toContain('REP a.ts 12:63 advisory gemini-2.5-flash');
    expect(run.stdout).toMatch(/^model ids replaced: 3$/m); // stats, which jscodeshift shows in dry runs
  });

  it('TODOs are reported at their line in the written file; --model-map applies (in band too)', () => {
    const dir = project({
      'a.ts': "import '@google/generative-ai';\ntype M = 'gemini-1.5-flash';\nexport const m: M = 'gemini-1.5-flash';\nexport const o = { model: 'gemini-1.5-pro' };\n",
      'models.json': JSON.stringify({ 'gemini-1.5-pro': 'gemini-3.1-pro-preview' }),
    });
    const run = jscodeshift(['--run-in-band', '--only=model-id-swap', '--model-map=models.json', 'a.ts'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(read(dir, 'a.ts').toString()).toContain("{ model: 'gemini-3.1-pro-preview' }");
    // The TODO line pushed `export const m` from line 3 to line 4.
    expect(run.stdout).toMatch(/REP a\.ts 4:1 TODO\(migrate-interactions\): deprecated model id kept: .* \[model-id-typed\]/);
    expect(run.stdout).toContain('REP a.ts 5:27 replaced gemini-1.5-pro → gemini-3.1-pro-preview');
  });

  it('a file that cannot be parsed or decoded is an error, left byte-identical; --fail-on-error exits 1', () => {
    const latin1 = Buffer.concat([Buffer.from("export const m = { model: 'gemini-1.5-pro' }; // caf"), Buffer.from([0xe9, 0x0a])]);
    const broken = "import '@google/generative-ai';\nconst x = ;\n";
    const dir = project({ 'broken.ts': broken, 'latin1.ts': latin1 });
    const run = jscodeshift(['--fail-on-error', '--only=model-id-swap', 'broken.ts', 'latin1.ts'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ERR broken.ts Transformation error (2:11: syntax error: Expression expected.)');
    expect(run.stdout).toContain('ERR latin1.ts Transformation error (not valid UTF-8: only UTF-8 sources are migrated)');
    expect(read(dir, 'broken.ts').toString()).toBe(broken);
    expect(read(dir, 'latin1.ts').equals(latin1)).toBe(true);
  });

  it('an unknown transform id is an error for every file', () => {
    const dir = project({ 'a.ts': input });
    const run = jscodeshift(['--only=no-such-transform', 'a.ts'], dir);
    expect(run.stdout).toContain("ERR a.ts Transformation error (unknown transform 'no-such-transform'");
    expect(read(dir, 'a.ts').toString()).toBe(input);
  });

  it('the ES module works too where jscodeshift does not compile transforms (--no-babel, require of ESM)', () => {
    const dir = project({ 'a.ts': input });
    const env = { ...process.env, NO_COLOR: '1' };
    const r = spawnSync(process.execPath, [JSCODESHIFT, '--no-babel', '-t', join(ROOT, 'dist', 'src', 'jscodeshift.js'), 'a.ts'], { cwd: dir, encoding: 'utf8', env });
    expect(r.stdout).toContain('1 ok');
    expect(read(dir, 'a.ts').toString()).toContain("'gemini-3-flash-preview'");
  });
});

describe('the adapter in process', () => {
  const api = () => {
    const reports: string[] = [];
    return { reports, report: (m: string) => void reports.push(m), stats: () => undefined };
  };

  const dir = project({ 'package.json': '{}' });

  it('returns undefined for a file it does not change, and for files the CLI never reads', async () => {
    const a = api();
    expect(await transform({ path: join(dir, 'a.ts'), source: 'export const x = 1;\n' }, a)).toBeUndefined();
    expect(await transform({ path: join(dir, 'types.d.ts'), source: "export declare const m: 'gemini-1.5-pro';\n" }, a)).toBeUndefined();
    expect(a.reports).toEqual([]);
  });

  it('returns the migrated text and one report line per finding, in line order', async () => {
    const a = api();
    const source = "import '@google/generative-ai';\nconsole.log('gemini-1.0-pro');\nexport const o = { model: 'gemini-1.5-pro' };\n";
    const out = await transform({ path: join(dir, 'a.ts'), source }, a, { dry: true, only: 'model-id-swap' });
    expect(out).toBe(source.replace("model: 'gemini-1.5-pro'", "model: 'gemini-3-flash-preview'"));
    expect(a.reports).toEqual([
      '2:13 advisory gemini-1.0-pro: left in place: not used as a model here',
      '3:27 replaced gemini-1.5-pro → gemini-3-flash-preview',
    ]);
  });
});

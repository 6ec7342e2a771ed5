import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, cli, git } from './helpers/cli.js';
import { tempProject } from './helpers/temp-project.js';

const LEGACY = `import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');
export const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
`;
const MIGRATED = LEGACY.replace('gemini-1.5-flash', 'gemini-3-flash-preview');
const GENAI = `import { GoogleGenAI } from "@google/genai";
const ai = new GoogleGenAI({});
export const answer = (q: string) => ai.models.generateContent({ model: "gemini-2.0-flash", contents: q });
`;
const PLAIN = `export const add = (a: number, b: number) => a + b;\n`;
// The CLI's mechanics (modes, exit codes, files, git) are tested with the model-id swap alone, whose output is one id;
// the API transforms have their own fixtures and the package.json tests below run them all.
const SWAP = ['--only', 'model-id-swap'];

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function project(files: Record<string, string | Buffer>, opts: { git?: boolean } = {}) {
  const p = tempProject(files);
  cleanup = p.cleanup;
  if (opts.git) {
    git(p.dir, 'init', '-q');
    writeFileSync(join(p.dir, '.gitignore'), 'node_modules\n');
    git(p.dir, 'add', '-A');
    git(p.dir, 'commit', '-qm', 'init');
  }
  return p.dir;
}
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

describe('modes and exit codes', () => {
  it('write mode migrates, reports every substitution, and a second run changes nothing', () => {
    const dir = project({ 'src/a.ts': LEGACY, 'src/b.ts': GENAI, 'src/plain.ts': PLAIN }, { git: true });
    const first = cli([...SWAP, 'src'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(read(dir, 'src/a.ts')).toBe(MIGRATED);
    expect(read(dir, 'src/b.ts')).toContain('model: "gemini-3-flash-preview"');
    expect(read(dir, 'src/plain.ts')).toBe(PLAIN);
    expect(first.stdout).toContain('3 files scanned, 2 parsed, 2 changed');
    expect(first.stdout).toContain('src/a.ts:4:56  gemini-1.5-flash → gemini-3-flash-preview');
    expect(first.stdout).toContain('src/b.ts:3:73  gemini-2.0-flash → gemini-3-flash-preview');

    git(dir, 'commit', '-qam', 'migrated');
    const second = cli([...SWAP, 'src'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 changed');
  });

  it('--dry-run writes nothing and prints the summary', () => {
    const dir = project({ 'a.ts': LEGACY });
    const r = cli([...SWAP, '--dry-run', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(read(dir, 'a.ts')).toBe(LEGACY);
    expect(r.stdout).toContain('1 would change');
  });

  it('--diff prints a unified diff that git apply accepts, and the summary on stderr', () => {
    const dir = project({ 'a.ts': LEGACY }, { git: true });
    const r = cli([...SWAP, '--diff'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^--- a\/a\.ts\n\+\+\+ b\/a\.ts\n@@ /);
    expect(r.stdout).toContain("-export const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });");
    expect(r.stderr).toContain('1 would change');
    expect(read(dir, 'a.ts')).toBe(LEGACY);
    writeFileSync(join(dir, 'x.patch'), r.stdout);
    git(dir, 'apply', 'x.patch');
    expect(read(dir, 'a.ts')).toBe(MIGRATED);
  });

  it('--check fails while a file would change and passes after a write run', () => {
    const dir = project({ 'a.ts': LEGACY, 'plain.ts': PLAIN });
    const before = cli([...SWAP, '--check', '.'], { cwd: dir });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('would change: a.ts');
    expect(read(dir, 'a.ts')).toBe(LEGACY);
    expect(cli([...SWAP, '.'], { cwd: dir }).code).toBe(0);
    expect(cli([...SWAP, '--check', '.'], { cwd: dir }).code).toBe(0);
  });

  it('--check --strict also fails while a TODO remains', () => {
    const dir = project({ 'a.ts': LEGACY.replace('gemini-1.5-flash', 'gemini-2.0-flash-live-001') });
    expect(cli([...SWAP, '.'], { cwd: dir }).code).toBe(0);
    expect(read(dir, 'a.ts')).toContain('// TODO(migrate-interactions): this model has no Interactions equivalent');
    expect(cli([...SWAP, '--check', '.'], { cwd: dir }).code).toBe(0);
    const strict = cli([...SWAP, '--check', '--strict', '.'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('1 TODOs');
  });

  it('prints GitHub annotations under GitHub Actions', () => {
    const dir = project({ 'src/a.ts': LEGACY });
    const r = cli([...SWAP, '--check', 'src'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::warning file=src/a.ts,line=4,col=56,title=migrate-interactions::deprecated model id gemini-1.5-flash');
    expect(cli([...SWAP, '--check', 'src'], { cwd: dir }).stdout).not.toContain('::warning');
  });

  it('a missing path exits 2 and names it', () => {
    const dir = project({ 'a.ts': LEGACY });
    const r = cli(['nope', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file or folder: nope');
    expect(read(dir, 'a.ts')).toBe(LEGACY);
  });

  it.each([
    [['--check', '--diff']],
    [['--strict']],
    [['--only', 'no-such-transform']],
    [['--report', 'out.txt']],
    [['--dryrun']],
  ])('usage error %j exits 2', (args) => {
    const dir = project({ 'a.ts': LEGACY });
    const r = cli([...args, '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(read(dir, 'a.ts')).toBe(LEGACY);
  });

  it('an unknown option suggests the nearest one', () => {
    const r = cli(['--dryrun'], { cwd: project({}) });
    expect(r.stderr).toContain('--dry-run');
  });

  it('a reader that goes away early neither cuts a write run short nor changes its exit code', () => {
    // 1,200 files' substitutions are more than a pipe holds, so the CLI writes into a pipe nobody reads any more.
    const files: Record<string, string> = {};
    for (let i = 0; i < 1200; i++) files[`src/m${i}.ts`] = LEGACY;
    const dir = project(files);
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" --no-progress ${SWAP.join(' ')} . 2>err.txt | true; echo "exit \${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.trim()).toBe('exit 0');
    expect(read(dir, 'err.txt')).not.toMatch(/EPIPE|Error/);
    for (let i = 0; i < 1200; i++) expect(read(dir, `src/m${i}.ts`)).toBe(MIGRATED);
  });

  it('--list-transforms and --help', () => {
    const dir = project({});
    const list = cli(['--list-transforms'], { cwd: dir }).stdout;
    expect(list.split('\n').map((l) => l.split(' ')[0]).filter(Boolean)).toEqual(['generate-content', 'file-manager', 'legacy-remnants', 'model-id-swap']);
    const help = cli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    for (const code of ['0', '1', '2', '3']) expect(help.stdout).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'));
  });
});

describe('reports', () => {
  it('--report .json validates against the published schema and lists every substitution', () => {
    const dir = project({ 'a.ts': LEGACY, 'b.ts': GENAI, 'emb.ts': `import '@google/genai';\nexport const m = { model: 'text-embedding-004' };\n` });
    const r = cli([...SWAP, '--dry-run', '--report', 'report.json', '--report', 'report.md', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(read(dir, 'report.json'));
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'report-schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const valid = validate(report);
    expect(validate.errors).toBeNull();
    expect(valid).toBe(true);
    expect(report.substitutions).toEqual([
      { file: 'a.ts', line: 4, column: 56, from: 'gemini-1.5-flash', to: 'gemini-3-flash-preview', transform: 'model-id-swap' },
      { file: 'b.ts', line: 3, column: 73, from: 'gemini-2.0-flash', to: 'gemini-3-flash-preview', transform: 'model-id-swap' },
    ]);
    expect(report.advisories).toMatchObject([{ file: 'emb.ts', id: 'text-embedding-004', kind: 'embedding' }]);
    expect(report.summary).toMatchObject({ filesScanned: 3, filesChanged: 2, filesWritten: 0, substitutions: 2 });
    const md = read(dir, 'report.md');
    expect(md).toContain('| `a.ts` | 4:56 | `gemini-1.5-flash` | `gemini-3-flash-preview` |');
    expect(md).toContain('## Advisories');
  });

  it('a report that breaks the schema is caught by it', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'report-schema.json'), 'utf8'));
    const validate = new Ajv().compile(schema);
    expect(validate({ schemaVersion: 2 })).toBe(false);
  });
});

describe('files as they are', () => {
  it('CRLF and BOM files round-trip with only the id changed', () => {
    const crlf = LEGACY.replace(/\n/g, '\r\n');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LEGACY)]);
    const dir = project({ 'crlf.ts': crlf, 'bom.ts': bom });
    chmodSync(join(dir, 'crlf.ts'), 0o640);
    expect(cli([...SWAP, '.'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, 'crlf.ts'), 'utf8')).toBe(MIGRATED.replace(/\n/g, '\r\n'));
    expect(readFileSync(join(dir, 'bom.ts'))).toEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MIGRATED)]));
    expect(statSync(join(dir, 'crlf.ts')).mode & 0o777).toBe(0o640);
  });

  it('a TODO line in a CRLF file ends in CRLF', () => {
    const dir = project({ 'a.ts': LEGACY.replace('gemini-1.5-flash', 'aqa').replace(/\n/g, '\r\n') });
    expect(cli([...SWAP, '.'], { cwd: dir }).code).toBe(0);
    const text = read(dir, 'a.ts');
    expect(text).toMatch(/\r\n\/\/ TODO\(migrate-interactions\): [^\r\n]+\r\nexport const model/);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('a syntax error is reported with file:line and left byte-identical; the rest is migrated; exit 3', () => {
    const broken = LEGACY + 'export const oops = (;\n';
    const dir = project({ 'broken.ts': broken, 'good.ts': LEGACY });
    const r = cli([...SWAP, '.'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/broken\.ts:5:\d+ {2}syntax error: /);
    expect(read(dir, 'broken.ts')).toBe(broken);
    expect(read(dir, 'good.ts')).toBe(MIGRATED);
  });

  it('binary and non-UTF-8 files are reported and left alone', () => {
    const binary = Buffer.concat([Buffer.from("import '@google/genai';\n"), Buffer.from([0, 1, 2])]);
    const latin1 = Buffer.concat([Buffer.from("// caf"), Buffer.from([0xe9]), Buffer.from("\nconst m = { model: 'gemini-pro' };\n")]);
    const dir = project({ 'bin.ts': binary, 'latin1.ts': latin1 });
    const r = cli([...SWAP, '.'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/bin\.ts:2:1 {2}binary content/);
    expect(r.stdout).toMatch(/latin1\.ts:1:7 {2}not valid UTF-8/);
    expect(readFileSync(join(dir, 'bin.ts'))).toEqual(binary);
    expect(readFileSync(join(dir, 'latin1.ts'))).toEqual(latin1);
  });
});

describe('git safety', () => {
  it('refuses to write over uncommitted changes without --force, naming the files; writes with --force', () => {
    const dir = project({ 'a.ts': LEGACY, 'b.ts': LEGACY }, { git: true });
    writeFileSync(join(dir, 'b.ts'), LEGACY + '// local edit\n');
    const refused = cli([...SWAP, '.'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('refused to write');
    expect(refused.stdout).toContain('  b.ts');
    expect(read(dir, 'a.ts')).toBe(LEGACY);
    const forced = cli([...SWAP, '--force', '.'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(read(dir, 'b.ts')).toBe(MIGRATED + '// local edit\n');
  });

  it('outside a git repository it says so once and goes on', () => {
    const dir = project({ 'a.ts': LEGACY, 'b.ts': LEGACY });
    const r = cli([...SWAP, '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/not in a git repository/g)).toHaveLength(1);
    expect(read(dir, 'a.ts')).toBe(MIGRATED);
  });
});

describe('package.json', () => {
  const ONE_SHOT = `import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY ?? '');
const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });

export async function ask(prompt: string) {
  return (await model.generateContent(prompt)).response.text();
}
`;
  const pkg = (engines?: string) =>
    JSON.stringify({ name: 'app', ...(engines ? { engines: { node: engines } } : {}), dependencies: { '@google/generative-ai': '^0.24.1' } }, null, 2) + '\n';

  it('swaps the dependency when the package no longer uses the legacy SDK (Node 22+ → ^3.3.0)', () => {
    const dir = project({ 'package.json': pkg('>=22'), 'src/ask.ts': ONE_SHOT });
    const r = cli(['.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(read(dir, 'src/ask.ts')).toContain("genAI.interactions.create({ ...model, input: prompt })");
    expect(read(dir, 'src/ask.ts')).toContain("model: 'gemini-3-flash-preview'");
    expect(JSON.parse(read(dir, 'package.json')).dependencies).toEqual({ '@google/genai': '^3.3.0' });
    expect(r.stdout).toContain('note: package.json: @google/generative-ai replaced by @google/genai ^3.3.0');
  });

  it('keeps the legacy SDK while a file still uses it, and picks ^2.32.0 for Node 20', () => {
    const chat = `import { GoogleGenerativeAI } from '@google/generative-ai';\nconst m = new GoogleGenerativeAI('k').getGenerativeModel({ model: 'gemini-pro' });\nexport const c = m.startChat();\n`;
    const dir = project({ 'package.json': pkg('>=20'), 'src/ask.ts': ONE_SHOT, 'src/chat.ts': chat });
    expect(cli(['.'], { cwd: dir }).code).toBe(0);
    expect(JSON.parse(read(dir, 'package.json')).dependencies).toEqual({ '@google/genai': '^2.32.0', '@google/generative-ai': '^0.24.1' });
  });

  it('never writes a package.json outside the named paths, and says what to change', () => {
    const dir = project({ 'package.json': pkg(), 'src/ask.ts': ONE_SHOT });
    const r = cli(['src'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(read(dir, 'package.json')).toBe(pkg());
    expect(r.stdout).toContain('note: package.json is outside the named paths and was not changed; by hand: @google/generative-ai replaced by @google/genai ^2.32.0');
  });
});

describe('git never runs project code', () => {
  it('neither an fsmonitor hook nor a filter driver from the repository config runs, and dirty checks still hold', () => {
    const dir = project({ 'a.ts': LEGACY, 'b.ts': LEGACY }, { git: true });
    // Configured after the commit, as a repository handed over with its .git folder would be.
    writeFileSync(join(dir, '.gitattributes'), '*.ts filter=trap\n');
    git(dir, 'config', 'filter.trap.clean', `sh -c 'touch ${join(dir, 'FILTER_RAN')}; cat'`);
    git(dir, 'config', 'core.fsmonitor', `sh -c 'touch ${join(dir, 'FSMONITOR_RAN')}'`);
    writeFileSync(join(dir, 'b.ts'), LEGACY + '// local edit\n');
    const refused = cli([...SWAP, '.'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/^ {2}b\.ts$/m);
    expect(refused.stdout).not.toMatch(/^ {2}a\.ts$/m);
    const forced = cli([...SWAP, '--force', '.'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(read(dir, 'a.ts')).toBe(MIGRATED);
    expect(existsSync(join(dir, 'FILTER_RAN'))).toBe(false);
    expect(existsSync(join(dir, 'FSMONITOR_RAN'))).toBe(false);
  });
});

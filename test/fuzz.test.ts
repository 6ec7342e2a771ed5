import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/migrate.js';
import { TODO_MARKER } from '../src/prefilter.js';
import { run } from '../src/runner.js';
import { generatePrograms, type Program } from './fuzz/legacy-programs.js';
import { seededRandom } from './helpers/random.js';
import { tempProject } from './helpers/temp-project.js';
import { typecheck } from './helpers/typecheck.js';
import { recordFigures } from './reliability/helpers/figures.js';

// `npm run fuzz` raises the count and may change the seed; a failure names both, so it can be replayed.
const SEED = Number(process.env.MI_FUZZ_SEED ?? 20_260_611);
const PROGRAMS = Number(process.env.MI_FUZZ_PROGRAMS ?? 300);
/** Programs per migration run: one run and one type-check per batch keeps the cost per program low. */
const BATCH = 300;

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

const batches = Array.from({ length: Math.ceil(PROGRAMS / BATCH) }, (_, i) => ({ first: i * BATCH, count: Math.min(BATCH, PROGRAMS - i * BATCH) }));

describe.each(batches)(`fuzz (seed ${SEED}): programs $first..+$count`, ({ first, count }) => {
  it('migrates valid programs into code that parses, type-checks or carries a TODO, and is stable', async () => {
    const programs = generatePrograms(seededRandom(SEED + first), count, first);
    const files: Record<string, string> = {};
    for (const p of programs) for (const [name, text] of Object.entries(p.files)) files[`${p.name}/${name}`] = text;
    const project = tempProject(files);
    cleanups.push(project.cleanup);
    const dir = project.dir;
    const path = (name: string) => join(dir, name);
    const tsFiles = Object.keys(files).filter((n) => /\.[cm]?tsx?$/.test(n));
    const describe = (file: string) => describeProgram(programs, file);

    // The generator's programs are valid: they type-check against the SDKs they use.
    expect(typecheck(tsFiles.map(path), '3.3.0').map(describe)).toEqual([]);

    const migrated = await migrate({ paths: ['.'], cwd: dir, force: true });
    expect(migrated.errors.map((e) => describe(`${e.file}: ${e.kind}: ${e.message}`))).toEqual([]);
    const changed = migrated.files.filter((f) => f.written).length;
    expect(changed).toBeGreaterThan(programs.length / 2);

    const outputs = Object.fromEntries(Object.keys(files).map((n) => [n, readFileSync(path(n), 'utf8')]));
    const unparsable = Object.entries(outputs).flatMap(([name, text]) => parseErrors(name, text));
    expect(unparsable.map(describe)).toEqual([]);

    // A type error in the output is fine only under a TODO that tells a person to look.
    const diagnostics = typecheck(tsFiles.map(path), '3.3.0');
    const uncovered = diagnostics.filter((d) => !underTodo(d, outputs, dir));
    expect(uncovered.map(describe)).toEqual([]);

    const again = await run({ paths: ['.'], cwd: dir, mode: 'dry-run' });
    expect(again.errors).toEqual([]);
    expect(again.files.filter((f) => f.changed).map((f) => describe(`${f.file}: changed on a second run`))).toEqual([]);
    recordFigures({ suite: 'fuzz: generated programs', inputs: programs.length, faults: 0, checked: Object.keys(outputs).length, lost: 0 });
  });
});

it('the TODO check tells a type error under a TODO from one without', () => {
  const text = `export function f() {\n  // ${TODO_MARKER}: look here\n  const a: number = 'x';\n  return a;\n}\nexport const b: number = 'y';\n`;
  expect(underTodo('/d/x.ts:3: Type error', { 'x.ts': text }, '/d')).toBe(true);
  expect(underTodo('/d/x.ts:6: Type error', { 'x.ts': text }, '/d')).toBe(false);
});

function parseErrors(name: string, text: string): string[] {
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false);
  const diagnostics = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => `${name}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** Whether a diagnostic (`/abs/file:line: message`) sits in a statement with a TODO line in its leading comments. */
function underTodo(diagnostic: string, outputs: Record<string, string>, dir: string): boolean {
  const match = /^(.+?):(\d+): /.exec(diagnostic);
  if (!match || !match[1]!.startsWith(dir + '/')) return false;
  const text = outputs[match[1]!.slice(dir.length + 1)];
  if (text === undefined) return false;
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true);
  const lineStart = sf.getPositionOfLineAndCharacter(Number(match[2]) - 1, 0);
  const position = lineStart + (/^\s*/.exec(text.slice(lineStart))?.[0].length ?? 0);
  for (let node: ts.Node | undefined = deepestAt(sf, position); node; node = node.parent) {
    const comments = ts.getLeadingCommentRanges(text, node.pos) ?? [];
    if (comments.some((c) => text.slice(c.pos, c.end).includes(TODO_MARKER))) return true;
  }
  return false;
}

function deepestAt(sf: ts.SourceFile, position: number): ts.Node {
  let node: ts.Node = sf;
  for (let inner: ts.Node | undefined = node; inner; ) {
    node = inner;
    inner = ts.forEachChild(node, (child) => (child.getStart(sf) <= position && position < child.end ? child : undefined));
  }
  return node;
}

/** A failure line with the shape of the program it comes from, to reproduce it. */
function describeProgram(programs: Program[], line: string): string {
  const program = programs.find((p) => line.includes(`/${p.name}/`) || line.startsWith(`${p.name}/`));
  return program ? `${line}\n    shape: ${JSON.stringify(program.shape)}` : line;
}

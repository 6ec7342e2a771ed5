import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../src/runner.js';
import { fixtureCases } from './helpers/fixture-cases.js';
import { tempProject } from './helpers/temp-project.js';
import { typecheck } from './helpers/typecheck.js';

const cases = fixtureCases();
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

/**
 * Migrates the case's files together in a temporary project with the case's transform (a `pipeline-*` case: with
 * every registered transform in order, as the CLI runs them, for a flow that needs two); returns name → text.
 */
async function migrateCase(files: Record<string, string>, transform: string, name: string) {
  const project = tempProject(files);
  cleanups.push(project.cleanup);
  const only = name.startsWith('pipeline-') ? undefined : [transform];
  const result = await run({ paths: [project.dir], cwd: project.dir, mode: 'dry-run', only });
  const out: Record<string, string> = {};
  for (const name of Object.keys(files)) out[name] = result.files.find((f) => f.file === name)?.after ?? files[name]!;
  return { result, out, dir: project.dir };
}

describe.each(cases)('$transform/$name', (c) => {
  const inputs = Object.fromEntries(c.files.map((f) => [f.name, readFileSync(f.input, 'utf8')]));
  const expected = Object.fromEntries(
    c.files.map((f) => {
      if (f.output) return [f.name, readFileSync(f.output, 'utf8')];
      if (!/^(no-change|known-false-negative)-/.test(c.name)) throw new Error(`${c.transform}/${c.name}: ${f.name} has no output file`);
      return [f.name, inputs[f.name]!];
    }),
  );

  it('migrates to the expected output', async () => {
    const { result, out } = await migrateCase(inputs, c.transform, c.name);
    expect(result.errors).toEqual([]);
    expect(out).toEqual(expected);
  });

  it('changes nothing on a second run (idempotent)', async () => {
    const { result } = await migrateCase(expected, c.transform, c.name);
    expect(result.errors).toEqual([]);
    expect(result.files.filter((f) => f.changed).map((f) => f.file)).toEqual([]);
  });
});

describe('fixture outputs type-check', () => {
  const tsOutputs = cases.flatMap((c) => c.files.map((f) => f.output ?? f.input)).filter((f) => /\.[cm]?tsx?$/.test(f));
  const tsInputs = cases.flatMap((c) => c.files.map((f) => f.input)).filter((f) => /\.[cm]?tsx?$/.test(f));

  it('inputs are real code: they type-check against the legacy SDK and @google/genai 3.3.0', () => {
    expect(typecheck(tsInputs, '3.3.0')).toEqual([]);
  });
  it.each(['3.3.0', '2.32.0'] as const)('outputs type-check (strict) against @google/genai %s', (version) => {
    expect(tsOutputs.length).toBeGreaterThan(0);
    expect(typecheck(tsOutputs, version)).toEqual([]);
  });
});

it('finds the fixture cases', () => {
  expect(cases.length).toBeGreaterThan(5);
  expect(cases.every((c) => c.files.length > 0)).toBe(true);
});

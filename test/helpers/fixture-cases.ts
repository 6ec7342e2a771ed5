import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const NOT_TRANSFORMS = new Set(['sample-app', 'programs']);

/** One fixture case: pairs of input and expected output files, run together (a multi-file case shares a program). */
export interface FixtureCase {
  transform: string;
  name: string;
  /** Path inside the case (what the file is called when migrated) → input and expected output. */
  files: Array<{ name: string; input: string; output: string | undefined }>;
}

/**
 * `fixtures/<transform>/<case>.input.<ext>` with `<case>.output.<ext>`, or a folder `fixtures/<transform>/<case>/`
 * with `input/` and `output/` trees. A `no-change-*` case may omit its output: the input must come out as it went in.
 * A `pipeline-*` case runs every registered transform, not only its own (test/fixtures.test.ts).
 */
export function fixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const transform of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, transform);
    if (NOT_TRANSFORMS.has(transform) || !statSync(dir).isDirectory()) continue;
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      const single = /^(.+)\.input\.([cm]?[jt]sx?)$/.exec(entry);
      if (single) {
        const output = join(dir, `${single[1]}.output.${single[2]}`);
        cases.push({
          transform,
          name: single[1]!,
          files: [{ name: `${single[1]}.${single[2]}`, input: path, output: existsSync(output) ? output : undefined }],
        });
      } else if (statSync(path).isDirectory()) {
        const inputs = walk(join(path, 'input'));
        cases.push({
          transform,
          name: entry,
          files: inputs.map((input) => {
            const name = relative(join(path, 'input'), input);
            const output = join(path, 'output', name);
            return { name, input, output: existsSync(output) ? output : undefined };
          }),
        });
      }
    }
  }
  return cases;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

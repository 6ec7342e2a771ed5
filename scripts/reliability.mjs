#!/usr/bin/env node
// `npm run reliability`: runs the reliability tests (test/reliability/) and the fuzz test at a larger scale than
// `npm test`, then prints what they did as a table: inputs tried, faults injected, files checked, files lost or
// half-written (must be 0). The tests assert everything; this script adds the scale and the figures.
//
//   npm run reliability                        scale 3: 3 rounds of kill -9 (9 kills), 900 generated programs
//   npm run reliability -- --scale 10          more rounds and programs (bounded in time by the tests)
//   npm run reliability -- --seed 7            another fuzz seed
//
// Needs the build (`npm run reliability` builds first): the end-to-end tests run dist/src/cli.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { scale: { type: 'string', default: '3' }, seed: { type: 'string' } } });
const scale = Math.max(1, Math.floor(Number(values.scale)) || 1);

const work = mkdtempSync(path.join(os.tmpdir(), 'mi-reliability-'));
const figuresFile = path.join(work, 'figures.jsonl');
const started = performance.now();
const vitest = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/reliability', 'test/fuzz.test.ts', '--reporter=dot'],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      MI_RELIABILITY_SCALE: String(scale),
      MI_RELIABILITY_FIGURES: figuresFile,
      MI_FUZZ_PROGRAMS: String(300 * scale),
      ...(values.seed ? { MI_FUZZ_SEED: values.seed } : {}),
    },
  },
);
const seconds = (performance.now() - started) / 1000;

const rows = new Map();
if (existsSync(figuresFile)) {
  for (const line of readFileSync(figuresFile, 'utf8').split('\n').filter(Boolean)) {
    const f = JSON.parse(line);
    const row = rows.get(f.suite) ?? { inputs: 0, faults: 0, checked: 0, lost: 0 };
    for (const key of ['inputs', 'faults', 'checked', 'lost']) row[key] += f[key];
    rows.set(f.suite, row);
  }
}
rmSync(work, { recursive: true, force: true });

const total = { inputs: 0, faults: 0, checked: 0, lost: 0 };
const table = ['| suite | inputs tried | faults injected | files checked | files lost or half-written |', '|---|--:|--:|--:|--:|'];
for (const [suite, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  table.push(`| ${suite} | ${row.inputs} | ${row.faults} | ${row.checked} | ${row.lost} |`);
  for (const key of Object.keys(total)) total[key] += row[key];
}
table.push(`| **total** | ${total.inputs} | ${total.faults} | ${total.checked} | ${total.lost} |`);
process.stdout.write(`\n${table.join('\n')}\n\nscale ${scale}, ${seconds.toFixed(0)} s, tests ${vitest.status === 0 ? 'passed' : 'FAILED'}\n`);
// A suite that failed records nothing: the exit code, not the table, says whether all is well.
process.exitCode = vitest.status === 0 && total.lost === 0 && rows.size > 0 ? 0 : 1;

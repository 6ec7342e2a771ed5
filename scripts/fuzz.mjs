#!/usr/bin/env node
// `npm run fuzz`: the fuzz test (test/fuzz.test.ts) on more generated programs than `npm test` runs.
//
//   npm run fuzz                               3,000 programs from the fixed seed
//   npm run fuzz -- --programs 10000 --seed 7  another count or seed (a failure prints both, to replay it)
//
// Programs are migrated 300 at a time: one migration run and one type-check per batch.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { programs: { type: 'string', default: '3000' }, seed: { type: 'string' } } });

const started = performance.now();
const vitest = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz.test.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, MI_FUZZ_PROGRAMS: values.programs, ...(values.seed ? { MI_FUZZ_SEED: values.seed } : {}) },
});
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`\n${values.programs} programs${values.seed ? `, seed ${values.seed}` : ''}: ${seconds.toFixed(0)} s\n`);
process.exitCode = vitest.status ?? 1;

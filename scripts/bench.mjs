#!/usr/bin/env node
// `npm run bench`: times migrate-interactions against ripgrep (the read limit) and jscodeshift on a generated
// monorepo (scripts/gen-tree.mjs), and prints medians, ratios to rg and peak RSS as a Markdown table.
//
//   node scripts/bench.mjs                        20,000 files, 1 % Gemini: --check, the write run, rg, jscodeshift
//   node scripts/bench.mjs --files 5000 --gemini 5
//   node scripts/bench.mjs --matrix               5k and 20k files × 0, 1 and 5 % Gemini (no jscodeshift)
//   node scripts/bench.mjs --guard                5k files: fails when --check's median ratio to rg exceeds --limit
//
// Options: --rounds N (default 5; 3 with --matrix), --budget SECONDS (default 240 per tree: no new round starts
// once the next would likely overrun it; at least one round always runs), --timeout SECONDS (default 600: a
// command still running then is stopped and shown as '>'), --seed N, --limit X (guard, default 15),
// --no-write, --no-jscodeshift, --no-floor, --keep (leave the temporary trees and print where), --cli PATH (another build's
// dist/src/cli.js), --baseline PATH (a second build's cli.js, e.g. a copy of dist/ taken before a change: its
// --check and write run are timed in the same rounds, the two builds in alternating order, each with its ratio to
// the same round's rg; pair by pair, so the machine's drift hits both builds alike).
//
// The floor row (scripts/type-floor.mjs, on trees with Gemini files): the smallest type-aware job with the build's
// own pieces and the file list handed over for free (ts-morph from the code cache, the analysis program over the
// Gemini files, one checker question per method call). No --check of the same tree can be faster.
//
// Needs the build (`npm run bench` builds first) and ripgrep; peak RSS comes from GNU time (/usr/bin/time).
// Figures are wall-clock medians of whole processes on a warm cache; each round runs every command once,
// in turn, so machine drift hits them alike, and ratios are taken round by round.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree, sourcePool } from './gen-tree.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
let CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
let BASELINE;
const JSCODESHIFT = path.join(ROOT, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js');
const GNU_TIME = '/usr/bin/time';
const PREFILTER_PATTERN = '@google/gen|gemini-|embedding-00';
const MAX_OUTPUT = 256 * 1024 * 1024;

// jscodeshift's side: a transform that returns early unless the file mentions the SDK, else parses it and
// looks at its imports, as a real codemod's first step would; it changes nothing.
const NOOP_TRANSFORM = `module.exports = function transform(file, api) {
  if (!file.source.includes('@google/gen')) return undefined;
  const j = api.jscodeshift;
  j(file.source).find(j.ImportDeclaration).size();
  return undefined;
};
`;

function parseArgs(argv) {
  const options = { files: 20_000, gemini: 1, rounds: undefined, budget: 240, timeout: 600, seed: 1, limit: 15, matrix: false, guard: false, write: true, jscodeshift: true, floor: true, keep: false };
  const numeric = new Set(['files', 'gemini', 'rounds', 'budget', 'timeout', 'seed', 'limit']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.replace(/^--/, '');
    if (numeric.has(name)) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${arg} needs a number`);
      options[name] = value;
    } else if (arg === '--matrix' || arg === '--guard' || arg === '--keep') options[name] = true;
    else if (arg === '--cli') CLI = path.resolve(argv[++i] ?? fail('--cli needs the path of a built cli.js'));
    else if (arg === '--baseline') BASELINE = path.resolve(argv[++i] ?? fail('--baseline needs the path of a built cli.js'));
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--no-jscodeshift') options.jscodeshift = false;
    else if (arg === '--no-floor') options.floor = false;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1).filter((l, i, lines) => lines.slice(0, i + 1).every((x) => x.startsWith('//'))).map((l) => l.slice(3)).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (see --help)`);
  }
  options.rounds ??= options.matrix ? 3 : 5;
  options.rounds = Math.max(1, Math.min(50, Math.floor(options.rounds)));
  return options;
}

function need() {
  if (!existsSync(CLI)) fail(`${path.relative(process.cwd(), CLI)} is missing: run \`npm run build\` first (\`npm run bench\` does).`);
  if (BASELINE && !existsSync(BASELINE)) fail(`--baseline ${BASELINE} is missing`);
  const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (rg.error || rg.status !== 0) {
    fail('ripgrep (rg) is not installed; it is the baseline. Install it with your package manager, e.g. `sudo apt-get install -y ripgrep` or `brew install ripgrep`.');
  }
  const hasTime = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  if (!hasTime) process.stderr.write(`note: ${GNU_TIME} (GNU time) is missing, so no peak RSS; install the "time" package to get it.\n`);
  return { rgVersion: rg.stdout.split('\n')[0], hasTime };
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** Runs one command to completion: wall time (ms, from this process), peak RSS (MiB, from GNU time), exit code, stdout. */
function measure(argv, cwd, hasTime, scratch, timeoutMs) {
  const rssFile = path.join(scratch, 'rss.txt');
  const command = hasTime ? [GNU_TIME, '-f', '%M', '-o', rssFile, ...argv] : argv;
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.GITHUB_ACTIONS;
  const started = performance.now();
  // stdout is a pipe, never /dev/null: ripgrep stops at its first match when it writes to /dev/null.
  const r = spawnSync(command[0], command.slice(1), { cwd, env, encoding: 'utf8', maxBuffer: MAX_OUTPUT, timeout: timeoutMs, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (r.error && r.error.code !== 'ETIMEDOUT') throw new Error(`${argv.join(' ')}: ${r.error.message}`);
  if (r.error) return { ms, timedOut: true, code: -1, stdout: '', stderr: `timed out after ${(timeoutMs / 1000).toFixed(0)} s` };
  let rssMiB;
  if (hasTime) {
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb)) rssMiB = kb / 1024;
  }
  return { ms, rssMiB, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `rm -rf` where there is one: several times faster than fs.rmSync on a 20,000-file tree. */
function removeTree(dir) {
  if (spawnSync('rm', ['-rf', dir]).status !== 0) rmSync(dir, { recursive: true, force: true });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** What each benchmarked command is, and what counts as a correct outcome (each build's, with --baseline). */
function commands(tree, options, scratch) {
  const list = [{ id: 'rg', label: '`rg -l` prefilter strings (read limit)', argv: () => ['rg', '-l', PREFILTER_PATTERN, '.'], ok: (r) => r.code === 0 || r.code === 1 }];
  const builds = BASELINE ? [{ cli: CLI, suffix: '', tag: '' }, { cli: BASELINE, suffix: '-baseline', tag: ', baseline build' }] : [{ cli: CLI, suffix: '', tag: '' }];
  for (const { cli, suffix, tag } of builds) {
    list.push({ id: `check${suffix}`, pair: 'check', label: `\`migrate-interactions --check\`${tag}`, argv: () => [process.execPath, cli, '--check', '--no-progress', '.'], ok: (r) => verifyCheck(r, tree) });
  }
  if (options.write) {
    for (const { cli, suffix, tag } of builds) {
      // One copy of the committed tree per build, made once; before each round `git checkout` and `git clean` put
      // back what the previous write run changed, so every round writes into the same fresh state, outside the clock.
      const copy = `${tree.dir}-write${suffix}`;
      let copied = false;
      list.push({
        id: `write${suffix}`,
        pair: 'write',
        label: `\`migrate-interactions\` (write, fresh copy${tag})`,
        prepare: () => {
          const restore = [['git', '-C', copy, 'checkout', '-q', '--', '.'], ['git', '-C', copy, 'clean', '-fdq']];
          // `sync`: a fresh copy is a hundred megabytes of dirty pages; their writeback is the copy's cost, not the tool's.
          const steps = [...(copied ? restore : [['rm', '-rf', copy], ['cp', '-a', tree.dir, copy]]), ['sync']];
          for (const [cmd, ...args] of steps) {
            const r = spawnSync(cmd, args, { encoding: 'utf8' });
            if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
          }
          copied = true;
          return copy;
        },
        argv: () => [process.execPath, cli, '--no-progress', '.'],
        ok: (r) => (r.code === 0 ? verifyWrite(copy, tree) : `expected exit 0, got ${r.code}: ${r.stderr.slice(0, 500)}`),
      });
    }
  }
  if (options.floor && tree.gemini.length > 0) {
    const geminiFiles = path.join(scratch, `gemini-files-${tree.gemini.length}.txt`);
    writeFileSync(geminiFiles, tree.gemini.join('\n') + '\n');
    list.push({
      id: 'floor',
      label: 'type-aware floor: analysis program over the Gemini files, file list given (`type-floor.mjs`)',
      argv: () => [process.execPath, path.join(ROOT, 'scripts', 'type-floor.mjs'), path.dirname(CLI), geminiFiles],
      ok: (r) => r.code === 0 || `exit ${r.code}: ${r.stderr.slice(0, 500)}`,
    });
  }
  if (options.jscodeshift) {
    const transform = path.join(scratch, 'noop-transform.cjs');
    writeFileSync(transform, NOOP_TRANSFORM);
    list.push({
      id: 'jscodeshift',
      label: 'jscodeshift, no-op transform',
      argv: () => [process.execPath, JSCODESHIFT, '-t', transform, '--extensions=ts,tsx,mts,cts,js,jsx,mjs,cjs', '--parser=tsx', '--gitignore', '--dry', '--silent', '.'],
      ok: (r) => r.code === 0,
    });
  }
  return list;
}

/** The order of one round: with a baseline, the two builds of each command swap places every other round. */
function roundOrder(list, round) {
  if (round % 2 === 0) return list;
  const order = [...list];
  for (let i = 0; i + 1 < order.length; i++) {
    if (!order[i].pair || order[i].pair !== order[i + 1].pair) continue;
    [order[i], order[i + 1]] = [order[i + 1], order[i]];
    i++;
  }
  return order;
}

/** --check must exit 1 and list every file the generator made to change (and only Gemini files), or exit 0 on a tree without any. */
function verifyCheck(r, tree) {
  if (tree.expectedChanged.length === 0) return r.code === 0 || 'expected exit 0 on a tree with nothing to migrate';
  if (r.code !== 1) return `expected exit 1, got ${r.code}: ${r.stderr.slice(0, 500)}`;
  const listed = new Set(r.stdout.split('\n').filter((l) => l.startsWith('would change: ')).map((l) => l.slice('would change: '.length)));
  const gemini = new Set(tree.gemini);
  const missing = tree.expectedChanged.filter((f) => !listed.has(f));
  const stray = [...listed].filter((f) => !gemini.has(f));
  if (missing.length) return `${missing.length} file(s) not listed, e.g. ${missing[0]}`;
  if (stray.length) return `${stray.length} file(s) listed that are not Gemini files, e.g. ${stray[0]}`;
  return true;
}

/** The write run must have changed every file the generator made to change, and only Gemini files (and package.json files). */
function verifyWrite(copy, tree) {
  const diff = spawnSync('git', ['-C', copy, 'diff', '--name-only'], { encoding: 'utf8', maxBuffer: MAX_OUTPUT });
  const changed = new Set(diff.stdout.split('\n').filter(Boolean));
  const gemini = new Set(tree.gemini);
  const missing = tree.expectedChanged.filter((f) => !changed.has(f));
  const stray = [...changed].filter((f) => !gemini.has(f) && path.posix.basename(f) !== 'package.json');
  if (missing.length) return `${missing.length} file(s) not written, e.g. ${missing[0]}`;
  if (stray.length) return `${stray.length} file(s) written that are not Gemini files, e.g. ${stray[0]}`;
  return true;
}

/** Times every command over the rounds on one tree; returns one row per command. */
function benchTree(tree, options, env, scratch) {
  const list = commands(tree, options, scratch);
  const samples = new Map(list.map((c) => [c.id, { ms: [], rss: [], ratio: [], problem: undefined, timedOut: false }]));
  const timeoutMs = options.timeout * 1000;
  // Warm-up, not counted: one rg run fills the page cache. Outcomes are checked on the first round.
  measure(list[0].argv(), tree.dir, env.hasTime, scratch, timeoutMs);
  const started = performance.now();
  let round = 0;
  for (let slowest = 0; round < options.rounds; round++) {
    const roundStart = performance.now();
    // Stop before a round that would overrun the budget (at least one round runs).
    if (round > 0 && (roundStart - started + slowest) / 1000 > options.budget) break;
    let rgMs;
    for (const c of roundOrder(list, round)) {
      const s = samples.get(c.id);
      if (s.timedOut) continue; // it would only time out again
      const cwd = c.prepare ? c.prepare() : tree.dir;
      const r = measure(c.argv(), cwd, env.hasTime, scratch, timeoutMs);
      if (r.timedOut) {
        s.timedOut = true;
        continue;
      }
      if (round === 0) {
        const verdict = c.ok(r);
        if (verdict !== true) s.problem = typeof verdict === 'string' ? verdict : `exit ${r.code}: ${r.stderr.slice(0, 500)}`;
      }
      s.ms.push(r.ms);
      if (r.rssMiB !== undefined) s.rss.push(r.rssMiB);
      if (c.id === 'rg') rgMs = r.ms;
      s.ratio.push(r.ms / rgMs);
    }
    slowest = Math.max(slowest, performance.now() - roundStart);
    const shown = roundOrder(list, round).map((c) => {
      const s = samples.get(c.id);
      return `${c.id} ${s.timedOut ? `> ${options.timeout}` : (s.ms.at(-1) / 1000).toFixed(2)} s`;
    });
    process.stderr.write(`  round ${round + 1}: ${shown.join(', ')}\n`);
  }
  const rgMedian = median(samples.get('rg').ms);
  return {
    rounds: round,
    rows: list.map((c) => {
      const s = samples.get(c.id);
      if (s.timedOut && s.ms.length === 0) {
        return { id: c.id, label: c.label, timedOut: true, wall: options.timeout, ratio: (options.timeout * 1000) / rgMedian, rss: undefined, problem: s.problem };
      }
      return { id: c.id, label: c.label, wall: median(s.ms) / 1000, ratio: median(s.ratio), rss: s.rss.length ? Math.max(...s.rss) : undefined, problem: s.problem };
    }),
  };
}

function machine(env) {
  const gib = (os.totalmem() / 1024 ** 3).toFixed(0);
  return `${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, nproc ${os.availableParallelism()}, ${gib} GiB, Node ${process.version}, ${env.rgVersion}`;
}

function table(results) {
  const lines = ['| tree | command | median wall (s) | × rg (median of rounds) | peak RSS (MiB) | rounds |', '|---|---|---:|---:|---:|---:|'];
  for (const { name, rounds, rows } of results) {
    for (const row of rows) {
      const rss = row.rss === undefined ? 'n/a' : row.rss.toFixed(0);
      const flag = row.problem ? ` ⚠ ${row.problem}` : '';
      const over = row.timedOut ? '> ' : '';
      lines.push(`| ${name} | ${row.label}${flag} | ${over}${row.wall.toFixed(2)} | ${over}${row.ratio.toFixed(1)} | ${rss} | ${rounds} |`);
    }
  }
  return lines.join('\n');
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    fail(e.message);
  }
  const env = need();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'migrate-interactions-bench-'));
  const cleanup = () => {
    if (!options.keep) removeTree(scratch);
  };
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.on(signal, () => {
      cleanup();
      process.exit(code);
    });
  }

  try {
    let plan;
    if (options.guard) {
      plan = [{ files: 5000, gemini: options.gemini }];
      // A CI step: it must end within about a minute even when --check has become very slow.
      Object.assign(options, { write: false, jscodeshift: false, floor: false, timeout: Math.min(options.timeout, 30) });
    } else if (options.matrix) {
      plan = [5000, 20_000].flatMap((files) => [0, 1, 5].map((gemini) => ({ files, gemini })));
      options.jscodeshift = false;
    } else {
      plan = [{ files: options.files, gemini: options.gemini }];
    }
    process.stderr.write(`bench: ${machine(env)}\n`);
    const pool = sourcePool();
    const results = [];
    for (const { files, gemini } of plan) {
      const dir = path.join(scratch, `tree-${files}-${gemini}`);
      const t0 = performance.now();
      const tree = { dir, ...generateTree(dir, { files, gemini, seed: options.seed, pool }) };
      const name = `${files.toLocaleString('en-US')} files, ${gemini} % Gemini (${tree.gemini.length})`;
      process.stderr.write(`bench: ${name}: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s in ${dir}\n`);
      spawnSync('sync'); // the tree is written out before anything is timed (see the write run's copy)
      results.push({ name, ...benchTree(tree, options, env, scratch) });
      if (!options.keep) for (const d of [dir, `${dir}-write`, `${dir}-write-baseline`]) removeTree(d);
    }

    const command = `node scripts/bench.mjs ${process.argv.slice(2).join(' ')}`.trim();
    process.stdout.write(`\n${machine(env)}\n\`${command}\`\n\n${table(results)}\n`);
    if (options.keep) process.stdout.write(`\ntrees kept in ${scratch}\n`);

    const problems = results.flatMap((r) => r.rows.filter((row) => row.problem).map((row) => `${r.name}: ${row.label}: ${row.problem}`));
    if (options.guard) {
      const check = results[0].rows.find((row) => row.id === 'check');
      const verdict = check.ratio <= options.limit && !check.problem;
      process.stdout.write(`\nguard: --check takes ${check.ratio.toFixed(1)} × rg (limit ${options.limit} ×): ${verdict ? 'ok' : 'FAILED'}\n`);
      if (!verdict) process.exitCode = 1;
    }
    if (problems.length) {
      process.stderr.write(`bench: wrong outcomes:\n  ${problems.join('\n  ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    cleanup();
  }
}

main();

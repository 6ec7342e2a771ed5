#!/usr/bin/env node
// Only what every run needs is imported here; the pipeline, the diff, the reports and (in runner.ts) ts-morph
// load when used, so --help, --version and a run with nothing to migrate start fast.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { useCodeCache } from './compile-cache.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import type { MigrateResult } from './migrate.js';
import { ModelMapError, parseModelMap } from './model-ids.js';
import { progressLine } from './progress.js';
import { terminalSummary } from './report/summary.js';
import { checkTransformIds, DEFAULT_MAX_FILE_BYTES, UsageError, type Mode } from './runner.js';
import { TRANSFORM_IDS } from './transform-ids.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface CliOptions {
  dryRun?: boolean;
  diff?: boolean;
  check?: boolean;
  strict?: boolean;
  force?: boolean;
  only: string[];
  skip: string[];
  ignore: string[];
  modelMap?: string;
  report: string[];
  annotations?: 'github' | 'none';
  maxFileSize: number;
  listTransforms?: boolean;
  progress: boolean;
  typecheck?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function program(): Command {
  return new Command('migrate-interactions')
    .description('Migrate @google/generative-ai and the old @google/genai models/chats API to the Gemini Interactions API.')
    .version(VERSION, '-v, --version')
    .argument('[paths...]', 'files or folders to migrate', ['.'])
    // Every option shows its default in --help (test/help.test.ts pins the text).
    .option('--dry-run', 'change nothing; print the summary of what would change', false)
    .option('--diff', 'print a unified diff of every change on stdout (implies --dry-run)', false)
    .option('--check', 'for CI: change nothing; exit 1 when any file would change', false)
    .option('--strict', 'with --check: also exit 1 while any TODO(migrate-interactions) remains', false)
    .option('--force', 'write even over files with uncommitted git changes', false)
    .addOption(new Option('--only <id>', 'run only this transform (repeatable; see --list-transforms)').argParser(collect).default([], 'every transform'))
    .addOption(new Option('--skip <id>', 'skip this transform (repeatable)').argParser(collect).default([], 'none'))
    .addOption(
      new Option('--ignore <glob>', "skip paths matching this glob, relative to the working directory (repeatable), e.g. 'legacy/**'")
        .argParser(collect)
        .default([], 'none beyond .gitignore files'),
    )
    .option(
      '--model-map <file.json>',
      'JSON object of old model id (or glob such as "gemini-1.5-*") → new id, overriding the built-in replacement (default: the built-in table)',
    )
    .addOption(new Option('--report <file>', 'write a report: .json (schema: docs/report-schema.json) or .md (repeatable)').argParser(collect).default([], 'none'))
    .addOption(
      new Option('--annotations <format>', 'print CI annotations for pending changes and TODOs (default: github when GITHUB_ACTIONS=true and --check, else none)').choices([
        'github',
        'none',
      ]),
    )
    .addOption(new Option('--max-file-size <bytes>', 'skip files larger than this, with a message').argParser(parseBytes).default(DEFAULT_MAX_FILE_BYTES, '5242880 (5 MiB)'))
    .option(
      '--typecheck',
      'type-check the changed files with the nearest tsconfig.json before and after the migration; exit 1 when it added diagnostics',
      false,
    )
    .option('--no-progress', 'never show the progress line (default: shown on a terminal, after one second)')
    .option('--list-transforms', 'list the transforms in the order they run, and exit', false)
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ npx migrate-interactions ./src                          migrate in place (refuses files with uncommitted changes)',
        '  $ npx migrate-interactions --diff ./src                   show the diff, change nothing',
        '  $ npx migrate-interactions --dry-run --only model-id-swap .',
        '                                                            run one transform, print what it would change',
        '  $ npx migrate-interactions --model-map models.json ./src  choose the new model per old id',
        "  $ npx migrate-interactions --ignore 'legacy/**' .         leave a folder out",
        '  $ npx migrate-interactions --check --strict .             CI: fail while anything is left to migrate',
        '  $ npx migrate-interactions --report report.md .           write a review-ready report',
        '',
        'Through jscodeshift, file by file (see the README):',
        '  $ npx jscodeshift -t node_modules/migrate-interactions/dist/src/jscodeshift.cjs src/',
        '',
        'Exit codes:',
        ...Object.values(EXIT_CODES).map((e) => `  ${e.code}  ${e.meaning}`),
      ].join('\n'),
    );
}

function parseBytes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of bytes');
  return n;
}

function colorsFor(stream: NodeJS.WriteStream) {
  // NO_COLOR wins over FORCE_COLOR=0-or-unset; otherwise colour only on a terminal.
  const force = process.env.FORCE_COLOR;
  const enabled = force !== undefined && force !== '0' ? true : 'NO_COLOR' in process.env ? false : Boolean(stream.isTTY);
  return pc.createColors(enabled);
}

async function main(argv: string[]): Promise<number> {
  const cmd = program();
  cmd.exitOverride();
  cmd.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    cmd.parse(argv);
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return code === 0 ? EXIT_CODES.ok.code : EXIT_CODES.fatal.code;
  }
  const opts = cmd.opts<CliOptions>();
  const paths = cmd.args.length ? cmd.args : ['.'];
  const out = colorsFor(process.stdout);
  const err = colorsFor(process.stderr);

  if (opts.listTransforms) {
    const { transforms } = await import('../transforms/index.js');
    for (const t of transforms) process.stdout.write(`${out.bold(t.id)}  ${t.summary}\n`);
    return EXIT_CODES.ok.code;
  }
  const mode: Mode = opts.check ? 'check' : opts.diff ? 'diff' : opts.dryRun ? 'dry-run' : 'write';
  if ([opts.check, opts.diff, opts.dryRun].filter(Boolean).length > 1 && !(opts.diff && opts.dryRun)) {
    return usage('--check, --diff and --dry-run are different modes: pick one');
  }
  if (opts.strict && mode !== 'check') return usage('--strict only applies with --check');
  for (const report of opts.report) {
    if (!['.json', '.md'].includes(extname(report))) return usage(`--report ${report}: the file name must end in .json or .md`);
  }

  let modelMap: { path: string; text: string } | undefined;
  try {
    if (opts.modelMap) {
      modelMap = { path: opts.modelMap, text: await readFile(opts.modelMap, 'utf8') };
      parseModelMap(modelMap.path, modelMap.text); // fail before any work
    }
    // By id alone: the transforms themselves load ts-morph, which a run with nothing to migrate never needs.
    checkTransformIds(TRANSFORM_IDS, opts.only, opts.skip);
  } catch (e) {
    if (e instanceof ModelMapError || e instanceof UsageError) return usage(e.message);
    return usage(`--model-map: ${(e as Error).message}`);
  }

  const progress = progressLine(process.stderr, opts.progress);
  useCodeCache(); // ts-morph's bundles, if a file needs them, from V8's code cache
  let result: MigrateResult;
  try {
    const { migrate } = await import('./migrate.js');
    result = await migrate({
      paths,
      mode,
      ignore: opts.ignore,
      only: opts.only,
      skip: opts.skip,
      modelMap,
      force: opts.force,
      maxFileBytes: opts.maxFileSize,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.stop();
  }
  if (result.missing.length) {
    for (const p of result.missing) process.stderr.write(err.red(`migrate-interactions: no such file or folder: ${p}\n`));
    return EXIT_CODES.fatal.code;
  }

  if (mode === 'diff') {
    const { unifiedDiff } = await import('./report/diff.js');
    for (const f of result.files.filter((x) => x.changed)) process.stdout.write(unifiedDiff(f, out));
  }
  if (mode === 'check') {
    for (const f of result.files.filter((x) => x.changed)) process.stdout.write(`would change: ${f.file}\n`);
  }
  const annotations = opts.annotations ?? (process.env.GITHUB_ACTIONS === 'true' && mode === 'check' ? 'github' : 'none');
  if (annotations === 'github') {
    const { githubAnnotations } = await import('./report/annotations.js');
    for (const line of githubAnnotations(result)) process.stdout.write(line + '\n');
  }

  // The summary goes to stderr when stdout carries a patch, so `--diff > x.patch` stays a clean patch.
  const summaryStream = mode === 'diff' ? process.stderr : process.stdout;
  summaryStream.write(terminalSummary(result, mode === 'diff' ? err : out) + '\n');

  for (const report of opts.report) {
    const body =
      extname(report) === '.json'
        ? JSON.stringify((await import('./report/json.js')).jsonReport(result, VERSION), null, 2) + '\n'
        : (await import('./report/markdown.js')).markdownReport(result);
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await writeFileAtomic(report, body);
  }
  const code = exitCodeFor(result, Boolean(opts.strict));
  if (opts.typecheck) {
    // Before and after both come from memory, so this is the same in write mode and in a dry run.
    const { typecheckMigration, typecheckReport } = await import('./typecheck.js');
    const checked = typecheckMigration(result.files);
    summaryStream.write(typecheckReport(checked, mode === 'diff' ? err : out) + '\n');
    if (checked.added.length && code === EXIT_CODES.ok.code) return EXIT_CODES.pending.code;
  }
  return code;
}

function usage(message: string): number {
  process.stderr.write(`migrate-interactions: ${message}\n`);
  return EXIT_CODES.fatal.code;
}

// A reader that goes away (`migrate-interactions --check . | head`) must not stop the run: a write run would be cut
// off between two files, with a stack trace. What is left to print goes nowhere; the exit code stays the run's.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`migrate-interactions: fatal: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = EXIT_CODES.fatal.code;
  },
);

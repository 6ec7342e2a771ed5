// `--help` is the CLI's reference: pinned here, so a new or changed option shows up in review.
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { ROOT, tempProject } from './helpers/temp-project.js';

// Not a TTY: commander wraps at 80 columns whatever the terminal.
const help = cli(['--help'], { cwd: ROOT });

describe('--help', () => {
  it('exits 0 with the pinned text', () => {
    expect(help.code).toBe(0);
    expect(help.stdout).toMatchInlineSnapshot(`
      "Usage: migrate-interactions [options] [paths...]

      Migrate @google/generative-ai and the old @google/genai models/chats API to the
      Gemini Interactions API.

      Arguments:
        paths                    files or folders to migrate (default: ["."])

      Options:
        -v, --version            output the version number
        --dry-run                change nothing; print the summary of what would
                                 change (default: false)
        --diff                   print a unified diff of every change on stdout
                                 (implies --dry-run) (default: false)
        --check                  for CI: change nothing; exit 1 when any file would
                                 change (default: false)
        --strict                 with --check: also exit 1 while any
                                 TODO(migrate-interactions) remains (default: false)
        --force                  write even over files with uncommitted git changes
                                 (default: false)
        --only <id>              run only this transform (repeatable; see
                                 --list-transforms) (default: every transform)
        --skip <id>              skip this transform (repeatable) (default: none)
        --ignore <glob>          skip paths matching this glob, relative to the
                                 working directory (repeatable), e.g. 'legacy/**'
                                 (default: none beyond .gitignore files)
        --model-map <file.json>  JSON object of old model id (or glob such as
                                 "gemini-1.5-*") → new id, overriding the built-in
                                 replacement (default: the built-in table)
        --report <file>          write a report: .json (schema:
                                 docs/report-schema.json) or .md (repeatable)
                                 (default: none)
        --annotations <format>   print CI annotations for pending changes and TODOs
                                 (default: github when GITHUB_ACTIONS=true and
                                 --check, else none) (choices: "github", "none")
        --max-file-size <bytes>  skip files larger than this, with a message (default:
                                 5242880 (5 MiB))
        --typecheck              type-check the changed files with the nearest
                                 tsconfig.json before and after the migration; exit 1
                                 when it added diagnostics (default: false)
        --no-progress            never show the progress line (default: shown on a
                                 terminal, after one second)
        --list-transforms        list the transforms in the order they run, and exit
                                 (default: false)
        -h, --help               display help for command

      Examples:
        $ npx migrate-interactions ./src                          migrate in place (refuses files with uncommitted changes)
        $ npx migrate-interactions --diff ./src                   show the diff, change nothing
        $ npx migrate-interactions --dry-run --only model-id-swap .
                                                                  run one transform, print what it would change
        $ npx migrate-interactions --model-map models.json ./src  choose the new model per old id
        $ npx migrate-interactions --ignore 'legacy/**' .         leave a folder out
        $ npx migrate-interactions --check --strict .             CI: fail while anything is left to migrate
        $ npx migrate-interactions --report report.md .           write a review-ready report

      Through jscodeshift, file by file (see the README):
        $ npx jscodeshift -t node_modules/migrate-interactions/dist/src/jscodeshift.cjs src/

      Exit codes:
        0  done; with --check: nothing left to migrate
        1  --check: some file would change (with --strict: or a TODO(migrate-interactions) remains); --typecheck: the migration added type errors
        2  usage error, missing path, refused write (uncommitted changes, or another run holds the lock), or a fatal error
        3  finished, but some files could not be read, parsed or written (listed; left untouched)
      "
    `);
  });

  it('gives every option its default, except --help and --version', () => {
    const options = help.stdout.slice(help.stdout.indexOf('Options:\n'), help.stdout.indexOf('\nExamples:'));
    // An option's entry runs from its flag at column 2 to the next flag.
    const entries = options.split(/\n(?= {2}-)/).slice(1);
    expect(entries.length).toBeGreaterThan(10);
    const withoutDefault = entries.filter((e) => !/\(default: /.test(e.replace(/\s+/g, ' '))).map((e) => e.trim().split(/\s{2,}/)[0]);
    expect(withoutDefault).toEqual(['-v, --version', '-h, --help']);
  });

  it('shows example invocations', () => {
    expect(help.stdout.match(/^ {2}\$ npx migrate-interactions /gm)?.length).toBeGreaterThanOrEqual(5);
    expect(help.stdout).toContain('$ npx jscodeshift -t node_modules/migrate-interactions/dist/src/jscodeshift.cjs');
  });
});

describe('an unknown option', () => {
  // An empty folder: were an option ever accepted by mistake, the run would find nothing to change.
  const empty = tempProject();
  afterAll(() => empty.cleanup());

  it.each([
    ['--dryrun', '--dry-run'],
    ['--model-mpa', '--model-map'],
    ['--stritc', '--strict'],
    ['--list-transform', '--list-transforms'],
  ])('%s suggests %s and exits 2 (usage error)', (typo, suggestion) => {
    const r = cli([typo, '.'], { cwd: empty.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: unknown option '${typo}'\n(Did you mean ${suggestion}?)\n`);
    expect(r.stdout).toBe('');
  });
});

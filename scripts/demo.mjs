#!/usr/bin/env node
// `npm run demo`: migrates a copy of fixtures/sample-app (never the fixture itself) and shows the diff and the summary.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const work = join(mkdtempSync(join(tmpdir(), 'migrate-interactions-demo-')), 'sample-app');
cpSync(join(root, 'fixtures', 'sample-app'), work, { recursive: true, filter: (src) => !src.includes('node_modules') });

// The app's dependencies, as a user's project has them installed: the SDKs' types let the tool tell a prompt from a
// parts array and a function call from any object. (This repository's devDependencies include the app's.)
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');

const sh = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: work, encoding: 'utf8', ...opts });
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'demo', GIT_AUTHOR_EMAIL: 'demo@example.com', GIT_COMMITTER_NAME: 'demo', GIT_COMMITTER_EMAIL: 'demo@example.com' };
// A repository, so the write mode's safety check sees committed files and the diff has a base.
sh('git', ['init', '-q']);
writeFileSync(join(work, '.git', 'info', 'exclude'), 'node_modules\n'); // the link is not part of the app
for (const args of [['add', '-A'], ['commit', '-qm', 'sample app before migration']]) sh('git', args, { env: gitEnv });

const run = sh(process.execPath, [join(root, 'dist', 'src', 'cli.js'), '--report', 'migration-report.md', '.']);
const color = process.stdout.isTTY && !('NO_COLOR' in process.env) ? 'always' : 'never';
process.stdout.write(sh('git', ['--no-pager', 'diff', `--color=${color}`]).stdout);
process.stdout.write('\n' + run.stdout + run.stderr);
process.stdout.write(`\nThe migrated copy is in ${work} (report: migration-report.md).\n`);
process.exitCode = run.status ?? 1;

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, type CliRun } from '../../helpers/cli.js';

/** Injects faults and traces what the CLI launches (see the file). */
export const FAULT_PRELOAD = pathToFileURL(join(import.meta.dirname, 'fault-preload.mjs')).href;

/** Root reads and writes anything: permission tests run the CLI as `nobody` then. */
export const RUN_AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Run without root's powers (as `nobody` through setpriv when the tests run as root). */
  unprivileged?: boolean;
}

function command(args: string[], options: CliOptions): { file: string; argv: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env };
  delete env.FORCE_COLOR;
  const node = [process.execPath, '--import', FAULT_PRELOAD, CLI, '--no-progress', ...args];
  if (options.unprivileged && RUN_AS_ROOT) {
    return { file: 'setpriv', argv: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...node], env };
  }
  return { file: node[0]!, argv: node.slice(1), env };
}

/** Runs the built CLI with the fault preload loaded (it does nothing unless an MI_FAULT_* variable asks). */
export function cliRun(args: string[], options: CliOptions): CliRun {
  const { file, argv, env } = command(args, options);
  const r = spawnSync(file, argv, { cwd: options.cwd, env, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, started in the background (to be killed). */
export function cliStart(args: string[], options: CliOptions): ChildProcess {
  const { file, argv, env } = command(args, options);
  return spawn(file, argv, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Hands a tree to `nobody` when the CLI will run as nobody (symlinks themselves, not their targets). */
export function giveToUnprivileged(dir: string): void {
  if (!RUN_AS_ROOT) return;
  chownSync(dir, NOBODY, NOBODY);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) giveToUnprivileged(path);
    else if (lstatSync(path).isSymbolicLink()) continue;
    else chownSync(path, NOBODY, NOBODY);
  }
}

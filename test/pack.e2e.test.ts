import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from './helpers/temp-project.js';

const dir = mkdtempSync(join(tmpdir(), 'mi-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the packed tarball installs and its bin runs', () => {
  // `npm test` has just built dist/; pack exactly what would be published.
  execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  const app = join(dir, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(dir, tarball!)], { cwd: app, stdio: 'pipe' });

  const help = spawnSync(join(app, 'node_modules', '.bin', 'migrate-interactions'), ['--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('Usage: migrate-interactions [options] [paths...]');

  // The installed copy finds its data file and transforms: it migrates a file.
  writeFileSync(join(app, 'a.mjs'), "import '@google/generative-ai';\nexport const m = { model: 'gemini-pro' };\n");
  const run = spawnSync(join(app, 'node_modules', '.bin', 'migrate-interactions'), ['--dry-run', 'a.mjs'], { cwd: app, encoding: 'utf8' });
  expect(run.stdout).toContain('a.mjs:2:27  gemini-pro → gemini-3-flash-preview');
}, 180_000);

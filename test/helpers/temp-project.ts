import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * A throw-away project folder outside the repository whose `node_modules` links to ours, so the SDKs' types resolve
 * as they would in a user's project. Discovery always skips `node_modules`, so the link is never migrated.
 */
export function tempProject(files: Record<string, string | Buffer> = {}): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mi-test-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A maker of temporary projects for one test file; all are removed after its tests (call in the file's scope). */
export function tempProjects(afterAll: (fn: () => void) => void): (files?: Record<string, string | Buffer>) => string {
  const cleanups: Array<() => void> = [];
  afterAll(() => cleanups.forEach((c) => c()));
  return (files = {}) => {
    const p = tempProject(files);
    cleanups.push(p.cleanup);
    return p.dir;
  };
}

import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aliasedImports } from '../src/path-aliases.js';
import { mergeAliases, workspaceAliases } from '../src/workspaces.js';
import { tempProjects } from './helpers/temp-project.js';

const project = tempProjects(afterAll);

describe('workspaceAliases', () => {
  it('reads npm/yarn workspaces: the source entry a package points to, or src/index, and its subpaths', () => {
    const dir = project({
      'package.json': '{ "private": true, "workspaces": { "packages": ["packages/*", "apps/**", "!apps/legacy"] } }',
      'packages/ai/package.json': '{ "name": "@acme/ai", "exports": { ".": { "types": "./dist/index.d.ts", "import": "./src/main.ts" } } }',
      'packages/ai/src/main.ts': 'export {};\n',
      'packages/ui/package.json': '{ "name": "ui", "main": "dist/index.js" }',
      'packages/ui/src/index.tsx': 'export {};\n',
      'apps/site/web/package.json': '{ "name": "web" }',
      'apps/legacy/package.json': '{ "name": "legacy" }',
      'packages/no-name/package.json': '{}',
    });
    const aliases = workspaceAliases(join(dir, 'packages', 'ai', 'src'))!;
    expect(aliases.packages).toEqual({
      '@acme/ai': { entry: join(dir, 'packages/ai/src/main.ts'), files: join(dir, 'packages/ai/src/*') },
      ui: { entry: join(dir, 'packages/ui/src/index.tsx'), files: join(dir, 'packages/ui/src/*') },
      web: { entry: undefined, files: join(dir, 'apps/site/web/*') },
    });
    expect(aliases.paths['@acme/ai']).toEqual([join(dir, 'packages/ai/src/main.ts')]);
    expect(aliases.paths['web/*']).toEqual([join(dir, 'apps/site/web/*')]);
    expect(aliases.paths.web).toBeUndefined();
  });

  it('reads pnpm-workspace.yaml', () => {
    const dir = project({
      'pnpm-workspace.yaml': "# packages\npackages:\n  - 'libs/*'\n  - \"tools/cli\" # the CLI\n\ncatalog:\n  x: 1\n",
      'libs/gemini/package.json': '{ "name": "@x/gemini", "types": "src/index.ts" }',
      'libs/gemini/src/index.ts': 'export {};\n',
      'tools/cli/package.json': '{ "name": "cli" }',
      'tools/cli/index.js': '',
    });
    const aliases = workspaceAliases(dir)!;
    expect(Object.keys(aliases.packages!).sort()).toEqual(['@x/gemini', 'cli']);
    expect(aliases.packages!.cli).toEqual({ entry: join(dir, 'tools/cli/index.js'), files: join(dir, 'tools/cli/*') });
  });

  it('is undefined outside a workspace', () => {
    expect(workspaceAliases(project({ 'package.json': '{ "name": "app" }' }))).toBeUndefined();
  });

  it('finds imports by package name and subpath in the bytes, searching for the scope and unscoped names', () => {
    const packages = { '@acme/ai': { entry: '/w/ai/src/index.ts', files: '/w/ai/src/*' }, ui: { files: '/w/ui/*' } };
    const bytes = Buffer.from(
      [
        "import { model } from '@acme/ai';",
        'export * from "@acme/ai/gemini";',
        "const m = require('@acme/ai/lib/x.js');",
        "await import('ui/button');",
        "import 'ui';", // no entry: nothing to name
        "import x from '@acme/ai-utils';",
        "import y from './local';",
        "const s = '@acme/ai';", // a string that names a package counts too: one more file in the program at worst
        "const t = 'user interface';",
      ].join('\n'),
    );
    expect(aliasedImports(bytes, { paths: {}, rules: [], packages }).sort()).toEqual(['/w/ai/src/gemini', '/w/ai/src/index.ts', '/w/ai/src/index.ts', '/w/ai/src/lib/x.js', '/w/ui/button']);
  });

  it('with many unscoped packages, looks for import keywords instead of each name', () => {
    const packages = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`lib${i}`, { entry: `/w/lib${i}/index.ts`, files: `/w/lib${i}/*` }]));
    const bytes = Buffer.from("import a from 'lib3';\nconst b = require(\"lib7/x\");\nconst c = 'lib5';\n");
    expect(aliasedImports(bytes, { paths: {}, rules: [], packages }).sort()).toEqual(['/w/lib3/index.ts', '/w/lib7/x']);
  });

  it('merges with tsconfig paths, which win', () => {
    const tsconfig = { paths: { '@acme/ai': ['/t/ai.ts'], '~/*': ['/t/*'] }, rules: [{ prefix: '~/', suffix: '', target: '/t/*' }] };
    const workspace = { paths: { '@acme/ai': ['/w/ai.ts'], '@acme/ai/*': ['/w/*'] }, rules: [], packages: { '@acme/ai': { entry: '/w/ai.ts', files: '/w/*' } } };
    const merged = mergeAliases(tsconfig, workspace)!;
    expect(merged.paths).toEqual({ '@acme/ai': ['/t/ai.ts'], '@acme/ai/*': ['/w/*'], '~/*': ['/t/*'] });
    expect(merged.rules).toEqual(tsconfig.rules);
    expect(merged.packages).toEqual(workspace.packages);
    expect(mergeAliases(undefined, workspace)).toBe(workspace);
  });
});

import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';
import { preloadWithCodeCache } from './compile-cache.js';

/**
 * ts-morph's runtime values, loaded with require(). ts-morph is CommonJS: an ESM `import` of it makes Node scan its
 * 10 MB TypeScript bundle for export names, about a second of every run; require() skips that. Types still come
 * from 'ts-morph' (`import type`), which costs nothing at run time. Its three bundles come from V8's code cache
 * when the CLI asked for it (compile-cache.ts).
 */
const require = createRequire(import.meta.url);
const tsMorphPath = require.resolve('ts-morph');
const commonPath = createRequire(tsMorphPath).resolve('@ts-morph/common');
preloadWithCodeCache([createRequire(commonPath).resolve('./typescript'), commonPath, tsMorphPath]);
const tsMorph = require('ts-morph') as typeof TsMorph;

export const Node = tsMorph.Node;
export type Node<T extends TsMorph.ts.Node = TsMorph.ts.Node> = TsMorph.Node<T>;
export const SyntaxKind = tsMorph.SyntaxKind;
export type SyntaxKind = TsMorph.SyntaxKind;
export const Project = tsMorph.Project;
export type Project = TsMorph.Project;
export const ts = tsMorph.ts;

#!/usr/bin/env node
// The floor of any type-aware run, a row of `npm run bench` (--floor): what the smallest type-aware job costs with
// this build's own pieces when finding the files costs nothing.
//
//   node scripts/type-floor.mjs <dist/src folder of a build> <file listing the Gemini files, one per line>
//
// Run in the tree. It loads ts-morph the way the CLI does (from the V8 code cache), builds the tool's analysis
// program (the ES library, Node's types where the tree has them, both SDKs' declarations) over the listed files, and
// asks the type checker for the symbol of every method call in them: no walk, no reads but these files, no
// migration, no edits, no report. Whatever the transforms do, a `--check` of the same tree cannot take less.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [distSrc, listFile] = process.argv.slice(2);
if (!distSrc || !listFile) {
  process.stderr.write('usage: type-floor.mjs <dist/src folder> <file list>\n');
  process.exit(2);
}
const load = (name) => import(pathToFileURL(path.resolve(distSrc, name)).href);
const { useCodeCache } = await load('compile-cache.js');
useCodeCache();
const { newAnalysisProject, addSourceFile } = await load('analysis-project.js');
const { ts } = await load('tsm.js');

const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean).map((f) => path.resolve(f));
const project = newAnalysisProject();
const sourceFiles = files.map((f) => addSourceFile(project, f, readFileSync(f, 'utf8')).compilerNode);
const checker = project.getTypeChecker().compilerObject;
let calls = 0;
let sdkCalls = 0;
const visit = (node) => {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    calls++;
    const symbol = checker.getSymbolAtLocation(node.expression.name);
    if (symbol?.declarations?.some((d) => d.getSourceFile().fileName.includes('/@google/'))) sdkCalls++;
  }
  ts.forEachChild(node, visit);
};
for (const sf of sourceFiles) visit(sf);
// A floor that found no SDK call measured nothing: the bench flags the row.
if (sdkCalls === 0 && files.length > 0) {
  process.stderr.write(`type-floor: no SDK method call resolved in ${files.length} files (are the SDKs installed?)\n`);
  process.exit(1);
}
process.stdout.write(`${files.length} files, ${calls} method calls, ${sdkCalls} of them the SDKs'\n`);

// `--typecheck`: type-checks the files a migration changes, before and after, with the project's own tsconfig.json,
// and reports the diagnostics the migration added. Both versions come from memory (FileResult.before/after), so it
// works the same in write mode (files already written) and in a dry run (nothing written).
//
// It uses the TypeScript that ts-morph bundles (a dependency, so it works from the installed package): ts-morph serves
// that compiler's lib .d.ts files from memory, and reads everything else (the project, node_modules) from disk.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { diffArrays } from 'diff';
import type pc from 'picocolors';
import { Project, ts, type SourceFile } from 'ts-morph';
import type { FileResult } from './runner.js';

type Colors = ReturnType<typeof pc.createColors>;

export interface TypecheckDiagnostic {
  /** Path relative to the working directory, as in the rest of the report. */
  file: string;
  /** 1-based, in the migrated text (the file as written, or as `--diff` shows it). Absent for file-wide diagnostics. */
  line?: number;
  column?: number;
  code: number;
  message: string;
}

export interface TypecheckFile {
  file: string;
  /** The tsconfig.json used (relative path), or null when none was found and the defaults were used. */
  config: string | null;
  /** Why it was not checked (a JavaScript file without checkJs); otherwise it was. */
  skipped?: string;
  /** Whether the migration changed it; unchanged files are checked because they import a changed one. */
  changed: boolean;
  before: number;
  after: number;
  added: TypecheckDiagnostic[];
}

export interface TypecheckResult {
  files: TypecheckFile[];
  /** Every diagnostic the migration added, in file order. */
  added: TypecheckDiagnostic[];
  /** One-line facts: no tsconfig found, a tsconfig that could not be read, ... */
  notices: string[];
  durationMs: number;
}

/** Used when no tsconfig.json is found above a file: what a careful new project would set. */
export const DEFAULT_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  skipLibCheck: true,
  esModuleInterop: true,
  jsx: ts.JsxEmit.Preserve,
  types: ['*'], // every visible @types package, as TypeScript 5 does by default (6 includes none)
  noEmit: true,
};
const DEFAULTS_TEXT = 'strict, NodeNext, lib ES2022 + DOM, skipLibCheck';

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const TS_FILE = /\.(?:[cm]?ts|tsx)$/i;
const TS_CHECK_PRAGMA = /^\s*(?:\/\/\s*@ts-check\b|\/\*[\s\S]*?@ts-check\b)/;

interface Group {
  config?: string;
  options: ts.CompilerOptions;
  /** The files the tsconfig includes, and the tsconfigs it references (for solution-style configs). */
  includes?: Set<string>;
  references?: string[];
  /** `.d.ts` files the tsconfig includes: ambient declarations the project's own files rely on. */
  declarations: string[];
  files: FileResult[];
}

/**
 * Type-checks the changed files of a run (and the parsed files that import them) before and after the migration,
 * grouped by the nearest tsconfig.json. Unchanged files are read from disk; changed ones from `before`/`after`.
 */
export function typecheckMigration(all: readonly FileResult[], options: { cwd?: string } = {}): TypecheckResult {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const result: TypecheckResult = { files: [], added: [], notices: [], durationMs: 0 };
  const files = all.filter((f) => SOURCE_FILE.test(f.realPath)); // not the package.json files a run updates
  if (!files.some((f) => f.changed)) return finish(result, started);

  const groups = new Map<string, Group>();
  const configs = new Map<string, Group>(); // parsed tsconfigs, by path
  const noConfig: string[] = [];
  for (const f of files) {
    const group = groupFor(f, configs, result.notices, cwd);
    if (!group && f.changed) noConfig.push(f.file);
    const used = group ?? DEFAULT_GROUP;
    const key = used.config ?? '';
    if (!groups.has(key)) groups.set(key, { ...used, files: [] });
    groups.get(key)!.files.push(f);
  }
  if (noConfig.length) {
    const more = noConfig.length > 1 ? ` (and ${noConfig.length - 1} more)` : '';
    result.notices.unshift(`no tsconfig.json above ${noConfig[0]}${more}: checked with defaults (${DEFAULTS_TEXT})`);
  }
  const changed = files.filter((f) => f.changed && f.before !== undefined && f.after !== undefined);
  for (const group of groups.values()) result.files.push(...checkGroup(group, changed, cwd));
  result.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  result.added = result.files.flatMap((f) => f.added);
  return finish(result, started);
}

function finish(result: TypecheckResult, started: number): TypecheckResult {
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

// ---- the project's configuration ----

const DEFAULT_GROUP: Group = { options: DEFAULT_COMPILER_OPTIONS, declarations: [], files: [] };

/** The group of the nearest tsconfig.json (defaults when it cannot be read), or undefined when there is none. */
function groupFor(f: FileResult, configs: Map<string, Group>, notices: string[], cwd: string): Group | undefined {
  const path = normalize(f.realPath);
  const nearest = ts.findConfigFile(dirname(path), ts.sys.fileExists);
  if (!nearest) return undefined;
  let group = configs.get(nearest) ?? remember(configs, nearest, parseConfig(nearest, notices, cwd));
  // A solution-style tsconfig (`"files": []` plus references, as Vite sets up) checks nothing itself: use the
  // referenced project that includes the file.
  if (group.config && !group.includes?.has(path)) {
    for (const ref of group.references ?? []) {
      const referenced = configs.get(ref) ?? remember(configs, ref, parseConfig(ref, notices, cwd));
      if (referenced.includes?.has(path)) {
        group = referenced;
        break;
      }
    }
  }
  return group;
}

function remember(configs: Map<string, Group>, key: string, group: Group): Group {
  configs.set(key, group);
  return group;
}

function parseConfig(path: string, notices: string[], cwd: string): Group {
  const shown = display(path, cwd);
  const read = ts.readConfigFile(path, ts.sys.readFile);
  if (read.error) {
    notices.push(`${shown}: cannot be read (${message(read.error)}): checked with defaults (${DEFAULTS_TEXT})`);
    return DEFAULT_GROUP;
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(path), undefined, path);
  // TS18003 "No inputs were found" is normal for a solution-style config; the rest is worth knowing.
  for (const e of parsed.errors.filter((d) => d.code !== 18003)) notices.push(`${shown}: ${message(e)}`);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  olderTypeScriptDefaults(options, dirname(path));
  return {
    config: path,
    options,
    includes: new Set(parsed.fileNames.map(normalize)),
    references: (parsed.projectReferences ?? []).map((r) => normalize(ts.resolveProjectReferencePath(r))),
    declarations: parsed.fileNames.filter((n) => /\.d\.[cm]?ts$/i.test(n)),
    files: [],
  };
}

/**
 * TypeScript 6 (bundled) changed defaults that TypeScript 5 projects rely on without saying so: `strict` on, no
 * automatic `@types`, side-effect imports checked. Unless the project's own TypeScript is 6 or later, unset options
 * keep their TypeScript 5 meaning, so the check does not report what the project's compiler never would.
 */
function olderTypeScriptDefaults(options: ts.CompilerOptions, dir: string): void {
  options.ignoreDeprecations ??= '6.0'; // options that 6 deprecates (baseUrl, node10...) still work; no noise
  if ((projectTypeScriptMajor(dir) ?? 5) >= 6) return;
  options.strict ??= false;
  options.types ??= ['*'];
  options.noUncheckedSideEffectImports ??= false;
}

function projectTypeScriptMajor(dir: string): number | undefined {
  try {
    const main = createRequire(join(dir, 'tsconfig.json')).resolve('typescript');
    const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version?: string };
    const major = Number(pkg.version?.split('.')[0]);
    return Number.isInteger(major) ? major : undefined;
  } catch {
    return undefined;
  }
}

// ---- checking ----

function checkGroup(group: Group, allChanged: FileResult[], cwd: string): TypecheckFile[] {
  const compilerOptions = group.options;
  const config = group.config ? display(group.config, cwd) : null;
  const mine = new Set(group.files);
  const changed = allChanged.filter((f) => mine.has(f));
  const out: TypecheckFile[] = [];

  // JavaScript is checked only where the project checks it: checkJs, or a `// @ts-check` file.
  const checkable = (f: FileResult, text: string) => TS_FILE.test(f.realPath) || Boolean(compilerOptions.checkJs) || TS_CHECK_PRAGMA.test(text);
  const project = new Project({
    compilerOptions: { ...compilerOptions, allowJs: compilerOptions.allowJs || changed.some((f) => !TS_FILE.test(f.realPath) && checkable(f, f.after!)) },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  for (const d of group.declarations) project.addSourceFileAtPathIfExists(d);

  const entries: Array<{ f: FileResult; sf: SourceFile; checked: boolean }> = [];
  for (const f of allChanged) {
    // Changed files of other tsconfigs too: in write mode the disk already holds their migrated text.
    const sf = project.createSourceFile(normalize(f.realPath), f.before!, { overwrite: true });
    const checked = mine.has(f) && (checkable(f, f.before!) || checkable(f, f.after!));
    entries.push({ f, sf, checked });
    if (mine.has(f) && !checked) out.push({ file: f.file, config, changed: true, skipped: 'JavaScript, and the tsconfig has no checkJs', before: 0, after: 0, added: [] });
  }
  // Parsed but unchanged files that import a changed one: a migration that breaks its importers shows there.
  const changedPaths = new Set<string>(entries.map((e) => e.sf.getFilePath()));
  for (const f of group.files.filter((x) => !x.changed)) {
    const sf = project.addSourceFileAtPathIfExists(normalize(f.realPath));
    if (!sf || !checkable(f, sf.getFullText())) continue;
    if (importsAny(sf, changedPaths, project.getCompilerOptions())) entries.push({ f, sf, checked: true });
  }
  const checked = entries.filter((e) => e.checked);
  if (checked.length === 0) return out;

  const before = diagnosticsOf(project, checked.map((e) => e.sf));
  for (const e of entries) if (e.f.changed) e.sf.replaceWithText(e.f.after!);
  const after = diagnosticsOf(project, checked.map((e) => e.sf));

  checked.forEach((e, i) => {
    const b = before[i]!;
    const a = after[i]!;
    const added = e.f.changed ? addedDiagnostics(b, a, lineMap(e.f.before!, e.f.after!)) : addedDiagnostics(b, a, undefined);
    out.push({ file: e.f.file, config, changed: e.f.changed, before: b.length, after: a.length, added: added.map((d) => ({ file: e.f.file, ...d })) });
  });
  return out;
}

type Found = Omit<TypecheckDiagnostic, 'file'>;

function diagnosticsOf(project: Project, files: SourceFile[]): Found[][] {
  const program = project.getProgram().compilerObject;
  return files.map((sf) => {
    const node = program.getSourceFile(sf.getFilePath());
    if (!node) return [];
    // Only the file's own diagnostics: option and global ones do not change with a file's text.
    return ts
      .getPreEmitDiagnostics(program, node)
      .filter((d) => d.file === node)
      .map((d) => {
        const at = d.start === undefined ? undefined : node.getLineAndCharacterOfPosition(d.start);
        return { line: at && at.line + 1, column: at && at.character + 1, code: d.code, message: message(d) };
      });
  });
}

/**
 * Line numbers of the migrated text → the original text, for the lines the migration left as they were (a line
 * diff: inserted TODO lines and rewritten lines shift the rest). Rewritten lines map to nothing.
 */
function lineMap(before: string, after: string): { toBefore: Map<number, number>; unchangedBefore: Set<number> } {
  const toBefore = new Map<number, number>();
  let b = 1;
  let a = 1;
  for (const part of diffArrays(before.split(/\r?\n/), after.split(/\r?\n/))) {
    const n = part.value.length;
    if (part.added) a += n;
    else if (part.removed) b += n;
    else for (let i = 0; i < n; i++) toBefore.set(a++, b++);
  }
  return { toBefore, unchangedBefore: new Set(toBefore.values()) };
}

/**
 * The diagnostics of `after` that `before` did not have. Two diagnostics are the same when their code and message
 * text are equal and they stand on the same line: on a line the migration kept, the same line of the original (a
 * pre-existing error the lines above pushed down is not new); on a line the migration rewrote, any rewritten line of
 * the original (the rewrite moves text around, so line numbers say nothing there). Each diagnostic of `before`
 * matches one of `after` at most, so a second copy of an old error is new. Without a map (an unchanged file) lines
 * must be equal.
 */
function addedDiagnostics(before: Found[], after: Found[], map: ReturnType<typeof lineMap> | undefined): Found[] {
  const key = (d: Found) => `${d.code}\u0000${d.message}`;
  const unmatched = new Set(before);
  const take = (d: Found, where: (b: Found) => boolean) => {
    for (const b of unmatched) {
      if (key(b) === key(d) && where(b)) {
        unmatched.delete(b);
        return true;
      }
    }
    return false;
  };
  const pending: Found[] = [];
  // Kept lines first, so a rewritten line cannot take the match a kept line needs.
  for (const d of after) {
    const line = d.line === undefined ? undefined : map ? map.toBefore.get(d.line) : d.line;
    const matched = d.line === undefined ? take(d, (b) => b.line === undefined) : line !== undefined && take(d, (b) => b.line === line);
    if (!matched) pending.push(d);
  }
  return pending.filter((d) => !(map && d.line !== undefined && !map.toBefore.has(d.line) && take(d, (b) => b.line !== undefined && !map.unchangedBefore.has(b.line))));
}

// ---- output ----

/** What `--typecheck` prints after the summary. */
export function typecheckReport(result: TypecheckResult, c: Colors): string {
  const lines: string[] = [];
  const checked = result.files.filter((f) => !f.skipped);
  const skipped = result.files.filter((f) => f.skipped);
  const configs = [...new Set(checked.map((f) => f.config ?? 'defaults'))];
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const importers = checked.filter((f) => !f.changed).length;
  const before = checked.reduce((n, f) => n + f.before, 0);
  const after = checked.reduce((n, f) => n + f.after, 0);
  if (checked.length === 0) {
    lines.push(`${c.bold('type check:')} ${result.files.length ? 'no changed file to check' : 'no file changed, nothing to check'}`);
  } else {
    lines.push(
      `${c.bold('type check:')} ${count(checked.length - importers, 'changed file')}${importers ? ` and ${count(importers, 'file')} importing them` : ''}` +
        ` checked with ${configs.join(', ')}: ${count(before, 'diagnostic')} before, ${after} after, ` +
        (result.added.length ? c.red(`${result.added.length} added by the migration`) : c.green('0 added by the migration')) +
        ` (${(result.durationMs / 1000).toFixed(2)}s)`,
    );
  }
  for (const notice of result.notices) lines.push(c.yellow(`note: ${notice}`));
  if (skipped.length) lines.push(c.yellow(`note: not checked (JavaScript, and its tsconfig has no checkJs): ${skipped.map((f) => f.file).join(', ')}`));
  if (result.added.length) {
    lines.push(c.bold('diagnostics added by the migration:'));
    for (const d of result.added) {
      const at = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column}`;
      lines.push(`  ${at}  ${c.red(`TS${d.code}`)} ${d.message.replace(/\n/g, '\n      ')}`);
    }
  }
  return lines.join('\n');
}

function message(d: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, '\n');
}

/** ts-morph and the compiler use absolute paths with forward slashes. */
function normalize(path: string): string {
  return resolve(path).replace(/\\/g, '/');
}

function display(path: string, cwd: string): string {
  return relative(cwd, path).replace(/\\/g, '/') || path;
}

/**
 * Whether a file imports (or requires) one of `paths`, by resolving its specifiers as the compiler would. Not
 * ts-morph's getReferencedSourceFiles(): that answers through the program, and on a tree with many unresolvable
 * imports each program build it starts adds files that restart it, deep enough to overflow the stack.
 */
function importsAny(sf: SourceFile, paths: Set<string>, options: ts.CompilerOptions): boolean {
  const specifiers = [
    ...sf.getImportDeclarations().map((d) => d.getModuleSpecifierValue()),
    ...sf.getExportDeclarations().flatMap((d) => d.getModuleSpecifierValue() ?? []),
    ...sf.getDescendantsOfKind(ts.SyntaxKind.CallExpression).flatMap((c) => {
      const arg = c.getArguments()[0];
      return c.getExpression().getText() === 'require' && arg && ts.isStringLiteralLike(arg.compilerNode) ? [arg.compilerNode.text] : [];
    }),
  ];
  return specifiers.some((spec) => {
    const resolved = ts.resolveModuleName(spec, sf.getFilePath(), options, ts.sys).resolvedModule;
    return resolved !== undefined && paths.has(resolved.resolvedFileName);
  });
}

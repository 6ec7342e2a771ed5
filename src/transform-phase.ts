import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageJsonUpdates } from './package-json.js';
import { Project, ts, type SourceFile } from 'ts-morph';
import { transforms as registry } from '../transforms/index.js';
import { applyEdits, lineColumn, mapOffset, unmapOffset } from './edits.js';
import type { ModelTable } from './model-ids.js';
import { selectTransforms, type Candidate, type FileResult, type RunOptions, type RunResult } from './runner.js';
import { decodeSource, type DecodedSource } from './source-text.js';
import { todoEdits, type TodoRequest } from './todo-emitter.js';
import type { ModelIdFinding, TextEdit, TodoFinding, Transform, TransformContext } from './types.js';

/** Parses the prefiltered files into one program and runs the selected transforms on each. */
export async function transformCandidates(candidates: readonly Candidate[], options: RunOptions, table: ModelTable, result: RunResult): Promise<void> {
  const selected = selectTransforms(options.transforms ?? registry, options.only, options.skip);
  const project = newProject();
  const positionsIn = (options.mode ?? 'write') === 'write' ? 'migrated' : 'original';

  // Parse every candidate first, so transforms can follow references into the other candidates.
  const parsed: Array<{ c: Candidate; decoded: DecodedSource; sf: SourceFile }> = [];
  for (const c of candidates) {
    const decoded = decodeSource(c.bytes);
    if ('kind' in decoded) {
      result.errors.push({ file: c.file, kind: decoded.kind, line: decoded.line, column: decoded.column, message: decoded.message });
      continue;
    }
    const sf = project.createSourceFile(c.absPath, decoded.text, { overwrite: true });
    const syntax = firstSyntaxError(sf);
    if (syntax) {
      result.errors.push({ file: c.file, kind: 'syntax', ...syntax });
      project.removeSourceFile(sf);
      continue;
    }
    parsed.push({ c, decoded, sf });
  }
  result.filesParsed = parsed.length;

  for (const { c, decoded, sf } of parsed) {
    try {
      result.files.push(migrateFile(c, decoded, sf, project, selected, table, positionsIn));
    } catch (e) {
      sf.replaceWithText(decoded.text); // later files may look at this one: give them the original back
      result.errors.push({ file: c.file, kind: 'transform', message: `transform failed, file left as it was: ${(e as Error).message}` });
    }
  }
  if (options.paths.length) {
    const cwd = options.cwd ?? process.cwd();
    const roots = options.paths.map((p) => safeRealpath(resolve(cwd, p)));
    const packages = packageJsonUpdates(result.files, roots, cwd);
    result.files.push(...packages.files);
    result.notices.push(...packages.notices);
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function newProject(): Project {
  return new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: {
      allowJs: true,
      checkJs: false,
      jsx: ts.JsxEmit.Preserve,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
    },
  });
}

function firstSyntaxError(sf: SourceFile): { line: number; column: number; message: string } | undefined {
  // parseDiagnostics is internal but long-standing; asking for full diagnostics would type-check the program.
  const diagnostics = (sf.compilerNode as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics;
  const first = diagnostics?.[0];
  if (!first) return undefined;
  const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
  return { ...lineColumn(sf.getFullText(), first.start ?? 0), message: `syntax error: ${message}` };
}

interface PendingFinding<T> {
  finding: T;
  /** Offset in the current text, moved along as later transforms edit. */
  offset: number;
  /** Offset in the original text. */
  originalOffset: number;
}

function migrateFile(
  c: Candidate,
  decoded: DecodedSource,
  sf: SourceFile,
  project: Project,
  transforms: readonly Transform[],
  modelTable: ModelTable,
  positionsIn: 'original' | 'migrated',
): FileResult {
  const original = decoded.text;
  let text = original;
  const modelIds: Array<PendingFinding<ModelIdFinding>> = [];
  const todos: Array<PendingFinding<TodoFinding>> = [];
  const batches: TextEdit[][] = []; // every transform's edits, in order, to map offsets back to the original
  const originalOf = (offset: number) => batches.reduceRight((o, batch) => unmapOffset(o, batch), offset);
  const pending = <T>(finding: T, offset: number): PendingFinding<T> => ({ finding, offset, originalOffset: originalOf(offset) });

  for (const transform of transforms) {
    const requests: TodoRequest[] = [];
    const found: Array<PendingFinding<ModelIdFinding>> = [];
    const ctx: TransformContext = {
      sourceFile: sf,
      project,
      eol: decoded.eol,
      modelTable,
      modelId: (node, f) => found.push(pending({ ...f, transform: transform.id, line: 0, column: 0 }, node.getStart())),
      todo: (node, reason, detail) => requests.push({ node, reason, detail }),
    };
    const edits = transform.run(ctx);
    const todo = todoEdits(sf, requests, decoded.eol);
    modelIds.push(...found);
    for (const p of todo.placed) {
      todos.push(pending({ transform: transform.id, reason: p.reason, message: p.message, line: 0, column: 0 }, p.offset));
    }
    const all: TextEdit[] = [...edits, ...todo.edits];
    if (all.length === 0) continue;
    text = applyEdits(text, all);
    batches.push(all);
    for (const p of [...modelIds, ...todos]) p.offset = mapOffset(p.offset, all);
    sf.replaceWithText(text);
  }

  // Positions say where to look after the run: in the migrated text when it is written, else in the original.
  const place = <T extends { line: number; column: number }>(p: PendingFinding<T>): T =>
    positionsIn === 'migrated' ? { ...p.finding, ...lineColumn(text, p.offset) } : { ...p.finding, ...lineColumn(original, p.originalOffset) };
  const changed = text !== original;
  return {
    file: c.file,
    absPath: c.absPath,
    realPath: c.realPath,
    changed,
    modelIds: modelIds.map(place),
    todos: todos.map(place),
    before: changed ? original : undefined,
    after: changed ? text : undefined,
    decoded,
    hash: createHash('sha256').update(c.bytes).digest('hex'),
  };
}

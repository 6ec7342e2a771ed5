import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageJsonUpdates } from './package-json.js';
import { ts } from './tsm.js';
import { addSourceFile, newAnalysisProject, warmUp } from './analysis-project.js';
import { nestingProblem, parseFailure } from './nesting.js';
import { setProjectFiles } from './migration/find.js';
import type { Project, SourceFile, ts as TS } from 'ts-morph';
import { transforms as registry } from '../transforms/index.js';
import { applyEdits, lineColumn, mapOffset, unmapOffset } from './edits.js';
import type { ModelTable } from './model-ids.js';
import type { PathAliases } from './path-aliases.js';
import { selectTransforms, type Candidate, type FileError, type FileResult, type RunOptions, type RunResult } from './runner.js';
import { decodeSource, type DecodedSource } from './source-text.js';
import { todoEdits, type TodoRequest } from './todo-emitter.js';
import type { ModelIdFinding, TextEdit, TodoFinding, Transform, TransformContext } from './types.js';

/**
 * The analysis project, its libraries parsed ahead (see warmUp): for the runner to call while a worker thread is still
 * reading the files, then to hand to transformCandidates. Undefined if that failed: it was only for speed.
 */
export function preparedProject(aliases: PathAliases | undefined, dir: string): Project | undefined {
  const project = newAnalysisProject(aliases);
  try {
    warmUp(project, dir);
    return project;
  } catch {
    return undefined;
  }
}

/** Parses the prefiltered files into one program and runs the selected transforms on each. */
export async function transformCandidates(
  candidates: readonly Candidate[],
  options: RunOptions,
  table: ModelTable,
  result: RunResult,
  aliases?: PathAliases,
  prepared?: Project,
): Promise<void> {
  const selected = selectTransforms(options.transforms ?? registry, options.only, options.skip);
  const project = prepared ?? newAnalysisProject(aliases);
  const positionsIn = (options.mode ?? 'write') === 'write' ? 'migrated' : 'original';

  // Parse every candidate first, so transforms can follow references into the other candidates.
  const parsed: Array<{ c: Candidate; decoded: DecodedSource; sf: SourceFile }> = [];
  for (const c of candidates) {
    const decoded = decodeSource(c.bytes);
    // A module outside the paths given is only read, for the uses it makes of the run's files: its problems are not
    // the run's to report, and a syntax error does not keep it out.
    const report = (error: FileError) => c.outside || result.errors.push(error);
    if ('kind' in decoded) {
      report({ file: c.file, kind: decoded.kind, line: decoded.line, column: decoded.column, message: decoded.message });
      continue;
    }
    let sf: SourceFile;
    try {
      sf = addSourceFile(project, c.absPath, decoded.text);
    } catch (e) {
      // The parser is recursive: absurdly deep nesting can exhaust the stack. That file alone is skipped.
      report({ file: c.file, kind: 'too-large', ...parseFailure(e) }); // too large for the parser: the report schema's kind
      continue;
    }
    // Parsed, but deeper than the walks after it can go without running out of stack: left out too.
    const deep = nestingProblem(sf.compilerNode);
    if (deep) {
      report({ file: c.file, kind: 'too-large', ...deep });
      project.removeSourceFile(sf);
      continue;
    }
    if (c.outside) continue;
    const syntax = firstSyntaxError(sf);
    if (syntax) {
      result.errors.push({ file: c.file, kind: 'syntax', ...syntax });
      project.removeSourceFile(sf);
      continue;
    }
    parsed.push({ c, decoded, sf });
  }
  result.filesParsed = parsed.length;
  setProjectFiles(project);

  const states = parsed.map((p) => new FileState(p.c, p.decoded, p.sf));
  const stateOf = new Map(states.map((st) => [st.sf, st]));
  // Transform by transform over all files: every file's analysis sees the same snapshot, so a transform may edit
  // another file too (a call site of a model created elsewhere) and the two halves agree. A transform that only adds
  // TODO lines shares its snapshot with the next one, and their edits go in together: comment lines change nothing
  // the next one reads, and the files it marked need no reparse and the program no rebuild in between.
  for (const group of snapshotGroups(selected)) {
    for (const state of states) state.refresh();
    const applied = new Map<FileState, Array<[string, Contribution]>>();
    for (const transform of group) {
      const batches = runTransform(transform, states, stateOf, project, table, result);
      for (const [state, c] of batches) {
        if (!applied.has(state)) applied.set(state, []);
        applied.get(state)!.push([transform.id, c]);
      }
    }
    for (const [state, contributions] of applied) {
      if (state.failed) continue;
      try {
        state.apply(contributions);
      } catch (e) {
        state.fail(e, result);
      }
    }
  }
  for (const state of states) if (!state.failed) result.files.push(state.result(positionsIn));
  if (options.paths.length) {
    const cwd = options.cwd ?? process.cwd();
    const roots = options.paths.map((p) => safeRealpath(resolve(cwd, p)));
    const packages = packageJsonUpdates(result.files, roots, cwd);
    result.files.push(...packages.files);
    result.notices.push(...packages.notices);
  }
}

/** One transform over every file of the run, on the current snapshot: what it asks of each file (a file it fails on is left as it was). */
function runTransform(
  transform: Transform,
  states: readonly FileState[],
  stateOf: ReadonlyMap<SourceFile, FileState>,
  project: Project,
  table: ModelTable,
  result: RunResult,
): Map<FileState, Contribution> {
  const batches = new Map<FileState, Contribution>();
  for (const state of states) {
    if (state.failed) continue;
    const local = new Map<FileState, Contribution>();
    const bucket = (node: { getSourceFile(): SourceFile }) => {
      const target = stateOf.get(node.getSourceFile());
      if (!target) return undefined;
      let c = local.get(target);
      if (!c) local.set(target, (c = { edits: [], requests: [], found: [] }));
      return c;
    };
    const ctx: TransformContext = {
      sourceFile: state.sf,
      project,
      eol: state.decoded.eol,
      modelTable: table,
      // A finding or a TODO in a file outside the run (one read only for its imports, see outside-importers.ts) has
      // no text here to go into; the transforms say why on the run's side.
      modelId: (node, f) => bucket(node)?.found.push({ node, finding: { ...f, transform: transform.id, line: 0, column: 0 } }),
      todo: (node, reason, detail) => bucket(node)?.requests.push({ node, reason, detail }),
      inRun: (sf) => stateOf.has(sf),
    };
    try {
      for (const edit of transform.run(ctx)) {
        // An edit of a file outside the run has no text here to go into: the transform's file fails instead.
        if (edit.sourceFile && !stateOf.has(edit.sourceFile)) throw new Error(`an edit of ${edit.sourceFile.getBaseName()}, which is not among the files of the run`);
        bucket(edit.sourceFile ?? state.sf)!.edits.push(edit);
      }
    } catch (e) {
      state.fail(e, result);
      continue;
    }
    for (const [target, c] of local) {
      const into = batches.get(target) ?? { edits: [], requests: [], found: [] };
      into.edits.push(...c.edits);
      into.requests.push(...c.requests);
      into.found.push(...c.found);
      batches.set(target, into);
    }
  }
  return batches;
}

/**
 * The registry cut where a snapshot ends: after each transform that changes code. A transform that only marks
 * (Transform.marksOnly) runs on the same snapshot as the one after it.
 */
function snapshotGroups(selected: readonly Transform[]): Transform[][] {
  const groups: Transform[][] = [];
  for (const transform of selected) {
    const last = groups.at(-1);
    if (last && last.at(-1)!.marksOnly) last.push(transform);
    else groups.push([transform]);
  }
  return groups;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function firstSyntaxError(sf: SourceFile): { line: number; column: number; message: string } | undefined {
  // parseDiagnostics is internal but long-standing; asking for full diagnostics would type-check the program.
  const diagnostics = (sf.compilerNode as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics;
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

/** What one transform asks of one file: edits, TODOs and model-id findings (possibly from another file's run). */
interface Contribution {
  edits: TextEdit[];
  requests: TodoRequest[];
  found: Array<{ node: { getStart(): number }; finding: ModelIdFinding }>;
}

/** One file through the transforms: its current text, and its findings mapped along every edit. */
class FileState {
  text: string;
  failed = false;
  /** `text` is ahead of the parsed tree. */
  private stale = false;
  private readonly modelIds: Array<PendingFinding<ModelIdFinding>> = [];
  private readonly todos: Array<PendingFinding<TodoFinding>> = [];
  private readonly batches: TextEdit[][] = []; // every applied batch, in order, to map offsets back to the original

  constructor(
    readonly c: Candidate,
    readonly decoded: DecodedSource,
    readonly sf: SourceFile,
  ) {
    this.text = decoded.text;
  }

  private pending<T>(finding: T, offset: number): PendingFinding<T> {
    const originalOffset = this.batches.reduceRight((o, batch) => unmapOffset(o, batch), offset);
    return { finding, offset, originalOffset };
  }

  /** The edits, TODO lines and findings of one snapshot's transforms (in registry order), in one batch. */
  apply(contributions: ReadonlyArray<[transformId: string, c: Contribution]>): void {
    const edits: TextEdit[] = [];
    for (const [transformId, c] of contributions) {
      const todo = todoEdits(this.sf, c.requests, this.decoded.eol);
      for (const f of c.found) this.modelIds.push(this.pending(f.finding, f.node.getStart()));
      for (const p of todo.placed) {
        this.todos.push(this.pending({ transform: transformId, reason: p.reason, message: p.message, line: 0, column: 0 }, p.offset));
      }
      edits.push(...c.edits, ...todo.edits);
    }
    // Transforms write '\n' in the code they add; a CRLF file gets CRLF. Two transforms' identical edits (a shared
    // constant converted for each of its models) count once.
    const crlf = this.decoded.eol === '\r\n';
    const seen = new Set<string>();
    const all: TextEdit[] = edits
      .map((e) => (crlf && e.text.includes('\n') ? { ...e, text: e.text.replace(/\r?\n/g, '\r\n') } : e))
      .filter((e) => {
        const key = `${e.start}:${e.end}:${e.text}`;
        return !seen.has(key) && seen.add(key) !== undefined;
      });
    if (all.length === 0) return;
    this.text = applyEdits(this.text, all);
    this.batches.push(all);
    for (const p of [...this.modelIds, ...this.todos]) p.offset = mapOffset(p.offset, all);
    this.stale = true;
  }

  /** Parses the new text before the next transform reads the file (after the last one, nobody does). */
  refresh(): void {
    if (!this.stale || this.failed) return;
    this.stale = false;
    reparse(this.sf, this.text);
  }

  /** A transform threw on this file: it is left exactly as it was, and later files see the original again. */
  fail(e: unknown, result: RunResult): void {
    this.failed = true;
    this.stale = false;
    reparse(this.sf, this.decoded.text);
    result.errors.push({ file: this.c.file, kind: 'transform', message: `transform failed, file left as it was: ${(e as Error).message}` });
  }

  result(positionsIn: 'original' | 'migrated'): FileResult {
    const { text } = this;
    const original = this.decoded.text;
    // Positions say where to look after the run: in the migrated text when it is written, else in the original.
    const place = <T extends { line: number; column: number }>(p: PendingFinding<T>): T =>
      positionsIn === 'migrated' ? { ...p.finding, ...lineColumn(text, p.offset) } : { ...p.finding, ...lineColumn(original, p.originalOffset) };
    const changed = text !== original;
    return {
      file: this.c.file,
      absPath: this.c.absPath,
      realPath: this.c.realPath,
      changed,
      modelIds: this.modelIds.map(place),
      todos: this.todos.map(place).sort((a, b) => a.line - b.line),
      before: changed ? original : undefined,
      after: changed ? text : undefined,
      decoded: this.decoded,
      hash: createHash('sha256').update(this.c.bytes).digest('hex'),
    };
  }
}

/**
 * Gives the file its new text: a fresh parse under the same SourceFile (its old nodes forgotten), and the program
 * reset. replaceWithText would also walk the old and new trees side by side to carry wrapped nodes over, which no
 * one holds between transforms, and which cost more than the parse itself.
 */
function reparse(sf: SourceFile, text: string): void {
  sf.getProject().createSourceFile(sf.getFilePath(), text, { overwrite: true });
}

import type { Node, Project, SourceFile } from 'ts-morph';
import type { ModelIdKind, ModelTable } from './model-ids.js';
import type { TodoReason } from './todo-reasons.js';

/** A replacement of `[start, end)` of the file's current text. Insertions have start === end. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** The file the edit belongs to, when a transform edits a file other than the one it runs on. */
  sourceFile?: SourceFile;
}

export interface Position {
  line: number;
  column: number;
}

/** A model id swapped, or one left in place that the user should know of. */
export interface ModelIdFinding extends Position {
  transform: string;
  from: string;
  to?: string;
  kind: ModelIdKind;
  /** Why it was or was not changed. */
  note?: string;
}

export interface TodoFinding extends Position {
  transform: string;
  reason: TodoReason;
  message: string;
}

/** What a transform sees. It reads the tree, returns edits and reports; it never writes or prints. */
export interface TransformContext {
  readonly sourceFile: SourceFile;
  readonly project: Project;
  /** The file's end-of-line sequence, for inserted lines. */
  readonly eol: string;
  readonly modelTable: ModelTable;
  /** Record a model-id finding at `node`. */
  modelId(node: Node, finding: Omit<ModelIdFinding, 'transform' | keyof Position>): void;
  /** Leave `node`'s statement for a person: one comment line above it, listed in the report. */
  todo(node: Node, reason: TodoReason, detail?: string): void;
  /** Whether a file is one of the run's (a transform may edit it); others are only read. */
  inRun?(sf: SourceFile): boolean;
}

export interface Transform {
  id: string;
  summary: string;
  example: { before: string; after: string };
  run(ctx: TransformContext): TextEdit[];
  /**
   * It changes no code, only adds TODO lines (and reads no TODO line an earlier transform of the same snapshot could
   * add): the transform after it then reads the same parse, and both edit in one batch (transform-phase.ts).
   */
  marksOnly?: boolean;
  /** Its page, docs/transforms/<id>.md: `npm run docs` renders it, and fails while a registered transform has none. */
  docs?: TransformDocs;
}

/** What a transform's documentation page says beyond its summary; examples and known misses come from its fixtures. */
export interface TransformDocs {
  /** Markdown: what it rewrites, and where it stops. */
  rewrites: string;
  /** Cases under fixtures/<id>/ shown as before and after (a `<case>.input.*` file or a `<case>/` folder). */
  examples: string[];
  /** Markdown: the options that change what it does. */
  options: string;
  /** Every TODO reason it may write, with when it does and why it cannot do better. */
  todos: Partial<Record<TodoReason, string>>;
}

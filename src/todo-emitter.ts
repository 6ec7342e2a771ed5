import { Node } from './tsm.js';
import type { SourceFile } from 'ts-morph';
import { TODO_PREFIX, TODO_REASONS, todoComment, type TodoReason } from './todo-reasons.js';
import type { TextEdit } from './types.js';

export interface TodoRequest {
  node: Node;
  reason: TodoReason;
  detail?: string;
}

export interface PlacedTodo {
  reason: TodoReason;
  message: string;
  /** Start of the statement the TODO stands above, in the text the requests were made on. */
  offset: number;
}

/**
 * Turns TODO requests into one comment line above each statement. A TODO whose message is already among the comment
 * lines right above the statement is not written again (a second run adds nothing), but it is still reported.
 */
export function todoEdits(sourceFile: SourceFile, requests: readonly TodoRequest[], eol: string): { edits: TextEdit[]; placed: PlacedTodo[] } {
  const text = sourceFile.getFullText();
  // One line per statement and reason: several details of one reason are listed together.
  const groups = new Map<string, { statement: Node; reason: TodoReason; details: string[] }>();
  for (const request of requests) {
    const statement = statementOf(request.node);
    const key = `${statement.getStart(true)}\0${request.reason}`;
    const group = groups.get(key) ?? { statement, reason: request.reason, details: [] };
    if (request.detail && !group.details.includes(request.detail)) group.details.push(request.detail);
    groups.set(key, group);
  }
  // A statement inside one that already carries the same reason gets no second line (an if and its body).
  const all = [...groups.values()];
  const kept = all.filter((g) => !all.some((o) => o !== g && o.reason === g.reason && g.statement.getAncestors().includes(o.statement)));

  const edits: TextEdit[] = [];
  const placed: PlacedTodo[] = [];
  for (const { statement, reason, details } of kept) {
    // Above the statement's doc comment, which stays next to what it documents.
    const offset = statement.getStart(true);
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const comment = todoComment(reason, details.join(', ') || undefined);
    placed.push({ reason, message: comment.slice(3), offset });
    const message = TODO_PREFIX + TODO_REASONS[reason].message;
    if (commentLinesAbove(text, lineStart).some((line) => line.startsWith(message))) continue;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
    edits.push({ start: lineStart, end: lineStart, text: indent + comment + eol });
  }
  placed.sort((a, b) => a.offset - b.offset);
  return { edits, placed };
}

/** Whether the statement of `node` already carries a TODO line of this tool (an earlier transform explained it). */
export function hasTodoAbove(node: Node): boolean {
  const text = node.getSourceFile().getFullText();
  const offset = statementOf(node).getStart(true);
  return commentLinesAbove(text, text.lastIndexOf('\n', offset - 1) + 1).some((line) => line.startsWith(TODO_PREFIX));
}

/** The nearest ancestor that stands on its own in a list of statements or class members. */
function statementOf(node: Node): Node {
  let current = node;
  for (let parent = current.getParent(); parent; parent = current.getParent()) {
    if (
      Node.isSourceFile(parent) ||
      Node.isBlock(parent) ||
      Node.isModuleBlock(parent) ||
      Node.isCaseClause(parent) ||
      Node.isDefaultClause(parent) ||
      Node.isClassDeclaration(parent) ||
      Node.isClassExpression(parent)
    ) {
      return current;
    }
    current = parent;
  }
  return current;
}

/** The trimmed `//` comment lines directly above the line that starts at `lineStart`. */
function commentLinesAbove(text: string, lineStart: number): string[] {
  const lines: string[] = [];
  let end = lineStart - 1; // the '\n' that ends the line above
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    if (!line.startsWith('//')) break;
    lines.push(line);
    end = start - 1;
  }
  return lines;
}

import { Node, type SourceFile } from 'ts-morph';
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
  const edits: TextEdit[] = [];
  const placed: PlacedTodo[] = [];
  const seen = new Set<string>();
  for (const request of requests) {
    const statement = statementOf(request.node);
    const offset = statement.getStart();
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const message = TODO_PREFIX + TODO_REASONS[request.reason].message;
    const key = `${lineStart}\0${request.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    placed.push({ reason: request.reason, message: todoComment(request.reason, request.detail).slice(3), offset });
    if (commentLinesAbove(text, lineStart).some((line) => line.startsWith(message))) continue;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
    edits.push({ start: lineStart, end: lineStart, text: indent + todoComment(request.reason, request.detail) + eol });
  }
  return { edits, placed };
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

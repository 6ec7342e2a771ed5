import type { TextEdit } from './types.js';

export class OverlappingEditsError extends Error {}

/** Applies non-overlapping edits to `text`; insertions at one offset keep the order they were given in. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  const sorted = sortEdits(edits);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) {
      throw new OverlappingEditsError(`edits overlap at offset ${edit.start}`);
    }
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

/** Where `offset` of the text before `edits` lands in the text after them (inside a replaced range: its start). */
export function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const edit of sortEdits(edits)) {
    const insertionHere = edit.start === edit.end && edit.start === offset;
    if (edit.end < offset || (edit.end === offset && edit.start < offset) || insertionHere) {
      // Before the offset, or inserted right at it (a TODO line above a statement pushes the statement down).
      delta += edit.text.length - (edit.end - edit.start);
    } else if (edit.start < offset) {
      return edit.start + delta;
    } else {
      break;
    }
  }
  return offset + delta;
}

/** The inverse of `mapOffset`: where `offset` of the edited text was before the edits (inside new text: the edit's start). */
export function unmapOffset(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const edit of sortEdits(edits)) {
    const newStart = edit.start + delta;
    if (offset < newStart) break;
    if (offset < newStart + edit.text.length) return edit.start;
    delta += edit.text.length - (edit.end - edit.start);
  }
  return offset - delta;
}

function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map((x) => x.edit);
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

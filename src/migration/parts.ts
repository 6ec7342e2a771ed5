import { Node, SyntaxKind } from '../tsm.js';
import type { Expression } from 'ts-morph';
import { constObjectLiteral, declaredEdit, declaredTypeEdit, onlyUse, type Blocker } from './config-map.js';
import { fileStyle, indentOf, indentUnit, quoted, type FileStyle } from './style.js';

/** Where a multi-line block's fields go: one a line, one unit in from `indent`. */
interface Layout {
  indent: string;
  unit: string;
}
import type { TextEdit } from '../types.js';

/** Document mime types the Interactions `document` block takes (reference §3.1 row 20). */
const DOCUMENT_TYPES = new Set([
  'application/pdf',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

/** The content block type for a literal mime type, or undefined when Interactions has none for it. */
export function blockTypeOf(mime: string): string | undefined {
  const prefix = /^(image|audio|video)\//.exec(mime)?.[1];
  return prefix ?? (DOCUMENT_TYPES.has(mime) ? 'document' : undefined);
}

/**
 * One legacy part (a string, `{ text }`, `{ inlineData: { data, mimeType } }`, `{ fileData: { fileUri, mimeType } }`)
 * as an Interactions content block, or a blocker. `isString` decides whether a bare value is a text prompt.
 */
export function partToBlock(part: Node, style: FileStyle, isString: (e: Expression) => boolean, blockers: Blocker[], edits?: TextEdit[], layout?: Layout): string | undefined {
  const q = (s: string) => quoted(s, style);
  const object = (fields: string[]) => (layout ? `{\n${fields.map((f) => `${layout.indent}${layout.unit}${f},`).join('\n')}\n${layout.indent}}` : `{ ${fields.join(', ')} }`);
  if (!Node.isObjectLiteralExpression(part)) {
    if (isString(part as Expression)) return `{ type: ${q('text')}, text: ${part.getText()} }`;
    const constant = edits && Node.isIdentifier(part) ? partConstant(part, style, isString, blockers) : undefined;
    if (constant) {
      edits!.push(...constant);
      return part.getText();
    }
    const shared = Node.isIdentifier(part) && constObjectLiteral(part) && !onlyUse(part) ? ', a constant read elsewhere too' : '';
    blockers.push({ node: part, reason: 'request-shape', detail: `the part ${part.getText()}${shared}` });
    return undefined;
  }
  const props = part.getProperties();
  const only = props.length === 1 && Node.isPropertyAssignment(props[0]) ? props[0] : undefined;
  const key = only?.getName();
  const value = only?.getInitializer();
  if (key === 'text' && value) return object([`type: ${q('text')}`, `text: ${value.getText()}`]);
  if ((key === 'inlineData' || key === 'fileData') && Node.isObjectLiteralExpression(value)) {
    const fields = new Map(
      value.getProperties().flatMap((p) => (Node.isPropertyAssignment(p) ? [[p.getName(), p.getInitializerOrThrow()] as const] : Node.isShorthandPropertyAssignment(p) ? [[p.getName(), p.getNameNode()] as const] : [])),
    );
    const mime = fields.get('mimeType');
    const payload = key === 'inlineData' ? fields.get('data') : fields.get('fileUri');
    const literal = mime && (Node.isStringLiteral(mime) || Node.isNoSubstitutionTemplateLiteral(mime)) ? mime.getLiteralText() : undefined;
    const type = literal ? blockTypeOf(literal) : undefined;
    if (payload && mime && type && fields.size === 2) {
      const field = key === 'inlineData' ? 'data' : 'uri';
      const payloadText = payload.getText() === field ? field : `${field}: ${payload.getText()}`; // shorthand, as a person would write it
      return object([`type: ${q(type)}`, payloadText, `mime_type: ${mime.getText()}`]);
    }
    const why = !literal ? 'a mime type known only at run time' : !type ? `no content block for ${literal}` : 'extra fields';
    blockers.push({ node: part, reason: 'request-shape', detail: `${key} with ${why}` });
    return undefined;
  }
  blockers.push({ node: part, reason: 'request-shape', detail: `the part ${key ?? part.getText().slice(0, 40)}` });
  return undefined;
}

/** An array literal of parts as content blocks (`{ type: 'text', ... }`, `{ type: 'image', ... }`), one text each. */
export function partsToBlocks(parts: Node, style: FileStyle, isString: (e: Expression) => boolean, blockers: Blocker[], edits?: TextEdit[]): string[] | undefined {
  if (!Node.isArrayLiteralExpression(parts)) {
    blockers.push({ node: parts, reason: 'request-shape', detail: 'parts built at run time' });
    return undefined;
  }
  const before = blockers.length;
  const blocks = parts.getElements().map((el) => partToBlock(el, style, isString, blockers, edits));
  return blockers.length === before ? (blocks as string[]) : undefined;
}

/**
 * `const image = { inlineData: { data, mimeType: 'image/png' } }`, read only in this request (Google's own samples
 * write parts this way): converted where it is declared, typed as an Interactions content block in TypeScript so
 * that its `type` stays a literal. Undefined (and no blocker) when it is not such a constant.
 */
function partConstant(id: Node, style: FileStyle, isString: (e: Expression) => boolean, blockers: Blocker[]): TextEdit[] | undefined {
  const literal = constObjectLiteral(id as Expression);
  if (!literal || !onlyUse(id as Expression)) return undefined;
  // Laid out as it was: one field a line when the constant spanned lines.
  const layout = literal.getText().includes('\n') ? { indent: indentOf(literal), unit: indentUnit(literal.getSourceFile()) } : undefined;
  const block = partToBlock(literal, style, isString, blockers, undefined, layout);
  if (!block) return undefined;
  const decl = literal.getFirstAncestorByKindOrThrow(SyntaxKind.VariableDeclaration);
  // JavaScript has no annotation to change (a JSDoc type is left to the user).
  const typeEdits = fileStyle(decl.getSourceFile()).typescript ? [declaredTypeEdit(decl, 'Interactions.Content')] : [];
  return [{ start: literal.getStart(), end: literal.getEnd(), text: block }, ...typeEdits].map((e) => declaredEdit(literal, e));
}

/**
 * `contents: [{ role: 'user', parts: [...] }, { role: 'model', parts: [...] }]` as `Step[]`: `user_input` and
 * `model_output` steps. Roles `function`/`tool` and function parts have no call ids to pair: blocked.
 * `roleOptional` (a request's contents, not a chat history, which both SDKs refuse without roles): the only content
 * of a request may leave its role out, as Google's REST quickstart does; the API takes it as the user's turn.
 */
export function contentsToSteps(contents: Node, style: FileStyle, isString: (e: Expression) => boolean, blockers: Blocker[], roleOptional = false): string[] | undefined {
  const mapped = mappedContents(contents, style);
  if (mapped) return [`...${mapped}`];
  if (!Node.isArrayLiteralExpression(contents)) {
    blockers.push({ node: contents, reason: 'request-shape', detail: 'contents built at run time' });
    return undefined;
  }
  const q = (s: string) => quoted(s, style);
  const steps: string[] = [];
  for (const content of contents.getElements()) {
    if (!Node.isObjectLiteralExpression(content)) {
      blockers.push({ node: content, reason: 'request-shape', detail: 'a content built at run time' });
      return undefined;
    }
    const role = content.getProperty('role');
    const parts = content.getProperty('parts');
    const roleText = Node.isPropertyAssignment(role) ? role.getInitializer() : undefined;
    const roleValue = roleText && Node.isStringLiteral(roleText) ? roleText.getLiteralText() : undefined;
    const userByDefault = roleOptional && role === undefined && contents.getElements().length === 1 && content.getProperties().length === 1;
    const stepType = roleValue === 'user' || userByDefault ? 'user_input' : roleValue === 'model' ? 'model_output' : undefined;
    if (!stepType || !Node.isPropertyAssignment(parts) || content.getProperties().length !== (userByDefault ? 1 : 2)) {
      blockers.push({ node: content, reason: 'request-shape', detail: `a content with role ${roleValue ?? 'unknown'}` });
      return undefined;
    }
    const blocks = partsToBlocks(parts.getInitializerOrThrow(), style, isString, blockers);
    if (!blocks) return undefined;
    steps.push(`{ type: ${q(stepType)}, content: [${blocks.join(', ')}] }`);
  }
  return steps;
}

/**
 * History built from stored messages: `messages.map((m) => ({ role: R, parts: [{ text: T }] }))` whose role is
 * provably `'user'` or `'model'` (a literal, or an expression typed with those literals only) becomes the same map
 * to steps. Undefined for any other shape (the caller then blocks it).
 */
export function mappedContents(contents: Node, style: FileStyle): string | undefined {
  if (!Node.isCallExpression(contents)) return undefined;
  const callee = contents.getExpression();
  const fn = contents.getArguments()[0];
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'map' || contents.getArguments().length !== 1 || !Node.isArrowFunction(fn)) return undefined;
  const body = fn.getBody();
  const returned = Node.isParenthesizedExpression(body) ? body.getExpression() : body;
  if (!Node.isObjectLiteralExpression(returned) || returned.getProperties().length !== 2) return undefined;
  const role = returned.getProperty('role');
  const parts = returned.getProperty('parts');
  const roleValue = Node.isPropertyAssignment(role) ? role.getInitializer() : Node.isShorthandPropertyAssignment(role) ? (role.getNameNode() as unknown as Expression) : undefined;
  const partList = Node.isPropertyAssignment(parts) ? parts.getInitializer() : undefined;
  if (!roleValue || !Node.isArrayLiteralExpression(partList) || partList.getElements().length !== 1) return undefined;
  const part = partList.getElements()[0];
  const textProp = Node.isObjectLiteralExpression(part) && part.getProperties().length === 1 ? part.getProperties()[0] : undefined;
  const text = Node.isPropertyAssignment(textProp) && textProp.getName() === 'text' ? textProp.getInitializerOrThrow().getText() : undefined;
  if (text === undefined) return undefined;
  const roles = roleValue.getType().isUnion() ? roleValue.getType().getUnionTypes() : [roleValue.getType()];
  const values = roles.map((t) => (t.isStringLiteral() ? (t.getLiteralValue() as string) : undefined));
  if (values.some((v) => v !== 'user' && v !== 'model')) return undefined;
  const q = (s: string) => quoted(s, style);
  const step = (type: string) => `{ type: ${q(type)}, content: [{ type: ${q('text')}, text: ${text} }] }`;
  const only = new Set(values);
  const stepText =
    only.size === 1 ? step(values[0] === 'user' ? 'user_input' : 'model_output') : `${roleValue.getText()} === ${q('user')} ? ${step('user_input')} : ${step('model_output')}`;
  const params = fn.getParameters().map((p) => p.getText()).join(', ');
  const typed = style.typescript ? ': Interactions.Step' : '';
  return `${callee.getExpression().getText()}.map((${params})${typed} => (${stepText}))`;
}

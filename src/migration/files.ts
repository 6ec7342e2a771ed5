import { Node, SyntaxKind, ts } from '../tsm.js';
import type { CallExpression, Expression, Identifier, PropertyAccessExpression, ts as TS } from 'ts-morph';
import type { Blocker } from './config-map.js';
import { localReferences } from './responses.js';
import { quoted, type FileStyle } from './style.js';
import type { TextEdit } from '../types.js';

/**
 * `GoogleAIFileManager` calls → `ai.files` (reference §3.1 row 35), and the reads of what they return.
 *
 * The legacy `FileMetadataResponse` declares most fields required; `@google/genai`'s `File` declares every field
 * optional (its types are generated from the API schema, where all fields are). The Files API sets these output-only
 * fields on every File it returns, so a read keeps the type it had (`file.uri!`), and only where the code needs a
 * value (a `string` parameter, a variable used later): a comparison, a condition, a template or an optional
 * Interactions field (`uri?: string`) takes it as it is. `expirationTime` ("only set if the File is scheduled to
 * expire") and `videoMetadata` (another shape) are not guaranteed: where they are needed, the manager stays.
 */
const SET_BY_THE_API = new Set(['name', 'uri', 'mimeType', 'sizeBytes', 'createTime', 'updateTime', 'sha256Hash', 'state']);
/** Optional in both SDKs, same shape: read as they are. */
const OPTIONAL = new Set(['displayName']);
/** Optional now, but required (or of another shape) before: only where undefined is acceptable. */
const MAYBE_ABSENT = new Set(['expirationTime', 'error', 'videoMetadata']);

export const FILE_METHODS = new Set(['uploadFile', 'getFile', 'listFiles', 'deleteFile']);

export interface FileCallContext {
  /** How the migrated code names the client: `ai`, `genAI`. */
  client: string;
  style: FileStyle;
  /** Whether `node` is a use of the same manager (for `file = await manager.getFile(...)` reassignments). */
  isManager: (node: Node) => boolean;
  blockers: Blocker[];
}

/** One `manager.<method>(...)` call as an `ai.files` call, with the reads of its result; edits only, or blockers. */
export function fileCallEdits(call: CallExpression, method: string, fc: FileCallContext): TextEdit[] {
  const callee = call.getExpression();
  const args = call.getArguments() as Expression[];
  const api = `${fc.client}.files`;
  const edits: TextEdit[] = [];
  const block = (node: Node, detail: string) => {
    fc.blockers.push({ node, reason: 'file-manager-not-followed', detail });
    return [];
  };
  // The argument texts stay in place (a File read inside one gets its own edit); only what is around them changes.
  const around = (head: string, arg: Expression, tail: string) => [
    { start: callee.getStart(), end: arg.getStart(), text: head },
    { start: arg.getEnd(), end: call.getEnd(), text: tail },
  ];
  const named = (key: string, arg: Expression) => (arg.getText() === key ? '{ ' : `{ ${key}: `); // `{ name }` as a person writes it
  if (method === 'uploadFile') {
    const [path, metadata] = args;
    if (!path || !metadata || args.length !== 2) return block(call, 'uploadFile() with other arguments');
    // An untyped argument may be a path or a Buffer, as uploadFile took: the Buffer becomes the Blob upload() takes.
    const untyped = !isPath(path) && Node.isIdentifier(path) && path.getType().isAny();
    if (!isPath(path) && !untyped) return block(path, 'a Buffer upload: ai.files.upload takes a path or a Blob');
    const head = untyped ? `{ file: typeof ${path.getText()} === ${quoted('string', fc.style)} ? ` : named('file', path);
    const tail = untyped ? ` : new Blob([${path.getText()}])` : '';
    edits.push(
      { start: callee.getStart(), end: path.getStart(), text: `${api}.upload(${head}` },
      ...(tail ? [{ start: path.getEnd(), end: path.getEnd(), text: tail }] : []),
      { start: path.getEnd(), end: metadata.getStart(), text: metadata.getText() === 'config' ? ', ' : ', config: ' },
      { start: metadata.getEnd(), end: call.getEnd(), text: ' })' },
    );
    const result = uploadResultEdits(call, fc);
    return result ? [...edits, ...result] : [];
  }
  if (method === 'getFile' || method === 'deleteFile') {
    const [name] = args;
    if (!name || args.length !== 1) return block(call, `${method}() with request options`);
    edits.push(...around(`${api}.${method === 'getFile' ? 'get' : 'delete'}(${named('name', name)}`, name, ' })'));
    if (method === 'deleteFile') {
      // deleteFile resolved to nothing, files.delete to a DeleteFileResponse: only a call whose value is unused.
      const used = Node.isAwaitExpression(call.getParent()) ? call.getParentOrThrow() : call;
      return Node.isExpressionStatement(used.getParent()) ? edits : block(call, 'the deleteFile() result is used');
    }
    const result = fileResultEdits(call, fc);
    return result ? [...edits, ...result] : [];
  }
  if (method === 'listFiles') {
    const [params] = args;
    if (args.length > 1) return block(call, 'listFiles() with request options');
    // The Pager writes the next page token into the config it was given: a caller's own object must not be it.
    if (!params) edits.push({ start: callee.getStart(), end: call.getEnd(), text: `${api}.list()` });
    else if (Node.isObjectLiteralExpression(params)) edits.push(...around(`${api}.list({ config: `, params, ' })'));
    else edits.push(...around(`${api}.list({ config: { ...`, params, ' } })'));
    const result = listResultEdits(call, fc);
    return result ? [...edits, ...result] : [];
  }
  return block(call, `${method}()`);
}

/** A path string, not a Buffer: by type, or (untyped JavaScript) by its shape. */
function isPath(arg: Expression): boolean {
  if (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg) || Node.isTemplateExpression(arg)) return true;
  const type = arg.getType();
  return type.isString() || type.isStringLiteral() || (type.isUnion() && type.getUnionTypes().every((t) => t.isStringLiteral()));
}

/** `await call` when the call is awaited, else undefined (a promise kept or chained is not followed). */
function awaited(call: CallExpression): Expression | undefined {
  const parent = call.getParent();
  return Node.isAwaitExpression(parent) ? parent : undefined;
}

/** `const x = await call` with no annotation: `x`. */
function heldIn(value: Expression): Identifier | undefined {
  const decl = value.getParent();
  if (!Node.isVariableDeclaration(decl) || decl.getInitializer() !== value || decl.getTypeNode()) return undefined;
  const name = decl.getNameNode();
  const statement = decl.getVariableStatement();
  return Node.isIdentifier(name) && !statement?.hasExportKeyword() ? name : undefined;
}

/** `const { <key> } = await call` / `const { <key>: local } = ...` with nothing else: the element. */
function destructured(value: Expression, key: string): { pattern: Node; local: Identifier } | undefined {
  const decl = value.getParent();
  if (!Node.isVariableDeclaration(decl) || decl.getInitializer() !== value || decl.getTypeNode()) return undefined;
  const pattern = decl.getNameNode();
  if (!Node.isObjectBindingPattern(pattern) || pattern.getElements().length !== 1) return undefined;
  const only = pattern.getElements()[0]!;
  const local = only.getNameNode();
  if (only.getInitializer() || only.getDotDotDotToken() || (only.getPropertyNameNode()?.getText() ?? only.getName()) !== key || !Node.isIdentifier(local)) return undefined;
  return { pattern, local };
}

/** `(await call).<key>`: the property access. */
function readThroughParens(value: Expression, key: string): PropertyAccessExpression | undefined {
  const parens = value.getParent();
  const access = parens?.getParent();
  return Node.isParenthesizedExpression(parens) && Node.isPropertyAccessExpression(access) && access.getName() === key ? access : undefined;
}

/** The legacy `{ file }` wrapper is gone: `upload.file.uri` → `upload.uri`, `const { file } = ...` → `const file = ...`. */
function uploadResultEdits(call: CallExpression, fc: FileCallContext): TextEdit[] | undefined {
  const value = awaited(call);
  if (!value) return blocked(fc, call, 'the upload promise is kept or chained');
  if (Node.isExpressionStatement(value.getParent())) return [];
  const edits: TextEdit[] = [];
  const holder = heldIn(value);
  const pattern = destructured(value, 'file');
  const through = readThroughParens(value, 'file');
  if (holder) {
    for (const ref of localReferences(holder)) {
      const access = ref.getParent();
      if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== ref || access.getName() !== 'file') {
        return blocked(fc, ref, `${ref.getText()} is used other than through .file`);
      }
      edits.push({ start: ref.getEnd(), end: access.getEnd(), text: '' });
      if (!fileValueEdits(access, fc, edits)) return undefined;
    }
    return edits;
  }
  if (pattern) {
    edits.push({ start: pattern.pattern.getStart(), end: pattern.pattern.getEnd(), text: pattern.local.getText() });
    return fileVariableEdits(pattern.local, fc, edits) ? edits : undefined;
  }
  if (through) {
    // `(await upload(...)).file` held as it is loses the parentheses too; read further, it keeps them.
    const parens = through.getExpression();
    if (heldIn(through)) edits.push({ start: parens.getStart(), end: value.getStart(), text: '' }, { start: value.getEnd(), end: through.getEnd(), text: '' });
    else edits.push({ start: parens.getEnd(), end: through.getEnd(), text: '' });
    return fileValueEdits(through, fc, edits) ? edits : undefined;
  }
  return blocked(fc, call, 'the upload result is returned or passed on');
}

/** getFile's result is a File in both SDKs: only its reads change. */
function fileResultEdits(call: CallExpression, fc: FileCallContext): TextEdit[] | undefined {
  const value = awaited(call);
  if (!value) return blocked(fc, call, 'the getFile promise is kept or chained');
  const parent = value.getParent();
  if (Node.isExpressionStatement(parent)) return [];
  const edits: TextEdit[] = [];
  const holder = heldIn(value);
  if (holder) return fileVariableEdits(holder, fc, edits) ? edits : undefined;
  // file = await manager.getFile(...): the variable is followed from its declaration.
  if (Node.isBinaryExpression(parent) && parent.getRight() === value && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    return isFileVariable(parent.getLeft(), fc) ? [] : blocked(fc, call, 'assigned to a variable not held from this manager');
  }
  if (Node.isParenthesizedExpression(parent)) return fileValueEdits(parent, fc, edits) ? edits : undefined;
  return blocked(fc, call, 'the getFile result is returned or passed on');
}

/** listFiles' `{ files, nextPageToken }` is now a Pager: `files` is its first `page`; the token is not exposed. */
function listResultEdits(call: CallExpression, fc: FileCallContext): TextEdit[] | undefined {
  const value = awaited(call);
  if (!value) return blocked(fc, call, 'the listFiles promise is kept or chained');
  const edits: TextEdit[] = [];
  const holder = heldIn(value);
  const pattern = destructured(value, 'files');
  const through = readThroughParens(value, 'files');
  if (holder) {
    for (const ref of localReferences(holder)) {
      const access = ref.getParent();
      if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== ref || access.getName() !== 'files') {
        const field = Node.isPropertyAccessExpression(access) && access.getExpression() === ref ? access.getName() : undefined;
        return blocked(fc, ref, field === 'nextPageToken' ? 'nextPageToken: the Pager keeps its own' : `${ref.getText()} is read other than through .files`);
      }
      edits.push({ start: access.getNameNode().getStart(), end: access.getEnd(), text: 'page' });
      if (!fileArrayEdits(access, fc, edits)) return undefined;
    }
    return edits;
  }
  if (pattern) {
    edits.push(
      { start: pattern.pattern.getStart(), end: pattern.pattern.getEnd(), text: pattern.local.getText() },
      { start: value.getStart(), end: value.getStart(), text: '(' },
      { start: value.getEnd(), end: value.getEnd(), text: ').page' },
    );
    for (const ref of localReferences(pattern.local)) if (!fileArrayEdits(ref, fc, edits)) return undefined;
    return edits;
  }
  if (through) {
    edits.push({ start: through.getNameNode().getStart(), end: through.getEnd(), text: 'page' });
    return fileArrayEdits(through, fc, edits) ? edits : undefined;
  }
  return blocked(fc, call, 'the listFiles result is returned or passed on');
}

/** A list of Files: its length, or a `for...of` over it whose variable is read field by field. */
function fileArrayEdits(list: Node, fc: FileCallContext, edits: TextEdit[]): boolean {
  const parent = list.getParent();
  if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === list && parent.getName() === 'length') return true;
  if (Node.isForOfStatement(parent) && parent.getExpression() === list) {
    const init = parent.getInitializer();
    const decl = Node.isVariableDeclarationList(init) && init.getDeclarations().length === 1 ? init.getDeclarations()[0] : undefined;
    const name = decl?.getNameNode();
    if (Node.isIdentifier(name) && !decl!.getTypeNode()) return fileVariableEdits(name, fc, edits);
  }
  return !blocked(fc, list, `the list of files is used other than by length or for...of`);
}

/** A variable holding a File: every use reads a field, or (a `let`) is given another File of the same manager. */
function fileVariableEdits(name: Identifier, fc: FileCallContext, edits: TextEdit[]): boolean {
  for (const ref of localReferences(name)) {
    const parent = ref.getParent();
    if (Node.isBinaryExpression(parent) && parent.getLeft() === ref && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
      if (isManagerGetFile(parent.getRight(), fc)) continue;
      return !blocked(fc, ref, `${ref.getText()} is given a value from elsewhere`);
    }
    if (!fileValueEdits(ref as Expression, fc, edits)) return false;
  }
  return true;
}

/** `await <this manager>.getFile(...)`. */
function isManagerGetFile(value: Node, fc: FileCallContext): boolean {
  const call = Node.isAwaitExpression(value) ? value.getExpression() : undefined;
  const callee = Node.isCallExpression(call) ? call.getExpression() : undefined;
  return Node.isPropertyAccessExpression(callee) && callee.getName() === 'getFile' && fc.isManager(callee.getExpression());
}

/** Whether `target` is a variable declared as `await <this manager>.getFile(...)` (so it holds a migrated File). */
function isFileVariable(target: Node, fc: FileCallContext): boolean {
  const decl = Node.isIdentifier(target) ? target.getSymbol()?.getValueDeclaration() : undefined;
  return Node.isVariableDeclaration(decl) && !decl.getTypeNode() && decl.getInitializer() !== undefined && isManagerGetFile(decl.getInitializerOrThrow(), fc);
}

/** An expression whose value is a File: read field by field (see SET_BY_THE_API for the `!`). */
function fileValueEdits(file: Expression, fc: FileCallContext, edits: TextEdit[]): boolean {
  const held = heldIn(file); // const uploaded = (await manager.uploadFile(...)).file
  if (held) return fileVariableEdits(held, fc, edits);
  const access = file.getParent();
  if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== file || isAssigned(access)) {
    return !blocked(fc, file, 'the File is passed on or changed: its genai fields are optional');
  }
  const field = access.getName();
  if (OPTIONAL.has(field)) return true;
  if (SET_BY_THE_API.has(field)) {
    if (fc.style.typescript && !acceptsUndefined(access)) edits.push({ start: access.getEnd(), end: access.getEnd(), text: '!' });
    return true;
  }
  if (MAYBE_ABSENT.has(field)) {
    if (!fc.style.typescript || acceptsUndefined(access)) return true;
    const inner = access.getParent(); // file.error.message: the read the code needs
    if (field === 'error' && Node.isPropertyAccessExpression(inner) && inner.hasQuestionDotToken() && acceptsUndefined(inner)) return true;
    return !blocked(fc, access, `${field} may be absent from a genai File where the code needs it`);
  }
  return !blocked(fc, access, `File.${field}`);
}

function isAssigned(node: Node): boolean {
  const parent = node.getParent();
  return (Node.isBinaryExpression(parent) && parent.getLeft() === node && parent.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment && parent.getOperatorToken().getKind() <= SyntaxKind.LastAssignment) ||
    ((Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) && [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(parent.getOperatorToken()));
}

/** Whether the code at `expr` works the same with `undefined` as with a value of the old type (no `!` needed). */
export function acceptsUndefined(expr: Expression): boolean {
  const parent = expr.getParent();
  if (!parent) return false;
  if (Node.isExpressionStatement(parent) || Node.isTemplateSpan(parent) || Node.isTypeOfExpression(parent)) return true;
  if ((Node.isIfStatement(parent) || Node.isWhileStatement(parent) || Node.isDoStatement(parent)) && parent.getExpression() === expr) return true;
  if (Node.isConditionalExpression(parent) && parent.getCondition() === expr) return true;
  if (Node.isPrefixUnaryExpression(parent) && parent.getOperatorToken() === SyntaxKind.ExclamationToken) return true;
  if (Node.isParenthesizedExpression(parent)) return acceptsUndefined(parent);
  if (Node.isBinaryExpression(parent)) {
    const op = parent.getOperatorToken().getKind();
    if ([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken].includes(op)) return true;
    if ([SyntaxKind.AmpersandAmpersandToken, SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken].includes(op)) {
      return parent.getLeft() === expr || acceptsUndefined(parent);
    }
  }
  const contextual = expr.getProject().getTypeChecker().compilerObject.getContextualType(expr.compilerNode as TS.Expression);
  if (!contextual) return false;
  const accepts = (t: TS.Type) => (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0;
  return accepts(contextual) || (contextual.isUnion() && contextual.types.some(accepts));
}

function blocked(fc: FileCallContext, node: Node, detail: string): undefined {
  fc.blockers.push({ node, reason: 'file-manager-not-followed', detail });
  return undefined;
}

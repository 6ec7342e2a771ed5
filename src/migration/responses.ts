import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, Expression, Identifier, PropertyAccessExpression, VariableDeclaration, ts as TS } from 'ts-morph';
import { sdkTypeOf } from './sdk-symbols.js';
import type { Blocker } from './config-map.js';
import { findNodes } from './find.js';
import { isAssignmentTarget, valueSymbol } from './slots.js';
import { fileStyle, quoted } from './style.js';
import type { TextEdit } from '../types.js';
import { functionCallsRead, type CallsHelper } from './function-calls.js';
import { closestSignal, executableCodeEdits } from './output-signals.js';

/** Legacy `usageMetadata` fields → Interactions `usage` fields (reference §3.6). */
export const USAGE_FIELDS: Record<string, string> = {
  promptTokenCount: 'total_input_tokens',
  candidatesTokenCount: 'total_output_tokens',
  totalTokenCount: 'total_tokens',
  cachedContentTokenCount: 'total_cached_tokens',
  thoughtsTokenCount: 'total_thought_tokens',
  toolUsePromptTokenCount: 'total_tool_use_tokens',
};

// ---------------------------------------------------------------------------------------------------------------
// Reading the response: text, usage; anything else blocks.

/**
 * Edits for every read of the result of `call`, which must be awaited and either kept in a variable (also
 * destructured `{ response }`) or read in place. Legacy reads go through `.response`; genai's do not.
 */
export function responseReads(
  call: CallExpression,
  sdk: 'legacy' | 'genai',
  blockers: Blocker[],
  helper?: CallsHelper,
  also?: (node: Node) => boolean,
  /** References that go away with the code around them (a manual history's pushes): not read. */
  skip?: (ref: Node) => boolean,
): TextEdit[] {
  const awaited = call.getParent();
  if (!Node.isAwaitExpression(awaited)) {
    blockers.push({ node: call, reason: 'response-not-followed', detail: 'the call is not awaited' });
    return [];
  }
  let holder: Node = awaited;
  while (Node.isParenthesizedExpression(holder.getParent())) holder = holder.getParentOrThrow();
  const parent = holder.getParent();
  const edits: TextEdit[] = [];

  if (Node.isExpressionStatement(parent)) return edits; // `await model.generateContent(p);`: nothing is read
  if (Node.isPropertyAccessExpression(parent)) {
    // (await model.generateContent(p)).response.text()
    const read = sdk === 'legacy' ? stepThroughResponse(parent, blockers) : parent;
    if (read) edits.push(...readEdits(read, sdk, sdk === 'legacy' ? parent.getNameNode().getStart() - 1 : undefined, blockers, helper));
    return edits;
  }
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === holder) {
    const name = parent.getNameNode();
    edits.push(...annotationEdits(parent, blockers));
    if (Node.isIdentifier(name)) {
      // Reassigned: only by other turns of the same conversation (`result = await chat.sendMessage(...)`).
      const writes = localReferences(name).filter(isAssignmentTarget);
      if (writes.some((w) => !also?.(w))) blockers.push({ node: parent, reason: 'response-not-followed', detail: `${name.getText()} is reassigned` });
      for (const ref of localReferences(name)) {
        if (writes.includes(ref) || skip?.(ref)) continue;
        const access = ref.getParent();
        if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== ref) {
          blockers.push({ node: ref, reason: 'response-not-followed', detail: `${ref.getText()} is passed on` });
          continue;
        }
        const held = sdk === 'legacy' ? responseVariable(access) : undefined;
        if (held) {
          // const response = result.response (or await result.response): that variable holds the interaction now
          const wait = access.getParent();
          if (Node.isAwaitExpression(wait)) edits.push({ start: wait.getStart(), end: ref.getStart(), text: '' }); // it is no promise
          edits.push(...annotationEdits(held.getParent() as VariableDeclaration, blockers));
          edits.push({ start: ref.getEnd(), end: access.getEnd(), text: '' }, ...heldResponseReads(held, blockers, helper));
          continue;
        }
        const read = sdk === 'legacy' ? stepThroughResponse(access, blockers) : access;
        if (read) edits.push(...readEdits(read, sdk, sdk === 'legacy' ? access.getNameNode().getStart() - 1 : undefined, blockers, helper));
      }
      return edits;
    }
    if (sdk === 'legacy' && Node.isObjectBindingPattern(name) && name.getElements().length === 1) {
      // const { response } = await model.generateContent(p): the interaction is what `response` now holds
      const element = name.getElements()[0]!;
      if ((element.getPropertyNameNode()?.getText() ?? element.getName()) !== 'response' || element.getInitializer() || element.getDotDotDotToken()) {
        blockers.push({ node: parent, reason: 'response-not-followed', detail: element.getText() });
        return [];
      }
      const local = element.getNameNode() as Identifier;
      edits.push({ start: name.getStart(), end: name.getEnd(), text: local.getText() });
      return [...edits, ...heldResponseReads(local, blockers, helper)];
    }
  }
  blockers.push({ node: call, reason: 'response-not-followed', detail: 'the response is returned or passed on' });
  return edits;
}

/**
 * `const result: GenerateContentResult = await ...`: the declared type becomes the interaction's, as the user chose
 * to name it (a destructured `{ response }: GenerateContentResult` loses it: the binding no longer names a field).
 * Only the SDKs' own result types are known to mean the response; any other annotation blocks.
 */
function annotationEdits(decl: VariableDeclaration, blockers: Blocker[]): TextEdit[] {
  const typeNode = decl.getTypeNode();
  if (!typeNode) return [];
  const target = sdkTypeOf(typeNode);
  if (!target || !RESULT_TYPES.has(target.name)) {
    blockers.push({ node: decl, reason: 'response-not-followed', detail: `declared as ${typeNode.getText()}` });
    return [];
  }
  if (Node.isObjectBindingPattern(decl.getNameNode())) return [{ start: decl.getNameNode().getEnd(), end: typeNode.getEnd(), text: '' }];
  return [{ start: typeNode.getStart(), end: typeNode.getEnd(), text: 'Interactions.Interaction' }];
}

/** What a legacy or genai non-streaming call resolves to, by the SDKs' names. */
const RESULT_TYPES = new Set(['GenerateContentResult', 'GenerateContentResponse', 'EnhancedGenerateContentResponse']);

/** `const response = result.response` / `= await result.response`: the variable that now holds the interaction. */
function responseVariable(access: Node): Identifier | undefined {
  if (!Node.isPropertyAccessExpression(access) || access.getName() !== 'response') return undefined;
  let holder: Node = access;
  if (Node.isAwaitExpression(holder.getParent())) holder = holder.getParentOrThrow();
  const decl = holder.getParent();
  if (!Node.isVariableDeclaration(decl) || decl.getInitializer() !== holder || !Node.isIdentifier(decl.getNameNode())) return undefined;
  return decl.getNameNode() as Identifier;
}

/**
 * Reads of a variable holding a legacy response (now the interaction itself): through `text()`, `usageMetadata`,
 * function calls; a presence test (`if (!response)`) is fine, as both are always there.
 */
function heldResponseReads(local: Identifier, blockers: Blocker[], helper?: CallsHelper): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const ref of localReferences(local)) {
    const access = ref.getParent();
    if (isPresenceTest(ref)) continue;
    if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== ref) {
      blockers.push({ node: ref, reason: 'response-not-followed', detail: `${ref.getText()} is passed on` });
      continue;
    }
    edits.push(...readEdits(access, 'legacy', undefined, blockers, helper));
  }
  return edits;
}

/** `result.response.X` → the access of X (legacy results wrap the response). */
export function stepThroughResponse(access: Node, blockers: Blocker[]): Node | undefined {
  if (!Node.isPropertyAccessExpression(access) || access.getName() !== 'response') {
    blockers.push({ node: access, reason: 'response-not-followed', detail: access.getText() });
    return undefined;
  }
  const next = access.getParent();
  if (!Node.isPropertyAccessExpression(next) || next.getExpression() !== access) {
    blockers.push({ node: access, reason: 'response-not-followed', detail: `${access.getText()} is passed on` });
    return undefined;
  }
  return next;
}

/**
 * Edits for one read `X.field` of an interaction: legacy `text()` / genai `text` → `output_text`, `usageMetadata` →
 * `usage` with its fields renamed. `cut` is where a legacy `.response` step starts: it is dropped. The edits never
 * touch X itself, which may hold the rewritten call.
 */
export function readEdits(read: Node, sdk: 'legacy' | 'genai', cut: number | undefined, blockers: Blocker[], helper?: CallsHelper): TextEdit[] {
  const empty = quoted('', fileStyle(read.getSourceFile()));
  if (!Node.isPropertyAccessExpression(read)) return [];
  const field = read.getName();
  const nameNode = read.getNameNode();
  const dropResponse: TextEdit[] = cut !== undefined ? [{ start: cut, end: nameNode.getStart() - 1, text: '' }] : [];
  const parent = read.getParent();
  if (field === 'text') {
    const isCall = Node.isCallExpression(parent) && parent.getExpression() === read;
    if (sdk === 'genai') {
      if (isCall) blockers.push({ node: read, reason: 'response-not-followed', detail: 'text called as a function' });
      return isCall ? [] : [{ start: nameNode.getStart(), end: nameNode.getEnd(), text: 'output_text' }]; // same type: string | undefined
    }
    if (!isCall) {
      blockers.push({ node: read, reason: 'response-not-followed', detail: 'text() used without calling it' });
      return [];
    }
    // text() gave '' when there was no text; output_text is then undefined (pitfall P6), hence the ?? ''.
    const whole = parent as CallExpression;
    const inner = read.getExpression();
    const base = cut !== undefined && Node.isPropertyAccessExpression(inner) ? inner.getExpression() : inner;
    const parens = !isStandalone(whole);
    return [
      ...(parens ? [{ start: base.getStart(), end: base.getStart(), text: '(' }] : []),
      { start: cut ?? nameNode.getStart() - 1, end: whole.getEnd(), text: `.output_text ?? ${empty}${parens ? ')' : ''}` },
    ];
  }
  if ((field === 'functionCalls' || (field === 'functionCall' && sdk === 'legacy')) && helper) {
    const isCall = Node.isCallExpression(parent) && parent.getExpression() === read;
    if (isCall !== (sdk === 'legacy')) {
      blockers.push({ node: read, reason: 'response-not-followed', detail: `${field} ${isCall ? 'called' : 'not called'}` });
      return [];
    }
    const inner = read.getExpression();
    const base = cut !== undefined && Node.isPropertyAccessExpression(inner) ? inner.getExpression() : inner;
    return functionCallsRead(read, isCall ? parent! : read, base, cut, helper, blockers);
  }
  if (field === 'usageMetadata') {
    const next = parent;
    if (Node.isVariableDeclaration(next) && next.getInitializer() === read) {
      const held = heldUsageEdits(next, blockers);
      return held ? [...dropResponse, { start: nameNode.getStart(), end: nameNode.getEnd(), text: 'usage' }, ...held] : [];
    }
    if (!Node.isPropertyAccessExpression(next) || next.getExpression() !== read) {
      blockers.push({ node: read, reason: 'response-not-followed', detail: 'usageMetadata passed on as a whole' });
      return [];
    }
    const target = USAGE_FIELDS[next.getName()];
    if (!target) {
      blockers.push({ node: next, reason: 'response-not-followed', detail: `usageMetadata.${next.getName()}` });
      return [];
    }
    return [
      ...dropResponse,
      { start: nameNode.getStart(), end: nameNode.getEnd(), text: 'usage' },
      { start: next.getNameNode().getStart(), end: next.getNameNode().getEnd(), text: target },
    ];
  }
  // genai's executableCode getter has an exact equivalent; other tool and media fields get the closest signal named.
  if (field === 'executableCode' && sdk === 'genai' && !isAssignmentTarget(read) && !(Node.isCallExpression(parent) && parent.getExpression() === read)) return executableCodeEdits(read);
  blockers.push({ node: read, reason: 'response-not-followed', detail: closestSignal(read, field) });
  return [];
}

/**
 * `const usage = result.response.usageMetadata`, then `usage?.promptTokenCount ?? 0`: the variable holds `usage`, and
 * each count read is renamed (reference §3.6). A count read as a plain number (`usage.promptTokenCount` after a
 * presence test) blocks: every Interactions count may be missing.
 */
function heldUsageEdits(decl: VariableDeclaration, blockers: Blocker[]): TextEdit[] | undefined {
  const name = decl.getNameNode();
  if (!Node.isIdentifier(name) || decl.getTypeNode()) {
    blockers.push({ node: decl, reason: 'response-not-followed', detail: 'usageMetadata passed on as a whole' });
    return undefined;
  }
  const edits: TextEdit[] = [];
  for (const ref of localReferences(name)) {
    const access = ref.getParent();
    if (isPresenceTest(ref)) continue;
    const target = Node.isPropertyAccessExpression(access) && access.getExpression() === ref ? USAGE_FIELDS[access.getName()] : undefined;
    const outer = access?.getParent();
    const maybeMissing = Node.isPropertyAccessExpression(access) && (access.hasQuestionDotToken() || (Node.isBinaryExpression(outer) && outer.getLeft() === access && outer.getOperatorToken().getKind() === SyntaxKind.QuestionQuestionToken));
    if (!target || !maybeMissing) {
      blockers.push({ node: ref, reason: 'response-not-followed', detail: target ? `${access!.getText()} read as a number that is always there` : `usageMetadata held in ${name.getText()} and passed on` });
      return undefined;
    }
    const field = (access as PropertyAccessExpression).getNameNode();
    edits.push({ start: field.getStart(), end: field.getEnd(), text: target });
  }
  return edits;
}

/** `!response`, `if (usage)`: true for the old value and the new one alike. */
function isPresenceTest(ref: Node): boolean {
  const parent = ref.getParent();
  return Node.isPrefixUnaryExpression(parent) || (Node.isIfStatement(parent) && parent.getExpression() === ref);
}

/** Where `a ?? b` can stand without parentheses. */
export function isStandalone(node: Node): boolean {
  const parent = node.getParent();
  return (
    Node.isReturnStatement(parent) ||
    Node.isExpressionStatement(parent) ||
    (Node.isVariableDeclaration(parent) && parent.getInitializer() === node) ||
    (Node.isPropertyAssignment(parent) && parent.getInitializer() === node) ||
    (Node.isArrowFunction(parent) && parent.getBody() === node) ||
    (Node.isBinaryExpression(parent) && parent.getRight() === node && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) ||
    Node.isTemplateSpan(parent) ||
    Node.isArrayLiteralExpression(parent) ||
    (Node.isCallExpression(parent) && parent.getArguments().includes(node))
  );
}

/**
 * References of a local binding inside its own function (or file), by symbol. Unlike the language service's
 * find-references, a shorthand `{ response }` does not drag in every `.response` property of the SDK's type.
 */
export function localReferences(name: Identifier): Identifier[] {
  const symbol = name.getSymbol();
  const text = name.getText();
  const scope = name.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isSourceFile(a)) ?? name.getSourceFile();
  return findNodes<Identifier>(scope, SyntaxKind.Identifier, (n) => (n as TS.Identifier).text === text).filter(
    (id) => id !== name && valueSymbol(id) === symbol && !Node.isBindingElement(id.getParent()),
  );
}

/** Methods whose result is a string whatever they are called on (`join`, `toString`) or that only strings have. */
const STRING_METHODS = new Set(['join', 'toString', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'replace', 'replaceAll', 'substring', 'padStart', 'padEnd', 'normalize', 'repeat']);

export function isStringValued(node: Expression): boolean {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isTemplateExpression(node)) return true;
  const type = node.getType();
  if (type.isString() || type.isStringLiteral()) return true;
  // Untyped: a plain variable or field of type any (JavaScript, or TypeScript's `await req.json()`) is taken for the
  // prompt string it almost always is in real code (a documented limit: parts arrays built elsewhere are not
  // detected there).
  if (!type.isAny()) return false;
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node)) return true;
  // `commits.join('\n')` on an untyped value: methods that only strings have, or that make strings of anything.
  const callee = Node.isCallExpression(node) ? node.getExpression() : undefined;
  return Node.isPropertyAccessExpression(callee) && STRING_METHODS.has(callee.getName());
}

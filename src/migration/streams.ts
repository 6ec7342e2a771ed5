import { Node, SyntaxKind, ts } from '../tsm.js';
import type { CallExpression, ForOfStatement, Identifier } from 'ts-morph';
import type { Blocker } from './config-map.js';
import { findNodes } from './find.js';
import { sdkTypeOf } from './sdk-symbols.js';
import { localReferences, readEdits, USAGE_FIELDS } from './responses.js';
import { fileStyle, indentOf, indentUnit, quoted } from './style.js';
import type { TextEdit } from '../types.js';

/** What a migrated stream needs from the file beyond its own edits. */
export interface StreamNeeds {
  /** The name of the per-file helper that takes the text out of one event (added once, at the end of the file). */
  helper: string;
}

export interface StreamOptions {
  sdk: 'legacy' | 'genai';
  /** Statements to run on every `interaction.completed` event (the event is `${event}`). */
  onCompleted?: (event: string) => string[];
  /** Statements to run after the loop, given the accumulated text of the turn (a chat's transcript). */
  afterLoop?: (text: string) => string[];
  /** The name the file's text helper goes by. */
  helper: string;
  /** A later turn chains on this one: the loop must read the stream to its end. */
  mustComplete?: boolean;
}

const ERROR_TEXT = 'interaction stream error';

/**
 * Edits that turn the reads of a streamed result into an Interactions event loop. `call` is the awaited stream call
 * (already rewritten by the caller to `create({ ..., stream: true })`, which resolves to the event stream itself).
 *
 * Accepted shapes (anything else is a blocker, and the caller leaves the code as it was):
 * - legacy `const result = await m.generateContentStream(x)` read as `result.stream` in one `for await` loop and
 *   `await result.response` after it; also `const { stream, response } = await ...`;
 * - genai `const chunks = await ai.models.generateContentStream(...)` read in one `for await` loop, or the awaited
 *   call standing in the loop header itself.
 * In the loop, `chunk.text()` (legacy) / `chunk.text` (genai) become the text of the event; the aggregated response
 * (`await result.response`) becomes `{ output_text, usage }` rebuilt from the events, read as single calls are.
 */
export function streamEdits(call: CallExpression, opts: StreamOptions, blockers: Blocker[]): { edits: TextEdit[]; needs: StreamNeeds } | undefined {
  const needs: StreamNeeds = { helper: opts.helper };
  const fail = (node: Node, detail: string) => {
    blockers.push({ node, reason: 'stream-not-followed', detail });
    return undefined;
  };
  const awaited = call.getParent();
  if (!Node.isAwaitExpression(awaited)) return fail(call, 'the stream call is not awaited');
  let holder: Node = awaited;
  while (Node.isParenthesizedExpression(holder.getParent())) holder = holder.getParentOrThrow();
  const parent = holder.getParent();
  const edits: TextEdit[] = [];

  let loopSource: Node | undefined; // what the `for await` iterates, in the original code
  const responses: Node[] = []; // the `result.response` / `response` expressions that are awaited
  let base = 'stream'; // the stem of the accumulators' names

  if (Node.isForOfStatement(parent) && parent.getExpression() === holder && opts.sdk === 'genai') {
    loopSource = holder;
  } else if (Node.isPropertyAccessExpression(parent) && parent.getName() === 'stream' && opts.sdk === 'legacy' && Node.isForOfStatement(parent.getParent())) {
    // for await (const chunk of (await model.generateContentStream(p)).stream)
    loopSource = parent;
    edits.push({ start: holder.getEnd(), end: parent.getEnd(), text: '' });
  } else if (Node.isVariableDeclaration(parent) && parent.getInitializer() === holder) {
    const name = parent.getNameNode();
    // `const result: GenerateContentStreamResult = ...`: the event stream is typed by create() itself.
    const typeNode = parent.getTypeNode();
    if (typeNode) {
      if (sdkTypeOf(typeNode)?.name !== 'GenerateContentStreamResult') return fail(parent, `declared as ${typeNode.getText()}`);
      edits.push({ start: name.getEnd(), end: typeNode.getEnd(), text: '' });
    }
    if (Node.isIdentifier(name)) {
      base = name.getText();
      const refs = localReferences(name);
      if (refs.some((r) => isWrite(r))) return fail(parent, `${base} is reassigned`);
      for (const ref of refs) {
        if (opts.sdk === 'genai') {
          if (loopSource || !isLoopSource(ref)) return fail(ref, `${base} is used other than in one for await loop`);
          loopSource = ref;
          continue;
        }
        const access = ref.getParent();
        if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== ref) return fail(ref, `${base} is passed on`);
        if (access.getName() === 'stream') {
          if (loopSource || !isLoopSource(access)) return fail(access, `${access.getText()} is used other than in one for await loop`);
          loopSource = access;
          edits.push({ start: ref.getEnd(), end: access.getEnd(), text: '' });
        } else if (access.getName() === 'response') {
          responses.push(access);
        } else return fail(access, access.getText());
      }
    } else if (Node.isObjectBindingPattern(name) && opts.sdk === 'legacy') {
      // const { stream, response } = await model.generateContentStream(p)
      let streamLocal: Identifier | undefined;
      for (const element of name.getElements()) {
        const key = element.getPropertyNameNode()?.getText() ?? element.getName();
        const local = element.getNameNode();
        if (element.getInitializer() || element.getDotDotDotToken() || !Node.isIdentifier(local)) return fail(element, element.getText());
        const refs = localReferences(local);
        if (refs.some((r) => isWrite(r))) return fail(element, `${local.getText()} is reassigned`);
        if (key === 'stream') {
          streamLocal = local;
          if (refs.length !== 1 || !isLoopSource(refs[0]!)) return fail(element, `${local.getText()} is used other than in one for await loop`);
          loopSource = refs[0];
        } else if (key === 'response') {
          base = local.getText();
          responses.push(...refs);
        } else return fail(element, key);
      }
      if (!streamLocal) return fail(name, 'the stream itself is not read');
      edits.push({ start: name.getStart(), end: name.getEnd(), text: streamLocal.getText() });
    } else return fail(parent, parent.getNameNode().getText());
  } else {
    return fail(call, 'the stream is returned or passed on');
  }
  if (!loopSource) return fail(call, 'no for await loop reads the stream');
  const loop = loopSource.getParentOrThrow() as ForOfStatement;

  // The aggregated response: only awaited, after the loop, where the accumulators declared before it are in scope.
  const usageFields = new Set<string>();
  const responseEdits: TextEdit[] = [];
  const textName = freshName(loop, `${base === 'stream' ? 'streamed' : base}Text`);
  const usageName = freshName(loop, `${base === 'stream' ? 'streamed' : base}Usage`);
  let readsText = false;
  for (const response of responses) {
    const wait = response.getParent();
    if (!Node.isAwaitExpression(wait)) return fail(response, `${response.getText()} is used without await`);
    const scope = loop.getParentOrThrow();
    if (response.getStart() < loop.getEnd() || response.getEnd() > scope.getEnd()) {
      return fail(response, 'the response is read before or away from the loop');
    }
    const reads = aggregatedReads(wait, textName, usageName, blockers);
    if (!reads) return undefined;
    readsText ||= reads.text;
    for (const f of reads.usage) usageFields.add(f);
    responseEdits.push(...reads.edits);
  }
  const needText = readsText || opts.afterLoop !== undefined;
  const needUsage = usageFields.size > 0;

  const sf = call.getSourceFile();
  const style = fileStyle(sf);
  const semi = style.semicolon ? ';' : '';
  const unit = indentUnit(sf);
  const loopIndent = indentOf(loop);
  const eol = '\n'; // the transform phase gives a CRLF file CRLF

  // The loop variable: every use must be the text of the chunk.
  const initializer = loop.getInitializer();
  const declaration = Node.isVariableDeclarationList(initializer) ? initializer.getDeclarations() : [];
  const chunk = declaration.length === 1 ? declaration[0]!.getNameNode() : undefined;
  if (!loop.isAwaited() || !Node.isIdentifier(chunk)) return fail(loop, 'a loop that is not for await (const chunk of ...)');
  // A chat's next turn chains on the id the stream's last interaction.completed carries: a loop that can stop
  // before it (the old chat still recorded the whole answer) would leave the next turn unchained.
  if (opts.mustComplete && exitsEarly(loop)) return fail(loop, 'the loop may stop before the interaction completes, so the next turn could not chain on it');
  const chunkText = freshName(loop, `${chunk.getText()}Text`);
  const event = freshName(loop, 'event');
  edits.push({ start: chunk.getStart(), end: chunk.getEnd(), text: event });
  for (const ref of localReferences(chunk)) {
    const access = ref.getParent();
    const read = Node.isPropertyAccessExpression(access) && access.getExpression() === ref && access.getName() === 'text' ? access : undefined;
    const called = read && Node.isCallExpression(read.getParent()) && (read.getParent() as CallExpression).getExpression() === read ? read.getParentOrThrow() : undefined;
    const whole = opts.sdk === 'legacy' ? called : read && !called ? read : undefined;
    if (!whole) return fail(ref, `${(access ?? ref).getText()} inside the loop`);
    edits.push({ start: whole.getStart(), end: whole.getEnd(), text: chunkText });
  }

  const q = (s: string) => quoted(s, style);
  const completed = [
    ...(opts.onCompleted?.(event) ?? []),
    ...[...usageFields].map((f) => `${usageName}.${f} = (${usageName}.${f} ?? 0) + (${event}.interaction.usage?.${f} ?? 0)${semi}`),
  ];
  const body = loop.getStatement();
  const bodyIndent = Node.isBlock(body) && body.getStatements()[0] ? indentOf(body.getStatements()[0]!) : loopIndent + unit;
  const prelude = [
    // Errors inside the stream arrive as events, not exceptions (pitfall P10): the old loop threw.
    `if (${event}.event_type === ${q('error')}) throw new Error(${event}.error?.message ?? ${q(ERROR_TEXT)})${semi}`,
    ...(completed.length === 1
      ? [`if (${event}.event_type === ${q('interaction.completed')}) ${completed[0]}`]
      : completed.length
        ? [`if (${event}.event_type === ${q('interaction.completed')}) {`, ...completed.map((c) => unit + c), '}']
        : []),
    `const ${chunkText} = ${opts.helper}(${event})${semi}`,
    `if (!${chunkText}) continue${semi}`,
    ...(needText ? [`${textName} += ${chunkText}${semi}`] : []),
  ];
  if (Node.isBlock(body)) {
    // A comment trailing the loop's `{` stays on that line, about the loop: the prelude goes below it.
    const trailing = /^[ \t]*\/\/[^\r\n]*/.exec(body.getSourceFile().getFullText().slice(body.getStart() + 1));
    const open = body.getStart() + 1 + (trailing?.[0].length ?? 0);
    edits.push({ start: open, end: open, text: prelude.map((l) => eol + bodyIndent + l).join('') });
  } else {
    edits.push(
      { start: body.getStart(), end: body.getStart(), text: `{${prelude.map((l) => eol + bodyIndent + l).join('')}${eol}${bodyIndent}` },
      { start: body.getEnd(), end: body.getEnd(), text: `${eol}${loopIndent}}` },
    );
  }
  const before: string[] = [];
  if (needText) before.push(`let ${textName} = ${q('')}${semi}`);
  if (needUsage) {
    if (!style.typescript) before.push("/** @type {import('@google/genai').Interactions.Usage} */");
    before.push(`const ${usageName}${style.typescript ? ': Interactions.Usage' : ''} = {}${semi}`);
  }
  if (before.length) edits.push({ start: loop.getStart(), end: loop.getStart(), text: before.map((l) => l + eol + loopIndent).join('') });
  const after = opts.afterLoop?.(textName) ?? [];
  if (after.length) edits.push({ start: loop.getEnd(), end: loop.getEnd(), text: after.map((l) => eol + loopIndent + l).join('') });
  edits.push(...responseEdits);
  return { edits, needs };
}

/** The helper every migrated stream loop calls: the text one event adds (§1.4: text can start in step.start). */
export function streamHelperText(name: string, typescript: boolean, semicolon: boolean, quote: "'" | '"', unit: string): string {
  const semi = semicolon ? ';' : '';
  const q = (s: string) => quote + s + quote;
  const doc = 'The text one Interactions stream event adds: a text delta, or the text a model_output step starts with.';
  const lines = [
    ...(typescript ? [`/** ${doc} */`] : ['/**', ` * ${doc}`, " * @param {import('@google/genai').Interactions.InteractionSSEEvent} event", ' */']),
    `function ${name}(event${typescript ? ': Interactions.InteractionSSEEvent' : ''})${typescript ? ': string' : ''} {`,
    `${unit}if (event.event_type === ${q('step.delta')}) return event.delta.type === ${q('text')} ? event.delta.text : ${q('')}${semi}`,
    `${unit}if (event.event_type === ${q('step.start')} && event.step.type === ${q('model_output')}) {`,
    `${unit}${unit}return (event.step.content ?? []).map((block) => (block.type === ${q('text')} ? block.text : ${q('')})).join(${q('')})${semi}`,
    `${unit}}`,
    `${unit}return ${q('')}${semi}`,
    '}',
  ];
  return lines.join('\n');
}

/** A name not yet used by any identifier of the enclosing function (or file). */
export function freshName(at: Node, wanted: string): string {
  const scope = at.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) ?? at.getSourceFile();
  // A property name (`x.functionCalls`, `{ text: ... }`) does not take a name from the scope.
  const taken = new Set(
    findNodes<Identifier>(scope, SyntaxKind.Identifier, (n) => {
      const p = n.parent;
      return !((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n));
    }).map((i) => i.getText()),
  );
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}${i}`;
  return name;
}

/** A `break`, `return` or `throw` that leaves `loop` (not one that belongs to a nested loop or function). */
function exitsEarly(loop: ForOfStatement): boolean {
  const body = loop.getStatement();
  const exits = [SyntaxKind.BreakStatement, SyntaxKind.ReturnStatement, SyntaxKind.ThrowStatement];
  return body.getDescendants().some((d) => {
    if (!exits.includes(d.getKind())) return false;
    const fn = d.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a));
    if (fn && fn.getStart() >= body.getStart() && fn.getEnd() <= body.getEnd()) return false; // a callback's own exit
    if (!Node.isBreakStatement(d) || d.getLabel()) return true;
    return d.getFirstAncestor((a) => Node.isIterationStatement(a) || Node.isSwitchStatement(a)) === loop;
  });
}

/** Whether `node` is what a `for await (...)` loop iterates. */
function isLoopSource(node: Node): boolean {
  const loop = node.getParent();
  return Node.isForOfStatement(loop) && loop.getExpression() === node && loop.isAwaited();
}

function isWrite(ref: Node): boolean {
  const parent = ref.getParent();
  return Node.isBinaryExpression(parent) && parent.getLeft() === ref && parent.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment && parent.getOperatorToken().getKind() <= SyntaxKind.LastAssignment;
}

/**
 * The reads of one `await result.response`, answered from the loop's accumulators: read in place
 * (`(await result.response).text()` → the text), or kept in a variable that becomes `{ output_text, usage }` and is
 * read through `text()` / `usageMetadata.*` as a single call's result is.
 */
function aggregatedReads(wait: Node, textName: string, usageName: string, blockers: Blocker[]): { edits: TextEdit[]; text: boolean; usage: string[] } | undefined {
  let holder: Node = wait;
  while (Node.isParenthesizedExpression(holder.getParent())) holder = holder.getParentOrThrow();
  const parent = holder.getParent();
  const fail = (node: Node, detail: string) => {
    blockers.push({ node, reason: 'stream-not-followed', detail });
    return undefined;
  };
  if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === holder) {
    const next = parent.getParent();
    if (parent.getName() === 'text' && Node.isCallExpression(next) && next.getExpression() === parent) {
      return { edits: [{ start: holder.getStart(), end: next.getEnd(), text: textName }], text: true, usage: [] };
    }
    const target = Node.isPropertyAccessExpression(next) && parent.getName() === 'usageMetadata' ? USAGE_FIELDS[next.getName()] : undefined;
    if (target) return { edits: [{ start: holder.getStart(), end: next!.getEnd(), text: `${usageName}.${target}` }], text: false, usage: [target] };
    return fail(parent, parent.getText());
  }
  if (!Node.isVariableDeclaration(parent) || parent.getInitializer() !== holder || !Node.isIdentifier(parent.getNameNode())) {
    return fail(wait, 'the aggregated response is passed on');
  }
  if (parent.getTypeNode()) return fail(parent, `the aggregated response declared as ${parent.getTypeNode()!.getText()}`);
  const before = blockers.length;
  const edits: TextEdit[] = [];
  let text = false;
  const usage: string[] = [];
  for (const ref of localReferences(parent.getNameNode() as Identifier)) {
    const access = ref.getParent();
    if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== ref) return fail(ref, `${ref.getText()} is passed on`);
    const reads = readEdits(access, 'legacy', undefined, blockers);
    text ||= access.getName() === 'text';
    for (const e of reads) if (Object.values(USAGE_FIELDS).includes(e.text)) usage.push(e.text);
    edits.push(...reads);
  }
  if (blockers.length > before) return undefined;
  const fields = [...(text ? [`output_text: ${textName}`] : []), ...(usage.length ? [`usage: ${usageName}`] : [])];
  edits.push({ start: holder.getStart(), end: holder.getEnd(), text: `{ ${fields.join(', ')} }` });
  return { edits, text, usage };
}

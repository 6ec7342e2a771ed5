import { Node, SyntaxKind, ts } from '../src/tsm.js';
import type { CallExpression, Identifier, NewExpression, SourceFile, VariableDeclaration, ts as TS } from 'ts-morph';
import type { Blocker } from '../src/migration/config-map.js';
import { FILE_METHODS, fileCallEdits } from '../src/migration/files.js';
import { findNodes } from '../src/migration/find.js';
import { importEdits, type ImportNeeds } from '../src/migration/imports.js';
import { sdkExportOf, sdkLocalNames } from '../src/migration/sdk-symbols.js';
import { slotOf, slotReferences } from '../src/migration/slots.js';
import { freshName } from '../src/migration/streams.js';
import { fileStyle, type FileStyle } from '../src/migration/style.js';
import type { TextEdit, Transform, TransformContext } from '../src/types.js';

export const fileManager: Transform = {
  id: 'file-manager',
  summary:
    'Moves GoogleAIFileManager (@google/generative-ai/server) onto ai.files of a GoogleGenAI client: uploadFile, getFile, listFiles, deleteFile, and the reads of the files they return.',
  example: {
    before: [
      'const fileManager = new GoogleAIFileManager(apiKey);',
      "const upload = await fileManager.uploadFile('report.pdf', { mimeType: 'application/pdf' });",
      'const file = await fileManager.getFile(upload.file.name);',
    ].join('\n'),
    after: [
      'const ai = new GoogleGenAI({ apiKey });',
      "const upload = await ai.files.upload({ file: 'report.pdf', config: { mimeType: 'application/pdf' } });",
      'const file = await ai.files.get({ name: upload.name! });',
    ].join('\n'),
  },
  docs: {
    rewrites: [
      'A `GoogleAIFileManager` kept in a variable becomes the `files` of a `GoogleGenAI` client: the client the file',
      'already has for the same API key (a `const` in scope, created by hand or by generate-content, which runs first),',
      'else one declared in place of the manager. Its calls map one to one:',
      '',
      '- `uploadFile(path, { mimeType, displayName })` → `ai.files.upload({ file: path, config: { ... } })`. The result is',
      '  the `File` itself now: `upload.file.uri` → `upload.uri`, `const { file } = ...` → `const file = ...`;',
      '- `getFile(name)` → `ai.files.get({ name })`, `deleteFile(name)` → `ai.files.delete({ name })` (its value unused);',
      '- `listFiles(params)` → `ai.files.list({ config: params })`, a Pager: `files` is its first `page`',
      '  (read through `.length` or `for...of`); a caller\'s params object is copied, since the Pager writes the next',
      '  page token into it;',
      '- `FileState` from `@google/generative-ai/server` → `FileState` from `@google/genai` (same members and values).',
      '',
      "`@google/genai`'s `File` declares every field optional, where the legacy one declared `name`, `uri`, `mimeType`,",
      '`state`, `sizeBytes`, `sha256Hash`, `createTime` and `updateTime` required. The Files API sets these output-only',
      'fields on every File it returns, so in TypeScript a read keeps its old type with `!` where the code needs a',
      'value (a `string` parameter, a variable used later, a legacy `fileData` part); comparisons, conditions,',
      'templates and optional fields (an Interactions block\'s `uri?`) take it as it is. `expirationTime` (only set for',
      'files that expire), `error` and `videoMetadata` (another shape) are read only where `undefined` is fine.',
      '',
      'A manager is migrated with every call on it, or not at all. `GoogleAICacheManager` has no Interactions',
      'equivalent: legacy-remnants marks it.',
    ].join('\n'),
    examples: ['upload-and-get', 'pipeline-upload-generate'],
    options: '- `--skip file-manager`: leave file managers as they are (legacy-remnants then marks them).',
    todos: {
      'file-manager-not-followed':
        'The manager is exported, kept in a field, given request options, passed on; or a call on it uploads a Buffer, keeps its promise, returns or passes on its result, reads `nextPageToken`, or needs a File field that may now be absent.',
    },
  },
  run(ctx) {
    const sf = ctx.sourceFile;
    const names = sdkLocalNames(sf);
    const created = findNodes<NewExpression>(sf, SyntaxKind.NewExpression, (n) => {
      const e = (n as TS.NewExpression).expression;
      return names.has((ts.isPropertyAccessExpression(e) ? e.expression : e).getText(sf.compilerNode));
    }).filter((n) => {
      const target = sdkExportOf(n.getExpression());
      return target?.sdk === 'legacy' && target.name === 'GoogleAIFileManager';
    });
    if (created.length === 0) return [];
    const style = fileStyle(sf);
    const plans = created.map((m) => managerPlan(m, ctx, style));
    const fileState = legacyFileState(sf);
    // FileState is one import for the whole file, and a legacy one cannot be compared with a genai one (nor the
    // reverse): where it is used, the managers of the file migrate all together or not at all.
    const stays = plans.some((p) => p.blockers.length);
    for (const p of plans) {
      if (p.blockers.length) continue;
      if (fileState.aliased) p.blockers.push({ node: fileState.aliased, reason: 'file-manager-not-followed', detail: 'FileState is imported under another name' });
      else if (stays && fileState.refs.length) p.blockers.push({ node: p.created, reason: 'file-manager-not-followed', detail: 'FileState is shared with a file manager that stays' });
    }
    for (const p of plans) for (const b of p.blockers) ctx.todo(b.node, b.reason, b.detail);
    const migrated = plans.filter((p) => !p.blockers.length);
    if (!migrated.length) return [];
    const edits = migrated.flatMap((p) => p.edits);
    const needs: ImportNeeds = { values: new Set(migrated.some((p) => p.declaresClient) ? ['GoogleGenAI'] : []), types: new Set() };
    if (fileState.refs.length) needs.values.add('FileState');
    // FileState keeps its name: its references count as rewritten, so the legacy import of it goes.
    const replaced = [...edits, ...fileState.refs.map((r) => ({ start: r.getStart(), end: r.getEnd(), text: r.getText() }))];
    return [...edits, ...importEdits(sf, needs, replaced, style, ctx.eol)];
  },
};

interface ManagerPlan {
  created: NewExpression;
  edits: TextEdit[];
  blockers: Blocker[];
  declaresClient: boolean;
}

/** One `new GoogleAIFileManager(key)`: the client its calls use, and every call rewritten; or why not. */
function managerPlan(created: NewExpression, ctx: TransformContext, style: FileStyle): ManagerPlan {
  const plan: ManagerPlan = { created, edits: [], blockers: [], declaresClient: false };
  const block = (node: Node, detail: string) => (plan.blockers.push({ node, reason: 'file-manager-not-followed', detail }), plan);
  const [key, ...options] = created.getArguments();
  if (!key || options.length) return block(created, 'request options: move them to the client\'s httpOptions');
  const slot = slotOf(created);
  const decl = slot?.holder;
  if (!slot || slot.kind !== 'variable' || !Node.isVariableDeclaration(decl)) return block(created, 'a manager not kept in a variable of its own');
  const statement = decl.getVariableStatement();
  if (!statement || statement.getDeclarations().length !== 1) return block(created, 'a manager declared with other variables');
  if (statement.hasExportKeyword()) return block(created, 'an exported manager: other modules may call it');
  const refs = slotReferences(slot);
  const calls: Array<{ call: CallExpression; method: string }> = [];
  for (const ref of refs) {
    const access = ref.getParent();
    const call = access?.getParent();
    if (ref.getSourceFile() !== ctx.sourceFile) return block(ref, `used in ${ref.getSourceFile().getBaseName()}`);
    if (!Node.isPropertyAccessExpression(access) || !Node.isCallExpression(call) || call.getExpression() !== access || !FILE_METHODS.has(access.getName())) {
      return block(ref, `${ref.getText()} is used other than by a call of its methods`);
    }
    calls.push({ call, method: access.getName() });
  }
  const reuse = sameKeyClient(decl, key.getText(), refs);
  const client = reuse ?? freshName(decl, 'ai');
  const fc = { client, style, isManager: (n: Node) => refs.includes(n), blockers: plan.blockers };
  for (const { call, method } of calls) plan.edits.push(...fileCallEdits(call, method, fc));
  if (plan.blockers.length) return plan;
  if (reuse) {
    plan.edits.push({ ...wholeLines(statement), text: '' });
  } else {
    const apiKey = key.getText() === 'apiKey' ? 'apiKey' : `apiKey: ${key.getText()}`;
    plan.edits.push({ start: decl.getStart(), end: decl.getEnd(), text: `${client} = new GoogleGenAI({ ${apiKey} })` });
    plan.declaresClient = true;
  }
  return plan;
}

/**
 * A `const x = new GoogleGenAI({ apiKey: <the same key> })` with no other option, declared before the manager in a
 * scope that holds it, and not shadowed where the manager is used: the manager's calls can use its `files`.
 */
function sameKeyClient(manager: VariableDeclaration, key: string, uses: Node[]): string | undefined {
  const sf = manager.getSourceFile();
  const candidates = findNodes<NewExpression>(sf, SyntaxKind.NewExpression, (n) => /GoogleGenAI\b/.test((n as TS.NewExpression).expression.getText(sf.compilerNode)));
  for (const created of candidates) {
    if (created.getStart() > manager.getStart() || sdkExportOf(created.getExpression())?.name !== 'GoogleGenAI') continue;
    const decl = created.getParent();
    const [options, ...more] = created.getArguments();
    if (!Node.isVariableDeclaration(decl) || decl.getInitializer() !== created || !Node.isObjectLiteralExpression(options) || more.length) continue;
    if (decl.getVariableStatement()?.getDeclarationKind() !== 'const') continue;
    const props = options.getProperties();
    const only = props.length === 1 ? props[0] : undefined;
    const sameKey =
      (Node.isPropertyAssignment(only) && only.getName() === 'apiKey' && only.getInitializerOrThrow().getText() === key) ||
      (Node.isShorthandPropertyAssignment(only) && only.getName() === 'apiKey' && key === 'apiKey');
    const name = decl.getNameNode();
    if (!sameKey || !Node.isIdentifier(name)) continue;
    const scope = decl.getVariableStatement()!.getParent();
    if (!scope || !manager.getAncestors().includes(scope)) continue;
    if (uses.every((use) => resolvesTo(use, name))) return name.getText();
  }
  return undefined;
}

/** Whether the name of `target` means `target` where `site` stands (no local of the same name in between). */
function resolvesTo(site: Node, target: Identifier): boolean {
  const checker = site.getProject().getTypeChecker().compilerObject;
  const symbol = checker.getSymbolsInScope(site.compilerNode, ts.SymbolFlags.Value).find((s) => s.name === target.getText());
  return symbol !== undefined && symbol === target.getSymbol()?.compilerSymbol;
}

/**
 * `FileState` of the legacy SDK, by its references (they keep the name: genai exports the same enum, same values);
 * `aliased` when some reference goes by another name (a renamed import, a namespace), which an import cannot follow.
 */
function legacyFileState(sf: SourceFile): { refs: Identifier[]; aliased?: Node } {
  const names = sdkLocalNames(sf);
  const refs: Identifier[] = [];
  let aliased: Node | undefined;
  for (const id of findNodes<Identifier>(sf, SyntaxKind.Identifier, (n) => names.has((n as TS.Identifier).text))) {
    const parent = id.getParent();
    if (Node.isImportSpecifier(parent) || Node.isImportClause(parent) || Node.isNamespaceImport(parent) || Node.isBindingElement(parent)) continue;
    if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === id && !sdkExportOf(id)) {
      const member = sdkExportOf(parent); // server.FileState
      if (member?.sdk === 'legacy' && member.name === 'FileState') aliased ??= parent;
      continue;
    }
    const target = sdkExportOf(id);
    if (target?.sdk !== 'legacy' || target.name !== 'FileState') continue;
    if (id.getText() === 'FileState') refs.push(id);
    else aliased ??= id;
  }
  return { refs, aliased };
}

/** The statement's full lines, newline included, so removing it leaves no blank line. */
function wholeLines(node: Node): { start: number; end: number } {
  const text = node.getSourceFile().getFullText();
  const start = text.lastIndexOf('\n', node.getStart() - 1) + 1;
  const nl = text.indexOf('\n', node.getEnd());
  return { start, end: nl === -1 ? text.length : nl + 1 };
}

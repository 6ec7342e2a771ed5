import { Node, SyntaxKind, ts } from '../src/tsm.js';
import type { Identifier, NoSubstitutionTemplateLiteral, StringLiteral, TemplateExpression, ts as TS } from 'ts-morph';
import { findNodes } from '../src/migration/find.js';
import { compareWithLanguageService, moduleVariableReferences } from '../src/migration/slots.js';
import { classifyModelId } from '../src/model-ids.js';
import { usesGeminiSdk } from '../src/sdk-imports.js';
import type { TextEdit, Transform, TransformContext } from '../src/types.js';

/** Property names whose value is a model id. */
const MODEL_KEYS = new Set(['model', 'modelName', 'modelId', 'model_name', 'model_id', 'modelVersion']);

type IdLiteral = StringLiteral | NoSubstitutionTemplateLiteral;

/** Where a literal's value ends up, after climbing through expressions that pass it on unchanged. */
type Flow =
  | { kind: 'model' } // the value of a `model:` property
  | { kind: 'binding'; name: Node } // a constant, default parameter, field or property: follow its references
  | { kind: 'other' }; // compared, logged, passed to an unknown call, used as a key...

export const modelIdSwap: Transform = {
  id: 'model-id-swap',
  summary: 'Replaces deprecated Gemini model ids (gemini-1.0/1.5/2.0, gemini-pro...) with gemini-3-flash-preview where they are a model.',
  example: {
    before: "const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });",
    after: "const model = genAI.getGenerativeModel({ model: 'gemini-3-flash-preview' });",
  },
  docs: {
    rewrites: [
      'Replaces deprecated model ids (`gemini-1.0-*`, `gemini-1.5-*`, `gemini-2.0-*`, `gemini-pro`, `gemini-pro-vision`,',
      '`gemini-ultra`, with or without `models/`) with `gemini-3-flash-preview` where they are a model: the value of a',
      '`model`, `modelName`, `modelId`, `model_name`, `model_id` or `modelVersion` property or variable, and constants,',
      'default parameters, class fields and object properties whose value flows there, followed across the files of one',
      'run. Only the text between the quotes changes. In a file that imports or requires a Gemini SDK, any such binding',
      'initialised with a deprecated id is taken as a model; elsewhere, only when one of its uses is a model or sits in',
      'such a file.',
      '',
      'Left in place and listed as advisories in the report: current ids (`gemini-2.5-*`), embedding ids, and deprecated',
      'ids that are not a model (log messages, object keys, JSX attributes, call arguments, comparisons). The built-in',
      'table is [data/model-ids.json](../../data/model-ids.json), with the date it was checked.',
    ].join('\n'),
    examples: ['basic-literals', 'config-module'],
    options: [
      '- `--model-map <file.json>` (library: `modelMap`; jscodeshift: `--model-map=<file.json>`): the replacement per',
      '  old id, by exact id or `*` glob, e.g. `{"gemini-1.5-pro": "gemini-3.1-pro-preview", "gemini-1.5-*":',
      '  "gemini-3-flash-preview"}`. Exact ids win over globs. An exact entry applies to any id the table knows (map an',
      '  id to itself to keep it); a glob only to deprecated ids.',
      '- `--only model-id-swap` / `--skip model-id-swap`: run it alone, or not at all.',
    ].join('\n'),
    todos: {
      'model-id-unsupported':
        'An image-generation, Live, TTS or AQA model id is used as a model: none has an Interactions equivalent the tool could pick for you.',
      'model-id-dynamic':
        'A deprecated id is built with a template literal (`` `gemini-1.5-${size}` ``) where a model goes, or in a file that uses the SDK: its value is only known at run time.',
      'model-id-typed':
        'The literal is checked against a union of string literals of your own that lacks the new id: swapping it would not compile.',
      'model-id-compared':
        'A deprecated id is compared against (`if (m === \'gemini-1.5-flash\')`) in a file where the same id was swapped as a model: the comparison may never match again.',
      'model-id-list-duplicates':
        'Two deprecated ids in one array now map to the same id: a model picker or a fallback chain would list it twice.',
    },
  },
  run(ctx) {
    const edits: TextEdit[] = [];
    const sdkFile = usesGeminiSdk(ctx.sourceFile);
    const swapped = new Set<string>();
    const swappedLiterals: Node[] = [];
    const leftInPlace: Array<{ node: IdLiteral; value: string }> = [];

    for (const literal of idLiterals(ctx)) {
      const value = literal.getLiteralText();
      const verdict = classifyModelId(value, ctx.modelTable);
      if (!verdict) continue;
      const flow = flowOf(literal);
      const isModel = flow.kind === 'model' || (flow.kind === 'binding' && (sdkFile || reachesModel(flow.name)));

      if (!isModel) {
        if (verdict.kind === 'deprecated' || verdict.kind === 'unsupported') leftInPlace.push({ node: literal, value });
        continue;
      }
      if (verdict.kind === 'deprecated' && verdict.replacement) {
        const to = verdict.replacement;
        if (!typeAccepts(literal, to)) {
          ctx.todo(literal, 'model-id-typed', `${value} → ${to}`);
          ctx.modelId(literal, { from: value, kind: verdict.kind, note: 'left in place: its declared type does not accept the new id' });
          continue;
        }
        edits.push(replaceLiteral(literal, to));
        swappedLiterals.push(literal);
        swapped.add(value);
        ctx.modelId(literal, { from: value, to, kind: verdict.kind });
      } else if (verdict.kind === 'unsupported') {
        ctx.todo(literal, 'model-id-unsupported', `${value}: ${verdict.note ?? ''}`.replace(/: $/, ''));
        ctx.modelId(literal, { from: value, kind: verdict.kind, note: verdict.note });
      } else if (verdict.kind !== 'current-latest' && verdict.kind !== 'embedding-current') {
        ctx.modelId(literal, { from: value, kind: verdict.kind, note: verdict.note ?? 'kept by the model map' });
      }
    }

    markDynamicIds(ctx);
    for (const { node, value } of leftInPlace) {
      // A comparison with an id that was just swapped elsewhere in this file no longer matches: say so.
      if (swapped.has(value)) ctx.todo(node, 'model-id-compared', value);
      ctx.modelId(node, { from: value, kind: classifyModelId(value, ctx.modelTable)!.kind, note: 'left in place: not used as a model here' });
    }
    markDuplicateLists(ctx, edits, swappedLiterals);
    return edits;
  },
};

/** Could this literal text be a model id the table knows? A cheap test before any node is wrapped. */
const MAYBE_ID = /^(models\/)?(gemini-|text-embedding-|embedding-|aqa$)/;

function idLiterals(ctx: TransformContext): IdLiteral[] {
  const sf = ctx.sourceFile;
  const maybe = (n: TS.Node) => MAYBE_ID.test((n as TS.LiteralLikeNode).text);
  return [
    ...findNodes<StringLiteral>(sf, SyntaxKind.StringLiteral, maybe),
    ...findNodes<NoSubstitutionTemplateLiteral>(sf, SyntaxKind.NoSubstitutionTemplateLiteral, maybe),
  ]
    .filter((n) => !isModuleSpecifierOrType(n))
    .sort((a, b) => a.getStart() - b.getStart());
}

function isModuleSpecifierOrType(node: Node): boolean {
  const parent = node.getParent();
  return (
    Node.isImportDeclaration(parent) ||
    Node.isExportDeclaration(parent) ||
    Node.isExternalModuleReference(parent) ||
    Node.isLiteralTypeNode(parent)
  );
}

/** Climbs through `x || 'id'`, `cond ? 'a' : 'b'`, `('id')`, `'id' as const`, `['a', 'b']` to where the value lands. */
function valueTarget(node: Node): Node {
  let current = node;
  for (;;) {
    const parent = current.getParent();
    if (!parent) return current;
    const passesOn =
      Node.isParenthesizedExpression(parent) ||
      Node.isAsExpression(parent) ||
      Node.isSatisfiesExpression(parent) ||
      Node.isTypeAssertion(parent) ||
      Node.isNonNullExpression(parent) ||
      Node.isArrayLiteralExpression(parent) ||
      (Node.isConditionalExpression(parent) && parent.getCondition() !== current) ||
      (Node.isBinaryExpression(parent) &&
        [SyntaxKind.BarBarToken, SyntaxKind.QuestionQuestionToken].includes(parent.getOperatorToken().getKind()));
    if (!passesOn) return current;
    current = parent;
  }
}

function flowOf(literal: Node): Flow {
  const target = valueTarget(literal);
  const parent = target.getParent();
  if (!parent) return { kind: 'other' };
  if (Node.isPropertyAssignment(parent) && parent.getInitializer() === target) {
    return MODEL_KEYS.has(propertyName(parent.getNameNode())) ? { kind: 'model' } : { kind: 'binding', name: parent.getNameNode() };
  }
  if (
    (Node.isVariableDeclaration(parent) ||
      Node.isParameterDeclaration(parent) ||
      Node.isPropertyDeclaration(parent) ||
      Node.isBindingElement(parent) ||
      Node.isEnumMember(parent)) &&
    parent.getInitializer() === target
  ) {
    const name = parent.getNameNode();
    if (Node.isIdentifier(name) && MODEL_KEYS.has(name.getText())) return { kind: 'model' };
    return { kind: 'binding', name };
  }
  if (Node.isExportAssignment(parent)) return { kind: 'binding', name: parent };
  return { kind: 'other' };
}

function propertyName(name: Node): string {
  return Node.isIdentifier(name) || Node.isStringLiteral(name) || Node.isPrivateIdentifier(name)
    ? name.getText().replace(/^['"#]|['"]$/g, '')
    : '';
}

/**
 * A binding declared outside any SDK file is a model when one of its uses is a model or sits in an SDK file. The
 * uses that would decide it are found by text first (modelSites); when one of them resolves to the binding, that is
 * the answer without a reference search, which walks every file of the program for every binding.
 */
function reachesModel(name: Node): boolean {
  if (!Node.isIdentifier(name)) return false;
  const sites = modelSites(name);
  const check = process.env.MIGRATE_INTERACTIONS_CHECK_REFERENCES;
  if (sites?.length === 0 || sites?.some((site) => refersTo(site, name))) {
    // Test aid, as for the reference searches: the shortcut must agree with the search.
    if (check && searchReachesModel(name) !== (sites.length > 0)) {
      throw new Error(`reachesModel's shortcut disagrees with the reference search for ${name.getText()} in ${name.getSourceFile().getFilePath()}`);
    }
    return sites.length > 0;
  }
  return searchReachesModel(name);
}

function searchReachesModel(name: Identifier): boolean {
  let refs: Node[];
  try {
    const fast = moduleVariableReferences(name);
    if (fast && process.env.MIGRATE_INTERACTIONS_CHECK_REFERENCES) compareWithLanguageService(name, fast);
    refs = (fast ?? name.findReferencesAsNodes()).filter((r) => r !== name);
  } catch {
    return false; // the language service could not follow it: leave the id alone rather than guess
  }
  return refs.some((ref) => {
    if (usesGeminiSdk(ref.getSourceFile())) return true;
    const access = Node.isPropertyAccessExpression(ref.getParent()) ? ref.getParentOrThrow() : ref;
    return flowOf(access).kind === 'model';
  });
}

/**
 * The places whose being a reference of `name` would make it a model, found by text: a reference is an identifier
 * (or a string) of the same text in a source file of the program, so it counts only in a file that uses the SDK or
 * where it sits as a model. None: no reference can make it a model (most bindings holding an id: log labels, lookup
 * tables). Undefined when a file outside the project's own holds the text: the search decides.
 */
function modelSites(name: Identifier): Node[] | undefined {
  const program = name.getProject().getProgram().compilerObject;
  let byText = sitesCache.get(program);
  if (!byText) sitesCache.set(program, (byText = new Map()));
  const text = name.getText();
  // The same names come back for every literal a module holds (`settings`, `CHAT_MODEL`): one scan per program.
  if (!byText.has(text)) byText.set(text, sitesNamed(name, text, program));
  return byText.get(text)?.filter((site) => site.compilerNode !== name.compilerNode);
}

const sitesCache = new WeakMap<TS.Program, Map<string, Node[] | undefined>>();

function sitesNamed(name: Identifier, text: string, program: TS.Program): Node[] | undefined {
  const sites: Node[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !file.text.includes(text)) continue;
    const sf = name.getProject().getSourceFile(file.fileName);
    if (!sf) return undefined;
    // A string of that text can be a reference too (`pick(cfg, 'chatModel')` against `keyof`).
    const same = (n: TS.Node) => (n as TS.Identifier | TS.StringLiteral).text === text;
    const found = [...findNodes(sf, SyntaxKind.Identifier, same), ...findNodes(sf, SyntaxKind.StringLiteral, same)];
    const sdk = usesGeminiSdk(sf);
    sites.push(...found.filter((id) => sdk || flowOf(Node.isPropertyAccessExpression(id.getParent()) ? id.getParentOrThrow() : id).kind === 'model'));
  }
  return sites;
}

/** Whether `site` names what `name` declares: its symbol (through an import alias, a widened or mapped property) is declared there. */
function refersTo(site: Node, name: Identifier): boolean {
  const checker = name.getProject().getTypeChecker().compilerObject;
  let symbol = checker.getSymbolAtLocation(site.compilerNode);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (!symbol) return false;
  const declaration = name.compilerNode.parent as TS.Declaration;
  return [symbol, ...checker.getRootSymbols(symbol)].some((s) => s.declarations?.includes(declaration) === true);
}

/** False when the literal's contextual type is a closed set of string literals that lacks the new id. */
function typeAccepts(literal: IdLiteral, to: string): boolean {
  const type = literal.getContextualType();
  if (!type) return true;
  const members = type.isUnion() ? type.getUnionTypes() : [type];
  if (!members.every((t) => t.isStringLiteral())) return true;
  return members.some((t) => t.getLiteralValue() === to);
}

function replaceLiteral(literal: IdLiteral, to: string): TextEdit {
  // Keep the quote character and everything around the text: only the id changes.
  const start = literal.getStart() + 1;
  const end = literal.getEnd() - 1;
  return { start, end, text: to };
}

/** `models/gemini-1.5-${size}` in a model slot cannot be rewritten blindly. */
function markDynamicIds(ctx: TransformContext): void {
  const deprecatedHead = /^(models\/)?gemini-(1\.0|1\.5|2\.0)-/;
  const templates = findNodes<TemplateExpression>(ctx.sourceFile, SyntaxKind.TemplateExpression, (n) => deprecatedHead.test((n as TS.TemplateExpression).head.text));
  for (const tpl of templates) {
    const head = tpl.getHead().getLiteralText();
    if (flowOf(tpl).kind === 'other' && !usesGeminiSdk(ctx.sourceFile)) continue;
    ctx.todo(tpl, 'model-id-dynamic', head + '…');
  }
}

/** Two deprecated ids in one list that now map to the same id would show twice (a model picker, a fallback chain). */
function markDuplicateLists(ctx: TransformContext, edits: TextEdit[], swappedLiterals: Node[]): void {
  const newText = new Map(edits.map((e) => [e.start, e.text]));
  const lists = new Set(swappedLiterals.map((l) => l.getParent()).filter((p) => Node.isArrayLiteralExpression(p)));
  for (const list of lists) {
    const values = list
      .getElements()
      .filter((el): el is IdLiteral => Node.isStringLiteral(el) || Node.isNoSubstitutionTemplateLiteral(el))
      .map((el) => newText.get(el.getStart() + 1) ?? el.getLiteralText());
    const changed = list.getElements().some((el) => newText.has(el.getStart() + 1));
    if (changed && new Set(values).size < values.length) ctx.todo(list, 'model-id-list-duplicates');
  }
}

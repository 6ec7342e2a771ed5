import { Node, SyntaxKind } from '../tsm.js';
import type { ArrayLiteralExpression, Expression, ObjectLiteralExpression, SourceFile, VariableDeclaration, VariableDeclarationKind } from 'ts-morph';
import type { TodoReason } from '../todo-reasons.js';
import { sdkExportOf } from './sdk-symbols.js';
import { fileStyle, indentOf, indentUnit, quoted, type FileStyle } from './style.js';
import type { TextEdit } from '../types.js';
import { valueSymbol, variableReferences } from './slots.js';
import { knownRunFile } from './find.js';
import { commentedFields, literalComments } from './comments.js';
import { optionFieldSpread, type OptionSpread } from './option-fields.js';

/** Why a setting cannot be carried over; the caller turns it into a TODO and leaves the code as it was. */
export interface Blocker {
  node: Node;
  reason: TodoReason;
  detail?: string;
}

/** Interactions request fields built from legacy settings: `key: value` source texts, in the order they were found. */
export interface MappedSettings {
  topLevel: Array<[string, string]>;
  generationConfig: Array<[string, string]>;
  blockers: Blocker[];
  /**
   * Set by callers that apply `edits`: a schema or function declaration kept in a constant of the module, used only
   * here, is then converted where it is declared (otherwise it is a blocker).
   */
  allowEdits?: boolean;
  edits: TextEdit[];
  /** The edits name the `Interactions` type namespace. */
  types?: boolean;
  /** Constants spread into the settings and converted where they are declared: their other readers must migrate too. */
  bases?: VariableDeclaration[];
  /** The reads of those constants the mapping took (any other read of them must be a migrating model's too). */
  readers?: Node[];
  /** The fields those constants bring (for checks that look at the whole request, like the text caveat). */
  spread?: Array<[string, string]>;
  /** The caller checks `bases` against every reader; otherwise a constant is converted only when read here alone. */
  shareable?: boolean;
  /** `...options.generationConfig` of a factory's options parameter: converted at its callers (option-fields.ts). */
  optionSpread?: OptionSpread;
}

export function emptySettings(allowEdits = false): MappedSettings {
  return { topLevel: [], generationConfig: [], blockers: [], allowEdits, edits: [] };
}

/** camelCase generation settings with a same-meaning field in Interactions `generation_config` (reference §3.3). */
const GENERATION_KEYS: Record<string, string> = {
  temperature: 'temperature',
  topP: 'top_p',
  maxOutputTokens: 'max_output_tokens',
  stopSequences: 'stop_sequences',
  seed: 'seed',
};

/** Generation settings Interactions has no field for (reference §3.3): blocked, with the value named. */
const NO_EQUIVALENT = new Set(['topK', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs', 'logprobs']);

/**
 * genai output settings with another shape in Interactions (reference §3.3): their TODO says where they go. Images
 * and audio come back as blocks of `model_output` steps, not as `inlineData` parts.
 */
const OUTPUT_SETTINGS: Record<string, string> = {
  responseModalities: "ask for each output kind with response_format entries ({ type: 'text' }, { type: 'image' }) and read images and audio as blocks of model_output steps",
  speechConfig: 'generation_config.speech_config, of another shape',
  imageConfig: "response_format { type: 'image', aspect_ratio, image_size }",
  mediaResolution: 'a resolution on each input image or video block',
};

/** The properties of an object literal as (name, value expression); spreads, methods and computed keys are blockers. */
export function properties(obj: ObjectLiteralExpression, blockers: Blocker[]): Array<{ name: string; value: Expression; node: Node }> {
  const out: Array<{ name: string; value: Expression; node: Node }> = [];
  for (const p of obj.getProperties()) {
    if (Node.isPropertyAssignment(p)) {
      const nameNode = p.getNameNode();
      if (Node.isComputedPropertyName(nameNode)) {
        blockers.push({ node: p, reason: 'dynamic-settings', detail: 'a computed key' });
        continue;
      }
      out.push({ name: nameNode.getText().replace(/^['"]|['"]$/g, ''), value: p.getInitializerOrThrow(), node: p });
    } else if (Node.isShorthandPropertyAssignment(p)) {
      out.push({ name: p.getName(), value: p.getNameNode() as unknown as Expression, node: p });
    } else {
      blockers.push({ node: p, reason: 'dynamic-settings', detail: Node.isSpreadAssignment(p) ? `the spread ${p.getText()}` : p.getText() });
    }
  }
  return out;
}

/** A table look-up that ignores what objects inherit (`constructor`, `toString`). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** `key (value)` for a TODO detail: the setting and the value that is dropped, shortened when long. */
function named(key: string, value: Node): string {
  const text = value.getText().replace(/\s+/g, ' ');
  return `${key} (${text.length > 40 ? text.slice(0, 37) + '...' : text})`;
}

/**
 * What decides `response_format` (reference §3.3, P8, P9): the mime type and the schema, which may come in either
 * order. They are gathered while the settings are read and turned into one top-level field at the end.
 */
interface ResponseFormatParts {
  mime?: { value: Expression; node: Node };
  schema?: { value: Expression; node: Node; key: 'responseSchema' | 'responseJsonSchema' };
}

/**
 * Adds one generation setting (shared by legacy `generationConfig` and genai's flat `config`); `prefix` names where it
 * stands in TODO details. False if the key is not a generation setting at all.
 */
function addGenerationKey(name: string, value: Expression, node: Node, into: MappedSettings, prefix: string, format: ResponseFormatParts, sdk: 'legacy' | 'genai'): boolean {
  const target = own(GENERATION_KEYS, name);
  if (target) {
    into.generationConfig.push([target, value.getText()]);
    return true;
  }
  if (name === 'candidateCount') {
    // an interaction has exactly one output
    if (value.getText() !== '1') into.blockers.push({ node, reason: 'setting-not-mapped', detail: named(`${prefix}.candidateCount`, value) });
    return true;
  }
  if (name === 'responseMimeType') format.mime = { value, node };
  else if (name === 'responseSchema' || (name === 'responseJsonSchema' && sdk === 'genai')) {
    if (format.schema) into.blockers.push({ node, reason: 'setting-not-mapped', detail: `both ${prefix}.${format.schema.key} and ${prefix}.${name}` });
    else format.schema = { value, node, key: name };
  } else if (NO_EQUIVALENT.has(name)) into.blockers.push({ node, reason: 'setting-not-mapped', detail: named(`${prefix}.${name}`, value) });
  else if (own(OUTPUT_SETTINGS, name)) into.blockers.push({ node, reason: 'setting-not-mapped', detail: `${named(`${prefix}.${name}`, value)}: ${own(OUTPUT_SETTINGS, name)}` });
  else return false;
  return true;
}

/** Legacy `generationConfig: { ... }` (reference §3.3). */
export function mapLegacyGenerationConfig(value: Expression, into: MappedSettings): void {
  // `generationConfig: creativeConfig`, a constant of the module: kept as `generation_config: { ...creativeConfig }`.
  const constant = Node.isIdentifier(value) && into.allowEdits && (into.shareable || onlyUse(value)) ? constObjectLiteral(value) : undefined;
  if (constant) {
    generationConstant(value, constant, value, into);
    return;
  }
  if (!Node.isObjectLiteralExpression(value)) {
    into.blockers.push({ node: value, reason: 'dynamic-settings', detail: `generationConfig ${value.getText()}` });
    return;
  }
  const style = fileStyle(value.getSourceFile());
  const format: ResponseFormatParts = {};
  const before = into.generationConfig.length;
  const spreads = generationConfigSpreads(value, into);
  const scratch: Blocker[] = [];
  const props = properties(value, scratch);
  into.blockers.push(...scratch.filter((b) => !spreads.includes(b.node)));
  for (const p of props) {
    if (!addGenerationKey(p.name, p.value, p.node, into, 'generationConfig', format, 'legacy')) {
      into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: named(`generationConfig.${p.name}`, p.value) });
    }
  }
  addResponseFormat(format, into, style, 'generationConfig');
  requestGenerationConfigBlockers(value, format, into.generationConfig.length > before, into);
}

/**
 * `generationConfig: { ...baseConfig, temperature }` with `baseConfig` a constant of the module: it stays a spread
 * of `generation_config`, converted where it is declared; only settings that keep their place (`temperature`,
 * `top_p`, ...) may be in it. A factory's `...options.generationConfig` stays too, converted at its callers.
 * Returns the spreads taken (the others are left to `properties` to report).
 */
function generationConfigSpreads(value: ObjectLiteralExpression, into: MappedSettings): Node[] {
  const taken: Node[] = [];
  for (const p of value.getProperties()) {
    if (!Node.isSpreadAssignment(p)) break; // only leading spreads: later ones would override what is written before them
    const expr = p.getExpression();
    const option = into.allowEdits && !into.optionSpread ? optionFieldSpread(expr, value) : undefined;
    if (option) {
      into.optionSpread = option;
      into.generationConfig.push([`...${expr.getText()}`, `...${expr.getText()}`]);
      taken.push(p);
      continue;
    }
    const literal = Node.isIdentifier(expr) && (into.shareable || onlyUse(expr)) ? constObjectLiteral(expr) : undefined;
    if (!literal || !into.allowEdits) return taken;
    taken.push(p);
    generationConstant(expr, literal, p, into);
  }
  return taken;
}

/** A generation-settings constant, converted where it is declared and spread into `generation_config`. */
function generationConstant(expr: Expression, literal: ObjectLiteralExpression, at: Node, into: MappedSettings): void {
  const mapped: Array<[string, string]> = [];
  for (const q of properties(literal, into.blockers)) {
    const target = own(GENERATION_KEYS, q.name);
    if (target) mapped.push([target, q.value.getText()]);
    else into.blockers.push({ node: at, reason: 'setting-not-mapped', detail: `${q.name} in ${expr.getText()}: only generation settings can stay in a constant` });
  }
  const indent = indentOf(literal.getFirstAncestorByKind(SyntaxKind.VariableStatement) ?? literal);
  const unit = indentUnit(literal.getSourceFile());
  const text = objectLike(mapped, indent, unit, literal);
  into.edits.push(...[{ start: literal.getStart(), end: literal.getEnd(), text }, ...dropTypeAnnotation(literal)].map((e) => declaredEdit(literal, e)));
  into.generationConfig.push([`...${expr.getText()}`, `...${expr.getText()}`]);
  shared(into, literal, expr);
}

/**
 * `model.generateContent({ ..., generationConfig })`: the legacy SDK replaced the model's whole `generationConfig`
 * for that call and kept its `toolConfig` (Object.assign, field by field). The request's fields are spread after the
 * model's settings, so that holds only while the model's `generation_config` carries no `tool_choice`, its
 * `response_format` is replaced too, and the request sends a `generation_config` of its own when the model has one.
 */
function requestGenerationConfigBlockers(value: Expression, format: ResponseFormatParts, sendsGenerationConfig: boolean, into: MappedSettings): void {
  const request = legacyRequestOf(value);
  if (!request) return;
  const model = request.modelParams;
  const blocked = (detail: string) => into.blockers.push({ node: value.getParentOrThrow(), reason: 'setting-not-mapped', detail });
  if (!model) return void blocked("a request generationConfig for a model the tool cannot trace (it replaced the model's)");
  const modelProps = new Map(model.getProperties().flatMap((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? [[p.getName(), p] as const] : [])));
  if (modelProps.has('toolConfig')) blocked("a request generationConfig beside the model's toolConfig (both are generation_config in Interactions)");
  const modelGeneration = modelProps.get('generationConfig');
  const modelConfig = Node.isPropertyAssignment(modelGeneration) ? modelGeneration.getInitializer() : undefined;
  if (!Node.isObjectLiteralExpression(modelConfig)) return;
  const modelKeys = modelConfig.getProperties().map((p) => (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? p.getName() : ''));
  if (!format.mime && modelKeys.some((k) => k === 'responseMimeType' || k === 'responseSchema')) {
    blocked("a request generationConfig without the model's JSON mode (the model's response_format would stay)");
  } else if (!sendsGenerationConfig && modelKeys.some((k) => own(GENERATION_KEYS, k))) {
    blocked("a request generationConfig with no generation field (the model's generation_config would stay)");
  }
}

/**
 * The legacy request object `value` (a setting's value) belongs to, and the model parameters of the model it is sent
 * to when they can be traced to one `getGenerativeModel({...})` call; undefined when `value` is not in a request.
 */
function legacyRequestOf(value: Expression): { modelParams?: ObjectLiteralExpression } | undefined {
  const prop = value.getParent();
  const obj = prop?.getParent();
  const call = obj?.getParent();
  if (!Node.isPropertyAssignment(prop) || !Node.isObjectLiteralExpression(obj) || !Node.isCallExpression(call) || call.getArguments()[0] !== obj) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'generateContent') return undefined;
  const target = callee.getExpression();
  const nameNode = Node.isPropertyAccessExpression(target) ? target.getNameNode() : Node.isIdentifier(target) ? target : undefined;
  let symbol = nameNode?.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  for (const decl of symbol?.getDeclarations() ?? []) {
    const params = modelParamsOf(storedValueOf(decl));
    if (params) return { modelParams: params };
  }
  return {};
}

/** The value a declaration stores: a variable's or field's initializer, or a field's one assignment in the constructor. */
function storedValueOf(decl: Node): Node | undefined {
  if (Node.isVariableDeclaration(decl)) return decl.getInitializer();
  // JavaScript: `this.model = ...` in the constructor declares the field (the assignment, or its left side)
  if (Node.isBinaryExpression(decl)) return decl.getRight();
  const parent = decl.getParent();
  if (Node.isPropertyAccessExpression(decl) && Node.isBinaryExpression(parent) && parent.getLeft() === decl) return parent.getRight();
  if (!Node.isPropertyDeclaration(decl)) return undefined;
  const init = decl.getInitializer();
  if (init) return init;
  const ctor = decl.getParentIfKind(SyntaxKind.ClassDeclaration)?.getConstructors()[0];
  const name = decl.getName();
  const assigned = ctor?.getStatements().flatMap((s) => {
    const e = Node.isExpressionStatement(s) ? s.getExpression() : undefined;
    if (!Node.isBinaryExpression(e) || e.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return [];
    const left = e.getLeft();
    return Node.isPropertyAccessExpression(left) && left.getExpression().getKind() === SyntaxKind.ThisKeyword && left.getName() === name ? [e.getRight()] : [];
  });
  return assigned?.length === 1 ? assigned[0] : undefined;
}

function modelParamsOf(value: Node | undefined): ObjectLiteralExpression | undefined {
  if (!Node.isCallExpression(value)) return undefined;
  const callee = value.getExpression();
  const params = value.getArguments()[0];
  return Node.isPropertyAccessExpression(callee) && callee.getName() === 'getGenerativeModel' && Node.isObjectLiteralExpression(params) ? params : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON mode: responseMimeType + responseSchema / responseJsonSchema → top-level response_format (§3.3, rows 23, 49)

/** `response_format: { type: 'text', mime_type, schema? }` from what was gathered, or a blocker. */
function addResponseFormat(format: ResponseFormatParts, into: MappedSettings, style: FileStyle, prefix: string): void {
  const { mime, schema } = format;
  if (!mime) {
    if (schema) into.blockers.push({ node: schema.node, reason: 'setting-not-mapped', detail: `${prefix}.${schema.key} without responseMimeType 'application/json'` });
    return;
  }
  if (!Node.isStringLiteral(mime.value) && !Node.isNoSubstitutionTemplateLiteral(mime.value)) {
    into.blockers.push({ node: mime.node, reason: 'dynamic-settings', detail: named(`${prefix}.responseMimeType`, mime.value) });
    return;
  }
  const type = mime.value.getLiteralText();
  if (type !== 'application/json' && !(type === 'text/plain' && !schema)) {
    into.blockers.push({ node: mime.node, reason: 'setting-not-mapped', detail: `${named(`${prefix}.responseMimeType`, mime.value)}${schema ? ` with ${schema.key}` : ''}` });
    return;
  }
  const fields: Array<[string, string]> = [
    ['type', quoted('text', style)],
    ['mime_type', quoted(type, style)],
  ];
  const unit = indentUnit(mime.node.getSourceFile());
  const keyIndent = emittedKeyIndent(mime.node, unit);
  if (schema) {
    const text = schema.key === 'responseJsonSchema' ? jsonSchemaText(schema, into.blockers) : schemaText(schema.value, schema.node, `${prefix}.responseSchema`, into.blockers, style, into);
    if (text === undefined) return;
    fields.push(['schema', reindent(text, indentOf(schema.node), keyIndent + unit)]);
  }
  into.topLevel.push(['response_format', layout(fields, keyIndent, unit)]);
}

/**
 * genai `responseJsonSchema` is JSON Schema already: it passes as it is, when its type fits `schema` (an object; the
 * declared `unknown` does not).
 */
function jsonSchemaText(schema: NonNullable<ResponseFormatParts['schema']>, blockers: Blocker[]): string | undefined {
  const { value } = schema;
  const type = value.getType();
  const fits = Node.isObjectLiteralExpression(value) || type.isAny() || (type.isObject() && !type.isArray() && !type.getCallSignatures().length);
  if (fits) return value.getText();
  blockers.push({ node: schema.node, reason: 'dynamic-settings', detail: `${named('responseJsonSchema', value)}: not of an object type` });
  return undefined;
}

/**
 * The indentation a top-level field built from the setting `prop` gets: one step in from the call whose settings
 * object (model parameters, request, or genai request holding `config`) is laid out again by the transform.
 */
function emittedKeyIndent(prop: Node, unit: string): string {
  let obj = prop.getParentOrThrow();
  while (Node.isPropertyAssignment(obj.getParent()) && Node.isObjectLiteralExpression(obj.getParent()!.getParent())) obj = obj.getParent()!.getParent()!;
  const call = obj.getParent();
  return (Node.isCallExpression(call) ? indentOf(call) : indentOf(obj)) + unit;
}

/** `{ k: v, ... }` on one line when short, else one field a line at `indent` + `unit`. */
function layout(fields: Array<[string, string]>, indent: string, unit: string): string {
  const oneLine = `{ ${fields.map(fieldText).join(', ')} }`;
  if (!oneLine.includes('\n') && indent.length + unit.length + oneLine.length + 20 <= 100) return oneLine;
  return blockText(fields, indent, unit);
}

/** Moves the lines after the first from one indentation to another (a value taken to a new place). */
export function reindent(text: string, from: string, to: string): string {
  if (from === to || !text.includes('\n')) return text;
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line.trim() === '' ? line : to + line.trimStart()))
    .join('\n');
}

/** OpenAPI-style Schema type names (legacy `SchemaType`, genai `Type`) that JSON Schema spells in lowercase. */
const SCHEMA_TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT']);
/** Schema fields that mean the same in JSON Schema, kept as written. */
const SCHEMA_KEPT = new Set(['description', 'title', 'required', 'enum', 'pattern', 'minimum', 'maximum']);
/** Integer bounds: numbers in legacy Schema, strings in genai Schema (g3:15291), numbers in JSON Schema. */
const SCHEMA_BOUNDS = new Set(['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties']);
/** `format` values that are JSON Schema formats; `enum` is dropped (the `enum` list says it), others are blocked. */
const SCHEMA_FORMATS = new Set(['date-time', 'date', 'time']);

/** A text edit inside one schema literal: offsets into the source file. */
interface SchemaEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * A legacy/genai `Schema` as JSON Schema text (reference rows 23, 49, P17): an object literal converted, or a `const`
 * of this file whose object literal needs no change, by name. Anything else is a blocker.
 */
function schemaText(value: Expression, at: Node, label: string, blockers: Blocker[], style: FileStyle, into?: MappedSettings): string | undefined {
  if (Node.isObjectLiteralExpression(value)) {
    const edits: SchemaEdit[] = [];
    const before = blockers.length;
    convertSchema(value, label, edits, blockers, style);
    if (blockers.length > before) return undefined;
    return applyEdits(value, edits);
  }
  const literal = Node.isIdentifier(value) ? constObjectLiteral(value) : undefined;
  if (literal) {
    // (the schema of a constant)
    const edits: SchemaEdit[] = [];
    const scratch: Blocker[] = [];
    convertSchema(literal, label, edits, scratch, style);
    if (!edits.length && !scratch.length) return value.getText();
    if (!scratch.length && into?.allowEdits && (into.shareable || onlyUse(value))) {
      // Used here only (or by models the caller checks): converted where it is declared, no longer typed as an old-SDK schema.
      into.edits.push(...[{ start: literal.getStart(), end: literal.getEnd(), text: applyEdits(literal, edits) }, ...dropTypeAnnotation(literal)].map((e) => declaredEdit(literal, e)));
      if (into.shareable) shared(into, literal, value);
      return value.getText();
    }
    blockers.push({ node: at, reason: 'dynamic-settings', detail: `${named(label, value)}: a schema in a variable that would need converting to JSON Schema` });
    return undefined;
  }
  blockers.push({ node: at, reason: 'dynamic-settings', detail: `${named(label, value)}: a schema built at run time` });
  return undefined;
}

export { isRunFile, withRunFiles } from './find.js';

/** The declaration a name reads: through `{ name }` shorthands and import aliases. */
function declarationOf(id: Expression): Node | undefined {
  let symbol = valueSymbol(id);
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
  const decls = symbol?.getDeclarations() ?? [];
  return decls.length === 1 ? decls[0] : undefined;
}

/** Whether a declaration of another module may be converted where it stands: an exported const of an ES module of the run. */
function convertibleElsewhere(decl: Node): boolean {
  const sf = decl.getSourceFile();
  const statement = decl.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  return knownRunFile(sf) && !sf.isDeclarationFile() && Boolean(statement?.hasExportKeyword()) && Node.isSourceFile(statement?.getParent()) && !/\b(module\.exports|exports\.)/.test(sf.getFullText());
}

/** A constant converted for these settings, and the read of it they took: the caller checks it has no other reader. */
export function shared(into: MappedSettings, literal: Node, read: Node): void {
  (into.bases ??= []).push(literal.getFirstAncestorByKindOrThrow(SyntaxKind.VariableDeclaration));
  (into.readers ??= []).push(read);
}

/** An edit of a constant where it is declared: in its own module, which may not be the one being migrated. */
export function declaredEdit(node: Node, edit: TextEdit): TextEdit {
  return { ...edit, sourceFile: node.getSourceFile() };
}

/**
 * The object literal a `const` is initialised with (`as const` / `satisfies` looked through): of this module, or
 * exported from another module of the run.
 */
export function constObjectLiteral(id: Expression): ObjectLiteralExpression | undefined {
  const init = constInitializer(id);
  return Node.isObjectLiteralExpression(init) ? init : undefined;
}

/** The same for an array literal (`const safetySettings = [...]`). */
function constArrayLiteral(id: Expression): ArrayLiteralExpression | undefined {
  const init = constInitializer(id);
  return Node.isArrayLiteralExpression(init) ? init : undefined;
}

function constInitializer(id: Expression): Expression | undefined {
  const decl = declarationOf(id);
  if (!Node.isVariableDeclaration(decl) || (decl.getSourceFile() !== id.getSourceFile() && !convertibleElsewhere(decl))) return undefined;
  if (decl.getVariableStatement()?.getDeclarationKind() !== ('const' as VariableDeclarationKind)) return undefined; // a let could hold another schema by then
  let init = decl.getInitializer();
  while (Node.isAsExpression(init) || Node.isSatisfiesExpression(init) || Node.isParenthesizedExpression(init)) init = init.getExpression();
  return init;
}

function convertSchema(obj: ObjectLiteralExpression, path: string, edits: SchemaEdit[], blockers: Blocker[], style: FileStyle): void {
  const block = (node: Node, detail: string, reason: TodoReason = 'setting-not-mapped') => blockers.push({ node, reason, detail });
  const removed: Node[] = [];
  for (const p of properties(obj, blockers)) {
    const { name, value, node } = p;
    const here = `${path}.${name}`;
    if (name === 'type') {
      const member = schemaTypeName(value);
      if (!member) block(node, named(here, value));
      else if (value.getText() !== quoted(member.toLowerCase(), style)) edits.push({ start: value.getStart(), end: value.getEnd(), text: quoted(member.toLowerCase(), style) });
    } else if (name === 'properties') {
      if (!Node.isObjectLiteralExpression(value)) {
        block(node, `${named(here, value)}: held in a variable`, 'dynamic-settings');
        continue;
      }
      for (const prop of properties(value, blockers)) nestedSchema(prop.value, prop.node, `${here}.${prop.name}`, edits, blockers, style);
    } else if (name === 'items') {
      nestedSchema(value, node, here, edits, blockers, style);
    } else if (name === 'anyOf') {
      if (!Node.isArrayLiteralExpression(value)) block(node, `${named(here, value)}: held in a variable`, 'dynamic-settings');
      else value.getElements().forEach((el, i) => nestedSchema(el as Expression, el, `${here}[${i}]`, edits, blockers, style));
    } else if (SCHEMA_KEPT.has(name)) {
      continue;
    } else if (SCHEMA_BOUNDS.has(name)) {
      if (Node.isNumericLiteral(value)) continue;
      if (Node.isStringLiteral(value) && /^(0|[1-9]\d{0,15})$/.test(value.getLiteralText())) edits.push({ start: value.getStart(), end: value.getEnd(), text: value.getLiteralText() });
      else if (!Node.isStringLiteral(value) && value.getType().isNumber()) continue;
      else block(node, `${named(here, value)}: not a plain integer`);
    } else if (name === 'format' && (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value))) {
      const f = value.getLiteralText();
      if (f === 'enum') removed.push(node);
      else if (!SCHEMA_FORMATS.has(f)) block(node, `${named(here, value)}: not a JSON Schema format`);
    } else if (name === 'nullable' && value.getText() === 'false') {
      removed.push(node); // the default
    } else if (name === 'nullable') {
      block(node, `${named(here, value)}: JSON Schema has no nullable, and a type union is not verified`);
    } else {
      block(node, `${named(here, value)}: no verified JSON Schema equivalent`);
    }
  }
  edits.push(...removals(obj, removed));
}

function nestedSchema(value: Expression, node: Node, path: string, edits: SchemaEdit[], blockers: Blocker[], style: FileStyle): void {
  if (Node.isObjectLiteralExpression(value)) convertSchema(value, path, edits, blockers, style);
  else blockers.push({ node, reason: 'dynamic-settings', detail: `${named(path, value)}: a schema held in a variable` });
}

/**
 * The member name of a schema type: `SchemaType.OBJECT` / `Type.OBJECT` (however imported: by the SDK binding, or
 * by the enum member's declaration in the SDK's types) or a string literal `'OBJECT'` / `'object'`.
 */
function schemaTypeName(value: Expression): string | undefined {
  if (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)) {
    const upper = value.getLiteralText().toUpperCase();
    return SCHEMA_TYPES.has(upper) ? upper : undefined;
  }
  if (!Node.isPropertyAccessExpression(value) || !SCHEMA_TYPES.has(value.getName())) return undefined;
  const owner = sdkExportOf(value.getExpression());
  if (owner && (owner.name === 'SchemaType' || owner.name === 'Type')) return value.getName();
  const decl = value.getNameNode().getSymbol()?.getDeclarations()[0];
  const path = decl?.getSourceFile().getFilePath() ?? '';
  const inSdk = /\/@google\/(generative-ai|genai(-2)?)\//.test(path);
  const enumName = Node.isEnumMember(decl) ? decl.getParent().getName() : undefined;
  return inSdk && (enumName === 'SchemaType' || enumName === 'Type') ? value.getName() : undefined;
}

/** Edits that remove properties from an object literal, with the separators that go with them. */
function removals(obj: ObjectLiteralExpression, removed: Node[]): SchemaEdit[] {
  if (!removed.length) return [];
  const all: Node[] = obj.getProperties();
  const kept = all.filter((p) => !removed.includes(p));
  if (!kept.length) return [{ start: obj.getStart() + 1, end: obj.getEnd() - 1, text: '' }];
  const lastKept = kept.at(-1)!;
  const out: SchemaEdit[] = [];
  for (const p of removed) {
    const i = all.indexOf(p);
    if (i < all.indexOf(lastKept)) out.push({ start: p.getStart(), end: all[i + 1]!.getStart(), text: '' });
  }
  // The removed ones after the last kept: from the end of that one to the end of the last.
  const trailing = all.slice(all.indexOf(lastKept) + 1);
  if (trailing.length) out.push({ start: lastKept.getEnd(), end: trailing.at(-1)!.getEnd(), text: '' });
  return out;
}

/** The text of `node` with `edits` (file offsets inside it) applied. */
function applyEdits(node: Node, edits: SchemaEdit[]): string {
  const base = node.getStart();
  let text = node.getText();
  for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start - base) + e.text + text.slice(e.end - base);
  return text;
}

/** `systemInstruction`: Interactions takes a string only. */
export function mapSystemInstruction(value: Expression, into: MappedSettings): void {
  const type = value.getType();
  const isString = Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value) || Node.isTemplateExpression(value) || type.isString() || type.isStringLiteral();
  if (isString) into.topLevel.push(['system_instruction', value.getText()]);
  else into.blockers.push({ node: value, reason: 'system-instruction-not-string' });
}

const HARM_CATEGORY = /^HARM_CATEGORY_([A-Z_]+)$/;
const THRESHOLD = /^(BLOCK_[A-Z_]+|OFF)$/;
const METHOD = /^(SEVERITY|PROBABILITY)$/;

/** `safetySettings: [{ category: HarmCategory.X, threshold: HarmBlockThreshold.Y }]` → `[{ type: 'x', threshold: 'y' }]` (§3.5). */
export function mapSafetySettings(value: Expression, into: MappedSettings, style: FileStyle): void {
  // `safetySettings` held in a constant (of this module or a config module): converted where it is declared.
  const constant = Node.isIdentifier(value) && into.allowEdits && (into.shareable || onlyUse(value)) ? constArrayLiteral(value) : undefined;
  if (constant) {
    const own = emptySettings();
    mapSafetySettings(constant, own, fileStyle(constant.getSourceFile()));
    into.blockers.push(...own.blockers);
    if (own.blockers.length) return;
    const home = fileStyle(constant.getSourceFile());
    // Stored apart from create(), the entries keep their literal types only in a typed array.
    const typed = home.typescript ? " satisfies Interactions.CreateModelInteractionParamsNonStreaming['safety_settings']".replace(/'/g, home.quote) : '';
    into.edits.push(...[{ start: constant.getStart(), end: constant.getEnd(), text: own.topLevel[0]![1] + typed }, ...dropTypeAnnotation(constant)].map((e) => declaredEdit(constant, e)));
    into.topLevel.push(['safety_settings', value.getText()]);
    if (into.shareable) shared(into, constant, value);
    return;
  }
  if (!Node.isArrayLiteralExpression(value)) {
    into.blockers.push({ node: value, reason: 'dynamic-settings', detail: `safetySettings ${value.getText()}` });
    return;
  }
  const entries: string[] = [];
  for (const el of value.getElements()) {
    if (!Node.isObjectLiteralExpression(el)) {
      into.blockers.push({ node: el, reason: 'dynamic-settings', detail: `safety setting ${el.getText()}` });
      return;
    }
    const fields: string[] = [];
    for (const p of properties(el, into.blockers)) {
      const text = enumText(p.value);
      const match =
        p.name === 'category' ? HARM_CATEGORY.exec(text) : p.name === 'threshold' ? THRESHOLD.exec(text) : p.name === 'method' ? METHOD.exec(text) : null;
      if (!match || /UNSPECIFIED/.test(match[1]!)) {
        into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: `safety setting ${p.node.getText()}` });
        return;
      }
      fields.push(`${p.name === 'category' ? 'type' : p.name}: ${quoted(match[1]!.toLowerCase(), style)}`);
    }
    entries.push(`{ ${fields.join(', ')} }`);
  }
  // Laid out as the original: one entry a line when it was written so.
  const multiline = value.getText().includes('\n');
  const indent = indentOf(value.getFirstAncestorByKind(SyntaxKind.VariableStatement) ?? value);
  const unit = indentUnit(value.getSourceFile());
  into.topLevel.push(['safety_settings', multiline && Node.isVariableDeclaration(value.getParent()) ? `[\n${entries.map((e) => `${indent}${unit}${e},`).join('\n')}\n${indent}]` : `[${entries.join(', ')}]`]);
}

/** `HarmCategory.HARM_CATEGORY_X` (however the enum was imported) or `'HARM_CATEGORY_X'`: the member name. */
function enumText(value: Expression): string {
  if (Node.isStringLiteral(value)) return value.getLiteralText();
  if (Node.isPropertyAccessExpression(value)) return value.getName();
  return value.getText();
}

/**
 * Interactions fields whose values carry string-literal types (`type: 'function'`, `threshold: 'off'`...): a settings
 * object stored apart from create() needs a declared type to keep them literal.
 */
export const LITERAL_TYPED_FIELDS = new Set(['safety_settings', 'tools', 'response_format', 'thinking_level', 'thinking_summaries', 'tool_choice']);

// ---------------------------------------------------------------------------------------------------------------
// Tools (§3.4, rows 22, 26, 27, 49) and tool choice (row 24)

/** Built-in tools that are `{ type }` alone in Interactions, and what their legacy/genai config may hold. */
const BUILTIN_TOOLS: Record<string, string> = {
  codeExecution: 'code_execution',
  googleSearch: 'google_search',
  googleSearchRetrieval: 'google_search',
  urlContext: 'url_context',
};

/** Legacy `tools` / genai `config.tools` → flat Interactions tools, one per function declaration (reference §3.4). */
export function mapTools(value: Expression, into: MappedSettings, style: FileStyle): void {
  if (!Node.isArrayLiteralExpression(value)) {
    into.blockers.push({ node: value, reason: 'dynamic-settings', detail: named('tools', value) });
    return;
  }
  const unit = indentUnit(value.getSourceFile());
  const keyIndent = emittedKeyIndent(value.getParentOrThrow(), unit);
  const itemIndent = keyIndent + unit;
  const before = into.blockers.length;
  const items: string[] = [];
  for (const tool of value.getElements()) {
    if (isAutomaticTool(tool)) {
      const detail = `${tool.getText().replace(/\s+/g, ' ').slice(0, 40)}: ${Node.isCallExpression(tool) ? 'an MCP client tool' : 'a callable tool'} run by the SDK`;
      into.blockers.push({ node: tool, reason: 'automatic-function-calling', detail });
      continue;
    }
    if (Node.isSpreadElement(tool) || Node.isIdentifier(tool) || Node.isPropertyAccessExpression(tool)) {
      into.blockers.push({ node: tool, reason: 'dynamic-settings', detail: `the tool ${tool.getText().slice(0, 40)}: held in a variable` });
      continue;
    }
    if (!Node.isObjectLiteralExpression(tool)) {
      const detail = /^mcpToTool\b/.test(tool.getText())
        ? `the MCP tool ${tool.getText().slice(0, 40)}: no client-side automatic function calling in Interactions`
        : `the tool ${tool.getText().slice(0, 40)}: built at run time (a callable tool has no Interactions equivalent)`;
      into.blockers.push({ node: tool, reason: 'setting-not-mapped', detail });
      continue;
    }
    for (const { name, value: config, node } of properties(tool, into.blockers)) {
      if (name === 'functionDeclarations') {
        items.push(...functionTools(config, node, itemIndent, unit, into.blockers, style, into));
        continue;
      }
      const type = own(BUILTIN_TOOLS, name);
      if (!type) {
        into.blockers.push({ node, reason: 'setting-not-mapped', detail: `the tool ${name}: no Interactions tool of the same shape` });
        continue;
      }
      if (!Node.isObjectLiteralExpression(config)) {
        into.blockers.push({ node, reason: 'dynamic-settings', detail: `${named(`the tool ${name}`, config)}: held in a variable` });
        continue;
      }
      // googleSearchRetrieval: an empty dynamicRetrievalConfig says nothing; any other setting has no equivalent.
      const settings = properties(config, into.blockers).filter(
        (p) => !(name === 'googleSearchRetrieval' && p.name === 'dynamicRetrievalConfig' && Node.isObjectLiteralExpression(p.value) && p.value.getProperties().length === 0),
      );
      for (const p of settings) into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: `${named(`${name}.${p.name}`, p.value)}: no Interactions equivalent` });
      if (!settings.length) items.push(`{ type: ${quoted(type, style)} }`);
    }
  }
  if (into.blockers.length === before) into.topLevel.push(['tools', arrayText(items, keyIndent, unit)]);
}

/**
 * A tool the genai SDK runs itself (automatic function calling, reference row 51): `mcpToTool(...)`, or anything
 * typed as a `CallableTool` (an object with `tool()` and `callTool()`), however it is held.
 */
function isAutomaticTool(tool: Node): boolean {
  if (Node.isCallExpression(tool)) {
    const callee = sdkExportOf(tool.getExpression());
    if (callee?.sdk === 'genai' && callee.name === 'mcpToTool') return true;
  }
  const type = tool.getType();
  return type.getProperty('callTool') !== undefined && type.getProperty('tool') !== undefined;
}

/**
 * Server-side tools whose activity comes back as steps between text runs: `output_text` then holds only the last
 * run, where legacy `text()` joined all text (and inlined code and its results): pitfall P6, reference row 14.
 * For a caller that reads text: the detail of a TODO when `settings` declare such a tool, else undefined.
 */
export function textReadCaveat(settings: MappedSettings): string | undefined {
  const tools = [...settings.topLevel, ...(settings.spread ?? [])].find(([k]) => k === 'tools')?.[1] ?? '';
  const found = ['code_execution', 'google_search', 'url_context'].filter((t) => new RegExp(`type: ['"]${t}['"]`).test(tools));
  return found.length ? `output_text with the ${found.join(' and ')} tool${found.length > 1 ? 's' : ''} holds only the last text run` : undefined;
}

/** `functionDeclarations: [d1, d2]` → one `{ type: 'function', name, description, parameters }` per declaration. */
function functionTools(value: Expression, at: Node, indent: string, unit: string, blockers: Blocker[], style: FileStyle, into?: MappedSettings): string[] {
  if (!Node.isArrayLiteralExpression(value)) {
    blockers.push({ node: at, reason: 'dynamic-settings', detail: `${named('functionDeclarations', value)}: held in a variable` });
    return [];
  }
  const out: string[] = [];
  for (const decl of value.getElements()) {
    if (!Node.isObjectLiteralExpression(decl)) {
      // A declaration of its own (`const getWeather: FunctionDeclaration = {...}`) has the old shape: no `type`, a
      // Schema. Used here only, it is converted where it is declared; otherwise it would need converting by hand.
      const literal = Node.isIdentifier(decl) ? constObjectLiteral(decl) : undefined;
      if (literal && into?.allowEdits && (into.shareable || onlyUse(decl))) {
        const before = blockers.length;
        const statement = literal.getFirstAncestorByKind(SyntaxKind.VariableStatement)!;
        const home = literal.getSourceFile();
        const homeStyle = fileStyle(home); // maybe another module, with its own quotes and indentation
        const text = declarationTool(literal, indentOf(statement), indentUnit(home), blockers, homeStyle);
        if (blockers.length === before) {
          into.edits.push(...[{ start: literal.getStart(), end: literal.getEnd(), text }, ...typeAsTool(literal, homeStyle)].map((e) => declaredEdit(literal, e)));
          if (home === decl.getSourceFile()) into.types ||= style.typescript;
          if (into.shareable) shared(into, literal, decl);
          out.push(decl.getText());
        }
        continue;
      }
      blockers.push({ node: decl, reason: 'dynamic-settings', detail: `the function declaration ${decl.getText().slice(0, 40)}: held in a variable that would need converting` });
      continue;
    }
    out.push(declarationTool(decl, indent, unit, blockers, style));
  }
  return out;
}

/** One function declaration (an object literal) as an Interactions function tool; blockers for what has no field. */
function declarationTool(decl: ObjectLiteralExpression, indent: string, unit: string, blockers: Blocker[], style: FileStyle): string {
  {
    const fields: Array<[string, string]> = [['type', quoted('function', style)]];
    const props = properties(decl, blockers);
    if (props.some((p) => p.name === 'parameters') && props.some((p) => p.name === 'parametersJsonSchema')) {
      blockers.push({ node: decl, reason: 'setting-not-mapped', detail: `${nameOf(decl)}: both parameters and parametersJsonSchema` });
      return '';
    }
    for (const { name, value: v, node } of props) {
      if (name === 'name' || name === 'description') fields.push([name, v.getText()]);
      else if (name === 'parameters') {
        const text = schemaText(v, node, `${nameOf(decl)}.parameters`, blockers, style);
        if (text !== undefined) fields.push(['parameters', reindent(text, indentOf(node), indent + unit)]);
      } else if (name === 'parametersJsonSchema') {
        fields.push(['parameters', reindent(v.getText(), indentOf(node), indent + unit)]); // JSON Schema already; `parameters` takes any
      } else {
        blockers.push({ node, reason: 'setting-not-mapped', detail: `${named(`${nameOf(decl)}.${name}`, v)}: no field of an Interactions function tool` });
      }
    }
    return layout(fields, indent, unit);
  }
}

/** Whether the constant `id` names is read only at `id` (converting it in place cannot break another reader). */
export function onlyUse(id: Expression): boolean {
  const decl = declarationOf(id);
  if (!Node.isVariableDeclaration(decl)) return false;
  const name = decl.getNameNode();
  if (!Node.isIdentifier(name)) return false;
  // Exported from another module of the run: its importers are in the program (they import a Gemini file), so
  // the search sees them all. Exported from this one: other modules may read it.
  const elsewhere = decl.getSourceFile() !== id.getSourceFile();
  if (elsewhere ? !convertibleElsewhere(decl) : decl.getVariableStatement()?.hasExportKeyword()) return false;
  const refs = variableReferences(name);
  return refs.length === 1 && refs[0] === id;
}

/** The declared type of a converted constant is the old SDK's: dropped. */
export function dropTypeAnnotation(literal: Node): TextEdit[] {
  const decl = literal.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
  const type = decl?.getTypeNode();
  return decl && type ? [{ start: decl.getNameNode().getEnd(), end: type.getEnd(), text: '' }] : [];
}

/** A converted function declaration is typed as an Interactions tool, so its `type: 'function'` stays literal. */
function typeAsTool(literal: Node, style: FileStyle): TextEdit[] {
  const decl = literal.getFirstAncestorByKindOrThrow(SyntaxKind.VariableDeclaration);
  if (style.typescript) return [declaredTypeEdit(decl, 'Interactions.Tool')];
  const statement = decl.getVariableStatementOrThrow();
  const q = style.quote;
  return [{ start: statement.getStart(), end: statement.getStart(), text: `/** @type {import(${q}@google/genai${q}).Interactions.Tool} */\n${indentOf(statement)}` }];
}

/** `const x: T = ...` with `type` as T, whether the declaration had a type or not. */
export function declaredTypeEdit(decl: VariableDeclaration, type: string): TextEdit {
  const typeNode = decl.getTypeNode();
  const name = decl.getNameNode();
  return typeNode ? { start: typeNode.getStart(), end: typeNode.getEnd(), text: type } : { start: name.getEnd(), end: name.getEnd(), text: `: ${type}` };
}

/** A declaration's `name` for TODO details. */
function nameOf(decl: ObjectLiteralExpression): string {
  const name = decl.getProperty('name');
  const init = Node.isPropertyAssignment(name) ? name.getInitializer() : undefined;
  return Node.isStringLiteral(init) ? init.getLiteralText() : 'functionDeclaration';
}

const TOOL_CHOICE: Record<string, string | null> = { AUTO: 'auto', ANY: 'any', NONE: 'none', VALIDATED: 'validated', MODE_UNSPECIFIED: null };

/**
 * Legacy `toolConfig` / genai `config.toolConfig` → `generation_config.tool_choice` (reference row 24, P8): a mode
 * alone → `'auto' | 'any' | 'none' | 'validated'`; mode ANY with names → `{ allowed_tools: { mode: 'any', tools } }`.
 */
export function mapToolConfig(value: Expression, into: MappedSettings, style: FileStyle): void {
  if (legacyRequestOf(value)) {
    // The legacy SDK kept the model's generationConfig beside a request's toolConfig; tool_choice lives inside it now.
    into.blockers.push({ node: value, reason: 'setting-not-mapped', detail: "a request toolConfig: its tool_choice would replace the model's whole generation_config" });
    return;
  }
  if (!Node.isObjectLiteralExpression(value)) {
    into.blockers.push({ node: value, reason: 'dynamic-settings', detail: named('toolConfig', value) });
    return;
  }
  for (const p of properties(value, into.blockers)) {
    if (p.name !== 'functionCallingConfig') {
      into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: named(`toolConfig.${p.name}`, p.value) });
      continue;
    }
    if (!Node.isObjectLiteralExpression(p.value)) {
      into.blockers.push({ node: p.node, reason: 'dynamic-settings', detail: named('toolConfig.functionCallingConfig', p.value) });
      continue;
    }
    let mode: string | null | undefined = null; // no mode: the default, as MODE_UNSPECIFIED
    let names: Node | undefined;
    for (const f of properties(p.value, into.blockers)) {
      if (f.name === 'mode') {
        mode = own(TOOL_CHOICE, enumText(f.value));
        if (mode === undefined) into.blockers.push({ node: f.node, reason: 'setting-not-mapped', detail: named('functionCallingConfig.mode', f.value) });
      } else if (f.name === 'allowedFunctionNames') names = f.value;
      else into.blockers.push({ node: f.node, reason: 'setting-not-mapped', detail: named(`functionCallingConfig.${f.name}`, f.value) });
    }
    if (mode === undefined) continue;
    if (names && mode !== 'any') {
      // Names restrict mode ANY; with another mode, what Interactions' allowed_tools would do is not verified.
      into.blockers.push({ node: names, reason: 'setting-not-mapped', detail: `functionCallingConfig.allowedFunctionNames with mode ${mode ?? 'unspecified'}: allowed_tools is verified with mode any only` });
    } else if (names) {
      into.generationConfig.push(['tool_choice', `{ allowed_tools: { mode: ${quoted('any', style)}, tools: ${names.getText()} } }`]);
    } else if (mode) {
      into.generationConfig.push(['tool_choice', quoted(mode, style)]);
    }
  }
}

const THINKING_LEVEL = /^(MINIMAL|LOW|MEDIUM|HIGH|XHIGH)$/;

/**
 * genai `config` fields that are top-level create() fields of the same meaning and type (checked in 2.32.0 and 3.3.0).
 * `automatic_continuation` is an option of create() itself (`AutomaticContinuationOption`), not a field of
 * `CreateModelInteractionParamsNonStreaming`: right inline in create(), where genai settings go, not in a stored object.
 */
const GENAI_TOP_LEVEL: Record<string, string> = {
  labels: 'labels',
  store: 'store',
  automaticContinuation: 'automatic_continuation',
};

const SERVICE_TIER = /^(FLEX|STANDARD|PRIORITY)$/i;

/** genai `config` of `models.generateContent`: flat, with generation and request settings side by side (§3.3). */
export function mapGenaiConfig(value: Expression, into: MappedSettings, style: FileStyle): void {
  const constant = Node.isIdentifier(value) && into.allowEdits && (into.shareable || onlyUse(value)) ? constObjectLiteral(value) : undefined;
  if (constant) return genaiConfigConstant(value, constant, into, style);
  if (!Node.isObjectLiteralExpression(value)) {
    into.blockers.push({ node: value, reason: 'dynamic-settings', detail: `config ${value.getText()}` });
    return;
  }
  const format: ResponseFormatParts = {};
  for (const p of properties(value, into.blockers)) {
    if (addGenerationKey(p.name, p.value, p.node, into, 'config', format, 'genai')) continue;
    if (p.name === 'systemInstruction') mapSystemInstruction(p.value, into);
    else if (p.name === 'safetySettings') mapSafetySettings(p.value, into, style);
    else if (p.name === 'thinkingConfig' && Node.isObjectLiteralExpression(p.value)) mapThinking(p.value, into, style);
    else if (p.name === 'tools') mapTools(p.value, into, style);
    else if (p.name === 'toolConfig') mapToolConfig(p.value, into, style);
    else if (own(GENAI_TOP_LEVEL, p.name)) into.topLevel.push([own(GENAI_TOP_LEVEL, p.name)!, p.value.getText()]);
    else if (p.name === 'serviceTier' && SERVICE_TIER.test(enumText(p.value))) into.topLevel.push(['service_tier', quoted(enumText(p.value).toLowerCase(), style)]);
    else if (p.name === 'automaticFunctionCalling') mapAutomaticFunctionCalling(p.value, p.node, into);
    else if (p.name === 'abortSignal' || p.name === 'httpOptions') {
      into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: `${named(`config.${p.name}`, p.value)}: an option of create()'s second argument` });
    } else into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: named(`config.${p.name}`, p.value) });
  }
  addResponseFormat(format, into, style, 'config');
}

/**
 * `config` held in a constant of the module (shared by several calls, reference example 19): the constant is
 * converted where it is declared, to the request fields it stands for, and spread into each request. Its readers
 * must all be calls that migrate (the caller checks, through `bases`).
 */
function genaiConfigConstant(id: Expression, literal: ObjectLiteralExpression, into: MappedSettings, style: FileStyle): void {
  const base = emptySettings(true);
  mapGenaiConfig(literal, base, style);
  into.blockers.push(...base.blockers.map((b) => ({ ...b, detail: `${b.detail ?? b.node.getText()} in ${id.getText()}` })));
  if (base.blockers.length) return;
  into.edits.push(...constantEdits(literal, base, [], style), ...base.edits);
  if (base.types) into.types = true;
  into.topLevel.push([`...${id.getText()}`, `...${id.getText()}`]);
  (into.spread ??= []).push(...base.topLevel);
  shared(into, literal, id);
}

/**
 * A settings constant rewritten where it is declared, in the shape its mapped `settings` (and `pairs`) say, its old
 * type annotation dropped; typed as partial settings when a literal-typed field needs it (then `settings.types`).
 */
export function constantEdits(literal: ObjectLiteralExpression, settings: MappedSettings, pairs: Array<[string, string]>, style: FileStyle): TextEdit[] {
  const typed = style.typescript && [...settings.topLevel, ...settings.generationConfig].some(([k]) => LITERAL_TYPED_FIELDS.has(k));
  if (typed) settings.types = true;
  const suffix = typed ? ' satisfies Partial<Interactions.CreateModelInteractionParamsNonStreaming>' : '';
  const statement = literal.getFirstAncestorByKind(SyntaxKind.VariableStatement) ?? literal;
  return [...literalEdits(literal, settings, pairs, statement, suffix), ...dropTypeAnnotation(literal)].map((e) => declaredEdit(literal, e));
}

/** The literal rewritten from its mapped settings, laid out like the original (one line, or a field a line). */
export function literalEdits(literal: ObjectLiteralExpression, settings: MappedSettings, pairs: Array<[string, string]>, indentFrom: Node, suffix: string): TextEdit[] {
  const unit = indentUnit(literal.getSourceFile());
  const indent = indentOf(indentFrom);
  const all = [...pairs, ...settings.topLevel];
  if (settings.generationConfig.length) all.push(['generation_config', objectText(settings.generationConfig, indent + unit, unit)]);
  return [{ start: literal.getStart(), end: literal.getEnd(), text: objectLike(all, indent, unit, literal) + suffix }];
}

/**
 * `automaticFunctionCalling`: `{ disable: true }` turns off what Interactions does not do anyway, so it goes; any
 * other value asks the SDK to run functions for the caller (row 51).
 */
function mapAutomaticFunctionCalling(value: Expression, node: Node, into: MappedSettings): void {
  const props = Node.isObjectLiteralExpression(value) ? value.getProperties() : [];
  const disabled = props.length === 1 && Node.isPropertyAssignment(props[0]) && props[0].getName() === 'disable' && props[0].getInitializer()?.getText() === 'true';
  if (!disabled) into.blockers.push({ node, reason: 'automatic-function-calling', detail: named('config.automaticFunctionCalling', value) });
}

function mapThinking(obj: ObjectLiteralExpression, into: MappedSettings, style: FileStyle): void {
  for (const p of properties(obj, into.blockers)) {
    const level = p.name === 'thinkingLevel' ? THINKING_LEVEL.exec(enumText(p.value)) : null;
    if (level) into.generationConfig.push(['thinking_level', quoted(level[1]!.toLowerCase(), style)]);
    else if (p.name === 'includeThoughts' && ['true', 'false'].includes(p.value.getText())) {
      into.generationConfig.push(['thinking_summaries', quoted(p.value.getText() === 'true' ? 'auto' : 'none', style)]);
    } else into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: `thinkingConfig.${p.name}` });
  }
}

/** One field of an object literal: `key: value`, the shorthand `key` when the value is a variable of that name, or a spread. */
export function fieldText([k, v]: [string, string]): string {
  if (k.startsWith('...')) return k; // a spread: [`...base`, `...base`]
  return k === v && /^[A-Za-z_$][\w$]*$/.test(k) ? k : `${k}: ${v}`;
}

/** `key: value` pairs as an object literal on one line, or indented over several when long. */
export function objectText(pairs: Array<[string, string]>, indent: string, unit: string): string {
  const oneLine = `{ ${pairs.map(fieldText).join(', ')} }`;
  if (oneLine.length + indent.length <= 100 && !oneLine.includes('\n')) return oneLine;
  return blockText(pairs, indent, unit);
}

/** One field a line, the closing brace at `indent`. */
function blockText(fields: Array<[string, string]>, indent: string, unit: string): string {
  return `{\n${fields.map((f) => `${indent}${unit}${fieldText(f)},`).join('\n')}\n${indent}}`;
}

/**
 * Fields in place of a literal, laid out as it was: one a line when it spanned lines, else as objectText does; the
 * literal's comments that the new text would lose go with the fields their properties became (comments.ts).
 */
export function objectLike(fields: Array<[string, string]>, indent: string, unit: string, original: Node): string {
  const plain = original.getText().includes('\n') ? blockText(fields, indent, unit) : objectText(fields, indent, unit);
  const lines = commentedFields(literalComments(original), fields.map(([k]) => k), fields.map(fieldText), plain, indent + unit);
  return lines ? `{\n${lines.join('\n')}\n${indent}}` : plain;
}

/** Array items on one line, or one per line when long. */
export function arrayText(items: string[], indent: string, unit: string): string {
  const oneLine = `[${items.join(', ')}]`;
  if (oneLine.length + indent.length <= 100 && !oneLine.includes('\n')) return oneLine;
  return `[\n${items.map((i) => `${indent}${unit}${i},`).join('\n')}\n${indent}]`;
}

import { Node, SyntaxKind } from '../tsm.js';
import type { Expression, ObjectLiteralExpression, ParameterDeclaration, VariableDeclaration } from 'ts-morph';
import {
  constObjectLiteral,
  constantEdits,
  emptySettings,
  literalEdits,
  mapLegacyGenerationConfig,
  mapSafetySettings,
  mapSystemInstruction,
  mapToolConfig,
  mapTools,
  properties,
  type MappedSettings,
} from './config-map.js';
import type { FileStyle } from './style.js';
import type { TextEdit } from '../types.js';

/** Settings that end up in `generation_config` or beside it (`response_format`): two layers setting them would merge differently. */
const GENERATION_KEYS = new Set(['generationConfig', 'toolConfig']);

/**
 * `getGenerativeModel(params)`: each setting mapped into `settings`, the model id into `pairs`. Leading spreads of
 * module constants (`{ ...base, systemInstruction }`) stay spreads: the constant is converted where it is declared
 * (returned, so the caller can check that every reader of it migrates too).
 */
export interface ModelParams {
  /** Constants spread into the parameters, converted where they are declared. */
  bases: VariableDeclaration[];
  /**
   * A factory's own parameter spread (`(overrides) => client.getGenerativeModel({ ...base, ...overrides })`):
   * its callers' object literals are converted instead; `generation` says whether the other layers set
   * generationConfig or toolConfig (then the callers' literals must not); `leading`: it comes before the model's
   * own settings, which then win.
   */
  overrides?: { param: ParameterDeclaration; index: number; generation: boolean; leading: boolean };
}

export function mapModelParams(params: ObjectLiteralExpression, settings: MappedSettings, pairs: Array<[string, string]>, style: FileStyle): ModelParams {
  const bases: VariableDeclaration[] = [];
  const layers: Array<{ label: string; keys: Set<string> }> = [];
  const own = new Set<string>();
  const all = params.getProperties();
  const overrides = factoryParameterSpread(params);
  for (const p of all) {
    if (!Node.isSpreadAssignment(p) || p === overrides?.spread) continue;
    const expr = p.getExpression();
    const literal = Node.isIdentifier(expr) ? constObjectLiteral(expr) : undefined;
    const decl = literal?.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
    const first = all.indexOf(p) === bases.length;
    if (!literal || !decl || !first || !settings.allowEdits) {
      const why = !literal ? 'not a constant object of this module' : !first ? 'after other settings' : 'kept apart';
      settings.blockers.push({ node: p, reason: 'dynamic-settings', detail: `the spread ${p.getText()} (${why})` });
      continue;
    }
    const base = emptySettings(true);
    const basePairs: Array<[string, string]> = [];
    for (const { name, value, node } of properties(literal, base.blockers)) mapParam(name, value, node, base, basePairs, style);
    settings.blockers.push(...base.blockers.map((b) => ({ ...b, detail: `${b.detail ?? b.node.getText()} in ${expr.getText()}` })));
    if (base.blockers.length) continue;
    layers.push({ label: `...${expr.getText()}`, keys: new Set(properties(literal, []).map((x) => x.name)) });
    settings.edits.push(...constantEdits(literal, base, basePairs, style), ...base.edits);
    if (base.types) settings.types = true;
    (settings.spread ??= []).push(...base.topLevel);
    pairs.push([`...${expr.getText()}`, `...${expr.getText()}`]);
    bases.push(decl as VariableDeclaration);
    (settings.readers ??= []).push(expr);
  }
  const scratch: typeof settings.blockers = [];
  const props = properties(params, scratch);
  settings.blockers.push(...scratch.filter((b) => !Node.isSpreadAssignment(b.node))); // spreads were taken above
  for (const { name, value, node } of props) {
    own.add(name);
    mapParam(name, value, node, settings, pairs, style);
  }
  layers.push({ label: 'its own settings', keys: own });
  const generationSet = layers.some((l) => [...l.keys].some((k) => GENERATION_KEYS.has(k)));
  // The old SDK merged layers key by key; generationConfig and toolConfig both feed generation_config (and
  // response_format), so a later layer with either would not replace the earlier one's the same way.
  const generation = layers.filter((l) => [...l.keys].some((k) => GENERATION_KEYS.has(k)));
  if (generation.length > 1) {
    settings.blockers.push({ node: params, reason: 'dynamic-settings', detail: `generationConfig or toolConfig in both ${generation.map((l) => l.label).join(' and ')}` });
  }
  return { bases, overrides: overrides && { param: overrides.param, index: overrides.index, generation: generationSet, leading: overrides.leading } };
}

/**
 * `...overrides`, `overrides` a parameter of the function the parameters are written in: last
 * (`{ ...base, ...overrides }`, the caller wins) or anywhere else (`{ ...options, model }`, the factory wins). The
 * top-level keys map one to one, so either merge order carries over; generationConfig and toolConfig, which do not,
 * are checked by the caller (`generation`).
 */
function factoryParameterSpread(params: ObjectLiteralExpression) {
  const fn = params.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a));
  const found = params.getProperties().flatMap((spread) => {
    const expr = Node.isSpreadAssignment(spread) ? spread.getExpression() : undefined;
    const param = Node.isIdentifier(expr) ? expr.getSymbol()?.getDeclarations()[0] : undefined;
    if (!Node.isParameterDeclaration(param) || !Node.isIdentifier(param.getNameNode())) return [];
    if (!fn || param.getParent() !== fn || param.isRestParameter()) return [];
    return [{ spread: spread as Node, param, index: fn.getParameters().indexOf(param) }];
  });
  if (found.length !== 1) return undefined;
  // Last, or before every setting of its own (after other spreads): anywhere else it would split the own settings.
  const all: Node[] = params.getProperties();
  const at = all.indexOf(found[0]!.spread);
  const leading = all.slice(0, at).every((p) => Node.isSpreadAssignment(p));
  return at === all.length - 1 || leading ? { ...found[0]!, leading: at !== all.length - 1 } : undefined;
}

/**
 * A caller's literal for a factory's `overrides` parameter, in the Interactions shape: the edits, or blockers.
 * Only plain settings (no spreads); generationConfig / toolConfig only when the factory's own layers set neither.
 */
export function overridesLiteral(literal: ObjectLiteralExpression, generationElsewhere: boolean, style: FileStyle): { edits: TextEdit[]; blockers: MappedSettings['blockers']; typed: boolean } {
  const settings = emptySettings(true);
  const pairs: Array<[string, string]> = [];
  const props = properties(literal, settings.blockers);
  for (const { name, value, node } of props) {
    if (generationElsewhere && GENERATION_KEYS.has(name)) settings.blockers.push({ node, reason: 'dynamic-settings', detail: `${name} here and in the model's own settings` });
    else mapParam(name, value, node, settings, pairs, style);
  }
  if (settings.blockers.length) return { edits: [], blockers: settings.blockers, typed: false };
  return { edits: [...literalEdits(literal, settings, pairs, literal, ''), ...settings.edits], blockers: [], typed: Boolean(settings.types) };
}

/** One model parameter (reference §3.3–3.5). */
function mapParam(name: string, value: Expression, prop: Node, settings: MappedSettings, pairs: Array<[string, string]>, style: FileStyle): void {
  if (name === 'model') pairs.push(['model', value.getText()]);
  else if (name === 'systemInstruction') mapSystemInstruction(value, settings);
  else if (name === 'generationConfig') mapLegacyGenerationConfig(value, settings);
  else if (name === 'safetySettings') mapSafetySettings(value, settings, style);
  else if (name === 'tools') mapTools(value, settings, style);
  else if (name === 'toolConfig') mapToolConfig(value, settings, style);
  else settings.blockers.push({ node: prop, reason: 'setting-not-mapped', detail: name });
}

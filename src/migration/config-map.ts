import { Node } from '../tsm.js';
import type { Expression, ObjectLiteralExpression } from 'ts-morph';
import type { TodoReason } from '../todo-reasons.js';
import { quoted, type FileStyle } from './style.js';

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
}

export function emptySettings(): MappedSettings {
  return { topLevel: [], generationConfig: [], blockers: [] };
}

/** camelCase generation settings with a same-meaning field in Interactions `generation_config` (reference §3.3). */
const GENERATION_KEYS: Record<string, string> = {
  temperature: 'temperature',
  topP: 'top_p',
  maxOutputTokens: 'max_output_tokens',
  stopSequences: 'stop_sequences',
  seed: 'seed',
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

/** Adds one generation setting (shared by legacy `generationConfig` and genai's flat `config`). False if unknown. */
function addGenerationKey(name: string, value: Expression, into: MappedSettings): boolean {
  const target = GENERATION_KEYS[name];
  if (target) {
    into.generationConfig.push([target, value.getText()]);
    return true;
  }
  if (name === 'candidateCount' && value.getText() === '1') return true; // an interaction has exactly one output
  return false;
}

/** Legacy `generationConfig: { ... }` (reference §3.3). */
export function mapLegacyGenerationConfig(value: Expression, into: MappedSettings): void {
  if (!Node.isObjectLiteralExpression(value)) {
    into.blockers.push({ node: value, reason: 'dynamic-settings', detail: `generationConfig ${value.getText()}` });
    return;
  }
  for (const p of properties(value, into.blockers)) {
    if (!addGenerationKey(p.name, p.value, into)) into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: `generationConfig.${p.name}` });
  }
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
  into.topLevel.push(['safety_settings', `[${entries.join(', ')}]`]);
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

/** Legacy `tools` / genai `config.tools` (reference §3.4). Not mapped yet: a blocker. */
export function mapTools(value: Expression, into: MappedSettings, _style: FileStyle): void {
  into.blockers.push({ node: value, reason: 'setting-not-mapped', detail: 'tools' });
}

/** Legacy `toolConfig` / genai `config.toolConfig` → `generation_config.tool_choice` (reference §3.1 row 24). Not mapped yet. */
export function mapToolConfig(value: Expression, into: MappedSettings, _style: FileStyle): void {
  into.blockers.push({ node: value, reason: 'setting-not-mapped', detail: 'toolConfig' });
}

const THINKING_LEVEL = /^(MINIMAL|LOW|MEDIUM|HIGH|XHIGH)$/;

/** genai `config` of `models.generateContent`: flat, with generation and request settings side by side (§3.3). */
export function mapGenaiConfig(value: Expression, into: MappedSettings, style: FileStyle): void {
  if (!Node.isObjectLiteralExpression(value)) {
    into.blockers.push({ node: value, reason: 'dynamic-settings', detail: `config ${value.getText()}` });
    return;
  }
  for (const p of properties(value, into.blockers)) {
    if (addGenerationKey(p.name, p.value, into)) continue;
    if (p.name === 'systemInstruction') mapSystemInstruction(p.value, into);
    else if (p.name === 'safetySettings') mapSafetySettings(p.value, into, style);
    else if (p.name === 'thinkingConfig' && Node.isObjectLiteralExpression(p.value)) mapThinking(p.value, into, style);
    else into.blockers.push({ node: p.node, reason: 'setting-not-mapped', detail: `config.${p.name}` });
  }
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

/** `key: value` pairs as an object literal on one line, or indented over several when long. */
export function objectText(pairs: Array<[string, string]>, indent: string, unit: string): string {
  const oneLine = `{ ${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
  if (oneLine.length + indent.length <= 100 && !oneLine.includes('\n')) return oneLine;
  return `{\n${pairs.map(([k, v]) => `${indent}${unit}${k}: ${v},`).join('\n')}\n${indent}}`;
}

/** Array items on one line, or one per line when long. */
export function arrayText(items: string[], indent: string, unit: string): string {
  const oneLine = `[${items.join(', ')}]`;
  if (oneLine.length + indent.length <= 100 && !oneLine.includes('\n')) return oneLine;
  return `[\n${items.map((i) => `${indent}${unit}${i},`).join('\n')}\n${indent}]`;
}

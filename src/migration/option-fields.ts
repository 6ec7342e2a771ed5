import { Node, SyntaxKind } from '../tsm.js';
import type { CallExpression, Expression, Identifier, ParameterDeclaration, PropertyAccessExpression, PropertySignature } from 'ts-morph';
import { localReferences } from './responses.js';
import { emptySettings, mapLegacyGenerationConfig, objectText, type MappedSettings } from './config-map.js';
import { sdkTypeOf } from './sdk-symbols.js';
import { projectFiles } from './find.js';
import { fileStyle, indentOf, indentUnit } from './style.js';
import type { TextEdit } from '../types.js';

/**
 * `generationConfig: { ...defaults, ...options.generationConfig }` in a model factory
 * (`getModel(options: ModelOptions = {})`): the caller's generation settings, merged at run time. They cannot be
 * converted there, but they can where they are written: each caller's `generationConfig` literal becomes Interactions
 * generation settings, the options' field is typed as such, and JSON mode, which Interactions keeps apart
 * (`response_format`), travels in a `responseFormat` option added beside it.
 */
export interface OptionSpread {
  param: ParameterDeclaration;
  access: PropertyAccessExpression;
  /** The field's declaration in the options type (TypeScript); undefined for an untyped JavaScript parameter. */
  field?: PropertySignature;
}

/** `...options.generationConfig` with `options` a parameter of the function the settings are written in. */
export function optionFieldSpread(expr: Expression, settings: Node): OptionSpread | undefined {
  if (!Node.isPropertyAccessExpression(expr) || expr.getName() !== 'generationConfig') return undefined;
  const base = expr.getExpression();
  const param = Node.isIdentifier(base) ? base.getSymbol()?.getDeclarations()[0] : undefined;
  const fn = settings.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a));
  if (!Node.isParameterDeclaration(param) || param.getParent() !== fn || !Node.isIdentifier(param.getNameNode())) return undefined;
  const typeNode = param.getTypeNode();
  if (!typeNode) return fileStyle(param.getSourceFile()).typescript ? undefined : { param, access: expr };
  const field = optionsField(typeNode);
  return field ? { param, access: expr, field } : undefined;
}

/** The `generationConfig` member of the options type, when it is declared here and typed as the legacy GenerationConfig. */
function optionsField(typeNode: Node): PropertySignature | undefined {
  let members: Node | undefined = typeNode;
  if (Node.isTypeReference(typeNode)) {
    const name = typeNode.getTypeName();
    const decl = Node.isIdentifier(name) ? name.getSymbol()?.getDeclarations()[0] : undefined;
    if (decl?.getSourceFile() !== typeNode.getSourceFile()) return undefined;
    members = Node.isInterfaceDeclaration(decl) ? decl : Node.isTypeAliasDeclaration(decl) ? decl.getTypeNode() : undefined;
  }
  if (!Node.isInterfaceDeclaration(members) && !Node.isTypeLiteral(members)) return undefined;
  const field = members.getProperty('generationConfig');
  return field && sdkTypeOf(field.getTypeNode())?.name === 'GenerationConfig' ? field : undefined;
}

export interface OptionEdits {
  /** Edits of the callers' literals (each in its own file) and of the options type. */
  callers: Array<{ call: CallExpression; edits: TextEdit[] }>;
  own: TextEdit[];
  /** The factory's settings gain `response_format: options.responseFormat` when a caller asks for JSON mode. */
  responseFormat?: string;
  blockers: MappedSettings['blockers'];
  /** Constants the callers' literals read (schemas), converted where they are declared: they migrate with the model. */
  readers: Node[];
  types: boolean;
}

/**
 * Every caller of the factory writes its `generationConfig` as an object literal (or none): converted in place, with
 * JSON mode moved to `responseFormat`. The options type must be this factory's alone (no other mention in the run's
 * files), the parameter read for that field only by the spread.
 */
export function optionSpreadEdits(spread: OptionSpread, calls: CallExpression[], index: number, ownFormat: boolean): OptionEdits {
  const out: OptionEdits = { callers: [], own: [], blockers: [], readers: [], types: false };
  const { param, access, field } = spread;
  const block = (node: Node, detail: string) => out.blockers.push({ node, reason: 'dynamic-settings', detail: `${access.getText()}: ${detail}` });
  const reads = localReferences(param.getNameNode() as Identifier);
  if (reads.some((id) => { const p = id.getParent(); return !Node.isPropertyAccessExpression(p) || (p.getName() === 'generationConfig' && p !== access); })) {
    block(param, `${param.getName()} is read other than field by field`);
  }
  if (field && !ownedType(param, field)) block(field, 'its options type is used elsewhere too');
  let format = false;
  for (const call of calls) {
    const arg = call.getArguments()[index];
    if (!arg) continue;
    if (!Node.isObjectLiteralExpression(arg)) {
      block(call, `${arg.getText()} built elsewhere`);
      continue;
    }
    if (arg.getProperties().some((p) => !Node.isPropertyAssignment(p) && !Node.isShorthandPropertyAssignment(p))) {
      block(arg, 'options with a spread');
      continue;
    }
    const prop = arg.getProperty('generationConfig');
    if (!prop) continue;
    const value = Node.isPropertyAssignment(prop) ? prop.getInitializer() : undefined;
    if (!Node.isObjectLiteralExpression(value)) {
      block(prop, `${prop.getText()} not written here`);
      continue;
    }
    const mapped = { ...emptySettings(true), shareable: true };
    mapLegacyGenerationConfig(value, mapped);
    const others = mapped.topLevel.filter(([k]) => k !== 'response_format');
    if (others.length) block(prop, `${others.map(([k]) => k).join(', ')} has no place in generation settings`);
    out.blockers.push(...mapped.blockers);
    if (mapped.blockers.length || others.length) continue;
    const responseFormat = mapped.topLevel.find(([k]) => k === 'response_format')?.[1];
    const unit = indentUnit(call.getSourceFile());
    const parts = [
      ...(mapped.generationConfig.length || !responseFormat ? [`generationConfig: ${objectText(mapped.generationConfig, indentOf(prop), unit)}`] : []),
      ...(responseFormat ? [`responseFormat: ${responseFormat}`] : []),
    ];
    const separator = arg.getText().includes('\n') ? `,\n${indentOf(prop)}` : ', ';
    out.callers.push({ call, edits: [{ start: prop.getStart(), end: prop.getEnd(), text: parts.join(separator) }, ...mapped.edits] });
    out.readers.push(...(mapped.readers ?? []));
    if (mapped.types) out.types = true;
    if (responseFormat) format = true;
  }
  if (format && ownFormat) block(access, 'JSON mode both here and in a caller');
  if (out.blockers.length) return { ...out, callers: [], own: [] };
  if (field) {
    const type = field.getTypeNodeOrThrow();
    const quote = fileStyle(field.getSourceFile()).quote;
    out.own.push({ start: type.getStart(), end: type.getEnd(), text: 'Interactions.GenerationConfig' });
    if (format) {
      const end = field.getText().endsWith(',') ? ',' : field.getText().endsWith(';') ? ';' : '';
      const formatType = `Interactions.CreateModelInteractionParamsNonStreaming[${quote}response_format${quote}]`;
      out.own.push({ start: field.getEnd(), end: field.getEnd(), text: `\n${indentOf(field)}responseFormat?: ${formatType}${end}` });
    }
    out.types = true;
  }
  if (format) out.responseFormat = `${param.getName()}.responseFormat`;
  return out;
}

/** The options type is declared for this parameter: no other mention of its name in the files of the program. */
function ownedType(param: ParameterDeclaration, field: PropertySignature): boolean {
  const holder = field.getParent();
  const decl = Node.isInterfaceDeclaration(holder) ? holder : holder.getFirstAncestorByKind(SyntaxKind.TypeAliasDeclaration);
  if (!decl) return true; // an inline type literal of the parameter
  const name = decl.getName();
  const here = decl.getSourceFile().getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name);
  if (here.some((id) => id !== decl.getNameNode() && id.getParent() !== param.getTypeNode())) return false;
  // Another module naming it through an import (only those that resolve to this declaration: a type of the same
  // name elsewhere is another type).
  const files = projectFiles(decl.getProject()).filter((f) => f !== decl.getSourceFile() && !f.isDeclarationFile() && f.getFullText().includes(name));
  return files.every((f) =>
    f.getDescendantsOfKind(SyntaxKind.Identifier).every((id) => {
      if (id.getText() !== name) return true;
      const symbol = id.getSymbol();
      const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
      return !target?.getDeclarations().includes(decl);
    }),
  );
}

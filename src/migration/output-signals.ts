import { Node, SyntaxKind } from '../tsm.js';
import { fileStyle, quoted } from './style.js';
import type { TextEdit } from '../types.js';

/**
 * Response fields an interaction has no field for, but whose information comes back another way (reference rows
 * 19, 26, 48; example 11): tool activity as typed steps, output media as blocks of `model_output` steps. A read of
 * one is left with a TODO that names where to look instead; the one exact equivalent (genai's `executableCode`
 * getter) is rewritten.
 */
const CLOSEST: Record<string, string> = {
  executableCode: 'the code_execution_call steps (arguments.code, arguments.language)',
  codeExecutionResult: 'the code_execution_result steps (result, which may be content blocks; is_error in place of outcome)',
  groundingMetadata: 'the google_search_call steps (arguments.queries) and google_search_result steps; citations are annotations of text blocks',
  inlineData: 'the image and audio blocks of model_output steps (data, mime_type)',
  data: 'the image and audio blocks of model_output steps (data, mime_type)',
};

/** What the TODO for a read of `field` of a response should say: the field, and where its information is now. */
export function closestSignal(read: Node, field: string): string {
  const getter = Object.hasOwn(CLOSEST, field) && field !== 'inlineData' && field !== 'groundingMetadata' ? field : undefined;
  if (getter) return `${field}: read ${CLOSEST[getter]}`;
  if (field !== 'candidates') return field;
  // candidates[0].content.parts[i].executableCode, candidates[0].groundingMetadata...: what this function reads of them
  const fn = read.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) ?? read.getSourceFile();
  const names = new Set<string>();
  for (const access of fn.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const name = access.getName();
    if (Object.hasOwn(CLOSEST, name) && name !== 'data' && isSdkField(access)) names.add(name);
  }
  if (names.size === 0) return field;
  return `candidates ... ${[...names].join(', ')}: read ${[...names].map((n) => CLOSEST[n]).join('; ')}`;
}

/** Whether the property read is a field of an SDK type (a Part, a Candidate), not one of the caller's own. */
function isSdkField(access: import('ts-morph').PropertyAccessExpression): boolean {
  const decl = access.getNameNode().getSymbol()?.getDeclarations()[0];
  return /\/@google\/(generative-ai|genai(-2)?)\//.test(decl?.getSourceFile().getFilePath() ?? '');
}

/**
 * genai `response.executableCode` (the code of the first executable-code part, or undefined) → the code of the
 * first `code_execution_call` step: the same value, typed `string | undefined` as before. `base` is the response.
 */
export function executableCodeEdits(read: import('ts-morph').PropertyAccessExpression): TextEdit[] {
  const style = fileStyle(read.getSourceFile());
  const q = (s: string) => quoted(s, style);
  const base = read.getExpression();
  const predicate = style.typescript ? '(step): step is Interactions.CodeExecutionCallStep' : '(step)';
  return [
    { start: base.getStart(), end: base.getStart(), text: '(' },
    { start: base.getEnd(), end: read.getEnd(), text: `.steps ?? []).find(${predicate} => step.type === ${q('code_execution_call')})?.arguments.code` },
  ];
}

import { Node } from '../tsm.js';
import type { ArrowFunction, FunctionDeclaration, FunctionExpression, Identifier, ParameterDeclaration } from 'ts-morph';

/**
 * A model handed to a function of the same module (`summarize(model, text)`) whose parameter is that model: the
 * parameter's uses are the model's uses there, and it is typed as settings once the model is one. Every call of the
 * function must then pass a model that migrates (checked by the caller over all its models).
 */
export interface ModelParameter {
  param: ParameterDeclaration;
  name: Identifier;
  fn: FunctionDeclaration | ArrowFunction | FunctionExpression;
  /** The function's name: its calls are where models are passed. */
  fnName: Identifier;
  index: number;
}

/** The parameter `use` (an argument) is bound to, or undefined for a call this cannot follow. */
export function modelParameter(use: Node): ModelParameter | undefined {
  const call = use.getParent();
  if (!Node.isCallExpression(call)) return undefined;
  const index = call.getArguments().indexOf(use);
  const callee = call.getExpression();
  if (index < 0 || !Node.isIdentifier(callee)) return undefined;
  const decl = callee.getSymbol()?.getDeclarations()[0];
  const init = Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  const fn = Node.isFunctionDeclaration(decl) ? decl : Node.isArrowFunction(init) || Node.isFunctionExpression(init) ? init : undefined;
  const fnName = Node.isFunctionDeclaration(decl) ? decl.getNameNode() : Node.isVariableDeclaration(decl) ? decl.getNameNode() : undefined;
  if (!fn || !Node.isIdentifier(fnName) || fn.getSourceFile() !== use.getSourceFile()) return undefined;
  const param = fn.getParameters()[index];
  const name = param?.getNameNode();
  if (!param || param.isRestParameter() || param.hasInitializer() || param.hasQuestionToken() || !Node.isIdentifier(name)) return undefined;
  return { param, name, fn, fnName, index };
}

/** Why a function taking models cannot change with them: a reference that is not a call passing a migrating model. */
export function strayPass(p: ModelParameter, references: Node[], passed: ReadonlySet<Node>): Node | undefined {
  return references.find((ref) => {
    const call = ref.getParent();
    if (!Node.isCallExpression(call) || call.getExpression() !== ref) return true;
    const arg = call.getArguments()[p.index];
    return !arg || !passed.has(arg);
  });
}

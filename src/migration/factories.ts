import { Node, SyntaxKind } from '../tsm.js';
import type { ArrowFunction, CallExpression, FunctionDeclaration, FunctionExpression, MethodDeclaration } from 'ts-morph';
import { slotOf, slotReferences, useExpression, type Slot } from './slots.js';
import type { Blocker } from './config-map.js';
import { methodFactory } from './method-factories.js';

/**
 * A model factory: a function that makes a new model on each call and returns it as it is —
 * `function getModel(o) { return client.getGenerativeModel({...}) }`, or an arrow whose body is that call.
 * Its settings object is returned instead, and every model its callers keep becomes that object.
 */
export interface Factory {
  /** A method only where every call of it is known (method-factories.ts). */
  fn: FunctionDeclaration | ArrowFunction | FunctionExpression | MethodDeclaration;
  /** The function's name, standing for the model in a slot whose uses are the factory's calls. */
  slot: Slot;
}

/** The factory `call` (a getGenerativeModel call) is the whole result of, or undefined. */
export function factoryOf(call: CallExpression): Factory | undefined {
  const parent = call.getParent();
  const fn = Node.isReturnStatement(parent)
    ? parent.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a))
    : Node.isArrowFunction(parent) && parent.getBody() === call
      ? parent
      : undefined;
  // One way out: a function that may return something else (or nothing) is not a factory of this model.
  if (Node.isReturnStatement(parent) && fn && ownReturns(fn).length !== 1) return undefined;
  if (Node.isMethodDeclaration(fn)) {
    const method = methodFactory(fn, call);
    return typeof method === 'string' ? undefined : method;
  }
  return namedFunction(fn);
}

/** A plain named function (a declaration, or a variable holding an arrow or function expression) as a factory. */
export function namedFunction(fn: Node | undefined): Factory | undefined {
  if (!(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return undefined;
  if (fn.isAsync() || (!Node.isArrowFunction(fn) && fn.isGenerator())) return undefined;
  const declaration = Node.isFunctionDeclaration(fn) ? fn : fn.getParent();
  const name = Node.isFunctionDeclaration(fn) ? fn.getNameNode() : Node.isVariableDeclaration(declaration) && declaration.getInitializer() === fn ? declaration.getNameNode() : undefined;
  if (!Node.isIdentifier(name)) return undefined;
  return { fn, slot: { kind: 'variable', name, access: name.getText(), holder: declaration!, storeSite: name } };
}

export function ownReturns(fn: Node): Node[] {
  return fn.getDescendantsOfKind(SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === fn);
}

/** Whether the factory's declaration is exported (so other modules may call it). */
export function isExportedFactory(factory: Factory): boolean {
  const holder = factory.slot.holder;
  if (Node.isMethodDeclaration(holder)) return false; // followed only when no other module can call it
  if (Node.isFunctionDeclaration(holder)) return holder.isExported();
  return holder.getFirstAncestorByKind(SyntaxKind.VariableStatement)?.isExported() ?? false;
}

/** One place the model is used: `use` evaluates to it (undefined: not a plain read), `anchor` is how its module reaches the model's origin. */
export interface ModelUse {
  ref: Node;
  use: Node | undefined;
  /** The identifier another module imports the model (or its factory) by: extended with the client's name. */
  anchor: Node | undefined;
  /** A use through a function handing out the model (a lazy getter): what another module imports instead of the model. */
  via?: Factory;
}

/**
 * The uses of a factory's models: a call used in place (`getModel().generateContent(x)`), or the uses of the
 * variable or field a call is kept in (`const m = getModel(); m.generateContent(x)`), with that slot, whose declared
 * model type has to change with it. A model kept in a slot read from another module is not followed.
 */
export function factoryUses(factory: Factory, refs: Node[], blockers: Blocker[]): { uses: ModelUse[]; holders: Slot[]; calls: CallExpression[] } {
  const uses: ModelUse[] = [];
  const holders: Slot[] = [];
  const calls: CallExpression[] = [];
  for (const ref of refs) {
    const callee = useExpression(factory.slot, ref) ?? ref; // `gemini.getModel` of a required module object
    const call = callee.getParent();
    if (!Node.isCallExpression(call) || call.getExpression() !== callee) {
      blockers.push({ node: ref, reason: 'model-used-elsewhere', detail: `the factory ${factory.slot.name.getText()} is passed on` });
      continue;
    }
    calls.push(call);
    const holder = slotOf(call);
    if (!holder) {
      uses.push({ ref, use: call, anchor: ref });
      continue;
    }
    holders.push(holder);
    for (const r of slotReferences(holder)) {
      if (r === holder.storeSite) continue;
      const use = useExpression(holder, r);
      if (r.getSourceFile() !== call.getSourceFile()) {
        blockers.push({ node: holder.holder, reason: 'model-used-elsewhere', detail: `used in ${r.getSourceFile().getBaseName()}` });
        continue;
      }
      uses.push({ ref: r, use, anchor: ref });
    }
  }
  return { uses, holders, calls };
}

/** The identifier of a factory's declared return type, removed with the model it named. */
export function returnTypeSpan(fn: Factory['fn']): { start: number; end: number } | undefined {
  const type = fn.getReturnTypeNode();
  const close = fn.getFirstChildByKind(SyntaxKind.CloseParenToken);
  return type && close ? { start: close.getEnd(), end: type.getEnd() } : undefined;
}


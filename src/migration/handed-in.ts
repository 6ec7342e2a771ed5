import { Node, SyntaxKind } from '../tsm.js';
import type { Decorator, ParameterDeclaration, PropertyDeclaration } from 'ts-morph';

/** Where a model or client that this module never creates comes in, and how: the declaration to mark and words for the TODO. */
export interface HandedIn {
  /** The constructor parameter, field or function parameter it arrives through. */
  node: Node;
  how: string;
}

/**
 * A model (or client) handed in rather than made here: injected by a dependency-injection container (`@Inject(TOKEN)` on a
 * constructor parameter or a field, as NestJS does), passed to the constructor and kept in a field, or passed to a
 * function as a parameter. Its creator (a provider's `useFactory`, the caller) is what must change, so the TODO goes
 * where it enters. Undefined for any other receiver (an import, a field set elsewhere).
 */
export function handedInValue(receiver: Node): HandedIn | undefined {
  if (Node.isPropertyAccessExpression(receiver) && receiver.getExpression().getKind() === SyntaxKind.ThisKeyword) {
    const decl = receiver.getNameNode().getSymbol()?.getDeclarations()[0];
    if (Node.isParameterDeclaration(decl)) return { node: decl, how: injection(decl) ?? byType(decl) ?? `constructor parameter ${decl.getName()}` };
    if (Node.isPropertyDeclaration(decl)) {
      const injected = injection(decl);
      if (injected) return { node: decl, how: injected };
      const param = constructorParameterKeptIn(decl);
      return param ? { node: decl, how: `constructor parameter ${param.getName()}, kept in this.${decl.getName()}` } : undefined;
    }
    return undefined;
  }
  if (!Node.isIdentifier(receiver)) return undefined;
  const decl = receiver.getSymbol()?.getDeclarations()[0];
  if (!Node.isParameterDeclaration(decl)) return undefined;
  const fn = decl.getParent();
  const fnName = Node.isConstructorDeclaration(fn) ? 'the constructor' : (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) && fn.getName() ? `${fn.getName()}()` : 'a function';
  return { node: decl, how: injection(decl) ?? `parameter ${decl.getName()} of ${fnName}` };
}

/** `injected with @Inject(TOKEN)` for a parameter or field that a container fills in. */
function injection(decl: ParameterDeclaration | PropertyDeclaration): string | undefined {
  const inject = decl.getDecorators().find((d: Decorator) => d.getName() === 'Inject');
  return inject ? `injected with @${inject.getName()}(${inject.getArguments().map((a) => a.getText()).join(', ')})` : undefined;
}

/** A constructor parameter of an `@Injectable()` class (Nest, Angular): the container fills it in by its type. */
function byType(param: ParameterDeclaration): string | undefined {
  const cls = param.getParent()?.getParent();
  const injectable = (Node.isClassDeclaration(cls) || Node.isClassExpression(cls)) && cls.getDecorators().some((d) => d.getName() === 'Injectable');
  return injectable ? `injected by its type, ${param.getTypeNode()?.getText() ?? 'untyped'}` : undefined;
}

/** The constructor parameter a field is set from (`this.model = model`), when that is its only assignment. */
function constructorParameterKeptIn(field: PropertyDeclaration): ParameterDeclaration | undefined {
  const cls = field.getParent();
  if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return undefined;
  const name = field.getName();
  const writes = cls.getDescendantsOfKind(SyntaxKind.BinaryExpression).filter((b) => {
    const left = b.getLeft();
    return b.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isPropertyAccessExpression(left) && left.getName() === name && left.getExpression().getKind() === SyntaxKind.ThisKeyword;
  });
  if (writes.length !== 1 || field.hasInitializer()) return undefined;
  const value = writes[0]!.getRight();
  const param = Node.isIdentifier(value) ? value.getSymbol()?.getDeclarations()[0] : undefined;
  return Node.isParameterDeclaration(param) && Node.isConstructorDeclaration(param.getParent()) ? param : undefined;
}

/**
 * `{ provide: TOKEN, useFactory: () => ...getGenerativeModel(...) }`: the dependency-injection provider (NestJS's
 * shape) whose factory function contains `node`, named by its token. Its consumers are handed a model object, which
 * the Interactions API does not have, so provider and consumers must change together.
 */
export function providerToken(node: Node): string | undefined {
  const fn = node.getFirstAncestor((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a) || Node.isMethodDeclaration(a));
  const prop = Node.isMethodDeclaration(fn) ? fn : fn?.getParent();
  if (!(Node.isPropertyAssignment(prop) || Node.isMethodDeclaration(prop)) || prop.getName() !== 'useFactory') return undefined;
  const provider = prop.getParent();
  const provide = Node.isObjectLiteralExpression(provider) ? provider.getProperty('provide') : undefined;
  return Node.isPropertyAssignment(provide) ? provide.getInitializerOrThrow().getText() : undefined;
}

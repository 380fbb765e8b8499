// Which names a file binds below module level, and which it assigns to. References to a module-level name are only
// recorded where no nested scope may bind the same name: a wrong guess there would check a call against the wrong
// declaration. Every approximation here errs towards "shadowed" (fewer references, never a wrong one).
import { ts } from './compiler.js';
import type { TypeScript } from './compiler.js';

export interface FileScopes {
  /** Scope node (never the SourceFile) → names it binds: parameters, locals, catch variables, function-expression names. */
  readonly bound: ReadonlyMap<TypeScript.Node, ReadonlySet<string>>;
  /**
   * Names with a second module-level binding the top-level statements do not show (`var` or a function inside a
   * module-level block): which declaration a use means is not certain.
   */
  readonly ambiguous: ReadonlySet<string>;
  /** Names assigned anywhere (`x = ...`, `x++`, destructuring assignment, `for (x of ...)`). */
  readonly assigned: ReadonlySet<string>;
  /** Names whose members are written or deleted anywhere (`ns.x = ...`, `delete ns.x`): a dynamic object. */
  readonly memberWritten: ReadonlySet<string>;
  /** Every name some nested scope binds (`require` among them means it is not Node's). */
  readonly nested: ReadonlySet<string>;
}

export function collectScopes(sourceFile: TypeScript.SourceFile): FileScopes {
  const bound = new Map<TypeScript.Node, Set<string>>();
  const ambiguous = new Set<string>();
  const assigned = new Set<string>();
  const memberWritten = new Set<string>();
  const nested = new Set<string>();
  const bind = (scope: TypeScript.Node, name: string) => {
    nested.add(name);
    if (scope === sourceFile) {
      ambiguous.add(name);
      return;
    }
    let names = bound.get(scope);
    if (names === undefined) bound.set(scope, (names = new Set()));
    names.add(name);
  };
  const bindPattern = (scope: TypeScript.Node, name: TypeScript.BindingName) => {
    for (const identifier of bindingIdentifiers(name)) bind(scope, identifier);
  };
  const isTopLevel = (node: TypeScript.Node) => node.parent === sourceFile;

  const K = ts.SyntaxKind;
  const visit = (node: TypeScript.Node): void => {
    switch (node.kind) {
      case K.VariableDeclaration: {
        const declaration = node as TypeScript.VariableDeclaration;
        const list = declaration.parent;
        if (ts.isCatchClause(list)) bindPattern(list, declaration.name);
        else if (!(ts.isVariableStatement(list.parent) && isTopLevel(list.parent))) {
          const blockScoped = (list.flags & ts.NodeFlags.BlockScoped) !== 0;
          bindPattern(blockScoped ? blockScope(list) : functionScope(list), declaration.name);
        }
        break;
      }
      case K.Parameter:
        bindPattern(node.parent, (node as TypeScript.ParameterDeclaration).name);
        break;
      case K.FunctionDeclaration: {
        const name = (node as TypeScript.FunctionDeclaration).name;
        // Sloppy-mode JavaScript hoists a function declared in a block to the function: take the wider scope.
        if (name !== undefined && !isTopLevel(node)) bind(functionScope(node.parent), name.text);
        break;
      }
      case K.FunctionExpression:
      case K.ClassExpression: {
        const name = (node as TypeScript.FunctionExpression | TypeScript.ClassExpression).name;
        if (name !== undefined) bind(node, name.text);
        break;
      }
      case K.ClassDeclaration:
      case K.EnumDeclaration:
      case K.ModuleDeclaration:
      case K.ImportEqualsDeclaration: {
        const name = (node as TypeScript.DeclarationStatement).name;
        if (name !== undefined && ts.isIdentifier(name) && !isTopLevel(node)) bind(blockScope(node.parent), name.text);
        break;
      }
      case K.ImportClause:
      case K.NamespaceImport:
      case K.ImportSpecifier: {
        // Imports inside `declare module "x" { ... }` bind names in that block only.
        const name = (node as TypeScript.ImportClause | TypeScript.NamespaceImport | TypeScript.ImportSpecifier).name;
        const declaration = ts.findAncestor(node, ts.isImportDeclaration);
        if (declaration !== undefined && !isTopLevel(declaration) && name !== undefined) {
          bind(blockScope(declaration.parent), name.text);
        }
        break;
      }
      case K.BinaryExpression: {
        const binary = node as TypeScript.BinaryExpression;
        if (isAssignmentOperator(binary.operatorToken.kind)) noteAssignmentTarget(binary.left, assigned, memberWritten);
        break;
      }
      case K.PrefixUnaryExpression:
      case K.PostfixUnaryExpression: {
        const unary = node as TypeScript.PrefixUnaryExpression | TypeScript.PostfixUnaryExpression;
        if (unary.operator === K.PlusPlusToken || unary.operator === K.MinusMinusToken) {
          noteAssignmentTarget(unary.operand, assigned, memberWritten);
        }
        break;
      }
      case K.DeleteExpression:
        noteAssignmentTarget((node as TypeScript.DeleteExpression).expression, assigned, memberWritten);
        break;
      case K.ForInStatement:
      case K.ForOfStatement: {
        const initializer = (node as TypeScript.ForInOrOfStatement).initializer;
        if (!ts.isVariableDeclarationList(initializer)) noteAssignmentTarget(initializer, assigned, memberWritten);
        break;
      }
      default:
        break;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return { bound, ambiguous, assigned, memberWritten, nested };
}

export function bindingIdentifiers(name: TypeScript.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) names.push(...bindingIdentifiers(element.name));
  }
  return names;
}

function isAssignmentOperator(kind: TypeScript.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function noteAssignmentTarget(target: TypeScript.Node, assigned: Set<string>, memberWritten: Set<string>): void {
  const inner = skipOuterExpressions(target);
  if (ts.isIdentifier(inner)) assigned.add(inner.text);
  else if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) {
    const object = skipOuterExpressions(inner.expression);
    if (ts.isIdentifier(object)) memberWritten.add(object.text);
  } else if (ts.isObjectLiteralExpression(inner) || ts.isArrayLiteralExpression(inner)) {
    // Destructuring assignment: every identifier inside may be a target (defaults included: conservative).
    const collect = (node: TypeScript.Node): void => {
      if (ts.isIdentifier(node)) assigned.add(node.text);
      else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
        noteAssignmentTarget(node, assigned, memberWritten);
      } else ts.forEachChild(node, collect);
    };
    ts.forEachChild(inner, collect);
  }
}

export function skipOuterExpressions(node: TypeScript.Node): TypeScript.Node {
  let inner = node;
  while (
    ts.isParenthesizedExpression(inner) ||
    ts.isAsExpression(inner) ||
    ts.isSatisfiesExpression(inner) ||
    ts.isNonNullExpression(inner) ||
    ts.isTypeAssertionExpression(inner)
  ) {
    inner = inner.expression;
  }
  return inner;
}

/** The node whose body a `var` (or a sloppy-mode block function) belongs to. */
function functionScope(start: TypeScript.Node): TypeScript.Node {
  let node: TypeScript.Node = start;
  while (
    !ts.isSourceFile(node) &&
    !ts.isFunctionLike(node) &&
    !ts.isModuleDeclaration(node) &&
    !ts.isClassStaticBlockDeclaration(node)
  ) {
    node = node.parent;
  }
  return node;
}

/** The node a `let`/`const`/`class` is scoped to. */
function blockScope(start: TypeScript.Node): TypeScript.Node {
  let node: TypeScript.Node = start;
  while (
    !ts.isSourceFile(node) &&
    !ts.isBlock(node) &&
    !ts.isModuleBlock(node) &&
    !ts.isCaseBlock(node) &&
    !ts.isForStatement(node) &&
    !ts.isForInStatement(node) &&
    !ts.isForOfStatement(node) &&
    !ts.isFunctionLike(node) &&
    !ts.isClassStaticBlockDeclaration(node)
  ) {
    node = node.parent;
  }
  return node;
}

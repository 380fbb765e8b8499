// Uses of module-level names: `f(a, b)`, `new C(x)`, `ns.member`, `ns.member(...)`, `ns.Type` in type positions.
// Only plain identifiers no nested scope may rebind; optional chaining, decorators and feature tests (`typeof ns.x`,
// `if (ns.x)`, `ns.x === undefined`) are left out, since the code there does not assume the name exists.
import type { SymbolReference } from '../symbols/types.js';
import { ts } from './compiler.js';
import type { TypeScript } from './compiler.js';
import type { FileScopes } from './symbols-scopes.js';

export interface ReferenceWalk {
  readonly references: readonly SymbolReference[];
  /** Unshadowed `exports` identifiers and `module.exports` expressions, for the CommonJS analysis. */
  readonly commonJsUses: readonly TypeScript.Expression[];
  /** An unshadowed `module` used other than as `module.<name>` or under `typeof`: where it goes is unknown. */
  readonly moduleEscapes: boolean;
  /** `this` at module level (CommonJS: the exports object). */
  readonly topLevelThis: boolean;
}

export function walkReferences(options: {
  readonly sourceFile: TypeScript.SourceFile;
  readonly scopes: FileScopes;
  /** Names of call/new references to record (import bindings and module-level declarations). */
  readonly callable: ReadonlySet<string>;
  /** Names whose members are recorded (import bindings). */
  readonly namespaces: ReadonlySet<string>;
}): ReferenceWalk {
  const { sourceFile, scopes, callable, namespaces } = options;
  const references: SymbolReference[] = [];
  const commonJsUses: TypeScript.Expression[] = [];
  let moduleEscapes = false;
  let topLevelThis = false;
  const active = new Map<string, number>();
  const handled = new Set<TypeScript.Node>();
  // A reassigned name (`let x = require('m'); x = wrap(x)`) may hold anything by the time it is used.
  const isFree = (name: string) =>
    (active.get(name) ?? 0) === 0 && !scopes.ambiguous.has(name) && !scopes.assigned.has(name);
  const position = (node: TypeScript.Node) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    return { line: line + 1, column: character + 1 };
  };
  const argumentsOf = (node: TypeScript.CallExpression | TypeScript.NewExpression) => {
    const list = node.arguments ?? [];
    return { count: list.length, spread: list.some((argument) => ts.isSpreadElement(argument)) };
  };
  const namespaceMember = (node: TypeScript.Node): { name: string; member: string } | undefined => {
    if (!ts.isPropertyAccessExpression(node) || node.questionDotToken !== undefined) return undefined;
    if (!ts.isIdentifier(node.expression) || !ts.isIdentifier(node.name)) return undefined;
    const name = node.expression.text;
    if (!namespaces.has(name) || !isFree(name) || scopes.memberWritten.has(name)) return undefined;
    return { name, member: node.name.text };
  };

  const K = ts.SyntaxKind;
  let functionDepth = 0;
  const visit = (node: TypeScript.Node): void => {
    const bound = scopes.bound.get(node);
    if (bound !== undefined) for (const name of bound) active.set(name, (active.get(name) ?? 0) + 1);
    switch (node.kind) {
      case K.CallExpression:
      case K.NewExpression: {
        const call = node as TypeScript.CallExpression | TypeScript.NewExpression;
        const kind = node.kind === K.CallExpression ? 'call' : 'new';
        const callee = call.expression;
        const optional = ts.isCallExpression(call) && call.questionDotToken !== undefined;
        if (optional || ts.isDecorator(node.parent)) break;
        if (ts.isIdentifier(callee)) {
          if (callable.has(callee.text) && isFree(callee.text)) {
            references.push({ kind, name: callee.text, ...position(callee), arguments: argumentsOf(call) });
          }
          break;
        }
        const target = namespaceMember(callee);
        if (target !== undefined) {
          handled.add(callee);
          const member = (callee as TypeScript.PropertyAccessExpression).name;
          references.push({ kind, ...target, ...position(member), arguments: argumentsOf(call) });
        }
        break;
      }
      case K.PropertyAccessExpression: {
        const access = node as TypeScript.PropertyAccessExpression;
        if (handled.has(access)) break;
        const target = namespaceMember(access);
        if (target !== undefined && !isFeatureTest(access)) {
          references.push({ kind: 'member', ...target, ...position(access.name) });
        }
        if (isModuleExports(access) && isFree('module')) commonJsUses.push(access);
        break;
      }
      case K.QualifiedName: {
        const qualified = node as TypeScript.QualifiedName;
        if (!ts.isIdentifier(qualified.left)) break;
        const name = qualified.left.text;
        if (namespaces.has(name) && isFree(name)) {
          references.push({ kind: 'member', name, member: qualified.right.text, ...position(qualified.right) });
        }
        break;
      }
      case K.Identifier: {
        const identifier = node as TypeScript.Identifier;
        if ((identifier.text !== 'exports' && identifier.text !== 'module') || !isExpressionIdentifier(identifier))
          break;
        if (identifier.text === 'exports' && isFree('exports')) commonJsUses.push(identifier);
        else if (identifier.text === 'module' && isFree('module') && !isHarmlessModuleUse(identifier)) {
          moduleEscapes = true;
        }
        break;
      }
      case K.ThisKeyword:
        if (functionDepth === 0) topLevelThis = true;
        break;
      default:
        break;
    }
    // Arrow functions keep the outer `this`; everything else function-like (and class bodies) rebinds it.
    const rebindsThis =
      (ts.isFunctionLike(node) && node.kind !== K.ArrowFunction) ||
      ts.isClassLike(node) ||
      node.kind === K.ModuleDeclaration;
    if (rebindsThis) functionDepth += 1;
    ts.forEachChild(node, visit);
    if (rebindsThis) functionDepth -= 1;
    if (bound !== undefined) for (const name of bound) active.set(name, (active.get(name) ?? 1) - 1);
  };
  visit(sourceFile);
  return { references, commonJsUses, moduleEscapes, topLevelThis };
}

function isModuleExports(node: TypeScript.PropertyAccessExpression): boolean {
  return ts.isIdentifier(node.expression) && node.expression.text === 'module' && node.name.text === 'exports';
}

/** `module.hot`, `module.id`, `typeof module`: reads that cannot add exports. (`module.exports` is analysed apart.) */
function isHarmlessModuleUse(node: TypeScript.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.expression === node) ||
    ts.isTypeOfExpression(parent) ||
    (ts.isBinaryExpression(parent) && isComparison(parent.operatorToken.kind))
  );
}

/** Identifiers that stand for a variable (not a property name, a declaration name or a label). */
function isExpressionIdentifier(node: TypeScript.Identifier): boolean {
  const parent = node.parent;
  if (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isQualifiedName(parent) && parent.right === node) ||
    ts.isImportSpecifier(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isLabeledStatement(parent) ||
    ts.isBreakOrContinueStatement(parent) ||
    ts.isMetaProperty(parent) ||
    ts.isJsxAttribute(parent)
  ) {
    return false;
  }
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent)) return false;
  if ('name' in parent && (parent as { name?: unknown }).name === node && !ts.isShorthandPropertyAssignment(parent)) {
    return false; // a declaration's or property's own name
  }
  return true;
}

/** The member read tests whether the member exists, so its absence is expected. */
function isFeatureTest(node: TypeScript.PropertyAccessExpression): boolean {
  let current: TypeScript.Node = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  if (ts.isTypeOfExpression(parent) || ts.isDeleteExpression(parent)) return true;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return true;
  if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === current) return true;
  if (ts.isBinaryExpression(parent)) {
    const operator = parent.operatorToken.kind;
    if (isComparison(operator) || operator === ts.SyntaxKind.InKeyword) return true;
    const logical =
      operator === ts.SyntaxKind.AmpersandAmpersandToken ||
      operator === ts.SyntaxKind.BarBarToken ||
      operator === ts.SyntaxKind.QuestionQuestionToken;
    if (logical && parent.left === current) return true;
  }
  // `ns.x?.()` / `ns.x?.y`: the code allows `ns.x` to be missing.
  if (
    (ts.isPropertyAccessExpression(parent) || ts.isCallExpression(parent) || ts.isElementAccessExpression(parent)) &&
    parent.questionDotToken !== undefined
  ) {
    return true;
  }
  return false;
}

function isComparison(kind: TypeScript.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
  );
}

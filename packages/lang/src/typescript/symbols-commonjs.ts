// CommonJS exports: `exports.x = ...`, `module.exports.x = ...`, `module.exports = { a, b }` and
// `Object.defineProperty(exports, "x", ...)` name their exports; any other use of `exports` or `module.exports`
// (passed to a helper, a computed key, `module.exports = fn`) makes the export set unknowable (`open`).
import { ts } from './compiler.js';
import type { TypeScript } from './compiler.js';
import { skipOuterExpressions } from './symbols-scopes.js';

export interface CommonJsExport {
  /** Where it is first defined. */
  readonly node: TypeScript.Node;
  /** The values assigned to it and where (`void 0` placeholders left out); a property definition adds none. */
  readonly values: readonly { readonly site: TypeScript.Node; readonly value: TypeScript.Node }[];
  /** Defined at least once in a way whose value is unknown (`Object.defineProperty`, `+=`). */
  readonly opaque: boolean;
}

export interface CommonJsExports {
  /** The file defines anything through `exports` / `module.exports`. */
  readonly used: boolean;
  readonly open: boolean;
  readonly names: ReadonlyMap<string, CommonJsExport>;
}

export function analyzeCommonJs(uses: readonly TypeScript.Expression[]): CommonJsExports {
  const names = new Map<
    string,
    { node: TypeScript.Node; values: { site: TypeScript.Node; value: TypeScript.Node }[]; opaque: boolean }
  >();
  let open = false;
  const define = (name: string, node: TypeScript.Node, value: TypeScript.Node | undefined, opaque = false) => {
    if (name === '__esModule') return;
    let entry = names.get(name);
    if (entry === undefined) names.set(name, (entry = { node, values: [], opaque: false }));
    if (value !== undefined && !isVoidZero(value)) entry.values.push({ site: node, value });
    if (opaque) entry.opaque = true;
  };
  for (const use of uses) {
    const parent = use.parent;
    const isModuleExports = ts.isPropertyAccessExpression(use);
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === use) {
      const key = ts.isPropertyAccessExpression(parent)
        ? parent.name.text
        : ts.isStringLiteralLike(parent.argumentExpression)
          ? parent.argumentExpression.text
          : undefined;
      const write = writeOf(parent);
      if (write === 'none') continue;
      if (key === undefined) open = true;
      else define(key, parent, write === 'compound' ? undefined : write, write === 'compound');
    } else if (ts.isBinaryExpression(parent) && parent.left === use) {
      if (parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken) open = true;
      else if (!isModuleExports)
        continue; // `exports = module.exports = x`: rebinding the local name only
      else {
        const members = objectLiteralMembers(assignedValue(parent.right));
        if (members === undefined) open = true;
        else for (const member of members) define(member.name, member.node, member.value);
      }
    } else if (isDefinePropertyTarget(use)) {
      const key = (parent as TypeScript.CallExpression).arguments[1];
      if (key !== undefined && ts.isStringLiteralLike(key)) define(key.text, parent, undefined, true);
      else if (!(key !== undefined && isWellKnownSymbol(key))) open = true;
    } else if (
      !ts.isTypeOfExpression(parent) &&
      !(ts.isBinaryExpression(parent) && isComparison(parent.operatorToken.kind))
    ) {
      open = true;
    }
  }
  return { used: uses.length > 0, open, names };
}

/** How a member expression is written: its assigned value, 'compound' (`+=`, `++`), or 'none' (a read). */
function writeOf(member: TypeScript.Expression): TypeScript.Node | 'compound' | 'none' {
  const parent = member.parent;
  if (ts.isBinaryExpression(parent) && parent.left === member) {
    if (parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return assignedValue(parent.right);
    const operator = parent.operatorToken.kind;
    if (operator >= ts.SyntaxKind.FirstCompoundAssignment && operator <= ts.SyntaxKind.LastCompoundAssignment) {
      return 'compound';
    }
  }
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) return 'compound';
  return 'none';
}

/** `exports.a = exports.b = value`: the value at the end of the chain. */
function assignedValue(node: TypeScript.Expression): TypeScript.Expression {
  let value = skipOuterExpressions(node) as TypeScript.Expression;
  while (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    value = skipOuterExpressions(value.right) as TypeScript.Expression;
  }
  return value;
}

function objectLiteralMembers(
  node: TypeScript.Expression,
): { name: string; node: TypeScript.Node; value: TypeScript.Node | undefined }[] | undefined {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  const members: { name: string; node: TypeScript.Node; value: TypeScript.Node | undefined }[] = [];
  for (const property of node.properties) {
    if (ts.isShorthandPropertyAssignment(property)) {
      members.push({ name: property.name.text, node: property, value: property.name });
      continue;
    }
    if (ts.isSpreadAssignment(property)) return undefined;
    const name = property.name;
    if (!(ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name))) return undefined;
    const value = ts.isPropertyAssignment(property)
      ? property.initializer
      : ts.isMethodDeclaration(property)
        ? property
        : undefined;
    members.push({ name: name.text, node: property, value });
  }
  return members;
}

function isDefinePropertyTarget(use: TypeScript.Expression): boolean {
  const call = use.parent;
  if (!ts.isCallExpression(call) || call.arguments[0] !== use) return false;
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Object' &&
    callee.name.text === 'defineProperty'
  );
}

/** `Symbol.toStringTag` and friends: not a name an import can ask for. */
function isWellKnownSymbol(node: TypeScript.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Symbol';
}

function isVoidZero(node: TypeScript.Node): boolean {
  return (
    (ts.isVoidExpression(node) && ts.isNumericLiteral(node.expression)) ||
    (ts.isIdentifier(node) && node.text === 'undefined')
  );
}

function isComparison(kind: TypeScript.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    kind === ts.SyntaxKind.EqualsEqualsToken ||
    kind === ts.SyntaxKind.ExclamationEqualsToken
  );
}

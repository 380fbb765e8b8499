// Expression helpers of the JavaScript scanner: unwrapping, constant folding, member access, globals and numbers.
import type { TypeScript } from '@kode/lang';
import { MAX_DEPTH } from './model.js';
import type { Expression, Member } from './model.js';
import { JavaScriptScope } from './scope.js';

const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['globalThis', 'window', 'global', 'self']);
const NUMERIC_FUNCTIONS: ReadonlySet<string> = new Set(['Number', 'parseInt', 'parseFloat', 'BigInt']);
const NUMERIC_METHODS: ReadonlySet<string> = new Set(['toFixed', 'toPrecision', 'getTime', 'valueOf']);

export class JavaScriptExpressions extends JavaScriptScope {
  // ---------------------------------------------------------------------------------------------------------------
  // Expression helpers.

  /** Strips parentheses and type-only wrappers (`as`, `!`, `satisfies`, `<T>x`), and `await` when asked. */
  protected unwrap(expression: Expression, throughAwait = false): Expression {
    const { ts } = this;
    let node = expression;
    for (;;) {
      if (
        ts.isParenthesizedExpression(node) ||
        ts.isAsExpression(node) ||
        ts.isNonNullExpression(node) ||
        ts.isSatisfiesExpression(node) ||
        ts.isTypeAssertionExpression(node) ||
        (throughAwait && ts.isAwaitExpression(node))
      ) {
        node = node.expression;
      } else {
        return node;
      }
    }
  }

  /** The operands of a `+` chain, left to right (iterative: chains can be 100k terms long). */
  /** The initializer of the `const` binding an identifier resolves to; undefined for anything else. */
  protected constantInitializer(expression: Expression): Expression | undefined {
    if (!this.ts.isIdentifier(expression)) return undefined;
    const binding = this.resolve(expression);
    return binding?.constant === true ? binding.initializer : undefined;
  }

  /**
   * Whether every value `expression` can take is safe for a sink: literals and numbers are; `const` names, both
   * branches of `a ? b : c`, template substitutions and `+` operands are checked part by part; any other expression
   * is up to `isSafeLeaf` (sanitiser calls, placeholder lists...). Bounded by MAX_DEPTH.
   */
  protected isSafeComposite(
    expression: Expression,
    depth: number,
    isSafeLeaf: (node: Expression, depth: number) => boolean,
  ): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (depth > MAX_DEPTH) return false;
    if (this.isLiteral(node) || this.isNumeric(node)) return true;
    const isSafe = (part: Expression) => this.isSafeComposite(part, depth + 1, isSafeLeaf);
    if (ts.isIdentifier(node)) {
      const initializer = this.constantInitializer(node);
      return initializer !== undefined && isSafe(initializer);
    }
    if (ts.isConditionalExpression(node)) return isSafe(node.whenTrue) && isSafe(node.whenFalse);
    if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => isSafe(span.expression));
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return this.plusOperands(node).every(isSafe);
    }
    return isSafeLeaf(node, depth);
  }

  protected plusOperands(expression: Expression): Expression[] {
    const { ts } = this;
    const operands: Expression[] = [];
    const stack: Expression[] = [expression];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const node = this.unwrap(next);
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        stack.push(node.right, node.left);
      } else {
        operands.push(node);
      }
    }
    return operands;
  }

  /** The value of a literal-only expression (string/number literals, `+` of literals, templates of literals,
   * `const` names bound to such), or undefined when any part is not literal. */
  protected constant(expression: Expression, depth = 0): string | undefined {
    const cached = this.constants.get(expression);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > MAX_DEPTH || this.folding.has(expression)) return undefined;
    this.folding.add(expression);
    let value: string | undefined = '';
    for (const operand of this.plusOperands(expression)) {
      const part = this.constantOperand(operand, depth);
      if (part === undefined) {
        value = undefined;
        break;
      }
      value += part;
    }
    this.folding.delete(expression);
    this.constants.set(expression, value ?? null);
    return value;
  }

  private constantOperand(node: Expression, depth: number): string | undefined {
    const { ts } = this;
    const { SyntaxKind } = ts;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node)) return node.text;
    if (node.kind === SyntaxKind.TrueKeyword) return 'true';
    if (node.kind === SyntaxKind.FalseKeyword) return 'false';
    if (node.kind === SyntaxKind.NullKeyword) return 'null';
    if (ts.isTemplateExpression(node)) {
      let value = node.head.text;
      for (const span of node.templateSpans) {
        const part = this.constant(span.expression, depth + 1);
        if (part === undefined) return undefined;
        value += part + span.literal.text;
      }
      return value;
    }
    if (ts.isPrefixUnaryExpression(node)) {
      const operand = this.constant(node.operand, depth + 1);
      return operand === undefined ? undefined : `${ts.tokenToString(node.operator) ?? ''}${operand}`;
    }
    if (ts.isConditionalExpression(node)) {
      const whenTrue = this.constant(node.whenTrue, depth + 1);
      return whenTrue !== undefined && this.constant(node.whenFalse, depth + 1) !== undefined ? whenTrue : undefined;
    }
    if (ts.isIdentifier(node)) {
      const binding = this.resolve(node);
      if (binding === undefined) return node.text === 'undefined' ? 'undefined' : undefined;
      return binding.constant && binding.initializer !== undefined
        ? this.constant(binding.initializer, depth + 1)
        : undefined;
    }
    return undefined;
  }

  protected isLiteral(expression: Expression): boolean {
    return this.constant(expression) !== undefined;
  }

  /** `receiver.name` or `receiver["na" + "me"]`. */
  protected member(expression: Expression): Member | undefined {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (ts.isPropertyAccessExpression(node)) return { receiver: node.expression, name: node.name.text };
    if (ts.isElementAccessExpression(node)) {
      const name = this.constant(node.argumentExpression);
      return name === undefined ? undefined : { receiver: node.expression, name };
    }
    return undefined;
  }

  /** The called name: `name(...)` or `anything.name(...)`. */
  protected calleeName(expression: Expression): string | undefined {
    const node = this.unwrap(expression);
    return this.ts.isIdentifier(node) ? node.text : this.member(node)?.name;
  }

  protected propertyNameText(name: TypeScript.PropertyName | TypeScript.JsxAttributeName): string | undefined {
    const { ts } = this;
    if (ts.isComputedPropertyName(name)) return this.constant(name.expression);
    if (ts.isJsxNamespacedName(name)) return undefined;
    return name.text;
  }

  /** `eval`/`Function` itself: the bare global, `globalThis["ev" + "al"]`, `(0, eval)`, or a name bound to one. */
  protected isGlobal(expression: Expression, name: string, depth = 0): boolean {
    const { ts } = this;
    let node = this.unwrap(expression);
    while (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      node = this.unwrap(node.right);
    }
    if (ts.isIdentifier(node)) {
      const binding = this.resolve(node);
      if (binding === undefined) return node.text === name;
      const declaration = binding.declaration;
      if (declaration !== undefined && ts.isBindingElement(declaration)) {
        // const { eval: run } = globalThis
        const holder = declaration.parent.parent;
        return (
          ts.isObjectBindingPattern(declaration.parent) &&
          ts.isVariableDeclaration(holder) &&
          holder.initializer !== undefined &&
          this.propertyNameText(declaration.propertyName ?? node) === name &&
          this.isGlobalObject(holder.initializer, depth + 1)
        );
      }
      return (
        depth < MAX_DEPTH && binding.initializer !== undefined && this.isGlobal(binding.initializer, name, depth + 1)
      );
    }
    const member = this.member(node);
    return member !== undefined && member.name === name && this.isGlobalObject(member.receiver, depth + 1);
  }

  /** `globalThis`, `window`, `global`, `self` (not shadowed: `var self = this` is an ordinary object). */
  private isGlobalObject(expression: Expression, depth: number): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (ts.isIdentifier(node)) return GLOBAL_OBJECTS.has(node.text) && this.resolve(node) === undefined;
    const member = this.member(node);
    return (
      member !== undefined &&
      GLOBAL_OBJECTS.has(member.name) &&
      depth < MAX_DEPTH &&
      this.isGlobalObject(member.receiver, depth + 1)
    );
  }

  /** Numbers cannot carry markup or SQL: numeric literals, arithmetic, `Number(x)`, `parseInt(x)`, `x.length`. */
  protected isNumeric(expression: Expression): boolean {
    const { ts } = this;
    const { SyntaxKind } = ts;
    const node = this.unwrap(expression);
    if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node)) return true;
    if (ts.isPrefixUnaryExpression(node)) {
      return node.operator === SyntaxKind.MinusToken || node.operator === SyntaxKind.PlusToken;
    }
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      return (
        operator === SyntaxKind.MinusToken ||
        operator === SyntaxKind.AsteriskToken ||
        operator === SyntaxKind.SlashToken ||
        operator === SyntaxKind.PercentToken ||
        operator === SyntaxKind.AsteriskAsteriskToken
      );
    }
    if (ts.isCallExpression(node)) {
      const callee = this.unwrap(node.expression);
      if (ts.isIdentifier(callee)) return NUMERIC_FUNCTIONS.has(callee.text);
      const member = this.member(callee);
      if (member === undefined) return false;
      const receiver = this.unwrap(member.receiver);
      return (
        NUMERIC_METHODS.has(member.name) ||
        (ts.isIdentifier(receiver) && (receiver.text === 'Math' || receiver.text === 'Number'))
      );
    }
    return this.member(node)?.name === 'length';
  }
}

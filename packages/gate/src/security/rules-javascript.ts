// Dangerous-code rules of the security gate for TypeScript and JavaScript (SPEC §4.10): eval and the Function
// constructor, child_process shells, SQL built by concatenation, disabled TLS verification and HTML sinks.
// Precision first: a finding needs a recognised sink AND input that is not a literal. The walk is iterative, every
// helper is depth-bounded and memoised, so a 1 MB minified line or a 100k-term `+` chain scans in linear time.
import type { SyntaxTree, TypeScript } from '@kode/lang';
import { ruleSeverity } from './catalog.js';
import type { SecurityFinding, Severity } from './types.js';

type TypeScriptTree = Extract<SyntaxTree, { kind: 'typescript' }>;
type Ts = TypeScriptTree['ts'];
type Node = TypeScript.Node;
type Expression = TypeScript.Expression;

type JavaScriptRuleId = 'js/eval' | 'js/shell-exec' | 'js/sql-concat' | 'js/tls-disabled' | 'js/html-injection';

/** Dangerous-code findings in one TS/JS file (rules js/eval, js/shell-exec, js/sql-concat, js/tls-disabled, js/html-injection). */
export function scanJavaScript(tree: Extract<SyntaxTree, { kind: 'typescript' }>): SecurityFinding[] {
  return new JavaScriptScanner(tree).scan();
}

/** Alias chains, nested templates and module look-ups deeper than this are treated as unknown. */
const MAX_DEPTH = 24;

const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['globalThis', 'window', 'global', 'self']);
const CHILD_PROCESS_MODULES: ReadonlySet<string> = new Set(['child_process', 'node:child_process']);
const VM_MODULES: ReadonlySet<string> = new Set(['vm', 'node:vm']);
const VM_CODE_FUNCTIONS: ReadonlySet<string> = new Set([
  'runInContext',
  'runInNewContext',
  'runInThisContext',
  'compileFunction',
]);
/** These run their first argument through `/bin/sh` unconditionally. */
const SHELL_FUNCTIONS: ReadonlySet<string> = new Set(['exec', 'execSync']);
/** These use a shell only with the `shell` option. */
const SPAWN_FUNCTIONS: ReadonlySet<string> = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync']);
/** Methods of database clients (pg, mysql2, sqlite, knex, Sequelize, postgres.js, Prisma) that take SQL text. */
const SQL_METHODS: ReadonlySet<string> = new Set([
  'query',
  'execute',
  'raw',
  'exec',
  'prepare',
  'unsafe',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
]);
/** Plain functions named like a query runner (`import { query } from './db'`). */
const SQL_FUNCTIONS: ReadonlySet<string> = new Set(['query', 'execute']);
/** A statement keyword counts as SQL only when one of its clause keywords follows it. */
const SQL_STATEMENTS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const objects = ['TABLE', 'INDEX', 'VIEW', 'DATABASE', 'SCHEMA', 'TRIGGER', 'FUNCTION', 'PROCEDURE', 'SEQUENCE'];
  return new Map<string, ReadonlySet<string>>([
    ['SELECT', new Set(['FROM'])],
    ['INSERT', new Set(['INTO', 'VALUES'])],
    ['UPDATE', new Set(['SET'])],
    ['DELETE', new Set(['FROM', 'WHERE'])],
    ['REPLACE', new Set(['INTO', 'VALUES'])],
    ['MERGE', new Set(['INTO', 'USING'])],
    ['CREATE', new Set([...objects, 'USER', 'ROLE'])],
    ['DROP', new Set([...objects, 'USER', 'ROLE'])],
    ['ALTER', new Set([...objects, 'USER', 'ROLE'])],
    ['TRUNCATE', new Set(['TABLE'])],
  ]);
})();
/** Keywords after which a substitution is a table or schema name: assumed chosen by the code, not by the user. */
const SQL_IDENTIFIER_KEYWORDS: ReadonlySet<string> = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE']);
const NUMERIC_FUNCTIONS: ReadonlySet<string> = new Set(['Number', 'parseInt', 'parseFloat', 'BigInt']);
const NUMERIC_METHODS: ReadonlySet<string> = new Set(['toFixed', 'toPrecision', 'getTime', 'valueOf']);

interface Binding {
  /** The declaring node; undefined when the name is declared twice in one scope (then nothing is assumed). */
  readonly declaration: Node | undefined;
  /** `name = initializer` of a variable declaration. */
  readonly initializer: Expression | undefined;
  /** A `const` declaration: the initializer is the value for good. */
  readonly constant: boolean;
}

interface Member {
  readonly receiver: Expression;
  readonly name: string;
}

/** SQL text of a query argument: its literal parts and whether a dynamic part could carry user input. */
interface SqlText {
  literal: string;
  unsafe: boolean;
  /** The previous substitution was a table name: `${schema}.${table}` keeps the second one in name position. */
  afterIdentifier: boolean;
}

class JavaScriptScanner {
  private readonly ts: Ts;
  private readonly sourceFile: TypeScript.SourceFile;
  /** Lexical scopes: scope-creating node -> declared names. */
  private readonly scopes = new Map<Node, Map<string, Binding>>();
  /** `name += expression` per binding, for SQL assembled over several statements. */
  private readonly appends = new Map<Binding, Expression[]>();
  /** Memoised constant folding (null = not a constant). */
  private readonly constants = new Map<Node, string | null>();
  private readonly folding = new Set<Node>();
  private readonly findings: SecurityFinding[] = [];
  private readonly reported = new Set<string>();

  constructor(tree: TypeScriptTree) {
    this.ts = tree.ts;
    this.sourceFile = tree.sourceFile;
  }

  scan(): SecurityFinding[] {
    const { candidates, appendNodes } = this.collect();
    for (const append of appendNodes) {
      if (!this.ts.isIdentifier(append.left)) continue;
      const binding = this.resolve(append.left);
      if (binding === undefined) continue;
      const list = this.appends.get(binding) ?? [];
      list.push(append.right);
      this.appends.set(binding, list);
    }
    for (const node of candidates) this.check(node);
    return this.findings.sort(
      (left, right) => left.line - right.line || left.column - right.column || left.ruleId.localeCompare(right.ruleId),
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pass 1: scopes and candidate sinks.

  private collect(): { candidates: Node[]; appendNodes: TypeScript.BinaryExpression[] } {
    const { ts } = this;
    const candidates: Node[] = [];
    const appendNodes: TypeScript.BinaryExpression[] = [];
    const stack: Node[] = [this.sourceFile];
    const push = (child: Node): undefined => {
      stack.push(child);
      return undefined;
    };
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        candidates.push(node);
      } else if (ts.isBinaryExpression(node)) {
        const operator = node.operatorToken.kind;
        if (operator === ts.SyntaxKind.PlusEqualsToken && ts.isIdentifier(node.left)) appendNodes.push(node);
        if (this.isAssignmentOperator(operator) && !ts.isIdentifier(node.left)) candidates.push(node);
      } else if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isJsxAttribute(node)) {
        candidates.push(node);
      } else {
        this.declare(node);
      }
      ts.forEachChild(node, push);
    }
    return { candidates, appendNodes };
  }

  private isAssignmentOperator(kind: TypeScript.SyntaxKind): boolean {
    const { SyntaxKind } = this.ts;
    return (
      kind === SyntaxKind.EqualsToken ||
      kind === SyntaxKind.PlusEqualsToken ||
      kind === SyntaxKind.BarBarEqualsToken ||
      kind === SyntaxKind.QuestionQuestionEqualsToken
    );
  }

  /** Records the names a declaration node binds in its scope. */
  private declare(node: Node): void {
    const { ts } = this;
    if (ts.isVariableDeclaration(node)) {
      const parent = node.parent;
      if (ts.isCatchClause(parent)) {
        this.bindName(node.name, parent, undefined, false, node);
        return;
      }
      const blockScoped = (parent.flags & ts.NodeFlags.BlockScoped) !== 0;
      const constant = (parent.flags & ts.NodeFlags.Const) !== 0;
      this.bindName(node.name, this.scopeOf(parent, !blockScoped), node.initializer, constant, node);
    } else if (ts.isParameter(node)) {
      this.bindName(node.name, node.parent, undefined, false, node);
    } else if (ts.isFunctionExpression(node) || ts.isClassExpression(node)) {
      if (node.name !== undefined) this.bindName(node.name, node, undefined, false, node);
    } else if (
      ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isEnumDeclaration(node) ||
      ts.isModuleDeclaration(node)
    ) {
      if (node.name !== undefined && ts.isIdentifier(node.name)) {
        this.bindName(node.name, this.scopeOf(node, false), undefined, false, node);
      }
    } else if (ts.isImportClause(node)) {
      if (node.name !== undefined && !node.isTypeOnly) {
        this.bindName(node.name, this.scopeOf(node, false), undefined, true, node);
      }
    } else if (ts.isImportSpecifier(node) || ts.isImportEqualsDeclaration(node)) {
      if (!node.isTypeOnly) this.bindName(node.name, this.scopeOf(node, false), undefined, true, node);
    } else if (ts.isNamespaceImport(node)) {
      if (!node.parent.isTypeOnly) this.bindName(node.name, this.scopeOf(node, false), undefined, true, node);
    }
  }

  /** Binds an identifier or every identifier of a destructuring pattern (elements are bound to the BindingElement). */
  private bindName(
    name: TypeScript.BindingName,
    scope: Node,
    initializer: Expression | undefined,
    constant: boolean,
    declaration: Node,
  ): void {
    const { ts } = this;
    if (ts.isIdentifier(name)) {
      this.addBinding(scope, name.text, { declaration, initializer, constant });
      return;
    }
    const patterns: TypeScript.BindingPattern[] = [name];
    for (let pattern = patterns.pop(); pattern !== undefined; pattern = patterns.pop()) {
      for (const element of pattern.elements) {
        if (!ts.isBindingElement(element)) continue;
        if (ts.isIdentifier(element.name)) {
          this.addBinding(scope, element.name.text, { declaration: element, initializer: undefined, constant });
        } else {
          patterns.push(element.name);
        }
      }
    }
  }

  private addBinding(scope: Node, name: string, binding: Binding): void {
    let names = this.scopes.get(scope);
    if (names === undefined) {
      names = new Map();
      this.scopes.set(scope, names);
    }
    names.set(name, names.has(name) ? { declaration: undefined, initializer: undefined, constant: false } : binding);
  }

  /** The nearest enclosing scope of `node` (a function scope for `var`). */
  private scopeOf(node: Node, functionScope: boolean): Node {
    const { ts } = this;
    let current = node.parent;
    while (!ts.isSourceFile(current)) {
      if (ts.isFunctionLike(current) || ts.isModuleBlock(current) || ts.isClassStaticBlockDeclaration(current)) {
        return current;
      }
      if (
        !functionScope &&
        (ts.isBlock(current) ||
          ts.isCaseBlock(current) ||
          ts.isForStatement(current) ||
          ts.isForInStatement(current) ||
          ts.isForOfStatement(current) ||
          ts.isCatchClause(current))
      ) {
        return current;
      }
      current = current.parent;
    }
    return current;
  }

  /** The binding an identifier refers to, or undefined for a global (or undeclared) name. */
  private resolve(identifier: TypeScript.Identifier): Binding | undefined {
    const name = identifier.text;
    for (let node: Node | undefined = identifier.parent; node !== undefined; node = node.parent) {
      const binding = this.scopes.get(node)?.get(name);
      if (binding !== undefined) return binding;
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Expression helpers.

  /** Strips parentheses and type-only wrappers (`as`, `!`, `satisfies`, `<T>x`), and `await` when asked. */
  private unwrap(expression: Expression, throughAwait = false): Expression {
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
  private plusOperands(expression: Expression): Expression[] {
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
  private constant(expression: Expression, depth = 0): string | undefined {
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

  private isLiteral(expression: Expression): boolean {
    return this.constant(expression) !== undefined;
  }

  /** `receiver.name` or `receiver["na" + "me"]`. */
  private member(expression: Expression): Member | undefined {
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
  private calleeName(expression: Expression): string | undefined {
    const node = this.unwrap(expression);
    return this.ts.isIdentifier(node) ? node.text : this.member(node)?.name;
  }

  private propertyNameText(name: TypeScript.PropertyName | TypeScript.JsxAttributeName): string | undefined {
    const { ts } = this;
    if (ts.isComputedPropertyName(name)) return this.constant(name.expression);
    if (ts.isJsxNamespacedName(name)) return undefined;
    return name.text;
  }

  /** `eval`/`Function` itself: the bare global, `globalThis["ev" + "al"]`, `(0, eval)`, or a name bound to one. */
  private isGlobal(expression: Expression, name: string, depth = 0): boolean {
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

  /** The module specifier of an import binding's declaration. */
  private importedModule(declaration: Node): string | undefined {
    const { ts } = this;
    let node: Node = declaration;
    while (!ts.isImportDeclaration(node)) {
      if (ts.isImportEqualsDeclaration(node)) {
        const reference = node.moduleReference;
        return ts.isExternalModuleReference(reference) ? this.constant(reference.expression) : undefined;
      }
      if (ts.isSourceFile(node)) return undefined;
      node = node.parent;
    }
    return this.constant(node.moduleSpecifier);
  }

  /** Whether the expression is the module object of one of `modules`: `require('m')`, `await import('m')`, or a name
   * bound by `import m from`, `import * as m from`, `import m = require()` or `const m = require()`. */
  private isModule(expression: Expression, modules: ReadonlySet<string>, depth: number): boolean {
    const { ts } = this;
    const node = this.unwrap(expression, true);
    if (ts.isCallExpression(node)) {
      const callee = this.unwrap(node.expression);
      const loads =
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === 'require') ||
        this.member(callee)?.name === 'require';
      const specifier = node.arguments[0];
      if (!loads || specifier === undefined) return false;
      const value = this.constant(specifier);
      return value !== undefined && modules.has(value);
    }
    if (!ts.isIdentifier(node) || depth > MAX_DEPTH) return false;
    const binding = this.resolve(node);
    const declaration = binding?.declaration;
    if (declaration === undefined) return false;
    if (
      ts.isImportClause(declaration) ||
      ts.isNamespaceImport(declaration) ||
      ts.isImportEqualsDeclaration(declaration)
    ) {
      return modules.has(this.importedModule(declaration) ?? '');
    }
    return (
      ts.isVariableDeclaration(declaration) &&
      binding?.initializer !== undefined &&
      this.isModule(binding.initializer, modules, depth + 1)
    );
  }

  /** The exported name of one of `modules` that the expression refers to: `cp.exec`, `require('cp').exec`, a named
   * import, a destructured require, an alias `const run = cp.exec`, or `promisify(exec)`. */
  private moduleMember(expression: Expression, modules: ReadonlySet<string>, depth = 0): string | undefined {
    const { ts } = this;
    if (depth > MAX_DEPTH) return undefined;
    const node = this.unwrap(expression);
    if (ts.isIdentifier(node)) {
      const binding = this.resolve(node);
      const declaration = binding?.declaration;
      if (binding === undefined || declaration === undefined) return undefined;
      if (ts.isImportSpecifier(declaration)) {
        return modules.has(this.importedModule(declaration) ?? '')
          ? (declaration.propertyName ?? declaration.name).text
          : undefined;
      }
      if (ts.isBindingElement(declaration)) {
        const pattern = declaration.parent;
        const holder = pattern.parent;
        if (!ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(holder)) return undefined;
        if (holder.initializer === undefined || !this.isModule(holder.initializer, modules, depth + 1))
          return undefined;
        return this.propertyNameText(declaration.propertyName ?? node);
      }
      if (ts.isVariableDeclaration(declaration) && binding.initializer !== undefined) {
        return this.moduleMember(binding.initializer, modules, depth + 1);
      }
      return undefined;
    }
    const member = this.member(node);
    if (member !== undefined) return this.isModule(member.receiver, modules, depth + 1) ? member.name : undefined;
    if (ts.isCallExpression(node) && node.arguments.length === 1 && this.calleeName(node.expression) === 'promisify') {
      const argument = node.arguments[0];
      return argument === undefined ? undefined : this.moduleMember(argument, modules, depth + 1);
    }
    return undefined;
  }

  /** Numbers cannot carry markup or SQL: numeric literals, arithmetic, `Number(x)`, `parseInt(x)`, `x.length`. */
  private isNumeric(expression: Expression): boolean {
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

  /** A callback that never reads its first parameter (`() => '?'`, `(_, i) => '$' + (i + 1)`): it maps values to
   * placeholders, not to SQL. */
  private ignoresFirstParameter(expression: Expression | undefined): boolean {
    const { ts } = this;
    if (expression === undefined) return false;
    const callback = this.unwrap(expression);
    if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) return false;
    const first = callback.parameters[0];
    if (first === undefined) return true;
    if (!ts.isIdentifier(first.name)) return false;
    const name = first.name.text;
    const stack: Node[] = [callback.body];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (ts.isIdentifier(node) && node.text === name) return false;
      ts.forEachChild(node, (child) => {
        stack.push(child);
      });
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pass 2: the rules.

  private check(node: Node): void {
    const { ts } = this;
    if (ts.isCallExpression(node)) {
      this.checkEval(node, node.arguments);
      const shell = this.checkShell(node);
      if (!shell) this.checkSql(node);
      this.checkHtmlCall(node);
    } else if (ts.isNewExpression(node)) {
      this.checkEval(node, node.arguments ?? []);
    } else if (ts.isBinaryExpression(node)) {
      this.checkAssignment(node);
    } else if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      this.checkProperty(node);
    } else if (ts.isJsxAttribute(node)) {
      this.checkJsxAttribute(node);
    }
  }

  private report(ruleId: JavaScriptRuleId, node: Node, severity: Severity = ruleSeverity(ruleId)): void {
    const start = node.getStart(this.sourceFile);
    const key = `${ruleId}@${start}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const { line, character } = this.sourceFile.getLineAndCharacterOfPosition(start);
    this.findings.push({ ruleId, severity, line: line + 1, column: character + 1 });
  }

  /** js/eval: eval, the Function constructor and vm with code that is not a literal. */
  private checkEval(
    node: TypeScript.CallExpression | TypeScript.NewExpression,
    args: TypeScript.NodeArray<Expression> | readonly Expression[],
  ): void {
    const { ts } = this;
    const isCall = ts.isCallExpression(node);
    const callee = node.expression;
    const nonLiteral = (argument: Expression | undefined): boolean =>
      argument !== undefined && !this.isLiteral(argument);
    if (isCall && this.isGlobal(callee, 'eval')) {
      if (nonLiteral(args[0])) this.report('js/eval', node);
      return;
    }
    if (this.isGlobal(callee, 'Function')) {
      // With declared parameters (`new Function('a', 'b', body)`, zod's and ajv's compilers) the code is generated
      // into a function that sees only what it is passed: code generation, medium. A lone body is eval: high.
      if (args.some(nonLiteral)) this.report('js/eval', node, args.length >= 2 ? 'medium' : ruleSeverity('js/eval'));
      return;
    }
    const member = this.member(callee);
    if (isCall && member !== undefined && (member.name === 'call' || member.name === 'apply')) {
      // eval.call(thisArg, code) / eval.apply(thisArg, [code]); Function.call(thisArg, ...params, body).
      const rest = member.name === 'call' ? args.slice(1) : this.spreadArguments(args[1]);
      if (this.isGlobal(member.receiver, 'eval') && (rest === undefined || nonLiteral(rest[0]))) {
        this.report('js/eval', node);
      } else if (this.isGlobal(member.receiver, 'Function') && (rest === undefined || rest.some(nonLiteral))) {
        this.report('js/eval', node);
      }
      return;
    }
    const vmName = this.vmExport(callee);
    if (vmName === undefined) return;
    const runsCode = isCall ? VM_CODE_FUNCTIONS.has(vmName) : vmName === 'Script';
    if (runsCode && nonLiteral(args[0])) this.report('js/eval', node);
  }

  /** The elements of an `apply` argument array, or undefined when it is not an array literal. */
  private spreadArguments(argument: Expression | undefined): Expression[] | undefined {
    if (argument === undefined) return [];
    const node = this.unwrap(argument);
    if (!this.ts.isArrayLiteralExpression(node)) return undefined;
    return [...node.elements];
  }

  /** A `vm` export: from the vm module, or `vm.x` on an undeclared `vm` (a declared `vm` is often a view model). */
  private vmExport(callee: Expression): string | undefined {
    const name = this.moduleMember(callee, VM_MODULES);
    if (name !== undefined) return name;
    const member = this.member(callee);
    if (member === undefined) return undefined;
    const receiver = this.unwrap(member.receiver);
    return this.ts.isIdentifier(receiver) && receiver.text === 'vm' && this.resolve(receiver) === undefined
      ? member.name
      : undefined;
  }

  /** js/shell-exec; returns whether the call is a child_process function (so it is not also read as SQL). */
  private checkShell(node: TypeScript.CallExpression): boolean {
    const name = this.moduleMember(node.expression, CHILD_PROCESS_MODULES);
    if (name === undefined) return false;
    const [command, ...rest] = node.arguments;
    if (command === undefined || this.isLiteral(command)) return true;
    if (SHELL_FUNCTIONS.has(name) || (SPAWN_FUNCTIONS.has(name) && rest.some((option) => this.enablesShell(option)))) {
      this.report('js/shell-exec', node);
    }
    return true;
  }

  /** An options object (literal, or a `const` bound to one) with `shell: true` or a shell path. */
  private enablesShell(expression: Expression, depth = 0): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (ts.isIdentifier(node)) {
      const binding = this.resolve(node);
      return (
        depth < MAX_DEPTH &&
        binding?.constant === true &&
        binding.initializer !== undefined &&
        this.enablesShell(binding.initializer, depth + 1)
      );
    }
    if (!ts.isObjectLiteralExpression(node)) return false;
    return node.properties.some(
      (property) =>
        ts.isPropertyAssignment(property) &&
        this.propertyNameText(property.name) === 'shell' &&
        this.isTruthyLiteral(property.initializer),
    );
  }

  private isTruthyLiteral(expression: Expression): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text.length > 0;
    if (ts.isNumericLiteral(node)) return Number(node.text) !== 0;
    // Minified `!0`.
    return (
      ts.isPrefixUnaryExpression(node) &&
      node.operator === ts.SyntaxKind.ExclamationToken &&
      this.isFalseLiteral(node.operand, MAX_DEPTH)
    );
  }

  /** `false`, minified `!1`/`!0`-style negations, or a `const` bound to one. */
  private isFalseLiteral(expression: Expression, depth = 0): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (node.kind === ts.SyntaxKind.FalseKeyword) return true;
    if (ts.isNumericLiteral(node)) return Number(node.text) === 0;
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      const operand = this.unwrap(node.operand);
      return operand.kind === ts.SyntaxKind.TrueKeyword || (ts.isNumericLiteral(operand) && Number(operand.text) !== 0);
    }
    if (ts.isIdentifier(node) && depth < MAX_DEPTH) {
      const binding = this.resolve(node);
      return (
        binding?.constant === true &&
        binding.initializer !== undefined &&
        this.isFalseLiteral(binding.initializer, depth + 1)
      );
    }
    return false;
  }

  /** js/sql-concat: a query method whose SQL text interpolates a value. */
  private checkSql(node: TypeScript.CallExpression): void {
    const { ts } = this;
    const callee = this.unwrap(node.expression);
    const isSink = ts.isIdentifier(callee)
      ? SQL_FUNCTIONS.has(callee.text)
      : SQL_METHODS.has(this.member(callee)?.name ?? '');
    const first = node.arguments[0];
    if (!isSink || first === undefined) return;
    let argument = this.unwrap(first);
    // pg's query config: client.query({ text, values }).
    if (ts.isObjectLiteralExpression(argument)) {
      const property = argument.properties.find(
        (candidate): candidate is TypeScript.PropertyAssignment =>
          ts.isPropertyAssignment(candidate) && ['text', 'sql'].includes(this.propertyNameText(candidate.name) ?? ''),
      );
      if (property === undefined) return;
      argument = property.initializer;
    }
    const sql: SqlText = { literal: '', unsafe: false, afterIdentifier: false };
    if (!this.collectSql(argument, sql, 0)) return;
    if (sql.unsafe && looksLikeSql(sql.literal)) this.report('js/sql-concat', node);
  }

  /** Appends SQL text built from `expression` to `sql`; false when the expression is not built SQL (a plain name,
   * a call, a tagged template) and nothing can be said. */
  private collectSql(expression: Expression, sql: SqlText, depth: number): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (ts.isIdentifier(node)) {
      // `const sql = 'SELECT ...' + id; db.query(sql)`, and `sql += ' AND x = ' + y` after it.
      const binding = this.resolve(node);
      const declaration = binding?.declaration;
      if (binding === undefined || declaration === undefined || depth > 4) return false;
      if (!ts.isVariableDeclaration(declaration) || binding.initializer === undefined) return false;
      if (!this.collectSql(binding.initializer, sql, depth + 1)) {
        if (!this.isLiteral(binding.initializer)) return false;
        this.appendLiteral(sql, this.constant(binding.initializer) ?? '');
      }
      for (const appended of this.appends.get(binding) ?? []) this.collectSqlParts(appended, sql);
      return true;
    }
    const isBinaryPlus = ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken;
    if (!isBinaryPlus && !ts.isTemplateExpression(node)) return false;
    this.collectSqlParts(node, sql);
    return true;
  }

  private collectSqlParts(expression: Expression, sql: SqlText): void {
    const { ts } = this;
    for (const operand of this.plusOperands(expression)) {
      const value = this.constant(operand);
      if (value !== undefined) {
        this.appendLiteral(sql, value);
      } else if (ts.isTemplateExpression(operand)) {
        this.appendLiteral(sql, operand.head.text);
        for (const span of operand.templateSpans) {
          const part = this.constant(span.expression);
          if (part === undefined) this.appendDynamic(sql, span.expression);
          else this.appendLiteral(sql, part);
          this.appendLiteral(sql, span.literal.text);
        }
      } else {
        this.appendDynamic(sql, operand);
      }
    }
  }

  private appendLiteral(sql: SqlText, text: string): void {
    if (sql.afterIdentifier && text.replace(/["`\]\s]/g, '') !== '.') sql.afterIdentifier = false;
    sql.literal += text;
  }

  private appendDynamic(sql: SqlText, expression: Expression): void {
    const identifierPosition = sql.afterIdentifier || SQL_IDENTIFIER_KEYWORDS.has(lastWord(sql.literal));
    if (!identifierPosition && !this.isSafeSqlValue(expression, 0)) sql.unsafe = true;
    sql.afterIdentifier = identifierPosition;
    sql.literal += ' ? ';
  }

  /** Values that cannot inject SQL: literals, numbers, escaping calls and placeholder lists. */
  private isSafeSqlValue(expression: Expression, depth: number): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (depth > MAX_DEPTH) return false;
    if (this.isLiteral(node) || this.isNumeric(node)) return true;
    if (ts.isIdentifier(node)) {
      const binding = this.resolve(node);
      return (
        binding?.constant === true &&
        binding.initializer !== undefined &&
        this.isSafeSqlValue(binding.initializer, depth + 1)
      );
    }
    if (ts.isConditionalExpression(node)) {
      return this.isSafeSqlValue(node.whenTrue, depth + 1) && this.isSafeSqlValue(node.whenFalse, depth + 1);
    }
    if (ts.isTemplateExpression(node)) {
      return node.templateSpans.every((span) => this.isSafeSqlValue(span.expression, depth + 1));
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return this.plusOperands(node).every((operand) => this.isSafeSqlValue(operand, depth + 1));
    }
    if (!ts.isCallExpression(node)) return false;
    const name = this.calleeName(node.expression) ?? '';
    if (/escape|quote/i.test(name)) return true;
    const member = this.member(node.expression);
    if (member === undefined) return false;
    // '?'.repeat(n), ids.map(() => '?').join(', '), Array(n).fill('?').join(',').
    if (member.name === 'repeat') return this.isLiteral(member.receiver);
    if (member.name !== 'join') return false;
    const source = this.unwrap(member.receiver);
    if (!ts.isCallExpression(source)) return false;
    const sourceName = this.member(source.expression)?.name;
    if (sourceName === 'map') return this.ignoresFirstParameter(source.arguments[0]);
    const filler = source.arguments[0];
    return sourceName === 'fill' && filler !== undefined && this.isLiteral(filler);
  }

  /** js/html-injection (calls): insertAdjacentHTML and document.write/writeln. */
  private checkHtmlCall(node: TypeScript.CallExpression): void {
    const member = this.member(node.expression);
    if (member === undefined) return;
    if (member.name === 'insertAdjacentHTML') {
      const html = node.arguments[1];
      if (html !== undefined && !this.isSafeHtml(html, 0)) this.report('js/html-injection', node);
    } else if ((member.name === 'write' || member.name === 'writeln') && this.isDocument(member.receiver)) {
      if (node.arguments.some((html) => !this.isSafeHtml(html, 0))) this.report('js/html-injection', node);
    }
  }

  /** `document`, `window.document`, `iframe.contentDocument`, `el.ownerDocument` or a `const` bound to one — not
   * `res.write` or a stream. */
  private isDocument(expression: Expression, depth = 0): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (ts.isIdentifier(node)) {
      const binding = this.resolve(node);
      if (binding === undefined) return node.text === 'document';
      return (
        depth < MAX_DEPTH &&
        binding.constant &&
        binding.initializer !== undefined &&
        this.isDocument(binding.initializer, depth + 1)
      );
    }
    const name = this.member(node)?.name;
    return name === 'document' || name === 'contentDocument' || name === 'ownerDocument';
  }

  /** Markup that needs no sanitising: literals, numbers, sanitiser/escaper output, HTML copied from another element. */
  private isSafeHtml(expression: Expression, depth: number): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (depth > MAX_DEPTH) return false;
    if (this.isLiteral(node) || this.isNumeric(node)) return true;
    if (ts.isIdentifier(node)) {
      const binding = this.resolve(node);
      return (
        binding?.constant === true &&
        binding.initializer !== undefined &&
        this.isSafeHtml(binding.initializer, depth + 1)
      );
    }
    if (ts.isConditionalExpression(node)) {
      return this.isSafeHtml(node.whenTrue, depth + 1) && this.isSafeHtml(node.whenFalse, depth + 1);
    }
    if (ts.isTemplateExpression(node)) {
      return node.templateSpans.every((span) => this.isSafeHtml(span.expression, depth + 1));
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return this.plusOperands(node).every((operand) => this.isSafeHtml(operand, depth + 1));
    }
    if (ts.isCallExpression(node)) {
      return /saniti[sz]|escape|purify|encode|createHTML/i.test(this.calleeName(node.expression) ?? '');
    }
    // A tagged template without substitutions (html`<hr>`) is static markup whatever the tag does.
    if (ts.isTaggedTemplateExpression(node)) return ts.isNoSubstitutionTemplateLiteral(node.template);
    const name = this.member(node)?.name;
    return name === 'innerHTML' || name === 'outerHTML';
  }

  /** Assignments: `el.innerHTML = x`, `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'`, `o.rejectUnauthorized = false`. */
  private checkAssignment(node: TypeScript.BinaryExpression): void {
    const name = this.member(node.left)?.name;
    if (name === undefined) return;
    const isPlainAssignment = node.operatorToken.kind !== this.ts.SyntaxKind.PlusEqualsToken;
    if (name === 'innerHTML' || name === 'outerHTML') {
      if (!this.isSafeHtml(node.right, 0)) this.report('js/html-injection', node);
    } else if (name === 'NODE_TLS_REJECT_UNAUTHORIZED' && isPlainAssignment) {
      if (this.constant(node.right) === '0') this.report('js/tls-disabled', node);
    } else if (name === 'rejectUnauthorized' && isPlainAssignment) {
      if (this.isFalseLiteral(node.right)) this.report('js/tls-disabled', node);
    }
  }

  /** Object literal properties: `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED: '0'` (a child's env),
   * `dangerouslySetInnerHTML: { __html: x }` (React.createElement props). */
  private checkProperty(node: TypeScript.PropertyAssignment | TypeScript.ShorthandPropertyAssignment): void {
    const { ts } = this;
    const name = this.propertyNameText(node.name);
    const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
    if (name === 'rejectUnauthorized') {
      if (this.isFalseLiteral(value)) this.report('js/tls-disabled', node);
    } else if (name === 'NODE_TLS_REJECT_UNAUTHORIZED') {
      if (this.constant(value) === '0') this.report('js/tls-disabled', node);
    } else if (name === 'dangerouslySetInnerHTML' && ts.isPropertyAssignment(node)) {
      if (this.hasUnsafeInnerHtml(value)) this.report('js/html-injection', node);
    }
  }

  private checkJsxAttribute(node: TypeScript.JsxAttribute): void {
    const { ts } = this;
    if (this.propertyNameText(node.name) !== 'dangerouslySetInnerHTML') return;
    const initializer = node.initializer;
    if (initializer === undefined || !ts.isJsxExpression(initializer) || initializer.expression === undefined) return;
    if (this.hasUnsafeInnerHtml(initializer.expression)) this.report('js/html-injection', node);
  }

  /** `{ __html: value }` (or a `const` bound to it) whose value is not safe markup. */
  private hasUnsafeInnerHtml(expression: Expression, depth = 0): boolean {
    const { ts } = this;
    const node = this.unwrap(expression);
    if (ts.isIdentifier(node)) {
      const binding = this.resolve(node);
      return (
        depth < MAX_DEPTH &&
        binding?.constant === true &&
        binding.initializer !== undefined &&
        this.hasUnsafeInnerHtml(binding.initializer, depth + 1)
      );
    }
    if (!ts.isObjectLiteralExpression(node)) return false;
    return node.properties.some((property) => {
      if (ts.isShorthandPropertyAssignment(property)) {
        return property.name.text === '__html' && !this.isSafeHtml(property.name, 0);
      }
      return (
        ts.isPropertyAssignment(property) &&
        this.propertyNameText(property.name) === '__html' &&
        !this.isSafeHtml(property.initializer, 0)
      );
    });
  }
}

/** The last word of `text`, upper-cased (a backward scan: no regex over the whole literal). Quotes and brackets
 * right before the substitution (`FROM "${table}"`, `FROM [${table}]`) are skipped. */
function lastWord(text: string): string {
  let end = text.length;
  while (end > 0 && ' \t\r\n"`['.includes(text.charAt(end - 1))) end -= 1;
  let start = end;
  while (start > 0 && isWordCharacter(text.charCodeAt(start - 1))) start -= 1;
  return text.slice(start, end).toUpperCase();
}

function isWordCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 // _
  );
}

/** Whether the literal parts read as SQL: a statement keyword followed later by one of its clause keywords
 * (`SELECT … FROM`, `UPDATE … SET`, `INSERT … INTO`). One linear pass over the words. */
function looksLikeSql(text: string): boolean {
  const expected = new Set<string>();
  let index = 0;
  while (index < text.length) {
    while (index < text.length && !isWordCharacter(text.charCodeAt(index))) index += 1;
    const start = index;
    while (index < text.length && isWordCharacter(text.charCodeAt(index))) index += 1;
    if (index === start || index - start > 9) continue;
    const word = text.slice(start, index).toUpperCase();
    if (expected.has(word)) return true;
    const clauses = SQL_STATEMENTS.get(word);
    if (clauses !== undefined) for (const clause of clauses) expected.add(clause);
  }
  return false;
}

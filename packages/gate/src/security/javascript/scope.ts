// Scanner state, finding reports and pass 1 of the JavaScript scanner: lexical scopes, bindings and candidate sinks.
import type { TypeScript } from '@kode/lang';
import { ruleSeverity } from '../catalog.js';
import type { SecurityFinding, Severity } from '../types.js';
import type { Binding, Expression, JavaScriptRuleId, Node, Ts, TypeScriptTree } from './model.js';

export class JavaScriptScope {
  protected readonly ts: Ts;
  private readonly sourceFile: TypeScript.SourceFile;
  /** Lexical scopes: scope-creating node -> declared names. */
  private readonly scopes = new Map<Node, Map<string, Binding>>();
  /** `name += expression` per binding, for SQL assembled over several statements. */
  protected readonly appends = new Map<Binding, Expression[]>();
  /** Memoised constant folding (null = not a constant). */
  protected readonly constants = new Map<Node, string | null>();
  protected readonly folding = new Set<Node>();
  protected readonly findings: SecurityFinding[] = [];
  private readonly reported = new Set<string>();

  constructor(tree: TypeScriptTree) {
    this.ts = tree.ts;
    this.sourceFile = tree.sourceFile;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pass 1: scopes and candidate sinks.

  protected collect(): { candidates: Node[]; appendNodes: TypeScript.BinaryExpression[] } {
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
  protected resolve(identifier: TypeScript.Identifier): Binding | undefined {
    const name = identifier.text;
    for (let node: Node | undefined = identifier.parent; node !== undefined; node = node.parent) {
      const binding = this.scopes.get(node)?.get(name);
      if (binding !== undefined) return binding;
    }
    return undefined;
  }

  protected report(ruleId: JavaScriptRuleId, node: Node, severity: Severity = ruleSeverity(ruleId)): void {
    const start = node.getStart(this.sourceFile);
    const key = `${ruleId}@${start}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const { line, character } = this.sourceFile.getLineAndCharacterOfPosition(start);
    this.findings.push({ ruleId, severity, line: line + 1, column: character + 1 });
  }
}

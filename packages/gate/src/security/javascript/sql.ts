// Rule js/sql-concat: query sinks and the SQL text built for them from literals, templates and `+=` appends.
import type { TypeScript } from '@kode/lang';
import { JavaScriptCodeExecution } from './code-execution.js';
import type { Expression, Node, SqlText } from './model.js';
import { lastWord, looksLikeSql, SQL_IDENTIFIER_KEYWORDS } from './sql-text.js';

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

export class JavaScriptSql extends JavaScriptCodeExecution {
  /** js/sql-concat: a query method whose SQL text interpolates a value. */
  protected checkSql(node: TypeScript.CallExpression): void {
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
    return this.isSafeComposite(expression, depth, (node) => this.isSafeSqlLeaf(node));
  }

  private isSafeSqlLeaf(node: Expression): boolean {
    const { ts } = this;
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
}

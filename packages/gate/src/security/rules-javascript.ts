// Dangerous-code rules of the security gate for TypeScript and JavaScript (SPEC §4.10): eval and the Function
// constructor, child_process shells, SQL built by concatenation, disabled TLS verification and HTML sinks.
// Precision first: a finding needs a recognised sink AND input that is not a literal. The walk is iterative, every
// helper is depth-bounded and memoised, so a 1 MB minified line or a 100k-term `+` chain scans in linear time.
import type { SyntaxTree } from '@kode/lang';
import { JavaScriptHtmlTls } from './javascript/html-tls.js';
import type { Node } from './javascript/model.js';
import type { SecurityFinding } from './types.js';

/** Dangerous-code findings in one TS/JS file (rules js/eval, js/shell-exec, js/sql-concat, js/tls-disabled, js/html-injection). */
export function scanJavaScript(tree: Extract<SyntaxTree, { kind: 'typescript' }>): SecurityFinding[] {
  return new JavaScriptScanner(tree).scan();
}

class JavaScriptScanner extends JavaScriptHtmlTls {
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
}

// Rules js/html-injection and js/tls-disabled: HTML sinks and safe markup, TLS options in assignments and properties.
import type { TypeScript } from '@kode/lang';
import { MAX_DEPTH } from './model.js';
import type { Expression } from './model.js';
import { JavaScriptSql } from './sql.js';

export class JavaScriptHtmlTls extends JavaScriptSql {
  /** js/html-injection (calls): insertAdjacentHTML and document.write/writeln. */
  protected checkHtmlCall(node: TypeScript.CallExpression): void {
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
    return this.isSafeComposite(expression, depth, (node) => this.isSafeHtmlLeaf(node));
  }

  private isSafeHtmlLeaf(node: Expression): boolean {
    const { ts } = this;
    if (ts.isCallExpression(node)) {
      return /saniti[sz]|escape|purify|encode|createHTML/i.test(this.calleeName(node.expression) ?? '');
    }
    // A tagged template without substitutions (html`<hr>`) is static markup whatever the tag does.
    if (ts.isTaggedTemplateExpression(node)) return ts.isNoSubstitutionTemplateLiteral(node.template);
    const name = this.member(node)?.name;
    return name === 'innerHTML' || name === 'outerHTML';
  }

  /** Assignments: `el.innerHTML = x`, `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'`, `o.rejectUnauthorized = false`. */
  protected checkAssignment(node: TypeScript.BinaryExpression): void {
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
  protected checkProperty(node: TypeScript.PropertyAssignment | TypeScript.ShorthandPropertyAssignment): void {
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

  protected checkJsxAttribute(node: TypeScript.JsxAttribute): void {
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
      const initializer = this.constantInitializer(node);
      return depth < MAX_DEPTH && initializer !== undefined && this.hasUnsafeInnerHtml(initializer, depth + 1);
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

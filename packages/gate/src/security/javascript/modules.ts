// Module resolution of the JavaScript scanner: the imported module, or the export of one, that an expression denotes.
import { MAX_DEPTH } from './model.js';
import type { Expression, Node } from './model.js';
import { JavaScriptExpressions } from './expressions.js';

export class JavaScriptModules extends JavaScriptExpressions {
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
  protected moduleMember(expression: Expression, modules: ReadonlySet<string>, depth = 0): string | undefined {
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
}

// Rules js/eval and js/shell-exec (eval, Function, vm, child_process shells) and the truthy/false literal tests.
import type { TypeScript } from '@kode/lang';
import { ruleSeverity } from '../catalog.js';
import { MAX_DEPTH } from './model.js';
import type { Expression } from './model.js';
import { JavaScriptModules } from './modules.js';

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

export class JavaScriptCodeExecution extends JavaScriptModules {
  /** js/eval: eval, the Function constructor and vm with code that is not a literal. */
  protected checkEval(
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
  protected checkShell(node: TypeScript.CallExpression): boolean {
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
      const initializer = this.constantInitializer(node);
      return depth < MAX_DEPTH && initializer !== undefined && this.enablesShell(initializer, depth + 1);
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
  protected isFalseLiteral(expression: Expression, depth = 0): boolean {
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
}

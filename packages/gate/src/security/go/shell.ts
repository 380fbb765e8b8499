// go/shell-exec: `exec.Command("sh", "-c", <non-literal>)` and its CommandContext, aliased and dot-imported forms.
import type { SyntaxNode } from '@kode/lang';
import { report } from './context.js';
import type { Context, TreeCursor } from './context.js';
import { commandBaseName, isCommandFlag, shellKindOf } from '../command-text.js';
import { forEachArgument, typeAt } from './cursor.js';
import { literalValue } from './literals.js';

/**
 * `exec.Command("sh", "-c", <non-literal>)`, `exec.CommandContext(ctx, "bash", "-c", ..)`, aliased or dot-imported;
 * the cursor is on the call.
 */
export function checkCommand(
  context: Context,
  call: TreeCursor,
  name: string,
  operand: string,
  scope: SyntaxNode,
): void {
  const imports = context.imports;
  if (operand === '' ? !imports.execDot : !imports.exec.has(operand)) return;
  const skip = name === 'CommandContext' ? 1 : 0;
  const values: (string | undefined)[] = [];
  forEachArgument(call, (argument, index) => {
    if (index < skip) return;
    values.push(typeAt(argument) === 'variadic_argument' ? undefined : literalValue(context, scope, argument, 0));
  });
  const [program, ...operands] = values;
  if (program !== undefined && isShellScriptNonLiteral(program, operands)) {
    report(context, 'go/shell-exec', call.startPosition);
  }
}

/** Whether the script operand of `sh -c <script>` / `cmd /C ..` / `powershell -Command ..` is non-literal. */
function isShellScriptNonLiteral(program: string, operands: readonly (string | undefined)[]): boolean {
  let kind = shellKindOf(program);
  let items = operands;
  if (kind === undefined && commandBaseName(program) === 'env') {
    // `env [-i] [NAME=value] sh -c ..`: the first plain operand is the program env runs.
    const programIndex = items.findIndex(
      (item) => item === undefined || (!item.startsWith('-') && !item.includes('=')),
    );
    const wrapped = items[programIndex];
    if (wrapped === undefined) return false;
    kind = shellKindOf(wrapped);
    items = items.slice(programIndex + 1);
  }
  if (kind === undefined) return false;
  const flagIndex = items.findIndex((item) => item !== undefined && isCommandFlag(kind, item));
  if (flagIndex === -1) return false;
  for (const item of items.slice(flagIndex + 1)) {
    if (item === undefined) return true;
    // `sh -c script arg0 arg1`: only the first operand is code; later ones are safe positional parameters.
    if (kind === 'posix' && !item.startsWith('-')) return false;
  }
  return false;
}

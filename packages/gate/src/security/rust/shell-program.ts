// Shell programs and their command flags: which `Command` argument is a script run by a shell.
import { commandBaseName, isCommandFlag, shellKindOf } from '../command-text.js';
import type { CommandArgument } from './context.js';

/** The argument that is the script of `sh -c <script>` / `cmd /C ..` when it is not literal; undefined if safe. */
export function shellScriptArgument(
  program: string,
  collected: readonly CommandArgument[],
): CommandArgument | undefined {
  let kind = shellKindOf(program);
  let items = collected;
  if (kind === undefined && commandBaseName(program) === 'env') {
    // `env [-i] [NAME=value] sh -c ..`: the first plain operand is the program env runs.
    const programIndex = items.findIndex(
      (item) => item.literal === undefined || (!item.literal.startsWith('-') && !item.literal.includes('=')),
    );
    const wrapped = items[programIndex]?.literal;
    if (wrapped === undefined) return undefined;
    kind = shellKindOf(wrapped);
    items = items.slice(programIndex + 1);
  }
  if (kind === undefined) return undefined;
  const flagIndex = items.findIndex((item) => item.literal !== undefined && isCommandFlag(kind, item.literal));
  if (flagIndex === -1) return undefined;
  for (const item of items.slice(flagIndex + 1)) {
    if (item.literal === undefined) return item;
    // `sh -c script arg0 arg1`: only the first operand is code; later ones are safe positional parameters.
    if (kind === 'posix' && !item.literal.startsWith('-')) return undefined;
  }
  return undefined;
}

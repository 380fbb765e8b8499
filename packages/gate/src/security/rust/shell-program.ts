// Shell programs and their command flags: which `Command` argument is a script run by a shell.
import type { CommandArgument } from './context.js';

/** A shell that runs its command-flag operand as a script, by the flag convention it follows. */
type ShellKind = 'posix' | 'cmd' | 'powershell';

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

export function commandBaseName(program: string): string {
  const base = program.slice(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish', 'csh', 'tcsh']);

export function shellKindOf(program: string): ShellKind | undefined {
  const base = commandBaseName(program);
  if (POSIX_SHELLS.has(base)) return 'posix';
  if (base === 'cmd') return 'cmd';
  if (base === 'powershell' || base === 'pwsh') return 'powershell';
  return undefined;
}

const POWERSHELL_COMMAND_FLAGS = new Set(['-c', '-command', '-encodedcommand', '-ec', '-enc', '/c', '/command']);

/** `-c` and bundles such as `-lc`, `-ec` for POSIX shells; `/C` or `/K` for cmd; `-Command` for PowerShell. */
function isCommandFlag(kind: ShellKind, flag: string): boolean {
  if (kind === 'cmd') return /^\/[ck]$/i.test(flag);
  if (kind === 'powershell') return POWERSHELL_COMMAND_FLAGS.has(flag.toLowerCase());
  return flag.length >= 2 && flag.length <= 6 && /^-[A-Za-z]+$/.test(flag) && flag.includes('c');
}

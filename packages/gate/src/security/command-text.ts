// Text tests shared by the Rust and Go rules: which program is a shell and which flag makes it run a script, and
// whether a string literal's text is SQL.

export type ShellKind = 'posix' | 'cmd' | 'powershell';

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
export function isCommandFlag(kind: ShellKind, flag: string): boolean {
  if (kind === 'cmd') return /^\/[ck]$/i.test(flag);
  if (kind === 'powershell') return POWERSHELL_COMMAND_FLAGS.has(flag.toLowerCase());
  return flag.length >= 2 && flag.length <= 6 && /^-[A-Za-z]+$/.test(flag) && flag.includes('c');
}

const SQL_VERBS = new Set(['select', 'insert', 'update', 'delete']);
const SQL_CLAUSES = new Set(['from', 'into', 'set', 'where', 'values']);

/**
 * SQL-looking text: a statement verb (SELECT/INSERT/UPDATE/DELETE) followed later by FROM/INTO/SET/WHERE/VALUES. The
 * verb must open the text (after `WITH ..` or `EXPLAIN`, anywhere) or be written in capitals, so English sentences
 * ("select a file from the list") are not SQL. One pass over the words: linear on any input.
 */
export function looksLikeSql(text: string): boolean {
  let verbSeen = false;
  let first = true;
  let anywhere = false;
  for (const match of text.matchAll(/[A-Za-z]+/g)) {
    const word = match[0];
    const lower = word.toLowerCase();
    if (verbSeen) {
      if (SQL_CLAUSES.has(lower)) return true;
    } else if (SQL_VERBS.has(lower) && (first || anywhere || word === word.toUpperCase())) {
      verbSeen = true;
    } else if (first && (lower === 'with' || lower === 'explain')) {
      anywhere = true;
    }
    first = false;
  }
  return false;
}

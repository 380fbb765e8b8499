// SQL keyword tables and word scans of js/sql-concat: whether literal text reads as SQL, the word before a value.

/** A statement keyword counts as SQL only when one of its clause keywords follows it. */
const SQL_STATEMENTS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const objects = ['TABLE', 'INDEX', 'VIEW', 'DATABASE', 'SCHEMA', 'TRIGGER', 'FUNCTION', 'PROCEDURE', 'SEQUENCE'];
  return new Map<string, ReadonlySet<string>>([
    ['SELECT', new Set(['FROM'])],
    ['INSERT', new Set(['INTO', 'VALUES'])],
    ['UPDATE', new Set(['SET'])],
    ['DELETE', new Set(['FROM', 'WHERE'])],
    ['REPLACE', new Set(['INTO', 'VALUES'])],
    ['MERGE', new Set(['INTO', 'USING'])],
    ['CREATE', new Set([...objects, 'USER', 'ROLE'])],
    ['DROP', new Set([...objects, 'USER', 'ROLE'])],
    ['ALTER', new Set([...objects, 'USER', 'ROLE'])],
    ['TRUNCATE', new Set(['TABLE'])],
  ]);
})();
/** Keywords after which a substitution is a table or schema name: assumed chosen by the code, not by the user. */
export const SQL_IDENTIFIER_KEYWORDS: ReadonlySet<string> = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE']);

/** The last word of `text`, upper-cased (a backward scan: no regex over the whole literal). Quotes and brackets
 * right before the substitution (`FROM "${table}"`, `FROM [${table}]`) are skipped. */
export function lastWord(text: string): string {
  let end = text.length;
  while (end > 0 && ' \t\r\n"`['.includes(text.charAt(end - 1))) end -= 1;
  let start = end;
  while (start > 0 && isWordCharacter(text.charCodeAt(start - 1))) start -= 1;
  return text.slice(start, end).toUpperCase();
}

function isWordCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 // _
  );
}

/** Whether the literal parts read as SQL: a statement keyword followed later by one of its clause keywords
 * (`SELECT … FROM`, `UPDATE … SET`, `INSERT … INTO`). One linear pass over the words. */
export function looksLikeSql(text: string): boolean {
  const expected = new Set<string>();
  let index = 0;
  while (index < text.length) {
    while (index < text.length && !isWordCharacter(text.charCodeAt(index))) index += 1;
    const start = index;
    while (index < text.length && isWordCharacter(text.charCodeAt(index))) index += 1;
    if (index === start || index - start > 9) continue;
    const word = text.slice(start, index).toUpperCase();
    if (expected.has(word)) return true;
    const clauses = SQL_STATEMENTS.get(word);
    if (clauses !== undefined) for (const clause of clauses) expected.add(clause);
  }
  return false;
}

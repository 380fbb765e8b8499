// Reading one line of text: its string literals, the names a value is assigned to, and bare `NAME=value` lines.
interface LiteralSpan {
  /** Offsets within the line of the content (quotes excluded). */
  readonly start: number;
  readonly end: number;
  readonly quote: number;
}

const QUOTES = new Set([34, 39, 96]);

/**
 * String literals that open and close on this line. An unclosed quote (an apostrophe in a comment) is skipped, and
 * since no later quote of that kind exists on the line, each kind is scanned to the end at most once: linear.
 */
export function lineLiterals(line: string): LiteralSpan[] {
  const literals: LiteralSpan[] = [];
  let index = 0;
  while (index < line.length) {
    const quote = line.charCodeAt(index);
    if (!QUOTES.has(quote)) {
      index += 1;
      continue;
    }
    let cursor = index + 1;
    while (cursor < line.length && line.charCodeAt(cursor) !== quote) {
      cursor += line.charCodeAt(cursor) === 92 ? 2 : 1;
    }
    if (cursor >= line.length) {
      index += 1;
      continue;
    }
    literals.push({ start: index + 1, end: cursor, quote });
    index = cursor + 1;
  }
  return literals;
}

const IDENTIFIER_CHARACTER = /[A-Za-z0-9_$-]/u;

/** The identifier ending at `end` (exclusive) in `text`, without leading dashes (`--password`, `- token`). */
function trailingIdentifier(text: string, end: number): string {
  let start = end;
  while (start > 0 && IDENTIFIER_CHARACTER.test(text.charAt(start - 1))) start -= 1;
  return text.slice(start, end).replace(/^-+/u, '');
}

/**
 * The names a value is assigned to, from the text before it on its line: `NAME =`, `NAME:`, `NAME :=`,
 * `NAME =>`, `"NAME":`, `obj["NAME"] =`, `self.NAME =`, `const NAME: string =`, Go `var NAME string =`.
 * Empty when the value is not assigned (a call argument, a comparison, a concatenation).
 */
export function assignedNames(before: string): string[] {
  const trimmed = before.trimEnd();
  let operatorLength: number;
  let isColon = false;
  if (trimmed.endsWith(':=') || trimmed.endsWith('=>')) {
    operatorLength = 2;
  } else if (trimmed.endsWith('=')) {
    if (/[=!<>+\-*/%&|^~]$/u.test(trimmed.slice(0, -1))) return [];
    operatorLength = 1;
  } else if (trimmed.endsWith(':')) {
    if (trimmed.endsWith('::')) return [];
    operatorLength = 1;
    isColon = true;
  } else {
    return [];
  }
  let left = trimmed.slice(0, -operatorLength).trimEnd();
  if (left.endsWith(']')) left = left.slice(0, -1).trimEnd();
  const last = left.charAt(left.length - 1);
  if (last === '"' || last === "'" || last === '`') {
    const open = left.lastIndexOf(last, left.length - 2);
    if (open === -1) return [];
    return [left.slice(open + 1, -1)];
  }
  const names = [trailingIdentifier(left, left.length)];
  if (!isColon) {
    // `const apiKey: string =`, `let token: &'static str =`: the name before the type annotation.
    const annotation = /([A-Za-z_$][\w$]*)\s*\??:(?!:)[^=:"`]{1,60}$/u.exec(left.slice(-120));
    if (annotation?.[1] !== undefined) names.push(annotation[1]);
    // Go `var apiKey string =`.
    const goVariable = /\b(?:var|const)\s+([A-Za-z_]\w*)\s+[\w.[\]*]+$/u.exec(left.slice(-120));
    if (goVariable?.[1] !== undefined) names.push(goVariable[1]);
  }
  return names.filter((name) => name.length > 0);
}

/** `export NAME=value`, `NAME: value`, `- NAME=value`: a whole-line assignment of an unquoted value (.env, YAML). */
const BARE_ASSIGNMENT = /^\s*(?:export\s+|-\s+)?(["']?)([A-Za-z_][\w.-]*)\1\s*[=:](?![=:])\s*/u;
const DOTTED_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/u;

export function bareValue(line: string): { start: number; value: string; name: string } | null {
  const match = BARE_ASSIGNMENT.exec(line);
  if (match === null) return null;
  const name = match[2] ?? '';
  const start = match[0].length;
  let rest = line.slice(start);
  const comment = rest.search(/\s[#;]/u);
  if (comment !== -1) rest = rest.slice(0, comment);
  const value = rest.trimEnd();
  if (value.length === 0 || /\s/u.test(value)) return null;
  // Quoted values go through the literal scan; YAML anchors, aliases, tags, block and flow syntax are not values.
  if (/^[$&*!|>{<%@]/u.test(value) || /[,;{]$/u.test(value) || /["'`()[\]]/u.test(value)) return null;
  if (DOTTED_PATH.test(value)) return null;
  return { start, value, name };
}

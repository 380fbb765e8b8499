/**
 * Valid syntax the bundled grammars reject, neutralised before parsing by blanking the offending tokens with spaces
 * (same length, so every offset, line and column stays the same). Each rewrite targets one construct:
 *
 * - Python 3.13 type parameter defaults (PEP 696): `def f[T = int]()`, `class C[T: int = int]`, `type A[T = int] = ...`
 *   (tree-sitter-python 0.25).
 * - Rust 2024 `unsafe extern "C" { safe fn f(); }` blocks and their `safe` item qualifier (tree-sitter-rust 0.24).
 */
export function neutralizePythonGaps(text: string): string {
  if (!text.includes('[') || !text.includes('=')) return text;
  const header = /^[ \t]*(?:async[ \t]+)?(?:def|class|type)[ \t]+\w+[ \t]*\[/gm;
  const blanks: [number, number][] = [];
  for (const match of text.matchAll(header)) {
    blanks.push(...typeParameterDefaults(text, (match.index ?? 0) + match[0].length - 1));
  }
  if (blanks.length === 0) return text;
  let result = '';
  let position = 0;
  for (const [from, to] of blanks) {
    result += text.slice(position, from) + text.slice(from, to).replace(/[^\n]/g, ' ');
    position = to;
  }
  return result + text.slice(position);
}

/** `[from, to)` ranges of `= default` inside the type parameter list opening at `open` (UTF-16 offsets). */
function typeParameterDefaults(text: string, open: number): [number, number][] {
  const ranges: [number, number][] = [];
  let depth = 0;
  let defaultStart = -1;
  for (let index = open; index < text.length; index += 1) {
    const character = text[index];
    if (character === '[' || character === '(' || character === '{') {
      depth += 1;
    } else if (character === ']' || character === ')' || character === '}') {
      depth -= 1;
      if (depth === 0) {
        if (defaultStart !== -1) ranges.push([defaultStart, index]);
        return ranges;
      }
    } else if (depth === 1 && character === ',') {
      if (defaultStart !== -1) ranges.push([defaultStart, index]);
      defaultStart = -1;
    } else if (depth === 1 && character === '=' && defaultStart === -1 && text[index + 1] !== '=') {
      defaultStart = index;
    }
  }
  return [];
}

export function neutralizeRustGaps(text: string): string {
  if (!text.includes('unsafe') || !text.includes('extern')) return text;
  let result = text.replace(/\bunsafe(\s+extern\b(?:\s*"[^"\n]*")?\s*\{)/g, (_match, rest: string) => `      ${rest}`);
  if (result !== text) {
    result = result.replace(
      /(^|[\s;{}])safe(\s+(?:fn|static)\b)/gm,
      (_match, before: string, rest: string) => `${before}    ${rest}`,
    );
  }
  return result;
}

import type { SyntaxNode } from './parsers.js';

/**
 * Valid syntax the bundled grammars reject, neutralised before parsing by blanking the offending tokens with spaces
 * (same length, so every offset, line and column stays the same). Each rewrite targets one construct:
 *
 * - Python 3.13 type parameter defaults (PEP 696): `def f[T = int]()`, `class C[T: int = int]`, `type A[T = int] = ...`
 *   (tree-sitter-python 0.25).
 * - Rust 2024 `unsafe extern "C" { safe fn f(); }` blocks and their `safe` item qualifier (tree-sitter-rust 0.24).
 * - Rust 2015's `try!(expr)` macro (`try` became a keyword in 2018; edition-2015 crates such as serde 1.0.152 still use
 *   it): the name is renamed to `tri` (same length). In a 2018+ crate `try!` is a compile error we then do not report:
 *   the gate has no edition at hand here, and a false alarm on a valid 2015 crate costs more than leaving that one to
 *   the compiler.
 *
 * - `&raw` where `raw` is a variable (`f(&raw)`): tree-sitter-rust 0.24 takes it for a raw borrow `&raw const x`;
 *   the name is renamed to `rax`.
 * - A unit struct with a where clause (`struct S where T: Send;`): the clause is blanked.
 * - `impl !Trait {}`: rustc's parser accepts a negative inherent impl (and rejects it later); the `!` is blanked when
 *   the impl has no `for` and a type follows (`impl ! {}` is an impl for the never type and parses as it is).
 *
 * And ones the grammar parses as an ERROR node, accepted afterwards (`isAcceptedRustError`):
 * - `~` or a lone `$` inside a macro token tree (anyhow's `ensure!` counts fuel with `~~~~`, syn matches `[$]`):
 *   rustc lexes both as tokens and a token tree takes any token; outside token trees they stay errors.
 *
 * Attributes the grammar does not take where rustc does (on field patterns: `S { #[cfg(a)] x, .. }`) are handled in
 * parseRust: when the blanked-attribute text parses without error, the errors were the attributes' placement.
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
  let result = text;
  if (result.includes('try')) result = result.replace(/(?<![\w#])try(?=\s*!\s*[([{])/g, 'tri');
  if (result.includes('&')) result = result.replace(/&(\s*)raw\b(?!\s+(?:const|mut)\b)/g, '&$1rax');
  if (result.includes('where')) {
    result = result.replace(
      /(\bstruct\s+\w+\s*(?:<[^;{}()]*>)?\s*)(where\b[^;{}]*);/g,
      (_match, head: string, clause: string) => `${head}${blank(clause)};`,
    );
  }
  if (result.includes('impl')) {
    result = result.replace(
      /(\bimpl(?:\s*<[^{};]*?>)?\s*)!(\s*[\w:<!([&*][^{};]*\{)/g,
      (match, head: string, rest: string) => (/\bfor\b/.test(rest) ? match : `${head} ${rest}`),
    );
  }
  return neutralizeUnsafeExtern(result);
}

/** Outer attributes `#[...]` (not `#![...]`) blanked, for a second opinion on errors that only attributes cause. */
export function blankRustAttributes(text: string): string {
  let result = '';
  let position = 0;
  for (let start = text.indexOf('#['); start !== -1; start = text.indexOf('#[', start + 2)) {
    if (start < position) continue;
    const end = closingBracket(text, start + 1);
    if (end === -1) continue;
    result += text.slice(position, start) + blank(text.slice(start, end + 1));
    position = end + 1;
  }
  return result + text.slice(position);
}

/** The index of the `]` closing the `[` at `open`, skipping string literals; -1 when it does not close. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    const character = text[index];
    if (character === '"') {
      index += 1;
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
    } else if (character === '[') depth += 1;
    else if (character === ']') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

const blank = (text: string): string => text.replace(/[^\n]/g, ' ');

const TOKEN_TREES = new Set(['token_tree', 'token_tree_pattern', 'token_repetition', 'token_repetition_pattern']);

export function isAcceptedRustError(node: SyntaxNode): boolean {
  if (!/^[~$\s]+$/.test(node.text)) return false;
  let parent = node.parent;
  while (parent !== null && parent.type === 'ERROR') parent = parent.parent;
  return parent !== null && TOKEN_TREES.has(parent.type);
}

function neutralizeUnsafeExtern(text: string): string {
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

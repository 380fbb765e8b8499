// Lexical helpers for the regex-based lenses: counting `assert` or `it(` must not see comments or string contents,
// or renaming an assertion message ("should assert the id") would look like adding or removing an assertion.
import { detectLanguage } from '@kode/lang';

export type SourceFamily = 'javascript' | 'python' | 'rust' | 'go';

/** The lexical family of a path by its extension, or undefined when no lens counts anything in it. */
export function sourceFamily(path: string): SourceFamily | undefined {
  switch (detectLanguage(path)) {
    case 'typescript':
    case 'javascript':
      return 'javascript';
    case 'python':
      return 'python';
    case 'rust':
      return 'rust';
    case 'go':
      return 'go';
    case null:
      return undefined;
  }
}

const IDENTIFIER_CHARACTER = /[\w$]/u;
const RUST_CHAR_LITERAL = /^'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)|[^\\'\n])'/u;
const RUST_RAW_STRING = /^b?r(#*)"/u;

/**
 * The text with comments removed and string literals emptied (quotes kept, so `it('name', …)` stays a call).
 * Line breaks are kept so line-anchored patterns and line numbers still work. Approximate by design: JS regex
 * literals and template `${}` code are not tokenised, which can only make a count slightly off, never throw.
 */
export function codeOnly(text: string, family: SourceFamily): string {
  let output = '';
  let index = 0;
  // Skips to `end` (exclusive), keeping only line breaks.
  const skipTo = (end: number): void => {
    for (let position = index; position < end; position += 1) if (text[position] === '\n') output += '\n';
    index = end;
  };
  const skipString = (quote: string, options: { multiline: boolean; escapes: boolean }): void => {
    output += quote;
    index += quote.length;
    let position = index;
    while (position < text.length) {
      if (options.escapes && text[position] === '\\') {
        position += 2;
        continue;
      }
      if (text.startsWith(quote, position)) break;
      if (!options.multiline && text[position] === '\n') break;
      position += 1;
    }
    skipTo(Math.min(position, text.length));
    if (text.startsWith(quote, index)) {
      output += quote;
      index += quote.length;
    }
  };
  const lineCommentStart = family === 'python' ? '#' : '//';
  while (index < text.length) {
    const character = text[index] ?? '';
    const previous = index > 0 ? (text[index - 1] ?? '') : '';
    if (text.startsWith(lineCommentStart, index)) {
      const end = text.indexOf('\n', index);
      skipTo(end === -1 ? text.length : end);
    } else if (family !== 'python' && text.startsWith('/*', index)) {
      skipTo(blockCommentEnd(text, index, family === 'rust'));
    } else if (family === 'python' && (text.startsWith('"""', index) || text.startsWith("'''", index))) {
      skipString(text.slice(index, index + 3), { multiline: true, escapes: true });
    } else if (
      family === 'rust' &&
      (character === 'r' || character === 'b') &&
      !IDENTIFIER_CHARACTER.test(previous) &&
      RUST_RAW_STRING.test(text.slice(index, index + 300))
    ) {
      const match = RUST_RAW_STRING.exec(text.slice(index, index + 300));
      const opening = match?.[0] ?? '"';
      const closing = `"${match?.[1] ?? ''}`;
      output += opening;
      const end = text.indexOf(closing, index + opening.length);
      index += opening.length;
      skipTo(end === -1 ? text.length : end);
      if (end !== -1) {
        output += closing;
        index += closing.length;
      }
    } else if (family === 'rust' && character === "'") {
      const literal = RUST_CHAR_LITERAL.exec(text.slice(index, index + 16))?.[0];
      // Otherwise a lifetime (`'a`), which is code.
      output += literal === undefined ? character : "''";
      index += literal === undefined ? 1 : literal.length;
    } else if (character === '"' || character === "'") {
      skipString(character, { multiline: family === 'rust', escapes: true });
    } else if (character === '`' && (family === 'javascript' || family === 'go')) {
      skipString(character, { multiline: true, escapes: family === 'javascript' });
    } else {
      output += character;
      index += 1;
    }
  }
  return output;
}

/** Offset just past the comment that opens at `start`; Rust block comments nest. */
function blockCommentEnd(text: string, start: number, nested: boolean): number {
  let depth = 0;
  for (let position = start; position < text.length - 1; position += 1) {
    if (text.startsWith('/*', position)) {
      depth = nested ? depth + 1 : 1;
      position += 1;
    } else if (text.startsWith('*/', position)) {
      depth -= 1;
      position += 1;
      if (depth === 0) return position + 1;
    }
  }
  return text.length;
}

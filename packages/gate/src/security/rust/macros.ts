// Macro arguments read as tokens for the Rust rules: `format!` templates, token lists and quoted literal text.
import { COMMENT_TYPES } from './context.js';
import type { Context, TreeCursor } from './context.js';
import { cursorText, inField, typeAt } from './cursor.js';

/** The template of a `format!` call and whether it interpolates anything; undefined for other macros. */
export function formatMacroAt(
  context: Context,
  cursor: TreeCursor,
): { readonly template: string; readonly interpolated: boolean } | undefined {
  const name = inField(cursor, 'macro', (macro) => cursorText(context, macro));
  if (name !== 'format' && name !== 'std::format' && name !== 'alloc::format') return undefined;
  const tokens = macroTokensAt(context, cursor);
  const first = tokens[0];
  if (first === undefined || first.literal === undefined) return undefined;
  const hasArguments = tokens.some((token, index) => index > 0 && token.type !== ',');
  return { template: first.literal, interpolated: hasArguments || hasPlaceholder(first.literal) };
}

/** A token of a macro's arguments: its type, and its text when it is a string literal. */
export interface MacroToken {
  readonly type: string;
  readonly literal: string | undefined;
  readonly text: string;
  readonly start: number;
}

/** The tokens between a macro's outer delimiters (comments left out), read with the cursor on the invocation. */
export function macroTokensAt(context: Context, cursor: TreeCursor): MacroToken[] {
  const tokens: MacroToken[] = [];
  if (!cursor.gotoFirstChild()) return tokens;
  do {
    if (typeAt(cursor) !== 'token_tree' || !cursor.gotoFirstChild()) continue;
    let index = 0;
    do {
      const type = typeAt(cursor);
      // Skip the opening delimiter (index 0) and, below, the closing one.
      if (index > 0 && !COMMENT_TYPES.has(type)) {
        const text = cursorText(context, cursor);
        const literal = type === 'string_literal' || type === 'raw_string_literal' ? quotedText(text) : undefined;
        tokens.push({ type, literal, text, start: cursor.startIndex });
      }
      index += 1;
    } while (cursor.gotoNextSibling());
    tokens.pop();
    cursor.gotoParent();
    break;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return tokens;
}

/** A `{..}` placeholder that is not an escaped `{{`. Linear scan. */
function hasPlaceholder(template: string): boolean {
  for (let index = template.indexOf('{'); index !== -1; index = template.indexOf('{', index + 2)) {
    if (template[index + 1] !== '{') return true;
  }
  return false;
}

/** The characters between the quotes of `"x"`, `b"x"`, `r#"x"#` (escapes left as written). */
export function quotedText(text: string): string {
  const open = text.indexOf('"');
  const close = text.lastIndexOf('"');
  return close > open ? text.slice(open + 1, close) : '';
}

// Literal string values of Rust expressions, through conversions, `let` bindings and `const`/`static` items.
import type { SyntaxNode } from '@kode/lang';
import { bindingBefore } from './bindings.js';
import { MAX_RESOLVE_DEPTH, STRING_CONSTRUCTORS } from './context.js';
import type { Context, TreeCursor } from './context.js';
import { atInnerExpression, cursorText, forEachArgument, inField, textOf, typeAt } from './cursor.js';
import { formatMacroAt, macroTokensAt, quotedText } from './macros.js';

/**
 * The text of the string-valued expression under the cursor when it is a literal: `"x"`, `r#"x"#`, `&"x"`,
 * `"x".to_string()`, `String::from("x")`, `format!("x")` / `concat!("a", "b")` without interpolation, a `const` /
 * `static` with a literal value, or an immutable `let` of the same function bound to one. Undefined otherwise.
 */
export function literalValue(
  context: Context,
  scope: SyntaxNode,
  cursor: TreeCursor,
  depth: number,
): string | undefined {
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  return atInnerExpression(context, cursor, (node) => {
    switch (typeAt(node)) {
      case 'string_literal':
      case 'raw_string_literal':
        return quotedText(cursorText(context, node));
      case 'macro_invocation': {
        const format = formatMacroAt(context, node);
        if (format !== undefined) return format.interpolated ? undefined : format.template;
        if (inField(node, 'macro', (name) => cursorText(context, name)) !== 'concat') return undefined;
        let text = '';
        for (const token of macroTokensAt(context, node)) {
          if (token.type === ',') continue;
          if (token.literal === undefined) return undefined;
          text += token.literal;
        }
        return text;
      }
      case 'call_expression': {
        const path = inField(node, 'function', (callee) =>
          typeAt(callee) === 'scoped_identifier' ? cursorText(context, callee) : undefined,
        );
        if (path === undefined || !STRING_CONSTRUCTORS.has(path.replace(/^(?:std|alloc)::(?:\w+::)*/, ''))) {
          return undefined;
        }
        let value: string | undefined;
        const count = forEachArgument(node, (argument) => {
          value = literalValue(context, scope, argument, depth + 1);
        });
        return count === 1 ? value : undefined;
      }
      case 'identifier':
        return resolveName(context, scope, cursorText(context, node), node.startIndex, depth);
      default:
        return undefined;
    }
  });
}

/** The literal value of a name used at `position`: its `let` in the function, else a `const`/`static` item. */
export function resolveName(
  context: Context,
  scope: SyntaxNode,
  name: string,
  position: number,
  depth: number,
): string | undefined {
  const binding = bindingBefore(context, scope, name, position);
  if (binding !== undefined) {
    if (binding.mutable || binding.value === null) return undefined;
    return literalValue(context, scope, binding.value.walk(), depth + 1);
  }
  const constant = constants(context).get(name);
  return constant === undefined || constant === null
    ? undefined
    : literalValue(context, scope, constant.walk(), depth + 1);
}

/** `const`/`static` items of the file by name (null when a name is declared twice), collected on first need. */
function constants(context: Context): Map<string, SyntaxNode | null> {
  if (context.constants !== undefined) return context.constants;
  const found = new Map<string, SyntaxNode | null>();
  for (const item of context.root.descendantsOfType(['const_item', 'static_item'])) {
    const name = item.childForFieldName('name');
    if (name === null) continue;
    const key = textOf(context, name);
    found.set(key, found.has(key) ? null : item.childForFieldName('value'));
  }
  context.constants = found;
  return found;
}

// TreeCursor reading for the Rust rules: the scoped walk, field and argument access, wrappers and call shapes.
import { cursorText, fieldAt, forEachNamedChildExcept, inField, typeAt } from '../tree-cursor.js';
import type { TreeCursor } from '../tree-cursor.js';
import { COMMENT_TYPES, MAX_RESOLVE_DEPTH, STRING_CONVERSIONS } from './context.js';
import type { Context } from './context.js';

export { cursorText, fieldAt, inField, textOf, typeAt, walkWithScope } from '../tree-cursor.js';

/** Calls `visit` on each named child that is not a comment or an attribute, with its index; returns the count. */
export function forEachNamedChild(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  return forEachNamedChildExcept(cursor, (type) => COMMENT_TYPES.has(type) || type === 'attribute_item', visit);
}

/** Calls `visit` on each argument of the call under the cursor; returns how many there are. */
export function forEachArgument(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  return inField(cursor, 'arguments', (list) => forEachNamedChild(list, visit)) ?? 0;
}

export function firstArgument<T>(cursor: TreeCursor, read: (cursor: TreeCursor) => T): T | undefined {
  let result: T | undefined;
  forEachArgument(cursor, (argument, index) => {
    if (index === 0) result = read(argument);
  });
  return result;
}

/**
 * Descends through `&x`, `&mut x`, `*x`, `(x)` and text-preserving conversions (`x.as_str()`, `x.to_string()`), calls
 * `read` on the inner expression and comes back.
 */
export function atInnerExpression<T>(context: Context, cursor: TreeCursor, read: (cursor: TreeCursor) => T): T {
  let levels = 0;
  for (let step = 0; step < MAX_RESOLVE_DEPTH; step += 1) {
    const moved = unwrapStep(context, cursor);
    if (moved === 0) break;
    levels += moved;
  }
  const result = read(cursor);
  for (; levels > 0; levels -= 1) cursor.gotoParent();
  return result;
}

/** One wrapper down; how many levels the cursor moved (0 when the node is not a wrapper). */
function unwrapStep(context: Context, cursor: TreeCursor): number {
  switch (typeAt(cursor)) {
    case 'reference_expression':
      return gotoFieldChild(cursor, 'value') ? 1 : 0;
    case 'parenthesized_expression':
    case 'unary_expression': {
      if (!cursor.gotoFirstChild()) return 0;
      const dereference = typeAt(cursor) === '*';
      const isParenthesis = typeAt(cursor) === '(';
      if (dereference || isParenthesis) {
        while (cursor.gotoNextSibling()) if (cursor.nodeIsNamed && !COMMENT_TYPES.has(typeAt(cursor))) return 1;
      }
      cursor.gotoParent();
      return 0;
    }
    case 'call_expression': {
      if (forEachArgument(cursor, () => undefined) > 0 || !gotoFieldChild(cursor, 'function')) return 0;
      if (typeAt(cursor) === 'field_expression') {
        const method = inField(cursor, 'field', (field) => cursorText(context, field));
        if (method !== undefined && STRING_CONVERSIONS.has(method) && gotoFieldChild(cursor, 'value')) return 2;
      }
      cursor.gotoParent();
      return 0;
    }
    default:
      return 0;
  }
}

/** Moves to the child in `field`; false (cursor unchanged) when there is none. */
export function gotoFieldChild(cursor: TreeCursor, field: string): boolean {
  if (!cursor.gotoFirstChild()) return false;
  do {
    if (fieldAt(cursor) === field) return true;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

/** Moves the probe from the method name under `cursor` to the call `receiver.name(..)` / `receiver.name::<T>(..)`. */
export function methodCallAt(probe: TreeCursor, cursor: TreeCursor): boolean {
  probe.resetTo(cursor);
  if (fieldAt(probe) !== 'field' || !probe.gotoParent() || typeAt(probe) !== 'field_expression') return false;
  return calleeToCall(probe);
}

/** Moves the probe from the name under `cursor` to the call `name(..)` / `a::b::name(..)` (or a turbofish form). */
export function pathCallAt(probe: TreeCursor, cursor: TreeCursor): boolean {
  probe.resetTo(cursor);
  if (fieldAt(probe) === 'name' && (!probe.gotoParent() || typeAt(probe) !== 'scoped_identifier')) {
    return false;
  }
  return calleeToCall(probe);
}

/** From a callee under the probe, up to the call it is the function of (through `generic_function`). */
function calleeToCall(probe: TreeCursor): boolean {
  let field = fieldAt(probe);
  if (!probe.gotoParent()) return false;
  if (typeAt(probe) === 'generic_function' && field === 'function') {
    field = fieldAt(probe);
    if (!probe.gotoParent()) return false;
  }
  return typeAt(probe) === 'call_expression' && field === 'function';
}

/** Cheap text check before any tree work: the name is followed by `(` or a turbofish `::<`. */
export function isFollowedByCall(context: Context, end: number): boolean {
  let index = end - context.base;
  while (index < context.source.length && /\s/.test(context.source[index] ?? '')) index += 1;
  const character = context.source[index];
  return character === '(' || character === ':';
}

/** The identifier at the end of `text` (`"\n    .arg"` gives `arg`); a scan from the end, not a regex. */
export function trailingIdentifier(text: string): string {
  let start = text.length;
  while (start > 0 && /\w/.test(text[start - 1] ?? '')) start -= 1;
  return text.slice(start);
}

// TreeCursor reading for the Go rules: the scoped walk, field and argument access, `+` chains and call shapes.
import { cursorText, fieldAt, forEachNamedChildExcept, inField, typeAt } from '../tree-cursor.js';
import type { TreeCursor } from '../tree-cursor.js';
import { MAX_RESOLVE_DEPTH } from './context.js';
import type { Context } from './context.js';

export { cursorText, fieldAt, inField, textOf, typeAt, walkWithScope } from '../tree-cursor.js';

/** Calls `visit` on each named child that is not a comment, with its index; returns how many there are. */
export function forEachNamedChild(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  return forEachNamedChildExcept(cursor, (type) => type === 'comment', visit);
}

/** Calls `visit` on each argument of the call under the cursor; returns how many there are. */
export function forEachArgument(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  return inField(cursor, 'arguments', (list) => forEachNamedChild(list, visit)) ?? 0;
}

/** Descends through parentheses, calls `read` on the inner expression and comes back. */
export function atInnerExpression<T>(cursor: TreeCursor, read: (cursor: TreeCursor) => T): T {
  let levels = 0;
  while (levels < MAX_RESOLVE_DEPTH && typeAt(cursor) === 'parenthesized_expression') {
    if (!cursor.gotoFirstChild()) break;
    levels += 1;
    while (!cursor.nodeIsNamed || typeAt(cursor) === 'comment') if (!cursor.gotoNextSibling()) break;
  }
  const result = read(cursor);
  for (; levels > 0; levels -= 1) cursor.gotoParent();
  return result;
}

/**
 * Calls `visit` on each operand of the `+` chain under the cursor, left to right (iteratively: a long left-deep chain
 * does not recurse). False when an operator other than `+` takes part (the parts are then meaningless).
 */
export function forEachConcatenationPart(cursor: TreeCursor, visit: (cursor: TreeCursor) => void): boolean {
  let depth = 0;
  while (typeAt(cursor) === 'binary_expression' && cursor.gotoFirstChild()) depth += 1;
  visit(cursor);
  let plus = true;
  for (; depth > 0; depth -= 1) {
    cursor.gotoParent();
    if (!plus || !cursor.gotoFirstChild()) continue;
    let operator = '';
    while (cursor.gotoNextSibling()) {
      const field = fieldAt(cursor);
      if (field === 'operator') operator = typeAt(cursor);
      else if (field === 'right' && operator === '+') visit(cursor);
    }
    cursor.gotoParent();
    plus = operator === '+';
  }
  return plus;
}

/**
 * Moves the probe from the name under the cursor to the call `operand.name(..)` or `name(..)`. Returns the operand
 * when it is a plain name (`exec` in `exec.Command`; '' for a bare call, null for `s.db.Query`), or undefined when
 * the name is not called that way.
 */
export function calleeCallAt(context: Context, cursor: TreeCursor): string | null | undefined {
  const probe = context.probe;
  probe.resetTo(cursor);
  let operand: string | null = '';
  if (typeAt(probe) === 'field_identifier') {
    if (fieldAt(probe) !== 'field' || !probe.gotoParent() || typeAt(probe) !== 'selector_expression') {
      return undefined;
    }
    if (!probe.gotoFirstChild()) return undefined;
    operand = typeAt(probe) === 'identifier' ? cursorText(context, probe) : null;
    probe.gotoParent();
  }
  const field = fieldAt(probe);
  if (!probe.gotoParent() || typeAt(probe) !== 'call_expression' || field !== 'function') return undefined;
  return operand;
}

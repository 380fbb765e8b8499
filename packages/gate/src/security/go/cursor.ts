// TreeCursor reading for the Go rules: the scoped walk, field and argument access, `+` chains and call shapes.
import type { SyntaxNode } from '@kode/lang';
import { MAX_RESOLVE_DEPTH } from './context.js';
import type { Context, TreeCursor } from './context.js';

/**
 * Visits every node of `root` depth-first with one cursor, passing the innermost enclosing node of `scopeTypes` (or
 * the root) and the node's depth. The scope stack is kept by depth, so no node is asked for its parent.
 */
export function walkWithScope(
  root: SyntaxNode,
  scopeTypes: ReadonlySet<string>,
  visit: (cursor: TreeCursor, scope: SyntaxNode, depth: number) => void,
): void {
  const cursor = root.walk();
  const scopes: { readonly depth: number; readonly node: SyntaxNode }[] = [];
  let depth = 0;
  for (;;) {
    while (scopes.length > 0 && (scopes[scopes.length - 1]?.depth ?? -1) >= depth) scopes.pop();
    if (scopeTypes.has(typeAt(cursor))) scopes.push({ depth, node: cursor.currentNode });
    visit(cursor, scopes[scopes.length - 1]?.node ?? root, depth);
    if (cursor.gotoFirstChild()) {
      depth += 1;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return;
      depth -= 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cursor reading. Every helper returns the cursor to the node it started on.

/** The node type under a cursor. Read through a call: the cursor moves, so TypeScript must not narrow a property. */
export function typeAt(cursor: TreeCursor): string {
  return cursor.nodeType;
}

/** The field name of the node under a cursor within its parent (see typeAt). */
export function fieldAt(cursor: TreeCursor): string {
  return cursor.currentFieldName;
}

export function cursorText(context: Context, cursor: TreeCursor): string {
  return context.source.slice(cursor.startIndex - context.base, cursor.endIndex - context.base);
}

export function textOf(context: Context, node: SyntaxNode): string {
  return context.source.slice(node.startIndex - context.base, node.endIndex - context.base);
}

/** Calls `read` on the child in `field` and returns its result; undefined when there is no such child. */
export function inField<T>(cursor: TreeCursor, field: string, read: (cursor: TreeCursor) => T): T | undefined {
  if (!cursor.gotoFirstChild()) return undefined;
  let result: T | undefined;
  do {
    if (fieldAt(cursor) === field) {
      result = read(cursor);
      break;
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return result;
}

/** Calls `visit` on each named child that is not a comment, with its index; returns how many there are. */
export function forEachNamedChild(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  if (!cursor.gotoFirstChild()) return 0;
  let count = 0;
  do {
    if (cursor.nodeIsNamed && typeAt(cursor) !== 'comment') {
      visit(cursor, count);
      count += 1;
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return count;
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

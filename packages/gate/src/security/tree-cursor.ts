// TreeCursor reading shared by the Rust and Go rules (node-tree-sitter's per-node API costs ~10 µs a node, so the
// rules walk with cursors). Every helper returns the cursor to the node it started on.
import type { SyntaxNode } from '@kode/lang';

export type TreeCursor = ReturnType<SyntaxNode['walk']>;

/** The scanned text and the offset of its first character in tree positions (the root starts after whitespace). */
export interface ScannedText {
  readonly source: string;
  readonly base: number;
}

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

/** The node type under a cursor. Read through a call: the cursor moves, so TypeScript must not narrow a property. */
export function typeAt(cursor: TreeCursor): string {
  return cursor.nodeType;
}

/** The field name of the node under a cursor within its parent (see typeAt). */
export function fieldAt(cursor: TreeCursor): string {
  return cursor.currentFieldName;
}

export function cursorText(text: ScannedText, cursor: TreeCursor): string {
  return text.source.slice(cursor.startIndex - text.base, cursor.endIndex - text.base);
}

export function textOf(text: ScannedText, node: SyntaxNode): string {
  return text.source.slice(node.startIndex - text.base, node.endIndex - text.base);
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

/**
 * Calls `visit` on each named child whose type `skip` does not reject (comments, for the languages' own wrappers),
 * with its index; returns how many there are.
 */
export function forEachNamedChildExcept(
  cursor: TreeCursor,
  skip: (type: string) => boolean,
  visit: (cursor: TreeCursor, index: number) => void,
): number {
  if (!cursor.gotoFirstChild()) return 0;
  let count = 0;
  do {
    if (cursor.nodeIsNamed && !skip(typeAt(cursor))) {
      visit(cursor, count);
      count += 1;
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return count;
}

// The per-function binding index of the Rust rules: `let`s, assignments, pattern binders and receiver `.arg` chains.
import type { SyntaxNode } from '@kode/lang';
import { ARGUMENT_METHODS, MAX_CHAIN_LENGTH } from './context.js';
import type { Binding, Context, ScopeIndex, TreeCursor } from './context.js';
import { cursorText, fieldAt, inField, trailingIdentifier, typeAt } from './cursor.js';

/** The nearest binding of a name before `position` in a function (parameter, `let`, pattern, assignment). */
export function bindingBefore(
  context: Context,
  scope: SyntaxNode,
  name: string,
  position: number,
): Binding | undefined {
  const bindings = scopeIndex(context, scope).bindings.get(name);
  if (bindings === undefined) return undefined;
  return bindings[firstAtOrAfter(bindings, position) - 1];
}

export function nextBindingPosition(index: ScopeIndex, name: string, after: number): number {
  const bindings = index.bindings.get(name) ?? [];
  return bindings[firstAtOrAfter(bindings, after)]?.position ?? Number.POSITIVE_INFINITY;
}

/** Binary search: the index of the first binding at or after `position`. */
function firstAtOrAfter(bindings: readonly Binding[], position: number): number {
  let low = 0;
  let high = bindings.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((bindings[middle]?.position ?? 0) < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The binding index of a function (or the root); the main walk fills it in document order. */
export function scopeIndex(context: Context, scope: SyntaxNode): ScopeIndex {
  let index = context.scopes.get(scope);
  if (index === undefined) {
    index = { bindings: new Map(), receiverChains: new Map() };
    context.scopes.set(scope, index);
  }
  return index;
}

/** Records the names a `let`, an assignment or a pattern binder under the cursor binds. */
export function indexBinding(context: Context, cursor: TreeCursor, index: ScopeIndex): void {
  const probe = context.probe;
  probe.resetTo(cursor);
  switch (typeAt(cursor)) {
    case 'let_declaration': {
      // Bound after the statement: `let x = x.trim();` reads the previous `x`.
      const position = cursor.endIndex - 1;
      let mutable = false;
      let name: string | undefined;
      let value: SyntaxNode | null = null;
      const patternNames: string[] = [];
      if (!probe.gotoFirstChild()) return;
      do {
        const field = fieldAt(probe);
        if (typeAt(probe) === 'mutable_specifier') mutable = true;
        else if (field === 'pattern') {
          if (typeAt(probe) === 'identifier') name = cursorText(context, probe);
          else forEachIdentifierBelow(context, probe, (identifier) => patternNames.push(identifier));
        } else if (field === 'value') value = probe.currentNode;
      } while (probe.gotoNextSibling());
      if (name !== undefined) addBinding(index, name, { position, value, mutable });
      for (const identifier of patternNames) addBinding(index, identifier, { position, value: null, mutable: true });
      return;
    }
    case 'assignment_expression':
    case 'compound_assignment_expr': {
      // A reassigned variable is no longer a literal (recorded as mutable); `q = format!(..)` is its new value.
      const plain = typeAt(cursor) === 'assignment_expression';
      const position = cursor.endIndex;
      const name = inField(probe, 'left', (left) =>
        typeAt(left) === 'identifier' ? cursorText(context, left) : undefined,
      );
      if (name === undefined) return;
      const value = plain ? (inField(probe, 'right', (right) => right.currentNode) ?? null) : null;
      addBinding(index, name, { position, value, mutable: true });
      return;
    }
    default: {
      const add = (identifier: string, start: number): void =>
        addBinding(index, identifier, { position: start, value: null, mutable: true });
      if (typeAt(cursor) === 'closure_parameters') forEachIdentifierBelow(context, probe, add);
      else inField(probe, 'pattern', (pattern) => forEachIdentifierBelow(context, pattern, add));
    }
  }
}

/** Calls `visit` with the text and start of every identifier in the subtree under the cursor. */
function forEachIdentifierBelow(
  context: Context,
  cursor: TreeCursor,
  visit: (name: string, start: number) => void,
): void {
  let depth = 0;
  for (;;) {
    if (typeAt(cursor) === 'identifier') visit(cursorText(context, cursor), cursor.startIndex);
    if (cursor.gotoFirstChild()) {
      depth += 1;
      continue;
    }
    while (depth > 0 && !cursor.gotoNextSibling()) {
      cursor.gotoParent();
      depth -= 1;
    }
    if (depth === 0) return;
  }
}

/** Keeps each list sorted by position: bindings arrive in walk order, a nested `let` can end before its parent. */
function addBinding(index: ScopeIndex, name: string, binding: Binding): void {
  const list = index.bindings.get(name);
  if (list === undefined) {
    index.bindings.set(name, [binding]);
    return;
  }
  let at = list.length;
  while (at > 0 && (list[at - 1]?.position ?? 0) > binding.position) at -= 1;
  list.splice(at, 0, binding);
}

/** `name.arg(..).arg(..)`: the cursor is on an `arg`/`args` method name whose receiver is a plain variable. */
export function indexReceiverChain(context: Context, cursor: TreeCursor, index: ScopeIndex): void {
  const probe = context.probe;
  probe.resetTo(cursor);
  if (fieldAt(probe) !== 'field' || !probe.gotoParent()) return;
  if (!probe.gotoFirstChild() || typeAt(probe) !== 'identifier' || fieldAt(probe) !== 'value') return;
  const receiver = cursorText(context, probe);
  const position = probe.startIndex;
  probe.gotoParent();
  const memberField = fieldAt(probe);
  if (!probe.gotoParent() || typeAt(probe) !== 'call_expression' || memberField !== 'function') return;
  const calls = [{ call: probe.currentNode, method: cursorText(context, cursor) }];
  // Further calls of the same chain: `c.arg("-c").arg(script)`.
  for (let length = 0; length < MAX_CHAIN_LENGTH; length += 1) {
    const field = fieldAt(probe);
    const receiverEnd = probe.endIndex;
    if (!probe.gotoParent() || typeAt(probe) !== 'field_expression' || field !== 'value') break;
    const next = trailingIdentifier(context.source.slice(receiverEnd - context.base, probe.endIndex - context.base));
    const nextField = fieldAt(probe);
    if (!probe.gotoParent() || typeAt(probe) !== 'call_expression' || nextField !== 'function') break;
    if (ARGUMENT_METHODS.has(next)) calls.push({ call: probe.currentNode, method: next });
  }
  const chains = index.receiverChains.get(receiver);
  if (chains === undefined) index.receiverChains.set(receiver, [{ position, calls }]);
  else chains.push({ position, calls });
}

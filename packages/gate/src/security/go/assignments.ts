// The per-function assignment index of the Go rules: declarations, assignments, parameters and range variables.
import type { SyntaxNode } from '@kode/lang';
import { MAX_ASSIGNMENTS } from './context.js';
import type { Assignment, Context, TreeCursor } from './context.js';
import { cursorText, fieldAt, forEachNamedChild, typeAt } from './cursor.js';

/**
 * The assignments that can give a name its value at `before`: the last declaration of it in the function before that
 * point (`:=`, `var`, a parameter) and the assignments after that declaration. Without a declaration in the function,
 * the package-level declarations come first (their order does not matter: they are visible in the whole package).
 * At most MAX_ASSIGNMENTS, the latest.
 */
export function reachingAssignments(context: Context, scope: SyntaxNode, name: string, before: number): Assignment[] {
  const local = scope === context.root ? undefined : context.scopes.get(scope)?.get(name);
  const count = local === undefined ? 0 : firstAtOrAfter(local, before);
  let start = count - 1;
  while (start >= 0 && count - start <= MAX_ASSIGNMENTS && local?.[start]?.declares !== true) start -= 1;
  if (local !== undefined && start >= 0) return local.slice(start, count);
  const tail = local === undefined ? [] : local.slice(Math.max(0, count - MAX_ASSIGNMENTS), count);
  const global = context.scopes.get(context.root)?.get(name) ?? [];
  const globalBefore = scope === context.root ? global.slice(0, firstAtOrAfter(global, before)) : global;
  return [...globalBefore.slice(-MAX_ASSIGNMENTS), ...tail].slice(-MAX_ASSIGNMENTS);
}

/** Binary search: the index of the first assignment at or after `position`. */
function firstAtOrAfter(assignments: readonly Assignment[], position: number): number {
  let low = 0;
  let high = assignments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((assignments[middle]?.position ?? 0) < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A name on the left of a binding: its text and start; undefined for `_`, selectors and index expressions. */
interface Target {
  readonly name: string | undefined;
  readonly start: number;
}

/** Records the names a declaration, assignment, parameter or range clause under the cursor binds, with values. */
export function indexAssignments(context: Context, cursor: TreeCursor, scope: SyntaxNode): void {
  let index = context.scopes.get(scope);
  if (index === undefined) {
    index = new Map();
    context.scopes.set(scope, index);
  }
  const probe = context.probe;
  probe.resetTo(cursor);
  const targets: Target[] = [];
  const values: SyntaxNode[] = [];
  let operator = ':=';
  const readTarget = (node: TreeCursor): void => {
    targets.push({
      name: typeAt(node) === 'identifier' ? cursorText(context, node) : undefined,
      start: node.startIndex,
    });
  };
  if (!probe.gotoFirstChild()) return;
  do {
    const field = fieldAt(probe);
    if (field === 'name') readTarget(probe);
    else if (field === 'left' || field === 'alias') forEachNamedChild(probe, readTarget);
    else if (field === 'operator') operator = typeAt(probe);
    else if (field === 'value' || field === 'right') {
      if (typeAt(probe) === 'expression_list') forEachNamedChild(probe, (value) => values.push(value.currentNode));
      else values.push(probe.currentNode);
    }
  } while (probe.gotoNextSibling());
  const type = typeAt(cursor);
  const carriesValues = type === 'var_spec' || type === 'const_spec' || type === 'short_var_declaration';
  const appends = operator === '+=';
  const plain = carriesValues || (type === 'assignment_statement' && (appends || operator === '='));
  targets.forEach((target, position) => {
    if (target.name === undefined || target.name === '_') return;
    // `var x string`, `a, b := f()`, parameters and range variables: no single value to follow.
    const value = plain && values.length === targets.length ? (values[position] ?? null) : null;
    const assignment: Assignment = {
      position: target.start,
      value,
      appends,
      declares: type !== 'assignment_statement',
    };
    const list = index.get(target.name);
    if (list === undefined) {
      index.set(target.name, [assignment]);
      return;
    }
    // Sorted by position: package-level declarations are indexed before the walk reaches function literals.
    let at = list.length;
    while (at > 0 && (list[at - 1]?.position ?? 0) > assignment.position) at -= 1;
    list.splice(at, 0, assignment);
  });
}

// Literal string values of Go expressions, through `+`, parentheses and the assignments reaching a name.
import type { SyntaxNode } from '@kode/lang';
import { reachingAssignments } from './assignments.js';
import { MAX_ASSIGNMENTS, MAX_RESOLVE_DEPTH } from './context.js';
import type { Assignment, Context, TreeCursor } from './context.js';
import { atInnerExpression, cursorText, forEachConcatenationPart, typeAt } from './cursor.js';

/**
 * The text of the string-valued expression under the cursor when it is a literal: `"x"`, `` `x` ``, `("x")`,
 * `"a" + "b"`, or a name whose every assignment before the use in its function (or at package level) is such a
 * literal, constants included. Undefined otherwise.
 */
export function literalValue(
  context: Context,
  scope: SyntaxNode,
  cursor: TreeCursor,
  depth: number,
): string | undefined {
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  return atInnerExpression(cursor, (node) => {
    const type = typeAt(node);
    if (type === 'interpreted_string_literal' || type === 'raw_string_literal') {
      return stringLiteralText(type, cursorText(context, node));
    }
    if (type === 'binary_expression') {
      let text: string | undefined = '';
      const plus = forEachConcatenationPart(node, (part) => {
        if (text === undefined) return;
        const value = literalValue(context, scope, part, depth + 1);
        text = value === undefined ? undefined : text + value;
      });
      return plus ? text : undefined;
    }
    if (type !== 'identifier') return undefined;
    const assignments = reachingAssignments(context, scope, cursorText(context, node), node.startIndex);
    if (assignments.length === 0 || assignments.length >= MAX_ASSIGNMENTS) return undefined;
    let text: string | undefined;
    for (const assignment of assignments) {
      const value = assignedLiteral(context, scope, assignment, depth);
      if (value === undefined) return undefined;
      text = assignment.appends ? (text ?? '') + value : value;
    }
    return text;
  });
}

/** The literal text of an assigned value, computed once per assignment. */
function assignedLiteral(
  context: Context,
  scope: SyntaxNode,
  assignment: Assignment,
  depth: number,
): string | undefined {
  if (assignment.literal === undefined) {
    const value =
      assignment.value === null ? undefined : literalValue(context, scope, assignment.value.walk(), depth + 1);
    assignment.literal = value ?? null;
  }
  return assignment.literal ?? undefined;
}

export function stringLiteralText(type: string, text: string): string | undefined {
  if (type !== 'interpreted_string_literal' && type !== 'raw_string_literal') return undefined;
  return text.slice(1, -1);
}

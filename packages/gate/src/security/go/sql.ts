// go/sql-concat: SQL text built with `fmt.Sprintf` or `+` passed to `Query`/`Exec`/.. methods.
import type { SyntaxNode } from '@kode/lang';
import { looksLikeSql } from '../command-text.js';
import { reachingAssignments } from './assignments.js';
import { MAX_RESOLVE_DEPTH, report, SQL_CONTEXT_METHODS } from './context.js';
import type { AssignedSql, Assignment, Context, TreeCursor } from './context.js';
import { atInnerExpression, cursorText, forEachArgument, forEachConcatenationPart, inField, typeAt } from './cursor.js';
import { literalValue } from './literals.js';

/** `db.Query(sql, ..)` and the other SQL methods; the cursor is on the call. */
export function checkSql(context: Context, call: TreeCursor, name: string, scope: SyntaxNode): void {
  const sqlIndex = SQL_CONTEXT_METHODS.has(name) ? 1 : 0;
  const before = call.startIndex;
  let built = false;
  forEachArgument(call, (argument, index) => {
    if (index === sqlIndex) built = isBuiltSql(context, scope, argument, before, 0);
  });
  if (built) report(context, 'go/sql-concat', call.startPosition);
}

/**
 * SQL text built from non-literal parts: `fmt.Sprintf(sqlLooking, args..)` or `"SELECT .." + x`, directly or through
 * a variable of the same function: built when one of the assignments reaching `before` is, or when its last value
 * set and the `+=` parts appended after it join SQL-looking text with a non-literal part.
 */
function isBuiltSql(context: Context, scope: SyntaxNode, cursor: TreeCursor, before: number, depth: number): boolean {
  if (depth > MAX_RESOLVE_DEPTH) return false;
  return atInnerExpression(cursor, (node) => {
    switch (typeAt(node)) {
      case 'call_expression': {
        if (!isSprintf(context, node)) return false;
        let template: string | undefined;
        const count = forEachArgument(node, (argument, index) => {
          if (index === 0) template = literalValue(context, scope, argument, depth + 1);
        });
        return count > 1 && template !== undefined && looksLikeSql(template);
      }
      case 'binary_expression': {
        let literalText = '';
        let dynamic = false;
        let built = false;
        const plus = forEachConcatenationPart(node, (part) => {
          if (built) return;
          if (isBuiltSql(context, scope, part, before, depth + 1)) built = true;
          const value = literalValue(context, scope, part, depth + 1);
          if (value === undefined) dynamic = true;
          else literalText += value;
        });
        return plus && (built || (dynamic && looksLikeSql(literalText)));
      }
      case 'identifier': {
        const assignments = reachingAssignments(context, scope, cursorText(context, node), before);
        for (const assignment of assignments) {
          if (assignedSql(context, scope, assignment, depth)?.built === true) return true;
        }
        // `q += " AND id = " + id` after `q := "SELECT .."`: the last value set and the parts appended to it.
        let start = assignments.length - 1;
        while (start > 0 && assignments[start]?.appends === true) start -= 1;
        let literalText = '';
        let dynamic = false;
        for (const assignment of assignments.slice(Math.max(start, 0))) {
          const sql = assignedSql(context, scope, assignment, depth);
          if (sql === undefined) continue;
          literalText += sql.text;
          dynamic ||= assignment.appends && sql.hasNonLiteralPart;
        }
        return dynamic && looksLikeSql(literalText);
      }
      default:
        return false;
    }
  });
}

/** The SQL reading of an assigned value, computed once per assignment (a variable can be used many times). */
function assignedSql(
  context: Context,
  scope: SyntaxNode,
  assignment: Assignment,
  depth: number,
): AssignedSql | undefined {
  if (assignment.value === null) return undefined;
  if (assignment.sql !== undefined) return assignment.sql;
  const built = isBuiltSql(context, scope, assignment.value.walk(), assignment.position, depth + 1);
  let text = '';
  let hasNonLiteralPart = false;
  const collect = (part: TreeCursor): void => {
    const value = literalValue(context, scope, part, depth + 1);
    if (value === undefined) hasNonLiteralPart = true;
    else text += value;
  };
  const valueCursor = assignment.value.walk();
  if (typeAt(valueCursor) === 'binary_expression') forEachConcatenationPart(valueCursor, collect);
  else collect(valueCursor);
  assignment.sql = { built, text, hasNonLiteralPart };
  return assignment.sql;
}

/** Whether the call under the cursor is `fmt.Sprintf(..)` (any alias of fmt, or `Sprintf` when dot-imported). */
function isSprintf(context: Context, cursor: TreeCursor): boolean {
  const imports = context.imports;
  return (
    inField(cursor, 'function', (callee) => {
      if (typeAt(callee) === 'identifier') return imports.fmtDot && cursorText(context, callee) === 'Sprintf';
      if (typeAt(callee) !== 'selector_expression') return false;
      const operand = inField(callee, 'operand', (node) =>
        typeAt(node) === 'identifier' ? cursorText(context, node) : undefined,
      );
      const field = inField(callee, 'field', (node) => cursorText(context, node));
      return operand !== undefined && imports.fmt.has(operand) && field === 'Sprintf';
    }) === true
  );
}

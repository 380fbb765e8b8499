// rust/sql-concat: SQL text built with `format!` passed to `query`/`execute`/.. calls.
import type { SyntaxNode } from '@kode/lang';
import { looksLikeSql } from '../command-text.js';
import { bindingBefore } from './bindings.js';
import { MAX_RESOLVE_DEPTH, report } from './context.js';
import type { Context, TreeCursor } from './context.js';
import { atInnerExpression, cursorText, firstArgument, methodCallAt, pathCallAt, typeAt } from './cursor.js';
import { formatMacroAt } from './macros.js';

/** A call of `query`/`execute`/..: the cursor is on the method name (`isMethod`) or the function name. */
export function checkSqlSink(context: Context, cursor: TreeCursor, scope: SyntaxNode, isMethod: boolean): void {
  const probe = context.probe;
  if (!(isMethod ? methodCallAt(probe, cursor) : pathCallAt(probe, cursor))) return;
  if (firstArgument(probe, (sql) => isFormattedSql(context, scope, sql, 0)) === true) {
    report(context, 'rust/sql-concat', isMethod ? cursor.startPosition : probe.startPosition);
  }
}

/** `format!("SELECT .. {}", x)` reached directly, through `&`, `.as_str()`, `&*` or a `let` in the same function. */
function isFormattedSql(context: Context, scope: SyntaxNode, cursor: TreeCursor, depth: number): boolean {
  if (depth > MAX_RESOLVE_DEPTH) return false;
  return atInnerExpression(context, cursor, (inner) => {
    if (typeAt(inner) === 'macro_invocation') {
      const format = formatMacroAt(context, inner);
      return format !== undefined && format.interpolated && looksLikeSql(format.template);
    }
    if (typeAt(inner) === 'identifier') {
      const value = bindingBefore(context, scope, cursorText(context, inner), inner.startIndex)?.value;
      return value !== null && value !== undefined && isFormattedSql(context, scope, value.walk(), depth + 1);
    }
    return false;
  });
}

// Dangerous-code rules for Go (SPEC §4.10): `go/shell-exec`, `go/sql-concat`, `go/tls-disabled`, `go/unsafe`, read
// from the tree-sitter-go tree of the post-image.
//
// Speed: in node-tree-sitter every SyntaxNode step (`parent`, `namedChildren`, `childForFieldName`) is a native call
// that allocates and caches a node, several microseconds each in a large tree, while a TreeCursor step is about ten
// times cheaper. A dense 1 MB one-line file has tens of thousands of candidates, so the rules read the tree through
// cursors: one walk picks candidates by node type and token text (import specs; `Command`, `QueryRow`,
// `InsecureSkipVerify`), a second cursor goes up from a candidate and down into its arguments, and text comes from
// one copy of the source. Imports and package-level declarations are read first; the walk indexes each function's
// assignments in document order, so a call is judged when the walk reaches it, against the assignments before it.
// Nodes are materialised only where they must be kept for later (an assigned value).
import type { SyntaxNode } from '@kode/lang';
import type { SecurityFinding } from './types.js';
import { indexAssignments } from './go/assignments.js';
import {
  BINDING_TYPES,
  COMMAND_FUNCTIONS,
  SCOPE_TYPES,
  SQL_CONTEXT_METHODS,
  SQL_METHODS,
  TLS_FIELD,
} from './go/context.js';
import type { Context } from './go/context.js';
import { calleeCallAt, cursorText, typeAt, walkWithScope } from './go/cursor.js';
import { indexPackageLevel, isVarOrConstSpec } from './go/package-level.js';
import { checkCommand } from './go/shell.js';
import { checkSql } from './go/sql.js';
import { checkTls } from './go/tls.js';

/** Findings of the four Go rules in one file, ordered by position. */
export function scanGo(root: SyntaxNode): SecurityFinding[] {
  const source = root.text;
  const wantsUnsafe = source.includes('unsafe');
  const wantsShell = source.includes('Command');
  const wantsSql = /Query|Exec|Prepare|Raw/.test(source);
  const wantsTls = source.includes(TLS_FIELD);
  if (!wantsUnsafe && !wantsShell && !wantsSql && !wantsTls) return [];
  const context: Context = {
    root,
    source,
    base: root.startIndex,
    findings: [],
    probe: root.walk(),
    imports: { exec: new Set(), fmt: new Set(), execDot: false, fmtDot: false, shadowed: new Set() },
    scopes: new Map(),
  };
  const wantsBindings = wantsShell || wantsSql;
  // Imports and package-level declarations first: a function may use a constant declared below it.
  indexPackageLevel(context, wantsBindings);
  walkWithScope(root, SCOPE_TYPES, (cursor, scope, depth) => {
    const type = typeAt(cursor);
    if (type === 'field_identifier' || type === 'identifier') {
      const name = cursorText(context, cursor);
      if (wantsTls && name === TLS_FIELD) checkTls(context, cursor);
      else if (wantsShell && COMMAND_FUNCTIONS.has(name)) {
        const operand = calleeCallAt(context, cursor);
        if (typeof operand === 'string') checkCommand(context, context.probe, name, operand, scope);
      } else if (wantsSql && type === 'field_identifier' && (SQL_METHODS.has(name) || SQL_CONTEXT_METHODS.has(name))) {
        if (calleeCallAt(context, cursor) !== undefined) checkSql(context, context.probe, name, scope);
      }
    } else if (wantsBindings && BINDING_TYPES.has(type)) {
      // source_file > var_declaration > [var_spec_list >] var_spec: indexed before the walk.
      const packageLevel = scope === root && depth <= 3 && isVarOrConstSpec(type);
      if (!packageLevel) indexAssignments(context, cursor, scope);
    }
  });
  return context.findings.sort((left, right) => left.line - right.line || left.column - right.column);
}

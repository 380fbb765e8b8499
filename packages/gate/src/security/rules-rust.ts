// Dangerous-code rules for Rust (SPEC §4.10): `rust/unsafe`, `rust/shell-exec`, `rust/sql-concat`,
// `rust/tls-disabled`, read from the tree-sitter-rust tree of the post-image.
//
// Speed: in node-tree-sitter every SyntaxNode step (`parent`, `namedChildren`, `childForFieldName`) is a native call
// that allocates and caches a node, several microseconds each in a large tree, while a TreeCursor step is about ten
// times cheaper. A dense 1 MB one-line file has tens of thousands of candidates, so the rules read the tree through
// cursors: one walk picks candidates by node type and token text (an `unsafe` token, a method named `execute`, the
// `new` of `Command::new`), a second cursor goes up from a candidate and down into its arguments, and text comes from
// one copy of the source. Nodes are materialised only where a value must be kept for later (a `let` initialiser).
import type { SyntaxNode } from '@kode/lang';
import type { SecurityFinding } from './types.js';
import { indexBinding, indexReceiverChain, scopeIndex } from './rust/bindings.js';
import { ARGUMENT_METHODS, BINDING_TYPES, SQL_CALLEES, TLS_METHODS } from './rust/context.js';
import type { Context } from './rust/context.js';
import { cursorText, isFollowedByCall, typeAt, walkWithScope } from './rust/cursor.js';
import { checkShellCommand, finishBoundCommand, isShellCommandNew } from './rust/shell.js';
import { checkSqlSink } from './rust/sql.js';
import { checkTls } from './rust/tls.js';
import { checkNeutralizedUnsafeExtern, checkUnsafeToken } from './rust/unsafe.js';

const FUNCTION_SCOPES: ReadonlySet<string> = new Set(['function_item']);

/**
 * Findings of the four Rust rules in one file, ordered by position. `originalText` is the file as written: @kode/lang
 * blanks the `unsafe` of Rust 2024 `unsafe extern` blocks before parsing, so only the original shows it (default: the
 * tree's own text, in which such a block reads as a plain `extern`).
 */
export function scanRust(root: SyntaxNode, originalText: string = root.text): SecurityFinding[] {
  const source = root.text;
  const wantsUnsafe = originalText.includes('unsafe');
  const wantsShell = source.includes('Command');
  const wantsSql = source.includes('format');
  const wantsTls = source.includes('danger_accept_invalid_');
  if (!wantsUnsafe && !wantsShell && !wantsSql && !wantsTls) return [];
  const context: Context = {
    root,
    source,
    base: root.startIndex,
    originalText,
    originalBase: originalText === source ? root.startIndex : 0,
    findings: [],
    probe: root.walk(),
    scopes: new Map(),
    pendingCommands: [],
    constants: undefined,
  };
  const wantsBindings = wantsShell || wantsSql;
  walkWithScope(root, FUNCTION_SCOPES, (cursor, scope) => {
    const type = typeAt(cursor);
    if (wantsBindings && BINDING_TYPES.has(type)) {
      indexBinding(context, cursor, scopeIndex(context, scope));
      return;
    }
    switch (type) {
      case 'unsafe':
        if (wantsUnsafe && !cursor.nodeIsNamed) checkUnsafeToken(context, cursor);
        break;
      case 'foreign_mod_item':
        if (wantsUnsafe) checkNeutralizedUnsafeExtern(context, cursor);
        break;
      case 'field_identifier': {
        const name = cursorText(context, cursor);
        if (wantsShell && ARGUMENT_METHODS.has(name)) indexReceiverChain(context, cursor, scopeIndex(context, scope));
        else if (wantsTls && TLS_METHODS.has(name)) checkTls(context, cursor);
        else if (wantsSql && SQL_CALLEES.has(name) && isFollowedByCall(context, cursor.endIndex)) {
          checkSqlSink(context, cursor, scope, true);
        }
        break;
      }
      case 'identifier': {
        const name = cursorText(context, cursor);
        if (wantsShell && name === 'new') {
          if (isShellCommandNew(context, cursor.startIndex, cursor.endIndex)) checkShellCommand(context, cursor, scope);
        } else if (wantsSql && SQL_CALLEES.has(name) && isFollowedByCall(context, cursor.endIndex)) {
          checkSqlSink(context, cursor, scope, false);
        }
        break;
      }
    }
  });
  for (const pending of context.pendingCommands) finishBoundCommand(context, pending);
  return context.findings.sort((left, right) => left.line - right.line || left.column - right.column);
}

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
import { ruleSeverity } from './catalog.js';
import type { SecurityFinding } from './types.js';

type TreeCursor = ReturnType<SyntaxNode['walk']>;

interface Point {
  readonly row: number;
  readonly column: number;
}

const TLS_METHODS = new Set(['danger_accept_invalid_certs', 'danger_accept_invalid_hostnames']);
/** Calls and methods whose first argument is SQL text (sqlx, rusqlite, postgres, tokio-postgres, diesel, mysql). */
const SQL_CALLEES = new Set([
  'query',
  'query_as',
  'query_scalar',
  'execute',
  'prepare',
  'query_row',
  'query_map',
  'batch_execute',
  'sql_query',
]);
const ARGUMENT_METHODS = new Set(['arg', 'args']);
/** Methods that turn a string into an owned or borrowed string without changing its text. */
const STRING_CONVERSIONS = new Set(['to_string', 'to_owned', 'into', 'as_str', 'as_ref', 'clone', 'to_os_string']);
/** `String::from("x")`, `OsStr::new("x")`, ...: the same text as the literal. */
const STRING_CONSTRUCTORS = new Set(['String::from', 'OsString::from', 'OsStr::new', 'str::to_string']);
const COMMENT_TYPES = new Set(['line_comment', 'block_comment']);
/** Constructs that bind names by pattern (`|a, b|`, `for (i, x) in`, `if let Some(x)`, match arms, parameters). */
const PATTERN_BINDERS = new Set(['parameter', 'closure_parameters', 'for_expression', 'let_condition', 'match_arm']);
const BINDING_TYPES = new Set([
  'let_declaration',
  'assignment_expression',
  'compound_assignment_expr',
  ...PATTERN_BINDERS,
]);
/** How many wrappers and variables deep a value is followed; bounds the work per candidate. */
const MAX_RESOLVE_DEPTH = 8;
/** How many chained calls are followed after `Command::new(..)`; builder chains are far shorter. */
const MAX_CHAIN_LENGTH = 64;

/** A shell that runs its command-flag operand as a script, by the flag convention it follows. */
type ShellKind = 'posix' | 'cmd' | 'powershell';

/** One argument handed to a `Command`: its literal text (undefined when not literal) and where it starts. */
interface CommandArgument {
  readonly literal: string | undefined;
  readonly site: Point | undefined;
}

interface Binding {
  /** Where the name is bound; the binding applies to uses after it. */
  readonly position: number;
  /** `let` initialiser or assigned value; null for parameters, patterns and `let` without initialiser. */
  readonly value: SyntaxNode | null;
  readonly mutable: boolean;
}

/** A `name.arg(..).arg(..)` chain on a plain variable: its `arg`/`args` calls, in order. */
interface ReceiverChain {
  readonly position: number;
  readonly calls: readonly { readonly call: SyntaxNode; readonly method: string }[];
}

interface ScopeIndex {
  /** Bindings per name, sorted by position. */
  readonly bindings: Map<string, Binding[]>;
  /** Chains per receiver name, in document order. */
  readonly receiverChains: Map<string, ReceiverChain[]>;
}

/** A `Command` bound by `let`, judged after the walk has indexed the variable's later `.arg` calls. */
interface PendingCommand {
  readonly program: string;
  readonly collected: CommandArgument[];
  readonly variable: string;
  readonly statementEnd: number;
  readonly scope: SyntaxNode;
}

interface Context {
  readonly root: SyntaxNode;
  readonly source: string;
  /** Offset of `source` in the tree's text: the root node starts after leading whitespace. */
  readonly base: number;
  /** The file as written, and the offset of its first character in tree positions (0 for the whole file). */
  readonly originalText: string;
  readonly originalBase: number;
  readonly findings: SecurityFinding[];
  /** Second cursor: goes up from a candidate of the walk and down into its arguments. */
  readonly probe: TreeCursor;
  /** Per function (the SyntaxNode object the walk hands out, stable while inside it), filled as the walk goes. */
  readonly scopes: Map<SyntaxNode, ScopeIndex>;
  readonly pendingCommands: PendingCommand[];
  constants: Map<string, SyntaxNode | null> | undefined;
}

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
  walkWithScope(root, 'function_item', (cursor, scope) => {
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

/**
 * Visits every node of `root` depth-first with one cursor, passing the innermost enclosing node of `scopeType` (or
 * the root). The scope stack is kept by depth, so no node is asked for its parent.
 */
function walkWithScope(
  root: SyntaxNode,
  scopeType: string,
  visit: (cursor: TreeCursor, scope: SyntaxNode) => void,
): void {
  const cursor = root.walk();
  const scopes: { readonly depth: number; readonly node: SyntaxNode }[] = [];
  let depth = 0;
  for (;;) {
    while (scopes.length > 0 && (scopes[scopes.length - 1]?.depth ?? -1) >= depth) scopes.pop();
    if (typeAt(cursor) === scopeType) scopes.push({ depth, node: cursor.currentNode });
    visit(cursor, scopes[scopes.length - 1]?.node ?? root);
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

function report(context: Context, ruleId: string, position: Point, columnShift = 0): void {
  context.findings.push({
    ruleId,
    severity: ruleSeverity(ruleId),
    line: position.row + 1,
    column: Math.max(1, position.column + 1 + columnShift),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cursor reading. Every helper returns the cursor to the node it started on.

/** The node type under a cursor. Read through a call: the cursor moves, so TypeScript must not narrow a property. */
function typeAt(cursor: TreeCursor): string {
  return cursor.nodeType;
}

/** The field name of the node under a cursor within its parent (see typeAt). */
function fieldAt(cursor: TreeCursor): string {
  return cursor.currentFieldName;
}

function cursorText(context: Context, cursor: TreeCursor): string {
  return context.source.slice(cursor.startIndex - context.base, cursor.endIndex - context.base);
}

function textOf(context: Context, node: SyntaxNode): string {
  return context.source.slice(node.startIndex - context.base, node.endIndex - context.base);
}

/** Calls `read` on the child in `field` and returns its result; undefined when there is no such child. */
function inField<T>(cursor: TreeCursor, field: string, read: (cursor: TreeCursor) => T): T | undefined {
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
function forEachNamedChild(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  if (!cursor.gotoFirstChild()) return 0;
  let count = 0;
  do {
    if (cursor.nodeIsNamed && !COMMENT_TYPES.has(typeAt(cursor)) && typeAt(cursor) !== 'attribute_item') {
      visit(cursor, count);
      count += 1;
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return count;
}

/** Calls `visit` on each argument of the call under the cursor; returns how many there are. */
function forEachArgument(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  return inField(cursor, 'arguments', (list) => forEachNamedChild(list, visit)) ?? 0;
}

function firstArgument<T>(cursor: TreeCursor, read: (cursor: TreeCursor) => T): T | undefined {
  let result: T | undefined;
  forEachArgument(cursor, (argument, index) => {
    if (index === 0) result = read(argument);
  });
  return result;
}

/**
 * Descends through `&x`, `&mut x`, `*x`, `(x)` and text-preserving conversions (`x.as_str()`, `x.to_string()`), calls
 * `read` on the inner expression and comes back.
 */
function atInnerExpression<T>(context: Context, cursor: TreeCursor, read: (cursor: TreeCursor) => T): T {
  let levels = 0;
  for (let step = 0; step < MAX_RESOLVE_DEPTH; step += 1) {
    const moved = unwrapStep(context, cursor);
    if (moved === 0) break;
    levels += moved;
  }
  const result = read(cursor);
  for (; levels > 0; levels -= 1) cursor.gotoParent();
  return result;
}

/** One wrapper down; how many levels the cursor moved (0 when the node is not a wrapper). */
function unwrapStep(context: Context, cursor: TreeCursor): number {
  switch (typeAt(cursor)) {
    case 'reference_expression':
      return gotoFieldChild(cursor, 'value') ? 1 : 0;
    case 'parenthesized_expression':
    case 'unary_expression': {
      if (!cursor.gotoFirstChild()) return 0;
      const dereference = typeAt(cursor) === '*';
      const isParenthesis = typeAt(cursor) === '(';
      if (dereference || isParenthesis) {
        while (cursor.gotoNextSibling()) if (cursor.nodeIsNamed && !COMMENT_TYPES.has(typeAt(cursor))) return 1;
      }
      cursor.gotoParent();
      return 0;
    }
    case 'call_expression': {
      if (forEachArgument(cursor, () => undefined) > 0 || !gotoFieldChild(cursor, 'function')) return 0;
      if (typeAt(cursor) === 'field_expression') {
        const method = inField(cursor, 'field', (field) => cursorText(context, field));
        if (method !== undefined && STRING_CONVERSIONS.has(method) && gotoFieldChild(cursor, 'value')) return 2;
      }
      cursor.gotoParent();
      return 0;
    }
    default:
      return 0;
  }
}

/** Moves to the child in `field`; false (cursor unchanged) when there is none. */
function gotoFieldChild(cursor: TreeCursor, field: string): boolean {
  if (!cursor.gotoFirstChild()) return false;
  do {
    if (fieldAt(cursor) === field) return true;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// rust/unsafe

/** An `unsafe` keyword: a block, an `unsafe fn` / `impl` / `trait`, or one of these inside a macro's token tree. */
function checkUnsafeToken(context: Context, cursor: TreeCursor): void {
  const probe = context.probe;
  probe.resetTo(cursor);
  if (!probe.gotoParent()) return;
  switch (typeAt(probe)) {
    case 'unsafe_block':
    case 'impl_item':
    case 'trait_item':
      report(context, 'rust/unsafe', cursor.startPosition);
      return;
    case 'function_modifiers':
      // `unsafe fn()` as a function-pointer type declares nothing unsafe; only items count.
      if (probe.gotoParent() && (typeAt(probe) === 'function_item' || typeAt(probe) === 'function_signature_item')) {
        report(context, 'rust/unsafe', cursor.startPosition);
      }
      return;
    case 'token_tree':
      probe.resetTo(cursor);
      if (startsUnsafeCodeInTokens(probe)) report(context, 'rust/unsafe', cursor.startPosition);
      return;
  }
}

/**
 * Macro arguments are raw tokens (`assert_eq!(unsafe { f() }, 1)`, `macro_rules!` bodies): `unsafe` followed by a
 * brace group, `fn name`, `impl`, `trait` or `extern ["abi"] {` is unsafe code the macro expands to. The probe
 * starts on the `unsafe` token and moves along its siblings.
 */
function startsUnsafeCodeInTokens(probe: TreeCursor): boolean {
  if (!nextToken(probe)) return false;
  if (typeAt(probe) === 'extern') {
    if (!nextToken(probe)) return false;
    if (typeAt(probe) === 'string_literal' && !nextToken(probe)) return false;
  }
  switch (typeAt(probe)) {
    case 'token_tree':
      return probe.gotoFirstChild() && typeAt(probe) === '{';
    case 'impl':
    case 'trait':
      return true;
    case 'fn':
      return nextToken(probe) && typeAt(probe) === 'identifier';
    default:
      return false;
  }
}

function nextToken(probe: TreeCursor): boolean {
  do {
    if (!probe.gotoNextSibling()) return false;
  } while (COMMENT_TYPES.has(typeAt(probe)));
  return true;
}

/** An `extern` block whose original text reads `unsafe extern` (blanked for the parser, see scanRust). */
function checkNeutralizedUnsafeExtern(context: Context, cursor: TreeCursor): void {
  const start = cursor.startIndex - context.originalBase;
  const before = context.originalText.slice(Math.max(0, start - 64), start);
  const match = /\bunsafe\s+$/u.exec(before);
  if (match === null) return;
  const distance = before.length - match.index;
  const position = cursor.startPosition;
  // Same line (the usual case): point at `unsafe`; otherwise at the block.
  const shift = before.slice(match.index).includes('\n') ? 0 : -distance;
  report(context, 'rust/unsafe', position, shift);
}

// ---------------------------------------------------------------------------------------------------------------
// rust/tls-disabled

function checkTls(context: Context, cursor: TreeCursor): void {
  const probe = context.probe;
  if (!methodCallAt(probe, cursor)) return;
  let enabled = false;
  const count = forEachArgument(probe, (argument) => {
    enabled = typeAt(argument) === 'boolean_literal' && cursorText(context, argument) === 'true';
  });
  if (count === 1 && enabled) report(context, 'rust/tls-disabled', cursor.startPosition);
}

// ---------------------------------------------------------------------------------------------------------------
// rust/sql-concat

/** A call of `query`/`execute`/..: the cursor is on the method name (`isMethod`) or the function name. */
function checkSqlSink(context: Context, cursor: TreeCursor, scope: SyntaxNode, isMethod: boolean): void {
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

/** The template of a `format!` call and whether it interpolates anything; undefined for other macros. */
function formatMacroAt(
  context: Context,
  cursor: TreeCursor,
): { readonly template: string; readonly interpolated: boolean } | undefined {
  const name = inField(cursor, 'macro', (macro) => cursorText(context, macro));
  if (name !== 'format' && name !== 'std::format' && name !== 'alloc::format') return undefined;
  const tokens = macroTokensAt(context, cursor);
  const first = tokens[0];
  if (first === undefined || first.literal === undefined) return undefined;
  const hasArguments = tokens.some((token, index) => index > 0 && token.type !== ',');
  return { template: first.literal, interpolated: hasArguments || hasPlaceholder(first.literal) };
}

/** A token of a macro's arguments: its type, and its text when it is a string literal. */
interface MacroToken {
  readonly type: string;
  readonly literal: string | undefined;
  readonly text: string;
  readonly start: number;
}

/** The tokens between a macro's outer delimiters (comments left out), read with the cursor on the invocation. */
function macroTokensAt(context: Context, cursor: TreeCursor): MacroToken[] {
  const tokens: MacroToken[] = [];
  if (!cursor.gotoFirstChild()) return tokens;
  do {
    if (typeAt(cursor) !== 'token_tree' || !cursor.gotoFirstChild()) continue;
    let index = 0;
    do {
      const type = typeAt(cursor);
      // Skip the opening delimiter (index 0) and, below, the closing one.
      if (index > 0 && !COMMENT_TYPES.has(type)) {
        const text = cursorText(context, cursor);
        const literal = type === 'string_literal' || type === 'raw_string_literal' ? quotedText(text) : undefined;
        tokens.push({ type, literal, text, start: cursor.startIndex });
      }
      index += 1;
    } while (cursor.gotoNextSibling());
    tokens.pop();
    cursor.gotoParent();
    break;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return tokens;
}

/** A `{..}` placeholder that is not an escaped `{{`. Linear scan. */
function hasPlaceholder(template: string): boolean {
  for (let index = template.indexOf('{'); index !== -1; index = template.indexOf('{', index + 2)) {
    if (template[index + 1] !== '{') return true;
  }
  return false;
}

const SQL_VERBS = new Set(['select', 'insert', 'update', 'delete']);
const SQL_CLAUSES = new Set(['from', 'into', 'set', 'where', 'values']);

/**
 * SQL-looking text: a statement verb (SELECT/INSERT/UPDATE/DELETE) followed later by FROM/INTO/SET/WHERE/VALUES. The
 * verb must open the text (after `WITH ..` or `EXPLAIN`, anywhere) or be written in capitals, so English sentences
 * ("select a file from the list") are not SQL. One pass over the words: linear on any input.
 */
function looksLikeSql(text: string): boolean {
  let verbSeen = false;
  let first = true;
  let anywhere = false;
  for (const match of text.matchAll(/[A-Za-z]+/g)) {
    const word = match[0];
    const lower = word.toLowerCase();
    if (verbSeen) {
      if (SQL_CLAUSES.has(lower)) return true;
    } else if (SQL_VERBS.has(lower) && (first || anywhere || word === word.toUpperCase())) {
      verbSeen = true;
    } else if (first && (lower === 'with' || lower === 'explain')) {
      anywhere = true;
    }
    first = false;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// rust/shell-exec

/**
 * `Command::new("sh")` (the cursor is on `new`): follows its builder chain; when the chain initialises
 * `let [mut] name`, the variable's later `name.arg(..)` / `name.args(..)` chains are added after the walk.
 */
function checkShellCommand(context: Context, cursor: TreeCursor, scope: SyntaxNode): void {
  const probe = context.probe;
  if (!pathCallAt(probe, cursor)) return;
  const program = firstArgument(probe, (argument) => literalValue(context, scope, argument, 0));
  if (program === undefined) return;
  const collected: CommandArgument[] = [];
  if (climbChain(context, probe, scope, collected)) {
    // The probe is on the `let` the chain initialises.
    const variable = inField(probe, 'pattern', (pattern) =>
      typeAt(pattern) === 'identifier' ? cursorText(context, pattern) : undefined,
    );
    if (variable !== undefined) {
      context.pendingCommands.push({ program, collected, variable, statementEnd: probe.endIndex, scope });
      return;
    }
  }
  const script = shellScriptArgument(program, collected);
  if (script?.site !== undefined) report(context, 'rust/shell-exec', script.site);
}

/** `let mut c = Command::new("sh"); c.arg("-c"); c.arg(script);`: adds the variable's later chains, then decides. */
function finishBoundCommand(context: Context, pending: PendingCommand): void {
  const { program, collected, variable, statementEnd, scope } = pending;
  const index = scopeIndex(context, scope);
  const end = nextBindingPosition(index, variable, statementEnd);
  const chains = index.receiverChains.get(variable) ?? [];
  // Binary search for the first chain after the statement; chains are in document order.
  let low = 0;
  let high = chains.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((chains[middle]?.position ?? 0) < statementEnd) low = middle + 1;
    else high = middle;
  }
  for (let chainIndex = low; chainIndex < chains.length; chainIndex += 1) {
    const chain = chains[chainIndex];
    if (chain === undefined || chain.position >= end) break;
    for (const { call, method } of chain.calls) appendArgumentsAt(context, scope, call.walk(), method, collected);
  }
  const script = shellScriptArgument(program, collected);
  if (script?.site !== undefined) report(context, 'rust/shell-exec', script.site);
}

/**
 * From the call under the probe, climbs the method chain built on it, appending `.arg`/`.args` arguments. True when
 * the chain initialises a `let` (the probe is then on the `let_declaration`).
 */
function climbChain(context: Context, probe: TreeCursor, scope: SyntaxNode, collected: CommandArgument[]): boolean {
  for (let length = 0; length < MAX_CHAIN_LENGTH; length += 1) {
    const field = fieldAt(probe);
    const receiverEnd = probe.endIndex;
    if (!probe.gotoParent()) return false;
    if (typeAt(probe) !== 'field_expression' || field !== 'value') {
      return typeAt(probe) === 'let_declaration' && field === 'value';
    }
    const method = trailingIdentifier(context.source.slice(receiverEnd - context.base, probe.endIndex - context.base));
    const memberField = fieldAt(probe);
    if (!probe.gotoParent() || typeAt(probe) !== 'call_expression' || memberField !== 'function') return false;
    if (ARGUMENT_METHODS.has(method)) appendArgumentsAt(context, scope, probe, method, collected);
  }
  return false;
}

/** The identifier at the end of `text` (`"\n    .arg"` gives `arg`); a scan from the end, not a regex. */
function trailingIdentifier(text: string): string {
  let start = text.length;
  while (start > 0 && /\w/.test(text[start - 1] ?? '')) start -= 1;
  return text.slice(start);
}

/** The arguments of the `.arg(..)` / `.args(..)` call under the cursor. */
function appendArgumentsAt(
  context: Context,
  scope: SyntaxNode,
  cursor: TreeCursor,
  method: string,
  collected: CommandArgument[],
): void {
  firstArgument(cursor, (argument) => {
    const site = (): Point => argument.startPosition;
    if (method === 'arg') {
      const literal = literalValue(context, scope, argument, 0);
      collected.push({ literal, site: literal === undefined ? site() : undefined });
      return;
    }
    const elements = sequenceElements(context, scope, argument);
    if (elements === undefined) collected.push({ literal: undefined, site: site() });
    else for (const literal of elements) collected.push({ literal, site: literal === undefined ? site() : undefined });
  });
}

/** The literal values (undefined = not literal) of `["-c", x]`, `&[..]`, `vec![..]`; undefined when unknown. */
function sequenceElements(context: Context, scope: SyntaxNode, cursor: TreeCursor): (string | undefined)[] | undefined {
  if (typeAt(cursor) === 'reference_expression') {
    return inField(cursor, 'value', (inner) => sequenceElements(context, scope, inner));
  }
  if (typeAt(cursor) === 'array_expression') {
    const elements: (string | undefined)[] = [];
    forEachNamedChild(cursor, (element) => elements.push(literalValue(context, scope, element, 0)));
    return elements;
  }
  if (
    typeAt(cursor) === 'macro_invocation' &&
    inField(cursor, 'macro', (name) => cursorText(context, name)) === 'vec'
  ) {
    return tokenElements(context, scope, macroTokensAt(context, cursor));
  }
  return undefined;
}

/** Comma-separated elements of macro tokens: literal text for `"x"`, `&"x"`, `"x".to_string()`, else undefined. */
function tokenElements(context: Context, scope: SyntaxNode, tokens: readonly MacroToken[]): (string | undefined)[] {
  const elements: (string | undefined)[] = [];
  let group: MacroToken[] = [];
  for (const token of tokens) {
    if (token.type !== ',') {
      group.push(token);
      continue;
    }
    elements.push(tokenElementLiteral(context, scope, group));
    group = [];
  }
  if (group.length > 0) elements.push(tokenElementLiteral(context, scope, group));
  return elements;
}

function tokenElementLiteral(context: Context, scope: SyntaxNode, tokens: readonly MacroToken[]): string | undefined {
  let index = tokens[0]?.type === '&' ? 1 : 0;
  const head = tokens[index];
  if (head === undefined) return undefined;
  if (head.type === 'identifier' && tokens.length === index + 1) {
    return resolveName(context, scope, head.text, head.start, 0);
  }
  if (head.literal === undefined) return undefined;
  index += 1;
  // Allowed tail: `.to_string()`, `.to_owned()`, `.into()`.
  while (index < tokens.length) {
    const [dot, method, parentheses] = tokens.slice(index, index + 3);
    if (dot?.type !== '.' || method === undefined || !STRING_CONVERSIONS.has(method.text)) return undefined;
    if (parentheses?.type !== 'token_tree' || parentheses.text.replace(/\s/g, '') !== '()') return undefined;
    index += 3;
  }
  return head.literal;
}

/** The argument that is the script of `sh -c <script>` / `cmd /C ..` when it is not literal; undefined if safe. */
function shellScriptArgument(program: string, collected: readonly CommandArgument[]): CommandArgument | undefined {
  let kind = shellKindOf(program);
  let items = collected;
  if (kind === undefined && commandBaseName(program) === 'env') {
    // `env [-i] [NAME=value] sh -c ..`: the first plain operand is the program env runs.
    const programIndex = items.findIndex(
      (item) => item.literal === undefined || (!item.literal.startsWith('-') && !item.literal.includes('=')),
    );
    const wrapped = items[programIndex]?.literal;
    if (wrapped === undefined) return undefined;
    kind = shellKindOf(wrapped);
    items = items.slice(programIndex + 1);
  }
  if (kind === undefined) return undefined;
  const flagIndex = items.findIndex((item) => item.literal !== undefined && isCommandFlag(kind, item.literal));
  if (flagIndex === -1) return undefined;
  for (const item of items.slice(flagIndex + 1)) {
    if (item.literal === undefined) return item;
    // `sh -c script arg0 arg1`: only the first operand is code; later ones are safe positional parameters.
    if (kind === 'posix' && !item.literal.startsWith('-')) return undefined;
  }
  return undefined;
}

function commandBaseName(program: string): string {
  const base = program.slice(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish', 'csh', 'tcsh']);

function shellKindOf(program: string): ShellKind | undefined {
  const base = commandBaseName(program);
  if (POSIX_SHELLS.has(base)) return 'posix';
  if (base === 'cmd') return 'cmd';
  if (base === 'powershell' || base === 'pwsh') return 'powershell';
  return undefined;
}

const POWERSHELL_COMMAND_FLAGS = new Set(['-c', '-command', '-encodedcommand', '-ec', '-enc', '/c', '/command']);

/** `-c` and bundles such as `-lc`, `-ec` for POSIX shells; `/C` or `/K` for cmd; `-Command` for PowerShell. */
function isCommandFlag(kind: ShellKind, flag: string): boolean {
  if (kind === 'cmd') return /^\/[ck]$/i.test(flag);
  if (kind === 'powershell') return POWERSHELL_COMMAND_FLAGS.has(flag.toLowerCase());
  return flag.length >= 2 && flag.length <= 6 && /^-[A-Za-z]+$/.test(flag) && flag.includes('c');
}

/**
 * Cheap text check before any tree work: `new` is preceded by `Command ::` and its first argument is a shell or
 * `env` literal, or something else (a constant or variable, resolved later).
 */
function isShellCommandNew(context: Context, start: number, end: number): boolean {
  const source = context.source;
  let index = start - context.base - 1;
  while (index >= 0 && /\s/.test(source[index] ?? '')) index -= 1;
  if (source[index] !== ':' || source[index - 1] !== ':') return false;
  index -= 2;
  while (index >= 0 && /\s/.test(source[index] ?? '')) index -= 1;
  if (index < 6 || source.slice(index - 6, index + 1) !== 'Command' || /\w/.test(source[index - 7] ?? '')) return false;
  let after = end - context.base;
  while (after < source.length && /\s/.test(source[after] ?? '')) after += 1;
  if (source[after] !== '(') return false;
  after += 1;
  while (after < source.length && /\s/.test(source[after] ?? '')) after += 1;
  if (source[after] !== '"') return true;
  const close = source.indexOf('"', after + 1);
  if (close === -1) return false;
  const program = source.slice(after + 1, close);
  return shellKindOf(program) !== undefined || commandBaseName(program) === 'env';
}

// ---------------------------------------------------------------------------------------------------------------
// Literal values and bindings

/**
 * The text of the string-valued expression under the cursor when it is a literal: `"x"`, `r#"x"#`, `&"x"`,
 * `"x".to_string()`, `String::from("x")`, `format!("x")` / `concat!("a", "b")` without interpolation, a `const` /
 * `static` with a literal value, or an immutable `let` of the same function bound to one. Undefined otherwise.
 */
function literalValue(context: Context, scope: SyntaxNode, cursor: TreeCursor, depth: number): string | undefined {
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  return atInnerExpression(context, cursor, (node) => {
    switch (typeAt(node)) {
      case 'string_literal':
      case 'raw_string_literal':
        return quotedText(cursorText(context, node));
      case 'macro_invocation': {
        const format = formatMacroAt(context, node);
        if (format !== undefined) return format.interpolated ? undefined : format.template;
        if (inField(node, 'macro', (name) => cursorText(context, name)) !== 'concat') return undefined;
        let text = '';
        for (const token of macroTokensAt(context, node)) {
          if (token.type === ',') continue;
          if (token.literal === undefined) return undefined;
          text += token.literal;
        }
        return text;
      }
      case 'call_expression': {
        const path = inField(node, 'function', (callee) =>
          typeAt(callee) === 'scoped_identifier' ? cursorText(context, callee) : undefined,
        );
        if (path === undefined || !STRING_CONSTRUCTORS.has(path.replace(/^(?:std|alloc)::(?:\w+::)*/, ''))) {
          return undefined;
        }
        let value: string | undefined;
        const count = forEachArgument(node, (argument) => {
          value = literalValue(context, scope, argument, depth + 1);
        });
        return count === 1 ? value : undefined;
      }
      case 'identifier':
        return resolveName(context, scope, cursorText(context, node), node.startIndex, depth);
      default:
        return undefined;
    }
  });
}

/** The literal value of a name used at `position`: its `let` in the function, else a `const`/`static` item. */
function resolveName(
  context: Context,
  scope: SyntaxNode,
  name: string,
  position: number,
  depth: number,
): string | undefined {
  const binding = bindingBefore(context, scope, name, position);
  if (binding !== undefined) {
    if (binding.mutable || binding.value === null) return undefined;
    return literalValue(context, scope, binding.value.walk(), depth + 1);
  }
  const constant = constants(context).get(name);
  return constant === undefined || constant === null
    ? undefined
    : literalValue(context, scope, constant.walk(), depth + 1);
}

/** The characters between the quotes of `"x"`, `b"x"`, `r#"x"#` (escapes left as written). */
function quotedText(text: string): string {
  const open = text.indexOf('"');
  const close = text.lastIndexOf('"');
  return close > open ? text.slice(open + 1, close) : '';
}

/** `const`/`static` items of the file by name (null when a name is declared twice), collected on first need. */
function constants(context: Context): Map<string, SyntaxNode | null> {
  if (context.constants !== undefined) return context.constants;
  const found = new Map<string, SyntaxNode | null>();
  for (const item of context.root.descendantsOfType(['const_item', 'static_item'])) {
    const name = item.childForFieldName('name');
    if (name === null) continue;
    const key = textOf(context, name);
    found.set(key, found.has(key) ? null : item.childForFieldName('value'));
  }
  context.constants = found;
  return found;
}

/** The nearest binding of a name before `position` in a function (parameter, `let`, pattern, assignment). */
function bindingBefore(context: Context, scope: SyntaxNode, name: string, position: number): Binding | undefined {
  const bindings = scopeIndex(context, scope).bindings.get(name);
  if (bindings === undefined) return undefined;
  return bindings[firstAtOrAfter(bindings, position) - 1];
}

function nextBindingPosition(index: ScopeIndex, name: string, after: number): number {
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
function scopeIndex(context: Context, scope: SyntaxNode): ScopeIndex {
  let index = context.scopes.get(scope);
  if (index === undefined) {
    index = { bindings: new Map(), receiverChains: new Map() };
    context.scopes.set(scope, index);
  }
  return index;
}

/** Records the names a `let`, an assignment or a pattern binder under the cursor binds. */
function indexBinding(context: Context, cursor: TreeCursor, index: ScopeIndex): void {
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
function indexReceiverChain(context: Context, cursor: TreeCursor, index: ScopeIndex): void {
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

// ---------------------------------------------------------------------------------------------------------------
// Calls

/** Moves the probe from the method name under `cursor` to the call `receiver.name(..)` / `receiver.name::<T>(..)`. */
function methodCallAt(probe: TreeCursor, cursor: TreeCursor): boolean {
  probe.resetTo(cursor);
  if (fieldAt(probe) !== 'field' || !probe.gotoParent() || typeAt(probe) !== 'field_expression') return false;
  return calleeToCall(probe);
}

/** Moves the probe from the name under `cursor` to the call `name(..)` / `a::b::name(..)` (or a turbofish form). */
function pathCallAt(probe: TreeCursor, cursor: TreeCursor): boolean {
  probe.resetTo(cursor);
  if (fieldAt(probe) === 'name' && (!probe.gotoParent() || typeAt(probe) !== 'scoped_identifier')) {
    return false;
  }
  return calleeToCall(probe);
}

/** From a callee under the probe, up to the call it is the function of (through `generic_function`). */
function calleeToCall(probe: TreeCursor): boolean {
  let field = fieldAt(probe);
  if (!probe.gotoParent()) return false;
  if (typeAt(probe) === 'generic_function' && field === 'function') {
    field = fieldAt(probe);
    if (!probe.gotoParent()) return false;
  }
  return typeAt(probe) === 'call_expression' && field === 'function';
}

/** Cheap text check before any tree work: the name is followed by `(` or a turbofish `::<`. */
function isFollowedByCall(context: Context, end: number): boolean {
  let index = end - context.base;
  while (index < context.source.length && /\s/.test(context.source[index] ?? '')) index += 1;
  const character = context.source[index];
  return character === '(' || character === ':';
}

// The shared state of the Rust rules: node-type and method-name sets, the walk context, and finding reports.
import type { SyntaxNode } from '@kode/lang';
import { ruleSeverity } from '../catalog.js';
import type { SecurityFinding } from '../types.js';

export type { TreeCursor } from '../tree-cursor.js';
import type { TreeCursor } from '../tree-cursor.js';

export interface Point {
  readonly row: number;
  readonly column: number;
}

export const TLS_METHODS = new Set(['danger_accept_invalid_certs', 'danger_accept_invalid_hostnames']);
/** Calls and methods whose first argument is SQL text (sqlx, rusqlite, postgres, tokio-postgres, diesel, mysql). */
export const SQL_CALLEES = new Set([
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
export const ARGUMENT_METHODS = new Set(['arg', 'args']);
/** Methods that turn a string into an owned or borrowed string without changing its text. */
export const STRING_CONVERSIONS = new Set([
  'to_string',
  'to_owned',
  'into',
  'as_str',
  'as_ref',
  'clone',
  'to_os_string',
]);
/** `String::from("x")`, `OsStr::new("x")`, ...: the same text as the literal. */
export const STRING_CONSTRUCTORS = new Set(['String::from', 'OsString::from', 'OsStr::new', 'str::to_string']);
export const COMMENT_TYPES = new Set(['line_comment', 'block_comment']);
/** Constructs that bind names by pattern (`|a, b|`, `for (i, x) in`, `if let Some(x)`, match arms, parameters). */
const PATTERN_BINDERS = new Set(['parameter', 'closure_parameters', 'for_expression', 'let_condition', 'match_arm']);
export const BINDING_TYPES = new Set([
  'let_declaration',
  'assignment_expression',
  'compound_assignment_expr',
  ...PATTERN_BINDERS,
]);
/** How many wrappers and variables deep a value is followed; bounds the work per candidate. */
export const MAX_RESOLVE_DEPTH = 8;
/** How many chained calls are followed after `Command::new(..)`; builder chains are far shorter. */
export const MAX_CHAIN_LENGTH = 64;

/** One argument handed to a `Command`: its literal text (undefined when not literal) and where it starts. */
export interface CommandArgument {
  readonly literal: string | undefined;
  readonly site: Point | undefined;
}

export interface Binding {
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

export interface ScopeIndex {
  /** Bindings per name, sorted by position. */
  readonly bindings: Map<string, Binding[]>;
  /** Chains per receiver name, in document order. */
  readonly receiverChains: Map<string, ReceiverChain[]>;
}

/** A `Command` bound by `let`, judged after the walk has indexed the variable's later `.arg` calls. */
export interface PendingCommand {
  readonly program: string;
  readonly collected: CommandArgument[];
  readonly variable: string;
  readonly statementEnd: number;
  readonly scope: SyntaxNode;
}

export interface Context {
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

export function report(context: Context, ruleId: string, position: Point, columnShift = 0): void {
  context.findings.push({
    ruleId,
    severity: ruleSeverity(ruleId),
    line: position.row + 1,
    column: Math.max(1, position.column + 1 + columnShift),
  });
}

// The shared state of the Go rules: callee and node-type sets, assignments, imports, the walk context and reports.
import type { SyntaxNode } from '@kode/lang';
import { ruleSeverity } from '../catalog.js';
import type { SecurityFinding } from '../types.js';

export type { TreeCursor } from '../tree-cursor.js';
import type { TreeCursor } from '../tree-cursor.js';

export interface Point {
  readonly row: number;
  readonly column: number;
}

/** Methods whose SQL text is the first argument (database/sql, sqlx, gorm). */
export const SQL_METHODS = new Set(['Query', 'QueryRow', 'Exec', 'Prepare', 'Queryx', 'QueryRowx', 'MustExec', 'Raw']);
/** The same with a leading `ctx` argument: the SQL is the second. */
export const SQL_CONTEXT_METHODS = new Set([
  'QueryContext',
  'QueryRowContext',
  'ExecContext',
  'PrepareContext',
  'QueryxContext',
  'QueryRowxContext',
  'MustExecContext',
]);
export const COMMAND_FUNCTIONS = new Set(['Command', 'CommandContext']);
/** Import paths whose `Command` runs a program: os/exec and its drop-in golang.org/x/sys/execabs. */
export const EXEC_PACKAGES = new Set(['os/exec', 'golang.org/x/sys/execabs']);
export const TLS_FIELD = 'InsecureSkipVerify';
export const SCOPE_TYPES = new Set(['function_declaration', 'method_declaration']);
/** Nodes that bind or assign names. */
export const BINDING_TYPES = new Set([
  'var_spec',
  'const_spec',
  'short_var_declaration',
  'assignment_statement',
  'parameter_declaration',
  'variadic_parameter_declaration',
  'range_clause',
  'receive_statement',
  'type_switch_statement',
]);
/** How many wrappers and variables deep a value is followed; bounds the work per candidate. */
export const MAX_RESOLVE_DEPTH = 8;
/** At most this many assignments reaching a use are read; a name assigned more often is never taken for a literal. */
export const MAX_ASSIGNMENTS = 32;

export interface Assignment {
  /** Where the name is (re)bound; a binding applies to uses after it. */
  readonly position: number;
  /** The assigned expression; null for parameters, range variables and multi-value assignments from one call. */
  readonly value: SyntaxNode | null;
  /** `+=`: the value is appended to the previous one. */
  readonly appends: boolean;
  /** `:=`, `var`, `const`, a parameter: starts a new variable (earlier assignments of the name are another one). */
  readonly declares: boolean;
  /** Memo of the value's literal text (null: not literal), filled on first need: every use reads it again. */
  literal?: string | null;
  /** Memo of the value's SQL reading, filled on first need. */
  sql?: AssignedSql;
}

/** An assigned value read as SQL: built by Sprintf/`+` itself, its literal parts' text, and whether a part is not. */
export interface AssignedSql {
  readonly built: boolean;
  readonly text: string;
  readonly hasNonLiteralPart: boolean;
}

interface Imports {
  /** Names `Command` is reached through (`exec`, an alias). */
  readonly exec: Set<string>;
  readonly fmt: Set<string>;
  execDot: boolean;
  fmtDot: boolean;
  /** Names bound by imports of other packages (`exec "example.com/fake/exec"`): not os/exec. */
  readonly shadowed: Set<string>;
}

export interface Context {
  readonly root: SyntaxNode;
  readonly source: string;
  /** Offset of `source` in the tree's text: the root node starts after leading whitespace. */
  readonly base: number;
  readonly findings: SecurityFinding[];
  /** Second cursor: goes up from a candidate of the walk and down into its arguments. */
  readonly probe: TreeCursor;
  readonly imports: Imports;
  /** Assignments per function (the SyntaxNode object the walk hands out) and name, in document order. */
  readonly scopes: Map<SyntaxNode, Map<string, Assignment[]>>;
}

export function report(context: Context, ruleId: string, position: Point): void {
  context.findings.push({
    ruleId,
    severity: ruleSeverity(ruleId),
    line: position.row + 1,
    column: position.column + 1,
  });
}

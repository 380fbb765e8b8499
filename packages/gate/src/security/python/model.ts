// Shared types and constants of the Python security scanner: rule ids, scopes, places, bindings, call arguments.
import type { SyntaxNode } from '@kode/lang';

export type PythonRuleId =
  'py/eval' | 'py/shell-exec' | 'py/sql-concat' | 'py/tls-disabled' | 'py/unsafe-deserialization';

/** A name whose value cannot be known statically (a parameter, a call result, ...). Matches no rule. */
export const UNKNOWN = '?';

/** Deeper expressions than this are not analysed: they are judged "not provably dangerous" (no finding). */
export const MAX_DEPTH = 48;

export interface Scope {
  readonly kind: 'module' | 'function' | 'class';
  readonly parent: Scope | null;
  readonly bindings: Map<string, Binding[]>;
  readonly starModules: string[];
  readonly globals: Set<string>;
}

/** Where a node sits: its scope, its offset and the innermost block around it (to tell whether a write dominates). */
export interface Place {
  readonly scope: Scope;
  readonly offset: number;
  readonly blockStart: number;
  readonly blockEnd: number;
}

export type Binding =
  | { readonly kind: 'import'; readonly target: string; readonly place: Place }
  | { readonly kind: 'assign'; readonly value: SyntaxNode; readonly place: Place }
  | { readonly kind: 'augment'; readonly operator: string; readonly value: SyntaxNode; readonly place: Place }
  | { readonly kind: 'class'; readonly node: SyntaxNode; readonly place: Place }
  /** A `for` target: its values come from `value`, the iterable. */
  | { readonly kind: 'iterate'; readonly value: SyntaxNode; readonly place: Place }
  | { readonly kind: 'other'; readonly place: Place };
export type AssignBinding = Extract<Binding, { readonly kind: 'assign' }>;

/** What the SQL rule knows about a string expression: SQL keywords in its literal parts, and how it was made. */
export interface SqlShape {
  /** SQL_HAS_VERB | SQL_HAS_CLAUSE bits seen in the literal parts. */
  readonly keywords: number;
  /** Some part is not a literal (or literal-derived placeholder text). */
  readonly dynamic: boolean;
  /** A non-literal part was spliced in by f-string, `%`, `+` or `.format`. */
  readonly built: boolean;
}

export interface CallArguments {
  /** Positional arguments in order; a `*splat` stays in the list (it is not a literal). */
  readonly positional: readonly SyntaxNode[];
  readonly keywords: ReadonlyMap<string, SyntaxNode>;
  readonly hasSplat: boolean;
  readonly hasKeywordSplat: boolean;
}

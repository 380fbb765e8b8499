// Shared types and the recursion bound of the JavaScript/TypeScript security scanner.
import type { SyntaxTree, TypeScript } from '@kode/lang';

export type TypeScriptTree = Extract<SyntaxTree, { kind: 'typescript' }>;
export type Ts = TypeScriptTree['ts'];
export type Node = TypeScript.Node;
export type Expression = TypeScript.Expression;

export type JavaScriptRuleId = 'js/eval' | 'js/shell-exec' | 'js/sql-concat' | 'js/tls-disabled' | 'js/html-injection';

/** Alias chains, nested templates and module look-ups deeper than this are treated as unknown. */
export const MAX_DEPTH = 24;

export interface Binding {
  /** The declaring node; undefined when the name is declared twice in one scope (then nothing is assumed). */
  readonly declaration: Node | undefined;
  /** `name = initializer` of a variable declaration. */
  readonly initializer: Expression | undefined;
  /** A `const` declaration: the initializer is the value for good. */
  readonly constant: boolean;
}

export interface Member {
  readonly receiver: Expression;
  readonly name: string;
}

/** SQL text of a query argument: its literal parts and whether a dynamic part could carry user input. */
export interface SqlText {
  literal: string;
  unsafe: boolean;
  /** The previous substitution was a table name: `${schema}.${table}` keeps the second one in name position. */
  afterIdentifier: boolean;
}

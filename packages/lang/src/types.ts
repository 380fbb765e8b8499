export type Language = 'typescript' | 'javascript' | 'python' | 'rust' | 'go';

/** A syntax error, 1-based line and column (column counts UTF-16 code units for TS/JS, bytes for tree-sitter). */
export interface SyntaxDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type ImportKind =
  // TS/JS
  | 'import'
  | 'export-from'
  | 'dynamic-import'
  | 'require'
  | 'import-equals'
  // Python
  | 'python-import'
  | 'python-from'
  // Rust
  | 'rust-use'
  | 'rust-extern-crate'
  | 'rust-mod'
  // Go
  | 'go-import';

export interface ImportRecord {
  /** What to pass to `resolveImport`: a module specifier, a dotted Python module, a Rust path or a Go import path. */
  readonly specifier: string;
  readonly kind: ImportKind;
  readonly line: number;
  readonly column: number;
  /** TS/JS: `import type`, `export type`, or every named binding is `type`. */
  readonly typeOnly?: boolean;
  /**
   * The import may legitimately fail at run time or never run: Python `try/except`, `if TYPE_CHECKING:` and other
   * conditional blocks, `__future__`; Rust items under `#[cfg(...)]`. The gate does not report these.
   */
  readonly optional?: boolean;
  /** Python: why the import is optional (`try`, `if`, a function body, or a `# type: ignore` comment). */
  readonly guard?: 'try' | 'if' | 'function' | 'type-ignore';
  /** Python: number of leading dots of a relative import (0 for absolute). */
  readonly level?: number;
  /** Python `from m import a, b`: the imported names (`*` for a star import). */
  readonly names?: readonly string[];
  /** Python `import a.b as c` / Rust `use a as b` / Go named import: the local alias. */
  readonly alias?: string;
  /** Rust: the path is under `#[cfg(test)]` or in a test-only crate target. */
  readonly testOnly?: boolean;
  /** Rust `mod x;` with `#[path = "..."]`. */
  readonly pathAttribute?: string;
}

export type DefinitionKind =
  | 'function'
  | 'class'
  | 'method'
  | 'interface'
  | 'type'
  | 'enum'
  | 'struct'
  | 'trait'
  | 'impl'
  | 'module'
  | 'namespace';

export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** Offsets into the text (UTF-16 code units), end exclusive. */
  readonly startOffset: number;
  readonly endOffset: number;
  /** Name of the enclosing class, impl, trait, interface or namespace. */
  readonly parent?: string;
}

export interface ParsedFile {
  readonly language: Language;
  readonly diagnostics: readonly SyntaxDiagnostic[];
  readonly imports: readonly ImportRecord[];
  readonly definitions: readonly Definition[];
  /** True when parsing stopped at the time budget: diagnostics are then empty (cannot decide). */
  readonly incomplete: boolean;
}

export type ResolveResult =
  | { readonly kind: 'project'; readonly file: string }
  | { readonly kind: 'builtin' }
  | { readonly kind: 'external'; readonly name: string; readonly declared: boolean; readonly installed: boolean }
  | { readonly kind: 'unresolved'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

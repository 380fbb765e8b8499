// What a file offers to and asks of the rest of the project, for the repository index (@kode/context), the calls
// gate and the blast radius (SPEC §4.5, §4.8, §8.1). One shape for the four languages; each language fills what it
// has and leaves the rest empty. Anything a front end cannot be sure of is left out: the gates stay silent on it.
import type { ImportKind, Language } from '../types.js';

export type SymbolKind =
  | 'function'
  | 'class'
  | 'method'
  | 'variable'
  | 'constant'
  | 'type'
  | 'interface'
  | 'enum'
  | 'struct'
  | 'trait'
  | 'module'
  | 'namespace'
  | 'macro'
  | 'unknown';

/** How a function (one overload) can be called. Classes: their constructor (Python: `__init__` minus `self`). */
export interface CallableShape {
  /** Positional parameters that must be given. */
  readonly required: number;
  /** Further positional parameters that may be given (optional, defaulted). */
  readonly optional: number;
  /** Any number of further positional arguments is accepted (`...rest`, `*args`, Go variadic). */
  readonly rest: boolean;
  /** Python: every name a keyword argument may use (positional-or-keyword and keyword-only). */
  readonly keywords?: readonly string[];
  /** Python: keyword-only parameters without a default. */
  readonly requiredKeywords?: readonly string[];
  /** Python: `**kwargs` (any keyword accepted). */
  readonly anyKeyword?: boolean;
  /** Python: how many leading positional parameters are positional-only (before `/`). */
  readonly positionalOnly?: number;
}

export interface SymbolDeclaration {
  readonly name: string;
  readonly kind: SymbolKind;
  /** 1-based line of the declaration. */
  readonly line: number;
  /** Last line of the declaration (for context packets and signatures-only trimming). */
  readonly endLine: number;
  /** The declaration's signature text as written (first line(s) up to the body), for context packets. */
  readonly signature: string;
  /**
   * Normalised signature (§4.5 "signature fingerprint"): changes exactly when callers may break — parameters,
   * their kinds/defaults/types, return type, public members, fields, variants. Not the body.
   */
  readonly fingerprint: string;
  /** Call shapes, one per overload; absent when calls to it cannot be checked (decorated, dynamic, not callable). */
  readonly callable?: readonly CallableShape[];
}

/** A local binding created by an import. */
export interface SymbolImport {
  /** Local name ('' for a side-effect import). */
  readonly local: string;
  /** The imported name, `default`, or `*` for a whole module / namespace / package binding. */
  readonly imported: string;
  /** What resolveImport takes. */
  readonly specifier: string;
  readonly kind: ImportKind;
  readonly line: number;
  readonly column: number;
  readonly typeOnly?: boolean;
}

/** `export { a as b } from './x'`, `export * from './x'`, `pub use x::y`, Python `from .x import *` in `__init__`. */
export interface SymbolReExport {
  readonly specifier: string;
  readonly kind: ImportKind;
  /** `*` re-exports everything the target exports. */
  readonly names: readonly { readonly imported: string; readonly exported: string }[] | '*';
  readonly line: number;
}

/** A use of a name: a call, a `new`, or a member read of an imported namespace/module/package. */
export interface SymbolReference {
  readonly kind: 'call' | 'new' | 'member';
  /** The local name used (an import binding or a same-file declaration). */
  readonly name: string;
  /** `ns.member`, `module.function`, `pkg.Name`, `a::b::f` (the last segment). */
  readonly member?: string;
  readonly line: number;
  readonly column: number;
  /** Calls only: how it was called. */
  readonly arguments?: {
    readonly count: number;
    /** Spread / `*args` / `**kwargs` / `xs...` at the call: arity cannot be checked. */
    readonly spread: boolean;
    /** Python: keyword argument names. */
    readonly keywords?: readonly string[];
  };
}

export interface FileSymbols {
  readonly language: Language;
  /** What other files can import from this one. */
  readonly exports: readonly SymbolDeclaration[];
  /** Module-level declarations, exported or not (same-file call checks, context packets). */
  readonly declarations: readonly SymbolDeclaration[];
  readonly reExports: readonly SymbolReExport[];
  readonly imports: readonly SymbolImport[];
  readonly references: readonly SymbolReference[];
  /**
   * The export set cannot be known statically (Python module `__getattr__` or a star import, TS `export =` or
   * computed CommonJS exports, Rust glob re-exports through macros...): no verdict may rest on a name missing here.
   */
  readonly openExports: boolean;
  /** Go: the package clause; Python: `__all__` when the file defines one literally. */
  readonly packageName?: string;
  readonly all?: readonly string[];
}

/** Bumped whenever what extractSymbols produces changes, so caches of its output (the index) are rebuilt. */
export const SYMBOLS_FORMAT = 2;

export const EMPTY_SYMBOLS = (language: Language): FileSymbols => ({
  language,
  exports: [],
  declarations: [],
  reExports: [],
  imports: [],
  references: [],
  openExports: true,
});

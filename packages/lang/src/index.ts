export { detectLanguage } from './detect-language.js';
export { parseSource } from './parse-source.js';
export type { ParseSourceOptions } from './parse-source.js';
export { resolveImport } from './resolve-import.js';
export type { ResolveImportOptions } from './resolve-import.js';
export { createOverlay, EMPTY_OVERLAY } from './overlay.js';
export type { Overlay } from './overlay.js';
export { clearResolutionCache } from './project-cache.js';
export { pythonStdlibModules, PYTHON_VERSIONS } from './data/python-stdlib.js';
export type { PythonVersion } from './data/python-stdlib.js';
export { GO_STDLIB_PACKAGES } from './data/go-stdlib.js';
export { isIgnoredByGoTool } from './go/resolve.js';
export type { ParseLimits, SyntaxNode } from './tree-sitter/parsers.js';
export { syntaxTree } from './syntax-tree.js';
export type { SyntaxTree } from './syntax-tree.js';
export type { TypeScript } from './typescript/compiler.js';
export type {
  Definition,
  DefinitionKind,
  ImportKind,
  ImportRecord,
  Language,
  ParsedFile,
  ResolveResult,
  SyntaxDiagnostic,
} from './types.js';
export { extractSymbols } from './symbols/extract.js';
export type { ExtractSymbolsOptions } from './symbols/extract.js';
export { EMPTY_SYMBOLS, SYMBOLS_FORMAT } from './symbols/types.js';
export type {
  CallableShape,
  FileSymbols,
  SymbolDeclaration,
  SymbolImport,
  SymbolKind,
  SymbolReExport,
  SymbolReference,
} from './symbols/types.js';
export { resolveImportEdges } from './import-edges.js';
export type { ImportEdge, ImportResolver } from './import-edges.js';

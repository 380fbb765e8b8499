// Go front end of extractSymbols (see ../symbols/types.ts): the package clause, imports with their local binding,
// package-level declarations with §4.5 fingerprints, and uses of package-level names (symbols-references.ts).
import type { ExtractSymbolsOptions } from '../symbols/extract.js';
import type { FileSymbols, SymbolDeclaration, SymbolImport } from '../symbols/types.js';
import { EMPTY_SYMBOLS } from '../symbols/types.js';
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import { createPositionMapper, parseTree } from '../tree-sitter/parsers.js';
import type { GoSource } from './symbols-declarations.js';
import { declarationsOf, goSource, isExportedGoName } from './symbols-declarations.js';
import { referencesOf } from './symbols-references.js';

export { isExportedGoName } from './symbols-declarations.js';

/**
 * The name an unaliased import is assumed to bind (goimports' rule): the last path element, skipping a `/vN` major
 * version, without a `go-` prefix and cut at the first character that cannot be in an identifier (`yaml.v3` →
 * `yaml`). The true name is the target's package clause; the calls gate reads it for project packages.
 */
export function assumedGoPackageName(importPath: string): string {
  const parts = importPath.split('/');
  let base = parts[parts.length - 1] ?? '';
  if (/^v\d+$/u.test(base) && parts.length > 1) base = parts[parts.length - 2] ?? base;
  base = base.replace(/^go-/u, '');
  return /^[\p{L}\p{Nd}_]*/u.exec(base)?.[0] ?? base;
}

function importsOf(root: SyntaxNode, source: GoSource): { imports: SymbolImport[]; cgo: boolean } {
  const imports: SymbolImport[] = [];
  let cgo = false;
  for (const declaration of root.namedChildren) {
    if (declaration.type !== 'import_declaration') continue;
    for (const spec of declaration.descendantsOfType('import_spec')) {
      const pathNode = spec.childForFieldName('path');
      if (pathNode === null) continue;
      const specifier = source.read(pathNode).slice(1, -1);
      if (specifier === 'C') cgo = true;
      imports.push({
        local: source.read(spec.childForFieldName('name')) || assumedGoPackageName(specifier),
        imported: '*',
        specifier,
        kind: 'go-import',
        ...source.position(pathNode.startIndex),
      });
    }
  }
  return { imports, cgo };
}

/** `T.M` is exported when both the type and the method are. */
function isExportedDeclaration(declaration: SymbolDeclaration): boolean {
  return declaration.name.split('.').every(isExportedGoName);
}

function extract(text: string): FileSymbols | undefined {
  const tree = parseTree('go', text);
  if (tree === null) return undefined;
  const root = tree.rootNode;
  const source = goSource(text, createPositionMapper(text));
  const packageClause = root.namedChildren.find((node) => node.type === 'package_clause');
  const packageName = source.read(packageClause?.namedChildren[0]) || undefined;
  const { imports, cgo } = importsOf(root, source);
  const units = root.namedChildren.filter(
    (node) => node.type.endsWith('_declaration') && node.type !== 'import_declaration',
  );
  const declarations = units.flatMap((node) => declarationsOf(node, source));
  const fileNames = new Set(declarations.map((declaration) => declaration.name));
  return {
    language: 'go',
    exports: declarations.filter(isExportedDeclaration),
    declarations,
    reExports: [],
    imports,
    references: referencesOf({ root, text, source, units, fileNames }),
    // cgo adds names no Go file declares; a file with parse errors may have lost declarations.
    openExports: cgo || root.hasError,
    ...(packageName === undefined ? {} : { packageName }),
  };
}

/**
 * The calls gate reads every file of a package to check one call, for each file of a patch: keeping the last results
 * (keyed by path, valid while the text is identical) turns those re-parses into string comparisons.
 */
const MAX_CACHED_FILES = 4_096;
const cache = new Map<string, { readonly text: string; readonly symbols: FileSymbols }>();

export function extractGoSymbols(options: ExtractSymbolsOptions): FileSymbols {
  const cached = cache.get(options.path);
  if (cached !== undefined && cached.text === options.text) {
    // Re-inserted so the least recently used entry is the one evicted.
    cache.delete(options.path);
    cache.set(options.path, cached);
    return cached.symbols;
  }
  const symbols = extract(options.text);
  // A parse that ran out of time is not remembered: the next request may have the time.
  if (symbols === undefined) return EMPTY_SYMBOLS('go');
  cache.delete(options.path);
  cache.set(options.path, { text: options.text, symbols });
  if (cache.size > MAX_CACHED_FILES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return symbols;
}

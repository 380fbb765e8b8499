// TypeScript front end of extractSymbols (see ../symbols/types.ts): what a TS/JS file exports (ES modules,
// CommonJS, JSDoc typedefs), its module-level declarations with call shapes and fingerprints, its import bindings
// and re-exports, and the calls and namespace member reads that use them. One parse, shared with the syntax gate
// through createSourceFile's last-file cache.
import type { ExtractSymbolsOptions } from '../symbols/extract.js';
import type { FileSymbols, SymbolDeclaration, SymbolImport, SymbolReExport } from '../symbols/types.js';
import { createSourceFile, ts } from './compiler.js';
import type { TypeScript } from './compiler.js';
import { scriptKindFor } from './parse.js';
import { analyzeCommonJs } from './symbols-commonjs.js';
import type { Piece } from './symbols-declarations.js';
import { mergePieces, textBetween, valuePiece } from './symbols-declarations.js';
import { readModuleStatements } from './symbols-modules.js';
import { walkReferences } from './symbols-references.js';
import { collectScopes } from './symbols-scopes.js';
import type { ShapeContext } from './symbols-shapes.js';

export function extractTypeScriptSymbols(options: ExtractSymbolsOptions): FileSymbols {
  const scriptKind = scriptKindFor(options.path);
  const isJavaScript = scriptKind === ts.ScriptKind.JS || scriptKind === ts.ScriptKind.JSX;
  const isDeclarationFile = /\.d\.[mc]?ts$/i.test(options.path) || /\.d\.[^/]*\.ts$/i.test(options.path);
  const sourceFile = createSourceFile(options.path, options.text, scriptKind);
  const variant =
    isJavaScript || scriptKind === ts.ScriptKind.TSX ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const context: ShapeContext = {
    sourceFile,
    isJavaScript,
    scanner: ts.createScanner(ts.ScriptTarget.Latest, true, variant),
  };
  const scopes = collectScopes(sourceFile);
  const topLevelNames = new Set(
    sourceFile.statements.flatMap((statement) =>
      ts.isFunctionDeclaration(statement) && statement.name !== undefined ? [statement.name.text] : [],
    ),
  );
  // `require` is Node's unless the file defines its own (AMD and bundler shims).
  const requireIsNodes =
    !scopes.nested.has('require') &&
    !topLevelNames.has('require') &&
    !/\b(?:var|let|const)\s+require\b/.test(options.text);
  const module = readModuleStatements(context, { requireIsNodes });
  const importsByLocal = new Map<string, SymbolImport>();
  // A name bound twice at module level (`var x = require('a'); var x = require('b')`, an import and a function of
  // the same name) has no certain meaning: its uses are not recorded.
  const doubled = new Set<string>();
  for (const binding of module.imports) {
    if (binding.local === '') continue;
    if (importsByLocal.has(binding.local)) doubled.add(binding.local);
    importsByLocal.set(binding.local, binding);
  }
  for (const piece of module.pieces) if (importsByLocal.has(piece.name)) doubled.add(piece.name);

  const groups = new Map<string, Piece[]>();
  for (const piece of module.pieces) {
    if (importsByLocal.has(piece.name)) continue;
    const group = groups.get(piece.name);
    if (group === undefined) groups.set(piece.name, [piece]);
    else group.push(piece);
  }
  const certain = (name: string) => !scopes.assigned.has(name) && !scopes.ambiguous.has(name);
  const declarations = new Map<string, SymbolDeclaration>();
  for (const [name, pieces] of groups) declarations.set(name, mergePieces(context, pieces, certain(name)));

  const certainNames = (names: Iterable<string>) => new Set([...names].filter((name) => !doubled.has(name)));
  const walk = walkReferences({
    sourceFile,
    scopes,
    callable: certainNames([...declarations.keys(), ...importsByLocal.keys()]),
    namespaces: certainNames(importsByLocal.keys()),
  });
  // A module-level `exports` or `module` of the file's own is an ordinary variable, not CommonJS.
  const ownsModuleNames = ['exports', 'module'].some((name) => groups.has(name) || importsByLocal.has(name));
  const commonJs = analyzeCommonJs(ownsModuleNames ? [] : walk.commonJsUses);

  const exports = new Map<string, SymbolDeclaration>();
  const reExports: SymbolReExport[] = [...module.reExports];
  const lineOf = (node: TypeScript.Node) =>
    sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const opaque = (name: string, node: TypeScript.Node): SymbolDeclaration => ({
    name,
    kind: 'unknown',
    line: lineOf(node),
    endLine: sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line + 1,
    signature: textBetween(sourceFile, node, undefined),
    fingerprint: 'unknown',
  });
  const exportLocal = (local: string, exported: string, node: TypeScript.Node) => {
    if (exports.has(exported)) return;
    const binding = importsByLocal.get(local);
    const declaration = declarations.get(local);
    if (binding !== undefined) {
      // `import { a } from './x'; export { a as b }` is a re-export of './x'.
      reExports.push({
        specifier: binding.specifier,
        kind: binding.kind,
        names: [{ imported: binding.imported, exported }],
        line: lineOf(node),
      });
    } else if (declaration !== undefined) exports.set(exported, { ...declaration, name: exported });
    else exports.set(exported, opaque(exported, node));
  };

  // A declaration file whose module has no export list exports every top-level declaration (TypeScript's rule).
  const implicitExports = isDeclarationFile && module.esModule && !module.explicitExportList;
  if (implicitExports) for (const name of declarations.keys()) exportLocal(name, name, sourceFile);
  for (const entry of module.localExports) exportLocal(entry.local, entry.exported, entry.node);
  if (module.defaultPiece !== undefined && !exports.has('default')) {
    exports.set('default', mergePieces(context, [module.defaultPiece], true));
  }
  for (const [name, entry] of commonJs.names) {
    const [only] = entry.values;
    if (exports.has(name)) continue;
    if (entry.opaque || entry.values.length !== 1 || only === undefined) exports.set(name, opaque(name, entry.node));
    else if (ts.isIdentifier(only.value)) exportLocal(only.value.text, name, only.site);
    else exports.set(name, mergePieces(context, [valuePiece(context, name, only.site, only.value)], true));
  }
  if (commonJs.used && !exports.has('default')) {
    // Interop: a default import of a CommonJS module is `module.exports` itself.
    exports.set('default', { ...opaque('default', sourceFile), kind: 'variable', signature: 'module.exports' });
  }
  const typedefs = isJavaScript ? jsDocTypedefs(sourceFile) : [];
  for (const typedef of typedefs === undefined ? [] : typedefs) {
    if (!exports.has(typedef.name)) exports.set(typedef.name, typedef);
  }

  const openExports =
    hasParseErrors(sourceFile) ||
    // Flow's module semantics (`import typeof`, `declare export`) are not TypeScript's.
    (isJavaScript && /^\s*(?:\/\/|\/\*|\*)\s*@flow\b/m.test(options.text.slice(0, 2_000))) ||
    module.exportEquals ||
    commonJs.open ||
    (walk.moduleEscapes && !ownsModuleNames) ||
    typedefs === undefined ||
    (walk.topLevelThis && !module.esModule && isJavaScript) ||
    (isDeclarationFile && (module.ambient || !module.esModule)) ||
    (isJavaScript && !module.esModule && !commonJs.used);
  return {
    language: options.language,
    exports: [...exports.values()],
    declarations: [...declarations.values()],
    reExports,
    imports: module.imports,
    references: walk.references,
    openExports,
  };
}

/**
 * `@typedef {T} Name` and `@callback Name` in a JavaScript module are types other files may import. Undefined when
 * a tag's name cannot be read: the export set is then not known.
 */
function jsDocTypedefs(sourceFile: TypeScript.SourceFile): SymbolDeclaration[] | undefined {
  const text = sourceFile.text;
  if (!text.includes('@typedef') && !text.includes('@callback')) return [];
  const found: SymbolDeclaration[] = [];
  const tag = /@(typedef|callback)\b/g;
  for (let match = tag.exec(text); match !== null; match = tag.exec(text)) {
    let index = match.index + match[0].length;
    while (index < text.length && /[ \t]/.test(text[index] ?? '')) index += 1;
    if (match[1] === 'typedef' && text[index] === '{') {
      let depth = 0;
      for (; index < text.length; index += 1) {
        if (text[index] === '{') depth += 1;
        else if (text[index] === '}' && --depth === 0) break;
      }
      index += 1;
      while (index < text.length && /[ \t]/.test(text[index] ?? '')) index += 1;
    }
    const name = /^[A-Za-z_$][\w$]*/.exec(text.slice(index, index + 200))?.[0];
    if (name === undefined || text[index + name.length] === '.') return undefined;
    const line = sourceFile.getLineAndCharacterOfPosition(match.index).line + 1;
    found.push({ name, kind: 'type', line, endLine: line, signature: `@${match[1]} ${name}`, fingerprint: 'jsdoc' });
  }
  return found;
}

/** Error recovery may drop or invent declarations: a file that does not parse cleanly has no certain export set. */
function hasParseErrors(sourceFile: TypeScript.SourceFile): boolean {
  // `parseDiagnostics` is internal (see parse.ts); if a future compiler renames it, assume the worst.
  const diagnostics: unknown = (sourceFile as unknown as { parseDiagnostics?: unknown }).parseDiagnostics;
  return !Array.isArray(diagnostics) || diagnostics.length > 0;
}

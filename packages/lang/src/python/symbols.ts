// Python front end of extractSymbols (see ../symbols/types.ts), from one walk over the tree the syntax gate already
// parsed (parseTree keeps the last tree). What it records, and how sure it is:
//
// - declarations: every module-level binding (def, class, assignment, `for`/`with`/`except` targets, `type` aliases,
//   names a function declares `global`), merged per name. A name bound several times keeps one declaration whose
//   `callable` lists each distinct shape (conditional definitions: a call matching any is fine), or none when one of
//   the bindings cannot be called with certainty (an assignment, a decorated def, a `global` rebinding, an import).
// - exports (§4.5): module-level names not starting with `_`, import bindings included, plus everything in `__all__`.
//   `openExports` when names can appear that no statement declares: module `__getattr__`, star imports, `globals()`,
//   `exec`, `sys.modules[__name__]`, or a tree with syntax errors.
// - references: only where the name certainly means the module-level binding - a name bound in any function, lambda
//   or comprehension of the file is left out everywhere (no scope analysis to get wrong), and one bound in a class
//   body is left out in class bodies. Member references only for import bindings.
import { posix } from 'node:path';
import type { ExtractSymbolsOptions } from '../symbols/extract.js';
import type {
  CallableShape,
  FileSymbols,
  SymbolDeclaration,
  SymbolImport,
  SymbolReExport,
  SymbolReference,
} from '../symbols/types.js';
import { EMPTY_SYMBOLS } from '../symbols/types.js';
import { neutralizePythonGaps } from '../tree-sitter/grammar-gaps.js';
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import { createPositionMapper, deadlineCheck, parseTree } from '../tree-sitter/parsers.js';
import { argumentsOf } from './symbols-nodes.js';
import type { Site, WalkFacts } from './symbols-walk.js';
import { walkPython } from './symbols-walk.js';

const MODULE_SELF_REFERENCE = /\bmodules\s*\[\s*__name__\s*\]/;
const MAX_SIGNATURE_LENGTH = 200;

// The calls gate reads the modules a file imports, and every verification builds a fresh project view: the same
// unchanged modules come back run after run (a loop session, a patch touching several files of one package). Their
// symbols are kept by path and text. Besides time, this saves memory: a tree-sitter tree lives in native memory until
// V8 happens to collect its small wrapper, so parsing the same large module again and again piles trees up.
const MEMO_ENTRIES = 512;
const memo = new Map<string, { readonly text: string; readonly symbols: FileSymbols }>();

export function extractPythonSymbols(options: ExtractSymbolsOptions): FileSymbols {
  const known = memo.get(options.path);
  if (known !== undefined && known.text === options.text) {
    // Most recently used last: Map iteration order is insertion order.
    memo.delete(options.path);
    memo.set(options.path, known);
    return known.symbols;
  }
  const symbols = extractUncached(options);
  // A parse cut short by its time budget (EMPTY_SYMBOLS) may finish next time.
  if (symbols.declarations.length > 0 || symbols.imports.length > 0 || !symbols.openExports) {
    memo.delete(options.path);
    memo.set(options.path, { text: options.text, symbols });
    if (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value ?? '');
  }
  return symbols;
}

function extractUncached(options: ExtractSymbolsOptions): FileSymbols {
  // The same text parsePython parses, so the syntax gate's tree is reused.
  // neutralizePythonGaps keeps every offset: names read from its text line up with the tree.
  const source = neutralizePythonGaps(options.text);
  const tree = parseTree('python', source);
  if (tree === null) return EMPTY_SYMBOLS(options.language);
  const facts = walkPython({ root: tree.rootNode, text: source, check: deadlineCheck({}) });
  const position = createPositionMapper(options.text);
  const lineOf = (offset: number) => position(offset).line;
  const declarations = declarationsOf({ facts, text: options.text, lineOf });
  const imports: SymbolImport[] = facts.imports.map((fact) => ({
    local: fact.local,
    imported: fact.imported,
    specifier: fact.specifier,
    kind: fact.kind,
    ...position(fact.offset),
    ...(fact.typeOnly ? { typeOnly: true } : {}),
  }));
  const allNames = new Set(facts.all.values);
  const hasError = tree.rootNode.hasError;
  const openExports =
    hasError ||
    facts.dynamic ||
    facts.starImports.length > 0 ||
    facts.sites.has('__getattr__') ||
    facts.moduleImports.has('__getattr__') ||
    MODULE_SELF_REFERENCE.test(options.text);
  return {
    language: 'python',
    declarations,
    exports: exportsOf({ facts, declarations, allNames, text: options.text, lineOf }),
    reExports: reExportsOf({ facts, allNames, path: options.path, lineOf }),
    imports,
    // A tree with errors may have lost the statements that bind a name: no reference is certain.
    references: hasError ? [] : referencesOf(facts, position),
    openExports,
    ...(facts.all.seen && facts.all.literal ? { all: [...allNames] } : {}),
  };
}

function firstLine(text: string, node: SyntaxNode, end?: number): string {
  const slice = text.slice(node.startIndex, end ?? node.endIndex);
  const line = end === undefined ? (slice.split('\n')[0] ?? '') : slice;
  return line.trimEnd().slice(0, MAX_SIGNATURE_LENGTH);
}

function declarationsOf(options: {
  facts: WalkFacts;
  text: string;
  lineOf: (offset: number) => number;
}): SymbolDeclaration[] {
  const { facts, text, lineOf } = options;
  const result: SymbolDeclaration[] = [];
  for (const [name, sites] of facts.sites) {
    const first = sites[0] as Site;
    // The def's own header, without its decorators.
    const header = first.headerEnd === undefined ? first.span : (definitionNode(first.span) ?? first.span);
    const shapes = sites.map((site) => site.shape);
    const certain =
      shapes.every((shape): shape is CallableShape => shape !== undefined) &&
      !facts.moduleImports.has(name) &&
      !facts.globalNames.has(name);
    const unique = new Map<string, CallableShape>();
    if (certain) for (const shape of shapes) unique.set(JSON.stringify(shape), shape);
    result.push({
      name,
      kind: first.kind,
      line: lineOf(first.span.startIndex),
      endLine: lineOf(Math.max(first.span.startIndex, first.span.endIndex - 1)),
      signature: firstLine(text, header, first.headerEnd),
      fingerprint: [...new Set(sites.map((site) => site.fingerprint))].join(' | '),
      ...(certain ? { callable: [...unique.values()] } : {}),
    });
  }
  return result;
}

function definitionNode(span: SyntaxNode): SyntaxNode | null {
  return span.type === 'decorated_definition' ? span.childForFieldName('definition') : span;
}

function exportsOf(options: {
  facts: WalkFacts;
  declarations: readonly SymbolDeclaration[];
  allNames: ReadonlySet<string>;
  text: string;
  lineOf: (offset: number) => number;
}): SymbolDeclaration[] {
  const { facts, allNames, lineOf } = options;
  const exported = (name: string) => !name.startsWith('_') || allNames.has(name);
  const result = options.declarations.filter((declaration) => exported(declaration.name));
  const names = new Set(result.map((declaration) => declaration.name));
  for (const fact of facts.imports) {
    // Names imported only for type checkers do not exist at run time.
    if (!fact.moduleLevel || fact.typeOnly || fact.local === '' || names.has(fact.local) || !exported(fact.local)) {
      continue;
    }
    names.add(fact.local);
    const line = lineOf(fact.statement.startIndex);
    result.push({
      name: fact.local,
      kind: fact.imported === '*' ? 'module' : 'unknown',
      line,
      endLine: lineOf(Math.max(fact.statement.startIndex, fact.statement.endIndex - 1)),
      signature: firstLine(options.text, fact.statement),
      fingerprint: 'import',
    });
  }
  for (const name of allNames) {
    if (names.has(name)) continue;
    names.add(name);
    const line = facts.all.line;
    result.push({ name, kind: 'unknown', line, endLine: line, signature: '', fingerprint: 'unknown' });
  }
  return result;
}

/**
 * Star imports, and named module-level imports that are part of the public surface: listed in `__all__`, or public
 * names in a package `__init__` (how packages flatten their submodules' API).
 */
function reExportsOf(options: {
  facts: WalkFacts;
  allNames: ReadonlySet<string>;
  path: string;
  lineOf: (offset: number) => number;
}): SymbolReExport[] {
  const { facts, allNames, lineOf } = options;
  const isPackage = /^__init__\.pyi?$/.test(posix.basename(options.path));
  const result: SymbolReExport[] = facts.starImports.map((star) => ({
    specifier: star.specifier,
    kind: 'python-from',
    names: '*',
    line: lineOf(star.statement.startIndex),
  }));
  const named = new Map<SyntaxNode, { imported: string; exported: string }[]>();
  const specifiers = new Map<SyntaxNode, string>();
  for (const fact of facts.imports) {
    if (fact.kind !== 'python-from' || !fact.moduleLevel || fact.typeOnly || fact.local === '') continue;
    if (!allNames.has(fact.local) && !(isPackage && !fact.local.startsWith('_'))) continue;
    const list = named.get(fact.statement) ?? [];
    list.push({ imported: fact.imported, exported: fact.local });
    named.set(fact.statement, list);
    specifiers.set(fact.statement, fact.specifier);
  }
  for (const [statement, names] of named) {
    result.push({
      specifier: specifiers.get(statement) ?? '',
      kind: 'python-from',
      names,
      line: lineOf(statement.startIndex),
    });
  }
  return result;
}

function referencesOf(
  facts: WalkFacts,
  position: (offset: number) => { line: number; column: number },
): SymbolReference[] {
  const references: SymbolReference[] = [];
  for (const candidate of facts.candidates) {
    const { name } = candidate;
    if (facts.localBound.has(name) || (candidate.inClassBody && facts.classBound.has(name))) continue;
    const isImport = facts.moduleImports.has(name);
    if (candidate.member !== undefined ? !isImport : !isImport && !facts.sites.has(name)) continue;
    // `billing.charge = fake` somewhere: what `billing.charge(...)` calls is no longer the module's function.
    const rebound = candidate.member !== undefined && facts.attributeTargets.has(`${name}.${candidate.member}`);
    const kind = rebound ? 'member' : candidate.kind;
    references.push({
      kind,
      name,
      ...(candidate.member === undefined ? {} : { member: candidate.member }),
      ...position(candidate.offset),
      ...(kind === 'call' && candidate.node !== undefined
        ? { arguments: argumentsOf(candidate.node.childForFieldName('arguments')) }
        : {}),
    });
  }
  return references;
}

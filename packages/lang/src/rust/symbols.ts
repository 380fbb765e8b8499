// Rust front end of extractSymbols (see ../symbols/types.ts). The shape is per file, and a Rust file may hold inline
// modules (`mod tests { ... }`), so names inside one carry its path: a declaration `inner::helper`, an import binding
// `tests::charge`, a glob import `tests::*`, a reference `tests::charge(..)`. A declaration `inner::*` of kind
// 'unknown' marks an inline module whose names macros may add to (openExports says the same of the file's module).
//
// - declarations: every item of every module in the file (private too); `mod x;` and inline modules are 'module'.
// - exports: items whose own visibility reaches outside their module (`pub`, `pub(crate)`, `pub(super)`,
//   `pub(in ...)`), `#[macro_export]` macros. `use` bindings are imports; the `pub` ones are also reExports.
// - imports: one binding per `use` leaf (specifier = the full path, as parseRust writes it), `*` for globs, and
//   `extern crate`.
// - references: calls by path (see symbols-references.ts).
import { neutralizeRustGaps } from '../tree-sitter/grammar-gaps.js';
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import { createPositionMapper, parseTree } from '../tree-sitter/parsers.js';
import type { ExtractSymbolsOptions } from '../symbols/extract.js';
import type {
  FileSymbols,
  SymbolDeclaration,
  SymbolImport,
  SymbolReExport,
  SymbolReference,
} from '../symbols/types.js';
import { EMPTY_SYMBOLS } from '../symbols/types.js';
import { classifyAttributes, declarationOf, isItem, visibilityOf } from './symbols-items.js';
import type { ReferenceHolder } from './symbols-references.js';
import { callReferences, inModule } from './symbols-references.js';
import { expandUseTree, relativeToFile } from './syntax.js';

// Item-level macros known not to define names (static assertions expand to `const _`).
const NAMELESS_ITEM_MACROS = new Set([
  'compile_error',
  'global_asm',
  'const_assert',
  'const_assert_eq',
  'const_assert_ne',
  'assert_impl_all',
  'assert_impl_any',
  'assert_not_impl_all',
  'assert_not_impl_any',
  'assert_obj_safe',
  'assert_eq_size',
  'assert_eq_align',
  'assert_fields',
  'assert_type_eq_all',
]);
const REFERENCE_HOLDERS = new Set(['function_item', 'impl_item', 'trait_item', 'const_item', 'static_item']);

interface Collected {
  readonly declarations: SymbolDeclaration[];
  readonly exports: SymbolDeclaration[];
  readonly imports: SymbolImport[];
  readonly reExports: SymbolReExport[];
  readonly references: SymbolReference[];
}

interface Walk {
  readonly source: string;
  /** Module-level items whose bodies may call functions, in source order. */
  readonly holders: ReferenceHolder[];
  readonly position: (offset: number) => { line: number; column: number };
  readonly collected: Collected;
}

function macroInvocationOf(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type === 'macro_invocation') return node;
  if (node.type === 'expression_statement' && node.firstNamedChild?.type === 'macro_invocation') {
    return node.firstNamedChild;
  }
  return undefined;
}

/** Outer attributes of each child (tree-sitter-rust makes them preceding siblings), comments skipped. */
function attributesOfChildren(children: readonly SyntaxNode[]): string[][] {
  const attributes: string[][] = [];
  let pending: string[] = [];
  for (const child of children) {
    if (child.type === 'attribute_item') pending.push(child.text.replace(/^#\[\s*|\s*\]$/gu, ''));
    else if (child.type !== 'line_comment' && child.type !== 'block_comment') {
      attributes.push(pending);
      pending = [];
      continue;
    }
    attributes.push([]);
  }
  return attributes;
}

/** Whether names of this module may come from code we do not read: item-level macros, `include!`, proc-macro
 * attributes (which may rewrite or add items). */
function isOpenModule(children: readonly SyntaxNode[], attributes: readonly (readonly string[])[]): boolean {
  return children.some((child, index) => {
    const invocation = macroInvocationOf(child);
    if (invocation !== undefined) {
      return !NAMELESS_ITEM_MACROS.has(invocation.childForFieldName('macro')?.text.replace(/^.*::/u, '') ?? '');
    }
    return (isItem(child) || child.type === 'impl_item') && classifyAttributes(attributes[index] ?? []).macro;
  });
}

function collectUse(walk: Walk, node: SyntaxNode, modulePath: readonly string[]): void {
  const argument = node.childForFieldName('argument');
  const visible = visibilityOf(node) !== 'private';
  for (const entry of argument === null ? [] : expandUseTree(argument)) {
    const specifier = relativeToFile(entry.path, modulePath);
    const { line, column } = walk.position(entry.node.startIndex);
    if (entry.node.type === 'use_wildcard') {
      walk.collected.imports.push({
        local: inModule(modulePath, '*'),
        imported: '*',
        specifier,
        kind: 'rust-use',
        line,
        column,
      });
      if (visible) walk.collected.reExports.push({ specifier, kind: 'rust-use', names: '*', line });
      continue;
    }
    const imported = entry.path.split('::').pop() ?? '';
    const local = entry.alias ?? imported;
    if (local === '' || local === 'self' || local === 'super' || local === 'crate') continue;
    walk.collected.imports.push({
      local: inModule(modulePath, local),
      imported,
      specifier,
      kind: 'rust-use',
      line,
      column,
    });
    if (visible) {
      walk.collected.reExports.push({
        specifier,
        kind: 'rust-use',
        names: [{ imported, exported: inModule(modulePath, local) }],
        line,
      });
    }
  }
}

function collectItem(options: {
  walk: Walk;
  node: SyntaxNode;
  attributes: readonly string[];
  modulePath: readonly string[];
  open: boolean;
}): void {
  const { walk, node, modulePath } = options;
  const name = node.childForFieldName('name')?.text;
  if (name === undefined || name === '_') return;
  const attributes = classifyAttributes(options.attributes);
  const declaration = declarationOf({
    source: walk.source,
    node,
    name: inModule(modulePath, name),
    line: (offset) => walk.position(offset).line,
    // A cfg'd function in a module that macros add to may have a macro-made alternative with another signature.
    uncallable: attributes.macro || (attributes.cfg && options.open),
  });
  walk.collected.declarations.push(declaration);
  const exported = node.type === 'macro_definition' ? attributes.macroExport : visibilityOf(node) !== 'private';
  if (exported) walk.collected.exports.push(declaration);
}

function visitModule(walk: Walk, container: SyntaxNode, modulePath: readonly string[]): boolean {
  const children = container.namedChildren;
  const attributes = attributesOfChildren(children);
  const open = isOpenModule(children, attributes);
  if (open && modulePath.length > 0) {
    const { line } = walk.position(container.startIndex);
    walk.collected.declarations.push({
      name: inModule(modulePath, '*'),
      kind: 'unknown',
      line,
      endLine: line,
      signature: '',
      fingerprint: '',
    });
  }
  for (const [index, child] of children.entries()) {
    switch (child.type) {
      case 'use_declaration':
        collectUse(walk, child, modulePath);
        continue;
      case 'extern_crate_declaration': {
        const name = child.childForFieldName('name')?.text;
        if (name === undefined || name === 'self') continue;
        walk.collected.imports.push({
          local: inModule(modulePath, child.childForFieldName('alias')?.text ?? name),
          imported: name,
          specifier: name,
          kind: 'rust-extern-crate',
          ...walk.position(child.startIndex),
        });
        continue;
      }
      case 'foreign_mod_item': {
        const foreignItems = child.childForFieldName('body')?.namedChildren ?? [];
        const foreignAttributes = attributesOfChildren(foreignItems);
        for (const [position, foreign] of foreignItems.entries()) {
          const itemAttributes = foreignAttributes[position] ?? [];
          if (isItem(foreign)) collectItem({ walk, node: foreign, attributes: itemAttributes, modulePath, open });
        }
        continue;
      }
      default:
        break;
    }
    if (isItem(child)) collectItem({ walk, node: child, attributes: attributes[index] ?? [], modulePath, open });
    const body = child.type === 'mod_item' ? child.childForFieldName('body') : null;
    const name = child.childForFieldName('name')?.text;
    if (body !== null && name !== undefined) visitModule(walk, body, [...modulePath, name]);
    if (REFERENCE_HOLDERS.has(child.type)) walk.holders.push({ item: child, modulePath });
  }
  return open;
}

/** Names each module of the file binds, by module path (`tests`); undefined for a module with a glob import. */
function boundNames(collected: Collected): (modulePath: readonly string[]) => ReadonlySet<string> | undefined {
  const modules = new Map<string, Set<string> | undefined>();
  const add = (qualified: string) => {
    const separator = qualified.lastIndexOf('::');
    const module = separator === -1 ? '' : qualified.slice(0, separator);
    const name = qualified.slice(separator === -1 ? 0 : separator + 2);
    if (!modules.has(module)) modules.set(module, new Set());
    if (name === '*') modules.set(module, undefined);
    else modules.get(module)?.add(name);
  };
  for (const declaration of collected.declarations) add(declaration.name);
  for (const entry of collected.imports) add(entry.local);
  const empty = new Set<string>();
  return (modulePath) => {
    const key = modulePath.join('::');
    return modules.has(key) ? modules.get(key) : empty;
  };
}

// Symbols of recently read files by text: the calls gate reads the crate root and the modules on a path for every
// file it checks, and their text rarely changes between verifications.
const recent = new Map<string, FileSymbols>();
const MAX_RECENT = 512;

export function extractRustSymbols(options: ExtractSymbolsOptions): FileSymbols {
  const cached = recent.get(options.text);
  if (cached !== undefined) return cached;
  // The same text parseRust parses, so the syntax gate's tree is reused (parseTree keeps the last one).
  const tree = parseTree('rust', neutralizeRustGaps(options.text));
  if (tree === null) return EMPTY_SYMBOLS(options.language);
  const collected: Collected = { declarations: [], exports: [], imports: [], reExports: [], references: [] };
  const position = createPositionMapper(options.text);
  const walk: Walk = { source: options.text, position, collected, holders: [] };
  const open = visitModule(walk, tree.rootNode, []);
  collected.references.push(
    ...callReferences({
      root: tree.rootNode,
      source: options.text,
      holders: walk.holders,
      position,
      bound: boundNames(collected),
    }),
  );
  const symbols: FileSymbols = { language: options.language, ...collected, openExports: open };
  if (recent.size >= MAX_RECENT) recent.delete(recent.keys().next().value ?? '');
  recent.set(options.text, symbols);
  return symbols;
}

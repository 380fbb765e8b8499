import path from 'node:path';
import type { ProjectFileSystem } from '../overlay.js';
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import { parseTree } from '../tree-sitter/parsers.js';
import { neutralizeRustGaps } from '../tree-sitter/grammar-gaps.js';
import { attributesOf, expandUseTree, isCfg, pathAttribute } from './syntax.js';

export interface ModuleDeclaration {
  readonly body: ModuleSummary | undefined;
  readonly pathAttribute?: string;
  readonly cfg: boolean;
}

/** What one module declares: child modules, item names and whether macros or glob imports may add more names. */
export interface ModuleSummary {
  /** Every `mod name` declaration, in source order: cfg alternatives (`#[cfg(a)] #[path = "x.rs"] mod imp;` next to
   * `#[cfg(b)] #[path = "y.rs"] mod imp;`) declare the same name more than once. */
  readonly modules: ReadonlyMap<string, readonly ModuleDeclaration[]>;
  readonly names: ReadonlySet<string>;
  readonly externCrates: ReadonlySet<string>;
  /** Names declared or imported anywhere below this module, function bodies included (`fn f() { use E::*; }`). */
  readonly nestedNames: ReadonlySet<string>;
  /** A glob `use`, an item-level macro call or `include!`: names can come from places we do not read. */
  readonly opaque: boolean;
}

const ITEM_TYPES = new Set([
  'function_item',
  'struct_item',
  'enum_item',
  'union_item',
  'trait_item',
  'type_item',
  'const_item',
  'static_item',
  'macro_definition',
  'mod_item',
  'function_signature_item',
]);

function summarize(container: SyntaxNode): ModuleSummary {
  const modules = new Map<string, ModuleDeclaration[]>();
  const names = new Set<string>();
  const externCrates = new Set<string>();
  let opaque = false;
  for (const item of container.namedChildren) {
    if (
      item.type === 'macro_invocation' ||
      (item.type === 'expression_statement' && item.firstNamedChild?.type === 'macro_invocation')
    ) {
      opaque = true;
      continue;
    }
    if (item.type === 'foreign_mod_item') {
      for (const inner of item.childForFieldName('body')?.namedChildren ?? []) {
        const name = inner.childForFieldName('name')?.text;
        if (name !== undefined) names.add(name);
      }
      continue;
    }
    if (item.type === 'use_declaration') {
      const argument = item.childForFieldName('argument');
      for (const entry of argument === null ? [] : expandUseTree(argument)) {
        if (entry.node.type === 'use_wildcard') opaque = true;
        const last = entry.alias ?? entry.path.split('::').pop();
        if (last !== undefined && last !== '') names.add(last);
      }
      continue;
    }
    if (item.type === 'extern_crate_declaration') {
      const name = item.childForFieldName('name')?.text;
      const alias = item.childForFieldName('alias')?.text;
      if (name !== undefined) externCrates.add(alias ?? name);
      if (name !== undefined) names.add(alias ?? name);
      continue;
    }
    if (!ITEM_TYPES.has(item.type)) continue;
    const name = item.childForFieldName('name')?.text;
    if (name === undefined) continue;
    names.add(name);
    if (item.type === 'mod_item') {
      const body = item.childForFieldName('body');
      const attributes = attributesOf(item);
      const customPath = pathAttribute(attributes);
      const declaration: ModuleDeclaration = {
        body: body === null ? undefined : summarize(body),
        cfg: isCfg(attributes),
        ...(customPath === undefined ? {} : { pathAttribute: customPath }),
      };
      modules.set(name, [...(modules.get(name) ?? []), declaration]);
    }
  }
  const nestedNames = new Set(names);
  for (const item of container.descendantsOfType([...ITEM_TYPES, 'use_declaration', 'extern_crate_declaration'])) {
    if (item.type === 'use_declaration') {
      const argument = item.childForFieldName('argument');
      for (const entry of argument === null ? [] : expandUseTree(argument)) {
        const last = entry.alias ?? entry.path.split('::').pop();
        if (last !== undefined && last !== '') nestedNames.add(last);
      }
      continue;
    }
    const name = item.childForFieldName('alias')?.text ?? item.childForFieldName('name')?.text;
    if (name !== undefined) nestedNames.add(name);
  }
  return { modules, names, externCrates, nestedNames, opaque };
}

const summaries = new Map<string, { text: string; summary: ModuleSummary | undefined }>();
const MAX_CACHED_SUMMARIES = 2_000;

/** The module summary of a file as the overlay shows it; undefined when the file is missing or does not parse. */
export function fileSummary(fileSystem: ProjectFileSystem, file: string): ModuleSummary | undefined {
  const text = fileSystem.readFile(file);
  if (text === undefined) return undefined;
  const cached = summaries.get(file);
  if (cached?.text === text) return cached.summary;
  const tree = parseTree('rust', neutralizeRustGaps(text));
  const summary = tree === null ? undefined : summarize(tree.rootNode);
  if (summaries.size >= MAX_CACHED_SUMMARIES) summaries.clear();
  summaries.set(file, { text, summary });
  return summary;
}

/** A module in the crate tree: where it lives, what it declares, and its parent. */
export interface ModuleContext {
  readonly file: string;
  readonly summary: ModuleSummary;
  /** Directory holding the files of `mod x;` declared here. */
  readonly childDirectory: string;
  readonly parent: ModuleContext | undefined;
}

export function rootContext(fileSystem: ProjectFileSystem, rootFile: string): ModuleContext | undefined {
  const summary = fileSummary(fileSystem, rootFile);
  return summary === undefined
    ? undefined
    : { file: rootFile, summary, childDirectory: path.dirname(rootFile), parent: undefined };
}

export type ChildLookup =
  | { readonly kind: 'module'; readonly context: ModuleContext }
  | { readonly kind: 'missing-file'; readonly candidates: readonly string[]; readonly excused: boolean }
  | { readonly kind: 'not-a-module' };

/** One lookup per `mod name` declaration in `context` (more than one for cfg alternatives); none when it has none. */
export function childModules(fileSystem: ProjectFileSystem, context: ModuleContext, name: string): ChildLookup[] {
  return (context.summary.modules.get(name) ?? []).map((declaration) =>
    lookupDeclaration(fileSystem, context, name, declaration),
  );
}

function lookupDeclaration(
  fileSystem: ProjectFileSystem,
  context: ModuleContext,
  name: string,
  declaration: ModuleDeclaration,
): ChildLookup {
  if (declaration.body !== undefined) {
    return {
      kind: 'module',
      context: {
        file: context.file,
        summary: declaration.body,
        childDirectory: path.join(context.childDirectory, name),
        parent: context,
      },
    };
  }
  const candidates =
    declaration.pathAttribute === undefined
      ? [path.join(context.childDirectory, `${name}.rs`), path.join(context.childDirectory, name, 'mod.rs')]
      : // The base of #[path] differs between mod.rs-style and 2018-style parents; accept either.
        [
          path.resolve(path.dirname(context.file), declaration.pathAttribute),
          path.resolve(context.childDirectory, declaration.pathAttribute),
        ];
  for (const candidate of candidates) {
    const summary = fileSummary(fileSystem, candidate);
    if (summary === undefined) continue;
    const isModRs = path.basename(candidate) === 'mod.rs' || declaration.pathAttribute !== undefined;
    return {
      kind: 'module',
      context: {
        file: candidate,
        summary,
        childDirectory: isModRs ? path.dirname(candidate) : path.join(path.dirname(candidate), name),
        parent: context,
      },
    };
  }
  // A module behind an inactive cfg is never loaded; a #[path] we may have mis-based is not worth a false alarm.
  return { kind: 'missing-file', candidates, excused: declaration.cfg || declaration.pathAttribute !== undefined };
}

/**
 * The module context of a file inside the crate rooted at `rootFile`, found by walking the `mod` declarations that
 * the file's path implies (src/a/b.rs -> a::b). Undefined when the file is not reachable that way.
 */
export function fileContext(fileSystem: ProjectFileSystem, rootFile: string, file: string): ModuleContext | undefined {
  const root = rootContext(fileSystem, rootFile);
  if (root === undefined || file === rootFile) return root;
  let context: ModuleContext = root;
  const relative = path.relative(path.dirname(rootFile), file);
  if (relative.startsWith('..')) return undefined;
  const segments = relative.replace(/\.rs$/, '').split(path.sep);
  if (segments[segments.length - 1] === 'mod') segments.pop();
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    // Among cfg alternatives, the one whose file is `file` (last segment) or whose directory leads to it.
    const next: Extract<ChildLookup, { kind: 'module' }> | undefined = childModules(fileSystem, context, segment).find(
      (child): child is Extract<ChildLookup, { kind: 'module' }> =>
        child.kind === 'module' &&
        (last ? child.context.file === file : file.startsWith(child.context.childDirectory + path.sep)),
    );
    if (next === undefined) return undefined;
    context = next.context;
  }
  return context.file === file ? context : undefined;
}

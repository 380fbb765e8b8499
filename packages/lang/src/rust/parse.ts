import type { ParseLimits, SyntaxNode } from '../tree-sitter/parsers.js';
import { ancestorScopes, createPositionMapper, deadlineCheck, parseTree } from '../tree-sitter/parsers.js';
import { blankRustAttributes, isAcceptedRustError, neutralizeRustGaps } from '../tree-sitter/grammar-gaps.js';
import { collectSyntaxErrors } from '../tree-sitter/syntax-errors.js';
import type { Definition, DefinitionKind, ImportRecord, ParsedFile } from '../types.js';
import { attributesOf, expandUseTree, isCfg, isCfgTest, pathAttribute, relativeToFile } from './syntax.js';

const DEFINITION_KINDS: Readonly<Record<string, DefinitionKind>> = {
  function_item: 'function',
  function_signature_item: 'function',
  struct_item: 'struct',
  union_item: 'struct',
  enum_item: 'enum',
  trait_item: 'trait',
  impl_item: 'impl',
  type_item: 'type',
  mod_item: 'module',
};

export function parseRust(options: { path: string; text: string } & ParseLimits): ParsedFile {
  const check = deadlineCheck(options);
  const tree = parseTree('rust', neutralizeRustGaps(options.text), options);
  if (tree === null) return { language: 'rust', diagnostics: [], imports: [], definitions: [], incomplete: true };
  const position = createPositionMapper(options.text);
  let diagnostics = collectSyntaxErrors({ root: tree.rootNode, position, accept: isAcceptedRustError });
  if (diagnostics.length > 0 && options.text.includes('#[')) {
    const withoutAttributes = parseTree('rust', blankRustAttributes(neutralizeRustGaps(options.text)), options);
    if (
      withoutAttributes !== null &&
      collectSyntaxErrors({ root: withoutAttributes.rootNode, position, accept: isAcceptedRustError }).length === 0
    ) {
      diagnostics = [];
    }
  }
  const imports: ImportRecord[] = [];
  const definitions: Definition[] = [];

  // Only these nodes carry facts; tree-sitter finds them natively, and each one's scope (inline module path, cfg,
  // enclosing impl or trait) comes from its ancestors. Walking every node through the binding cost ~2 s per MB.
  const scopeOf = ancestorScopes<RustScope>({ modulePath: [], cfg: false, test: false, parent: undefined }, rustScope);
  const factNodes = tree.rootNode.descendantsOfType(FACT_NODE_TYPES);
  check(true);
  for (const node of factNodes) {
    check();
    const outer = scopeOf(node.parent);
    const { modulePath } = outer;
    // The node's own attributes count for its cfg and test flags.
    const { cfg, test } = scopeOf(node);
    const flags = test ? { testOnly: true } : {};
    // A module file behind an inactive cfg is never loaded, so a missing one is not an error.
    const moduleFlags = { ...flags, ...(cfg ? { optional: true } : {}) };
    if (node.type === 'use_declaration') {
      const argument = node.childForFieldName('argument');
      for (const entry of argument === null ? [] : expandUseTree(argument)) {
        imports.push({
          specifier: relativeToFile(entry.path, modulePath),
          kind: 'rust-use',
          ...position(entry.node.startIndex),
          ...(entry.alias === undefined ? {} : { alias: entry.alias }),
          ...flags,
        });
      }
      continue;
    }
    if (node.type === 'extern_crate_declaration') {
      const name = node.childForFieldName('name');
      const alias = node.childForFieldName('alias')?.text;
      if (name !== null && name.text !== 'self') {
        imports.push({
          specifier: name.text,
          kind: 'rust-extern-crate',
          ...position(name.startIndex),
          ...(alias === undefined ? {} : { alias }),
          ...flags,
        });
      }
      continue;
    }
    const kind = DEFINITION_KINDS[node.type];
    const name = definitionName(node);
    if (kind === undefined || name === undefined) continue;
    const isMethod = kind === 'function' && outer.parent !== undefined;
    definitions.push({
      name,
      kind: isMethod ? 'method' : kind,
      startLine: position(node.startIndex).line,
      endLine: position(node.endIndex).line,
      startOffset: node.startIndex,
      endOffset: node.endIndex,
      ...(outer.parent === undefined ? {} : { parent: outer.parent }),
    });
    if (node.type === 'mod_item' && node.childForFieldName('body') === null) {
      const customPath = pathAttribute(attributesOf(node));
      imports.push({
        specifier: ['self', ...modulePath, name].join('::'),
        kind: 'rust-mod',
        ...position(node.childForFieldName('name')?.startIndex ?? node.startIndex),
        ...(customPath === undefined ? {} : { pathAttribute: customPath }),
        ...moduleFlags,
      });
    }
  }
  return { language: 'rust', diagnostics, imports, definitions, incomplete: false };
}

const FACT_NODE_TYPES = ['use_declaration', 'extern_crate_declaration', ...Object.keys(DEFINITION_KINDS)];

interface RustScope {
  /** The chain of inline modules (`mod a { mod b; }` declares self::a::b). */
  readonly modulePath: readonly string[];
  /** Under a `#[cfg(...)]` or `#[cfg_attr(...)]` item. */
  readonly cfg: boolean;
  /** Under `#[cfg(test)]`. */
  readonly test: boolean;
  /** The impl or trait whose body holds the node (a module resets it). */
  readonly parent: string | undefined;
}

/** The scope a node gives its descendants (its own attributes included). */
function rustScope(node: SyntaxNode, outer: RustScope): RustScope {
  const attributes = attributesOf(node);
  let { modulePath, parent } = outer;
  const kind = DEFINITION_KINDS[node.type];
  const name = kind === undefined ? undefined : definitionName(node);
  if (name !== undefined) {
    if (kind === 'impl' || kind === 'trait') parent = name;
    if (kind === 'module') {
      parent = undefined;
      modulePath = [...modulePath, name];
    }
  }
  return { modulePath, cfg: outer.cfg || isCfg(attributes), test: outer.test || isCfgTest(attributes), parent };
}

function definitionName(node: SyntaxNode): string | undefined {
  if (node.type === 'impl_item') {
    // `impl<T> Display for Wrapper<T>` is named after the implementing type: Wrapper.
    const type = node.childForFieldName('type');
    return type?.text.replace(/<.*$/s, '').replace(/^.*::/, '').trim();
  }
  return node.childForFieldName('name')?.text;
}

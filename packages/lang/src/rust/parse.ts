import type { ParseLimits, SyntaxNode } from '../tree-sitter/parsers.js';
import { createPositionMapper, deadlineCheck, parseTree } from '../tree-sitter/parsers.js';
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

  // `modulePath` is the chain of inline modules (`mod a { mod b; }` declares self::a::b).
  const visit = (
    node: SyntaxNode,
    modulePath: readonly string[],
    context: { cfg: boolean; test: boolean; parent?: string },
  ) => {
    check();
    const attributes = attributesOf(node);
    const cfg = context.cfg || isCfg(attributes);
    const test = context.test || isCfgTest(attributes);
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
      return;
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
      return;
    }
    const kind = DEFINITION_KINDS[node.type];
    let childParent = context.parent;
    let childModulePath = modulePath;
    if (kind !== undefined) {
      const name = definitionName(node);
      if (name !== undefined) {
        const isMethod = kind === 'function' && context.parent !== undefined;
        definitions.push({
          name,
          kind: isMethod ? 'method' : kind,
          startLine: position(node.startIndex).line,
          endLine: position(node.endIndex).line,
          startOffset: node.startIndex,
          endOffset: node.endIndex,
          ...(context.parent === undefined ? {} : { parent: context.parent }),
        });
        if (kind === 'impl' || kind === 'trait') childParent = name;
        if (kind === 'module') childParent = undefined;
      }
      if (node.type === 'mod_item' && name !== undefined) {
        if (node.childForFieldName('body') === null) {
          const customPath = pathAttribute(attributes);
          imports.push({
            specifier: ['self', ...modulePath, name].join('::'),
            kind: 'rust-mod',
            ...position(node.childForFieldName('name')?.startIndex ?? node.startIndex),
            ...(customPath === undefined ? {} : { pathAttribute: customPath }),
            ...moduleFlags,
          });
        }
        childModulePath = [...modulePath, name];
      }
    }
    for (const child of node.namedChildren) {
      visit(child, childModulePath, { cfg, test, ...(childParent === undefined ? {} : { parent: childParent }) });
    }
  };
  visit(tree.rootNode, [], { cfg: false, test: false });
  return { language: 'rust', diagnostics, imports, definitions, incomplete: false };
}

function definitionName(node: SyntaxNode): string | undefined {
  if (node.type === 'impl_item') {
    // `impl<T> Display for Wrapper<T>` is named after the implementing type: Wrapper.
    const type = node.childForFieldName('type');
    return type?.text.replace(/<.*$/s, '').replace(/^.*::/, '').trim();
  }
  return node.childForFieldName('name')?.text;
}

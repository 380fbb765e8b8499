import type { ParseLimits, SyntaxNode } from '../tree-sitter/parsers.js';
import { createPositionMapper, parseTree } from '../tree-sitter/parsers.js';
import { collectSyntaxErrors } from '../tree-sitter/syntax-errors.js';
import type { Definition, DefinitionKind, ImportRecord, ParsedFile } from '../types.js';

export function parseGo(options: { path: string; text: string } & ParseLimits): ParsedFile {
  const tree = parseTree('go', options.text, options);
  if (tree === null) return { language: 'go', diagnostics: [], imports: [], definitions: [], incomplete: true };
  const position = createPositionMapper(options.text);
  const diagnostics = collectSyntaxErrors({ root: tree.rootNode, position });
  const imports: ImportRecord[] = [];
  const definitions: Definition[] = [];
  // `//go:build ignore` files (generators, examples) are never built, so their imports need not be in go.mod.
  const ignoredByBuild = /^\s*(?:\/\/go:build\s+ignore\b|\/\/\s*\+build\s+ignore\b)/m.test(
    options.text.slice(0, 4_000),
  );
  const define = (node: SyntaxNode, name: string, kind: DefinitionKind, parent?: string) => {
    definitions.push({
      name,
      kind,
      startLine: position(node.startIndex).line,
      endLine: position(node.endIndex).line,
      startOffset: node.startIndex,
      endOffset: node.endIndex,
      ...(parent === undefined ? {} : { parent }),
    });
  };
  for (const declaration of tree.rootNode.namedChildren) {
    switch (declaration.type) {
      case 'import_declaration':
        for (const spec of declaration.descendantsOfType('import_spec')) {
          const pathNode = spec.childForFieldName('path');
          if (pathNode === null) continue;
          const alias = spec.childForFieldName('name')?.text;
          imports.push({
            specifier: pathNode.text.slice(1, -1),
            kind: 'go-import',
            ...position(pathNode.startIndex),
            ...(alias === undefined ? {} : { alias }),
            ...(ignoredByBuild ? { optional: true } : {}),
          });
        }
        break;
      case 'function_declaration': {
        const name = declaration.childForFieldName('name')?.text;
        if (name !== undefined) define(declaration, name, 'function');
        break;
      }
      case 'method_declaration': {
        const name = declaration.childForFieldName('name')?.text;
        const receiver = declaration.childForFieldName('receiver')?.descendantsOfType('type_identifier')[0]?.text;
        if (name !== undefined) define(declaration, name, 'method', receiver);
        break;
      }
      case 'type_declaration':
        for (const spec of declaration.namedChildren) {
          const name = spec.childForFieldName('name')?.text;
          if (name === undefined) continue;
          const type = spec.childForFieldName('type')?.type;
          // A single `type X struct{}` spans the declaration; grouped specs span themselves.
          const span = declaration.namedChildCount === 1 ? declaration : spec;
          define(span, name, type === 'struct_type' ? 'struct' : type === 'interface_type' ? 'interface' : 'type');
        }
        break;
    }
  }
  return { language: 'go', diagnostics, imports, definitions, incomplete: false };
}

import type { SyntaxNode } from '../tree-sitter/parsers.js';

export interface UsePath {
  readonly path: string;
  readonly alias?: string;
  readonly node: SyntaxNode;
}

const PATH_NODES = new Set(['identifier', 'scoped_identifier', 'crate', 'self', 'super', 'metavariable']);

const join = (prefix: string, path: string): string => (prefix === '' ? path : `${prefix}::${path}`);

/** `use a::{b, c::{d as e, self}, f::*}` -> a::b, a::c::d (alias e), a::c, a::f. */
export function expandUseTree(node: SyntaxNode, prefix = ''): UsePath[] {
  if (PATH_NODES.has(node.type)) {
    const text = node.text.replace(/\s+/g, '');
    if (node.type === 'self' && prefix !== '') return [{ path: prefix, node }];
    return [{ path: join(prefix, text), node }];
  }
  switch (node.type) {
    case 'use_as_clause': {
      const path = node.childForFieldName('path');
      const alias = node.childForFieldName('alias')?.text;
      if (path === null) return [];
      return expandUseTree(path, prefix).map((entry) => (alias === undefined ? entry : { ...entry, alias }));
    }
    case 'use_wildcard': {
      const path = node.namedChildren[0];
      return [{ path: path === undefined ? prefix : join(prefix, path.text.replace(/\s+/g, '')), node }];
    }
    case 'scoped_use_list': {
      const path = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      // `use ::{a, b}` has no path node but a leading `::`.
      const pathText =
        path === null ? (node.text.trimStart().startsWith('::') ? '' : '') : path.text.replace(/\s+/g, '');
      const nextPrefix = pathText === '' ? prefix : join(prefix, pathText);
      return list === null ? [] : expandUseTree(list, nextPrefix);
    }
    case 'use_list':
      return node.namedChildren.flatMap((child) => expandUseTree(child, prefix));
    default:
      return [];
  }
}

/** Attributes written directly before an item (`#[cfg(test)]`, `#[path = "x.rs"]`). */
export function attributesOf(node: SyntaxNode): SyntaxNode[] {
  const attributes: SyntaxNode[] = [];
  for (let sibling = node.previousNamedSibling; sibling !== null; sibling = sibling.previousNamedSibling) {
    if (sibling.type === 'attribute_item') attributes.unshift(sibling);
    else if (sibling.type !== 'line_comment' && sibling.type !== 'block_comment') break;
  }
  return attributes;
}

export function pathAttribute(attributes: readonly SyntaxNode[]): string | undefined {
  for (const attribute of attributes) {
    const match = /^#\[\s*path\s*=\s*"([^"]+)"\s*\]$/.exec(attribute.text);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

export const isCfg = (attributes: readonly SyntaxNode[]): boolean =>
  attributes.some((attribute) => /^#\[\s*cfg(?:_attr)?\s*\(/.test(attribute.text));

export const isCfgTest = (attributes: readonly SyntaxNode[]): boolean =>
  attributes.some((attribute) => /^#\[\s*cfg\s*\(\s*test\s*\)/.test(attribute.text));

/**
 * Rewrites a path written inside inline modules (`mod tests { use super::helper; }`) so it is relative to the file's
 * module, the way parseRust writes import specifiers. Bare and `crate::` paths do not depend on the inline module.
 */
export function relativeToFile(usePath: string, modulePath: readonly string[]): string {
  if (modulePath.length === 0) return usePath;
  const segments = usePath.split('::');
  if (segments[0] !== 'self' && segments[0] !== 'super') return usePath;
  const base = [...modulePath];
  let index = 0;
  for (; index < segments.length; index += 1) {
    if (segments[index] === 'self') continue;
    if (segments[index] !== 'super') break;
    if (base.length === 0) return ['super', ...segments.slice(index + 1)].join('::');
    base.pop();
  }
  return ['self', ...base, ...segments.slice(index)].join('::');
}

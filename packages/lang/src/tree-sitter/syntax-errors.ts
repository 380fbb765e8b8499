import type { SyntaxDiagnostic } from '../types.js';
import type { Position, SyntaxNode } from './parsers.js';

export const MAX_TREE_SITTER_DIAGNOSTICS = 5;

/**
 * ERROR and MISSING nodes in document order, the first few, each with a readable message. `describe` lets a language
 * name an error better (Python: "unexpected indent"); it returns undefined to keep the generic message.
 */
export function collectSyntaxErrors(options: {
  root: SyntaxNode;
  position: (offset: number) => Position;
  describe?: (node: SyntaxNode) => string | undefined;
  /** An ERROR node the language accepts although the grammar does not (see grammar-gaps.ts). */
  accept?: (node: SyntaxNode) => boolean;
}): SyntaxDiagnostic[] {
  const diagnostics: SyntaxDiagnostic[] = [];
  const visit = (node: SyntaxNode): void => {
    if (diagnostics.length >= MAX_TREE_SITTER_DIAGNOSTICS) return;
    if (node.isMissing) {
      diagnostics.push({ ...options.position(node.startIndex), message: `missing ${quote(node.type)}` });
      return;
    }
    if (node.type === 'ERROR') {
      if (options.accept?.(node) === true) return;
      const message = options.describe?.(node) ?? `unexpected ${quote(firstToken(node))}`;
      diagnostics.push({ ...options.position(node.startIndex), message });
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) visit(child);
  };
  visit(options.root);
  return diagnostics;
}

function firstToken(node: SyntaxNode): string {
  let leaf = node;
  while (leaf.childCount > 0) {
    const first = leaf.child(0);
    if (first === null) break;
    leaf = first;
  }
  const text = (leaf.text || node.text).split('\n')[0]?.trim() ?? '';
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}

function quote(text: string): string {
  return `"${text}"`;
}

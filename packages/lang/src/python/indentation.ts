import type { Position, SyntaxNode } from '../tree-sitter/parsers.js';
import type { SyntaxDiagnostic } from '../types.js';

/**
 * Indentation errors tree-sitter-python lets through: a statement indented deeper than its siblings ("unexpected
 * indent") and a block whose body is not indented past its header ("expected an indented block"). Only statements
 * that start their line are compared, and any line indented with a tab is left alone (tab width is not ours to guess).
 */
export function indentationErrors(
  root: SyntaxNode,
  position: (offset: number) => Position,
  check: () => void = () => undefined,
): SyntaxDiagnostic[] {
  const errors: SyntaxDiagnostic[] = [];
  const text = root.text;
  // Scans back only over spaces: a statement after code on its line answers at the first character, so a 1 MB
  // single-line file of 40k statements stays linear (slicing each line prefix made it quadratic).
  const lineStartsStatement = (node: SyntaxNode): boolean => {
    for (let index = node.startIndex - 1; index >= 0; index -= 1) {
      const code = text.charCodeAt(index);
      if (code === 10) return true;
      if (code !== 32) return false;
    }
    return true;
  };
  const hasTabIndent = (node: SyntaxNode): boolean => {
    const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
    return text.slice(lineStart, node.startIndex).includes('\t');
  };
  const statementsOf = (node: SyntaxNode) => node.namedChildren.filter((child) => child.type !== 'comment');

  const checkSiblings = (statements: readonly SyntaxNode[], expectedColumn: number | undefined) => {
    let column = expectedColumn;
    for (const statement of statements) {
      if (!lineStartsStatement(statement) || hasTabIndent(statement)) continue;
      const current = position(statement.startIndex).column;
      if (column === undefined) column = current;
      else if (current > column) errors.push({ ...position(statement.startIndex), message: 'unexpected indent' });
      else if (current < column)
        errors.push({
          ...position(statement.startIndex),
          message: 'unindent does not match any outer indentation level',
        });
    }
  };

  const checkBlock = (node: SyntaxNode): void => {
    const header = node.parent;
    const statements = statementsOf(node);
    const first = statements[0];
    if (node.namedChildCount === 0) {
      // tree-sitter closes the block empty and parses the unindented body as the next top-level statement.
      const next = /\S/.exec(text.slice(node.endIndex));
      const offset = next === null ? node.endIndex : node.endIndex + next.index;
      errors.push({ ...position(offset), message: 'expected an indented block' });
    } else if (header !== null && first !== undefined && lineStartsStatement(first) && !hasTabIndent(first)) {
      const headerLine = text.lastIndexOf('\n', header.startIndex - 1) + 1;
      const headerIndent = /^[ ]*/.exec(text.slice(headerLine))?.[0].length ?? 0;
      const headerHasTab = /^[ ]*\t/.test(text.slice(headerLine));
      if (!headerHasTab && position(first.startIndex).column - 1 <= headerIndent) {
        errors.push({ ...position(first.startIndex), message: 'expected an indented block' });
      } else {
        checkSiblings(statements, undefined);
      }
    }
  };

  if (root.type === 'module') checkSiblings(statementsOf(root), 1);
  // Blocks in document order, found natively: visiting every node through the binding cost ~2 s per MB of code.
  for (const block of root.descendantsOfType('block')) {
    check();
    checkBlock(block);
  }
  return errors;
}

// Small readers of tree-sitter-python nodes for the symbol walk: assignment targets, match captures, literal
// `__all__` strings and call arguments.
import type { SyntaxNode } from '../tree-sitter/parsers.js';

export interface Targets {
  /** Names the target binds. */
  readonly names: string[];
  /** `base.member` for attribute targets (`billing.charge = fake` rebinds what `billing.charge(...)` calls). */
  readonly attributes: string[];
}

/** What an assignment, `for`, `with ... as`, `except ... as` or `del` target binds. */
export function collectTargets(node: SyntaxNode, out: Targets): void {
  switch (node.type) {
    case 'identifier':
      out.names.push(node.text);
      return;
    case 'attribute': {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (object?.type === 'identifier' && attribute !== null) out.attributes.push(`${object.text}.${attribute.text}`);
      return;
    }
    case 'subscript':
    case 'comment':
      return;
    default:
      for (const child of node.namedChildren) collectTargets(child, out);
  }
}

/**
 * Names a `case` pattern may bind. Over-approximated on purpose (keyword names of class patterns count too): a name
 * wrongly taken for a local only makes the calls gate skip it.
 */
export function collectCaptures(node: SyntaxNode, out: string[]): void {
  for (const child of node.namedChildren) {
    if (child.type === 'identifier') out.push(child.text);
    else if (child.type === 'dotted_name') {
      // `Color.RED` is a value pattern; a lone name is a capture. A class pattern's class is a use.
      if (child.namedChildCount === 1 && node.type !== 'class_pattern') out.push(child.text);
    } else collectCaptures(child, out);
  }
}

export interface LiteralStrings {
  readonly values: string[];
  /** False when some part is not a plain string literal (`+ other.__all__`, comprehensions, f-strings). */
  literal: boolean;
}

/** The strings of `["a", "b"] + ("c",)`-style values (a literal `__all__`). */
export function collectStrings(node: SyntaxNode, out: LiteralStrings): void {
  switch (node.type) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'parenthesized_expression':
    case 'argument_list':
      for (const child of node.namedChildren) if (child.type !== 'comment') collectStrings(child, out);
      return;
    case 'binary_operator':
      if (node.childForFieldName('operator')?.type !== '+') out.literal = false;
      for (const side of ['left', 'right']) {
        const child = node.childForFieldName(side);
        if (child !== null) collectStrings(child, out);
      }
      return;
    case 'string': {
      const start = node.namedChildren[0];
      const content = node.namedChildren.filter((child) => child.type === 'string_content');
      const plain =
        start?.type === 'string_start' &&
        !/[fFbB]/.test(start.text) &&
        node.namedChildren.every((child) => child.type !== 'interpolation');
      if (!plain) out.literal = false;
      else out.values.push(content.map((child) => child.text).join(''));
      return;
    }
    default:
      out.literal = false;
  }
}

export interface CallArguments {
  readonly count: number;
  readonly spread: boolean;
  readonly keywords: readonly string[];
}

export function argumentsOf(node: SyntaxNode | null): CallArguments {
  // `f(x for x in y)`: the generator is the only argument.
  if (node === null || node.type === 'generator_expression') {
    return { count: node === null ? 0 : 1, spread: false, keywords: [] };
  }
  let count = 0;
  let spread = false;
  const keywords: string[] = [];
  for (const child of node.namedChildren) {
    switch (child.type) {
      case 'comment':
        break;
      case 'keyword_argument': {
        const name = child.childForFieldName('name');
        if (name === null) spread = true;
        else keywords.push(name.text);
        break;
      }
      case 'list_splat':
      case 'dictionary_splat':
        spread = true;
        break;
      default:
        count += 1;
    }
  }
  return { count, spread, keywords };
}

// Tree-sitter helpers of the Python scanner: dotted names, string contents, call arguments and binding targets.
import type { SyntaxNode } from '@kode/lang';
import { MAX_DEPTH } from './model.js';
import type { CallArguments, Scope } from './model.js';

export function newScope(kind: Scope['kind'], parent: Scope | null): Scope {
  return { kind, parent, bindings: new Map(), starModules: [], globals: new Set() };
}

export function last<T>(items: readonly T[]): T | undefined {
  return items[items.length - 1];
}

/** `posix.system` and `nt.system` are `os.system`; `__builtins__` and Python 2 `__builtin__` are `builtins`. */
export function normalizeName(name: string): string {
  const dot = name.indexOf('.');
  const head = dot === -1 ? name : name.slice(0, dot);
  const rest = dot === -1 ? '' : name.slice(dot);
  if (head === 'posix' || head === 'nt') return `os${rest}`;
  if (head === '__builtins__' || head === '__builtin__') return `builtins${rest}`;
  return name;
}

export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** `a.b.c` of a dotted_name, ignoring whitespace and comments between the parts. */
export function dottedName(node: SyntaxNode): string {
  return node.namedChildren
    .filter((child) => child.type === 'identifier')
    .map((child) => child.text)
    .join('.');
}

export function isStringLiteralWithoutInterpolation(node: SyntaxNode): boolean {
  return node.type === 'string' && !node.namedChildren.some((child) => child.type === 'interpolation');
}

/** The text between the quotes of a string node (escapes left as written), interpolations dropped. */
export function stringContent(node: SyntaxNode): string {
  let text = '';
  for (const child of node.namedChildren) if (child.type === 'string_content') text += child.text;
  return text;
}

export function callArguments(call: SyntaxNode): CallArguments {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  let hasSplat = false;
  let hasKeywordSplat = false;
  const list = call.childForFieldName('arguments');
  if (list !== null && list.type === 'generator_expression') positional.push(list);
  else if (list !== null) {
    for (const argument of list.namedChildren) {
      if (argument.type === 'comment') continue;
      if (argument.type === 'keyword_argument') {
        const name = argument.childForFieldName('name');
        const value = argument.childForFieldName('value');
        if (name !== null && value !== null) keywords.set(name.text, value);
      } else if (argument.type === 'dictionary_splat') {
        hasKeywordSplat = true;
      } else {
        if (argument.type === 'list_splat') hasSplat = true;
        positional.push(argument);
      }
    }
  }
  return { positional, keywords, hasSplat, hasKeywordSplat };
}

/** The first positional argument, or the first of `keywordNames` given by keyword. */
export function firstArgument(args: CallArguments, keywordNames: readonly string[]): SyntaxNode | undefined {
  const first = args.positional[0];
  if (first !== undefined) return first;
  for (const name of keywordNames) {
    const value = args.keywords.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Identifiers a binding target introduces (`a`, `a, (b, *c)`, `[a, b]`); attributes and subscripts bind nothing. */
export function targetNames(target: SyntaxNode, into: SyntaxNode[] = [], depth = 0): SyntaxNode[] {
  if (depth > MAX_DEPTH) return into;
  switch (target.type) {
    case 'identifier':
      into.push(target);
      break;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'list_splat_pattern':
    case 'parenthesized_expression':
    case 'as_pattern_target':
      for (const child of target.namedChildren) targetNames(child, into, depth + 1);
      break;
    default:
      break;
  }
  return into;
}

/** Names bound by a parameter list (`a`, `b: int`, `c=1`, `*args`, `**kwargs`). */
export function parameterNames(parameters: SyntaxNode): SyntaxNode[] {
  const names: SyntaxNode[] = [];
  for (const parameter of parameters.namedChildren) {
    switch (parameter.type) {
      case 'identifier':
        names.push(parameter);
        break;
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = parameter.childForFieldName('name');
        if (name !== null) targetNames(name, names);
        break;
      }
      case 'typed_parameter':
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
      case 'tuple_pattern':
        for (const child of parameter.namedChildren) {
          if (child.type === 'identifier') names.push(child);
          else if (child.type === 'list_splat_pattern' || child.type === 'dictionary_splat_pattern') {
            names.push(...child.namedChildren.filter((inner) => inner.type === 'identifier'));
          }
        }
        break;
      default:
        break;
    }
  }
  return names;
}

/** The value finally assigned by `a = b = value` (the right side of the innermost assignment). */
export function assignedValue(assignment: SyntaxNode): SyntaxNode | null {
  let value = assignment.childForFieldName('right');
  for (let depth = 0; value !== null && value.type === 'assignment' && depth < MAX_DEPTH; depth += 1) {
    value = value.childForFieldName('right');
  }
  return value;
}

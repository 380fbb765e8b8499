// Call shapes and §4.5 fingerprints of Python functions and classes, read from tree-sitter-python nodes.
//
// Convention the calls gate relies on: `CallableShape.keywords` lists the positional-or-keyword parameters first, in
// declaration order, then the keyword-only ones. With `required + optional - positionalOnly` that tells which
// positional slot a keyword argument fills (Python itself orders parameters that way).
import type { CallableShape } from '../symbols/types.js';
import type { SyntaxNode } from '../tree-sitter/parsers.js';

interface Parameter {
  readonly name: string;
  readonly hasDefault: boolean;
}

interface ParameterList {
  readonly positional: readonly Parameter[];
  readonly positionalOnly: number;
  readonly keywordOnly: readonly Parameter[];
  readonly rest: boolean;
  readonly anyKeyword: boolean;
  /** Names, kinds and defaults as written, annotations left out (§4.5). */
  readonly fingerprint: string;
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Undefined for shapes we cannot read with certainty (Python 2 tuple parameters, error recovery). */
function readParameters(parameters: SyntaxNode): ParameterList | undefined {
  const positional: Parameter[] = [];
  const keywordOnly: Parameter[] = [];
  const parts: string[] = [];
  let positionalOnly = 0;
  let afterStar = false;
  let rest = false;
  let anyKeyword = false;
  const add = (parameter: Parameter, part: string) => {
    (afterStar ? keywordOnly : positional).push(parameter);
    parts.push(part);
  };
  for (const child of parameters.namedChildren) {
    switch (child.type) {
      case 'comment':
        break;
      case 'identifier':
        add({ name: child.text, hasDefault: false }, child.text);
        break;
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = child.childForFieldName('name');
        const value = child.childForFieldName('value');
        if (name?.type !== 'identifier' || value === null) return undefined;
        add({ name: name.text, hasDefault: true }, `${name.text}=${collapse(value.text)}`);
        break;
      }
      case 'typed_parameter': {
        const inner = child.namedChildren[0];
        if (inner === undefined) return undefined;
        if (inner.type === 'identifier') add({ name: inner.text, hasDefault: false }, inner.text);
        else if (inner.type === 'list_splat_pattern') {
          rest = true;
          afterStar = true;
          parts.push(collapse(inner.text));
        } else if (inner.type === 'dictionary_splat_pattern') {
          anyKeyword = true;
          parts.push(collapse(inner.text));
        } else return undefined;
        break;
      }
      case 'list_splat_pattern':
        rest = true;
        afterStar = true;
        parts.push(collapse(child.text));
        break;
      case 'keyword_separator':
        afterStar = true;
        parts.push('*');
        break;
      case 'dictionary_splat_pattern':
        anyKeyword = true;
        parts.push(collapse(child.text));
        break;
      case 'positional_separator':
        positionalOnly = positional.length;
        parts.push('/');
        break;
      default:
        return undefined;
    }
  }
  return { positional, positionalOnly, keywordOnly, rest, anyKeyword, fingerprint: parts.join(', ') };
}

function shapeOf(list: ParameterList): CallableShape {
  const required = list.positional.filter((parameter) => !parameter.hasDefault).length;
  return {
    required,
    optional: list.positional.length - required,
    rest: list.rest,
    keywords: [
      ...list.positional.slice(list.positionalOnly).map((parameter) => parameter.name),
      ...list.keywordOnly.map((parameter) => parameter.name),
    ],
    requiredKeywords: list.keywordOnly.filter((parameter) => !parameter.hasDefault).map((parameter) => parameter.name),
    anyKeyword: list.anyKeyword,
    positionalOnly: list.positionalOnly,
  };
}

/** `self` (or `cls`) taken off a method's parameters; undefined when there is none to take. */
function withoutFirst(list: ParameterList): ParameterList | undefined {
  const first = list.positional[0];
  if (first === undefined) return list.rest ? list : undefined;
  return {
    ...list,
    positional: list.positional.slice(1),
    positionalOnly: Math.max(0, list.positionalOnly - 1),
  };
}

export interface FunctionInfo {
  /** Undefined when calls cannot be checked. */
  readonly shape: CallableShape | undefined;
  readonly fingerprint: string;
}

export function functionInfo(options: { node: SyntaxNode; decorated: boolean }): FunctionInfo {
  const { node } = options;
  const parameters = node.childForFieldName('parameters');
  const list = parameters === null ? undefined : readParameters(parameters);
  const isAsync = node.firstChild?.type === 'async';
  const fingerprint = `${isAsync ? 'async ' : ''}def(${list?.fingerprint ?? collapse(parameters?.text ?? '')})`;
  // A decorator may return anything: the shape of the def says nothing certain about what callers get.
  return { shape: options.decorated || list === undefined ? undefined : shapeOf(list), fingerprint };
}

// Bases whose metaclass builds instances its own way (Enum values, NamedTuple/TypedDict fields, model libraries):
// the class's `__init__` does not tell how calls to the class are checked.
const SPECIAL_BASE =
  /\b(?:\w*Enum|\w*Flag|NamedTuple|TypedDict|Protocol|\w*Model|\w*Settings|\w*Struct|\w*Choices|\w*Schema|\w*Tuple|type)\b/;
const SPECIAL_MEMBER = /__(?:init|new)__/;

/** The `def` node of a class-body statement (decorators unwrapped), and whether it was decorated. */
function definitionOf(statement: SyntaxNode): { node: SyntaxNode; decorated: boolean } | undefined {
  if (statement.type === 'function_definition') return { node: statement, decorated: false };
  if (statement.type !== 'decorated_definition') return undefined;
  const node = statement.childForFieldName('definition');
  return node?.type === 'function_definition' ? { node, decorated: true } : undefined;
}

export interface ClassInfo extends FunctionInfo {
  /** Built by a decorator, a metaclass or a special base: subclasses are special too. */
  readonly special: boolean;
}

export function classInfo(options: {
  node: SyntaxNode;
  decorated: boolean;
  /** Same-file classes known to be special (an Enum base defined in this file makes its subclasses enums). */
  specialClasses: ReadonlySet<string>;
}): ClassInfo {
  const { node } = options;
  const superclasses = node.childForFieldName('superclasses');
  const bases = (superclasses?.namedChildren ?? []).filter((child) => child.type !== 'comment');
  const body = node.childForFieldName('body');
  const publicMethods: string[] = [];
  let init: { node: SyntaxNode; decorated: boolean } | undefined;
  const special =
    options.decorated ||
    // metaclass=..., total=False, *bases: the class object is built some other way.
    bases.some((base) => base.type !== 'identifier' && base.type !== 'attribute' && base.type !== 'subscript') ||
    bases.some((base) => SPECIAL_BASE.test(base.text) || options.specialClasses.has(base.text));
  let unknown = special || body === null;
  for (const statement of body?.namedChildren ?? []) {
    const definition = definitionOf(statement);
    const name = definition?.node.childForFieldName('name')?.text;
    if (definition !== undefined && name !== undefined) {
      if (!name.startsWith('_')) publicMethods.push(name);
      if (name === '__init__') init = definition;
      else if (SPECIAL_MEMBER.test(name)) unknown = true;
    } else if (statement.type !== 'expression_statement' || statement.namedChildren[0]?.type !== 'string') {
      // `__init__ = ...`, or an `__init__` defined under `if`/`try` in the class body.
      if (SPECIAL_MEMBER.test(statement.text)) unknown = true;
    }
  }
  const initInfo = init === undefined ? undefined : functionInfo(init);
  const initList = (() => {
    if (init === undefined || init.decorated) return undefined;
    const parameters = init.node.childForFieldName('parameters');
    const list = parameters === null ? undefined : readParameters(parameters);
    return list === undefined ? undefined : withoutFirst(list);
  })();
  const hasBases = bases.some((base) => base.text !== 'object');
  let shape: CallableShape | undefined;
  if (!unknown) {
    if (init !== undefined) shape = initList === undefined ? undefined : shapeOf(initList);
    // Without an `__init__`, a base class decides; with none, `object()` takes no arguments.
    else if (!hasBases) shape = { required: 0, optional: 0, rest: false, keywords: [], anyKeyword: false };
  }
  const fingerprint = `class(${initInfo?.fingerprint ?? ''}; ${[...new Set(publicMethods)].sort().join(', ')})`;
  return { shape, fingerprint, special };
}

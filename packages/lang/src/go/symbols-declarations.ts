// Package-level declarations of a Go file for extractGoSymbols: funcs, methods (`Type.Method`), types, vars and
// consts, each with its signature text and the §4.5 fingerprint (function signature, exported struct fields,
// interface method set). Only the shape a caller depends on goes into a fingerprint: parameter names, bodies, values
// and comments do not, so reformatting or renaming a parameter never widens the blast radius.
import type { CallableShape, SymbolDeclaration, SymbolKind } from '../symbols/types.js';
import type { Position, SyntaxNode } from '../tree-sitter/parsers.js';

export type PositionOf = (offset: number) => Position;

/**
 * Reads node text from the source string: node-tree-sitter's `node.text` re-reads the parse input in 64 KiB chunks
 * and flattens them on every call, which costs more than the whole extraction on a large file.
 */
export interface GoSource {
  readonly read: (node: SyntaxNode | null | undefined) => string;
  readonly position: PositionOf;
}

export function goSource(text: string, position: PositionOf): GoSource {
  return {
    read: (node) => (node === null || node === undefined ? '' : text.slice(node.startIndex, node.endIndex)),
    position,
  };
}

const COMMENT = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/gu;
const WORD = /[\w.$\u0080-\uffff]/u;

/**
 * Type text without comments and with whitespace kept only between two words (`map[string]int`, `chan int`), so
 * gofmt's layout choices do not change a fingerprint.
 */
export function normalizeGoText(text: string): string {
  const stripped = text.replace(COMMENT, ' ');
  return stripped
    .replace(/\s+/gu, (space, offset: number) =>
      WORD.test(stripped.charAt(offset - 1)) && WORD.test(stripped.charAt(offset + space.length)) ? ' ' : '',
    )
    .trim();
}

export function isExportedGoName(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

/** The identifiers in a node's `name` field (the binding also lists the commas between them under that field). */
export function fieldNames(node: SyntaxNode, source: GoSource): string[] {
  return node
    .childrenForFieldName('name')
    .filter((name) => name.isNamed)
    .map((name) => source.read(name));
}

/** One entry per parameter (grouped `a, b int` gives two), names dropped: `int`, `int`, `...string`. */
function parameterTypes(list: SyntaxNode | null, source: GoSource): { types: string[]; variadic: boolean } {
  const types: string[] = [];
  let variadic = false;
  for (const parameter of list?.namedChildren ?? []) {
    const isVariadic = parameter.type === 'variadic_parameter_declaration';
    if (!isVariadic && parameter.type !== 'parameter_declaration') continue;
    const typeText = normalizeGoText(source.read(parameter.childForFieldName('type')));
    const names = fieldNames(parameter, source).length;
    for (let index = 0; index < Math.max(1, names); index += 1) types.push(isVariadic ? `...${typeText}` : typeText);
    variadic ||= isVariadic;
  }
  return { types, variadic };
}

function functionShape(node: SyntaxNode, source: GoSource): { fingerprint: string; callable: CallableShape } {
  const { types, variadic } = parameterTypes(node.childForFieldName('parameters'), source);
  const result = node.childForFieldName('result');
  const resultText =
    result === null
      ? ''
      : result.type === 'parameter_list'
        ? `(${parameterTypes(result, source).types.join(',')})`
        : normalizeGoText(source.read(result));
  const typeParameters = normalizeGoText(source.read(node.childForFieldName('type_parameters')));
  return {
    fingerprint: `func${typeParameters}(${types.join(',')})${resultText === '' ? '' : ` ${resultText}`}`,
    callable: { required: variadic ? types.length - 1 : types.length, optional: 0, rest: variadic },
  };
}

/** Source text of a declaration up to its body (`func F(a int) error`), for context packets. */
function headText(node: SyntaxNode, body: SyntaxNode | null, source: GoSource): string {
  const whole = source.read(node);
  const text = body === null ? whole : whole.slice(0, body.startIndex - node.startIndex);
  return text.trim().replace(/\s+/gu, ' ');
}

/** The receiver's base type name: `(s *Store[K])` → `Store`. */
function receiverTypeName(
  receiver: SyntaxNode | null,
  source: GoSource,
): { name: string; pointer: boolean } | undefined {
  const parameter = receiver?.namedChildren.find((child) => child.type === 'parameter_declaration');
  let type = parameter?.childForFieldName('type') ?? null;
  let pointer = false;
  while (type !== null && (type.type === 'pointer_type' || type.type === 'parenthesized_type')) {
    pointer ||= type.type === 'pointer_type';
    type = type.namedChildren[0] ?? null;
  }
  if (type?.type === 'generic_type') type = type.childForFieldName('type');
  return type?.type === 'type_identifier' ? { name: source.read(type), pointer } : undefined;
}

function structFingerprint(struct: SyntaxNode, source: GoSource): string {
  const fields: string[] = [];
  const list = struct.namedChildren.find((child) => child.type === 'field_declaration_list');
  for (const field of list?.namedChildren ?? []) {
    if (field.type !== 'field_declaration') continue;
    const typeText = normalizeGoText(source.read(field.childForFieldName('type')));
    const names = fieldNames(field, source);
    const tag = field.childForFieldName('tag');
    // An embedded field (`*pkg.T` with its star) promotes its members whatever its own name; a named field matters
    // only when exported.
    const whole = source.read(field);
    const embedded = tag === null ? whole : whole.slice(0, tag.startIndex - field.startIndex);
    if (names.length === 0) fields.push(normalizeGoText(embedded));
    for (const name of names) if (isExportedGoName(name)) fields.push(`${name} ${typeText}`);
  }
  return `struct{${fields.join(';')}}`;
}

function interfaceFingerprint(node: SyntaxNode, source: GoSource): string {
  const elements = node.namedChildren
    .filter((child) => child.type !== 'comment')
    .map((element) => {
      if (element.type !== 'method_elem') return normalizeGoText(source.read(element));
      const shape = functionShape(element, source).fingerprint.slice('func'.length);
      return `${source.read(element.childForFieldName('name'))}${shape}`;
    });
  return `interface{${elements.sort().join(';')}}`;
}

function typeFingerprint(spec: SyntaxNode, source: GoSource): { kind: SymbolKind; fingerprint: string } {
  const type = spec.childForFieldName('type');
  const typeParameters = normalizeGoText(source.read(spec.childForFieldName('type_parameters')));
  if (spec.type === 'type_alias') return { kind: 'type', fingerprint: `= ${normalizeGoText(source.read(type))}` };
  if (type?.type === 'struct_type')
    return { kind: 'struct', fingerprint: typeParameters + structFingerprint(type, source) };
  if (type?.type === 'interface_type') {
    return { kind: 'interface', fingerprint: typeParameters + interfaceFingerprint(type, source) };
  }
  return { kind: 'type', fingerprint: `${typeParameters} ${normalizeGoText(source.read(type))}`.trim() };
}

/** The package-level declarations of one top-level declaration node. */
export function declarationsOf(node: SyntaxNode, source: GoSource): SymbolDeclaration[] {
  const { position, read } = source;
  const lines = (span: SyntaxNode) => ({
    line: position(span.startIndex).line,
    endLine: position(span.endIndex).line,
  });
  switch (node.type) {
    case 'function_declaration': {
      const name = read(node.childForFieldName('name'));
      if (name === '' || name === '_') return [];
      const { fingerprint, callable } = functionShape(node, source);
      const signature = headText(node, node.childForFieldName('body'), source);
      return [{ name, kind: 'function', ...lines(node), signature, fingerprint, callable: [callable] }];
    }
    case 'method_declaration': {
      const method = read(node.childForFieldName('name'));
      const receiver = receiverTypeName(node.childForFieldName('receiver'), source);
      if (method === '' || receiver === undefined) return [];
      // Methods are not package-level callables (no `callable`): `x.M()` is never checked.
      const fingerprint = `(${receiver.pointer ? '*' : ''}${receiver.name}) ${functionShape(node, source).fingerprint}`;
      const signature = headText(node, node.childForFieldName('body'), source);
      return [{ name: `${receiver.name}.${method}`, kind: 'method', ...lines(node), signature, fingerprint }];
    }
    case 'type_declaration': {
      const specs = node.namedChildren.filter((child) => child.type === 'type_spec' || child.type === 'type_alias');
      return specs.flatMap((spec) => {
        const name = read(spec.childForFieldName('name'));
        if (name === '' || name === '_') return [];
        const span = specs.length === 1 ? node : spec;
        const signature = `type ${read(spec).split('\n')[0]?.trim() ?? ''}`;
        return [{ name, ...typeFingerprint(spec, source), ...lines(span), signature }];
      });
    }
    case 'var_declaration':
    case 'const_declaration': {
      const keyword = node.type === 'var_declaration' ? 'var' : 'const';
      const specType = node.type === 'var_declaration' ? 'var_spec' : 'const_spec';
      // Direct specs only (`var ( ... )` wraps them in a list): a func literal in an initializer has its own.
      const specs = node.namedChildren
        .flatMap((child) => (child.type === 'var_spec_list' ? child.namedChildren : [child]))
        .filter((child) => child.type === specType);
      return specs.flatMap((spec) => {
        const span = specs.length === 1 ? node : spec;
        const typeText = normalizeGoText(read(spec.childForFieldName('type')));
        const signature = `${keyword} ${read(spec).split('\n')[0]?.trim() ?? ''}`;
        return fieldNames(spec, source)
          .filter((name) => name !== '_')
          .map((name) => ({
            name,
            kind: keyword === 'var' ? ('variable' as const) : ('constant' as const),
            ...lines(span),
            signature,
            fingerprint: `${keyword} ${typeText}`.trim(),
          }));
      });
    }
    default:
      return [];
  }
}

// Uses of package-level names in a Go file for extractGoSymbols: plain calls `F(x)` and selectors `pkg.Name` /
// `pkg.Name(x)` / `pkg.Type` in type position. A name bound anywhere inside the same top-level declaration (a
// parameter, result, receiver, type parameter, local var/const/type, `:=`, range or type-switch variable, closure
// parameter) is treated as local for that whole declaration: wider than Go's block scoping, so a local never passes
// for a package-level name or an import (G9), at the cost of a few checks skipped when a name is reused.
//
// One TreeCursor walk with the parent types kept on a stack: node-tree-sitter's per-node objects cost several
// microseconds each, which would make this walk slower than the parse itself on large files.
import type { SymbolReference } from '../symbols/types.js';
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import type { GoSource } from './symbols-declarations.js';

type TreeCursor = ReturnType<SyntaxNode['walk']>;

/** Parents whose direct `identifier` children are names they declare (their types and values are other nodes). */
const IDENTIFIER_BINDERS = new Set([
  'parameter_declaration',
  'variadic_parameter_declaration',
  'type_parameter_declaration',
  'var_spec',
  'const_spec',
]);
/** Parents that declare a local type in their `name` field. */
const TYPE_BINDERS = new Set(['type_spec', 'type_alias']);
/** Statements that declare the identifiers of the expression list in one field (`a, b := ...`). */
const LIST_BINDERS: Readonly<Record<string, string>> = {
  short_var_declaration: 'left',
  range_clause: 'left',
  receive_statement: 'left',
  type_switch_statement: 'alias',
};

interface PendingReference {
  readonly unit: number;
  /** The plain name or the selector's operand, which must not be local to the unit. */
  readonly local: string;
  readonly reference: SymbolReference;
}

/**
 * Node type names by grammar symbol id. `cursor.nodeType` allocates a new string on every read, the id is a number:
 * each name is read once. Read through a function: the cursor moves, so TypeScript must not narrow the property.
 */
const typeNames: string[] = [];
const typeAt = (cursor: TreeCursor): string => (typeNames[cursor.nodeTypeId] ??= cursor.nodeType);
// See typeAt: read through a function.
const fieldAt = (cursor: TreeCursor): string => cursor.currentFieldName;

/** Arguments of the call under the probe, which it leaves on its last child. */
function callArguments(probe: TreeCursor): NonNullable<SymbolReference['arguments']> | 'generic' | undefined {
  while (probe.gotoNextSibling()) {
    const type = typeAt(probe);
    if (type === 'type_arguments') return 'generic';
    if (type !== 'argument_list') continue;
    let count = 0;
    let first = '';
    let spread = false;
    if (probe.gotoFirstChild()) {
      do {
        if (!probe.nodeIsNamed) continue;
        const argument = typeAt(probe);
        if (argument === 'comment') continue;
        if (count === 0) first = argument;
        count += 1;
        spread ||= argument === 'variadic_argument';
      } while (probe.gotoNextSibling());
      probe.gotoParent();
    }
    // `f(xs...)` and `f(g())` (g may return several values): the count at the call says nothing about the arity.
    return { count, spread: spread || (count === 1 && first === 'call_expression') };
  }
  return undefined;
}

export function referencesOf(options: {
  readonly root: SyntaxNode;
  readonly text: string;
  readonly source: GoSource;
  /** Top-level declarations (funcs, methods, types, vars, consts), in source order. */
  readonly units: readonly SyntaxNode[];
  /** Package-level names declared in this file: `name.X` on one of them is a field or method, not a package. */
  readonly fileNames: ReadonlySet<string>;
}): SymbolReference[] {
  const { root, text, units, fileNames } = options;
  const { position, read } = options.source;
  const bound = units.map(() => new Set<string>());
  const pending: PendingReference[] = [];
  const calledSelectors = new Set<number>();
  const slice = (cursor: TreeCursor) => text.slice(cursor.startIndex, cursor.endIndex);
  const cursor = root.walk();
  const probe = root.walk();
  /** Node types from the root down to the current node, and for expression lists whether they declare. */
  const types: string[] = [];
  const declaring: boolean[] = [];
  let unit = -1;
  let nextUnit = 0;

  /** `operand.field` under the probe when the operand is a plain identifier; the probe returns to the selector. */
  const selector = (operandType: string): { operand: string; member: string } | undefined => {
    if (!probe.gotoFirstChild()) return undefined;
    let operand: string | undefined;
    let member: string | undefined;
    do {
      const type = typeAt(probe);
      if (operand === undefined && probe.nodeIsNamed && type !== 'comment') {
        if (type !== operandType) break;
        operand = slice(probe);
      } else if (type === 'field_identifier' || type === 'type_identifier') member = slice(probe);
    } while (member === undefined && probe.gotoNextSibling());
    probe.gotoParent();
    return operand === undefined || member === undefined ? undefined : { operand, member };
  };
  const visitCall = () => {
    probe.resetTo(cursor);
    if (!probe.gotoFirstChild()) return;
    const calleeType = typeAt(probe);
    const at = position(probe.startIndex);
    let local: string | undefined;
    let member: string | undefined;
    if (calleeType === 'identifier') local = slice(probe);
    else if (calleeType === 'selector_expression') {
      calledSelectors.add(probe.startIndex * 2 ** 32 + probe.endIndex);
      const parts = selector('identifier');
      local = parts?.operand;
      member = parts?.member;
    }
    if (local === undefined) return;
    const given = callArguments(probe);
    // `F[T](x)` (explicit instantiation) is left alone; `pkg.F` inside it is still read as a member.
    if (given === 'generic' || given === undefined) return;
    const name = local;
    const reference: SymbolReference =
      member === undefined
        ? { kind: 'call', name, ...at, arguments: given }
        : { kind: 'call', name, member, ...at, arguments: given };
    pending.push({ unit, local: name, reference });
  };
  const visitSelector = (operandType: string) => {
    if (calledSelectors.has(cursor.startIndex * 2 ** 32 + cursor.endIndex)) return;
    probe.resetTo(cursor);
    const parts = selector(operandType);
    if (parts === undefined) return;
    const reference: SymbolReference = {
      kind: 'member',
      name: parts.operand,
      member: parts.member,
      ...position(cursor.startIndex),
    };
    pending.push({ unit, local: parts.operand, reference });
  };
  const visit = (depth: number) => {
    const type = typeAt(cursor);
    types[depth] = type;
    const parent = types[depth - 1] ?? '';
    switch (type) {
      case 'identifier':
        if (IDENTIFIER_BINDERS.has(parent) || (parent === 'expression_list' && declaring[depth - 1] === true)) {
          bound[unit]?.add(slice(cursor));
        }
        break;
      case 'type_identifier':
        if (TYPE_BINDERS.has(parent) && fieldAt(cursor) === 'name') bound[unit]?.add(slice(cursor));
        break;
      case 'expression_list': {
        const field = LIST_BINDERS[parent];
        declaring[depth] = field !== undefined && fieldAt(cursor) === field;
        break;
      }
      case 'method_declaration': {
        // `func (l *List[K, V]) M()` binds K and V for the body without a type parameter declaration.
        const receiver = cursor.currentNode.childForFieldName('receiver');
        for (const name of receiver?.descendantsOfType('type_identifier') ?? []) bound[unit]?.add(read(name));
        break;
      }
      case 'call_expression':
        visitCall();
        break;
      case 'selector_expression':
        visitSelector('identifier');
        break;
      case 'qualified_type':
        visitSelector('package_identifier');
        break;
    }
  };

  if (!cursor.gotoFirstChild()) return [];
  let depth = 1;
  for (;;) {
    let descend = true;
    if (depth === 1) {
      // Only top-level declarations are walked (the package clause and imports have no uses of names).
      const start = cursor.startIndex;
      while (nextUnit < units.length && (units[nextUnit]?.startIndex ?? Infinity) < start) nextUnit += 1;
      unit = units[nextUnit]?.startIndex === start ? nextUnit : -1;
      descend = unit !== -1;
    }
    if (descend) visit(depth);
    if (descend && cursor.gotoFirstChild()) {
      depth += 1;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (depth === 1 || !cursor.gotoParent()) {
        return pending
          .filter((entry) => !(bound[entry.unit]?.has(entry.local) ?? true))
          .filter((entry) => entry.reference.member === undefined || !fileNames.has(entry.local))
          .map((entry) => entry.reference);
      }
      depth -= 1;
    }
  }
}

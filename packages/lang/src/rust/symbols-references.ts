// Calls by path (`f(x)`, `billing::charge(a, b)`, `crate::a::f()`), for the calls gate and the blast radius. A call
// is recorded only when its first path segment surely names a module-level binding. Local bindings are found in the
// item's text rather than its tree (walking patterns through the binding costs more than the parse): any use of the
// name other than calling it or a path through it - `let f`, `|f|`, `Some(f)`, `f: T`, `fn f(`, `use x::f;`,
// `bind!(f)` - counts as a local binding that may shadow it. A body with a block-level glob import, `macro_rules!`,
// `mod`, or a brace-delimited statement macro (which may define items) may bind anything: its calls are left out.
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import type { SymbolReference } from '../symbols/types.js';
import { relativeToFile } from './syntax.js';

// Brace-delimited macros of std that define no items (`vec! {..}` is rare but valid).
const STD_BRACE_MACROS = new Set([
  'assert',
  'assert_eq',
  'assert_ne',
  'debug_assert',
  'debug_assert_eq',
  'debug_assert_ne',
  'dbg',
  'eprint',
  'eprintln',
  'format',
  'matches',
  'panic',
  'print',
  'println',
  'todo',
  'unimplemented',
  'unreachable',
  'vec',
  'write',
  'writeln',
]);
const PATH_SEGMENT_NODES = new Set(['identifier', 'crate', 'self', 'super']);
const OPAQUE_BODY = /\buse\b[^;]*\*|\bmacro_rules!|\bmod\s+[A-Za-z_]\w*\s*\{/u;
const BRACE_MACRO = /\b([A-Za-z_]\w*)!\s*\{/gu;

/** Names a body may bind locally, asked one name at a time; `opaque` when it may bind names we cannot see. */
interface LocalScope {
  readonly opaque: boolean;
  binds(name: string): boolean;
}

function localScope(text: string): LocalScope {
  const opaque =
    OPAQUE_BODY.test(text) || [...text.matchAll(BRACE_MACRO)].some((match) => !STD_BRACE_MACROS.has(match[1] ?? ''));
  const answers = new Map<string, boolean>();
  const binds = (name: string): boolean => {
    const known = answers.get(name);
    if (known !== undefined) return known;
    // Raw identifiers (`r#match`) are rare enough to leave alone.
    let bound = !/^\w+$/u.test(name);
    for (const match of bound ? [] : text.matchAll(new RegExp(`(?<![\\w$])${name}(?!\\w)`, 'gu'))) {
      const index = match.index + match[0].length;
      const rest = text.slice(index, index + 200);
      const before = text.slice(Math.max(0, match.index - 16), match.index);
      // A call (`f(`, `f::<T>(`), a path through the name (`f::g`) or a macro of that name (`f!`) uses no local
      // binding; anything else may create one.
      if (/^\s*(?:::|\(|!(?!=))/u.test(rest) && !/\bfn\s+$/u.test(before)) continue;
      bound = true;
      break;
    }
    answers.set(name, bound);
    return bound;
  };
  return { opaque, binds };
}

function pathSegments(node: SyntaxNode | null): string[] | undefined {
  if (node === null) return undefined;
  if (PATH_SEGMENT_NODES.has(node.type)) return [node.text];
  if (node.type !== 'scoped_identifier') return undefined;
  const path = node.childForFieldName('path');
  const name = node.childForFieldName('name');
  // `::krate::f()` (no path node) names an external crate; `<T as Trait>::f`, `Vec::<u8>::new` are not plain paths.
  if (path === null || name === null) return undefined;
  const head = pathSegments(path);
  return head === undefined ? undefined : [...head, name.text];
}

/** A name local to the inline module `modulePath` as FileSymbols spells it (`tests::helper`). */
export const inModule = (modulePath: readonly string[], name: string): string =>
  modulePath.length === 0 ? name : `${modulePath.join('::')}::${name}`;

/**
 * Calls by path inside one module-level item of the inline module `modulePath`. `name` is the path without its last
 * segment (or the whole one-segment path), `member` the last segment: `billing::charge(a)` -> billing / charge,
 * `crate::a::f()` -> crate::a / f, `f()` -> f. Names relative to an inline module carry its path (`tests::f`), and
 * `self::`/`super::` are rewritten relative to the file, as import specifiers are.
 */
export interface ReferenceHolder {
  /** A module-level item whose body may call (fn, impl, trait, const, static). */
  readonly item: SyntaxNode;
  /** The inline module it is in. */
  readonly modulePath: readonly string[];
}

/** The holder whose range contains `offset` (holders are in source order and do not overlap). */
function holderAt(holders: readonly ReferenceHolder[], offset: number): ReferenceHolder | undefined {
  let low = 0;
  let high = holders.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((holders[middle]?.item.startIndex ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  const holder = holders[low];
  return holder !== undefined && holder.item.startIndex <= offset && offset < holder.item.endIndex ? holder : undefined;
}

export function callReferences(options: {
  root: SyntaxNode;
  /** The file's text (offsets of the tree index it). */
  source: string;
  holders: readonly ReferenceHolder[];
  position: (offset: number) => { line: number; column: number };
  /** Names the module binds (items, imports); undefined when a glob import may bind any name. A call whose first
   * segment is none of these reaches the prelude or an external crate: nothing to record. */
  bound: (modulePath: readonly string[]) => ReadonlySet<string> | undefined;
}): SymbolReference[] {
  const scopes = new Map<SyntaxNode, LocalScope>();
  const references: SymbolReference[] = [];
  // One native search for the whole file: far cheaper than one per item.
  for (const call of options.holders.length === 0 ? [] : options.root.descendantsOfType('call_expression')) {
    const holder = holderAt(options.holders, call.startIndex);
    if (holder === undefined) continue;
    const { item, modulePath } = holder;
    let callee = call.childForFieldName('function');
    if (callee?.type === 'generic_function') callee = callee.childForFieldName('function');
    const segments = pathSegments(callee);
    const first = segments?.[0];
    if (segments === undefined || first === undefined || first === 'Self') continue;
    const relative = first === 'crate' || first === 'self' || first === 'super';
    if (!relative && options.bound(modulePath)?.has(first) === false) continue;
    let scope = scopes.get(item);
    if (scope === undefined) {
      // A function's own name is not a local binding: recursive calls are checked too.
      const from =
        item.type === 'function_item' ? (item.childForFieldName('name')?.endIndex ?? item.startIndex) : item.startIndex;
      scope = localScope(options.source.slice(from, item.endIndex));
      scopes.set(item, scope);
    }
    if (scope.opaque || scope.binds(first)) continue;
    const argumentNodes = call.childForFieldName('arguments')?.namedChildren ?? [];
    const counted = argumentNodes.filter((node) => !node.type.endsWith('comment') && node.type !== 'attribute_item');
    const spread = argumentNodes.some((node) => node.type === 'attribute_item');
    const qualifier = segments.slice(0, -1).join('::');
    const member = segments[segments.length - 1] ?? '';
    const name =
      segments.length === 1
        ? inModule(modulePath, first)
        : relative
          ? relativeToFile(qualifier, modulePath)
          : inModule(modulePath, qualifier);
    references.push({
      kind: 'call',
      name,
      ...(segments.length === 1 ? {} : { member }),
      ...options.position(call.startIndex),
      arguments: { count: counted.length, spread },
    });
  }
  return references;
}

// One Rust item as a SymbolDeclaration: kind, signature text, the §4.5 fingerprint and, for free functions, the call
// shape. Attributes are read here too: a proc-macro attribute may rewrite an item, so such items get no call shape.
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import type { CallableShape, SymbolDeclaration, SymbolKind } from '../symbols/types.js';

const ITEM_KINDS: Readonly<Record<string, SymbolKind>> = {
  function_item: 'function',
  function_signature_item: 'function',
  struct_item: 'struct',
  union_item: 'struct',
  enum_item: 'enum',
  trait_item: 'trait',
  type_item: 'type',
  const_item: 'constant',
  static_item: 'variable',
  mod_item: 'module',
  macro_definition: 'macro',
};

export const isItem = (node: SyntaxNode): boolean => ITEM_KINDS[node.type] !== undefined;

// Attributes the compiler and its tools define: none of them adds names to a module or rewrites a signature.
// Anything else on an item is a proc-macro attribute (or a derive helper, see `attributeMacros`).
const BUILTIN_ATTRIBUTES = new Set([
  'allow',
  'automatically_derived',
  'cfg',
  'cfg_attr',
  'cold',
  'collapse_debuginfo',
  'debugger_visualizer',
  'deny',
  'deprecated',
  'derive',
  'doc',
  'expect',
  'export_name',
  'forbid',
  'global_allocator',
  'ignore',
  'inline',
  'instruction_set',
  'link',
  'link_name',
  'link_ordinal',
  'link_section',
  'macro_export',
  'macro_use',
  'must_use',
  'naked',
  'no_mangle',
  'non_exhaustive',
  'optimize',
  'panic_handler',
  'path',
  'proc_macro',
  'proc_macro_attribute',
  'proc_macro_derive',
  'repr',
  'should_panic',
  'stable',
  'target_feature',
  'test',
  'bench',
  'track_caller',
  'unsafe',
  'unstable',
  'used',
  'warn',
  'coverage',
  'thread_local',
  'allow_internal_unstable',
  'rustc_const_stable',
  'rustc_const_unstable',
]);
const TOOL_PREFIXES = ['rustfmt::', 'clippy::', 'diagnostic::', 'rustc_'];
const STD_DERIVES = new Set(['Debug', 'Clone', 'Copy', 'PartialEq', 'Eq', 'PartialOrd', 'Ord', 'Hash', 'Default']);

export interface ItemAttributes {
  readonly cfg: boolean;
  /** `#[macro_export]` (macro_rules! reachable as `crate::name`). */
  readonly macroExport: boolean;
  /** An attribute that is neither built in nor a derive helper: a proc macro that may rewrite or add items. */
  readonly macro: boolean;
  readonly path: boolean;
}

/** `cfg_attr(pred, a, b(x))` -> ['a', 'b(x)']: the attributes it may apply. */
function cfgAttrContents(text: string): string[] {
  const open = text.indexOf('(');
  const inner = text.slice(open + 1, text.lastIndexOf(')'));
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < inner.length; index += 1) {
    const character = inner[index];
    if (character === '(' || character === '[') depth += 1;
    else if (character === ')' || character === ']') depth -= 1;
    else if (character === ',' && depth === 0) {
      parts.push(inner.slice(start, index).trim());
      start = index + 1;
    }
  }
  parts.push(inner.slice(start).trim());
  return parts.slice(1).filter((part) => part !== '');
}

const attributeName = (text: string): string => /^[\w:]+/u.exec(text.replace(/\s+/gu, ''))?.[0] ?? text;

export function classifyAttributes(texts: readonly string[]): ItemAttributes {
  const expanded = texts.flatMap((text) =>
    attributeName(text) === 'cfg_attr' ? [text, ...cfgAttrContents(text)] : [text],
  );
  const names = expanded.map(attributeName);
  // A derive of anything but the std traits brings helper attributes (`#[serde(...)]`, `#[error(...)]`) along.
  const customDerive = expanded.some(
    (text) =>
      attributeName(text) === 'derive' &&
      (text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')).match(/[\w:]+/gu) ?? []).some(
        (derived) => !STD_DERIVES.has(derived.replace(/^.*::/u, '')),
      ),
  );
  const isMacro = (name: string) =>
    !BUILTIN_ATTRIBUTES.has(name) && !TOOL_PREFIXES.some((prefix) => name.startsWith(prefix));
  return {
    cfg: names.includes('cfg') || names.includes('cfg_attr'),
    macroExport: names.includes('macro_export'),
    macro: !customDerive && names.some(isMacro),
    path: names.includes('path'),
  };
}

export type Visibility = 'public' | 'restricted' | 'private';

export function visibilityOf(node: SyntaxNode): Visibility {
  const modifier = node.namedChildren.find((child) => child.type === 'visibility_modifier');
  if (modifier === undefined) return 'private';
  const text = modifier.text.replace(/\s+/gu, '');
  if (text === 'pub') return 'public';
  if (text === 'pub(self)' || text === 'pub(inself)') return 'private';
  return 'restricted';
}

/** Source text without comments, whitespace collapsed and dropped next to punctuation: the shape, not the layout. */
export function normalizedText(source: string, node: SyntaxNode, end = node.endIndex): string {
  let text = '';
  let position = node.startIndex;
  const slice = source.slice(position, end);
  // Asking the tree for comments costs a native call; most signatures have none.
  const comments =
    slice.includes('//') || slice.includes('/*') ? node.descendantsOfType(['line_comment', 'block_comment']) : [];
  for (const comment of comments) {
    if (comment.startIndex >= end) break;
    if (comment.startIndex < position) continue;
    text += `${source.slice(position, comment.startIndex)} `;
    position = comment.endIndex;
  }
  if (position < end) text += source.slice(position, end);
  return (
    text
      .replace(/\s+/gu, ' ')
      .replace(/ ?([(),:;<>[\]{}=&*+!?|#.]) ?/gu, '$1')
      // A trailing comma is layout.
      .replace(/,([)\]}>])/gu, '$1')
      .trim()
  );
}

function callableOf(node: SyntaxNode): CallableShape[] | undefined {
  const parameters = node.childForFieldName('parameters');
  if (parameters === null) return undefined;
  let count = 0;
  for (const parameter of parameters.namedChildren) {
    // C variadics take any number of arguments; a #[cfg] on a parameter makes the count configuration-dependent.
    if (parameter.type === 'variadic_parameter' || parameter.type === 'attribute_item') return undefined;
    // `self` is never a free function's parameter; methods are not module-level items.
    if (parameter.type === 'parameter') count += 1;
  }
  return [{ required: count, optional: 0, rest: false }];
}

/** Text before the item's body (`{ ... }`, `= value`) or the whole item: what a reader needs to call or use it. */
function headEnd(node: SyntaxNode): number {
  const body = node.childForFieldName('body');
  if (body !== null && body.type !== 'ordered_field_declaration_list') return body.startIndex;
  if (node.type === 'const_item' || node.type === 'static_item') {
    const value = node.childForFieldName('value');
    if (value !== null) return value.startIndex;
  }
  return node.endIndex;
}

function fingerprintOf(source: string, node: SyntaxNode): string {
  const body = node.childForFieldName('body');
  const head = normalizedText(source, node, body?.startIndex ?? headEnd(node)).replace(/=$/u, '');
  switch (node.type) {
    case 'struct_item':
    case 'union_item': {
      if (body === null) return head;
      if (body.type === 'ordered_field_declaration_list') {
        // Positions matter for tuple structs: private fields are kept as `_` so the public ones keep their index.
        const fields: string[] = [];
        let public_ = false;
        for (const child of body.namedChildren) {
          if (child.type === 'visibility_modifier') public_ = child.text.replace(/\s+/gu, '') === 'pub';
          else if (child.type !== 'attribute_item' && !child.type.endsWith('comment')) {
            fields.push(public_ ? normalizedText(source, child) : '_');
            public_ = false;
          }
        }
        return `${head}(${fields.join(',')})`;
      }
      const fields = body.namedChildren
        .filter((field) => field.type === 'field_declaration' && visibilityOf(field) === 'public')
        .map((field) => normalizedText(source, field));
      return `${head}{${fields.join(',')}}`;
    }
    case 'trait_item': {
      const members = (body?.namedChildren ?? [])
        .filter((member) => !member.type.endsWith('comment') && member.type !== 'attribute_item')
        .map((member) => normalizedText(source, member, headEnd(member)).replace(/;$/u, ''));
      return `${head}{${members.join(';')}}`;
    }
    case 'enum_item':
    case 'type_item':
      return normalizedText(source, node);
    case 'macro_definition':
      return `macro_rules!${node.childForFieldName('name')?.text ?? ''}{${node.namedChildren
        .filter((child) => child.type === 'macro_rule')
        .map((rule) => {
          const left = rule.childForFieldName('left');
          return left === null ? '' : normalizedText(source, left);
        })
        .join(';')}}`;
    case 'mod_item':
      return body === null ? head : `${head}{}`;
    default:
      return head;
  }
}

export function declarationOf(options: {
  source: string;
  node: SyntaxNode;
  name: string;
  line: (offset: number) => number;
  /** Leave the call shape out (proc-macro attribute, or a cfg'd function in a module macros may add to). */
  uncallable: boolean;
}): SymbolDeclaration {
  const { source, node } = options;
  const kind = ITEM_KINDS[node.type] ?? 'unknown';
  const signature =
    node.type === 'macro_definition' ? `macro_rules! ${options.name}` : source.slice(node.startIndex, headEnd(node));
  const callable = kind === 'function' && !options.uncallable ? callableOf(node) : undefined;
  return {
    name: options.name,
    kind,
    line: options.line(node.startIndex),
    endLine: options.line(Math.max(node.startIndex, node.endIndex - 1)),
    signature: signature.trim().replace(/\s*=$/u, ''),
    fingerprint: fingerprintOf(source, node),
    ...(callable === undefined ? {} : { callable }),
  };
}

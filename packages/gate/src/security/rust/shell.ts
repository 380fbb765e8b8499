// rust/shell-exec: `Command::new("sh")` with a non-literal `-c` script, through builder chains and `let` variables.
import type { SyntaxNode } from '@kode/lang';
import { nextBindingPosition, scopeIndex } from './bindings.js';
import { ARGUMENT_METHODS, MAX_CHAIN_LENGTH, report, STRING_CONVERSIONS } from './context.js';
import type { CommandArgument, Context, PendingCommand, Point, TreeCursor } from './context.js';
import {
  cursorText,
  fieldAt,
  firstArgument,
  forEachNamedChild,
  inField,
  pathCallAt,
  trailingIdentifier,
  typeAt,
} from './cursor.js';
import { literalValue, resolveName } from './literals.js';
import { macroTokensAt } from './macros.js';
import type { MacroToken } from './macros.js';
import { commandBaseName, shellKindOf } from '../command-text.js';
import { shellScriptArgument } from './shell-program.js';

/**
 * `Command::new("sh")` (the cursor is on `new`): follows its builder chain; when the chain initialises
 * `let [mut] name`, the variable's later `name.arg(..)` / `name.args(..)` chains are added after the walk.
 */
export function checkShellCommand(context: Context, cursor: TreeCursor, scope: SyntaxNode): void {
  const probe = context.probe;
  if (!pathCallAt(probe, cursor)) return;
  const program = firstArgument(probe, (argument) => literalValue(context, scope, argument, 0));
  if (program === undefined) return;
  const collected: CommandArgument[] = [];
  if (climbChain(context, probe, scope, collected)) {
    // The probe is on the `let` the chain initialises.
    const variable = inField(probe, 'pattern', (pattern) =>
      typeAt(pattern) === 'identifier' ? cursorText(context, pattern) : undefined,
    );
    if (variable !== undefined) {
      context.pendingCommands.push({ program, collected, variable, statementEnd: probe.endIndex, scope });
      return;
    }
  }
  const script = shellScriptArgument(program, collected);
  if (script?.site !== undefined) report(context, 'rust/shell-exec', script.site);
}

/** `let mut c = Command::new("sh"); c.arg("-c"); c.arg(script);`: adds the variable's later chains, then decides. */
export function finishBoundCommand(context: Context, pending: PendingCommand): void {
  const { program, collected, variable, statementEnd, scope } = pending;
  const index = scopeIndex(context, scope);
  const end = nextBindingPosition(index, variable, statementEnd);
  const chains = index.receiverChains.get(variable) ?? [];
  // Binary search for the first chain after the statement; chains are in document order.
  let low = 0;
  let high = chains.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((chains[middle]?.position ?? 0) < statementEnd) low = middle + 1;
    else high = middle;
  }
  for (let chainIndex = low; chainIndex < chains.length; chainIndex += 1) {
    const chain = chains[chainIndex];
    if (chain === undefined || chain.position >= end) break;
    for (const { call, method } of chain.calls) appendArgumentsAt(context, scope, call.walk(), method, collected);
  }
  const script = shellScriptArgument(program, collected);
  if (script?.site !== undefined) report(context, 'rust/shell-exec', script.site);
}

/**
 * From the call under the probe, climbs the method chain built on it, appending `.arg`/`.args` arguments. True when
 * the chain initialises a `let` (the probe is then on the `let_declaration`).
 */
function climbChain(context: Context, probe: TreeCursor, scope: SyntaxNode, collected: CommandArgument[]): boolean {
  for (let length = 0; length < MAX_CHAIN_LENGTH; length += 1) {
    const field = fieldAt(probe);
    const receiverEnd = probe.endIndex;
    if (!probe.gotoParent()) return false;
    if (typeAt(probe) !== 'field_expression' || field !== 'value') {
      return typeAt(probe) === 'let_declaration' && field === 'value';
    }
    const method = trailingIdentifier(context.source.slice(receiverEnd - context.base, probe.endIndex - context.base));
    const memberField = fieldAt(probe);
    if (!probe.gotoParent() || typeAt(probe) !== 'call_expression' || memberField !== 'function') return false;
    if (ARGUMENT_METHODS.has(method)) appendArgumentsAt(context, scope, probe, method, collected);
  }
  return false;
}

/** The arguments of the `.arg(..)` / `.args(..)` call under the cursor. */
function appendArgumentsAt(
  context: Context,
  scope: SyntaxNode,
  cursor: TreeCursor,
  method: string,
  collected: CommandArgument[],
): void {
  firstArgument(cursor, (argument) => {
    const site = (): Point => argument.startPosition;
    if (method === 'arg') {
      const literal = literalValue(context, scope, argument, 0);
      collected.push({ literal, site: literal === undefined ? site() : undefined });
      return;
    }
    const elements = sequenceElements(context, scope, argument);
    if (elements === undefined) collected.push({ literal: undefined, site: site() });
    else for (const literal of elements) collected.push({ literal, site: literal === undefined ? site() : undefined });
  });
}

/** The literal values (undefined = not literal) of `["-c", x]`, `&[..]`, `vec![..]`; undefined when unknown. */
function sequenceElements(context: Context, scope: SyntaxNode, cursor: TreeCursor): (string | undefined)[] | undefined {
  if (typeAt(cursor) === 'reference_expression') {
    return inField(cursor, 'value', (inner) => sequenceElements(context, scope, inner));
  }
  if (typeAt(cursor) === 'array_expression') {
    const elements: (string | undefined)[] = [];
    forEachNamedChild(cursor, (element) => elements.push(literalValue(context, scope, element, 0)));
    return elements;
  }
  if (
    typeAt(cursor) === 'macro_invocation' &&
    inField(cursor, 'macro', (name) => cursorText(context, name)) === 'vec'
  ) {
    return tokenElements(context, scope, macroTokensAt(context, cursor));
  }
  return undefined;
}

/** Comma-separated elements of macro tokens: literal text for `"x"`, `&"x"`, `"x".to_string()`, else undefined. */
function tokenElements(context: Context, scope: SyntaxNode, tokens: readonly MacroToken[]): (string | undefined)[] {
  const elements: (string | undefined)[] = [];
  let group: MacroToken[] = [];
  for (const token of tokens) {
    if (token.type !== ',') {
      group.push(token);
      continue;
    }
    elements.push(tokenElementLiteral(context, scope, group));
    group = [];
  }
  if (group.length > 0) elements.push(tokenElementLiteral(context, scope, group));
  return elements;
}

function tokenElementLiteral(context: Context, scope: SyntaxNode, tokens: readonly MacroToken[]): string | undefined {
  let index = tokens[0]?.type === '&' ? 1 : 0;
  const head = tokens[index];
  if (head === undefined) return undefined;
  if (head.type === 'identifier' && tokens.length === index + 1) {
    return resolveName(context, scope, head.text, head.start, 0);
  }
  if (head.literal === undefined) return undefined;
  index += 1;
  // Allowed tail: `.to_string()`, `.to_owned()`, `.into()`.
  while (index < tokens.length) {
    const [dot, method, parentheses] = tokens.slice(index, index + 3);
    if (dot?.type !== '.' || method === undefined || !STRING_CONVERSIONS.has(method.text)) return undefined;
    if (parentheses?.type !== 'token_tree' || parentheses.text.replace(/\s/g, '') !== '()') return undefined;
    index += 3;
  }
  return head.literal;
}

/**
 * Cheap text check before any tree work: `new` is preceded by `Command ::` and its first argument is a shell or
 * `env` literal, or something else (a constant or variable, resolved later).
 */
export function isShellCommandNew(context: Context, start: number, end: number): boolean {
  const source = context.source;
  let index = start - context.base - 1;
  while (index >= 0 && /\s/.test(source[index] ?? '')) index -= 1;
  if (source[index] !== ':' || source[index - 1] !== ':') return false;
  index -= 2;
  while (index >= 0 && /\s/.test(source[index] ?? '')) index -= 1;
  if (index < 6 || source.slice(index - 6, index + 1) !== 'Command' || /\w/.test(source[index - 7] ?? '')) return false;
  let after = end - context.base;
  while (after < source.length && /\s/.test(source[after] ?? '')) after += 1;
  if (source[after] !== '(') return false;
  after += 1;
  while (after < source.length && /\s/.test(source[after] ?? '')) after += 1;
  if (source[after] !== '"') return true;
  const close = source.indexOf('"', after + 1);
  if (close === -1) return false;
  const program = source.slice(after + 1, close);
  return shellKindOf(program) !== undefined || commandBaseName(program) === 'env';
}

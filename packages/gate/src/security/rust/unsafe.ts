// rust/unsafe: `unsafe` blocks and items, in macro token trees too, and `unsafe extern` blocks blanked for the parser.
import { COMMENT_TYPES, report } from './context.js';
import type { Context, TreeCursor } from './context.js';
import { typeAt } from './cursor.js';

/** An `unsafe` keyword: a block, an `unsafe fn` / `impl` / `trait`, or one of these inside a macro's token tree. */
export function checkUnsafeToken(context: Context, cursor: TreeCursor): void {
  const probe = context.probe;
  probe.resetTo(cursor);
  if (!probe.gotoParent()) return;
  switch (typeAt(probe)) {
    case 'unsafe_block':
    case 'impl_item':
    case 'trait_item':
      report(context, 'rust/unsafe', cursor.startPosition);
      return;
    case 'function_modifiers':
      // `unsafe fn()` as a function-pointer type declares nothing unsafe; only items count.
      if (probe.gotoParent() && (typeAt(probe) === 'function_item' || typeAt(probe) === 'function_signature_item')) {
        report(context, 'rust/unsafe', cursor.startPosition);
      }
      return;
    case 'token_tree':
      probe.resetTo(cursor);
      if (startsUnsafeCodeInTokens(probe)) report(context, 'rust/unsafe', cursor.startPosition);
      return;
  }
}

/**
 * Macro arguments are raw tokens (`assert_eq!(unsafe { f() }, 1)`, `macro_rules!` bodies): `unsafe` followed by a
 * brace group, `fn name`, `impl`, `trait` or `extern ["abi"] {` is unsafe code the macro expands to. The probe
 * starts on the `unsafe` token and moves along its siblings.
 */
function startsUnsafeCodeInTokens(probe: TreeCursor): boolean {
  if (!nextToken(probe)) return false;
  if (typeAt(probe) === 'extern') {
    if (!nextToken(probe)) return false;
    if (typeAt(probe) === 'string_literal' && !nextToken(probe)) return false;
  }
  switch (typeAt(probe)) {
    case 'token_tree':
      return probe.gotoFirstChild() && typeAt(probe) === '{';
    case 'impl':
    case 'trait':
      return true;
    case 'fn':
      return nextToken(probe) && typeAt(probe) === 'identifier';
    default:
      return false;
  }
}

function nextToken(probe: TreeCursor): boolean {
  do {
    if (!probe.gotoNextSibling()) return false;
  } while (COMMENT_TYPES.has(typeAt(probe)));
  return true;
}

/** An `extern` block whose original text reads `unsafe extern` (blanked for the parser, see scanRust). */
export function checkNeutralizedUnsafeExtern(context: Context, cursor: TreeCursor): void {
  const start = cursor.startIndex - context.originalBase;
  const before = context.originalText.slice(Math.max(0, start - 64), start);
  const match = /\bunsafe\s+$/u.exec(before);
  if (match === null) return;
  const distance = before.length - match.index;
  const position = cursor.startPosition;
  // Same line (the usual case): point at `unsafe`; otherwise at the block.
  const shift = before.slice(match.index).includes('\n') ? 0 : -distance;
  report(context, 'rust/unsafe', position, shift);
}

// rust/tls-disabled: `danger_accept_invalid_certs(true)` and `danger_accept_invalid_hostnames(true)`.
import { report } from './context.js';
import type { Context, TreeCursor } from './context.js';
import { cursorText, forEachArgument, methodCallAt, typeAt } from './cursor.js';

export function checkTls(context: Context, cursor: TreeCursor): void {
  const probe = context.probe;
  if (!methodCallAt(probe, cursor)) return;
  let enabled = false;
  const count = forEachArgument(probe, (argument) => {
    enabled = typeAt(argument) === 'boolean_literal' && cursorText(context, argument) === 'true';
  });
  if (count === 1 && enabled) report(context, 'rust/tls-disabled', cursor.startPosition);
}

// The failure-reason contract (SPEC §2.5): one line `<check_name>: <message> (<details>)`, at most 500 characters.
import type { GateResult } from './types.js';

const MAX_REASON_LENGTH = 500;
const MAX_DETAIL_ITEMS = 5;

function oneLine(text: string): string {
  return text
    .split(/\r\n|\r|\n/u)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('; ');
}

/** Formats a result as a reason line; `stats` and `explain` group by the text before the first `:`. */
export function formatReason(result: Pick<GateResult, 'check_name' | 'message' | 'details'>): string {
  const details = result.details === undefined ? '' : oneLine(result.details);
  const reason = `${result.check_name}: ${oneLine(result.message)}${details === '' ? '' : ` (${details})`}`;
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}

/** Joins findings for `details`: `; `-separated, the first five, then `; +N more`. */
export function joinDetails(findings: readonly string[]): string | undefined {
  if (findings.length === 0) return undefined;
  const shown = findings.slice(0, MAX_DETAIL_ITEMS).join('; ');
  const rest = findings.length - MAX_DETAIL_ITEMS;
  return rest > 0 ? `${shown}; +${rest} more` : shown;
}

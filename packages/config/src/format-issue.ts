import type { ConfigIssue } from './types.js';

/**
 * The text of an issue after the CLI's `error: ` or `warning: ` prefix (spec §5.9), e.g.
 * `invalid .kode/kode.json: /engine/max_blast_radius must be integer (got "three")` or
 * `.kode/kode.json: unknown key /engine/tdd (ignored)`.
 */
export function formatConfigIssue(issue: ConfigIssue): string {
  switch (issue.kind) {
    case 'read':
      return `cannot read ${issue.file}: ${issue.message}: check that it is a readable file`;
    case 'parse':
    case 'schema':
      return `invalid ${issue.file}: ${issue.message}`;
    case 'version':
      return `${issue.file} ${issue.message}`;
    case 'unknown-key':
    case 'unset-variable':
      return `${issue.file}: ${issue.message}`;
  }
}

/** Renders a value the way messages quote it: strings and numbers literally, containers by type. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

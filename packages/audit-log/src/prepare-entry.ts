// Turns a writer's AuditEntryInput into the JSON object that goes on disk (SPEC §6.1): every string redacted,
// reasons and `task` cut, `gates` capped, and a JSON round trip so the hash is computed over exactly what a reader
// will parse back. Runs before the log lock is taken: none of it depends on the log.
import type { AuditEntryInput } from './types.js';

export const MAX_TEXT_LENGTH = 500;
export const MAX_GATES = 100;

/** Fields whose keys are paths or hunk ids taken from user input, so their keys are redacted too. */
const fieldsWithUserKeys = new Set(['failures', 'failed_hunks']);
/** The chain fields belong to the writer; an input that carries them (e.g. a re-logged entry) loses them. */
const chainFields = new Set(['v', 'seq', 'prev_hash', 'hash', 'gates_truncated']);

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Cuts `text` to `max` characters (code points): the first `max - 1` and `…`. */
export function truncateText(text: string, max: number = MAX_TEXT_LENGTH): string {
  if (text.length <= max) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  return `${codePoints.slice(0, max - 1).join('')}…`;
}

function cleanString(text: string, redact: (text: string) => string): string {
  // RFC 8785 rejects lone surrogates; a redactor or a cut elsewhere may have produced one.
  return redact(text).replace(loneSurrogate, '\uFFFD');
}

function sanitize(value: unknown, redact: (text: string) => string, redactKeys: boolean): unknown {
  if (typeof value === 'string') return cleanString(value, redact);
  if (Array.isArray(value)) return value.map((item: unknown) => sanitize(item, redact, false));
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleanKey = redactKeys ? cleanString(key, redact) : key.replace(loneSurrogate, '\uFFFD');
      result[cleanKey] = sanitize(item, redact, false);
    }
    return result;
  }
  return value;
}

function truncateValues(record: unknown): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record))
    result[key] = typeof value === 'string' ? truncateText(value) : value;
  return result;
}

/** The order of SPEC §6.2, so every line reads the same way whatever order the writer built its object in. */
const fieldOrder = [
  'timestamp',
  'run_id',
  'command',
  'task_id',
  'task',
  'status',
  'files',
  'failures',
  'failed_hunks',
  'rounds_used',
  'duration_ms',
  'model',
  'input_source',
  'cost_usd',
  'tokens',
  'gates',
  'suppressed',
  'test',
  'rolled_back',
  'ghost',
  'recovered',
  'error',
];

function orderedEntries(entry: AuditEntryInput): [string, unknown][] {
  const record = entry as unknown as Record<string, unknown>;
  const known = fieldOrder
    .filter((key) => Object.hasOwn(record, key))
    .map((key): [string, unknown] => [key, record[key]]);
  const others = Object.entries(record).filter(([key]) => !fieldOrder.includes(key));
  return [...known, ...others];
}

/** The entry body without chain fields, ready for `{ v, seq, ...body, prev_hash, hash }`. */
export function prepareEntryBody(entry: AuditEntryInput, redact: (text: string) => string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, raw] of orderedEntries(entry)) {
    if (chainFields.has(key) || raw === undefined) continue;
    const value = sanitize(raw, redact, fieldsWithUserKeys.has(key));
    if (key === 'task' && typeof value === 'string') {
      body[key] = truncateText(value);
    } else if (fieldsWithUserKeys.has(key)) {
      body[key] = truncateValues(value);
    } else if (key === 'error' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // The error message is a reason in all but name; an unbounded one would break the 16 KiB line budget.
      const error = value as Record<string, unknown>;
      body[key] = typeof error.message === 'string' ? { ...error, message: truncateText(error.message) } : error;
    } else if (key === 'gates' && Array.isArray(value) && value.length > MAX_GATES) {
      body[key] = value.slice(0, MAX_GATES);
      body.gates_truncated = value.length - MAX_GATES;
    } else {
      body[key] = value;
    }
  }
  // Drops undefined members, turns non-finite numbers into null, calls toJSON: what a reader will parse back.
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

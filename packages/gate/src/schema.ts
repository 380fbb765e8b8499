// The `schema` pre-gate for hunks and file entries (SPEC §4.1): one bad hunk FAILs alone; ids are repaired.
import type { ValidHunk } from './apply-hunk.js';
import { describeType } from './patch-input.js';

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/u;
const ACTIONS = ['INSERT', 'DELETE', 'MODIFY'] as const;

export interface SchemaOutcome {
  readonly id: string;
  /** Why the id was replaced (a WARN), if it was. */
  readonly idProblem?: string;
  /** The hunk when valid; otherwise the FAIL detail. */
  readonly hunk?: ValidHunk;
  readonly problem?: string;
  /** `file_path` when it is a string, so results can name the file even for an invalid hunk. */
  readonly filePath?: string;
}

/** Assigns ids (`hunk-<n>` for missing, invalid or duplicate ones) and validates every hunk. */
export function checkHunks(hunks: readonly unknown[]): SchemaOutcome[] {
  const used = new Set<string>();
  for (const raw of hunks) {
    const id = isRecord(raw) ? raw.id : undefined;
    if (typeof id === 'string' && ID_PATTERN.test(id)) used.add(id);
  }
  const kept = new Set<string>();
  return hunks.map((raw, index) => {
    const given = isRecord(raw) ? raw.id : undefined;
    let id: string;
    let idProblem: string | undefined;
    if (typeof given === 'string' && ID_PATTERN.test(given) && !kept.has(given)) {
      id = given;
    } else {
      id = `hunk-${index + 1}`;
      for (let suffix = 2; used.has(id) || kept.has(id); suffix += 1) id = `hunk-${index + 1}-${suffix}`;
      idProblem =
        given === undefined
          ? `${id}: id is missing`
          : typeof given !== 'string'
            ? `${id}: id must be a string (got ${describeType(given)})`
            : ID_PATTERN.test(given)
              ? `${id}: id ${JSON.stringify(given)} is a duplicate`
              : `${id}: id ${JSON.stringify(given)} must be 1-64 characters of A-Z a-z 0-9 . _ -`;
    }
    kept.add(id);
    const checked = validateHunk(raw, id);
    return { id, ...(idProblem === undefined ? {} : { idProblem }), ...checked };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateHunk(raw: unknown, id: string): { hunk?: ValidHunk; problem?: string; filePath?: string } {
  if (!isRecord(raw)) return { problem: `${id}: a hunk must be an object (got ${describeType(raw)})` };
  const filePath = typeof raw.file_path === 'string' ? raw.file_path : undefined;
  const withPath = filePath === undefined ? {} : { filePath };
  const fail = (problem: string) => ({ problem: `${id}: ${problem}`, ...withPath });
  if (raw.file_path === undefined) return fail('file_path is required');
  if (filePath === undefined) return fail(`file_path must be a string (got ${describeType(raw.file_path)})`);
  if (raw.action === undefined) return fail('action is required');
  const action = typeof raw.action === 'string' ? raw.action.toUpperCase() : undefined;
  if (action !== 'INSERT' && action !== 'DELETE' && action !== 'MODIFY') {
    return fail(`action must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(raw.action)})`);
  }
  for (const field of ['anchor_text', 'new_text', 'target_symbol'] as const) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') {
      return fail(`${field} must be a string (got ${describeType(raw[field])})`);
    }
  }
  const anchorText = typeof raw.anchor_text === 'string' ? raw.anchor_text : '';
  const newText = typeof raw.new_text === 'string' ? raw.new_text : '';
  if ((action === 'MODIFY' || action === 'DELETE') && anchorText === '') return fail(`${action} requires anchor text`);
  if (action === 'INSERT' && newText === '') return fail('INSERT requires new text');
  const targetSymbol =
    typeof raw.target_symbol === 'string' && raw.target_symbol !== '' ? raw.target_symbol : undefined;
  return {
    hunk: {
      id,
      filePath,
      action,
      anchorText,
      newText: action === 'DELETE' ? '' : newText,
      ...(targetSymbol === undefined ? {} : { targetSymbol }),
    },
    ...withPath,
  };
}

/** The ids verify() gives the hunks of a patch, in order (so a caller can merge rounds by id, §8.4). */
export function hunkIds(hunks: readonly unknown[]): string[] {
  return checkHunks(hunks).map((outcome) => outcome.id);
}

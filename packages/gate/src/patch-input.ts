// Document-level validation of a `kode verify --input` / MCP `kode_verify` document (SPEC §3.6). Problems here are
// input errors (exit 2), unlike problems inside one hunk, which are `schema` FAILs.
import type { PatchInput } from './types.js';
import { parseUnifiedDiff } from './unified-diff.js';

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface PatchDocument {
  readonly input: PatchInput;
  readonly blockArchitecture?: boolean;
  readonly architectureRules?: readonly unknown[];
}

export type PatchDocumentResult =
  { readonly ok: true; readonly document: PatchDocument } | { readonly ok: false; readonly message: string };

const FORMS = ['hunks', 'files', 'diff'] as const;

/** Checks the document's shape; `message` is the text after `error: ` (SPEC §3.6 table). */
export function parsePatchDocument(value: unknown): PatchDocumentResult {
  if (!isRecord(value)) return { ok: false, message: `input must be a JSON object (got ${describeType(value)})` };
  const present = FORMS.filter((form) => value[form] !== undefined);
  if (present.length !== 1) {
    return { ok: false, message: 'input must contain exactly one of "hunks", "files" or "diff"' };
  }
  const extras: { blockArchitecture?: boolean; architectureRules?: readonly unknown[] } = {};
  if (value.block_architecture !== undefined) {
    if (typeof value.block_architecture !== 'boolean') {
      return {
        ok: false,
        message: `"block_architecture" must be a boolean (got ${describeType(value.block_architecture)})`,
      };
    }
    extras.blockArchitecture = value.block_architecture;
  }
  if (value.architecture_rules !== undefined) {
    if (!Array.isArray(value.architecture_rules)) {
      return {
        ok: false,
        message: `"architecture_rules" must be an array (got ${describeType(value.architecture_rules)})`,
      };
    }
    extras.architectureRules = value.architecture_rules as unknown[];
  }
  if (value.original_files !== undefined && present[0] !== 'hunks') {
    return { ok: false, message: '"original_files" is only valid with "hunks"' };
  }
  if (value.hunks !== undefined) {
    if (!Array.isArray(value.hunks))
      return { ok: false, message: `"hunks" must be an array (got ${describeType(value.hunks)})` };
    const originals = value.original_files;
    if (originals !== undefined) {
      if (!isRecord(originals)) {
        return { ok: false, message: `"original_files" must be an object (got ${describeType(originals)})` };
      }
      const bad = Object.entries(originals).find(([, content]) => typeof content !== 'string');
      if (bad !== undefined) {
        return {
          ok: false,
          message: `"original_files" values must be strings (got ${describeType(bad[1])} for ${JSON.stringify(bad[0])})`,
        };
      }
    }
    const input = {
      hunks: value.hunks as unknown,
      ...(originals === undefined ? {} : { original_files: originals }),
    } as PatchInput;
    return { ok: true, document: { input, ...extras } };
  }
  if (value.files !== undefined) {
    if (!isRecord(value.files))
      return { ok: false, message: `"files" must be an object (got ${describeType(value.files)})` };
    return { ok: true, document: { input: { files: value.files } as PatchInput, ...extras } };
  }
  if (typeof value.diff !== 'string')
    return { ok: false, message: `"diff" must be a string (got ${describeType(value.diff)})` };
  const parsed = parseUnifiedDiff(value.diff);
  if (!parsed.ok) return { ok: false, message: `"diff" is not a unified diff: ${parsed.error}` };
  return { ok: true, document: { input: { diff: value.diff }, ...extras } };
}

// Tolerant parsing of a model's edit reply into hunks (SPEC §8.2). Failures are results, never exceptions: the
// engine sends `error` to one format-repair call, so it is a single line that starts with the cause.
//
// Hunks are not validated here: the `schema` pre-gate FAILs a bad hunk on its own (§4.1) and repairs ids, so this
// parser only insists that every element is a JSON object. Elements are shallow copies with all their own fields,
// unknown ones included (§2.1 says they are ignored); a missing `id` stays missing for the gate to name.
import { parseSearchReplace } from './search-replace.js';
import type { StructuredHunk } from './types.js';

export interface ParseModelReplyOptions {
  /** The reply's text content; may be empty when the model answered only with a tool call. */
  readonly text: string;
  readonly format: 'json' | 'search-replace';
  /** Arguments of the `submit_patch` tool call, parsed or as their JSON string. Read only for the JSON format. */
  readonly toolArguments?: unknown;
}

export type ParseModelReplyResult =
  | { readonly ok: true; readonly hunks: StructuredHunk[]; readonly warnings: string[] }
  | { readonly ok: false; readonly error: string };

export const INTERNAL_ERROR_PREFIX = 'reply could not be parsed (internal error)';

export function parseModelReply(options: ParseModelReplyOptions): ParseModelReplyResult {
  try {
    const text = typeof options.text === 'string' ? options.text : '';
    if (options.format === 'search-replace') return parseSearchReplace(text);
    if (options.format === 'json') return parseJsonReply(text, options.toolArguments);
    return { ok: false, error: `unknown edit format ${JSON.stringify(String(options.format))}` };
  } catch (error) {
    // Tool arguments come from provider SDKs and may be exotic objects (throwing getters, proxies). "Never throws"
    // is the contract the engine relies on, so anything unforeseen becomes a parse failure it can repair.
    return { ok: false, error: `${INTERNAL_ERROR_PREFIX}: ${oneLine(String(error))}` };
  }
}

type Source = 'tool' | 'whole' | 'fence' | 'array' | 'object';

interface Candidate {
  readonly source: Source;
  readonly text: string;
  /** Where the candidate (with its fence lines) sits in the reply, to tell whether prose surrounds it. */
  readonly start: number;
  readonly end: number;
}

const SOURCE_LABELS: Readonly<Record<Source, string>> = {
  tool: 'the submit_patch arguments',
  whole: 'the reply',
  fence: 'the fenced block',
  array: 'the bracketed array',
  object: 'the braced object',
};

type Shape = { readonly ok: true; readonly hunks: StructuredHunk[] } | { readonly ok: false; readonly error: string };

function parseJsonReply(text: string, toolArguments: unknown): ParseModelReplyResult {
  let shapeError: string | undefined;
  let syntaxError: string | undefined;
  const hasTool = toolArguments !== undefined && toolArguments !== null;
  if (hasTool && typeof toolArguments !== 'string') {
    const shape = toHunks(toolArguments, 'submit_patch tool-call JSON');
    if (shape.ok) return { ok: true, hunks: shape.hunks, warnings: [] };
    shapeError = shape.error;
  }
  const toolText = typeof toolArguments === 'string' ? toolArguments : undefined;
  // An empty array in a bracket found inside prose is usually a Markdown checkbox (`- [ ] step`), so the search
  // goes on; it is the answer only when nothing else parses.
  let emptySpan: readonly string[] | undefined;
  const passes: readonly { readonly commas: boolean; readonly candidates: () => Iterable<Candidate> }[] = [
    { commas: false, candidates: () => primaryCandidates(text, toolText) },
    { commas: true, candidates: () => primaryCandidates(text, toolText) },
    // A lone object is tried last so that `[{...}, {...},]` is not cut down to its first hunk.
    { commas: false, candidates: () => spanCandidates(text, '{') },
    { commas: true, candidates: () => spanCandidates(text, '{') },
  ];
  for (const pass of passes) {
    for (const candidate of pass.candidates()) {
      const source = pass.commas ? removeTrailingCommas(candidate.text) : candidate.text;
      if (pass.commas && source === candidate.text) continue;
      const parsed = parseJson(source);
      if (!parsed.ok) {
        if (syntaxError === undefined && reportsSyntax(candidate)) {
          syntaxError = `invalid JSON in ${SOURCE_LABELS[candidate.source]}: ${oneLine(parsed.error)}`;
        }
        continue;
      }
      const subject = candidate.source === 'tool' ? 'submit_patch tool-call JSON' : 'reply JSON';
      const shape = toHunks(parsed.value, subject);
      if (!shape.ok) {
        shapeError ??= shape.error;
        continue;
      }
      const warnings: string[] = [];
      if (hasTool && candidate.source !== 'tool') {
        warnings.push('submit_patch arguments held no hunks; parsed the reply text instead');
      }
      if (candidate.source !== 'tool' && hasProse(text, candidate))
        warnings.push('reply contained prose around the JSON');
      if (pass.commas) warnings.push('trailing commas removed');
      const isSpan = candidate.source === 'array' || candidate.source === 'object';
      if (isSpan && shape.hunks.length === 0) {
        emptySpan ??= warnings;
        continue;
      }
      return { ok: true, hunks: shape.hunks, warnings };
    }
  }
  if (emptySpan !== undefined) return { ok: true, hunks: [], warnings: [...emptySpan] };
  if (shapeError !== undefined) return { ok: false, error: shapeError };
  const cause = text.trim() === '' && !hasTool ? ' (the reply is empty)' : syntaxError ? ` (${syntaxError})` : '';
  return { ok: false, error: `no JSON array of hunks found in the reply${cause}` };
}

/** Syntax errors are reported only where JSON was clearly meant, not for every `[see below]` in the prose. */
function reportsSyntax(candidate: Candidate): boolean {
  if (candidate.source === 'tool' || candidate.source === 'fence') return true;
  if (candidate.source === 'whole') return /^\s*[[{]/u.test(candidate.text);
  return candidate.text.includes('"file_path"');
}

function* primaryCandidates(text: string, toolText: string | undefined): Generator<Candidate> {
  if (toolText !== undefined) yield { source: 'tool', text: toolText, start: 0, end: 0 };
  // A byte-order mark or surrounding blank lines are not "prose" and would make JSON.parse fail.
  const whole = text.replace(/^\uFEFF/u, '').trim();
  if (whole !== '') yield { source: 'whole', text: whole, start: 0, end: text.length };
  const fence = firstJsonFence(text);
  if (fence !== undefined) yield fence;
  yield* spanCandidates(text, '[');
}

const JSON_FENCE_TAGS = new Set(['', 'json', 'jsonc', 'json5']);

/** The first fence tagged `json` (or untagged); an unclosed one runs to the end, as a reply cut off by a limit. */
function firstJsonFence(text: string): Candidate | undefined {
  let open: { readonly json: boolean; readonly outerStart: number; readonly innerStart: number } | undefined;
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).trim();
    const next = newline === -1 ? text.length : newline + 1;
    if (open === undefined && line.startsWith('```')) {
      const tag = line.replace(/^`+/u, '').trim().split(/\s/u)[0] ?? '';
      open = { json: JSON_FENCE_TAGS.has(tag.toLowerCase()), outerStart: lineStart, innerStart: next };
    } else if (open !== undefined && /^`{3,}$/u.test(line)) {
      if (open.json)
        return { source: 'fence', text: text.slice(open.innerStart, lineStart), start: open.outerStart, end: next };
      open = undefined;
    }
    if (newline === -1) break;
    lineStart = next;
  }
  if (open?.json !== true) return undefined;
  return { source: 'fence', text: text.slice(open.innerStart), start: open.outerStart, end: text.length };
}

// Openers that never close each cost a scan to the end of the text; capping the retries keeps the search linear
// (1 MB of `[` is 16 scans, not a million).
const MAX_UNCLOSED_OPENERS = 16;

/** Balanced top-level `[...]` (or `{...}`) spans in order, skipping spans of the other kind and everything inside. */
function* spanCandidates(text: string, opener: '[' | '{'): Generator<Candidate> {
  let from = 0;
  let unclosed = 0;
  for (;;) {
    const start = nextOpener(text, from);
    if (start === -1) return;
    const end = spanEnd(text, start);
    if (end === -1) {
      unclosed += 1;
      if (unclosed > MAX_UNCLOSED_OPENERS) return;
      from = start + 1;
      continue;
    }
    if (text[start] === opener && couldHoldHunks(text, start))
      yield { source: opener === '[' ? 'array' : 'object', text: text.slice(start, end), start, end };
    from = end;
  }
}

/**
 * Only `[{`, `[]`, `{"` and `{}` (spaces allowed) can hold hunks; skipping the rest before JSON.parse keeps prose
 * full of `[x]` and `[1]` cheap.
 */
function couldHoldHunks(text: string, start: number): boolean {
  let index = start + 1;
  while (index < text.length && /\s/u.test(text[index] ?? '')) index += 1;
  const char = text[index];
  return text[start] === '[' ? char === '{' || char === ']' : char === '"' || char === '}';
}

function nextOpener(text: string, from: number): number {
  for (let index = from; index < text.length; index += 1) {
    const char = text[index];
    if (char === '[' || char === '{') return index;
  }
  return -1;
}

/**
 * End (exclusive) of the span opened at `start`, or -1. Brackets inside JSON strings do not count, so a `]` in an
 * anchor text does not end the array. One depth counter covers both bracket kinds: a mismatched span is caught by
 * JSON.parse, and no stack is needed for a million nested brackets.
 */
function spanEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') depth += 1;
    else if (char === ']' || char === '}') {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/** Drops a `,` followed (after whitespace) by `]` or `}`, outside strings. */
function removeTrailingCommas(text: string): string {
  let result = '';
  let copied = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === ',') {
      let after = index + 1;
      while (after < text.length && /\s/u.test(text[after] ?? '')) after += 1;
      if (text[after] === ']' || text[after] === '}') {
        result += text.slice(copied, index);
        copied = index + 1;
      }
    }
  }
  return copied === 0 ? text : result + text.slice(copied);
}

function parseJson(
  text: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // Flattened only when reported: prose can hold many spans that fail here.
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function toHunks(value: unknown, subject: string): Shape {
  if (Array.isArray(value)) return fromArray(value);
  if (!isRecord(value)) return { ok: false, error: `${subject} is not an array of hunks (got ${describe(value)})` };
  if (Object.hasOwn(value, 'hunks')) {
    const hunks = value.hunks;
    if (!Array.isArray(hunks))
      return { ok: false, error: `"hunks" in the ${subject} is not an array (got ${describe(hunks)})` };
    return fromArray(hunks);
  }
  if (Object.hasOwn(value, 'file_path')) return { ok: true, hunks: [copyHunk(value)] };
  return { ok: false, error: `${subject} object has neither "hunks" nor "file_path"` };
}

function fromArray(elements: readonly unknown[]): Shape {
  const hunks: StructuredHunk[] = [];
  for (const [index, element] of elements.entries()) {
    if (!isRecord(element)) {
      return { ok: false, error: `element ${index + 1} of the hunk array is not an object (got ${describe(element)})` };
    }
    hunks.push(copyHunk(element));
  }
  return { ok: true, hunks };
}

/** Fields are unchecked here (the `schema` gate checks them), hence the cast. */
function copyHunk(element: Readonly<Record<string, unknown>>): StructuredHunk {
  return { ...element } as unknown as StructuredHunk;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

function hasProse(text: string, candidate: Candidate): boolean {
  return /\S/u.test(text.slice(0, candidate.start)) || /\S/u.test(text.slice(candidate.end));
}

function oneLine(message: string): string {
  const flat = message.replace(/\s+/gu, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}

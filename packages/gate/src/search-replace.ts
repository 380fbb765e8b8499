// The SEARCH/REPLACE edit format (SPEC §8.2): a path line, `<<<<<<< SEARCH`, old lines, `=======`, new lines,
// `>>>>>>> REPLACE`. Models vary the marker length, so 5–9 marker characters are read; 7 is the documented form.
// Prose and fences between blocks are ignored, but anything that looks like a half-written block is an error: a
// silently dropped edit would let the engine verify and apply only part of what the model meant.
import type { StructuredHunk } from './types.js';

export type SearchReplaceResult =
  | { readonly ok: true; readonly hunks: StructuredHunk[]; readonly warnings: string[] }
  | { readonly ok: false; readonly error: string };

type MarkerKind = 'search' | 'divider' | 'replace';

const MARKER_WORDS: Readonly<Record<string, { readonly kind: MarkerKind; readonly word: string }>> = {
  '<': { kind: 'search', word: 'SEARCH' },
  '=': { kind: 'divider', word: '' },
  '>': { kind: 'replace', word: 'REPLACE' },
};

/** Marker lines may carry trailing spaces but not leading ones: an indented `=======` is more likely file content. */
function markerKind(line: string): MarkerKind | undefined {
  const trimmed = line.trimEnd();
  const marker = MARKER_WORDS[trimmed.charAt(0)];
  if (marker === undefined) return undefined;
  let count = 0;
  while (count < trimmed.length && trimmed[count] === trimmed[0]) count += 1;
  if (count < 5 || count > 9) return undefined;
  return trimmed.slice(count).trim().toUpperCase() === marker.word ? marker.kind : undefined;
}

function isFenceLine(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed.startsWith('```') || trimmed.startsWith('~~~');
}

// Characters that do not occur in project paths but do in the code or prose a stray line may hold (`}`, `a = b;`).
const NOT_IN_PATH = /[{}();<>"'|=]/u;

/**
 * Reads `src/a.ts`, `` `src/a.ts` ``, `File: src/a.ts`, `**src/a.ts**`, `### src/a.ts` or `src/a.ts:`. A bare line
 * with whitespace is prose, and so is a bare word ending in `:` with no `/` or `.` (`Changes:`); backticks or
 * `File:` make the path explicit, so spaces are then allowed. `path_safety` does the real checking later.
 */
function pathFromLine(line: string | undefined): string | undefined {
  if (line === undefined || markerKind(line) !== undefined || isFenceLine(line)) return undefined;
  let value = line
    .trim()
    .replace(/^#{1,6}\s+/u, '')
    .replaceAll('**', '')
    .trim();
  let explicit = false;
  const withoutLabel = value.replace(/^file:\s*/iu, '');
  if (withoutLabel !== value) {
    explicit = true;
    value = withoutLabel.trim();
  }
  const colon = value.endsWith(':');
  if (colon) value = value.slice(0, -1).trimEnd();
  if (value.length >= 2 && value.startsWith('`') && value.endsWith('`')) {
    explicit = true;
    value = value.replace(/^`+/u, '').replace(/`+$/u, '').trim();
  }
  if (value === '' || value.includes('`') || NOT_IN_PATH.test(value)) return undefined;
  if (!explicit && /\s/u.test(value)) return undefined;
  if (!explicit && colon && !/[./]/u.test(value)) return undefined;
  return value;
}

/** Each line keeps its line break, so a section is the exact text between the markers; no lines is `""`. */
function sectionText(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

function toHunk(options: {
  readonly id: string;
  readonly filePath: string;
  readonly search: readonly string[];
  readonly replace: readonly string[];
}): StructuredHunk {
  const { id, filePath, search, replace } = options;
  const newText = sectionText(replace);
  // A SEARCH of blank lines only would anchor on the first blank line of the file, which no model means: it is
  // read as "no anchor", i.e. append or create, like an empty SEARCH.
  if (search.every((line) => line.trim() === '')) {
    return { id, file_path: filePath, action: 'INSERT', anchor_text: '', new_text: newText };
  }
  const anchorText = sectionText(search);
  if (replace.length === 0) return { id, file_path: filePath, action: 'DELETE', anchor_text: anchorText };
  return { id, file_path: filePath, action: 'MODIFY', anchor_text: anchorText, new_text: newText };
}

export function parseSearchReplace(text: string): SearchReplaceResult {
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  const hunks: StructuredHunk[] = [];
  const warnings: string[] = [];
  // Index of the line that opened the fence we are in, so a fence line right before a block can be told apart:
  // an opening fence may sit between the path and the block, a closing one belongs to the previous block.
  let openFence: number | undefined;
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const kind = markerKind(line);
    if (kind === undefined) {
      if (isFenceLine(line)) openFence = openFence === undefined ? index : undefined;
      index += 1;
      continue;
    }
    if (kind === 'replace') {
      return {
        ok: false,
        error: `line ${index + 1} has a ">>>>>>> REPLACE" marker without a "<<<<<<< SEARCH" before it`,
      };
    }
    if (kind === 'divider') {
      // Outside a block this is most likely a Markdown heading underline in the prose.
      index += 1;
      continue;
    }
    const number = hunks.length + 1;
    const pathLine = openFence !== undefined && openFence === index - 1 ? index - 2 : index - 1;
    const filePath = pathFromLine(lines[pathLine]);
    if (filePath === undefined) {
      return {
        ok: false,
        error: `SEARCH/REPLACE block ${number} has no file path on the line before its "<<<<<<< SEARCH" marker`,
      };
    }
    const block = readBlock({ lines, start: index + 1, label: `SEARCH/REPLACE block ${number} (${filePath})` });
    if (!block.ok) return block;
    const hunk = toHunk({ id: `hunk-${number}`, filePath, search: block.search, replace: block.replace });
    if (hunk.action === 'INSERT' && hunk.new_text === '')
      warnings.push(`block ${number} has no SEARCH or REPLACE text`);
    hunks.push(hunk);
    index = block.next;
  }
  if (hunks.length === 0) return { ok: false, error: 'no SEARCH/REPLACE blocks found in the reply' };
  return { ok: true, hunks, warnings };
}

type BlockResult =
  | { readonly ok: true; readonly search: string[]; readonly replace: string[]; readonly next: number }
  | { readonly ok: false; readonly error: string };

/** Reads from the line after `<<<<<<< SEARCH` through `>>>>>>> REPLACE`; `next` is the line after the block. */
function readBlock(options: {
  readonly lines: readonly string[];
  readonly start: number;
  readonly label: string;
}): BlockResult {
  const { lines, start, label } = options;
  const search: string[] = [];
  const replace: string[] = [];
  let inReplace = false;
  for (let index = start; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const kind = markerKind(line);
    if (kind === 'search') {
      const missing = inReplace ? '">>>>>>> REPLACE" marker' : '"=======" divider';
      return failure(`${label} is not terminated: missing ${missing} before the next "<<<<<<< SEARCH"`);
    }
    if (kind === 'replace') {
      if (!inReplace) return failure(`${label} has ">>>>>>> REPLACE" before its "=======" divider`);
      return { ok: true, search, replace, next: index + 1 };
    }
    // After the divider a `=======` line is kept as text: it can be real content (a reStructuredText underline).
    if (kind === 'divider' && !inReplace) inReplace = true;
    else (inReplace ? replace : search).push(line);
  }
  return failure(`${label} is not terminated: missing ${inReplace ? '">>>>>>> REPLACE" marker' : '"=======" divider'}`);
}

function failure(error: string): BlockResult {
  return { ok: false, error };
}

// Unified diffs (SPEC §2.2): `git diff` / `diff -u` text parsed with jsdiff into per-file patches, applied to the
// overlay line by line so every untouched line keeps its bytes and line break. A hunk applies at its stated line,
// else at the nearest offset where its context matches exactly, else at a unique whitespace-normalised match (WARN).
import { parsePatch } from 'diff';
import type { StructuredPatchHunk } from 'diff';
import { dominantLineBreak } from './text-file.js';

export interface FilePatch {
  /** Pre-image path; null for a new file. */
  readonly oldPath: string | null;
  /** Post-image path; null for a deletion. */
  readonly newPath: string | null;
  readonly hunks: readonly StructuredPatchHunk[];
  readonly isCreate: boolean;
  readonly isDelete: boolean;
  readonly isRename: boolean;
  readonly isBinary: boolean;
  /** Octal mode string from `new mode` / `new file mode`, e.g. `100755`. */
  readonly newMode?: string;
}

export type ParsedDiff =
  { readonly ok: true; readonly files: FilePatch[] } | { readonly ok: false; readonly error: string };

function stripPrefix(name: string | undefined, prefix: 'a/' | 'b/', git: boolean): string | null {
  if (name === undefined || name === '/dev/null') return null;
  const unquoted = name.replace(/\t.*$/u, '');
  if (git && unquoted.startsWith(prefix)) return unquoted.slice(2);
  return unquoted;
}

export function parseUnifiedDiff(text: string): ParsedDiff {
  if (text.trim() === '') return { ok: true, files: [] };
  let patches;
  try {
    patches = parsePatch(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const files: FilePatch[] = [];
  for (const patch of patches) {
    if (patch.oldFileName === undefined && patch.newFileName === undefined) {
      if (patch.hunks.length === 0) continue;
      return { ok: false, error: 'no file header found' };
    }
    // `diff -u a/x b/x` without git's header still uses the a/ b/ convention when both sides carry it (or the one
    // side that is not /dev/null does).
    const oldName = patch.oldFileName ?? '/dev/null';
    const newName = patch.newFileName ?? '/dev/null';
    const git =
      patch.isGit === true ||
      ((oldName === '/dev/null' || oldName.startsWith('a/')) && (newName === '/dev/null' || newName.startsWith('b/')));
    const isCreate = patch.isCreate === true || patch.oldFileName === '/dev/null';
    const isDelete = patch.isDelete === true || patch.newFileName === '/dev/null';
    const oldPath = isCreate ? null : stripPrefix(patch.oldFileName, 'a/', git);
    const newPath = isDelete ? null : stripPrefix(patch.newFileName, 'b/', git);
    files.push({
      oldPath,
      newPath,
      hunks: patch.hunks,
      isCreate,
      isDelete,
      isRename: patch.isRename === true || (oldPath !== null && newPath !== null && oldPath !== newPath),
      isBinary: patch.isBinary === true,
      ...(patch.newMode === undefined ? {} : { newMode: patch.newMode }),
    });
  }
  if (files.length === 0) return { ok: false, error: 'no file header found' };
  return { ok: true, files };
}

interface Line {
  readonly content: string;
  /** `\r\n`, `\n`, or `` for an unterminated last line. */
  readonly lineBreak: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end === -1) {
      lines.push({ content: text.slice(start), lineBreak: '' });
      break;
    }
    const crlf = end > start && text.charCodeAt(end - 1) === 13;
    lines.push({ content: text.slice(start, crlf ? end - 1 : end), lineBreak: crlf ? '\r\n' : '\n' });
    start = end + 1;
  }
  return lines;
}

function canonical(line: string): string {
  return line.trim().replace(/[ \t]+/gu, ' ');
}

interface HunkLines {
  readonly old: string[];
  readonly operations: { readonly kind: ' ' | '-' | '+'; readonly content: string; noNewline: boolean }[];
}

function hunkLines(hunk: StructuredPatchHunk): HunkLines {
  const old: string[] = [];
  const operations: HunkLines['operations'] = [];
  for (const raw of hunk.lines) {
    if (raw.startsWith('\\')) {
      const previous = operations.at(-1);
      if (previous !== undefined) previous.noNewline = true;
      continue;
    }
    const kind = raw[0] === '+' || raw[0] === '-' ? raw[0] : ' ';
    const content = raw.slice(1).replace(/\r$/u, '');
    operations.push({ kind, content, noNewline: false });
    if (kind !== '+') old.push(content);
  }
  return { old, operations };
}

function matchesAt(
  lines: readonly Line[],
  old: readonly string[],
  at: number,
  compare: (a: string, b: string) => boolean,
) {
  if (at < 0 || at + old.length > lines.length) return false;
  return old.every((content, offset) => compare(lines[at + offset]?.content ?? '', content));
}

export type DiffApplication =
  | { readonly ok: true; readonly text: string; readonly warnings: string[] }
  | { readonly ok: false; readonly details: string };

export function hunkHeader(hunk: StructuredPatchHunk): string {
  const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
  const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
  return `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`;
}

/** Applies a file's hunks in order to `text` (BOM stripped); `path` only names the file in failure details. */
export function applyFileHunks(options: {
  path: string;
  text: string;
  hunks: readonly StructuredPatchHunk[];
}): DiffApplication {
  let lines = splitLines(options.text);
  const lineBreak = dominantLineBreak(options.text);
  const warnings: string[] = [];
  let shift = 0;
  for (const hunk of options.hunks) {
    const { old, operations } = hunkLines(hunk);
    const stated = Math.max(0, hunk.oldStart - 1 + shift);
    const exact = (a: string, b: string) => a === b;
    let at = -1;
    for (let distance = 0; distance <= lines.length && at === -1; distance += 1) {
      if (matchesAt(lines, old, stated - distance, exact)) at = stated - distance;
      else if (distance > 0 && matchesAt(lines, old, stated + distance, exact)) at = stated + distance;
    }
    if (at === -1) {
      const wanted = old.map(canonical);
      const candidates: number[] = [];
      for (let index = 0; index + old.length <= lines.length; index += 1) {
        if (matchesAt(lines, wanted, index, (a, b) => canonical(a) === b)) candidates.push(index);
      }
      if (candidates.length !== 1 || old.length === 0) {
        return { ok: false, details: `${options.path}: hunk ${hunkHeader(hunk)} context does not match` };
      }
      at = candidates[0] ?? 0;
      warnings.push(`Anchor matched after whitespace normalisation (line ${at + 1})`);
    }
    const replacement: Line[] = [];
    let cursor = at;
    const styleBreak = lines[at]?.lineBreak || lineBreak;
    for (const operation of operations) {
      if (operation.kind === '-') {
        cursor += 1;
        continue;
      }
      if (operation.kind === ' ') {
        const original = lines[cursor];
        cursor += 1;
        if (original !== undefined) replacement.push(original);
        continue;
      }
      replacement.push({ content: operation.content, lineBreak: operation.noNewline ? '' : styleBreak });
    }
    lines = [...lines.slice(0, at), ...replacement, ...lines.slice(at + old.length)];
    shift += replacement.length - old.length;
  }
  // A line left unterminated in the middle (text added after an old last line) takes the file's style.
  const text = lines
    .map(
      (line, index) => line.content + (line.lineBreak === '' && index < lines.length - 1 ? lineBreak : line.lineBreak),
    )
    .join('');
  return { ok: true, text, warnings };
}

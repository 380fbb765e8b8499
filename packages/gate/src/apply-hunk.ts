// Applies one validated StructuredHunk to a file's current overlay text (SPEC §2.1 effects and anchor matching,
// §4.3 messages). Pure string work: the caller owns the overlay, pre-images and range bookkeeping.
import { describeClosestLine } from './similarity.js';
import {
  dominantLineBreak,
  lineBreakAt,
  lineOfOffset,
  normalizeLineBreaks,
  normalizedView,
  withLineBreaks,
} from './text-file.js';

export interface ValidHunk {
  readonly id: string;
  readonly filePath: string;
  readonly action: 'INSERT' | 'DELETE' | 'MODIFY';
  readonly anchorText: string;
  readonly newText: string;
  readonly targetSymbol?: string;
}

export type MatchKind = 'exact' | 'whitespace' | 'append' | 'create';

/** Spans (normalised-text offsets) of the definitions named by `target_symbol`. */
export type SymbolSpanFinder = (text: string, symbol: string) => readonly { start: number; end: number }[];

export type HunkApplication =
  | {
      readonly ok: true;
      readonly text: string;
      readonly match: MatchKind;
      /** Replaced range in the previous text, and the inserted range in the new text (original coordinates). */
      readonly replaced: { readonly start: number; readonly end: number };
      readonly inserted: { readonly start: number; readonly end: number };
      readonly warning?: string;
    }
  | { readonly ok: false; readonly message: string; readonly details: string };

const MAX_COUNTED_OCCURRENCES = 10_000;

function edit(options: {
  current: string;
  start: number;
  end: number;
  replacement: string;
  match: MatchKind;
  warning?: string;
}): HunkApplication {
  const text = options.current.slice(0, options.start) + options.replacement + options.current.slice(options.end);
  return {
    ok: true,
    text,
    match: options.match,
    replaced: { start: options.start, end: options.end },
    inserted: { start: options.start, end: options.start + options.replacement.length },
    ...(options.warning === undefined ? {} : { warning: options.warning }),
  };
}

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let index = haystack.indexOf(needle); index !== -1; index = haystack.indexOf(needle, index + 1)) {
    found.push(index);
    if (found.length >= MAX_COUNTED_OCCURRENCES) break;
  }
  return found;
}

export function applyHunk(options: {
  readonly hunk: ValidHunk;
  /** Current overlay text (BOM stripped), or null when the file does not exist. */
  readonly current: string | null;
  readonly findSymbolSpans?: SymbolSpanFinder;
}): HunkApplication {
  const { hunk, current } = options;
  const anchor = normalizeLineBreaks(hunk.anchorText);
  const newText = normalizeLineBreaks(hunk.newText);
  if (hunk.action === 'INSERT' && anchor === '') {
    if (current === null) return edit({ current: '', start: 0, end: 0, replacement: newText, match: 'create' });
    const lineBreak = dominantLineBreak(current);
    const separator = current !== '' && !current.endsWith('\n') ? lineBreak : '';
    const replacement = separator + withLineBreaks(newText, lineBreak);
    return edit({ current, start: current.length, end: current.length, replacement, match: 'append' });
  }
  if (current === null) return { ok: false, message: 'Target file does not exist', details: hunk.filePath };
  const view = normalizedView(current);
  const found = occurrences(view.text, anchor);
  if (found.length > 0) {
    let chosen = found[0] ?? 0;
    let warning: string | undefined;
    if (found.length > 1) {
      const inSymbol =
        hunk.targetSymbol === undefined || options.findSymbolSpans === undefined
          ? []
          : occurrencesInSymbol(found, anchor.length, options.findSymbolSpans(view.text, hunk.targetSymbol));
      if (inSymbol.length === 1) chosen = inSymbol[0] ?? chosen;
      else {
        warning = `Anchor text matched ${found.length} times; used the first occurrence (line ${lineOfOffset(view.text, chosen)})`;
      }
    }
    const start = view.toOriginal(chosen);
    const end = view.toOriginal(chosen + anchor.length);
    return exactEdit({ hunk, current, start, end, anchor, newText, warning });
  }
  return whitespaceTolerantEdit({ hunk, current, viewText: view.text, anchor, newText, toOriginal: view.toOriginal });
}

function occurrencesInSymbol(
  found: readonly number[],
  length: number,
  spans: readonly { start: number; end: number }[],
): number[] {
  return found.filter((offset) => spans.some((span) => offset >= span.start && offset + length <= span.end));
}

function exactEdit(options: {
  hunk: ValidHunk;
  current: string;
  start: number;
  end: number;
  anchor: string;
  newText: string;
  warning: string | undefined;
}): HunkApplication {
  const { hunk, current, start, end, newText } = options;
  const lineBreak = lineBreakAt(current, start);
  const common = {
    current,
    match: 'exact' as const,
    ...(options.warning === undefined ? {} : { warning: options.warning }),
  };
  switch (hunk.action) {
    case 'MODIFY':
      return edit({ ...common, start, end, replacement: withLineBreaks(newText, lineBreak) });
    case 'DELETE':
      return edit({ ...common, start, end, replacement: '' });
    case 'INSERT': {
      const separator = options.anchor.endsWith('\n') || newText.startsWith('\n') ? '' : lineBreak;
      return edit({ ...common, start: end, end, replacement: separator + withLineBreaks(newText, lineBreak) });
    }
  }
}

function canonicalLine(line: string): string {
  return line.trim().replace(/[ \t]+/gu, ' ');
}

function leadingWhitespace(line: string): string {
  return /^[ \t]*/u.exec(line)?.[0] ?? '';
}

/** Splits off blank lines at both ends; `text.split('\n')` of a text ending in `\n` ends with one empty element. */
function trimBlankLines(lines: readonly string[], limits?: { leading: number; trailing: number }) {
  let first = 0;
  let last = lines.length;
  const maxLeading = limits?.leading ?? Number.POSITIVE_INFINITY;
  const maxTrailing = limits?.trailing ?? Number.POSITIVE_INFINITY;
  while (first < last && first < maxLeading && (lines[first] ?? '').trim() === '') first += 1;
  while (last > first && lines.length - last < maxTrailing && (lines[last - 1] ?? '').trim() === '') last -= 1;
  return { core: lines.slice(first, last), leading: first, trailing: lines.length - last };
}

function whitespaceTolerantEdit(options: {
  hunk: ValidHunk;
  current: string;
  viewText: string;
  anchor: string;
  newText: string;
  toOriginal: (offset: number) => number;
}): HunkApplication {
  const { hunk, current, viewText } = options;
  const anchorLines = trimBlankLines(options.anchor.split('\n'));
  const wanted = anchorLines.core.map(canonicalLine);
  const fileLines = viewText.split('\n');
  const canonicalFile = fileLines.map(canonicalLine);
  const matches: number[] = [];
  if (wanted.length > 0) {
    for (let index = 0; index + wanted.length <= fileLines.length; index += 1) {
      if (wanted.every((line, offset) => canonicalFile[index + offset] === line)) matches.push(index);
    }
  }
  if (matches.length === 0) {
    return {
      ok: false,
      message: 'Anchor text not found after cumulative changes',
      details: describeClosestLine({ path: hunk.filePath, fileText: viewText, anchor: options.anchor }),
    };
  }
  if (matches.length > 1) {
    const lines = matches.slice(0, 5).map((index) => String(index + 1));
    const more = matches.length > 5 ? `, +${matches.length - 5} more` : '';
    return {
      ok: false,
      message: 'Anchor text is ambiguous after whitespace normalisation',
      details: `${hunk.filePath}: ${matches.length} matches at lines ${lines.join(', ')}${more}`,
    };
  }
  const firstLine = matches[0] ?? 0;
  const lastLine = firstLine + wanted.length - 1;
  const lineStarts: number[] = [0];
  for (let index = viewText.indexOf('\n'); index !== -1; index = viewText.indexOf('\n', index + 1))
    lineStarts.push(index + 1);
  let normalizedStart = lineStarts[firstLine] ?? 0;
  let normalizedEnd = (lineStarts[lastLine] ?? 0) + (fileLines[lastLine] ?? '').length;
  const body = reindent({
    lines: trimBlankLines(options.newText.split('\n'), {
      leading: anchorLines.leading,
      trailing: anchorLines.trailing,
    }).core,
    fromIndent: leadingWhitespace(anchorLines.core[0] ?? ''),
    toIndent: leadingWhitespace(fileLines[firstLine] ?? ''),
  });
  const warning = `Anchor matched after whitespace normalisation (line ${firstLine + 1})`;
  const start = options.toOriginal(normalizedStart);
  const lineBreak = lineBreakAt(current, start);
  if (hunk.action === 'INSERT') {
    const end = options.toOriginal(normalizedEnd);
    const replacement = lineBreak + withLineBreaks(body, lineBreak);
    return edit({ current, start: end, end, replacement, match: 'whitespace', warning });
  }
  const replacement = hunk.action === 'DELETE' ? '' : withLineBreaks(body, lineBreak);
  if (replacement === '') {
    // Removing whole lines removes their line break too: the following one, or the preceding one at the end.
    if (normalizedEnd < viewText.length) normalizedEnd += 1;
    else if (normalizedStart > 0) normalizedStart -= 1;
  }
  return edit({
    current,
    start: options.toOriginal(normalizedStart),
    end: options.toOriginal(normalizedEnd),
    replacement,
    match: 'whitespace',
    warning,
  });
}

function reindent(options: { lines: readonly string[]; fromIndent: string; toIndent: string }): string {
  if (options.fromIndent === options.toIndent) return options.lines.join('\n');
  return options.lines
    .map((line) => {
      if (line.trim() === '') return line;
      if (line.startsWith(options.fromIndent)) return options.toIndent + line.slice(options.fromIndent.length);
      return line;
    })
    .join('\n');
}

// "closest line ... is N% similar" for anchors that are not found (SPEC §2.1, §4.3). Sørensen-Dice over character
// bigrams: linear in the line length, so a 10,000-line file costs milliseconds, and close to what a reader would call
// similar for code lines.

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let index = 0; index < text.length - 1; index += 1) {
    const pair = text.slice(index, index + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

function collapse(text: string): string {
  return text.trim().replace(/[ \t]+/gu, ' ');
}

export function similarity(left: string, right: string): number {
  const a = collapse(left);
  const b = collapse(right);
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const leftPairs = bigrams(a);
  let overlap = 0;
  for (const [pair, count] of bigrams(b)) {
    const available = leftPairs.get(pair) ?? 0;
    overlap += Math.min(available, count);
  }
  return (2 * overlap) / (a.length - 1 + (b.length - 1));
}

const MAX_COMPARED_LENGTH = 400;

/** The file line most similar to the anchor's first non-blank line, as `closest line L "text" is N% similar`. */
export function describeClosestLine(options: { path: string; fileText: string; anchor: string }): string {
  const target = options.anchor.split('\n').find((line) => line.trim() !== '') ?? '';
  const lines = options.fileText.split('\n');
  let best = { line: 0, score: -1, text: '' };
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const score = similarity(target.slice(0, MAX_COMPARED_LENGTH), line.slice(0, MAX_COMPARED_LENGTH));
    if (score > best.score) best = { line: index + 1, score, text: line };
  }
  if (best.score < 0) return `${options.path}: the file has no non-blank line`;
  const shown = best.text.length > 120 ? `${best.text.slice(0, 119)}…` : best.text;
  return `${options.path}: closest line ${best.line} ${JSON.stringify(shown)} is ${Math.round(best.score * 100)}% similar`;
}

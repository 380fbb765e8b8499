// Text fidelity (SPEC §2.1): files are UTF-8; a BOM is kept, never added; edits happen in a `\n`-normalised view
// and are mapped back so bytes outside the replaced range never change.

const BOM = '\uFEFF';
const BINARY_SNIFF_BYTES = 8192;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export type DecodedText =
  | { readonly kind: 'text'; readonly text: string; readonly bom: boolean }
  | { readonly kind: 'binary' }
  | { readonly kind: 'not-utf8' };

/** A NUL byte in the first 8 KiB means binary (git's heuristic); otherwise the bytes must be valid UTF-8. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: 'binary' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { kind: 'not-utf8' };
  }
  return text.startsWith(BOM) ? { kind: 'text', text: text.slice(1), bom: true } : { kind: 'text', text, bom: false };
}

export function encodeText(text: string, bom: boolean): Uint8Array {
  return encoder.encode(bom ? BOM + text : text);
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n/gu, '\n');
}

/** `\r\n` when CRLF lines outnumber LF lines. */
export function dominantLineBreak(text: string): '\r\n' | '\n' {
  let crlf = 0;
  let lf = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (index > 0 && text.charCodeAt(index - 1) === 13) crlf += 1;
    else lf += 1;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** The line break ending the line that contains `offset`; the file's dominant style for an unterminated last line. */
export function lineBreakAt(text: string, offset: number): '\r\n' | '\n' {
  const end = text.indexOf('\n', offset);
  if (end === -1) return dominantLineBreak(text);
  return end > 0 && text.charCodeAt(end - 1) === 13 ? '\r\n' : '\n';
}

export function withLineBreaks(normalized: string, lineBreak: '\r\n' | '\n'): string {
  return lineBreak === '\n' ? normalized : normalized.replace(/\n/gu, '\r\n');
}

/** The `\n`-normalised view of a text and the map from its offsets back to the original's. */
export interface NormalizedView {
  readonly text: string;
  readonly toOriginal: (offset: number) => number;
}

export function normalizedView(original: string): NormalizedView {
  // Normalised offsets of the `\n`s that were `\r\n`: each one shifts later offsets by one.
  const crlfPositions: number[] = [];
  let removed = 0;
  for (let index = original.indexOf('\r\n'); index !== -1; index = original.indexOf('\r\n', index + 2)) {
    crlfPositions.push(index - removed);
    removed += 1;
  }
  if (crlfPositions.length === 0) return { text: original, toOriginal: (offset) => offset };
  const text = normalizeLineBreaks(original);
  return {
    text,
    toOriginal: (offset) => {
      let low = 0;
      let high = crlfPositions.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((crlfPositions[middle] ?? 0) < offset) low = middle + 1;
        else high = middle;
      }
      return offset + low;
    },
  };
}

/** 1-based line of an offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

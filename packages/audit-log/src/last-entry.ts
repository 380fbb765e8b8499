// Finds where the chain continues (SPEC §6.1): the last line that is a chained entry, read backwards from the end
// in chunks so an append costs the same on a 1 GB log as on an empty one.
import { readSync } from 'node:fs';
import { isChainHash } from './hash.js';

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export interface LogTail {
  /** The last valid entry, or undefined when the log has none (new log, or only corrupt lines). */
  readonly head: ChainHead | undefined;
  /** False when the last line is torn (no final newline): the next write must start a new line. */
  readonly endsWithNewline: boolean;
}

/** A line that can continue the chain: a JSON object with a positive integer `seq` and a 64-hex `hash`. */
export function parseChainHead(line: string): ChainHead | undefined {
  const text = line.trim();
  if (text.length === 0 || text[0] !== '{') return undefined;
  try {
    const value = JSON.parse(text) as { seq?: unknown; hash?: unknown } | null;
    if (value && Number.isSafeInteger(value.seq) && (value.seq as number) >= 1 && isChainHash(value.hash)) {
      return { seq: value.seq as number, hash: value.hash };
    }
  } catch {
    // A torn or corrupt line: keep scanning backwards.
  }
  return undefined;
}

function readAt(descriptor: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const bytesRead = readSync(descriptor, buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Reads the tail of an open log of `size` bytes (synchronously: it runs inside the log lock). */
export function readLogTail(descriptor: number, size: number): LogTail {
  if (size === 0) return { head: undefined, endsWithNewline: true };
  let position = size;
  // Bytes of the line that starts before the chunk read so far (its beginning is still unread).
  let partial = Buffer.alloc(0);
  let endsWithNewline = true;
  let first = true;
  while (position > 0) {
    const start = Math.max(0, position - CHUNK_BYTES);
    const chunk = readAt(descriptor, start, position - start);
    position = start;
    if (first) {
      endsWithNewline = chunk[chunk.length - 1] === NEWLINE;
      first = false;
    }
    const data = partial.length > 0 ? Buffer.concat([chunk, partial]) : chunk;
    let lineEnd = data.length;
    let newline = lineEnd > 0 ? data.lastIndexOf(NEWLINE, lineEnd - 1) : -1;
    while (newline !== -1) {
      const head = parseChainHead(data.toString('utf8', newline + 1, lineEnd));
      if (head) return { head, endsWithNewline };
      lineEnd = newline;
      newline = lineEnd > 0 ? data.lastIndexOf(NEWLINE, lineEnd - 1) : -1;
    }
    partial = Buffer.from(data.subarray(0, lineEnd));
  }
  return { head: parseChainHead(partial.toString('utf8')), endsWithNewline };
}

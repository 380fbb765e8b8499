// verifyAuditChain: `kode audit verify` (SPEC §3.17, §6.3). One streaming pass; each line gets at most one
// problem (the first check it fails), and the chain continues from every hashed entry, so a single edited line
// is reported once rather than as a cascade.
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GENESIS_HASH, hashEntry } from './hash.js';
import { readHeadAnchors } from './head-anchor.js';
import type { ChainHead } from './last-entry.js';
import { isBlankLine, parseLogLine, readLineBatches } from './line-reader.js';
import type { ChainProblem, ChainReport } from './types.js';

/** Problems kept in the report; a log of a million foreign lines would otherwise need a million objects. */
export const MAX_REPORTED_PROBLEMS = 10_000;

export interface VerifyAuditChainOptions {
  logFile: string;
  /** Head anchor file; when it records this log, cutting entries off the end is reported as `truncated`. */
  anchorFile?: string;
}

async function anchoredHead(anchorFile: string, logFile: string): Promise<ChainHead | undefined> {
  try {
    const anchors = readHeadAnchors(anchorFile);
    if (anchors.status !== 'ok') return undefined;
    return anchors.anchors[await realpath(logFile)];
  } catch {
    // No anchor to compare with (unreadable anchor, or a missing log, which the reader reports).
    return undefined;
  }
}

function recomputeHash(entry: Record<string, unknown>): string | undefined {
  try {
    return hashEntry(entry);
  } catch {
    // Content RFC 8785 cannot represent (e.g. a lone surrogate escape): Kode never writes that.
    return undefined;
  }
}

/** Checks every line of the log and the head anchor. Throws AuditLogNotFoundError / AuditLogError. */
export async function verifyAuditChain(options: VerifyAuditChainOptions): Promise<ChainReport> {
  const logFile = resolve(options.logFile);
  const anchor =
    options.anchorFile === undefined ? undefined : await anchoredHead(resolve(options.anchorFile), logFile);
  const problems: ChainProblem[] = [];
  let omittedProblems = 0;
  const addProblem = (problem: ChainProblem): void => {
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(problem);
    else omittedProblems++;
  };
  let entries = 0;
  let lastLine = 0;
  let previous: ChainHead = { seq: 0, hash: GENESIS_HASH };
  let head: ChainHead | null = null;
  let hashAtAnchoredSeq: string | undefined;

  for await (const batch of readLineBatches(logFile)) {
    let lineNumber = batch.firstLine;
    for (const text of batch.lines) {
      const line = lineNumber++;
      lastLine = line;
      if (isBlankLine(text)) continue;
      const parsed = parseLogLine(text);
      if (!parsed.ok) {
        addProblem({
          line,
          seq: null,
          kind: 'invalid_json',
          message: `line ${line}: invalid JSON: the line was corrupted`,
        });
        continue;
      }
      entries++;
      const entry = parsed.value;
      const seq = Number.isSafeInteger(entry.seq) ? (entry.seq as number) : null;
      const where = seq === null ? `line ${line}` : `line ${line} (seq ${seq})`;
      if (typeof entry.hash !== 'string' || typeof entry.prev_hash !== 'string') {
        addProblem({
          line,
          seq,
          kind: 'unchained',
          message: `${where}: unchained: the entry has no hash fields: it was added by another tool or by hand`,
        });
        continue;
      }
      if (recomputeHash(entry) !== entry.hash) {
        addProblem({ line, seq, kind: 'hash_mismatch', message: `${where}: hash mismatch: the entry was modified` });
      } else if (entry.prev_hash !== previous.hash) {
        addProblem({
          line,
          seq,
          kind: 'chain_break',
          message: `${where}: chain break: prev_hash does not match the previous entry: an entry was deleted, inserted or reordered`,
        });
      } else if (seq !== previous.seq + 1) {
        addProblem({
          line,
          seq,
          kind: 'seq_gap',
          message: `${where}: seq gap: expected seq ${previous.seq + 1}: the sequence numbers were altered`,
        });
      }
      previous = { seq: seq ?? previous.seq + 1, hash: entry.hash };
      head = previous;
      if (anchor !== undefined && seq === anchor.seq) hashAtAnchoredSeq = entry.hash;
    }
  }

  // A truncation is always reported, even past the cap: it is the one problem no line shows.
  if (anchor !== undefined) {
    const where = head === null ? `line ${lastLine}` : `line ${lastLine} (seq ${head.seq})`;
    const lastSeq = head?.seq ?? 0;
    // An anchor that lags behind the log (a crash between the append and the anchor update) is not a problem;
    // a log that ends before the anchored entry, or holds a different entry under its seq, is.
    if (lastSeq < anchor.seq) {
      problems.push({
        line: lastLine,
        seq: head?.seq ?? null,
        kind: 'truncated',
        message: `${where}: truncated: the log ends at seq ${lastSeq} but the head anchor records seq ${anchor.seq}: entries were removed from the end`,
      });
    } else if (hashAtAnchoredSeq !== anchor.hash) {
      problems.push({
        line: lastLine,
        seq: head?.seq ?? null,
        kind: 'truncated',
        message: `${where}: truncated: the entry with seq ${anchor.seq} does not match the head anchor: the end of the log was cut and rewritten`,
      });
    }
  }

  return omittedProblems === 0
    ? { log_file: logFile, entries, head, problems }
    : { log_file: logFile, entries, head, problems, omitted_problems: omittedProblems };
}

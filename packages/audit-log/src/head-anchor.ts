// The head anchor (SPEC §6.1, §6.3): a JSON map from a log file's real path to its last `{seq, hash}`, kept outside
// the log directory so that cutting entries off the end of the log is detectable.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode } from './errors.js';
import { acquireFileLock } from './file-lock.js';
import { syncDescriptor } from './fsync.js';
import { isChainHash } from './hash.js';
import type { ChainHead } from './last-entry.js';

export type HeadAnchors = Readonly<Record<string, ChainHead>>;

export type AnchorReadResult =
  | { readonly status: 'ok'; readonly anchors: HeadAnchors }
  | { readonly status: 'missing' }
  | { readonly status: 'invalid'; readonly reason: string };

function parseAnchors(text: string): AnchorReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { status: 'invalid', reason: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { status: 'invalid', reason: 'not a JSON object' };
  }
  const anchors: Record<string, ChainHead> = {};
  for (const [path, head] of Object.entries(value)) {
    const record = head as { seq?: unknown; hash?: unknown } | null;
    if (record && Number.isSafeInteger(record.seq) && isChainHash(record.hash)) {
      anchors[path] = { seq: record.seq as number, hash: record.hash };
    }
  }
  return { status: 'ok', anchors };
}

export function readHeadAnchors(anchorFile: string): AnchorReadResult {
  let text: string;
  try {
    text = readFileSync(anchorFile, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { status: 'missing' };
    throw error;
  }
  return parseAnchors(text);
}

/**
 * Records `head` for `realLogPath`, atomically (temp file, fsync, rename). Several logs may share one anchor
 * file, so the read-modify-write runs under its own lock. An unreadable anchor file is replaced. The directory is
 * not fsynced: an anchor that lags one entry behind after a crash is accepted by the verifier.
 */
export async function writeHeadAnchor(options: {
  anchorFile: string;
  realLogPath: string;
  head: ChainHead;
  durable: boolean;
}): Promise<void> {
  const { anchorFile, realLogPath, head, durable } = options;
  mkdirSync(dirname(anchorFile), { recursive: true });
  const lock = await acquireFileLock({ lockPath: `${anchorFile}.lock` });
  try {
    const current = readHeadAnchors(anchorFile);
    const anchors = {
      ...(current.status === 'ok' ? current.anchors : {}),
      [realLogPath]: { seq: head.seq, hash: head.hash },
    };
    const temporary = `${anchorFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const descriptor = openSync(temporary, 'wx', 0o644);
    let open = true;
    try {
      writeSync(descriptor, `${JSON.stringify(anchors, null, 2)}\n`);
      if (durable) await syncDescriptor(descriptor);
      closeSync(descriptor);
      open = false;
      renameSync(temporary, anchorFile);
    } catch (error) {
      if (open) closeSync(descriptor);
      try {
        unlinkSync(temporary);
      } catch {
        // Never created or already renamed.
      }
      throw error;
    }
  } finally {
    lock.release();
  }
}

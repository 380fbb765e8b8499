// appendAuditEntry: the append protocol of SPEC §6.1. Everything that does not depend on the log's current tail
// (redaction, cuts, serialisation) happens before the lock. Inside it, the system calls are synchronous (see
// file-lock.ts for why); only fsync, which can take milliseconds, is awaited.
import { closeSync, constants, fstatSync, openSync, realpathSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuditLogError, errnoCode, toAuditLogError } from './errors.js';
import { acquireFileLock, LockTimeoutError } from './file-lock.js';
import { syncDescriptor } from './fsync.js';
import { GENESIS_HASH, hashEntry } from './hash.js';
import { writeHeadAnchor } from './head-anchor.js';
import { readLogTail } from './last-entry.js';
import { LOCK_FILE_NAME, LOG_FILE_NAME, prepareLogLocation } from './log-location.js';
import { prepareEntryBody } from './prepare-entry.js';
import { redactSecretsBasic } from './redact.js';
import type { AuditEntry, AuditEntryInput } from './types.js';

export interface AppendAuditEntryOptions {
  /** Directory of `kode.log`; created when missing. */
  logDir: string;
  entry: AuditEntryInput;
  /** Applied to every string of the entry (and to the keys of `failures` and `failed_hunks`). Default: redactSecretsBasic. */
  redact?: (text: string) => string;
  /** Head anchor file (`<transaction state dir>/audit-head.json`); updated after each append when given. */
  anchorFile?: string;
  /** fsync each append (default true). */
  durable?: boolean;
}

// O_NOFOLLOW closes the gap between the symlink check and the open; Windows has no such flag (0 there).
const appendFlags = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/** fsync of the directory makes a newly created file's name durable; Windows cannot open directories. */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const descriptor = openSync(directory, 'r');
  try {
    await syncDescriptor(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

function openLogForAppend(logFile: string): number {
  try {
    return openSync(logFile, appendFlags, 0o644);
  } catch (error) {
    if (errnoCode(error) === 'ELOOP') {
      throw new AuditLogError({
        path: logFile,
        operation: 'write',
        reason: 'the log file is a symlink',
        code: 'ELOOP',
      });
    }
    throw error;
  }
}

async function writeEntryLine(options: {
  logFile: string;
  body: Record<string, unknown>;
  durable: boolean;
  existed: boolean;
  logDir: string;
}): Promise<AuditEntry> {
  const { logFile, body, durable, existed, logDir } = options;
  const descriptor = openLogForAppend(logFile);
  try {
    const info = fstatSync(descriptor);
    if (!info.isFile()) {
      throw new AuditLogError({ path: logFile, operation: 'write', reason: 'the log file is not a regular file' });
    }
    const tail = readLogTail(descriptor, info.size);
    const chained = {
      v: 1,
      seq: tail.head ? tail.head.seq + 1 : 1,
      ...body,
      prev_hash: tail.head ? tail.head.hash : GENESIS_HASH,
    };
    const entry = { ...chained, hash: hashEntry(chained) } as unknown as AuditEntry;
    // A torn last line is closed first so it stays a corrupt line of its own; the newline goes in the same
    // write() as the entry so a crash cannot leave one without the other.
    const bytes = Buffer.from(`${tail.endsWithNewline ? '' : '\n'}${JSON.stringify(entry)}\n`, 'utf8');
    const bytesWritten = writeSync(descriptor, bytes, 0, bytes.length);
    if (bytesWritten !== bytes.length) {
      throw new AuditLogError({
        path: logFile,
        operation: 'write',
        reason: `short write (${bytesWritten} of ${bytes.length} bytes)`,
      });
    }
    if (durable) {
      await syncDescriptor(descriptor);
      if (!existed) await syncDirectory(logDir);
    }
    return entry;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Appends one entry to `<logDir>/kode.log` under `<logDir>/kode.log.lock` and returns it as written (with `v`,
 * `seq`, `prev_hash` and `hash`). Throws AuditLogError when the log cannot be written: a symlinked log directory
 * or file, a lock that stays held for 5 s, or a filesystem error.
 */
export async function appendAuditEntry(options: AppendAuditEntryOptions): Promise<AuditEntry> {
  const logDir = resolve(options.logDir);
  const logFile = join(logDir, LOG_FILE_NAME);
  const durable = options.durable !== false;
  const body = prepareEntryBody(options.entry, options.redact ?? redactSecretsBasic);
  const existed = prepareLogLocation(logDir, logFile);
  let lock;
  try {
    lock = await acquireFileLock({ lockPath: join(logDir, LOCK_FILE_NAME) });
  } catch (error) {
    if (error instanceof LockTimeoutError) {
      throw new AuditLogError({ path: logFile, operation: 'write', reason: error.message, cause: error });
    }
    throw toAuditLogError({ error, path: logFile, operation: 'write' });
  }
  try {
    const entry = await writeEntryLine({ logFile, body, durable, existed, logDir });
    if (options.anchorFile !== undefined) {
      const anchorFile = resolve(options.anchorFile);
      try {
        const realLogPath = realpathSync(logFile);
        await writeHeadAnchor({ anchorFile, realLogPath, head: { seq: entry.seq, hash: entry.hash }, durable });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AuditLogError({
          path: logFile,
          operation: 'write',
          reason: `entry seq ${entry.seq} was written but the head anchor ${anchorFile} could not be updated: ${reason}`,
          code: errnoCode(error),
          cause: error,
        });
      }
    }
    return entry;
  } catch (error) {
    throw toAuditLogError({ error, path: logFile, operation: 'write' });
  } finally {
    lock.release();
  }
}

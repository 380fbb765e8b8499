// The per-project run lock (SPEC §8.9): `<transaction state dir>/run.lock`, holding the owner's identity. It is
// written completely to a private file and then hard-linked into place, so the lock appears atomically with its
// content and there is never an empty lock to misjudge.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readFile, readdir, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ForeignLockError, LockHeldError, errnoCode } from './errors.js';
import { faultPoint } from './fault.js';
import { fsyncDirectory, isPositiveInteger, isRecord, parseJson } from './journal.js';
import type { ProcessIdentity } from './process-identity.js';
import { currentProcessIdentity, isProcessAlive, ownerStatus } from './process-identity.js';
import { transactionStateDir } from './state-dir.js';

export interface RunLockRecord {
  readonly pid: number;
  readonly hostname: string;
  readonly boot_id: string | null;
  readonly process_start_time: number | null;
  readonly run_id: string;
  readonly command: string;
  readonly started_at: string;
}

export interface RunLock {
  readonly path: string;
  readonly record: RunLockRecord;
  /** Removes the lock if it is still ours. Idempotent. */
  release(): Promise<void>;
}

// A takeover marker older than this belongs to a process killed mid-takeover.
const takeoverStaleMs = 10_000;
const maxAttempts = 20;

export async function runLockPath(projectRoot: string): Promise<string> {
  return join(await transactionStateDir(projectRoot), 'run.lock');
}

export async function acquireRunLock(options: {
  projectRoot: string;
  runId: string;
  command: string;
}): Promise<RunLock> {
  const stateDir = await transactionStateDir(options.projectRoot);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const lockPath = join(stateDir, 'run.lock');
  const self = currentProcessIdentity();
  const record: RunLockRecord = {
    pid: self.pid,
    hostname: self.hostname,
    boot_id: self.bootId ?? null,
    process_start_time: self.processStartTime ?? null,
    run_id: options.runId,
    command: options.command,
    started_at: new Date().toISOString().replace(/\.\d{3}Z$/u, 'Z'),
  };
  const content = `${JSON.stringify(record)}\n`;

  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (await createExclusively({ stateDir, lockPath, content })) {
      faultPoint('after-lock');
      await removeOrphanedPrivateFiles(stateDir);
      return createHandle(lockPath, record, content);
    }
    const existing = await readLockFile(lockPath);
    if (existing.kind === 'missing') continue;
    if (existing.kind === 'ok') {
      const status = ownerStatus(toIdentity(existing.record));
      if (status === 'foreign') {
        throw new ForeignLockError({ pid: existing.record.pid, hostname: existing.record.hostname, lockPath });
      }
      if (status === 'alive') {
        throw new LockHeldError({
          pid: existing.record.pid,
          hostname: existing.record.hostname,
          command: existing.record.command,
          startedAt: existing.record.started_at,
          lockPath,
        });
      }
    }
    // Dead owner, reused pid, older boot, or an unreadable lock: remove it, but only if it is still the same lock.
    await removeStaleLock({ lockPath, staleContent: existing.raw });
  }
  throw new Error(`could not acquire ${lockPath}: it kept changing`);
}

function toIdentity(record: RunLockRecord): ProcessIdentity {
  return {
    pid: record.pid,
    hostname: record.hostname,
    bootId: record.boot_id ?? undefined,
    processStartTime: record.process_start_time ?? undefined,
  };
}

async function createExclusively(options: { stateDir: string; lockPath: string; content: string }): Promise<boolean> {
  const privatePath = join(options.stateDir, `run.lock.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(privatePath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(options.content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(privatePath, options.lockPath);
    await fsyncDirectory(options.stateDir, 'state-dir-fsync');
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(privatePath).catch(() => undefined);
  }
}

/** Private lock files of runs killed while taking the lock; only removed once their process is gone. */
async function removeOrphanedPrivateFiles(stateDir: string): Promise<void> {
  for (const name of await readdir(stateDir)) {
    const match = /^run\.lock\.(\d+)\.[0-9a-f]{8}\.tmp$/u.exec(name);
    if (match === null || Number(match[1]) === process.pid || isProcessAlive(Number(match[1]))) continue;
    await unlink(join(stateDir, name)).catch(() => undefined);
  }
}

type LockRead =
  | { readonly kind: 'missing'; readonly raw: undefined }
  | { readonly kind: 'corrupt'; readonly raw: string }
  | { readonly kind: 'ok'; readonly raw: string; readonly record: RunLockRecord };

async function readLockFile(lockPath: string): Promise<LockRead> {
  let raw: string;
  try {
    raw = await readFile(lockPath, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { kind: 'missing', raw: undefined };
    throw error;
  }
  const parsed = parseJson(raw);
  if (
    !isRecord(parsed) ||
    !isPositiveInteger(parsed.pid) ||
    typeof parsed.hostname !== 'string' ||
    typeof parsed.run_id !== 'string' ||
    typeof parsed.command !== 'string' ||
    typeof parsed.started_at !== 'string' ||
    !(parsed.boot_id === null || typeof parsed.boot_id === 'string') ||
    !(parsed.process_start_time === null || typeof parsed.process_start_time === 'number')
  ) {
    return { kind: 'corrupt', raw };
  }
  return {
    kind: 'ok',
    raw,
    record: {
      pid: parsed.pid,
      hostname: parsed.hostname,
      boot_id: parsed.boot_id,
      process_start_time: parsed.process_start_time,
      run_id: parsed.run_id,
      command: parsed.command,
      started_at: parsed.started_at,
    },
  };
}

/**
 * Two runs may find the same stale lock. A `run.lock.takeover` directory serialises the removal, and the lock is
 * re-read inside it, so a run never deletes a fresh lock another run has just taken.
 */
async function removeStaleLock(options: { lockPath: string; staleContent: string | undefined }): Promise<void> {
  const takeover = `${options.lockPath}.takeover`;
  try {
    await mkdir(takeover);
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
    const age = await stat(takeover).then(
      (stats) => Date.now() - stats.mtimeMs,
      () => 0,
    );
    if (age > takeoverStaleMs) await rmdir(takeover).catch(() => undefined);
    else await delay(50);
    return;
  }
  try {
    const current = await readLockFile(options.lockPath);
    if (current.raw === options.staleContent && current.kind !== 'missing') {
      await unlink(options.lockPath).catch((error: unknown) => {
        if (errnoCode(error) !== 'ENOENT') throw error;
      });
    }
  } finally {
    await rmdir(takeover).catch(() => undefined);
  }
}

function createHandle(lockPath: string, record: RunLockRecord, content: string): RunLock {
  let released = false;
  return {
    path: lockPath,
    record,
    async release(): Promise<void> {
      if (released) return;
      released = true;
      // Only the owner removes the lock; a lock taken over after ours went stale is someone else's.
      const current = await readLockFile(lockPath);
      if (current.raw !== content) return;
      const stats = await lstat(lockPath).catch(() => undefined);
      if (stats === undefined) return;
      await unlink(lockPath).catch((error: unknown) => {
        if (errnoCode(error) !== 'ENOENT') throw error;
      });
    },
  };
}

/** The current lock holder, if any (an unreadable lock reads as undefined). */
export async function readRunLock(projectRoot: string): Promise<RunLockRecord | undefined> {
  const read = await readLockFile(await runLockPath(projectRoot));
  return read.kind === 'ok' ? read.record : undefined;
}

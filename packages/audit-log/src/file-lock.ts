// The log lock of SPEC §6.1: a file created exclusively, retried every 20 ms for up to 5 s, holding the owner's
// pid, host and start time; a lock whose owner died on this host is taken over.
//
// Plain retrying is unfair: a writer appending in a loop releases and re-creates the lock within microseconds,
// so a writer that polls every 20 ms almost never finds it free and times out. Waiters therefore leave a marker
// file named after their arrival time (`kode.log.lock.wait.<ms>.<host>.<pid>.<token>`), and a writer that finds
// a marker older than its own arrival lets that waiter go first. Waiters watch the directory so a release wakes
// them at once instead of on the next 20 ms tick; polling remains the fallback where watching is unavailable.
//
// The lock and marker operations are synchronous system calls on purpose. Each takes microseconds, while an async
// call costs a thread-pool round trip plus event-loop scheduling, and every microsecond the lock is held or free
// but unclaimed is a microsecond all other writers wait. Only the waiting itself is asynchronous.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, watch, writeSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { errnoCode } from './errors.js';

export const LOCK_RETRY_MS = 20;
export const LOCK_TIMEOUT_MS = 5000;
/** A writer defers to older waiters for at most this long, so a waiter that stopped (SIGSTOP) cannot block others. */
const YIELD_LIMIT_MS = 1000;
/** Markers older than this belong to waiters that crashed: live ones give up after the lock timeout. */
const STALE_MARKER_MS = 30_000;
/** A lock file without readable owner data this old was left by a writer that died between create and write. */
const UNREADABLE_LOCK_STALE_MS = 2000;
const STALE_BREAKER_MS = 10_000;
const STALE_CHECK_INTERVAL_MS = 100;

export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly started_at: string;
  readonly token: string;
}

export interface HeldLock {
  readonly path: string;
  release(): void;
}

/** The lock stayed held for the whole timeout. `owner` is the holder when its lock file was readable. */
export class LockTimeoutError extends Error {
  readonly lockPath: string;
  readonly owner: LockOwner | undefined;

  constructor(options: { lockPath: string; owner: LockOwner | undefined; timeoutMs: number }) {
    const holder = options.owner
      ? ` (held by pid ${options.owner.pid} on host ${options.owner.hostname} since ${options.owner.started_at})`
      : '';
    super(`timed out after ${options.timeoutMs} ms waiting for the lock ${options.lockPath}${holder}`);
    this.name = 'LockTimeoutError';
    this.lockPath = options.lockPath;
    this.owner = options.owner;
  }
}

const localHostname = hostname();
const localHostId = createHash('sha256').update(localHostname).digest('hex').slice(0, 8);

export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errnoCode(error) === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    if (value && typeof value.pid === 'number' && typeof value.hostname === 'string') {
      return {
        pid: value.pid,
        hostname: value.hostname,
        started_at: String(value.started_at),
        token: String(value.token),
      };
    }
  } catch {
    // Torn or foreign content: the caller decides by age.
  }
  return undefined;
}

function readLockFile(path: string): { text: string; ino: number; mtimeMs: number } | undefined {
  try {
    const info = statSync(path);
    const text = readFileSync(path, 'utf8');
    return { text, ino: info.ino, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or not ours to remove: either way nothing is left to do.
  }
}

/** Exclusive create with the owner record; false when the file already exists. */
function tryCreate(path: string, content: string): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx', 0o644);
  } catch (error) {
    const code = errnoCode(error);
    // Windows reports EPERM for a file that is being deleted.
    if (code === 'EEXIST' || (code === 'EPERM' && process.platform === 'win32')) return false;
    throw error;
  }
  try {
    writeSync(descriptor, content);
  } catch (error) {
    closeSync(descriptor);
    removeQuietly(path);
    throw error;
  }
  closeSync(descriptor);
  return true;
}

/**
 * Removes the lock if its owner is gone. A second `.break` lock serialises breakers so that two waiters that both
 * judged the same lock stale cannot delete a fresh lock the first one created in between.
 */
function breakStaleLock(lockPath: string, self: LockOwner): boolean {
  const seen = readLockFile(lockPath);
  if (seen === undefined) return true;
  const owner = parseOwner(seen.text);
  const stale = owner
    ? owner.hostname === localHostname && !isProcessAlive(owner.pid)
    : Date.now() - seen.mtimeMs > UNREADABLE_LOCK_STALE_MS;
  if (!stale) return false;
  const breakerPath = `${lockPath}.break`;
  if (!tryCreate(breakerPath, JSON.stringify(self))) {
    const breaker = readLockFile(breakerPath);
    if (breaker && Date.now() - breaker.mtimeMs > STALE_BREAKER_MS) removeQuietly(breakerPath);
    return false;
  }
  try {
    const again = readLockFile(lockPath);
    if (again && again.ino === seen.ino && again.mtimeMs === seen.mtimeMs && again.text === seen.text) {
      removeQuietly(lockPath);
    }
  } finally {
    removeQuietly(breakerPath);
  }
  return true;
}

/** Wakes a waiting writer when the lock file changes; a timer covers platforms where watching fails. */
class LockWaker {
  private watcher: FSWatcher | undefined;
  private pending = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly directory: string,
    private readonly lockName: string,
  ) {}

  start(): void {
    try {
      this.watcher = watch(this.directory, { persistent: false }, (_event, filename) => {
        if (filename === null || filename === this.lockName) this.signal();
      });
      this.watcher.on('error', () => this.stop());
    } catch {
      this.watcher = undefined;
    }
  }

  private signal(): void {
    const wake = this.wake;
    if (wake) {
      this.wake = undefined;
      wake();
    } else {
      this.pending = true;
    }
  }

  sleep(milliseconds: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolvePromise) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolvePromise();
      }, milliseconds);
      this.wake = () => {
        clearTimeout(timer);
        resolvePromise();
      };
    });
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}

class WaitMarkers {
  readonly name: string;
  private readonly prefix: string;
  private created = false;

  constructor(
    private readonly directory: string,
    lockName: string,
    private readonly self: LockOwner,
    arrival: number,
  ) {
    this.prefix = `${lockName}.wait.`;
    this.name = `${this.prefix}${String(arrival).padStart(15, '0')}.${localHostId}.${self.pid}.${self.token}`;
  }

  create(): void {
    const content = JSON.stringify({ pid: this.self.pid, hostname: this.self.hostname, since: this.self.started_at });
    this.created = tryCreate(join(this.directory, this.name), content);
  }

  remove(): void {
    if (this.created) removeQuietly(join(this.directory, this.name));
    this.created = false;
  }

  /** True while a live writer that arrived before us is waiting; dead waiters' markers are cleaned up. */
  olderWaiterExists(): boolean {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return false;
    }
    for (const name of names) {
      if (!name.startsWith(this.prefix) || name >= this.name) continue;
      const [since, hostId, pid] = name.slice(this.prefix.length).split('.');
      const abandoned =
        Date.now() - Number(since) > STALE_MARKER_MS || (hostId === localHostId && !isProcessAlive(Number(pid)));
      if (!abandoned) return true;
      removeQuietly(join(this.directory, name));
    }
    return false;
  }
}

/**
 * Never deletes a lock someone else holds, should ours have been judged stale and broken; a lock that cannot be
 * read at all is removed, which is better than leaving every writer to time out.
 */
function releaseLock(lockPath: string, token: string): void {
  let current;
  try {
    current = readLockFile(lockPath);
  } catch {
    removeQuietly(lockPath);
    return;
  }
  if (current && parseOwner(current.text)?.token === token) removeQuietly(lockPath);
}

// Writers in one process queue here first, so they never poll against each other.
const processQueues = new Map<string, Promise<void>>();

async function takeProcessTurn(key: string): Promise<() => void> {
  const previous = processQueues.get(key) ?? Promise.resolve();
  let leave: () => void = () => undefined;
  const mine = new Promise<void>((resolvePromise) => {
    leave = resolvePromise;
  });
  const tail = previous.then(() => mine);
  processQueues.set(key, tail);
  await previous;
  return () => {
    leave();
    if (processQueues.get(key) === tail) processQueues.delete(key);
  };
}

/**
 * Takes `lockPath` by exclusive create. Throws LockTimeoutError after `timeoutMs`; other filesystem errors
 * (EACCES, EROFS, ...) are rethrown as they are.
 */
export async function acquireFileLock(options: {
  lockPath: string;
  timeoutMs?: number;
  retryMs?: number;
  /** Watch the directory to wake on release (default true); without it a waiter relies on polling alone. */
  watch?: boolean;
}): Promise<HeldLock> {
  const lockPath = resolve(options.lockPath);
  const timeoutMs = options.timeoutMs ?? LOCK_TIMEOUT_MS;
  const retryMs = options.retryMs ?? LOCK_RETRY_MS;
  const leaveProcessQueue = await takeProcessTurn(lockPath);
  const arrival = Date.now();
  const self: LockOwner = {
    pid: process.pid,
    hostname: localHostname,
    started_at: new Date(arrival).toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const ownerText = JSON.stringify(self);
  const directory = dirname(lockPath);
  const markers = new WaitMarkers(directory, basename(lockPath), self, arrival);
  const waker = new LockWaker(directory, basename(lockPath));
  let waiting = false;
  let yieldingSince: number | undefined;
  let lastStaleCheck = -Infinity;
  try {
    for (;;) {
      const now = Date.now();
      let deferToOlderWaiter = false;
      if (markers.olderWaiterExists()) {
        yieldingSince ??= now;
        deferToOlderWaiter = now - yieldingSince < YIELD_LIMIT_MS;
      }
      if (!deferToOlderWaiter) {
        if (tryCreate(lockPath, ownerText)) {
          return {
            path: lockPath,
            release: () => {
              try {
                releaseLock(lockPath, self.token);
              } finally {
                leaveProcessQueue();
              }
            },
          };
        }
        if (now - lastStaleCheck >= STALE_CHECK_INTERVAL_MS) {
          lastStaleCheck = now;
          if (breakStaleLock(lockPath, self)) continue;
        }
      }
      if (Date.now() - arrival >= timeoutMs) {
        let holder;
        try {
          holder = readLockFile(lockPath);
        } catch {
          holder = undefined;
        }
        throw new LockTimeoutError({ lockPath, owner: holder && parseOwner(holder.text), timeoutMs });
      }
      if (!waiting) {
        // Watch before announcing ourselves, then retry at once: the lock may have been released meanwhile.
        waiting = true;
        if (options.watch !== false) waker.start();
        markers.create();
        continue;
      }
      await waker.sleep(retryMs);
    }
  } catch (error) {
    leaveProcessQueue();
    throw error;
  } finally {
    waker.stop();
    markers.remove();
  }
}

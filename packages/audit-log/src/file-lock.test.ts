import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditEntry } from './append.js';
import { startDriver } from './child-process.test-helpers.js';
import { AuditLogError } from './errors.js';
import { acquireFileLock, LockTimeoutError } from './file-lock.js';
import { sampleEntry, useTemporaryDirectories } from './test-support.test-helpers.js';

const temporaryDirectory = useTemporaryDirectories();

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn node');
  return child.pid;
}

describe('acquireFileLock', () => {
  it('records pid, host and start time in the lock and removes it on release', async () => {
    const directory = await temporaryDirectory();
    const lockPath = join(directory, 'kode.log.lock');
    const lock = await acquireFileLock({ lockPath });
    const owner = JSON.parse(await readFile(lockPath, 'utf8')) as Record<string, unknown>;
    expect(owner).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(new Date(String(owner.started_at)).toISOString()).toBe(owner.started_at);
    lock.release();
    expect(await readdir(directory)).toEqual([]);
  });

  it('takes over a lock whose owner died on this host', async () => {
    const logDir = await temporaryDirectory();
    const lockPath = join(logDir, 'kode.log.lock');
    const stale = { pid: deadPid(), hostname: hostname(), started_at: '2025-07-15T10:34:02.000Z', token: 'dead' };
    await writeFile(lockPath, JSON.stringify(stale));
    const entry = await appendAuditEntry({ logDir, entry: sampleEntry() });
    expect(entry.seq).toBe(1);
    expect(await readdir(logDir)).toEqual(['kode.log']);
  });

  it('takes over a lock without owner data once it is old, but not while it is fresh', async () => {
    const directory = await temporaryDirectory();
    const lockPath = join(directory, 'kode.log.lock');
    await writeFile(lockPath, '');
    await expect(acquireFileLock({ lockPath, timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    await utimes(lockPath, tenSecondsAgo, tenSecondsAgo);
    const lock = await acquireFileLock({ lockPath, timeoutMs: 2000 });
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it("never takes another host's lock, and names the holder when it gives up", async () => {
    const directory = await temporaryDirectory();
    const lockPath = join(directory, 'kode.log.lock');
    const foreign = JSON.stringify({
      pid: 4242,
      hostname: 'build-7',
      started_at: '2025-07-15T10:34:02.000Z',
      token: 't',
    });
    await writeFile(lockPath, foreign);
    await expect(acquireFileLock({ lockPath, timeoutMs: 300 })).rejects.toThrow(
      `timed out after 300 ms waiting for the lock ${lockPath} (held by pid 4242 on host build-7 since 2025-07-15T10:34:02.000Z)`,
    );
    expect(await readFile(lockPath, 'utf8')).toBe(foreign);
    expect(await readdir(directory)).toEqual(['kode.log.lock']);
  });

  it('makes appendAuditEntry fail with an AuditLogError after 5 s behind a live lock', async () => {
    const logDir = await temporaryDirectory();
    const live = { pid: process.pid, hostname: hostname(), started_at: '2025-07-15T10:34:02.000Z', token: 'live' };
    await writeFile(join(logDir, 'kode.log.lock'), JSON.stringify(live));
    await expect(appendAuditEntry({ logDir, entry: sampleEntry() })).rejects.toSatisfy(
      (error) =>
        AuditLogError.isInstance(error) &&
        error.message.startsWith(`cannot write audit log ${join(logDir, 'kode.log')}: timed out after 5000 ms`),
    );
    expect(existsSync(join(logDir, 'kode.log'))).toBe(false);
  }, 15_000);

  it('removes the wait marker of a writer that died and does not defer to it', async () => {
    const directory = await temporaryDirectory();
    const lockPath = join(directory, 'kode.log.lock');
    const hostId = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    const marker = `kode.log.lock.wait.${String(Date.now() - 1000).padStart(15, '0')}.${hostId}.${deadPid()}.abcd`;
    await writeFile(join(directory, marker), '{}');
    const lock = await acquireFileLock({ lockPath });
    expect(await readdir(directory)).toEqual(['kode.log.lock']);
    lock.release();
  });

  it('gives a waiting writer its turn against a process that re-takes the lock in a tight loop', async () => {
    const directory = await temporaryDirectory();
    const lockPath = join(directory, 'kode.log.lock');
    const stopFile = join(directory, 'stop');
    const hammer = startDriver('lock-hammer.mjs', [lockPath, stopFile, '500']);
    try {
      await hammer.waitForOutput('holding');
      // Polling only, as where directory watching is unavailable. The hammer holds the lock 500 ms at a time and
      // re-creates it within microseconds of each release: without waiter markers a 20 ms poll practically never
      // finds it free and this times out; with them the hammer defers to us and our next poll gets the lock.
      const lock = await acquireFileLock({ lockPath, timeoutMs: 5000, watch: false });
      lock.release();
    } finally {
      await writeFile(stopFile, '');
    }
    const result = await hammer.finished;
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect((await readdir(directory)).sort()).toEqual(['stop']);
  }, 30_000);
});

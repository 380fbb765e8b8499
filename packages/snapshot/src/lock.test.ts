import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ForeignLockError, LockHeldError } from './errors.js';
import { acquireRunLock, readRunLock } from './lock.js';
import { currentProcessIdentity } from './process-identity.js';
import {
  captureTree,
  compareTrees,
  createGitRepo,
  removeTempDir,
  runDriver,
  standardChanges,
  standardFiles,
  startDriver,
} from './tree.test-helpers.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const path of cleanup.splice(0)) removeTempDir(path);
});

function repo(): string {
  const root = createGitRepo(standardFiles);
  cleanup.push(root);
  return root;
}

function plantLock(root: string, record: Record<string, unknown>): string {
  const lockPath = join(root, '.git', 'kode', 'run.lock');
  mkdirSync(join(root, '.git', 'kode'), { recursive: true });
  writeFileSync(
    lockPath,
    JSON.stringify({
      run_id: 'old',
      command: 'loop',
      started_at: '2025-07-15T10:34:02Z',
      boot_id: null,
      process_start_time: null,
      ...record,
    }),
  );
  return lockPath;
}

describe('acquireRunLock', () => {
  it('writes the owner record and releases only its own lock', async () => {
    const root = repo();
    const lock = await acquireRunLock({ projectRoot: root, runId: 'run-a', command: 'loop' });
    const self = currentProcessIdentity();
    expect(await readRunLock(root)).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
      run_id: 'run-a',
      command: 'loop',
      boot_id: self.bootId ?? null,
    });
    expect(lock.record.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u);
    await lock.release();
    expect(existsSync(lock.path)).toBe(false);
    await lock.release();
  });

  it('C1: a second run refuses with the holder pid, host, command and start time; its tree is untouched', async () => {
    const root = repo();
    const holder = startDriver({ config: { root, runId: 'holder', mode: 'hold-lock', command: 'loop' } });
    await holder.waitFor('locked');
    const before = await captureTree(root);
    const second = await runDriver({
      config: { root, runId: 'second', mode: 'apply-commit', changes: standardChanges },
    });
    expect(second.code).toBe(2);
    const record = JSON.parse(readFileSync(join(root, '.git/kode/run.lock'), 'utf8')) as { started_at: string };
    expect(second.stdout).toContain(
      `lock-error LockHeldError another kode run is active in this project (pid ${holder.child.pid} on host ${hostname()}, loop, started ${record.started_at}): wait for it to finish`,
    );
    const error: unknown = await acquireRunLock({ projectRoot: root, runId: 'third', command: 'run' }).catch(
      (caught: unknown) => caught,
    );
    expect(LockHeldError.isInstance(error) && error.pid).toBe(holder.child.pid);
    holder.child.stdin?.end();
    expect((await holder.done).code).toBe(0);
    const after = await captureTree(root);
    expect(compareTrees({ ...before, kodeState: [] }, after)).toEqual([]);
  });

  it('C2: a lock whose pid is dead is taken over', async () => {
    const root = repo();
    const dead = await runDriver({
      config: { root, runId: 'dead', mode: 'apply-commit', changes: [] },
      fault: 'after-lock',
    });
    expect(dead.signal).toBe('SIGKILL');
    expect((await readRunLock(root))?.run_id).toBe('dead');
    const lock = await acquireRunLock({ projectRoot: root, runId: 'next', command: 'loop' });
    expect((await readRunLock(root))?.run_id).toBe('next');
    await lock.release();
  });

  it('C3: a live pid with another start time (pid reuse), or another boot id, is stale', async () => {
    const root = repo();
    const self = currentProcessIdentity();
    plantLock(root, {
      pid: process.pid,
      hostname: hostname(),
      process_start_time: (self.processStartTime ?? 0) - 60_000,
      boot_id: self.bootId ?? null,
    });
    const lock = await acquireRunLock({ projectRoot: root, runId: 'reuse', command: 'loop' });
    await lock.release();
    if (self.bootId !== undefined) {
      plantLock(root, {
        pid: process.pid,
        hostname: hostname(),
        process_start_time: self.processStartTime ?? null,
        boot_id: 'another-boot',
      });
      const afterReboot = await acquireRunLock({ projectRoot: root, runId: 'reboot', command: 'loop' });
      await afterReboot.release();
    }
    // The same live identity is not stale.
    plantLock(root, {
      pid: process.pid,
      hostname: hostname(),
      process_start_time: self.processStartTime ?? null,
      boot_id: self.bootId ?? null,
    });
    await expect(acquireRunLock({ projectRoot: root, runId: 'live', command: 'loop' })).rejects.toSatisfy(
      (error: unknown) => LockHeldError.isInstance(error),
    );
  });

  it('C4: a lock from another host is never taken', async () => {
    const root = repo();
    const lockPath = plantLock(root, { pid: 4242, hostname: 'build-7' });
    const error: unknown = await acquireRunLock({ projectRoot: root, runId: 'x', command: 'loop' }).catch(
      (caught: unknown) => caught,
    );
    expect(ForeignLockError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `the kode lock is held by host build-7 (pid 4242): if that run is gone, delete ${lockPath}`,
    );
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ hostname: 'build-7' });
  });

  it('treats an unreadable lock as stale', async () => {
    const root = repo();
    mkdirSync(join(root, '.git', 'kode'), { recursive: true });
    writeFileSync(join(root, '.git', 'kode', 'run.lock'), '{"pid":');
    const lock = await acquireRunLock({ projectRoot: root, runId: 'after-torn', command: 'loop' });
    expect((await readRunLock(root))?.run_id).toBe('after-torn');
    await lock.release();
  });
});

describe('lock leftovers', () => {
  it('removes the private file of a run killed while taking the lock, but not a live one', async () => {
    const root = repo();
    mkdirSync(join(root, '.git', 'kode'), { recursive: true });
    const deadPid = spawnSync('true').pid;
    writeFileSync(join(root, '.git', 'kode', `run.lock.${deadPid}.0badc0de.tmp`), '{}');
    writeFileSync(join(root, '.git', 'kode', `run.lock.${process.pid}.0badc0de.tmp`), '{}');
    const lock = await acquireRunLock({ projectRoot: root, runId: 'clean', command: 'loop' });
    await lock.release();
    expect(existsSync(join(root, '.git', 'kode', `run.lock.${deadPid}.0badc0de.tmp`))).toBe(false);
    expect(existsSync(join(root, '.git', 'kode', `run.lock.${process.pid}.0badc0de.tmp`))).toBe(true);
  });
});

// RELIABILITY A1-A6, A9, B2, C2: a real child process is SIGKILLed (KODE_FAULT) or signalled, then recovery runs in
// a fresh process and the tree must equal the pre-run capture byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runKillFuzz } from './fuzz.test-helpers.js';
import { ROLLBACK_WAIT_MESSAGE } from './interrupt.js';
import { processGroupMembers } from './process-identity.js';
import type { RecoveryReport } from './recovery.js';
import type { DriverResult } from './tree.test-helpers.js';
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

function loopConfig(root: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    root,
    runId: '01KODE0RUN',
    mode: 'loop',
    command: 'loop',
    changes: standardChanges,
    testCommand: 'exit 1',
    ...extra,
  };
}

async function recover(
  root: string,
  fault?: string,
): Promise<{ result: DriverResult; report: RecoveryReport | undefined }> {
  const result = await runDriver({
    config: { root, runId: '01KODE0RECOVER', mode: 'recover' },
    ...(fault === undefined ? {} : { fault }),
  });
  const line = result.stdout.split('\n').find((text) => text.startsWith('report '));
  return {
    result,
    report: line === undefined ? undefined : (JSON.parse(line.slice('report '.length)) as RecoveryReport),
  };
}

/** Zombies do not count: a killed orphan may never be reaped when pid 1 does not reap. */
function groupAlive(processGroupId: number): boolean {
  return processGroupMembers(processGroupId).length > 0;
}

// 2 deletions (docs/old.md, the rename source) + 6 file writes.
const mutationCount = 8;
const killPoints = [
  'after-lock',
  'after-backups',
  'after-journal-fsync',
  'after-applying',
  ...Array.from({ length: mutationCount }, (_, index) => `after-rename:${index + 1}`),
  'before-testing',
  'after-testing',
];

describe('A1: SIGKILL at every fault point, then recovery', () => {
  it.each(killPoints)('%s', async (point) => {
    const root = repo();
    const before = await captureTree(root);
    const killed = await runDriver({ config: loopConfig(root, { testCommand: 'sleep 30' }), fault: point });
    expect(killed.signal, killed.stdout + killed.stderr).toBe('SIGKILL');
    const { result, report } = await recover(root);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(report?.rejected).toEqual([]);
    const applied = !['after-lock', 'after-backups', 'after-journal-fsync'].includes(point);
    expect(report?.recovered.length).toBe(applied ? 1 : 0);
    if (applied) expect(report?.recovered[0]?.command).toBe('loop');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });
});

describe('kills during rollback and recovery', () => {
  it.each([1, 4, mutationCount])(
    'A5: SIGKILL after restore %i of the rollback; the next start resumes it',
    async (restore) => {
      const root = repo();
      const before = await captureTree(root);
      const killed = await runDriver({ config: loopConfig(root), fault: `during-rollback:${restore}` });
      expect(killed.signal).toBe('SIGKILL');
      const { report } = await recover(root);
      expect(report?.recovered).toHaveLength(1);
      expect(compareTrees(before, await captureTree(root))).toEqual([]);
    },
  );

  it('A6: SIGKILL during recovery; the next start recovers again', async () => {
    const root = repo();
    const before = await captureTree(root);
    expect((await runDriver({ config: loopConfig(root), fault: 'after-rename:5' })).signal).toBe('SIGKILL');
    const first = await recover(root, 'during-recovery:2');
    expect(first.result.signal).toBe('SIGKILL');
    const second = await recover(root);
    expect(second.report?.recovered).toHaveLength(1);
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });
});

describe('signals during apply and tests', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'A2/A4: %s while tests run rolls back and exits 130',
    async (signal) => {
      const root = repo();
      const before = await captureTree(root);
      const run = startDriver({ config: loopConfig(root, { testCommand: 'sleep 30' }) });
      await run.waitFor('testing ');
      run.child.kill(signal);
      const result = await run.done;
      expect(result.code, result.stdout + result.stderr).toBe(130);
      expect(result.stdout).toContain(`interrupted ${signal}`);
      const processGroupId = Number(/testing (\d+)/u.exec(result.stdout)?.[1]);
      expect(groupAlive(processGroupId)).toBe(false);
      expect(compareTrees(before, await captureTree(root))).toEqual([]);
    },
  );

  it('A3: a second Ctrl-C during rollback prints the wait message and the rollback completes', async () => {
    const root = repo();
    const before = await captureTree(root);
    const run = startDriver({ config: loopConfig(root, { testCommand: 'sleep 30', selfSignals: ['SIGINT'] }) });
    await run.waitFor('testing ');
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(ROLLBACK_WAIT_MESSAGE);
    expect(result.stdout).toContain('rollback {');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('A3: a third Ctrl-C force-quits with the journal left, and the next start completes the rollback', async () => {
    const root = repo();
    const before = await captureTree(root);
    const run = startDriver({
      config: loopConfig(root, { testCommand: 'sleep 30', selfSignals: ['SIGINT', 'SIGINT'] }),
    });
    await run.waitFor('testing ');
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    const processGroupId = Number(/testing (\d+)/u.exec(result.stdout)?.[1]);
    const { report } = await recover(root);
    expect(report?.rejected).toEqual([]);
    expect(groupAlive(processGroupId), JSON.stringify({ report, result })).toBe(false);
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });
});

describe('B2: orphaned test process group', () => {
  it('recovery kills the group still writing a touched file before restoring it', async () => {
    const root = repo();
    const before = await captureTree(root);
    const writer = 'while true; do printf "orphan\\n" > src/lf.ts; sleep 0.02; done';
    const killed = await runDriver({ config: loopConfig(root, { testCommand: writer }), fault: 'after-testing' });
    expect(killed.signal).toBe('SIGKILL');
    const processGroupId = Number(/testing (\d+)/u.exec(killed.stdout)?.[1] ?? Number.NaN);
    await delay(100);
    expect(groupAlive(processGroupId) || Number.isNaN(processGroupId)).toBe(true);
    const { report } = await recover(root);
    await delay(200);
    expect(report?.recovered[0]?.killed_process_group).toBeGreaterThan(0);
    expect(readFileSync(join(root, 'src/lf.ts'), 'utf8')).toBe('export const a = 1;\nexport const b = 2;\n');
    const after = await captureTree(root);
    // The orphan's last write is kept as a conflict copy; everything else is exactly as before.
    const problems = compareTrees(before, after).filter((problem) => !problem.startsWith('src/lf.ts.kode-conflict'));
    expect(problems.filter((problem) => !problem.startsWith('git status'))).toEqual([]);
  });
});

describe('A9: random-delay kill fuzz', () => {
  it('15 runs: every tree equals the pre-run or the fully-applied state', async () => {
    const result = await runKillFuzz({ runs: 15 });
    expect(result.mismatches).toEqual([]);
    expect(result.equalPre + result.equalPost).toBe(15);
  }, 120_000);
});

import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findInterruptedRuns, recoverInterrupted } from './recovery.js';
import { applyTransaction } from './transaction.js';
import {
  captureTree,
  compareTrees,
  createGitRepo,
  decodeChanges,
  makeTempDir,
  removeTempDir,
  runDriver,
  standardChanges,
  standardFiles,
} from './tree.test-helpers.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const path of cleanup.splice(0)) removeTempDir(path);
});

const runId = '01KODE0CRASHED';

/** A repository left by a run SIGKILLed after its 3rd write: a real interrupted journal. */
async function crashedRepo(): Promise<{ root: string; journal: string; pre: Awaited<ReturnType<typeof captureTree>> }> {
  const root = createGitRepo(standardFiles);
  cleanup.push(root);
  const pre = await captureTree(root);
  const killed = await runDriver({
    config: { root, runId, mode: 'loop', changes: standardChanges },
    fault: 'after-rename:3',
  });
  expect(killed.signal).toBe('SIGKILL');
  return { root, journal: join(root, '.git/kode/journal', runId), pre };
}

function journalFile(
  journal: string,
): { entries: { path: string; type: string; sha256?: string }[] } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(journal, 'journal.json'), 'utf8')) as {
    entries: { path: string; type: string; sha256?: string }[];
  };
}

async function expectRejected(root: string, journal: string, reason: string): Promise<void> {
  const before = await captureTree(root);
  const report = await recoverInterrupted({ projectRoot: root });
  expect(report.recovered).toEqual([]);
  expect(report.rejected).toEqual([
    { journal: `${journal}.rejected`, reason: expect.stringContaining(reason) as unknown },
  ]);
  expect(existsSync(`${journal}.rejected`)).toBe(true);
  const after = await captureTree(root);
  expect(compareTrees(before, after).filter((problem) => !problem.startsWith('leftover Kode state'))).toEqual([]);
  // A rejected journal stays rejected: later recoveries leave it alone.
  expect((await recoverInterrupted({ projectRoot: root })).rejected).toEqual([]);
}

describe('recoverInterrupted', () => {
  it('restores an interrupted run and reports it in the §3.16 shape', async () => {
    const { root, pre } = await crashedRepo();
    const dryRun = await recoverInterrupted({ projectRoot: root, dryRun: true });
    expect(dryRun.recovered[0]?.restored.length).toBeGreaterThan(0);
    expect(existsSync(join(root, '.git/kode/journal', runId))).toBe(true);
    const report = await recoverInterrupted({ projectRoot: root });
    expect(report).toMatchObject({ rejected: [], active: [], failed: [] });
    expect(report.recovered).toEqual([
      {
        run_id: runId,
        command: 'loop',
        started_at: expect.any(String) as unknown,
        state: 'applying',
        restored: expect.any(Array) as unknown,
        removed: [],
        conflicts: [],
        killed_process_group: null,
      },
    ]);
    expect(report.recovered[0]?.restored.sort()).toEqual(['docs/old.md', 'src/lf.ts', 'src/rename-from.ts']);
    const after = await captureTree(root);
    expect(compareTrees(pre, after).filter((problem) => !problem.includes('run.lock'))).toEqual([]);
  });

  it('F12: refuses a journal whose path escapes the root; nothing outside is touched', async () => {
    const { root, journal } = await crashedRepo();
    const outside = makeTempDir();
    cleanup.push(outside);
    writeFileSync(join(outside, 'sentinel.txt'), 'sentinel\n');
    const header = journalFile(journal);
    const first = header.entries[0];
    if (first !== undefined) first.path = `../${outside.split('/').pop() ?? ''}/sentinel.txt`;
    writeFileSync(join(journal, 'journal.json'), JSON.stringify(header));
    await expectRejected(root, journal, 'escapes the project root');
    expect(readFileSync(join(outside, 'sentinel.txt'), 'utf8')).toBe('sentinel\n');
  });

  it('F12: refuses a backup whose bytes do not match its hash', async () => {
    const { root, journal } = await crashedRepo();
    const blob = readdirSync(join(journal, 'blobs'))[0] ?? '';
    writeFileSync(join(journal, 'blobs', blob), 'planted content\n');
    await expectRejected(root, journal, 'does not match its hash');
  });

  it('F12: refuses a symlinked backup and a symlinked journal directory', async () => {
    const { root, journal } = await crashedRepo();
    const blob = readdirSync(join(journal, 'blobs'))[0] ?? '';
    const elsewhere = makeTempDir();
    cleanup.push(elsewhere);
    renameSync(join(journal, 'blobs', blob), join(elsewhere, blob));
    symlinkSync(join(elsewhere, blob), join(journal, 'blobs', blob));
    await expectRejected(root, journal, 'is a symlink');

    const second = join(root, '.git/kode/journal', '01KODE0LINKED');
    symlinkSync(`${journal}.rejected`, second);
    const report = await recoverInterrupted({ projectRoot: root });
    expect(report.rejected).toEqual([{ journal: `${second}.rejected`, reason: 'the journal directory is a symlink' }]);
  });

  it('F12: refuses a journal whose path passes through a symlink planted since', async () => {
    const { root, journal } = await crashedRepo();
    const outside = makeTempDir();
    cleanup.push(outside);
    rmSync(join(root, 'docs'), { recursive: true, force: true });
    symlinkSync(outside, join(root, 'docs'));
    await expectRejected(root, journal, 'passes through symlink "docs"');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('F12: ignores a journal planted in the working tree', async () => {
    const root = createGitRepo({ 'a.txt': 'a\n' });
    cleanup.push(root);
    mkdirSync(join(root, '.kode/journal/01PLANTED/blobs'), { recursive: true });
    writeFileSync(join(root, '.kode/journal/01PLANTED/state'), '{"state":"applying"}');
    const report = await recoverInterrupted({ projectRoot: root });
    expect(report).toEqual({ recovered: [], rejected: [], active: [], failed: [], discarded: [] });
  });

  it('A7: a torn journal without the applying marker is discarded; the tree is untouched', async () => {
    const root = createGitRepo(standardFiles);
    cleanup.push(root);
    const before = await captureTree(root);
    const killed = await runDriver({
      config: { root, runId, mode: 'loop', changes: standardChanges },
      fault: 'after-backups',
    });
    expect(killed.signal).toBe('SIGKILL');
    mkdirSync(join(root, '.git/kode/journal/01TORN'), { recursive: true });
    writeFileSync(join(root, '.git/kode/journal/01TORN/journal.json'), '{"v":1,"run_id":"01TO');
    const report = await recoverInterrupted({ projectRoot: root });
    expect(report.discarded.sort()).toEqual([runId, '01TORN'].sort());
    rmSync(join(root, '.git/kode/run.lock'));
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('deletes committed and rolled-back leftovers, and leaves a live owner alone', async () => {
    const root = createGitRepo(standardFiles);
    cleanup.push(root);
    for (const [name, state] of [
      ['01DONE', 'committed'],
      ['01UNDONE', 'rolled_back'],
    ] as const) {
      mkdirSync(join(root, '.git/kode/journal', name), { recursive: true });
      writeFileSync(join(root, '.git/kode/journal', name, 'state'), JSON.stringify({ state }));
    }
    const live = await applyTransaction({
      projectRoot: root,
      runId: '01LIVE',
      changes: decodeChanges(standardChanges),
      command: 'run',
    });
    const report = await recoverInterrupted({ projectRoot: root });
    expect(report.discarded.sort()).toEqual(['01DONE', '01UNDONE']);
    expect(report.active).toEqual([
      {
        run_id: '01LIVE',
        pid: process.pid,
        hostname: expect.any(String) as unknown,
        command: 'run',
        started_at: expect.any(String) as unknown,
      },
    ]);
    expect(readFileSync(join(root, 'new/deep/nested/file.ts'), 'utf8')).toBe('export const created = 1;\n');
    await live.rollback('done');
  });

  it('keeps a file edited after the crash as .kode-conflict and restores the pre-image', async () => {
    const { root } = await crashedRepo();
    writeFileSync(join(root, 'src/lf.ts'), 'edited by the user after the crash\n');
    const report = await recoverInterrupted({ projectRoot: root });
    expect(report.recovered[0]?.conflicts).toEqual([{ path: 'src/lf.ts', saved_as: 'src/lf.ts.kode-conflict' }]);
    expect(readFileSync(join(root, 'src/lf.ts.kode-conflict'), 'utf8')).toBe('edited by the user after the crash\n');
    expect(readFileSync(join(root, 'src/lf.ts'), 'utf8')).toBe('export const a = 1;\nexport const b = 2;\n');
  });
});

describe('findInterruptedRuns', () => {
  it('lists a crashed run without touching anything, and nothing once it is recovered', async () => {
    const { root, journal } = await crashedRepo();
    const before = await captureTree(root);
    expect(await findInterruptedRuns(root)).toEqual([runId]);
    const after = await captureTree(root);
    expect(compareTrees(before, after).filter((problem) => !problem.startsWith('leftover Kode state'))).toEqual([]);
    expect(existsSync(journal)).toBe(true);
    await recoverInterrupted({ projectRoot: root });
    expect(await findInterruptedRuns(root)).toEqual([]);
  });

  it('ignores finished journals, torn ones that never applied, and a live owner', async () => {
    const root = createGitRepo(standardFiles);
    cleanup.push(root);
    expect(await findInterruptedRuns(root)).toEqual([]);
    mkdirSync(join(root, '.git/kode/journal/01DONE'), { recursive: true });
    writeFileSync(join(root, '.git/kode/journal/01DONE/state'), JSON.stringify({ state: 'committed' }));
    mkdirSync(join(root, '.git/kode/journal/01TORN'), { recursive: true });
    const live = await applyTransaction({
      projectRoot: root,
      runId: '01LIVE',
      changes: decodeChanges(standardChanges),
      command: 'run',
    });
    expect(await findInterruptedRuns(root)).toEqual([]);
    await live.rollback('done');
  });
});

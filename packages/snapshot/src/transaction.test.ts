import {
  linkSync,
  lstatSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  mkdirSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplyError, TransactionStateError } from './errors.js';
import type { FsStep } from './fault.js';
import { setFsTrace } from './fault.js';
import { applyTransaction, beginTransaction } from './transaction.js';
import {
  captureTree,
  compareTrees,
  createGitRepo,
  decodeChanges,
  makeTempDir,
  removeTempDir,
  standardChanges,
  standardFiles,
} from './tree.test-helpers.js';

const cleanup: string[] = [];
afterEach(() => {
  setFsTrace(undefined);
  delete process.env.KODE_FAULT;
  for (const path of cleanup.splice(0)) removeTempDir(path);
});

function repo(files: Parameters<typeof createGitRepo>[0] = standardFiles): string {
  const root = createGitRepo(files);
  cleanup.push(root);
  return root;
}

const text = (value: string): Buffer => Buffer.from(value);

describe('applyTransaction and rollback', () => {
  it('applies the standard patch, and rollback restores the tree byte for byte', async () => {
    const root = repo();
    const before = await captureTree(root);
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'r1',
      changes: decodeChanges(standardChanges),
    });
    expect(readFileSync(join(root, 'src/crlf.ts'), 'latin1')).toBe('line one\r\nline 2\r\nline three\r\n');
    expect(statSync(join(root, 'bin/run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(root, 'scripts/mode.sh')).mode & 0o777).toBe(0o755);
    expect(existsSync(join(root, 'docs/old.md'))).toBe(false);
    expect(readFileSync(join(root, 'src/rename-to.ts'), 'utf8')).toBe('export const moved = true;\n');
    expect(existsSync(join(root, 'src/rename-from.ts'))).toBe(false);
    const result = await transaction.rollback('tests failed');
    expect(result.removed).toEqual(['new/deep/nested/file.ts']);
    expect(result.restored).toHaveLength(7);
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
    // Idempotent: a second rollback changes nothing and reports the same.
    expect(await transaction.rollback('again')).toEqual(result);
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('commit keeps the change and removes the journal and backups', async () => {
    const root = repo();
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'r2',
      changes: decodeChanges(standardChanges),
    });
    await transaction.commit();
    expect(readdirSync(join(root, '.git/kode/journal'))).toEqual([]);
    expect(readFileSync(join(root, 'new/deep/nested/file.ts'), 'utf8')).toBe('export const created = 1;\n');
    await expect(transaction.rollback('late')).rejects.toSatisfy((error: unknown) =>
      TransactionStateError.isInstance(error),
    );
  });

  it('E1: rollback removes a created file and only the directories Kode created', async () => {
    const root = repo({ 'existing/keep.txt': 'k\n' });
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'e1',
      changes: [{ path: 'existing/new/deeper/f.txt', content: text('f\n') }],
    });
    writeFileSync(join(root, 'existing/new/user-file.txt'), 'mine\n');
    await transaction.rollback('test');
    expect(existsSync(join(root, 'existing/new/deeper'))).toBe(false);
    expect(readFileSync(join(root, 'existing/new/user-file.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(root, 'existing/keep.txt'))).toBe(true);
  });

  it('E2/E4: delete restores bytes and mode; new files honour the umask; explicit modes are restored', async () => {
    const root = repo({ 'tool.sh': { content: '#!/bin/sh\n', mode: 0o750 }, 'plain.txt': 'p\n' });
    const before = await captureTree(root);
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'e2',
      changes: [
        { path: 'tool.sh', content: null },
        { path: 'plain.txt', content: text('p\n'), mode: 0o600 },
        { path: 'created.txt', content: text('c\n') },
      ],
    });
    expect(statSync(join(root, 'plain.txt')).mode & 0o777).toBe(0o600);
    const umask = process.umask();
    expect(statSync(join(root, 'created.txt')).mode & 0o777).toBe(0o666 & ~umask);
    await transaction.rollback('test');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('E3: rename onto an existing file restores both on rollback', async () => {
    const root = repo({ 'a.ts': 'a\n', 'b.ts': 'b\n' });
    const before = await captureTree(root);
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'e3',
      changes: [{ path: 'b.ts', content: text('a\n'), renamedFrom: 'a.ts' }],
    });
    expect(readdirSync(root).filter((name) => name.endsWith('.ts'))).toEqual(['b.ts']);
    await transaction.rollback('test');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('E5/E6: binary and Latin-1 bytes round-trip exactly', async () => {
    const binary = Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 37) % 256));
    const latin1 = Buffer.from('caf\xe9 na\xefve\r\nsecond\rlone\n', 'latin1');
    const root = repo({ 'blob.bin': binary, 'latin.txt': latin1 });
    const before = await captureTree(root);
    const edited = Buffer.concat([latin1, Buffer.from('more\n')]);
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'e5',
      changes: [
        { path: 'blob.bin', content: binary.subarray(1) },
        { path: 'latin.txt', content: edited },
      ],
    });
    expect(readFileSync(join(root, 'latin.txt')).equals(edited)).toBe(true);
    await transaction.rollback('test');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
    expect(readFileSync(join(root, 'blob.bin')).equals(binary)).toBe(true);
  });

  it('E8: a no-op change is not written (mtime unchanged) and an empty patch writes nothing', async () => {
    const root = repo({ 'same.txt': 'same\n' });
    const mtime = lstatSync(join(root, 'same.txt')).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'e8',
      changes: [{ path: 'same.txt', content: text('same\n') }],
    });
    await transaction.commit();
    expect(lstatSync(join(root, 'same.txt')).mtimeMs).toBe(mtime);
    const empty = await applyTransaction({ projectRoot: root, runId: 'e8b', changes: [] });
    await empty.commit();
    expect(readdirSync(join(root, '.git/kode/journal'))).toEqual([]);
  });

  it('E10: deleting a missing file, or a directory, is rejected with zero writes', async () => {
    const root = repo({ 'dir/x.txt': 'x\n', 'keep.txt': 'k\n' });
    const before = await captureTree(root);
    const missing = applyTransaction({
      projectRoot: root,
      runId: 'e10',
      changes: [
        { path: 'keep.txt', content: text('changed\n') },
        { path: 'ghost.txt', content: null },
      ],
    });
    await expect(missing).rejects.toThrow('apply: ghost.txt: cannot delete a file that does not exist');
    await expect(
      applyTransaction({ projectRoot: root, runId: 'e10b', changes: [{ path: 'dir', content: null }] }),
    ).rejects.toThrow('apply: dir is a directory, not a file');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('E11: a hard-linked target is replaced (the link is broken) and rollback is exact for the path', async () => {
    const root = repo({ 'a.txt': 'shared\n' });
    linkSync(join(root, 'a.txt'), join(root, 'hard.txt'));
    const before = await captureTree(root);
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'e11',
      changes: [{ path: 'a.txt', content: text('new\n') }],
    });
    expect(readFileSync(join(root, 'hard.txt'), 'utf8')).toBe('shared\n');
    await transaction.rollback('test');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('C5: a held git index.lock does not matter and is left alone', async () => {
    const root = repo();
    writeFileSync(join(root, '.git/index.lock'), '');
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'c5',
      changes: decodeChanges(standardChanges),
    });
    await transaction.rollback('test');
    expect(existsSync(join(root, '.git/index.lock'))).toBe(true);
  });

  it('C6: a file the user edited during the test run is kept as .kode-conflict', async () => {
    const root = repo({ 'src/math.js': 'one\n', 'other.js': 'o\n' });
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'c6',
      changes: [
        { path: 'src/math.js', content: text('two\n') },
        { path: 'other.js', content: text('o2\n') },
      ],
    });
    await transaction.markTesting({ processGroupId: process.pid });
    writeFileSync(join(root, 'src/math.js'), 'users edit\n');
    const result = await transaction.rollback('tests failed');
    expect(result.conflicts).toEqual([{ path: 'src/math.js', savedAs: 'src/math.js.kode-conflict' }]);
    expect(readFileSync(join(root, 'src/math.js'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(root, 'src/math.js.kode-conflict'), 'utf8')).toBe('users edit\n');
    expect(readFileSync(join(root, 'other.js'), 'utf8')).toBe('o\n');
  });

  it('D9: a file changed after begin aborts the apply and rolls back what was written', async () => {
    const root = repo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const before = await captureTree(root);
    const transaction = await beginTransaction({ projectRoot: root, runId: 'd9', files: ['a.txt', 'b.txt'] });
    writeFileSync(join(root, 'b.txt'), 'edited by someone\n');
    const error: unknown = await transaction
      .apply([
        { path: 'a.txt', content: text('A\n') },
        { path: 'b.txt', content: text('B\n') },
      ])
      .catch((caught: unknown) => caught);
    expect(ApplyError.isInstance(error) && error.message).toBe('apply: b.txt changed since verification');
    expect(ApplyError.isInstance(error) && error.kind).toBe('changed');
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('edited by someone\n');
    const after = await captureTree(root);
    expect(after.entries.get('a.txt')).toEqual(before.entries.get('a.txt'));
    expect(after.kodeState).toEqual([]);
  });

  it('D8: a target that became a directory aborts before rename; earlier files are rolled back', async () => {
    const root = repo({ 'a.txt': 'a\n', 'z.txt': 'z\n' });
    const transaction = await beginTransaction({ projectRoot: root, runId: 'd8', files: ['a.txt', 'z.txt'] });
    const { rmSync } = await import('node:fs');
    rmSync(join(root, 'z.txt'));
    mkdirSync(join(root, 'z.txt'));
    await expect(
      transaction.apply([
        { path: 'a.txt', content: text('A\n') },
        { path: 'z.txt', content: text('Z\n') },
      ]),
    ).rejects.toThrow('apply: z.txt changed since verification');
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a\n');
    expect(lstatSync(join(root, 'z.txt')).isDirectory()).toBe(true);
    expect(readdirSync(root).filter((name) => name.startsWith('.kode-'))).toEqual([]);
  });

  it('D6: EBUSY/EPERM on rename is retried, and a persistent one rolls back', async () => {
    const root = repo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const before = await captureTree(root);
    process.env.KODE_FAULT = 'errno:EBUSY:rename:1';
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'd6',
      changes: [{ path: 'a.txt', content: text('A\n') }],
    });
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('A\n');
    await transaction.rollback('test');
    // The first attempt plus all five retries fail; the rollback's renames afterwards succeed.
    process.env.KODE_FAULT = 'errno:EPERM:rename:2+6';
    const error: unknown = await applyTransaction({
      projectRoot: root,
      runId: 'd6b',
      changes: [
        { path: 'a.txt', content: text('A\n') },
        { path: 'b.txt', content: text('B\n') },
      ],
    }).catch((caught: unknown) => caught);
    delete process.env.KODE_FAULT;
    expect(ApplyError.isInstance(error) && error.message).toMatch(
      /^apply: EPERM: operation not permitted \(b\.txt\)$/u,
    );
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('D7: EIO from fsync is a failure and rolls back', async () => {
    const root = repo();
    const before = await captureTree(root);
    process.env.KODE_FAULT = 'errno:EIO:fsync:3';
    const error: unknown = await applyTransaction({
      projectRoot: root,
      runId: 'd7',
      changes: decodeChanges(standardChanges),
    }).catch((caught: unknown) => caught);
    delete process.env.KODE_FAULT;
    expect(ApplyError.isInstance(error) && error.code).toBe('EIO');
    expect(ApplyError.isInstance(error) && error.message).toMatch(/^apply: EIO: i\/o error \(.+\)$/u);
    expect(ApplyError.isInstance(error) && error.rollback).toBeDefined();
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('A8: backups are durable before the first working-tree write; each file is temp, fsync, rename, dir fsync', async () => {
    const root = repo();
    const steps: { step: FsStep; path: string }[] = [];
    setFsTrace((step, path) => steps.push({ step, path }));
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'a8',
      changes: decodeChanges(standardChanges),
    });
    await transaction.rollback('test');
    setFsTrace(undefined);
    const indexOf = (predicate: (entry: { step: FsStep; path: string }) => boolean, from = 0): number =>
      steps.findIndex((entry, index) => index >= from && predicate(entry));
    const workingTreeSteps = new Set<FsStep>(['open', 'write', 'rename', 'unlink', 'mkdir']);
    const firstTreeWrite = indexOf((entry) => workingTreeSteps.has(entry.step));
    const lastBackupSync = steps.map((entry) => entry.step).lastIndexOf('backup-fsync', firstTreeWrite);
    const applyingMarker = indexOf((entry) => entry.step === 'state-write');
    expect(lastBackupSync).toBeGreaterThan(-1);
    expect(steps.slice(firstTreeWrite).some((entry) => entry.step === 'backup-write')).toBe(false);
    expect(indexOf((entry) => entry.step === 'journal-fsync')).toBeLessThan(applyingMarker);
    expect(applyingMarker).toBeLessThan(firstTreeWrite);
    for (const change of standardChanges.filter((item) => item.content !== null)) {
      const write = indexOf((entry) => entry.step === 'write' && entry.path === change.path);
      const sync = indexOf((entry) => entry.step === 'fsync' && entry.path === change.path, write);
      const rename = indexOf((entry) => entry.step === 'rename' && entry.path === change.path, sync);
      const directory = change.path.slice(0, change.path.lastIndexOf('/'));
      const directorySync = indexOf((entry) => entry.step === 'dir-fsync' && entry.path === directory, rename);
      expect(
        [write, sync, rename, directorySync].every((index) => index >= 0),
        change.path,
      ).toBe(true);
      expect(write < sync && sync < rename && rename < directorySync, change.path).toBe(true);
    }
    // The rolled_back marker comes after the last restore.
    const lastRestore = steps.map((entry) => entry.step).lastIndexOf('rename');
    const rolledBack = steps.map((entry) => entry.step).lastIndexOf('state-write');
    expect(rolledBack).toBeGreaterThan(lastRestore);
  });

  it('D5: temp files are created next to their target, so a bind-mounted subdirectory cannot cause EXDEV', async () => {
    const root = repo({ 'mounted/a.txt': 'a\n', 'top.txt': 't\n' });
    const opened: string[] = [];
    setFsTrace((step, path) => {
      if (step === 'open' || step === 'rename') opened.push(`${step}:${path}`);
    });
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'd5',
      changes: [
        { path: 'mounted/a.txt', content: text('A\n') },
        { path: 'top.txt', content: text('T\n') },
      ],
    });
    await transaction.commit();
    // The temporary files are written concurrently (in any order), all before the first rename.
    expect(opened.slice(0, 2).sort()).toEqual(['open:mounted/a.txt', 'open:top.txt']);
    expect(opened.slice(2)).toEqual(['rename:mounted/a.txt', 'rename:top.txt']);
  });

  it('F5: a write through a symlinked directory or file is refused and the outside is untouched', async () => {
    const outside = makeTempDir();
    cleanup.push(outside);
    writeFileSync(join(outside, 'target.txt'), 'outside\n');
    const root = repo({ 'a.txt': 'a\n' });
    symlinkSync(outside, join(root, 'link'));
    symlinkSync(join(outside, 'target.txt'), join(root, 'file-link'));
    symlinkSync(join(outside, 'created-by-kode.txt'), join(root, 'dangling'));
    await expect(
      applyTransaction({ projectRoot: root, runId: 'f5a', changes: [{ path: 'link/x.txt', content: text('x') }] }),
    ).rejects.toThrow('passes through symlink "link"');
    await expect(
      applyTransaction({ projectRoot: root, runId: 'f5b', changes: [{ path: 'file-link', content: text('x') }] }),
    ).rejects.toThrow('is a symlink');
    await expect(
      applyTransaction({ projectRoot: root, runId: 'f5c', changes: [{ path: 'dangling', content: text('x') }] }),
    ).rejects.toThrow('is a symlink');
    expect(readdirSync(outside)).toEqual(['target.txt']);
    expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe('outside\n');
  });

  it('F6: deleting symlink a and creating a/f in the same transaction works and rolls back', async () => {
    const outside = makeTempDir();
    cleanup.push(outside);
    const root = repo({ 'keep.txt': 'k\n' });
    symlinkSync(outside, join(root, 'a'));
    const before = await captureTree(root);
    const transaction = await applyTransaction({
      projectRoot: root,
      runId: 'f6',
      changes: [
        { path: 'a', content: null },
        { path: 'a/f', content: text('f\n') },
      ],
    });
    expect(lstatSync(join(root, 'a')).isDirectory()).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
    await transaction.rollback('test');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('refuses .git, .kode and caller-protected paths before writing anything', async () => {
    const root = repo({ 'a.txt': 'a\n' });
    const before = await captureTree(root);
    for (const path of ['.git/hooks/pre-commit', '.kode/kode.json', '../escape.txt']) {
      await expect(
        applyTransaction({ projectRoot: root, runId: 'p1', changes: [{ path, content: text('x') }] }),
      ).rejects.toSatisfy((error: unknown) => ApplyError.isInstance(error) && error.kind === 'unsafe-path');
    }
    await expect(
      applyTransaction({
        projectRoot: root,
        runId: 'p2',
        changes: [{ path: '.github/workflows/ci.yml', content: text('x') }],
        protectedPaths: ['.github/workflows/**'],
      }),
    ).rejects.toThrow('protected');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('D10: 5,000 files and a 100 MB file apply and roll back with bounded descriptors', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 5000; index++) files[`many/d${index % 50}/f${index}.txt`] = `${index}\n`;
    const root = makeTempDir();
    cleanup.push(root);
    const { writeFixture } = await import('./tree.test-helpers.js');
    writeFixture(root, files);
    const big = Buffer.alloc(100 * 1024 * 1024, 7);
    writeFileSync(join(root, 'big.bin'), big);
    const changes = Object.keys(files).map((path) => ({ path, content: text('changed\n') }));
    changes.push({ path: 'big.bin', content: Buffer.alloc(100 * 1024 * 1024, 8) });
    let maxDescriptors = 0;
    const sample = setInterval(() => {
      maxDescriptors = Math.max(maxDescriptors, readdirSync('/proc/self/fd').length);
    }, 5);
    const transaction = await applyTransaction({ projectRoot: root, runId: 'd10', changes });
    expect(readFileSync(join(root, 'many/d3/f53.txt'), 'utf8')).toBe('changed\n');
    await transaction.rollback('test');
    clearInterval(sample);
    expect(readFileSync(join(root, 'many/d3/f53.txt'), 'utf8')).toBe('53\n');
    expect(readFileSync(join(root, 'big.bin')).equals(big)).toBe(true);
    if (existsSync('/proc/self/fd')) expect(maxDescriptors).toBeLessThan(200);
  }, 120_000);
});

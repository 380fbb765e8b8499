// RELIABILITY D1-D4 with real errors where this machine allows (tmpfs for ENOSPC, `unshare -U` for EACCES, a
// read-only bind mount for EROFS); otherwise the same scenario with the errno injected through KODE_FAULT.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplyError } from './errors.js';
import { applyTransaction } from './transaction.js';
import {
  captureTree,
  compareTrees,
  createGitRepo,
  makeTempDir,
  removeTempDir,
  runDriver,
} from './tree.test-helpers.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  delete process.env.KODE_FAULT;
  for (const step of cleanup.splice(0).reverse()) step();
});

function tempDir(): string {
  const path = makeTempDir();
  cleanup.push(() => removeTempDir(path));
  return path;
}

function tryRun(command: string, args: readonly string[]): boolean {
  return spawnSync(command, [...args], { stdio: 'ignore' }).status === 0;
}

function mountTmpfs(path: string, size: string): boolean {
  if (!tryRun('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', path])) return false;
  cleanup.push(() => execFileSync('umount', ['-l', path]));
  return true;
}

function mountReadOnly(path: string): boolean {
  if (!tryRun('mount', ['--bind', path, path])) return false;
  cleanup.push(() => execFileSync('umount', ['-l', path]));
  return tryRun('mount', ['-o', 'remount,bind,ro', path, path]);
}

const text = (value: string): Buffer => Buffer.from(value);

async function expectFailureRolledBack(options: {
  root: string;
  run: () => Promise<unknown>;
  code: string;
  path: string;
}): Promise<void> {
  const before = await captureTree(options.root);
  const error: unknown = await options.run().catch((caught: unknown) => caught);
  expect(ApplyError.isInstance(error), String(error)).toBe(true);
  const applyError = error as ApplyError;
  expect(applyError.code).toBe(options.code);
  expect(applyError.path).toBe(options.path);
  expect(applyError.message).toMatch(
    new RegExp(`^apply: ${options.code}: .+ \\(${options.path.replace('.', '\\.')}\\)$`, 'u'),
  );
  expect(compareTrees(before, await captureTree(options.root))).toEqual([]);
}

describe('filesystem errors during apply', () => {
  it('D1: ENOSPC while writing a temp file: original intact, temp removed, earlier changes rolled back', async () => {
    const base = tempDir();
    const real = mountTmpfs(base, '2m');
    const root = createGitRepo({ 'a.txt': 'a\n', 'gone.txt': 'delete me\n' }, base);
    const big = Buffer.alloc(real ? 4 * 1024 * 1024 : 16, 1);
    if (!real) process.env.KODE_FAULT = 'errno:ENOSPC:write:2';
    await expectFailureRolledBack({
      root,
      code: 'ENOSPC',
      path: 'big.bin',
      run: () =>
        applyTransaction({
          projectRoot: root,
          runId: 'd1',
          changes: [
            { path: 'gone.txt', content: null },
            { path: 'a.txt', content: text('A\n') },
            { path: 'big.bin', content: big },
          ],
        }),
    });
  });

  it('D2: ENOSPC while writing backups aborts before any working-tree write', async () => {
    const base = tempDir();
    const real = mountTmpfs(base, '1m');
    const root = createGitRepo({ 'small.txt': 's\n' }, base);
    // Untracked and incompressible, so it fits once but its backup does not.
    writeFileSync(join(root, 'big.bin'), randomFillSync(Buffer.alloc(real ? 640 * 1024 : 64)));
    if (!real) process.env.KODE_FAULT = 'errno:ENOSPC:backup-write:2';
    await expectFailureRolledBack({
      root,
      code: 'ENOSPC',
      path: 'big.bin',
      run: () =>
        applyTransaction({
          projectRoot: root,
          runId: 'd2',
          changes: [
            { path: 'small.txt', content: text('S\n') },
            { path: 'big.bin', content: text('replaced\n') },
          ],
        }),
    });
  });

  it('D3: a read-only file is replaced atomically (mode kept); a read-only directory fails with EACCES, all-or-nothing', async () => {
    const root = createGitRepo(
      { 'a.txt': 'a\n', 'docs/old.md': 'old\n', 'ro/x.txt': 'x\n', 'locked.txt': 'l\n' },
      tempDir(),
    );
    chmodSync(join(root, 'locked.txt'), 0o444);
    chmodSync(join(root, 'ro'), 0o555);
    cleanup.push(() => chmodSync(join(root, 'ro'), 0o755));
    const real =
      tryRun('unshare', ['-U', 'true']) && !tryRun('unshare', ['-U', 'sh', '-c', `: > ${join(root, 'ro', 'probe')}`]);
    const before = await captureTree(root);
    const changes = [
      { path: 'docs/old.md', content: null },
      { path: 'a.txt', content: Buffer.from('A\n').toString('base64') },
      { path: 'locked.txt', content: Buffer.from('L\n').toString('base64') },
      { path: 'ro/x.txt', content: Buffer.from('X\n').toString('base64') },
    ];
    const result = await runDriver({
      config: { root, runId: 'd3', mode: 'apply-commit', changes },
      ...(real ? { wrapper: ['unshare', '-U'] } : { fault: 'errno:EACCES:open:3' }),
    });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('apply-error filesystem EACCES ro/x.txt');
    expect(result.stdout).toMatch(/message apply: EACCES: permission denied \(ro\/x\.txt\)/u);
    expect(compareTrees(before, await captureTree(root))).toEqual([]);

    const readOnlyFile = await applyTransaction({
      projectRoot: root,
      runId: 'd3b',
      changes: [{ path: 'locked.txt', content: text('L\n') }],
    });
    expect(readFileSync(join(root, 'locked.txt'), 'utf8')).toBe('L\n');
    expect(statSync(join(root, 'locked.txt')).mode & 0o777).toBe(0o444);
    await readOnlyFile.rollback('test');
    expect(compareTrees(before, await captureTree(root))).toEqual([]);
  });

  it('D4: EROFS on a read-only mount inside the project: all-or-nothing', async () => {
    const root = createGitRepo({ 'top.txt': 't\n', 'mounted/x.txt': 'x\n' }, tempDir());
    mkdirSync(join(root, 'mounted'), { recursive: true });
    const real = mountReadOnly(join(root, 'mounted'));
    if (!real) process.env.KODE_FAULT = 'errno:EROFS:open:2';
    await expectFailureRolledBack({
      root,
      code: 'EROFS',
      path: 'mounted/x.txt',
      run: () =>
        applyTransaction({
          projectRoot: root,
          runId: 'd4',
          changes: [
            { path: 'top.txt', content: text('T\n') },
            { path: 'mounted/x.txt', content: text('X\n') },
          ],
        }),
    });
  });
});

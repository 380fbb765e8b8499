// Turning FileChanges into a journaled plan and writing it: deletions, directories, then every file as
// temp-in-same-directory + fsync + re-check + rename, then one fsync per touched directory.
import { lstat, mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirectoryHandle } from './directory-handle.js';
import { DirectorySet, UnsafeDirectoryError } from './directory-handle.js';
import { ApplyError, errnoCode } from './errors.js';
import { faultPoint, fsStep } from './fault.js';
import { mapWithLimit, sha256Hex } from './hash.js';
import type { JournalPlan, PlannedChange, PreImage } from './journal.js';
import { ioConcurrency } from './journal.js';
import type { EntryState } from './working-tree.js';
import {
  ancestorsOf,
  readEntry,
  renameWithRetry,
  splitPath,
  temporaryName,
  writeTemporaryFile,
} from './working-tree.js';

/** One file's post-image. `content: null` deletes; `renamedFrom` also deletes that path; `mode` e.g. 0o755. */
export interface FileChange {
  readonly path: string;
  readonly content: Uint8Array | null;
  readonly mode?: number;
  readonly renamedFrom?: string;
}

interface PlannedWrite {
  readonly path: string;
  readonly content: Uint8Array;
  readonly sha256: string;
  readonly mode: number | null;
}

export interface ExecutionPlan {
  readonly journalPlan: JournalPlan;
  readonly writes: readonly PlannedWrite[];
  readonly deletions: readonly string[];
}

function invalid(path: string, problem: string): ApplyError {
  return new ApplyError({ kind: 'invalid-change', path, message: `apply: ${path}: ${problem}` });
}

export async function planChanges(options: {
  readonly realRoot: string;
  readonly changes: readonly FileChange[];
  readonly preImages: ReadonlyMap<string, PreImage>;
}): Promise<ExecutionPlan> {
  const targets = new Map<string, { content: Uint8Array | null; mode: number | undefined }>();
  const claim = (path: string, value: { content: Uint8Array | null; mode: number | undefined }): void => {
    if (!options.preImages.has(path)) throw invalid(path, 'not among the files of this transaction');
    if (targets.has(path)) throw invalid(path, 'changed twice in one transaction');
    targets.set(path, value);
  };
  for (const change of options.changes) {
    if (change.mode !== undefined && (!Number.isInteger(change.mode) || change.mode < 0 || change.mode > 0o7777)) {
      throw invalid(change.path, `invalid mode ${change.mode}`);
    }
    if (change.renamedFrom !== undefined) {
      if (change.content === null) throw invalid(change.path, 'a rename needs content');
      const source = options.preImages.get(change.renamedFrom);
      if (source?.type !== 'file') throw invalid(change.renamedFrom, 'rename source is not an existing file');
      claim(change.renamedFrom, { content: null, mode: undefined });
      claim(change.path, { content: change.content, mode: change.mode ?? source.mode });
    } else {
      claim(change.path, { content: change.content, mode: change.mode });
    }
  }

  const changes: PlannedChange[] = [];
  const writes: PlannedWrite[] = [];
  const deletions: string[] = [];
  for (const [path, target] of targets) {
    const pre = options.preImages.get(path) as PreImage;
    if (target.content === null) {
      if (pre.type === 'missing') throw invalid(path, 'cannot delete a file that does not exist');
      changes.push({ path, type: 'missing' });
      deletions.push(path);
      continue;
    }
    if (pre.type === 'symlink') throw invalid(path, 'is a symlink; Kode does not write through symlinks');
    const sha256 = sha256Hex(target.content);
    const mode = target.mode ?? (pre.type === 'file' ? pre.mode : null);
    // A no-op leaves the file alone, mtime included (RELIABILITY E8).
    if (pre.type === 'file' && pre.sha256 === sha256 && pre.mode === mode) continue;
    changes.push({ path, type: 'file', sha256, mode });
    writes.push({ path, content: target.content, sha256, mode });
  }

  const deleted = new Set(deletions);
  const createdDirectories: string[] = [];
  const seen = new Set<string>();
  for (const write of writes) {
    for (const ancestor of ancestorsOf(write.path)) {
      if (seen.has(ancestor)) continue;
      seen.add(ancestor);
      const existing = await lstatOrUndefined(join(options.realRoot, ancestor));
      if (existing?.isDirectory() === true && !deleted.has(ancestor)) continue;
      if (
        existing === undefined ||
        deleted.has(ancestor) ||
        createdDirectories.some((created) => ancestor.startsWith(`${created}/`))
      ) {
        createdDirectories.push(ancestor);
        continue;
      }
      throw new ApplyError({
        kind: 'unsafe-path',
        path: write.path,
        message: `apply: unsafe path (${JSON.stringify(write.path)} is below "${ancestor}", which is not a directory)`,
      });
    }
  }
  return { journalPlan: { v: 1, changes, created_dirs: createdDirectories }, writes, deletions };
}

async function lstatOrUndefined(path: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function matchesPreImage(pre: PreImage, current: EntryState): boolean {
  if (pre.type === 'missing') return current.type === 'missing';
  if (pre.type === 'symlink') return current.type === 'symlink' && current.target === pre.target;
  return current.type === 'file' && current.sha256 === pre.sha256;
}

/** Re-lstat and re-hash right before the mutation (SPEC §8.7 step 3); someone may have edited the file. */
async function assertUnchanged(directory: DirectoryHandle, pre: PreImage): Promise<void> {
  await directory.verify();
  const current = await readEntry(directory.entry(splitPath(pre.path).name));
  if (!matchesPreImage(pre, current)) throw ApplyError.changed(pre.path);
}

/**
 * Writes the plan. `touched` collects every path whose working-tree entry may have been modified, so an in-process
 * rollback restores exactly those.
 */
export async function executePlan(options: {
  readonly realRoot: string;
  readonly runId: string;
  readonly plan: ExecutionPlan;
  readonly preImages: ReadonlyMap<string, PreImage>;
  readonly touched: Set<string>;
}): Promise<void> {
  const directories = new DirectorySet(options.realRoot);
  const dirtyDirectories = new Set<string>();
  let currentPath = '';
  try {
    for (const path of options.plan.deletions) {
      currentPath = path;
      const { directory: parent, name } = splitPath(path);
      const directory = await directories.get(parent);
      await assertUnchanged(directory, options.preImages.get(path) as PreImage);
      options.touched.add(path);
      fsStep('unlink', path);
      await unlink(directory.entry(name));
      dirtyDirectories.add(parent);
      faultPoint('after-rename');
    }
    for (const created of options.plan.journalPlan.created_dirs) {
      currentPath = created;
      const { directory: parent, name } = splitPath(created);
      const parentHandle = await directories.get(parent);
      await parentHandle.verify();
      fsStep('mkdir', created);
      await mkdir(parentHandle.entry(name), 0o777);
      await parentHandle.sync();
    }
    await mapWithLimit(options.plan.writes, ioConcurrency, async (write) => {
      try {
        const directory = await directories.get(splitPath(write.path).directory);
        await writeTemporaryFile({
          path: directory.entry(temporaryName({ path: write.path, runId: options.runId, purpose: 'apply' })),
          label: write.path,
          content: write.content,
          mode: write.mode ?? undefined,
        });
      } catch (error) {
        throw toApplyError(error, write.path);
      }
    });
    for (const write of options.plan.writes) {
      currentPath = write.path;
      const { directory: parent, name } = splitPath(write.path);
      const directory = await directories.get(parent);
      await assertUnchanged(directory, options.preImages.get(write.path) as PreImage);
      options.touched.add(write.path);
      await renameWithRetry({
        from: directory.entry(temporaryName({ path: write.path, runId: options.runId, purpose: 'apply' })),
        to: directory.entry(name),
        label: write.path,
      });
      dirtyDirectories.add(parent);
      faultPoint('after-rename');
    }
    await mapWithLimit([...dirtyDirectories], ioConcurrency, async (relativePath) => {
      try {
        await (await directories.get(relativePath)).sync();
      } catch (error) {
        throw toApplyError(error, relativePath || '.');
      }
    });
  } catch (error) {
    throw toApplyError(error, currentPath);
  } finally {
    await directories.closeAll();
  }
}

function toApplyError(error: unknown, path: string): ApplyError {
  if (ApplyError.isInstance(error)) return error;
  if (error instanceof UnsafeDirectoryError) {
    return new ApplyError({
      kind: 'unsafe-path',
      path,
      message: `apply: unsafe path (${error.message})`,
      cause: error,
    });
  }
  return ApplyError.fromFilesystem(error, path);
}

// Restores the pre-images recorded in a journal. Shared by Transaction.rollback (in-process, knows which paths it
// touched) and recovery (after a crash, judges each path by its hash). Idempotent: a path already equal to its
// pre-image is left alone, so a rollback interrupted at any point can simply run again.
import { link, mkdir, rmdir, symlink } from 'node:fs/promises';
import type { DirectoryHandle } from './directory-handle.js';
import { DirectorySet, UnsafeDirectoryError } from './directory-handle.js';
import type { RollbackSummary } from './errors.js';
import { RollbackError, errnoCode } from './errors.js';
import type { FaultPoint } from './fault.js';
import { faultPoint, fsStep } from './fault.js';
import { mapWithLimit } from './hash.js';
import type { JournalPlan, PlannedChange, PreImage } from './journal.js';
import { ioConcurrency } from './journal.js';
import type { EntryState } from './working-tree.js';
import {
  ancestorsOf,
  readEntry,
  removeIfPresent,
  renameWithRetry,
  splitPath,
  temporaryName,
  writeTemporaryFile,
} from './working-tree.js';

export interface RollbackInput {
  readonly realRoot: string;
  readonly runId: string;
  readonly entries: readonly PreImage[];
  readonly plan: JournalPlan | undefined;
  readonly readBlob: (sha256: string) => Promise<Uint8Array>;
  /** In-process rollback: only these paths may have been modified by Kode; others are the user's business. */
  readonly onlyPaths?: ReadonlySet<string>;
  readonly faultPoint: Extract<FaultPoint, 'during-rollback' | 'during-recovery'>;
  readonly dryRun?: boolean;
}

type Action =
  | { readonly kind: 'none' }
  | { readonly kind: 'remove'; readonly conflict: boolean }
  /** `afterDirectories`: the path is now a directory Kode created; restore once created directories are gone. */
  | { readonly kind: 'restore'; readonly conflict: boolean; readonly afterDirectories: boolean };

export async function rollbackEntries(input: RollbackInput): Promise<RollbackSummary> {
  const directories = new DirectorySet(input.realRoot);
  const planned = new Map<string, PlannedChange>((input.plan?.changes ?? []).map((change) => [change.path, change]));
  const summary: RollbackSummary = { restored: [], removed: [], conflicts: [] };
  const dirtyDirectories = new Set<string>();
  try {
    const actions = await mapWithLimit(input.entries, ioConcurrency, async (entry) => {
      const directory = await existingDirectory(directories, splitPath(entry.path).directory);
      if (directory !== undefined && input.dryRun !== true) {
        await removeTemporaries(directory, entry.path, input.runId);
      }
      const current: EntryState =
        directory === undefined ? { type: 'missing' } : await readEntry(directory.entry(splitPath(entry.path).name));
      return decide({
        entry,
        current,
        planned: planned.get(entry.path),
        onlyPaths: input.onlyPaths,
        createdDirectories: input.plan?.created_dirs ?? [],
      });
    });
    for (const [index, action] of actions.entries()) {
      const entry = input.entries[index] as PreImage;
      if (action.kind === 'none') continue;
      if (action.kind === 'remove') summary.removed.push(entry.path);
      else summary.restored.push(entry.path);
      if (action.conflict) summary.conflicts.push({ path: entry.path, savedAs: '' });
    }
    if (input.dryRun === true) {
      for (const conflict of summary.conflicts) conflict.savedAs = `${conflict.path}.kode-conflict`;
      return summary;
    }

    // Restored bytes go to temp files first (in parallel), then renames happen one by one.
    await mapWithLimit(input.entries, ioConcurrency, async (entry, index) => {
      const action = actions[index];
      if (action?.kind !== 'restore' || entry.type !== 'file') return;
      const directory = await ensureDirectory(directories, splitPath(entry.path).directory);
      await writeTemporaryFile({
        path: directory.entry(temporaryName({ path: entry.path, runId: input.runId, purpose: 'restore' })),
        label: entry.path,
        content: await input.readBlob(entry.sha256),
        mode: entry.mode,
      });
    });
    let conflictIndex = 0;
    const mutate = async (entry: PreImage, action: Exclude<Action, { kind: 'none' }>): Promise<void> => {
      const { directory: parent, name } = splitPath(entry.path);
      const directory = await ensureDirectory(directories, parent);
      await directory.verify();
      if (action.conflict) {
        const conflict = summary.conflicts[conflictIndex++];
        if (conflict !== undefined) conflict.savedAs = await saveConflict(directory, entry.path);
      }
      if (action.kind === 'remove') {
        await removeIfPresent(directory.entry(name), entry.path);
      } else if (entry.type === 'file') {
        await renameWithRetry({
          from: directory.entry(temporaryName({ path: entry.path, runId: input.runId, purpose: 'restore' })),
          to: directory.entry(name),
          label: entry.path,
        });
      } else if (entry.type === 'symlink') {
        const temporary = directory.entry(temporaryName({ path: entry.path, runId: input.runId, purpose: 'restore' }));
        await removeIfPresent(temporary, entry.path);
        fsStep('symlink', entry.path);
        await symlink(entry.target, temporary);
        await renameWithRetry({ from: temporary, to: directory.entry(name), label: entry.path });
      }
      dirtyDirectories.add(parent);
      faultPoint(input.faultPoint);
    };
    for (const [index, entry] of input.entries.entries()) {
      const action = actions[index];
      if (action === undefined || action.kind === 'none') continue;
      if (action.kind === 'restore' && action.afterDirectories) continue;
      await mutate(entry, action);
    }
    await syncDirectories(directories, dirtyDirectories);
    await removeCreatedDirectories(directories, input.plan?.created_dirs ?? []);
    dirtyDirectories.clear();
    for (const [index, entry] of input.entries.entries()) {
      const action = actions[index];
      if (action?.kind === 'restore' && action.afterDirectories) await mutate(entry, action);
    }
    await syncDirectories(directories, dirtyDirectories);
    await verifyRestored(directories, input, actions);
    return summary;
  } catch (error) {
    if (RollbackError.isInstance(error)) throw error;
    const code = errnoCode(error);
    const path = error instanceof UnsafeDirectoryError ? error.relativePath : '';
    throw new RollbackError({
      path,
      code,
      message: `rollback: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  } finally {
    await directories.closeAll();
  }
}

function sameAsPreImage(entry: PreImage, current: EntryState): boolean {
  if (entry.type === 'missing') return current.type === 'missing';
  if (entry.type === 'symlink') return current.type === 'symlink' && current.target === entry.target;
  return current.type === 'file' && current.sha256 === entry.sha256 && current.mode === entry.mode;
}

function decide(options: {
  entry: PreImage;
  current: EntryState;
  planned: PlannedChange | undefined;
  onlyPaths: ReadonlySet<string> | undefined;
  createdDirectories: readonly string[];
}): Action {
  const { entry, current, planned } = options;
  if (sameAsPreImage(entry, current)) return { kind: 'none' };
  if (options.onlyPaths !== undefined && !options.onlyPaths.has(entry.path)) return { kind: 'none' };
  if (current.type === 'directory' && entry.type !== 'missing' && options.createdDirectories.includes(entry.path)) {
    // "delete symlink a, create a/f": the directory goes first, then the symlink comes back.
    return { kind: 'restore', conflict: false, afterDirectories: true };
  }
  if (current.type === 'directory' || current.type === 'other') {
    // Kode never puts a directory where a file was; someone else did, and their work is not ours to delete.
    if (entry.type === 'missing') return { kind: 'none' };
    throw new RollbackError({
      path: entry.path,
      message: `rollback: cannot restore ${entry.path}: it is now a ${current.type === 'directory' ? 'directory' : 'special file'}`,
    });
  }
  // The current content is Kode's if it is the planned post-image (or an unchanged pre-image with another mode).
  const isKodes =
    current.type === 'missing' ||
    (current.type === 'file' &&
      ((planned?.type === 'file' && planned.sha256 === current.sha256) ||
        (entry.type === 'file' && entry.sha256 === current.sha256)));
  const conflict = !isKodes;
  return entry.type === 'missing'
    ? { kind: 'remove', conflict }
    : { kind: 'restore', conflict, afterDirectories: false };
}

async function existingDirectory(
  directories: DirectorySet,
  relativePath: string,
): Promise<DirectoryHandle | undefined> {
  try {
    return await directories.get(relativePath);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Opens a directory, creating missing ancestors (someone deleted a directory Kode must restore a file into). */
async function ensureDirectory(directories: DirectorySet, relativePath: string): Promise<DirectoryHandle> {
  const existing = await existingDirectory(directories, relativePath);
  if (existing !== undefined) return existing;
  for (const prefix of [...ancestorsOf(`${relativePath}/x`)]) {
    if ((await existingDirectory(directories, prefix)) !== undefined) continue;
    const { directory: parent, name } = splitPath(prefix);
    const parentHandle = await directories.get(parent);
    fsStep('mkdir', prefix);
    await mkdir(parentHandle.entry(name)).catch((error: unknown) => {
      if (errnoCode(error) !== 'EEXIST') throw error;
    });
    await parentHandle.sync();
  }
  return directories.get(relativePath);
}

async function removeTemporaries(directory: DirectoryHandle, path: string, runId: string): Promise<void> {
  for (const purpose of ['apply', 'restore'] as const) {
    await removeIfPresent(directory.entry(temporaryName({ path, runId, purpose })), path);
  }
}

/** Keeps someone else's edit as `<path>.kode-conflict` (a hard link: exact bytes and mode, no copy). */
async function saveConflict(directory: DirectoryHandle, path: string): Promise<string> {
  const { name } = splitPath(path);
  for (let attempt = 1; ; attempt++) {
    const suffix = attempt === 1 ? '.kode-conflict' : `.kode-conflict-${attempt}`;
    try {
      fsStep('link', path);
      await link(directory.entry(name), directory.entry(`${name}${suffix}`));
      return `${path}${suffix}`;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
  }
}

async function syncDirectories(directories: DirectorySet, relativePaths: ReadonlySet<string>): Promise<void> {
  await mapWithLimit([...relativePaths], ioConcurrency, async (relativePath) => {
    await (await directories.get(relativePath)).sync();
  });
}

async function removeCreatedDirectories(directories: DirectorySet, created: readonly string[]): Promise<void> {
  const deepestFirst = [...created].sort((left, right) => right.split('/').length - left.split('/').length);
  for (const relativePath of deepestFirst) {
    const { directory: parent, name } = splitPath(relativePath);
    const parentHandle = await existingDirectory(directories, parent);
    if (parentHandle === undefined) continue;
    directories.forget(relativePath);
    try {
      fsStep('rmdir', relativePath);
      await rmdir(parentHandle.entry(name));
    } catch (error) {
      const code = errnoCode(error);
      // Not empty: someone else put files there; not ours to delete.
      if (code === 'ENOENT' || code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') continue;
      throw error;
    }
    await parentHandle.sync();
  }
}

async function verifyRestored(
  directories: DirectorySet,
  input: RollbackInput,
  actions: readonly Action[],
): Promise<void> {
  await mapWithLimit(input.entries, ioConcurrency, async (entry, index) => {
    if (input.onlyPaths !== undefined && actions[index]?.kind === 'none') return;
    const directory = await existingDirectory(directories, splitPath(entry.path).directory);
    const current: EntryState =
      directory === undefined ? { type: 'missing' } : await readEntry(directory.entry(splitPath(entry.path).name));
    if (entry.type === 'missing' && current.type === 'directory') return;
    if (!sameAsPreImage(entry, current)) {
      throw new RollbackError({
        path: entry.path,
        message: `rollback: ${entry.path} does not match its pre-image after restore`,
      });
    }
  });
}

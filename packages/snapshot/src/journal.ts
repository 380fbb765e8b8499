// The on-disk journal of one transaction: `<state dir>/journal/<run id>/` with `journal.json` (pre-images),
// `blobs/<sha256>` (pre-image bytes, content-addressed), `plan.json` (post-images and directories to create) and
// `state`. Durability order (SPEC §8.7): blobs fsynced, journal file fsynced, directory fsynced, then plan and the
// `applying` state. Without a `state` file nothing was touched.
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errnoCode } from './errors.js';
import type { FsStep } from './fault.js';
import { fsStep } from './fault.js';
import { mapWithLimit } from './hash.js';

const noFollow = constants.O_NOFOLLOW ?? 0;
export const ioConcurrency = 8;

export type PreImage =
  | { readonly path: string; readonly type: 'missing' }
  | {
      readonly path: string;
      readonly type: 'file';
      readonly mode: number;
      readonly size: number;
      readonly sha256: string;
    }
  | { readonly path: string; readonly type: 'symlink'; readonly target: string };

export interface JournalOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly boot_id: string | null;
  readonly process_start_time: number | null;
}

export interface JournalHeader {
  readonly v: 1;
  readonly run_id: string;
  readonly command: string;
  readonly started_at: string;
  readonly project_root: string;
  readonly owner: JournalOwner;
  readonly entries: readonly PreImage[];
}

/** Post-image of one path. `mode: null` = a new file keeping the kernel's 0666-minus-umask. */
export type PlannedChange =
  | { readonly path: string; readonly type: 'file'; readonly sha256: string; readonly mode: number | null }
  | { readonly path: string; readonly type: 'missing' };

export interface JournalPlan {
  readonly v: 1;
  readonly changes: readonly PlannedChange[];
  /** Directories Kode creates, parents first. Rollback removes them deepest first, only when empty. */
  readonly created_dirs: readonly string[];
}

export type JournalState =
  | { readonly state: 'applying' }
  | {
      readonly state: 'testing';
      readonly process_group_id: number;
      readonly process_group_start_time: number | null;
      readonly marked_at: number;
    }
  | { readonly state: 'committed' }
  | { readonly state: 'rolled_back'; readonly reason?: string };

export interface JournalPaths {
  readonly directory: string;
  readonly journalFile: string;
  readonly planFile: string;
  readonly stateFile: string;
  readonly blobsDirectory: string;
}

export function journalRoot(stateDir: string): string {
  return join(stateDir, 'journal');
}

export function journalPaths(stateDir: string, runId: string): JournalPaths {
  const directory = join(journalRoot(stateDir), runId);
  return {
    directory,
    journalFile: join(directory, 'journal.json'),
    planFile: join(directory, 'plan.json'),
    stateFile: join(directory, 'state'),
    blobsDirectory: join(directory, 'blobs'),
  };
}

export async function fsyncDirectory(path: string, step: FsStep): Promise<void> {
  if (process.platform === 'win32') return;
  fsStep(step, path);
  const handle = await open(path, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeDurably(options: {
  path: string;
  content: Uint8Array | string;
  exclusive: boolean;
  writeStep: FsStep;
  syncStep: FsStep;
}): Promise<void> {
  fsStep(options.writeStep, options.path);
  const flags =
    constants.O_WRONLY | constants.O_CREAT | noFollow | (options.exclusive ? constants.O_EXCL : constants.O_TRUNC);
  const handle = await open(options.path, flags, 0o600);
  try {
    await handle.writeFile(options.content);
    fsStep(options.syncStep, options.path);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes pre-image blobs into the journal, each fsynced; the caller fsyncs their directory once at the end. */
export async function writeBlobs(
  paths: JournalPaths,
  blobs: ReadonlyMap<string, Uint8Array>,
  options: { readonly syncDirectory: boolean },
): Promise<void> {
  await mkdir(paths.blobsDirectory, { recursive: true, mode: 0o700 });
  await mapWithLimit([...blobs], ioConcurrency, async ([sha256, content]) => {
    await writeDurably({
      path: join(paths.blobsDirectory, sha256),
      content,
      exclusive: true,
      writeStep: 'backup-write',
      syncStep: 'backup-fsync',
    });
  });
  if (options.syncDirectory) await fsyncDirectory(paths.blobsDirectory, 'state-dir-fsync');
}

export async function writeHeader(paths: JournalPaths, header: JournalHeader): Promise<void> {
  await writeDurably({
    path: paths.journalFile,
    content: JSON.stringify(header),
    exclusive: true,
    writeStep: 'journal-write',
    syncStep: 'journal-fsync',
  });
  await fsyncDirectory(paths.directory, 'state-dir-fsync');
  // The run's directory entry itself must survive a power cut too.
  await fsyncDirectory(dirname(paths.directory), 'state-dir-fsync');
}

export async function writePlan(paths: JournalPaths, plan: JournalPlan): Promise<void> {
  await writeDurably({
    path: paths.planFile,
    content: JSON.stringify(plan),
    exclusive: false,
    writeStep: 'journal-write',
    syncStep: 'journal-fsync',
  });
}

/** Replaces the state atomically (temp + fsync + rename + directory fsync). */
export async function writeState(paths: JournalPaths, state: JournalState): Promise<void> {
  const temporary = `${paths.stateFile}.tmp`;
  await writeDurably({
    path: temporary,
    content: JSON.stringify(state),
    exclusive: false,
    writeStep: 'state-write',
    syncStep: 'journal-fsync',
  });
  fsStep('state-write', paths.stateFile);
  await rename(temporary, paths.stateFile);
  await fsyncDirectory(paths.directory, 'state-dir-fsync');
}

/**
 * Deletes a finished journal. It is first renamed out of the way (one atomic step), so a crash mid-delete leaves a
 * `.<run id>.deleted` directory that recovery just removes, never a half-deleted journal.
 */
export async function removeJournal(paths: JournalPaths): Promise<void> {
  const parent = dirname(paths.directory);
  const runId = paths.directory.slice(parent.length + 1);
  const trash = join(parent, `.${runId}.deleted`);
  try {
    await rename(paths.directory, trash);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  await fsyncDirectory(parent, 'state-dir-fsync');
  await rm(trash, { recursive: true, force: true });
}

export type StateRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'corrupt'; readonly reason: string }
  | { readonly kind: 'ok'; readonly state: JournalState };

export async function readState(paths: JournalPaths): Promise<StateRead> {
  let text: string;
  try {
    const stats = await lstat(paths.stateFile);
    if (!stats.isFile()) return { kind: 'corrupt', reason: 'the state file is not a regular file' };
    text = await readFile(paths.stateFile, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { kind: 'none' };
    throw error;
  }
  const parsed = parseJson(text);
  if (!isRecord(parsed)) return { kind: 'corrupt', reason: 'the state file is not a JSON object' };
  switch (parsed.state) {
    case 'applying':
    case 'committed':
    case 'rolled_back':
      return { kind: 'ok', state: { state: parsed.state } };
    case 'testing': {
      const groupId = parsed.process_group_id;
      const startTime = parsed.process_group_start_time;
      const markedAt = parsed.marked_at;
      if (
        !isPositiveInteger(groupId) ||
        typeof markedAt !== 'number' ||
        !(startTime === null || typeof startTime === 'number')
      ) {
        return { kind: 'corrupt', reason: 'the testing state has no valid process group' };
      }
      return {
        kind: 'ok',
        state: {
          state: 'testing',
          process_group_id: groupId,
          process_group_start_time: startTime,
          marked_at: markedAt,
        },
      };
    }
    default:
      return { kind: 'corrupt', reason: `unknown journal state ${JSON.stringify(parsed.state)}` };
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

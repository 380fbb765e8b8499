// The transaction API (SPEC §8.7, §13): begin journals pre-images durably, apply writes atomically file by file,
// markTesting records the test process group, commit or rollback finish and delete the journal.
import { mkdir, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import type { FileChange } from './apply-changes.js';
import { executePlan, planChanges } from './apply-changes.js';
import { capturePreImage } from './capture.js';
import { DirectorySet } from './directory-handle.js';
import type { RollbackSummary } from './errors.js';
import { ApplyError, TransactionStateError, errnoCode } from './errors.js';
import { faultPoint } from './fault.js';
import { mapWithLimit } from './hash.js';
import type { JournalHeader, JournalPaths, JournalPlan, PreImage } from './journal.js';
import {
  ioConcurrency,
  journalPaths,
  removeJournal,
  writeBlobs,
  writeHeader,
  writePlan,
  writeState,
} from './journal.js';
import { checkPathSyntax } from './path-names.js';
import { currentProcessIdentity, processStartTime } from './process-identity.js';
import { rollbackEntries } from './rollback.js';
import { transactionStateDir } from './state-dir.js';

export interface Transaction {
  readonly runId: string;
  readonly files: readonly string[];
  apply(changes: readonly FileChange[]): Promise<void>;
  markTesting(info: { processGroupId: number }): Promise<void>;
  commit(): Promise<void>;
  rollback(reason: string): Promise<RollbackSummary>;
}

export interface BeginTransactionOptions {
  readonly projectRoot: string;
  /** Unique per run (a ULID); names the journal directory. */
  readonly runId: string;
  /** Every path the transaction may touch, renames' sources included. */
  readonly files: readonly string[];
  /** Recorded for `kode recover` reports (default `unknown`). */
  readonly command?: string;
  /** Extra protected globs to refuse (the gate already applies `engine.protected_paths`). */
  readonly protectedPaths?: readonly string[];
}

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/u;

export function isValidRunId(runId: string): boolean {
  return runIdPattern.test(runId) && !runId.endsWith('.rejected') && !runId.endsWith('.deleted');
}

export async function beginTransaction(options: BeginTransactionOptions): Promise<Transaction> {
  if (!isValidRunId(options.runId)) throw new TransactionStateError(`invalid run id ${JSON.stringify(options.runId)}`);
  const files = [...new Set(options.files)];
  const protectedMatcher =
    options.protectedPaths === undefined || options.protectedPaths.length === 0
      ? undefined
      : picomatch([...options.protectedPaths], { dot: true, nocase: true });
  for (const path of files) {
    const problem =
      checkPathSyntax(path) ??
      (protectedMatcher?.(path) === true ? `${JSON.stringify(path)} is a protected path` : undefined);
    if (problem !== undefined)
      throw new ApplyError({ kind: 'unsafe-path', path, message: `apply: unsafe path (${problem})` });
  }
  const realRoot = await realpath(options.projectRoot);
  const stateDir = await transactionStateDir(realRoot);
  const paths = journalPaths(stateDir, options.runId);
  await mkdir(join(stateDir, 'journal'), { recursive: true, mode: 0o700 });
  try {
    await mkdir(paths.directory, { mode: 0o700 });
  } catch (error) {
    if (errnoCode(error) === 'EEXIST')
      throw new TransactionStateError(`a journal for run ${options.runId} already exists`);
    throw error;
  }

  try {
    const preImages = await journalPreImages({ realRoot, files, paths });
    faultPoint('after-backups');
    const self = currentProcessIdentity();
    const header: JournalHeader = {
      v: 1,
      run_id: options.runId,
      command: options.command ?? 'unknown',
      started_at: new Date().toISOString(),
      project_root: realRoot,
      owner: {
        pid: self.pid,
        hostname: self.hostname,
        boot_id: self.bootId ?? null,
        process_start_time: self.processStartTime ?? null,
      },
      entries: preImages,
    };
    await writeHeader(paths, header);
    faultPoint('after-journal-fsync');
    return new FileTransaction({ runId: options.runId, realRoot, paths, preImages });
  } catch (error) {
    // Nothing in the working tree was touched yet; free the space the partial backups took (ENOSPC).
    await rm(paths.directory, { recursive: true, force: true }).catch(() => undefined);
    if (ApplyError.isInstance(error)) throw error;
    throw ApplyError.fromFilesystem(error, (error as { kodePath?: string }).kodePath ?? '.');
  }
}

/** Captures and backs up every pre-image with bounded memory: each blob is written as soon as it is read. */
async function journalPreImages(options: {
  realRoot: string;
  files: readonly string[];
  paths: JournalPaths;
}): Promise<PreImage[]> {
  const directories = new DirectorySet(options.realRoot);
  const fileSet = new Set(options.files);
  const written = new Set<string>();
  try {
    const captured = await mapWithLimit(options.files, ioConcurrency, async (path) => {
      try {
        const { preImage, content } = await capturePreImage({
          realRoot: options.realRoot,
          path,
          files: fileSet,
          directories,
        });
        if (preImage.type === 'file' && content !== undefined && !written.has(preImage.sha256)) {
          written.add(preImage.sha256);
          await writeBlobs(options.paths, new Map([[preImage.sha256, content]]), { syncDirectory: false });
        }
        return preImage;
      } catch (error) {
        if (typeof error === 'object' && error !== null) Object.assign(error, { kodePath: path });
        throw error;
      }
    });
    await writeBlobs(options.paths, new Map(), { syncDirectory: true });
    return captured;
  } finally {
    await directories.closeAll();
  }
}

type Phase = 'begun' | 'applying' | 'applied' | 'testing' | 'committed' | 'rolled-back';

class FileTransaction implements Transaction {
  readonly runId: string;
  readonly files: readonly string[];
  readonly #realRoot: string;
  readonly #paths: JournalPaths;
  readonly #preImages: ReadonlyMap<string, PreImage>;
  readonly #entries: readonly PreImage[];
  readonly #touched = new Set<string>();
  #plan: JournalPlan | undefined;
  #phase: Phase = 'begun';
  #rollback: Promise<RollbackSummary> | undefined;

  constructor(options: { runId: string; realRoot: string; paths: JournalPaths; preImages: readonly PreImage[] }) {
    this.runId = options.runId;
    this.#realRoot = options.realRoot;
    this.#paths = options.paths;
    this.#entries = options.preImages;
    this.#preImages = new Map(options.preImages.map((entry) => [entry.path, entry]));
    this.files = options.preImages.map((entry) => entry.path);
  }

  async apply(changes: readonly FileChange[]): Promise<void> {
    if (this.#phase !== 'begun')
      throw new TransactionStateError(`apply() called in phase ${this.#phase}; call it once, after begin`);
    this.#phase = 'applying';
    try {
      const plan = await planChanges({ realRoot: this.#realRoot, changes, preImages: this.#preImages });
      this.#plan = plan.journalPlan;
      await writePlan(this.#paths, plan.journalPlan);
      await writeState(this.#paths, { state: 'applying' });
      faultPoint('after-applying');
      await executePlan({
        realRoot: this.#realRoot,
        runId: this.runId,
        plan,
        preImages: this.#preImages,
        touched: this.#touched,
      });
      this.#phase = 'applied';
    } catch (caught) {
      const error = ApplyError.isInstance(caught) ? caught : ApplyError.fromFilesystem(caught, '.');
      try {
        error.rollback = await this.rollback(error.message);
      } catch (rollbackError) {
        error.rollbackError = rollbackError;
      }
      throw error;
    }
  }

  async markTesting(info: { processGroupId: number }): Promise<void> {
    if (this.#phase !== 'applied' && this.#phase !== 'testing') {
      throw new TransactionStateError(`markTesting() called in phase ${this.#phase}; call it after apply`);
    }
    faultPoint('before-testing');
    await writeState(this.#paths, {
      state: 'testing',
      process_group_id: info.processGroupId,
      process_group_start_time: processStartTime(info.processGroupId) ?? null,
      marked_at: Date.now(),
    });
    this.#phase = 'testing';
    faultPoint('after-testing');
  }

  async commit(): Promise<void> {
    if (this.#phase === 'committed') return;
    if (this.#phase !== 'begun' && this.#phase !== 'applied' && this.#phase !== 'testing') {
      throw new TransactionStateError(`commit() called in phase ${this.#phase}`);
    }
    if (this.#phase !== 'begun') await writeState(this.#paths, { state: 'committed' });
    this.#phase = 'committed';
    await removeJournal(this.#paths);
  }

  rollback(reason: string): Promise<RollbackSummary> {
    if (this.#phase === 'committed') return Promise.reject(new TransactionStateError('rollback() after commit()'));
    // A signal handler and the main flow may both decide to roll back; they share one rollback.
    this.#rollback ??= this.#rollbackOnce(reason).catch((error: unknown) => {
      // A failed rollback may be retried (the journal is still there).
      this.#rollback = undefined;
      throw error;
    });
    return this.#rollback;
  }

  async #rollbackOnce(reason: string): Promise<RollbackSummary> {
    let result: RollbackSummary = { restored: [], removed: [], conflicts: [] };
    if (this.#plan !== undefined) {
      result = await rollbackEntries({
        realRoot: this.#realRoot,
        runId: this.runId,
        entries: this.#entries,
        plan: this.#plan,
        readBlob: (sha256) => readFile(join(this.#paths.blobsDirectory, sha256)),
        onlyPaths: this.#touched,
        faultPoint: 'during-rollback',
      });
      await writeState(this.#paths, { state: 'rolled_back', reason });
    }
    await removeJournal(this.#paths);
    this.#phase = 'rolled-back';
    return result;
  }
}

export interface ApplyTransactionOptions {
  readonly projectRoot: string;
  readonly runId: string;
  readonly changes: readonly FileChange[];
  readonly command?: string;
  readonly protectedPaths?: readonly string[];
}

/** begin + apply. On failure the transaction is already rolled back and the ApplyError says how. */
export async function applyTransaction(options: ApplyTransactionOptions): Promise<Transaction> {
  const files = options.changes.flatMap((change) =>
    change.renamedFrom === undefined ? [change.path] : [change.renamedFrom, change.path],
  );
  const transaction = await beginTransaction({
    projectRoot: options.projectRoot,
    runId: options.runId,
    files,
    ...(options.command === undefined ? {} : { command: options.command }),
    ...(options.protectedPaths === undefined ? {} : { protectedPaths: options.protectedPaths }),
  });
  await transaction.apply(options.changes);
  return transaction;
}

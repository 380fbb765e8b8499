// Crash recovery (SPEC §8.8, the SQLite hot-journal rule): every journal left in the transaction state dir is
// discarded, deleted, left alone (live owner) or validated and rolled back. Call it while holding the run lock.
import { readdir, readFile, realpath, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { RollbackError, errnoCode } from './errors.js';
import type { JournalHeader, JournalPaths, JournalState } from './journal.js';
import { isRecord, journalPaths, journalRoot, parseJson, readState, removeJournal, writeState } from './journal.js';
import { loadJournal } from './journal-validation.js';
import { ownerStatus, processGroupMembers } from './process-identity.js';
import { rollbackEntries } from './rollback.js';
import { transactionStateDir } from './state-dir.js';
import { isValidRunId } from './transaction.js';

export interface RecoveredRun {
  readonly run_id: string;
  readonly command: string;
  readonly started_at: string;
  readonly state: 'applying' | 'testing';
  readonly restored: string[];
  readonly removed: string[];
  readonly conflicts: { path: string; saved_as: string }[];
  /** The orphaned test process group that was killed first, if any. */
  readonly killed_process_group: number | null;
}

export interface RejectedJournal {
  /** Where the journal now is (renamed `*.rejected`, unless dry run). */
  readonly journal: string;
  readonly reason: string;
}

/** A journal whose owner is still running (or runs on another host): left alone; `kode recover` exits 2. */
export interface ActiveRun {
  readonly run_id: string;
  readonly pid: number;
  readonly hostname: string;
  readonly command: string;
  readonly started_at: string;
}

export interface FailedRecovery {
  readonly run_id: string;
  readonly error: string;
}

export interface RecoveryReport {
  readonly recovered: RecoveredRun[];
  readonly rejected: RejectedJournal[];
  readonly active: ActiveRun[];
  /** Restores that failed; the journal is kept for the next attempt. */
  readonly failed: FailedRecovery[];
  /** Journals removed without restoring anything (never reached `applying`, or already finished). */
  readonly discarded: string[];
}

// /proc start times are exact to 10 ms, but btime is whole seconds; allow for both.
const startTimeToleranceMs = 2000;

export async function recoverInterrupted(options: { projectRoot: string; dryRun?: boolean }): Promise<RecoveryReport> {
  const dryRun = options.dryRun === true;
  const realRoot = await realpath(options.projectRoot);
  const stateDir = await transactionStateDir(realRoot);
  const report: RecoveryReport = { recovered: [], rejected: [], active: [], failed: [], discarded: [] };
  let names;
  try {
    names = await readdir(journalRoot(stateDir), { withFileTypes: true });
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return report;
    throw error;
  }
  for (const dirent of names.sort((left, right) => left.name.localeCompare(right.name))) {
    const name = dirent.name;
    const paths = journalPaths(stateDir, name);
    if (name.startsWith('.') && name.endsWith('.deleted')) {
      if (!dryRun) await rm(paths.directory, { recursive: true, force: true });
      continue;
    }
    if (name.endsWith('.rejected') || name.endsWith('.tmp')) continue;
    const reject = async (reason: string): Promise<void> => {
      report.rejected.push({ journal: dryRun ? paths.directory : await renameRejected(paths.directory), reason });
    };
    if (dirent.isSymbolicLink()) {
      await reject('the journal directory is a symlink');
      continue;
    }
    if (!dirent.isDirectory() || !isValidRunId(name)) {
      await reject('not a journal directory');
      continue;
    }
    await recoverOne({ paths, runId: name, realRoot, dryRun, report, reject });
  }
  return report;
}

/**
 * Run ids of interrupted transactions waiting for recovery in this project (SPEC §3.0: read-only commands print a
 * notice and continue). Cheap and read-only: it lists the journals and reads their state and owner, nothing more; a
 * journal of a still-running owner, or of another project, is not listed. Never throws.
 */
export async function findInterruptedRuns(projectRoot: string): Promise<string[]> {
  try {
    const realRoot = await realpath(projectRoot);
    const stateDir = await transactionStateDir(realRoot);
    const names = await readdir(journalRoot(stateDir)).catch(() => [] as string[]);
    const found: string[] = [];
    for (const name of names.filter(isValidRunId).sort()) {
      const paths = journalPaths(stateDir, name);
      const stateRead = await readState(paths);
      if (stateRead.kind === 'none') continue; // never reached `applying`: nothing was touched
      if (stateRead.kind === 'ok' && stateRead.state.state !== 'applying' && stateRead.state.state !== 'testing')
        continue;
      const owner = await readOwnerLoosely(paths);
      if (owner !== undefined && owner.project_root !== realRoot) continue;
      if (owner !== undefined && ownerStatus(ownerIdentity(owner)) !== 'dead') continue;
      found.push(name);
    }
    return found;
  } catch {
    return [];
  }
}

async function recoverOne(options: {
  paths: JournalPaths;
  runId: string;
  realRoot: string;
  dryRun: boolean;
  report: RecoveryReport;
  reject: (reason: string) => Promise<void>;
}): Promise<void> {
  const { paths, runId, report, dryRun } = options;
  const stateRead = await readState(paths);
  if (stateRead.kind === 'corrupt') return options.reject(stateRead.reason);
  if (stateRead.kind === 'none' || stateRead.state.state === 'committed' || stateRead.state.state === 'rolled_back') {
    if (stateRead.kind === 'none') {
      // Not yet applying: nothing was touched, unless its owner is still on its way there.
      const owner = await readOwnerLoosely(paths);
      if (owner !== undefined && owner.project_root !== options.realRoot) return;
      if (owner !== undefined && ownerStatus(ownerIdentity(owner)) !== 'dead') {
        report.active.push(activeRun(runId, owner));
        return;
      }
    }
    if (!dryRun) await removeJournal(paths);
    report.discarded.push(runId);
    return;
  }
  const state = stateRead.state;
  const loaded = await loadJournal({ paths, runId, realRoot: options.realRoot });
  if (loaded.kind === 'other-project') return;
  if (loaded.kind === 'invalid') return options.reject(loaded.reason);
  const { header, plan } = loaded;
  const status = ownerStatus(ownerIdentity(header));
  if (status !== 'dead') {
    report.active.push(activeRun(runId, header));
    return;
  }
  const killed = state.state === 'testing' && !dryRun ? await killTestProcessGroup(state, header) : null;
  try {
    const summary = await rollbackEntries({
      realRoot: options.realRoot,
      runId,
      entries: header.entries,
      plan,
      readBlob: (sha256) => readFile(join(paths.blobsDirectory, sha256)),
      faultPoint: 'during-recovery',
      dryRun,
    });
    if (!dryRun) {
      await writeState(paths, { state: 'rolled_back', reason: 'recovered after an interrupted run' });
      await removeJournal(paths);
    }
    report.recovered.push({
      run_id: runId,
      command: header.command,
      started_at: header.started_at,
      state: state.state === 'testing' ? 'testing' : 'applying',
      restored: summary.restored,
      removed: summary.removed,
      conflicts: summary.conflicts.map((conflict) => ({ path: conflict.path, saved_as: conflict.savedAs })),
      killed_process_group: killed,
    });
  } catch (error) {
    if (!RollbackError.isInstance(error)) throw error;
    report.failed.push({ run_id: runId, error: error.message });
  }
}

interface LooseHeader {
  readonly command: string;
  readonly started_at: string;
  readonly project_root: string;
  readonly owner: { pid: number; hostname: string; boot_id: string | null; process_start_time: number | null };
}

/** Owner of a journal that never reached `applying` (its header may be torn: then there is no owner to wait for). */
async function readOwnerLoosely(paths: JournalPaths): Promise<LooseHeader | undefined> {
  const value = parseJson(await readFile(paths.journalFile, 'utf8').catch(() => ''));
  if (!isRecord(value) || !isRecord(value.owner)) return undefined;
  const owner = value.owner;
  if (typeof owner.pid !== 'number' || typeof owner.hostname !== 'string') return undefined;
  return {
    command: typeof value.command === 'string' ? value.command : 'unknown',
    started_at: typeof value.started_at === 'string' ? value.started_at : '',
    project_root: typeof value.project_root === 'string' ? value.project_root : '',
    owner: {
      pid: owner.pid,
      hostname: owner.hostname,
      boot_id: typeof owner.boot_id === 'string' ? owner.boot_id : null,
      process_start_time: typeof owner.process_start_time === 'number' ? owner.process_start_time : null,
    },
  };
}

function ownerIdentity(header: Pick<JournalHeader, 'owner'>): Parameters<typeof ownerStatus>[0] {
  return {
    pid: header.owner.pid,
    hostname: header.owner.hostname,
    bootId: header.owner.boot_id ?? undefined,
    processStartTime: header.owner.process_start_time ?? undefined,
  };
}

function activeRun(runId: string, header: Pick<JournalHeader, 'owner' | 'command' | 'started_at'>): ActiveRun {
  return {
    run_id: runId,
    pid: header.owner.pid,
    hostname: header.owner.hostname,
    command: header.command,
    started_at: header.started_at,
  };
}

async function renameRejected(directory: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const target = attempt === 1 ? `${directory}.rejected` : `${directory}.${attempt}.rejected`;
    try {
      await rename(directory, target);
      return target;
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
    }
  }
}

/**
 * An orphaned test runner from a SIGKILLed Kode can keep writing files after rollback, so its group dies first.
 * The group is ours if its leader is the recorded process (same start time); if the leader has exited, the pgid
 * cannot have been reused while members remain, so the members are ours too.
 */
async function killTestProcessGroup(
  state: Extract<JournalState, { state: 'testing' }>,
  header: JournalHeader,
): Promise<number | null> {
  const groupId = state.process_group_id;
  const members = processGroupMembers(groupId);
  if (members.length === 0) return null;
  const leader = members.find((member) => member.pid === groupId);
  if (leader?.startTime !== undefined) {
    const journalStart = Date.parse(header.started_at);
    const matches =
      state.process_group_start_time !== null
        ? leader.startTime === state.process_group_start_time
        : leader.startTime >= journalStart - startTimeToleranceMs &&
          leader.startTime <= state.marked_at + startTimeToleranceMs;
    if (!matches) return null;
  }
  try {
    process.kill(-groupId, 'SIGKILL');
  } catch (error) {
    if (errnoCode(error) === 'ESRCH') return null;
    throw error;
  }
  for (let waited = 0; waited < 5000 && processGroupMembers(groupId).length > 0; waited += 20) {
    await delay(20);
  }
  return groupId;
}

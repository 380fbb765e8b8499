// Recovery before a writing run (§8.8): an interrupted transaction is finished (rolled back) before this run takes
// the lock, reported through `recovery-end` events, and recorded as a `recover` audit entry.
import type { AuditEntryInput } from '@kode/audit-log';
import { recoverInterrupted } from '@kode/snapshot';
import type { RecoveredRun } from '@kode/snapshot';
import { ulid } from 'ulid';
import type { RunState } from './run-state.js';
import { appendRunEntry } from './run-state.js';

/** The audit entry of one recovered run (§6.2 `recovered`). */
export function recoveryAuditEntry(run: RecoveredRun, now: Date = new Date()): AuditEntryInput {
  return {
    timestamp: now.toISOString(),
    run_id: ulid(),
    command: 'recover',
    task_id: 'recover',
    status: 'PASS',
    rounds_used: 0,
    duration_ms: 0,
    cost_usd: 0,
    tokens: { input: 0, output: 0 },
    recovered: { run_id: run.run_id, restored: run.restored, removed: run.removed, conflicts: run.conflicts },
  };
}

export async function recoverBeforeRun(options: {
  projectRoot: string;
  state: RunState;
  logFile: string | undefined;
}): Promise<void> {
  const report = await recoverInterrupted({ projectRoot: options.projectRoot });
  for (const run of report.recovered) {
    options.state.emit('recovery-end', {
      recovered_run_id: run.run_id,
      files: [...run.restored, ...run.removed],
      conflicts: run.conflicts,
    });
    if (options.logFile === undefined) continue;
    await appendRunEntry({
      projectRoot: options.projectRoot,
      logFile: options.logFile,
      entry: recoveryAuditEntry(run),
      knownSecrets: options.state.knownSecrets,
    }).catch(() => undefined);
  }
}

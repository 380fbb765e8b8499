// `kode recover` (§3.16, §8.8): completes interrupted transactions under the run lock and records each
// recovery in the audit log. Human lines go to stderr; `--json` prints the report on stdout.
import { dirname, join } from 'node:path';
import { appendAuditEntry } from '@kode/audit-log';
import {
  ForeignLockError,
  LockHeldError,
  acquireRunLock,
  recoverInterrupted,
  transactionStateDir,
} from '@kode/snapshot';
import type { RecoveredRun, RecoveryReport } from '@kode/snapshot';
import { ulid } from 'ulid';
import { loadProjectConfig, resolveLogFile } from '../context.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';

export interface RecoverOptions {
  readonly dryRun: boolean;
  readonly json: boolean;
}

function describeRun(run: RecoveredRun, dryRun: boolean): string {
  const verb = dryRun ? 'would recover' : 'recovered';
  const restored = `${dryRun ? 'restore' : 'restored'} ${run.restored.length} file(s)`;
  const removed = `${dryRun ? 'remove' : 'removed'} ${run.removed.length} created file(s)`;
  return `${verb} ${run.run_id.slice(0, 8)}… (${run.command}, started ${run.started_at}): ${restored}, ${removed}`;
}

async function recordRecoveries(context: CommandContext, projectRoot: string, report: RecoveryReport): Promise<void> {
  const logFile = resolveLogFile(context, projectRoot);
  const anchorFile = join(await transactionStateDir(projectRoot), 'audit-head.json');
  for (const run of report.recovered) {
    const started = Date.now();
    try {
      await appendAuditEntry({
        logDir: dirname(logFile),
        anchorFile,
        entry: {
          timestamp: new Date(started).toISOString(),
          run_id: ulid(),
          command: 'recover',
          task_id: 'recover',
          status: 'PASS',
          rounds_used: 0,
          duration_ms: 0,
          cost_usd: 0,
          tokens: { input: 0, output: 0 },
          recovered: {
            run_id: run.run_id,
            restored: run.restored,
            removed: run.removed,
            conflicts: run.conflicts,
          },
        },
      });
    } catch (error) {
      // The tree is already restored; a log that cannot be written must not turn that into a failure.
      context.output.notice(`could not record the recovery in the audit log: ${(error as Error).message}`);
    }
  }
}

export async function runRecover(context: CommandContext, options: RecoverOptions): Promise<number> {
  const { projectRoot } = await loadProjectConfig(context, {}, { interruptedRunNotice: false });
  const { output } = context;
  let lock: { release(): Promise<void> } | undefined;
  if (!options.dryRun) {
    try {
      lock = await acquireRunLock({ projectRoot, runId: ulid(), command: 'recover' });
    } catch (error) {
      if (LockHeldError.isInstance(error) || ForeignLockError.isInstance(error)) {
        throw new CliError({ message: error.message, exitCode: EXIT.usage });
      }
      throw error;
    }
  }
  let report: RecoveryReport;
  try {
    report = await recoverInterrupted({ projectRoot, dryRun: options.dryRun });
    if (!options.dryRun) await recordRecoveries(context, projectRoot, report);
  } finally {
    await lock?.release();
  }
  if (options.json) {
    output.json(report);
  } else {
    if (report.recovered.length === 0 && report.rejected.length === 0 && report.active.length === 0) {
      if (report.failed.length === 0) output.success('nothing to recover');
    }
    for (const run of report.recovered) {
      output.success(describeRun(run, options.dryRun));
      for (const conflict of run.conflicts) {
        output.notice(`${conflict.path} was edited after kode wrote it: kept your version as ${conflict.saved_as}`);
      }
    }
    for (const rejected of report.rejected) output.failure(`rejected journal ${rejected.journal}: ${rejected.reason}`);
    for (const failed of report.failed) output.failure(`could not recover ${failed.run_id}: ${failed.error}`);
  }
  for (const active of report.active) {
    output.error(
      `the run that owns journal ${active.run_id} is still active (pid ${active.pid} on host ${active.hostname}, ${active.command}, started ${active.started_at}): wait for it to finish`,
    );
  }
  if (report.rejected.length > 0 || report.failed.length > 0) return EXIT.fail;
  if (report.active.length > 0) return EXIT.usage;
  return EXIT.ok;
}

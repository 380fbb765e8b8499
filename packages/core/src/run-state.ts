// Per-run bookkeeping shared by generate, run and loop: ids, events (§2.6), token/cost totals, secret redaction,
// and the summary, loop result and audit entry built from one place so the three stay in step (§2.4, §3.5, §6.2).
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { appendAuditEntry, redactSecretsBasic } from '@kode/audit-log';
import type { AuditEntryInput } from '@kode/audit-log';
import { redactKnownSecrets } from '@kode/gate';
import type { Verdict } from '@kode/gate';
import type { LanguageModel } from '@kode/providers';
import { transactionStateDir } from '@kode/snapshot';
import { ulid } from 'ulid';
import type { ModelUsage } from './model-call.js';
import { round6 } from './model-call.js';
import type { RoundsOutcome } from './rounds.js';
import type {
  ErrorKind,
  ExecutionSummary,
  KodeEvent,
  LoopResult,
  RunOptions,
  SummaryStatus,
  TestRecord,
} from './types.js';

export interface RunState {
  readonly runId: string;
  readonly started: Date;
  readonly command: string;
  readonly task: string;
  readonly taskId: string;
  readonly modelLabel: string;
  readonly usage: ModelUsage;
  readonly knownSecrets: readonly string[];
  readonly emit: (type: string, fields: Record<string, unknown>) => void;
}

/** `task-` + the first 8 hex characters of SHA-256 of the task text (§2.4). */
export function taskIdOf(task: string): string {
  return `task-${createHash('sha256').update(task).digest('hex').slice(0, 8)}`;
}

export function modelLabel(model: LanguageModel): string {
  // A replay model's id is the recording's absolute path; its file name is what identifies it to a reader.
  if (model.provider === 'replay') return `replay/${basename(model.modelId)}`;
  return model.modelId.startsWith(`${model.provider}/`) ? model.modelId : `${model.provider}/${model.modelId}`;
}

export function createRunState(options: {
  run: RunOptions;
  command: string;
  knownSecrets: readonly string[];
}): RunState {
  const runId = options.run.runId ?? ulid();
  const { onEvent } = options.run;
  return {
    runId,
    started: new Date(),
    command: options.command,
    task: options.run.task,
    taskId: taskIdOf(options.run.task),
    modelLabel: modelLabel(options.run.model),
    usage: { input: 0, output: 0, costUsd: 0 },
    knownSecrets: options.knownSecrets,
    emit: (type, fields) => {
      if (onEvent === undefined) return;
      const event: KodeEvent = { v: 1, type, ts: new Date().toISOString(), run_id: runId, ...fields };
      onEvent(event);
    },
  };
}

export function elapsedMs(state: RunState): number {
  return Date.now() - state.started.getTime();
}

const EMPTY_VERDICT: Verdict = { diff_id: '', overall: 'FAIL', results: [] };

export interface SummaryParts {
  readonly status: SummaryStatus;
  readonly rounds: RoundsOutcome | undefined;
  readonly written: boolean;
  readonly extraFailures?: Readonly<Record<string, string>>;
  readonly error?: { kind: ErrorKind; message: string };
}

/** §2.4 in field order. */
export function buildSummary(state: RunState, parts: SummaryParts): ExecutionSummary {
  const outcome = parts.rounds;
  const mask = (text: string) => redactKnownSecrets(text, state.knownSecrets);
  const failed = Object.fromEntries(
    Object.entries({ ...(outcome?.failed ?? {}), ...(parts.extraFailures ?? {}) }).map(([key, value]) => [
      key,
      mask(value),
    ]),
  );
  return {
    run_id: state.runId,
    task_id: state.taskId,
    command: state.command,
    status: parts.status,
    task: mask(state.task),
    model: state.modelLabel,
    rounds_used: outcome?.rounds ?? 0,
    applied_hunks: [...(outcome?.passed ?? [])],
    failed_hunks: failed,
    warnings: (outcome?.warnings ?? []).map(mask),
    files: [...(outcome?.result?.files ?? [])],
    written: parts.written,
    verdict: outcome?.result?.verdict ?? EMPTY_VERDICT,
    tokens: { input: state.usage.input, output: state.usage.output },
    cost_usd: round6(state.usage.costUsd),
    duration_ms: elapsedMs(state),
    ...(parts.error === undefined ? {} : { error: { kind: parts.error.kind, message: mask(parts.error.message) } }),
  };
}

export interface LoopParts {
  readonly hunksApplied: number;
  readonly testCommand: string | null;
  readonly test: TestRecord | null;
  readonly testError?: string;
  readonly rolledBack: boolean;
  readonly byproducts: readonly string[];
}

/** §3.5: the summary plus the test stage, durations recomputed at the end. */
export function buildLoopResult(summary: ExecutionSummary, loop: LoopParts): LoopResult {
  return {
    ...summary,
    hunks_applied: loop.hunksApplied,
    test_command: loop.testCommand,
    test: loop.test,
    ...(loop.testError === undefined ? {} : { test_error: loop.testError }),
    rolled_back: loop.rolledBack,
    test_byproducts: [...loop.byproducts],
    duration_seconds: Math.round(summary.duration_ms) / 1000,
  };
}

/** Exit code of a summary (§3.0): PASS 0, FAIL 1, INTERRUPTED 130; ERROR 2 for input/config/lock, else 3. */
export function exitCodeOf(summary: Pick<ExecutionSummary, 'status' | 'error'>): number {
  switch (summary.status) {
    case 'PASS':
      return 0;
    case 'FAIL':
      return 1;
    case 'INTERRUPTED':
      return 130;
    case 'ERROR':
      return summary.error !== undefined && ['input', 'config', 'lock'].includes(summary.error.kind) ? 2 : 3;
  }
}

const TASK_LIMIT = 500;

/** The audit entry of a model run (§6.2). */
export function auditEntryOf(summary: ExecutionSummary, loop?: LoopResult): AuditEntryInput {
  const failures: Record<string, string> = {};
  for (const gate of summary.verdict.results) {
    if (gate.status === 'FAIL') failures[gate.file ?? '<patch>'] ??= `${gate.check_name}: ${gate.message}`;
  }
  for (const [key, reason] of Object.entries(summary.failed_hunks)) if (key === '<patch>') failures[key] ??= reason;
  const failedHunks = Object.fromEntries(Object.entries(summary.failed_hunks).filter(([key]) => key !== '<patch>'));
  const gates = summary.verdict.results.map((gate) => ({
    check_name: gate.check_name,
    status: gate.status,
    file: gate.file ?? null,
  }));
  return {
    timestamp: new Date(Date.now() - summary.duration_ms).toISOString(),
    run_id: summary.run_id,
    command: summary.command,
    task_id: summary.task_id,
    task: summary.task.length > TASK_LIMIT ? `${summary.task.slice(0, TASK_LIMIT - 1)}…` : summary.task,
    status: summary.status,
    ...(summary.status === 'PASS' || summary.written ? { files: summary.files } : {}),
    ...(Object.keys(failures).length > 0 ? { failures } : {}),
    ...(Object.keys(failedHunks).length > 0 ? { failed_hunks: failedHunks } : {}),
    rounds_used: summary.rounds_used,
    duration_ms: summary.duration_ms,
    ...(summary.model === '' ? {} : { model: summary.model }),
    cost_usd: summary.cost_usd,
    tokens: summary.tokens,
    ...(gates.length > 0 ? { gates } : {}),
    ...(loop === undefined
      ? {}
      : {
          test: {
            command: loop.test_command ?? '',
            exit_code: loop.test?.exit_code ?? null,
            signal: loop.test?.signal ?? null,
            timed_out: loop.test?.timed_out ?? false,
            duration_ms: loop.test?.duration_ms ?? 0,
            skipped: loop.test?.skipped ?? true,
          },
          rolled_back: loop.rolled_back,
        }),
    ...(summary.error === undefined ? {} : { error: summary.error }),
  };
}

/** `<logDir>/kode.log`, logDir defaulting to `<root>/logs`. */
export function auditLogFileOf(options: {
  projectRoot: string;
  logDir: string | false | undefined;
}): string | undefined {
  if (options.logDir === false) return undefined;
  return join(resolve(options.projectRoot, options.logDir ?? 'logs'), 'kode.log');
}

/** Appends an entry; live credentials never reach the log whatever field they end up in (§6.1). */
export async function appendRunEntry(options: {
  projectRoot: string;
  logFile: string;
  entry: AuditEntryInput;
  knownSecrets: readonly string[];
}): Promise<void> {
  const anchorFile = join(await transactionStateDir(options.projectRoot), 'audit-head.json');
  const redact = (text: string) => redactSecretsBasic(redactKnownSecrets(text, options.knownSecrets));
  await appendAuditEntry({ logDir: dirname(options.logFile), entry: options.entry, anchorFile, redact });
}

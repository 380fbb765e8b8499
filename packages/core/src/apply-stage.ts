// Stages 8-10 (§8.5-§8.7): permission, the transaction through @kode/snapshot, and for `loop` the frozen test
// command in its own process group, then commit or roll back. Only @kode/snapshot writes the working tree.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KodeConfig } from '@kode/config';
import { redactKnownSecrets, redactSecrets } from '@kode/gate';
import type { FileChange, Transaction } from '@kode/snapshot';
import { ApplyError, applyTransaction } from '@kode/snapshot';
import { createTwoFilesPatch } from 'diff';
import type { RunState } from './run-state.js';
import { captureWorktreeState, testByproducts } from './test-byproducts.js';
import { runTestCommand, testFailureReason, testEnvironment } from './test-runner.js';
import type { TestRunResult } from './test-runner.js';
import type { ConfirmRequest } from './types.js';

const decoder = new TextDecoder();

/** The unified diff shown at the `ask` prompt and on stderr for `deny` (§8.5). */
export async function unifiedDiff(options: { projectRoot: string; changes: readonly FileChange[] }): Promise<string> {
  const parts: string[] = [];
  for (const change of options.changes) {
    const before = await readFile(join(options.projectRoot, change.path), 'utf8').catch(() => '');
    const after = change.content === null ? '' : decoder.decode(change.content);
    parts.push(
      createTwoFilesPatch(
        change.content === null || before !== '' ? `a/${change.path}` : '/dev/null',
        change.content === null ? '/dev/null' : `b/${change.path}`,
        before,
        after,
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^={3,}\n/mu, ''),
    );
  }
  return parts.join('');
}

export type PermissionDecision = 'approved' | 'rejected' | 'auto' | 'denied';

/** Asks (or answers) one permission, with its events. */
export async function decidePermission(options: {
  state: RunState;
  mode: KodeConfig['permission']['edit'];
  assumeYes: boolean;
  confirm: ((request: ConfirmRequest) => Promise<boolean>) | undefined;
  request: ConfirmRequest;
}): Promise<PermissionDecision> {
  const { state, mode, request } = options;
  if (mode === 'deny') return 'denied';
  if (mode === 'always') return 'auto';
  state.emit('permission-request', { kind: request.kind });
  let decision: PermissionDecision;
  if (options.assumeYes) decision = 'auto';
  else decision = (await options.confirm?.(request)) === true ? 'approved' : 'rejected';
  state.emit('permission-end', { kind: request.kind, decision });
  return decision;
}

export type ApplyOutcome =
  { readonly ok: true; readonly transaction: Transaction } | { readonly ok: false; readonly reason: string };

export async function applyChanges(options: {
  state: RunState;
  projectRoot: string;
  changes: readonly FileChange[];
  protectedPaths: readonly string[];
}): Promise<ApplyOutcome> {
  const { state } = options;
  const files = options.changes.map((change) => change.path);
  state.emit('apply-start', { files, journal_id: state.runId });
  try {
    const transaction = await applyTransaction({
      projectRoot: options.projectRoot,
      runId: state.runId,
      changes: options.changes,
      command: state.command,
      protectedPaths: options.protectedPaths,
    });
    state.emit('apply-end', { files, journal_id: state.runId, ok: true });
    return { ok: true, transaction };
  } catch (error) {
    state.emit('apply-end', { files, journal_id: state.runId, ok: false });
    if (!ApplyError.isInstance(error)) throw error;
    // applyTransaction has already rolled back; the message has the §8.7 `apply: <errno>: ...` form.
    const message = error.message.startsWith('apply: ') ? error.message : `apply: ${error.message}`;
    return { ok: false, reason: message };
  }
}

export async function rollBack(options: {
  state: RunState;
  transaction: Transaction;
  reason: string;
  files: readonly string[];
}): Promise<{ ok: boolean; conflicts: readonly { path: string; savedAs: string }[] }> {
  options.state.emit('rollback-start', { reason: options.reason, files: options.files });
  const summary = await options.transaction.rollback(options.reason);
  const conflicts = summary.conflicts.map((conflict) => ({ path: conflict.path, saved_as: conflict.savedAs }));
  options.state.emit('rollback-end', { reason: options.reason, files: options.files, ok: true, conflicts });
  return { ok: true, conflicts: summary.conflicts };
}

export interface TestStageResult {
  readonly run: TestRunResult;
  readonly failure: string | undefined;
  readonly byproducts: readonly string[];
}

/** Runs the frozen test command against the applied tree; the journal records the process group first. */
export async function runTests(options: {
  state: RunState;
  projectRoot: string;
  command: string;
  timeoutS: number;
  config: KodeConfig;
  env: Readonly<Record<string, string | undefined>>;
  transaction: Transaction;
  patchFiles: readonly string[];
  signal: AbortSignal | undefined;
  onOutput: ((text: string) => void) | undefined;
}): Promise<TestStageResult> {
  const { state } = options;
  const before = await captureWorktreeState(options.projectRoot);
  state.emit('test-start', { command: options.command, timeout_s: options.timeoutS, cwd: options.projectRoot });
  const run = await runTestCommand({
    command: options.command,
    cwd: options.projectRoot,
    timeoutS: options.timeoutS,
    env: testEnvironment({ env: options.env, allow: options.config.engine.test_env_allow, runId: state.runId }),
    envAllow: options.config.engine.test_env_allow,
    runId: state.runId,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onOutput === undefined ? {} : { onOutput: options.onOutput }),
    onStart: (info) => options.transaction.markTesting({ processGroupId: info.processGroupId }),
    redact: (text) => redactKnownSecrets(text, state.knownSecrets),
  });
  // The full detector (async, unlike the runner's hook) runs once on the kept tail (§3.5: secrets redacted).
  const outputTail = await redactSecrets(run.output_tail, {
    filePath: 'test-output.txt',
    knownSecrets: state.knownSecrets,
  });
  state.emit('test-end', {
    exit_code: run.exit_code,
    signal: run.signal,
    timed_out: run.timed_out,
    duration_ms: run.duration_ms,
  });
  const after = await captureWorktreeState(options.projectRoot);
  return {
    run: { ...run, output_tail: outputTail },
    failure: testFailureReason({ result: run, command: options.command, timeoutS: options.timeoutS }),
    byproducts: testByproducts({ before, after, patchFiles: options.patchFiles }),
  };
}

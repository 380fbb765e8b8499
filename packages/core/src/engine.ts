// generatePatch, runTask and runLoop (§1.3, §3.3-§3.5): recover, lock, context, rounds, permission, apply, test,
// record. Expected outcomes (FAIL, budget, provider errors, interrupts) are results; only bugs throw, and even then an
// applied transaction is rolled back first.
import { dirname } from 'node:path';
import { checkAuditLogWritable } from '@kode/audit-log';
import { detectTestCommand } from '@kode/config';
import { knownSecretValues, redactSecrets } from '@kode/gate';
import { createBudget, KodeError } from '@kode/providers';
import type { Transaction } from '@kode/snapshot';
import { acquireRunLock, ForeignLockError, LockHeldError } from '@kode/snapshot';
import { applyChanges, decidePermission, rollBack, runTests, unifiedDiff } from './apply-stage.js';
import type { ContextPacket } from './context-packet.js';
import { buildTaskContext } from './context-packet.js';
import type { BuiltContext } from './context-packet.js';
import { buildContextGraph, contextPacket, openIndex } from '@kode/context';
import { EngineError } from './engine-error.js';
import type { AskContext } from './model-call.js';
import { askForPatch, round6 } from './model-call.js';
import { readInstructions, systemPrompt, taskPrompt } from './prompt.js';
import type { InstructionFile } from './prompt.js';
import { recoverBeforeRun } from './recover.js';
import type { RoundsOutcome } from './rounds.js';
import { runRounds } from './rounds.js';
import type { LoopParts, RunState } from './run-state.js';
import {
  appendRunEntry,
  auditEntryOf,
  auditLogFileOf,
  buildLoopResult,
  buildSummary,
  createRunState,
  elapsedMs,
  exitCodeOf,
} from './run-state.js';
import type { ErrorKind, ExecutionSummary, GenerateOutput, LoopOptions, LoopResult, RunOptions } from './types.js';

interface Prepared {
  readonly packet: ContextPacket;
  readonly instructions: readonly InstructionFile[];
  readonly ask: AskContext;
}

function environmentOf(options: RunOptions): Readonly<Record<string, string | undefined>> {
  return options.env ?? process.env;
}

async function prepare(options: RunOptions, state: RunState): Promise<Prepared> {
  const { config } = options;
  let packet = options.contextPacket;
  if (packet === undefined) {
    const built = await taskContext(options);
    packet = built.packet;
    state.emit('context-end', {
      files: packet.files.length,
      tokens: packet.total_tokens,
      source: 'index',
      ...(built.usedEntryFiles ? { entry_files: true } : {}),
    });
  } else {
    state.emit('context-end', { files: packet.files.length, tokens: packet.total_tokens, source: 'file' });
  }
  const instructions = await readInstructions({ projectRoot: options.projectRoot, paths: config.instructions });
  const budget = createBudget({
    limitUsd: options.budgetUsd ?? config.engine.token_budget_usd,
    overrides: config.pricing,
  });
  const knownSecrets = state.knownSecrets;
  return {
    packet,
    instructions,
    ask: {
      model: options.model,
      smallModel: options.smallModel ?? options.model,
      budget,
      format: options.editFormat ?? config.engine.edit_format,
      maxOutputTokens: config.engine.max_output_tokens,
      signal: options.signal,
      usage: state.usage,
      // §8.12: everything sent is scanned; matches become `[REDACTED:<rule-id>]`.
      redact: (text) => redactSecrets(text, { filePath: 'prompt.txt', knownSecrets, replacement: 'label' }),
      emit: state.emit,
    },
  };
}

/**
 * The packet `kode plan --packet` would build for the task (§8.1); when nothing in the index matches the task, the
 * project's entry files (and what they import) instead.
 */
async function taskContext(options: RunOptions): Promise<BuiltContext> {
  const { config, projectRoot, task } = options;
  const index = await openIndex({ projectRoot, maxFileBytes: config.engine.max_file_bytes });
  const graph = buildContextGraph({ index, task, maxTokens: config.engine.context_max_tokens });
  if (graph.ok) return { packet: contextPacket({ graph: graph.graph, task }), usedEntryFiles: false };
  return buildTaskContext({
    projectRoot,
    task,
    maxTokens: config.engine.context_max_tokens,
    maxFileBytes: config.engine.max_file_bytes,
  });
}

/** Maps an exception to the summary's error, or rethrows what is a bug. */
function classify(error: unknown, signal: AbortSignal | undefined): { kind: ErrorKind; message: string } {
  if (signal?.aborted === true) {
    const reason: unknown = signal.reason;
    return { kind: 'interrupted', message: reason instanceof Error ? reason.message : 'interrupted' };
  }
  if (EngineError.isInstance(error)) return { kind: error.kind, message: error.message };
  if (LockHeldError.isInstance(error) || ForeignLockError.isInstance(error)) {
    return { kind: 'lock', message: error.message };
  }
  if (KodeError.isInstance(error)) return { kind: error.kind, message: error.message };
  throw error;
}

function knownSecretsOf(options: RunOptions): string[] {
  return [...new Set([...(options.knownSecrets ?? []), ...knownSecretValues(environmentOf(options))])];
}

/** `kode generate` without --apply: one model answer (plus one format repair), no gates, no write, no audit entry. */
export async function generatePatch(options: RunOptions): Promise<GenerateOutput> {
  const state = createRunState({ run: options, command: 'generate', knownSecrets: knownSecretsOf(options) });
  const format = options.editFormat ?? options.config.engine.edit_format;
  state.emit('run-start', { command: 'generate', project_dir: options.projectRoot, model: state.modelLabel });
  const base = () => ({
    run_id: state.runId,
    task_id: state.taskId,
    command: 'generate' as const,
    task: state.task,
    model: state.modelLabel,
    edit_format: format,
  });
  const totals = () => ({
    tokens: { input: state.usage.input, output: state.usage.output },
    cost_usd: round6(state.usage.costUsd),
    duration_ms: elapsedMs(state),
  });
  let output: GenerateOutput;
  try {
    const prepared = await prepare(options, state);
    const reply = await askForPatch({
      context: prepared.ask,
      round: 1,
      system: systemPrompt({ format, tdd: options.tdd ?? options.config.engine.tdd_mode }),
      prompt: taskPrompt({ task: options.task, packet: prepared.packet, instructions: prepared.instructions, format }),
    });
    output = reply.ok
      ? { ...base(), status: 'GENERATED', hunks: reply.hunks, ...totals() }
      : {
          ...base(),
          status: 'FAIL',
          hunks: [],
          failed_hunks: { '<patch>': `schema: Model reply is not a valid patch (${reply.error})` },
          ...totals(),
        };
  } catch (error) {
    const failure = classify(error, options.signal);
    output = {
      ...base(),
      status: failure.kind === 'interrupted' ? 'INTERRUPTED' : 'ERROR',
      hunks: [],
      ...totals(),
      error: failure,
    };
  }
  const exitCode =
    output.status === 'GENERATED'
      ? 0
      : output.status === 'FAIL'
        ? 1
        : exitCodeOf({
            status: output.status === 'INTERRUPTED' ? 'INTERRUPTED' : 'ERROR',
            ...(output.error ? { error: output.error } : {}),
          });
  state.emit('run-end', {
    status: output.status,
    exit_code: exitCode,
    duration_ms: output.duration_ms,
    cost_usd: output.cost_usd,
    ...(output.error === undefined ? {} : { error: output.error }),
  });
  return output;
}

/** `kode run` and `kode generate --apply`: stages 1-9 and 11. */
export async function runTask(options: RunOptions): Promise<ExecutionSummary> {
  const result = await runPipeline(options, undefined);
  return result.summary;
}

/** `kode loop`: stages 1-11, tests and rollback included. */
export async function runLoop(options: LoopOptions): Promise<LoopResult> {
  const result = await runPipeline(options, options);
  return result.loop ?? buildLoopResult(result.summary, emptyLoop(null));
}

function emptyLoop(testCommand: string | null): LoopParts {
  return { hunksApplied: 0, testCommand, test: null, rolledBack: false, byproducts: [] };
}

async function resolveTestCommand(options: LoopOptions): Promise<string | null> {
  const env = environmentOf(options);
  const candidates = [options.testCommand, env.KODE_TEST_COMMAND, options.config.engine.test_command];
  for (const candidate of candidates) if (candidate !== undefined && candidate.trim() !== '') return candidate;
  return detectTestCommand(options.projectRoot);
}

function checkPermissionsCanBeAsked(options: RunOptions, loop: LoopOptions | undefined): void {
  if (options.assumeYes === true || options.confirm !== undefined) return;
  const { permission } = options.config;
  if (permission.edit === 'ask') {
    throw new EngineError({
      kind: 'config',
      message:
        'permission.edit is "ask" but stdin is not a terminal: pass --yes or set permission.edit to "always" in .kode/kode.json',
    });
  }
  if (loop !== undefined && permission.bash === 'ask') {
    throw new EngineError({
      kind: 'config',
      message:
        'permission.bash is "ask" but stdin is not a terminal: pass --yes or set permission.bash to "always" in .kode/kode.json',
    });
  }
}

/** §14: a symlinked (or otherwise unwritable) audit log stops a writing run before anything happens. */
function checkAuditLog(logFile: string | undefined): void {
  if (logFile === undefined) return;
  const writable = checkAuditLogWritable({ logDir: dirname(logFile) });
  if (!writable.ok) throw new EngineError({ kind: 'config', message: writable.error.message });
}

interface PipelineResult {
  readonly summary: ExecutionSummary;
  readonly loop?: LoopResult;
}

async function runPipeline(options: RunOptions, loop: LoopOptions | undefined): Promise<PipelineResult> {
  const command = loop !== undefined ? 'loop' : (options.commandName ?? 'run');
  const state = createRunState({ run: options, command, knownSecrets: knownSecretsOf(options) });
  const { projectRoot, config } = options;
  state.emit('run-start', { command, project_dir: projectRoot, model: state.modelLabel });
  const logFile = auditLogFileOf({ projectRoot, logDir: options.logDir });
  let lock: { release(): Promise<void> } | undefined;
  let transaction: Transaction | undefined;
  let finished = false;
  let rounds: RoundsOutcome | undefined;
  let loopParts: LoopParts = emptyLoop(null);
  let summary: ExecutionSummary;
  const conclude = (parts: Parameters<typeof buildSummary>[1]): ExecutionSummary => buildSummary(state, parts);
  try {
    checkPermissionsCanBeAsked(options, loop);
    checkAuditLog(logFile);
    let testCommand: string | null = null;
    if (loop !== undefined) {
      testCommand = await resolveTestCommand(loop);
      if (testCommand === null && config.permission.bash !== 'deny') {
        throw new EngineError({
          kind: 'config',
          message: 'no test command: set engine.test_command in .kode/kode.json or pass --test-command',
        });
      }
      loopParts = emptyLoop(testCommand);
    }
    await recoverBeforeRun({ projectRoot, state, logFile });
    lock = await acquireRunLock({ projectRoot, runId: state.runId, command });
    const prepared = await prepare(options, state);
    rounds = await runRounds({
      projectRoot,
      task: options.task,
      config,
      packet: prepared.packet,
      instructions: prepared.instructions,
      ask: prepared.ask,
      maxRounds: options.maxRounds ?? config.engine.max_self_correction_rounds,
      tdd: options.tdd ?? config.engine.tdd_mode,
      blockArchitecture: options.blockArchitecture ?? config.architecture.block,
      harnessApproved: options.assumeYes === true,
      knownSecrets: state.knownSecrets,
      auditLogFile: logFile,
      runId: state.runId,
      signal: options.signal,
      emit: state.emit,
    });
    const changes = rounds.result?.changes ?? [];
    if (rounds.status === 'FAIL') {
      const extra: Record<string, string> =
        rounds.endReason === undefined ? {} : { '<patch>': `schema: ${rounds.endReason}` };
      summary = conclude({ status: 'FAIL', rounds, written: false, extraFailures: extra });
    } else {
      options.signal?.throwIfAborted();
      const diff = await unifiedDiff({ projectRoot, changes });
      const hunkCount = rounds.passed.length;
      const editDecision = await decidePermission({
        state,
        mode: config.permission.edit,
        assumeYes: options.assumeYes === true,
        confirm: options.confirm,
        request: {
          kind: 'edit',
          diff,
          question: `Apply ${hunkCount} change(s) to ${changes.length} file(s)?`,
          warnings: rounds.warnings,
        },
      });
      const bashDecision =
        loop === undefined || editDecision === 'denied' || editDecision === 'rejected' || testCommand === null
          ? 'denied'
          : await decidePermission({
              state,
              mode: config.permission.bash,
              assumeYes: options.assumeYes === true,
              confirm: options.confirm,
              request: { kind: 'bash', command: testCommand, question: `Run test command "${testCommand}"?` },
            });
      if (editDecision === 'denied') {
        options.onDiff?.(diff);
        summary = conclude({ status: 'PASS', rounds, written: false });
        if (loop !== undefined) loopParts = { ...loopParts, test: skippedTest() };
      } else if (editDecision === 'rejected') {
        summary = conclude({
          status: 'FAIL',
          rounds,
          written: false,
          extraFailures: { '<patch>': 'permission: rejected by user' },
        });
      } else if (changes.length === 0) {
        summary = conclude({ status: 'PASS', rounds, written: false });
      } else {
        const applied = await applyChanges({
          state,
          projectRoot,
          changes,
          protectedPaths: config.engine.protected_paths,
        });
        if (!applied.ok) {
          summary = conclude({ status: 'FAIL', rounds, written: false, extraFailures: { '<patch>': applied.reason } });
        } else {
          transaction = applied.transaction;
          options.signal?.throwIfAborted();
          const files = changes.map((change) => change.path);
          if (loop === undefined || (bashDecision !== 'auto' && bashDecision !== 'approved')) {
            await transaction.commit();
            finished = true;
            if (loop !== undefined) {
              options.onNotice?.(
                bashDecision === 'rejected'
                  ? 'tests skipped: the test command was not approved'
                  : 'tests skipped: permission.bash is "deny"',
              );
              loopParts = { ...loopParts, hunksApplied: hunkCount, test: skippedTest() };
            }
            summary = conclude({ status: 'PASS', rounds, written: true });
          } else {
            const tests = await runTests({
              state,
              projectRoot,
              command: testCommand ?? '',
              timeoutS: loop.testTimeoutS ?? config.engine.test_timeout_s,
              config,
              env: environmentOf(options),
              transaction,
              patchFiles: files,
              signal: options.signal,
              onOutput: options.onTestOutput,
            });
            const test = {
              exit_code: tests.run.exit_code,
              signal: tests.run.signal,
              timed_out: tests.run.timed_out,
              skipped: false,
              duration_ms: tests.run.duration_ms,
              output_tail: tests.run.output_tail,
            };
            loopParts = { ...loopParts, test, byproducts: tests.byproducts };
            if (tests.failure === undefined && !tests.run.interrupted) {
              await transaction.commit();
              finished = true;
              loopParts = { ...loopParts, hunksApplied: hunkCount };
              summary = conclude({ status: 'PASS', rounds, written: true });
            } else {
              const reason = tests.failure ?? 'tests: test command was interrupted';
              await rollBack({ state, transaction, reason, files });
              finished = true;
              loopParts = { ...loopParts, rolledBack: true, testError: reason };
              summary = tests.run.interrupted
                ? conclude({
                    status: 'INTERRUPTED',
                    rounds,
                    written: false,
                    error: { kind: 'interrupted', message: reason },
                  })
                : conclude({ status: 'FAIL', rounds, written: false, extraFailures: { '<patch>': reason } });
            }
          }
        }
      }
    }
  } catch (error) {
    let rolledBack = false;
    if (transaction !== undefined && !finished) {
      // Whatever went wrong after the write, the tree goes back to its pre-image before anything else (G3).
      await rollBack({ state, transaction, reason: 'interrupted', files: transaction.files });
      rolledBack = true;
    }
    const failure = classify(error, options.signal);
    loopParts = { ...loopParts, rolledBack: loopParts.rolledBack || rolledBack };
    summary = conclude({
      status: failure.kind === 'interrupted' ? 'INTERRUPTED' : 'ERROR',
      rounds,
      written: false,
      error: failure,
    });
  } finally {
    await lock?.release().catch(() => undefined);
  }
  const loopResult = loop === undefined ? undefined : buildLoopResult(summary, loopParts);
  const exitCode = exitCodeOf(summary);
  if (logFile !== undefined) {
    await appendRunEntry({
      projectRoot,
      logFile,
      entry: auditEntryOf(summary, loopResult),
      knownSecrets: state.knownSecrets,
    }).catch((error: unknown) => options.onNotice?.(`cannot write audit log ${logFile}: ${(error as Error).message}`));
  }
  state.emit('run-end', {
    status: summary.status,
    exit_code: exitCode,
    duration_ms: summary.duration_ms,
    cost_usd: summary.cost_usd,
    ...(summary.error === undefined ? {} : { error: summary.error }),
  });
  return { summary, ...(loopResult === undefined ? {} : { loop: loopResult }) };
}

function skippedTest(): LoopParts['test'] {
  return { exit_code: null, signal: null, timed_out: null, skipped: true, duration_ms: null, output_tail: null };
}

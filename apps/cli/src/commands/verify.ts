// `kode verify` (SPEC §3.6): a patch through the pre-gates and gates, no model, nothing written; one execution
// summary on stdout (§2.4) and one audit entry (§6.2) per run, PASS, FAIL and ERROR alike.
import { dirname, join, resolve } from 'node:path';
import { appendAuditEntry, redactSecretsBasic } from '@kode/audit-log';
import type { AuditEntryInput } from '@kode/audit-log';
import type { ArchitectureRule, KodeConfig } from '@kode/config';
import {
  formatReason,
  knownSecretValues,
  normalizeArchitectureRules,
  parsePatchDocument,
  parseUnifiedDiff,
  redactKnownSecrets,
  verify,
} from '@kode/gate';
import type { GateEvent, PatchInput, VerifyResult } from '@kode/gate';
import { transactionStateDir } from '@kode/snapshot';
import { ulid } from 'ulid';
import { loadProjectConfig, resolveLogFile, resolveProjectRoot } from '../context.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { convertHookPayload, parseJsonDocument, readSource, VerifyInputError } from './verify-input.js';

export interface VerifyCommandOptions {
  readonly input: string | undefined;
  readonly diff: string | undefined;
  readonly hook: 'claude-code' | undefined;
  readonly blockArchitecture: boolean | undefined;
  readonly maxBlastRadius: number | undefined;
  readonly tdd: boolean;
  readonly model: string | undefined;
}

export interface VerifyDependencies {
  readonly readStdin?: () => Promise<string>;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

type RunStatus = 'PASS' | 'FAIL' | 'ERROR';

interface RunState {
  readonly runId: string;
  readonly started: Date;
  readonly startedAt: number;
  readonly model: string;
  inputSource: string | undefined;
  projectRoot: string | undefined;
  logFile: string | undefined;
  /** Values of live credentials in the environment (knownSecretValues), read once per run. */
  readonly knownSecrets: readonly string[];
}

/** The execution summary, fields in §2.4 order. */
export function verifySummary(options: {
  runId: string;
  status: RunStatus;
  model: string;
  result: VerifyResult | undefined;
  durationMs: number;
  error?: { kind: string; message: string };
}): Record<string, unknown> {
  const { result } = options;
  return {
    run_id: options.runId,
    task_id: 'verify',
    command: 'verify',
    status: options.status,
    model: options.model,
    rounds_used: result === undefined ? 0 : 1,
    applied_hunks: result?.passed ?? [],
    failed_hunks: result?.failed ?? {},
    warnings: result?.warnings ?? [],
    files: result?.files ?? [],
    written: false,
    verdict: result?.verdict ?? { diff_id: '', overall: 'FAIL', results: [] },
    tokens: { input: 0, output: 0 },
    cost_usd: 0,
    duration_ms: options.durationMs,
    ...(options.error === undefined ? {} : { error: options.error }),
  };
}

/** The audit entry of one verify run (§6.2). */
export function verifyAuditEntry(options: {
  state: RunState;
  status: RunStatus;
  result: VerifyResult | undefined;
  hunkMode: boolean;
  durationMs: number;
  error?: { kind: string; message: string };
}): AuditEntryInput {
  const { result, state } = options;
  const failures: Record<string, string> = {};
  for (const gate of result?.verdict.results ?? []) {
    if (gate.status === 'FAIL') failures[gate.file ?? '<patch>'] ??= formatReason(gate);
  }
  const files = result?.changes.map((change) => change.path) ?? [];
  const failedHunks = options.hunkMode
    ? Object.fromEntries(Object.entries(result?.failed ?? {}).filter(([key]) => key !== '<patch>'))
    : {};
  return {
    timestamp: state.started.toISOString(),
    run_id: state.runId,
    command: 'verify',
    task_id: 'verify',
    status: options.status,
    ...(files.length > 0 ? { files } : {}),
    ...(Object.keys(failures).length > 0 ? { failures } : {}),
    ...(Object.keys(failedHunks).length > 0 ? { failed_hunks: failedHunks } : {}),
    rounds_used: result === undefined ? 0 : 1,
    duration_ms: options.durationMs,
    ...(state.model === '' ? {} : { model: state.model }),
    ...(state.inputSource === undefined ? {} : { input_source: state.inputSource }),
    cost_usd: 0,
    tokens: { input: 0, output: 0 },
    ...(result === undefined
      ? {}
      : {
          gates: result.verdict.results.map((gate) => ({
            check_name: gate.check_name,
            status: gate.status,
            file: gate.file ?? null,
          })),
          ...(result.suppressed.length > 0 ? { suppressed: result.suppressed } : {}),
        }),
    ...(options.error === undefined ? {} : { error: options.error }),
  };
}

function emit(context: CommandContext, state: RunState, type: string, fields: Record<string, unknown>): void {
  if (context.globals.progress !== 'jsonl') return;
  const event = { v: 1, type, ts: new Date().toISOString(), run_id: state.runId, ...fields };
  context.io.stderr.write(`${JSON.stringify(event)}\n`);
}

async function appendEntry(context: CommandContext, state: RunState, entry: AuditEntryInput): Promise<void> {
  if (state.projectRoot === undefined || state.logFile === undefined) return;
  try {
    const anchorFile = join(await transactionStateDir(state.projectRoot), 'audit-head.json');
    // Live credentials from the environment never reach the log, whatever field they end up in (§6.1).
    const redact = (text: string) => redactSecretsBasic(redactKnownSecrets(text, state.knownSecrets));
    await appendAuditEntry({ logDir: dirname(state.logFile), entry, anchorFile, redact });
  } catch (error) {
    // §6.1: for verify, a failed append is a warning; the verdict still stands.
    const cause = error instanceof Error ? error.message : String(error);
    context.output.warning(`cannot write audit log ${state.logFile}: ${cause}`);
  }
}

async function finishWithError(options: {
  context: CommandContext;
  state: RunState;
  kind: 'input' | 'config';
  lines: readonly string[];
  hook: boolean;
}): Promise<number> {
  const { context, state } = options;
  const message = options.lines[0] ?? 'invalid input';
  const error = { kind: options.kind, message };
  const durationMs = Date.now() - state.startedAt;
  if (!options.hook)
    context.output.json(
      verifySummary({ runId: state.runId, status: 'ERROR', model: state.model, result: undefined, durationMs, error }),
    );
  for (const line of options.lines) context.output.error(line);
  await appendEntry(
    context,
    state,
    verifyAuditEntry({ state, status: 'ERROR', result: undefined, hunkMode: false, durationMs, error }),
  );
  emit(context, state, 'run-end', {
    status: 'ERROR',
    exit_code: EXIT.usage,
    duration_ms: durationMs,
    cost_usd: 0,
    error,
  });
  return EXIT.usage;
}

async function readPatch(options: {
  context: CommandContext;
  command: VerifyCommandOptions;
  state: RunState;
  readStdin: () => Promise<string>;
}): Promise<
  { input: PatchInput; blockArchitecture?: boolean; architectureRules?: readonly unknown[] } | { ignore: true }
> {
  const { context, command, state } = options;
  if (command.hook !== undefined) {
    state.inputSource = 'hook:claude-code';
    const payload = parseJsonDocument(await options.readStdin(), 'stdin');
    const converted = await convertHookPayload({
      payload,
      projectDir:
        context.globals.projectDir === undefined ? undefined : resolve(context.io.cwd, context.globals.projectDir),
    });
    if (converted.kind === 'ignore') return { ignore: true };
    state.projectRoot = converted.projectRoot;
    return { input: converted.input };
  }
  if (command.diff !== undefined) {
    state.inputSource = command.diff;
    const text = await readSource({ source: command.diff, cwd: context.io.cwd, readStdin: options.readStdin });
    const parsed = parseUnifiedDiff(text);
    if (!parsed.ok) throw new VerifyInputError(`--diff is not a unified diff: ${parsed.error}`);
    return { input: { diff: text } };
  }
  const source = command.input ?? '-';
  state.inputSource = source;
  const text = await readSource({ source, cwd: context.io.cwd, readStdin: options.readStdin });
  const document = parsePatchDocument(parseJsonDocument(text, source === '-' ? 'stdin' : source));
  if (!document.ok) throw new VerifyInputError(document.message);
  return {
    input: document.document.input,
    ...(document.document.blockArchitecture === undefined
      ? {}
      : { blockArchitecture: document.document.blockArchitecture }),
    ...(document.document.architectureRules === undefined
      ? {}
      : { architectureRules: document.document.architectureRules }),
  };
}

export async function runVerify(
  context: CommandContext,
  command: VerifyCommandOptions,
  dependencies: VerifyDependencies = {},
): Promise<number> {
  const sources = [command.input, command.diff, command.hook].filter((value) => value !== undefined);
  if (sources.length !== 1) {
    throw new CliError({
      message: '--input or --diff is required: pass a JSON patch file or a unified diff',
      exitCode: EXIT.usage,
    });
  }
  const maxBlastRadius = command.maxBlastRadius;
  if (maxBlastRadius !== undefined && (!Number.isInteger(maxBlastRadius) || maxBlastRadius < 1)) {
    throw new CliError({
      message: `--max-blast-radius must be an integer >= 1 (got ${String(maxBlastRadius)})`,
      exitCode: EXIT.usage,
    });
  }
  const started = new Date();
  const state: RunState = {
    runId: ulid(),
    started,
    startedAt: started.getTime(),
    model: command.model ?? '',
    inputSource: undefined,
    projectRoot: undefined,
    logFile: undefined,
    knownSecrets: knownSecretValues(context.io.env),
  };
  const hook = command.hook !== undefined;
  let patch: Awaited<ReturnType<typeof readPatch>> | undefined;
  let inputProblem: string | undefined;
  try {
    patch = await readPatch({ context, command, state, readStdin: dependencies.readStdin ?? readProcessStdin });
  } catch (error) {
    if (!VerifyInputError.isInstance(error)) throw error;
    inputProblem = error.message;
  }
  if (patch !== undefined && 'ignore' in patch) return EXIT.ok;
  const hookContext: CommandContext =
    state.projectRoot === undefined
      ? context
      : { ...context, globals: { ...context.globals, projectDir: state.projectRoot } };
  let config: KodeConfig;
  try {
    state.projectRoot = await resolveProjectRoot(hookContext);
    state.logFile = resolveLogFile(hookContext, state.projectRoot);
    emit(context, state, 'run-start', { command: 'verify', project_dir: state.projectRoot, model: state.model });
    if (inputProblem !== undefined) throw new VerifyInputError(inputProblem);
    const flags: Record<string, unknown> = {};
    if (maxBlastRadius !== undefined) flags['max-blast-radius'] = maxBlastRadius;
    if (command.blockArchitecture !== undefined) flags['block-architecture'] = command.blockArchitecture;
    ({ config } = await loadProjectConfig(hookContext, flags));
  } catch (error) {
    if (VerifyInputError.isInstance(error)) {
      return finishWithError({ context, state, kind: 'input', lines: [error.message], hook });
    }
    if (CliError.isInstance(error) && state.projectRoot !== undefined) {
      return finishWithError({ context, state, kind: 'config', lines: error.lines, hook });
    }
    throw error;
  }
  if (patch === undefined) return EXIT.usage;
  return verifyAndReport({
    context,
    state,
    input: patch.input,
    config,
    command,
    blockArchitecture: patch.blockArchitecture,
    architectureRules: normalizeArchitectureRules(patch.architectureRules ?? []),
    hook,
  });
}

async function verifyAndReport(options: {
  context: CommandContext;
  state: RunState;
  input: PatchInput;
  config: KodeConfig;
  command: VerifyCommandOptions;
  blockArchitecture: boolean | undefined;
  architectureRules: readonly ArchitectureRule[];
  hook: boolean;
}): Promise<number> {
  const { context, state } = options;
  const projectRoot = state.projectRoot ?? context.io.cwd;
  context.output.header('Verify');
  const { knownSecrets } = state;
  const verified = await verify(options.input, {
    projectRoot,
    config: options.config,
    tdd: options.command.tdd,
    blockArchitecture:
      options.command.blockArchitecture ?? options.blockArchitecture ?? options.config.architecture.block,
    architectureRules: options.architectureRules,
    runId: state.runId,
    // §4.10 secret/known-value: live credentials in this environment must never be written into the code.
    knownSecrets,
    ...(state.logFile === undefined ? {} : { auditLogFile: state.logFile }),
    onEvent: (event: GateEvent) => emit(context, state, event.type, { ...event }),
  });
  // A live credential may reach a reason through any gate (an import specifier, a path): mask it in everything the
  // run prints or records. `changes` (the post-images) are never printed and stay as they are.
  const mask = (text: string) => redactKnownSecrets(text, knownSecrets);
  const result: VerifyResult = {
    ...verified,
    verdict: maskStrings(verified.verdict, mask),
    failed: maskStrings(verified.failed, mask),
    warnings: maskStrings(verified.warnings, mask),
  };
  const status: RunStatus = result.verdict.overall;
  const durationMs = Date.now() - state.startedAt;
  for (const gate of result.verdict.results) {
    if (gate.status === 'FAIL') context.output.failure(formatReason(gate));
    else if (gate.status === 'WARN') context.output.notice(formatReason(gate));
  }
  if (status === 'PASS') context.output.success(`PASS: ${result.passed.length} unit(s) verified, nothing written`);
  else context.output.failure(`FAIL: ${Object.keys(result.failed).length} unit(s) failed, nothing written`);
  const exitCode = status === 'PASS' ? EXIT.ok : options.hook ? EXIT.usage : EXIT.fail;
  if (options.hook) {
    // The agent reads stderr as feedback, so reasons are printed even with --quiet.
    if (status === 'FAIL') for (const reason of Object.values(result.failed)) context.io.stderr.write(`${reason}\n`);
  } else {
    context.output.json(verifySummary({ runId: state.runId, status, model: state.model, result, durationMs }));
  }
  const hunkMode = 'hunks' in options.input;
  await appendEntry(context, state, verifyAuditEntry({ state, status, result, hunkMode, durationMs }));
  emit(context, state, 'run-end', { status, exit_code: exitCode, duration_ms: durationMs, cost_usd: 0 });
  return exitCode;
}

/** A copy of plain JSON-like data with every string passed through `mask`. */
function maskStrings<T>(value: T, mask: (text: string) => string): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => maskStrings(item, mask)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [mask(key), maskStrings(item as unknown, mask)]),
    ) as T;
  }
  return value;
}

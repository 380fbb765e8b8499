// `kode generate`, `kode run`, `kode loop` (§3.3-§3.5): a thin shell over @kode/core. It loads the configuration,
// resolves the model, wires the TTY prompt, progress and Ctrl-C, prints exactly one JSON document on stdout and
// returns the exit code the summary calls for.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { dirname, resolve } from 'node:path';
import type { KodeConfig } from '@kode/config';
import type { ConfirmRequest, ContextPacket, ExecutionSummary, GenerateOutput, LoopResult } from '@kode/core';
import type { LanguageModel } from '@kode/providers';
import { loadProjectConfig, resolveLogFile } from '../context.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { createProgressRenderer } from './engine-progress.js';

export interface EngineCommandOptions {
  readonly command: 'generate' | 'run' | 'loop';
  readonly task: string;
  readonly apply: boolean;
  readonly model: string | undefined;
  readonly contextFile: string | undefined;
  readonly editFormat: string | undefined;
  readonly maxRounds: number | undefined;
  readonly budget: number | undefined;
  readonly tdd: boolean | undefined;
  readonly blockArchitecture: boolean | undefined;
  readonly testCommand: string | undefined;
  readonly testTimeout: number | undefined;
  readonly record: string | undefined;
}

export interface EngineDependencies {
  /** Answers a y/N question on the terminal (default: readline on stdin/stderr). */
  readonly ask?: (question: string) => Promise<boolean>;
}

function commandName(options: EngineCommandOptions): string {
  return options.command === 'generate' && options.apply ? 'generate' : options.command;
}

/** The one JSON document printed for an error found after argument parsing (§3.0). */
function errorDocument(options: {
  engine: EngineCommandOptions;
  model: string;
  kind: string;
  message: string;
  startedAt: number;
}): Record<string, unknown> {
  return {
    run_id: '',
    task_id: '',
    command: commandName(options.engine),
    status: 'ERROR',
    task: options.engine.task,
    model: options.model,
    rounds_used: 0,
    applied_hunks: [],
    failed_hunks: {},
    warnings: [],
    files: [],
    written: false,
    verdict: { diff_id: '', overall: 'FAIL', results: [] },
    tokens: { input: 0, output: 0 },
    cost_usd: 0,
    duration_ms: Date.now() - options.startedAt,
    error: { kind: options.kind, message: options.message },
  };
}

function configFlags(options: EngineCommandOptions): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const set = (name: string, value: unknown) => {
    if (value !== undefined) flags[name] = value;
  };
  set('model', options.model);
  set('edit-format', options.editFormat);
  set('max-rounds', options.maxRounds);
  set('budget', options.budget);
  set('tdd', options.tdd);
  set('block-architecture', options.blockArchitecture);
  set('test-command', options.testCommand);
  set('test-timeout', options.testTimeout);
  return flags;
}

async function readContextFile(context: CommandContext, path: string): Promise<ContextPacket> {
  const absolute = resolve(context.io.cwd, path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError({ message: `cannot read context file ${path}: ${cause}`, exitCode: EXIT.usage });
  }
  const { parseContextPacket } = await import('@kode/core');
  let parsed: ReturnType<typeof parseContextPacket>;
  try {
    parsed = parseContextPacket(JSON.parse(text) as unknown);
  } catch (error) {
    parsed = { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  if (!parsed.ok) {
    throw new CliError({
      message: `invalid context file ${path}: ${parsed.error}: create it with kode plan --packet`,
      exitCode: EXIT.usage,
    });
  }
  return parsed.packet;
}

async function terminalQuestion(question: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question(`${question} [y/N] `);
    return /^y(es)?$/iu.test(answer.trim());
  } finally {
    readline.close();
  }
}

function colourDiff(context: CommandContext, diff: string): string {
  if (!context.output.color) return diff;
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+') && !line.startsWith('+++')
        ? `\u001b[32m${line}\u001b[39m`
        : line.startsWith('-') && !line.startsWith('---')
          ? `\u001b[31m${line}\u001b[39m`
          : line.startsWith('@@')
            ? `\u001b[36m${line}\u001b[39m`
            : line,
    )
    .join('\n');
}

function confirmer(
  context: CommandContext,
  dependencies: EngineDependencies,
): ((request: ConfirmRequest) => Promise<boolean>) | undefined {
  const ask = dependencies.ask ?? (context.io.stdinIsTTY ? terminalQuestion : undefined);
  if (ask === undefined) return undefined;
  return async (request) => {
    if (request.kind === 'edit') {
      if (request.diff !== undefined) context.io.stderr.write(colourDiff(context, request.diff));
      for (const warning of request.warnings ?? []) context.output.notice(warning);
    }
    return ask(request.question);
  };
}

async function resolveModels(options: {
  context: CommandContext;
  config: KodeConfig;
  engine: EngineCommandOptions;
}): Promise<{ model: LanguageModel; smallModel: LanguageModel }> {
  const { resolveModel, createRecordingModel } = await import('@kode/providers');
  const env = { ...options.context.io.env };
  const onWarning = (message: string) => options.context.output.notice(message);
  const common = { config: options.config, env, cwd: options.context.io.cwd, onWarning };
  let model = await resolveModel({ ...common, ...(options.engine.model ? { modelId: options.engine.model } : {}) });
  // The small model repairs formats only; when it cannot be resolved (no key for it) the main model does that too.
  let smallModel = await resolveModel({ ...common, role: 'small' }).catch(() => model);
  if (options.engine.record !== undefined) {
    const file = resolve(options.context.io.cwd, options.engine.record);
    model = createRecordingModel({ model, file });
    if (smallModel !== model) smallModel = model;
  }
  return { model, smallModel };
}

export async function runEngineCommand(
  context: CommandContext,
  options: EngineCommandOptions,
  dependencies: EngineDependencies = {},
): Promise<number> {
  const startedAt = Date.now();
  if (options.task.trim() === '') {
    throw new CliError({
      message: 'the task is empty: describe the change, e.g. kode run "add multiply to src/math.js"',
      exitCode: EXIT.usage,
    });
  }
  const printError = (kind: string, message: string, model = options.model ?? '') => {
    context.output.json(errorDocument({ engine: options, model, kind, message, startedAt }));
  };
  let config: KodeConfig;
  let projectRoot: string;
  let packet: ContextPacket | undefined;
  let models: { model: LanguageModel; smallModel: LanguageModel };
  try {
    ({ config, projectRoot } = await loadProjectConfig(context, configFlags(options), { interruptedRunNotice: false }));
    if (options.contextFile !== undefined) packet = await readContextFile(context, options.contextFile);
    models = await resolveModels({ context, config, engine: options });
  } catch (error) {
    if (CliError.isInstance(error)) {
      printError('config', error.message);
      throw error;
    }
    const { KodeError } = await import('@kode/providers');
    if (KodeError.isInstance(error)) {
      printError(error.kind, error.message);
      throw new CliError({ message: error.message, exitCode: error.exitCode });
    }
    throw error;
  }
  const core = await import('@kode/core');
  const { installInterruptHandlers } = await import('@kode/snapshot');
  const renderer = createProgressRenderer({ context, baseURL: models.model.baseURL });
  const writesTree = options.command !== 'generate' || options.apply;
  let running: Promise<unknown> = Promise.resolve();
  const interrupts = installInterruptHandlers({
    // The run itself sees the abort, rolls back and returns INTERRUPTED; wait for that, then exit 130 below.
    onInterrupt: async () => {
      await running.catch(() => undefined);
    },
    exitAfterInterrupt: false,
  });
  const runOptions = {
    projectRoot,
    task: options.task,
    model: models.model,
    smallModel: models.smallModel,
    config,
    ...(packet === undefined ? {} : { contextPacket: packet }),
    assumeYes: context.globals.yes,
    logDir: dirname(resolveLogFile(context, projectRoot)),
    signal: interrupts.signal,
    env: context.io.env,
    onEvent: renderer,
    onNotice: (text: string) => context.output.notice(text),
    onDiff: (diff: string) => {
      if (context.globals.progress === 'text' && !context.globals.quiet)
        context.io.stderr.write(colourDiff(context, diff));
    },
    onTestOutput: (text: string) => {
      if (context.globals.progress === 'text' && !context.globals.quiet) context.io.stderr.write(text);
    },
    commandName: commandName(options),
  };
  const confirm = confirmer(context, dependencies);
  try {
    if (!writesTree) {
      const work = core.generatePatch(runOptions);
      running = work;
      const generated = await work;
      context.output.json(generated);
      return reportGenerate(context, generated);
    }
    const work =
      options.command === 'loop'
        ? core.runLoop({ ...runOptions, ...(confirm === undefined ? {} : { confirm }) })
        : core.runTask({ ...runOptions, ...(confirm === undefined ? {} : { confirm }) });
    running = work;
    const summary = await work;
    context.output.json(summary);
    reportSummary(context, summary, options.command === 'loop');
    return core.exitCodeOf(summary);
  } finally {
    interrupts.uninstall();
  }
}

function reportGenerate(context: CommandContext, generated: GenerateOutput): number {
  if (generated.status === 'GENERATED') {
    context.output.success(`Generated ${generated.hunks.length} hunk(s)`);
    return EXIT.ok;
  }
  if (generated.status === 'FAIL') {
    for (const reason of Object.values(generated.failed_hunks ?? {})) context.output.failure(reason);
    return EXIT.fail;
  }
  if (generated.error !== undefined) context.output.error(generated.error.message);
  return generated.status === 'INTERRUPTED'
    ? EXIT.interrupted
    : generated.error?.kind === 'config'
      ? EXIT.usage
      : EXIT.provider;
}

function reportSummary(context: CommandContext, summary: ExecutionSummary, loop: boolean): void {
  const { output } = context;
  const failures = Object.entries(summary.failed_hunks);
  if (summary.status === 'ERROR' || summary.status === 'INTERRUPTED') {
    if (summary.error !== undefined && summary.error.kind !== 'interrupted') output.error(summary.error.message);
    if (summary.status === 'INTERRUPTED')
      output.failure(`interrupted${(summary as LoopResult).rolled_back ? ' (rolled back)' : ''}`);
    return;
  }
  if (loop) {
    const result = summary as LoopResult;
    if (summary.status === 'PASS') {
      output.success(`All done (${(summary.duration_ms / 1000).toFixed(1)}s)`);
      return;
    }
    if (result.rolled_back) {
      output.failure('tests failed after applying patches (rolled back)');
      return;
    }
  } else if (summary.status === 'PASS') {
    output.success(
      summary.written
        ? `All ${summary.applied_hunks.length} hunk(s) verified and applied in ${summary.rounds_used} round(s)`
        : `All ${summary.applied_hunks.length} hunk(s) verified in ${summary.rounds_used} round(s); nothing written`,
    );
    return;
  }
  const permission = failures.find(([, reason]) => reason.startsWith('permission:'));
  if (permission !== undefined) {
    output.error('the patch was rejected: nothing was written');
    return;
  }
  output.failure(`${summary.applied_hunks.length} hunk(s) passed, ${failures.length} failed`);
  for (const [, reason] of failures) output.plain(`  ${reason}`);
  output.error(`verification failed after ${summary.rounds_used} round(s): nothing was written`);
}

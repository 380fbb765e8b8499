// Shared per-invocation context: global options, the project root, the validated configuration
// and the audit-log location. Every command that operates on a project goes through here.
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { ConfigSource, KodeConfig } from '@kode/config';
import { CliError, EXIT } from './errors.js';
import type { CliIO, Output, ProgressFormat } from './io.js';

export interface GlobalOptions {
  readonly projectDir: string | undefined;
  readonly logDir: string | undefined;
  readonly quiet: boolean;
  readonly progress: ProgressFormat;
  readonly color: boolean;
  readonly yes: boolean;
}

export interface CommandContext {
  readonly io: CliIO;
  readonly output: Output;
  readonly globals: GlobalOptions;
}

export async function resolveProjectRoot(context: CommandContext): Promise<string> {
  const { projectDir } = context.globals;
  if (projectDir !== undefined) {
    const absolute = resolve(context.io.cwd, projectDir);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new CliError({
        message: `project directory does not exist: ${absolute}: pass an existing directory to --project-dir`,
        exitCode: EXIT.usage,
      });
    }
  }
  const { findProjectRoot } = await import('@kode/config');
  return findProjectRoot({ cwd: context.io.cwd, projectDir });
}

export interface LoadedConfig {
  readonly projectRoot: string;
  readonly config: KodeConfig;
  readonly sources: Readonly<Record<string, ConfigSource>>;
}

/**
 * Loads and validates .kode/kode.json with flag > env > file > default precedence. Warnings go to
 * stderr; any error ends the command with exit 2, one `error:` line per problem (spec §5.9).
 */
export async function loadProjectConfig(
  context: CommandContext,
  flags: Readonly<Record<string, unknown>> = {},
  options: { readonly interruptedRunNotice?: boolean } = {},
): Promise<LoadedConfig> {
  const projectRoot = await resolveProjectRoot(context);
  // §3.0: a command that does not write only points at an interrupted run (`kode recover` completes it). Looked up
  // while the configuration loads: it costs a `git rev-parse` and a directory listing.
  const interrupted =
    options.interruptedRunNotice === false
      ? Promise.resolve([])
      : import('@kode/snapshot').then(({ findInterruptedRuns }) => findInterruptedRuns(projectRoot)).catch(() => []);
  // Libraries load on first use so `kode --version` and `--help` start with yargs alone.
  const { formatConfigIssue, loadConfig, refreshSchemaCopy } = await import('@kode/config');
  const result = await loadConfig({ projectRoot, env: { ...context.io.env }, flags: { ...flags } });
  for (const warning of result.warnings) context.output.warning(formatConfigIssue(warning));
  if (result.errors.length > 0) {
    const lines = result.errors.map((issue) => formatConfigIssue(issue));
    throw new CliError({ message: lines[0] ?? 'invalid configuration', exitCode: EXIT.usage, lines });
  }
  // §5.1: keep the editor schema copy in step with this version. Best effort: a read-only checkout must
  // not stop a command that only reads.
  await refreshSchemaCopy({ projectRoot }).catch(() => false);
  for (const runId of await interrupted) {
    context.output.notice(`an interrupted kode run was found (${runId}): run kode recover`);
  }
  return { projectRoot, config: result.config, sources: result.sources };
}

/** `--log-dir` > KODE_LOG_DIR > `<root>/logs`; relative paths resolve against the project root. */
export function resolveLogFile(context: CommandContext, projectRoot: string): string {
  const configured = context.globals.logDir ?? nonEmpty(context.io.env.KODE_LOG_DIR) ?? 'logs';
  const directory = isAbsolute(configured) ? configured : resolve(projectRoot, configured);
  return join(directory, 'kode.log');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

import { booleanArg, numberArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import { loadProjectConfig, resolveLogFile } from '../context.js';
import type { CommandContext } from '../context.js';
import { logOpenError } from '../log-errors.js';

export async function runStats(
  context: CommandContext,
  options: { top: number; days: number; json: boolean; now?: Date },
): Promise<number> {
  const { projectRoot } = await loadProjectConfig(context);
  const logFile = resolveLogFile(context, projectRoot);
  const { computeStats, renderStats } = await import('@kode/audit-log');
  let stats;
  try {
    stats = await computeStats({ logFile, top: options.top, days: options.days, now: options.now ?? new Date() });
  } catch (error) {
    throw await logOpenError(error);
  }
  if (options.json) context.output.json(stats);
  else context.output.out(renderStats(stats, { color: context.output.stdoutColor, top: options.top }));
  return 0;
}

function positiveInteger(name: string) {
  return (value: unknown): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1)
      throw new Error(`--${name} must be an integer >= 1 (got ${String(value)})`);
    return number;
  };
}

export const statsCommand: KodeCommand = {
  command: 'stats',
  describe: 'Summarise the audit log: pass rate, failure types, files, models, daily trend',
  builder: (yargs) =>
    yargs
      .option('top', {
        type: 'number',
        default: 10,
        describe: 'Most failed files to list',
        coerce: positiveInteger('top'),
      })
      .option('days', {
        type: 'number',
        default: 14,
        describe: 'Days in the daily trend',
        coerce: positiveInteger('days'),
      })
      .option('json', { type: 'boolean', default: false, describe: 'JSON output' }),
  run: (context, args) =>
    runStats(context, {
      top: numberArg(args, 'top') ?? 10,
      days: numberArg(args, 'days') ?? 14,
      json: booleanArg(args, 'json'),
    }),
};

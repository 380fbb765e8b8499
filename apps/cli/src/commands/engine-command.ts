// Declarations of `kode generate`, `kode run` and `kode loop` (§3.3-§3.5); the engine loads only when one runs.
import type { Argv } from 'yargs';
import type { ParsedArgs } from '../args.js';
import { booleanArg, numberArg, stringArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import type { EngineCommandOptions } from './engine.js';

function engineFlags(yargs: Argv): Argv {
  return yargs
    .positional('task', { type: 'string', describe: 'What to change, in plain words' })
    .option('model', { type: 'string', requiresArg: true, describe: 'provider/model or a bare model id' })
    .option('context-file', { type: 'string', requiresArg: true, describe: 'Context packet from kode plan --packet' })
    .option('edit-format', { choices: ['json', 'search-replace'] as const, describe: 'Format the model answers in' })
    .option('max-rounds', {
      type: 'number',
      requiresArg: true,
      describe: 'Verification rounds including the first (1-10)',
    })
    .option('budget', { type: 'number', requiresArg: true, describe: 'Cost ceiling in USD for this invocation' })
    .option('tdd', { type: 'boolean', describe: 'TDD pre-gate (--no-tdd to disable)' })
    .option('block-architecture', { type: 'boolean', describe: 'Architecture violations FAIL instead of WARN' })
    .option('record', {
      type: 'string',
      requiresArg: true,
      describe: 'Record every model exchange to this JSONL file (replay it with --model replay/<file>)',
    })
    .option('json', { type: 'boolean', default: true, describe: 'Accepted; JSON is always printed' });
}

function engineOptions(args: ParsedArgs, command: EngineCommandOptions['command']): EngineCommandOptions {
  const flagNumber = (name: string): number | undefined =>
    args[name] === undefined ? undefined : (numberArg(args, name) ?? Number.NaN);
  return {
    command,
    task: stringArg(args, 'task') ?? '',
    apply: booleanArg(args, 'apply'),
    model: stringArg(args, 'model'),
    contextFile: stringArg(args, 'context-file'),
    editFormat: stringArg(args, 'edit-format'),
    maxRounds: flagNumber('max-rounds'),
    budget: flagNumber('budget'),
    tdd: typeof args.tdd === 'boolean' ? args.tdd : undefined,
    blockArchitecture: typeof args['block-architecture'] === 'boolean' ? args['block-architecture'] : undefined,
    testCommand: stringArg(args, 'test-command'),
    testTimeout: flagNumber('test-timeout'),
    record: stringArg(args, 'record'),
  };
}

export const generateCommand: KodeCommand = {
  command: 'generate <task>',
  describe: 'Ask the model for a patch and print it (--apply: verify and apply it, like kode run)',
  builder: (yargs) =>
    engineFlags(yargs).option('apply', { type: 'boolean', default: false, describe: 'Verify and apply (= kode run)' }),
  run: async (context, args) =>
    (await import('./engine.js')).runEngineCommand(context, engineOptions(args, 'generate')),
};

export const runCommand: KodeCommand = {
  command: 'run <task>',
  describe: 'Generate, verify (with self-correction) and apply a change; no tests',
  builder: engineFlags,
  run: async (context, args) => (await import('./engine.js')).runEngineCommand(context, engineOptions(args, 'run')),
};

export const loopCommand: KodeCommand = {
  command: 'loop <task>',
  describe: 'Generate, verify, apply, run the tests; keep on pass, roll back on failure',
  builder: (yargs) =>
    engineFlags(yargs)
      .option('test-command', { type: 'string', requiresArg: true, describe: 'Shell command run in the project root' })
      .option('test-timeout', { type: 'number', requiresArg: true, describe: 'Seconds before the tests are killed' }),
  run: async (context, args) => (await import('./engine.js')).runEngineCommand(context, engineOptions(args, 'loop')),
};

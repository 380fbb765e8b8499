// Declaration of `kode verify` (alias `verify-hunks`); the implementation and @kode/gate load only when it runs.
import { booleanArg, numberArg, stringArg } from '../args.js';
import type { KodeCommand } from '../command.js';

export const verifyCommand: KodeCommand = {
  command: 'verify',
  aliases: ['verify-hunks'],
  describe: 'Run a patch (hunks, files or a unified diff) through the gates without a model; writes nothing',
  builder: (yargs) =>
    yargs
      .option('input', { type: 'string', requiresArg: true, describe: 'JSON input document (- reads stdin)' })
      .option('diff', {
        type: 'string',
        requiresArg: true,
        describe: 'Unified diff, e.g. from git diff (- reads stdin)',
      })
      .option('hook', { choices: ['claude-code'] as const, describe: 'Read an agent hook payload from stdin' })
      .option('block-architecture', { type: 'boolean', describe: 'Architecture violations FAIL' })
      .option('max-blast-radius', { type: 'number', describe: 'Blast-radius limit for this run (integer >= 1)' })
      .option('tdd', { type: 'boolean', default: false, describe: 'Run the TDD pre-gate' })
      .option('model', { type: 'string', requiresArg: true, describe: 'Model id recorded in the audit entry' })
      .option('json', { type: 'boolean', default: true, describe: 'Accepted; JSON is always printed' }),
  run: async (context, args) =>
    (await import('./verify.js')).runVerify(context, {
      input: stringArg(args, 'input'),
      diff: stringArg(args, 'diff'),
      hook: stringArg(args, 'hook') === 'claude-code' ? 'claude-code' : undefined,
      blockArchitecture: typeof args['block-architecture'] === 'boolean' ? args['block-architecture'] : undefined,
      maxBlastRadius:
        args['max-blast-radius'] === undefined ? undefined : (numberArg(args, 'max-blast-radius') ?? Number.NaN),
      tdd: booleanArg(args, 'tdd'),
      model: stringArg(args, 'model'),
    }),
};

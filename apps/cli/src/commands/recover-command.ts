// Declaration of `kode recover`; the implementation (and @kode/snapshot) loads only when it runs.
import { booleanArg } from '../args.js';
import type { KodeCommand } from '../command.js';

export const recoverCommand: KodeCommand = {
  command: 'recover',
  describe: 'Complete interrupted transactions: restore every file an interrupted run touched',
  builder: (yargs) =>
    yargs
      .option('dry-run', { type: 'boolean', default: false, describe: 'Report what would be restored; change nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'JSON report on stdout' }),
  run: async (context, args) =>
    (await import('./recover.js')).runRecover(context, {
      dryRun: booleanArg(args, 'dry-run'),
      json: booleanArg(args, 'json'),
    }),
};

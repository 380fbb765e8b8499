// Declaration of `kode models`; the implementation (and @kode/providers) loads only when it runs.
import { booleanArg, stringArg } from '../args.js';
import type { KodeCommand } from '../command.js';

export const modelsCommand: KodeCommand = {
  command: 'models [provider]',
  describe: 'List the provider/model ids usable with the current configuration',
  builder: (yargs) =>
    yargs
      .positional('provider', {
        type: 'string',
        describe: 'Query only this provider (built-in or custom id, or endpoint for KODE_LLM_ENDPOINT)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'JSON output' })
      .option('verbose', { type: 'boolean', default: false, describe: 'Add context window, prices and source' }),
  run: async (context, args) =>
    (await import('./models.js')).runModels(context, {
      provider: stringArg(args, 'provider'),
      json: booleanArg(args, 'json'),
      verbose: booleanArg(args, 'verbose'),
    }),
};

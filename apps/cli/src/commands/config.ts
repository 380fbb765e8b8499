import { booleanArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import { loadProjectConfig } from '../context.js';
import type { CommandContext } from '../context.js';

export async function runConfigShow(context: CommandContext, options: { sources: boolean }): Promise<number> {
  const { config, sources } = await loadProjectConfig(context);
  context.output.json(options.sources ? { config, sources } : config);
  return 0;
}

export const configCommand: KodeCommand = {
  command: 'config',
  describe: 'Inspect the resolved configuration',
  run: () => 0,
  subcommands: [
    {
      command: 'show',
      describe: 'Print the resolved configuration as JSON (defaults, file, environment and flags merged)',
      builder: (yargs) =>
        yargs.option('sources', { type: 'boolean', default: false, describe: 'Also print where each value came from' }),
      run: (context, args) => runConfigShow(context, { sources: booleanArg(args, 'sources') }),
    },
  ],
};

import { booleanArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { versionInfo } from '../version.js';

export function runVersion(context: CommandContext, options: { json: boolean }): number {
  const info = versionInfo();
  if (options.json) context.output.json(info);
  else context.output.out(`kode ${info.version} (commit: ${info.commit}, date: ${info.date}, node ${info.node})`);
  return 0;
}

export const versionCommand: KodeCommand = {
  command: 'version',
  describe: 'Print the version, commit, build date and Node version',
  builder: (yargs) => yargs.option('json', { type: 'boolean', default: false, describe: 'JSON output' }),
  run: (context, args) => runVersion(context, { json: booleanArg(args, 'json') }),
};

import type { Argv } from 'yargs';
import type { ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';

/** One CLI command: its yargs declaration and a handler that returns the exit code. */
export interface KodeCommand {
  readonly command: string | readonly string[];
  readonly describe: string | false;
  readonly aliases?: readonly string[];
  readonly builder?: (yargs: Argv) => Argv;
  /** Runs the command. Throwing a CliError prints its `error:` lines and exits with its code. */
  readonly run: (context: CommandContext, args: ParsedArgs) => Promise<number> | number;
  /** Sub-commands (`kode audit verify`, `kode config show`). */
  readonly subcommands?: readonly KodeCommand[];
}

// The argv -> command dispatcher. Parsing errors print usage on stderr and exit 2; command
// handlers return their exit code; CliErrors become `error:` lines with their code.
import yargs from 'yargs';
import type { Argv } from 'yargs';
import type { ParsedArgs } from './args.js';
import type { KodeCommand } from './command.js';
import { COMMANDS } from './commands/index.js';
import type { CommandContext, GlobalOptions } from './context.js';
import { CliError, EXIT } from './errors.js';
import { Output } from './io.js';
import type { CliIO, ProgressFormat } from './io.js';
import { versionInfo } from './version.js';

export function globalOptions(args: ParsedArgs): GlobalOptions {
  const progress: ProgressFormat = args.progress === 'jsonl' ? 'jsonl' : 'text';
  return {
    projectDir: typeof args['project-dir'] === 'string' ? args['project-dir'] : undefined,
    logDir: typeof args['log-dir'] === 'string' ? args['log-dir'] : undefined,
    quiet: args.quiet === true,
    progress,
    color: args.color !== false,
    yes: args.yes === true,
  };
}

interface Dispatch {
  exitCode: number;
  ran: boolean;
}

function register(parser: Argv, command: KodeCommand, io: CliIO, dispatch: Dispatch): Argv {
  return parser.command({
    command: command.command,
    describe: command.describe,
    aliases: command.aliases,
    builder: (child: Argv) => {
      let built = command.builder ? command.builder(child) : child;
      for (const sub of command.subcommands ?? []) built = register(built, sub, io, dispatch);
      if (command.subcommands && command.subcommands.length > 0) built = built.demandCommand(1, '');
      return built;
    },
    handler: async (args: ParsedArgs) => {
      dispatch.ran = true;
      const globals = globalOptions(args);
      const output = new Output({ io, color: globals.color, quiet: globals.quiet, progress: globals.progress });
      const context: CommandContext = { io, output, globals };
      try {
        dispatch.exitCode = await command.run(context, args);
      } catch (error) {
        if (CliError.isInstance(error)) {
          for (const line of error.lines) output.error(line);
          dispatch.exitCode = error.exitCode;
        } else {
          const message = error instanceof Error ? error.message : String(error);
          output.error(`unexpected failure: ${message}: please report this with the command you ran`);
          if (io.env.KODE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
          dispatch.exitCode = EXIT.fail;
        }
      }
    },
  });
}

export function buildParser(io: CliIO, dispatch: Dispatch): Argv {
  let parser: Argv = yargs()
    .scriptName('kode')
    .usage(
      'kode <command> [options]\n\nVerification-gated AI coding: every edit passes a static gate before it touches disk.',
    )
    .exitProcess(false)
    .strict()
    .version(versionInfo().version)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, io.stdoutIsTTY ? (process.stdout.columns ?? 100) : 100))
    .env(false)
    .options({
      'project-dir': { type: 'string', describe: 'Project root (default: discovered)', global: true },
      'log-dir': { type: 'string', describe: 'Audit log directory (default: <root>/logs)', global: true },
      quiet: { alias: 'q', type: 'boolean', describe: 'No progress output', global: true },
      progress: {
        choices: ['text', 'jsonl'] as const,
        default: 'text',
        describe: 'Progress format on stderr',
        global: true,
      },
      color: { type: 'boolean', default: true, describe: 'Colour output (--no-color to disable)', global: true },
      yes: { alias: 'y', type: 'boolean', describe: 'Answer yes to every "ask" permission', global: true },
    })
    // Hidden: answers `--get-yargs-completions` for the scripts printed by `kode completion`.
    .completion('__complete', false);
  for (const command of COMMANDS) parser = register(parser, command, io, dispatch);
  return parser;
}

export async function runCli(options: { argv: readonly string[]; io: CliIO }): Promise<number> {
  const { io } = options;
  const dispatch: Dispatch = { exitCode: EXIT.ok, ran: false };
  const parser = buildParser(io, dispatch);
  let parseError: Error | undefined;
  let parseOutput = '';
  try {
    await parser.parseAsync([...options.argv], {}, (error: Error | undefined, _argv: unknown, output: string) => {
      parseError = error ?? undefined;
      parseOutput = output;
    });
  } catch (error) {
    parseError = error instanceof Error ? error : new Error(String(error));
  }
  if (parseError) {
    const help = await parser.getHelp();
    io.stderr.write(`${help}\n\n${parseError.message}\n`);
    return EXIT.usage;
  }
  if (parseOutput) {
    io.stdout.write(parseOutput.endsWith('\n') ? parseOutput : `${parseOutput}\n`);
    return EXIT.ok;
  }
  if (!dispatch.ran) {
    // Bare `kode` (the TUI is not part of this build): print the help on stdout.
    io.stdout.write(`${await parser.getHelp()}\n`);
    return EXIT.ok;
  }
  return dispatch.exitCode;
}

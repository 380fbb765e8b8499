import { existsSync } from 'node:fs';
import { stringArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import { loadProjectConfig, resolveLogFile } from '../context.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';

export async function runExplain(context: CommandContext, options: { check: string }): Promise<number> {
  const { projectRoot } = await loadProjectConfig(context);
  const logFile = resolveLogFile(context, projectRoot);
  const { explainCheck, UnknownCheckError } = await import('@kode/audit-log');
  // §4.10: `kode explain security` prints every rule with its fix hint (the catalogue lives with the gate).
  const extraSections =
    options.check.toLowerCase() === 'security' ? (await import('@kode/gate')).securityRulesMarkdown() : undefined;
  try {
    const markdown = await explainCheck({
      check: options.check,
      logFile: existsSync(logFile) ? logFile : undefined,
      ...(extraSections === undefined ? {} : { extraSections }),
    });
    context.output.out(markdown);
    return EXIT.ok;
  } catch (error) {
    if (UnknownCheckError.isInstance(error)) throw new CliError({ message: error.message, exitCode: EXIT.usage });
    throw error;
  }
}

export const explainCommand: KodeCommand = {
  command: 'explain <check>',
  describe: 'Explain a check, its common causes and fixes, with recent examples from the audit log',
  builder: (yargs) => yargs.positional('check', { type: 'string', describe: 'e.g. imports, syntax, security' }),
  run: (context, args) => runExplain(context, { check: stringArg(args, 'check') ?? '' }),
};

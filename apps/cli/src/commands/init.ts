import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { KodeConfig } from '@kode/config';
import { stringArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';

function providerLine(config: KodeConfig): string {
  const { primary, gateway_url: gatewayUrl } = config.providers;
  if (primary === 'kode') return `kode gateway at ${gatewayUrl} (kode providers login to change)`;
  return `${primary} (${config.model}) (kode providers login to change)`;
}

export async function runInit(context: CommandContext, options: { directory: string | undefined }): Promise<number> {
  const { output } = context;
  const directory = resolve(context.io.cwd, options.directory ?? '.');
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CliError({ message: `directory does not exist: ${directory}: create it first`, exitCode: EXIT.usage });
  }
  const { initProject } = await import('@kode/config');
  const result = await initProject({ directory });
  if (!result.created) {
    output.failure(`kode.json already exists at ${result.configPath}`);
    output.plain('  Delete it first or use a different directory.');
    return EXIT.ok;
  }
  const { config } = result;
  const engine = config.engine;
  const testCommand = result.testCommand;
  output.header('Kode Init');
  output.success(`Created directory ${result.stateDir}`);
  output.plain(`  Auto-detected test command: ${testCommand ?? 'none (set engine.test_command)'}`);
  output.success(`Written ${result.configPath}`);
  output.header('Engine Features');
  output.plain(
    `  TDD Mode:        ${engine.tdd_mode ? 'ON  (writes blocked unless the patch includes a test file)' : 'OFF'}`,
  );
  output.plain(`  Test Command:    ${testCommand ?? '(none)'}`);
  output.plain(`  Blast Radius:    ${engine.max_blast_radius} files max per verify round`);
  output.plain(`  Token Budget:    $${engine.token_budget_usd.toFixed(2)} per loop cycle`);
  output.plain(`  Blindfold:       ${engine.blindfold_mode ? 'ON ' : 'OFF'} (identifier obfuscation before LLM send)`);
  output.plain(`  Security Gate:   ON  (${config.security.block_severity} and critical findings block patches)`);
  output.plain(`  Provider:        ${providerLine(config)}`);
  output.plain('');
  output.plain('  Edit .kode/kode.json to customize.');
  if (!result.gitWorkTree) {
    output.notice('not a git repository: ghost branches need git; transaction state will live in the user state dir');
  }
  return EXIT.ok;
}

export const initCommand: KodeCommand = {
  command: 'init [directory]',
  describe: 'Create .kode/ with a complete configuration file',
  builder: (yargs) => yargs.positional('directory', { type: 'string', describe: 'Project directory (default: .)' }),
  run: (context, args) => runInit(context, { directory: stringArg(args, 'directory') }),
};

// Declaration of `kode providers`; the implementation (and @kode/providers) loads only when it runs.
import { booleanArg, stringArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import { EXIT } from '../errors.js';

export const providersCommand: KodeCommand = {
  command: 'providers',
  describe: 'Log in to model providers, list them, log out',
  run: () => EXIT.ok,
  subcommands: [
    {
      command: 'login',
      describe: 'Save a provider key in the credential store and make the provider the default',
      builder: (yargs) =>
        yargs
          .option('provider', { type: 'string', describe: 'Built-in id or a new custom id ([a-z0-9-]+)' })
          .option('endpoint', { type: 'string', describe: 'Base URL (custom ids, kode, ollama, lmstudio)' })
          .option('model', { type: 'string', describe: 'Model to make the default (bare id)' })
          .option('api-key-env', { type: 'string', describe: 'Read the key from this environment variable' })
          .option('api-key-stdin', { type: 'boolean', default: false, describe: 'Read the key from stdin (one line)' })
          .option('key', { type: 'boolean', default: true, describe: 'Use --no-key to save no key (local servers)' })
          .option('default', {
            type: 'boolean',
            default: true,
            describe: 'Use --no-default to leave .kode/kode.json unchanged',
          }),
      run: async (context, args) =>
        (await import('./providers.js')).runProvidersLogin(context, {
          provider: stringArg(args, 'provider'),
          endpoint: stringArg(args, 'endpoint'),
          model: stringArg(args, 'model'),
          apiKeyEnv: stringArg(args, 'api-key-env'),
          apiKeyStdin: booleanArg(args, 'api-key-stdin'),
          key: args.key !== false,
          setDefault: args.default !== false,
        }),
    },
    {
      command: 'list',
      describe: 'List configured providers and where each key comes from (masked)',
      builder: (yargs) => yargs.option('json', { type: 'boolean', default: false, describe: 'JSON output' }),
      run: async (context, args) =>
        (await import('./providers.js')).runProvidersList(context, { json: booleanArg(args, 'json') }),
    },
    {
      command: 'logout <id>',
      describe: 'Remove the stored key of a provider',
      builder: (yargs) => yargs.positional('id', { type: 'string', demandOption: true, describe: 'Provider id' }),
      run: async (context, args) =>
        (await import('./providers.js')).runProvidersLogout(context, { provider: stringArg(args, 'id') ?? '' }),
    },
  ],
};

// `kode providers login | list | logout` (§3.10). Keys go to the credential store in the user config dir,
// never to kode.json and never to any output (only `…` + the last 4 characters are shown). Every wizard
// prompt has a flag, and without a TTY a missing answer is a usage error rather than a hang.
import { join } from 'node:path';
import { userConfigDir } from '@kode/config';
import type { KodeConfig } from '@kode/config';
import {
  BUILTIN_PROVIDERS,
  KodeError,
  PRICE_CATALOG,
  RESERVED_PROVIDER_IDS,
  addTrustedHost,
  builtinProvider,
  gatewayBaseURL,
  isLoopbackURL,
  keyVariables,
  listConfiguredProviders,
  maskKey,
  providerBaseURL,
  queryProviderModels,
  readCredentials,
  removeCredential,
  saveCredential,
  updateProjectConfigFile,
} from '@kode/providers';
import type { ConfigFieldUpdate, CredentialStore, ModelEntry } from '@kode/providers';
import { loadProjectConfig } from '../context.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';

/** The wizard's questions; the default asks with @inquirer/prompts on stderr. */
export interface Prompter {
  select(options: { message: string; choices: readonly { name: string; value: string }[] }): Promise<string>;
  input(options: { message: string; default?: string }): Promise<string>;
  password(options: { message: string }): Promise<string>;
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
}

export interface ProvidersDependencies {
  readonly configDir?: string;
  readonly fetch?: typeof fetch;
  readonly prompter?: Prompter;
  /** Reads one line of stdin for --api-key-stdin. */
  readonly readStdin?: () => Promise<string>;
}

export interface LoginOptions {
  readonly provider: string | undefined;
  readonly endpoint: string | undefined;
  readonly model: string | undefined;
  readonly apiKeyEnv: string | undefined;
  readonly apiKeyStdin: boolean;
  /** False for --no-key. */
  readonly key: boolean;
  /** False for --no-default. */
  readonly setDefault: boolean;
}

const CUSTOM_ID = /^[a-z0-9-]+$/;
const ENDPOINT_PROVIDERS = new Set(['kode', 'ollama', 'lmstudio']);

function usage(message: string): CliError {
  return new CliError({ message, exitCode: EXIT.usage });
}

function inquirerPrompter(): Prompter {
  // Prompts go to stderr (§3.0); loaded lazily so other commands don't pay for them.
  const context = { output: process.stderr };
  return {
    select: async (options) =>
      (await import('@inquirer/prompts')).select({ ...options, choices: [...options.choices] }, context),
    input: async (options) => (await import('@inquirer/prompts')).input(options, context),
    password: async (options) => (await import('@inquirer/prompts')).password({ ...options, mask: '*' }, context),
    confirm: async (options) => (await import('@inquirer/prompts')).confirm(options, context),
  };
}

async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

function configDirOf(context: CommandContext, dependencies: ProvidersDependencies): string {
  return dependencies.configDir ?? userConfigDir(context.io.env);
}

function validURL(value: string, flag: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw usage(`${flag} must be an http(s) URL (got "${value}"): pass the server's OpenAI-compatible base URL`);
}

function rethrowKodeError(error: unknown): never {
  if (KodeError.isInstance(error)) throw new CliError({ message: error.message, exitCode: error.exitCode });
  throw error;
}

async function chooseProvider(options: LoginOptions, context: CommandContext, prompter: Prompter): Promise<string> {
  if (options.provider !== undefined) return options.provider;
  if (!context.io.stdinIsTTY) {
    throw usage(
      `--provider is required without a terminal: pass --provider <id> (${BUILTIN_PROVIDERS.map((entry) => entry.id).join(', ')} or a custom id)`,
    );
  }
  const choice = await prompter.select({
    message: 'Provider',
    choices: [
      ...BUILTIN_PROVIDERS.map((entry) => ({ name: `${entry.id} (${entry.displayName})`, value: entry.id })),
      { name: 'custom OpenAI-compatible endpoint', value: '' },
    ],
  });
  return choice !== '' ? choice : (await prompter.input({ message: 'Custom provider id ([a-z0-9-]+)' })).trim();
}

async function chooseBaseURL(options: {
  provider: string;
  login: LoginOptions;
  context: CommandContext;
  prompter: Prompter;
  config: KodeConfig;
  store: CredentialStore;
}): Promise<{ baseURL: string; endpoint: string | undefined }> {
  const { provider, login, context, prompter, config, store } = options;
  const builtin = builtinProvider(provider);
  if (login.endpoint !== undefined && builtin && !ENDPOINT_PROVIDERS.has(provider)) {
    throw usage(`--endpoint applies only to custom providers, kode, ollama and lmstudio: drop it for ${provider}`);
  }
  let endpoint = login.endpoint === undefined ? undefined : validURL(login.endpoint, '--endpoint');
  const current =
    provider === 'kode'
      ? (context.io.env.KODE_GATEWAY_URL ?? config.providers.gateway_url)
      : providerBaseURL({ provider, config, env: {}, store });
  if (endpoint === undefined && (!builtin || ENDPOINT_PROVIDERS.has(provider))) {
    if (context.io.stdinIsTTY) {
      endpoint = validURL(
        (await prompter.input({ message: 'Endpoint (base URL)', default: current ?? '' })).trim(),
        'endpoint',
      );
    } else if (!builtin) {
      throw usage(`--endpoint is required for the custom provider "${provider}": pass its OpenAI-compatible base URL`);
    }
  }
  if (provider === 'kode') return { baseURL: gatewayBaseURL(endpoint ?? current ?? ''), endpoint };
  const baseURL = endpoint ?? current ?? builtin?.baseURL;
  if (baseURL === undefined) throw usage(`--endpoint is required for "${provider}"`);
  return { baseURL, endpoint };
}

async function chooseKey(options: {
  provider: string;
  login: LoginOptions;
  context: CommandContext;
  prompter: Prompter;
  dependencies: ProvidersDependencies;
}): Promise<{ key: string | undefined; from: string }> {
  const { provider, login, context, prompter, dependencies } = options;
  const sources = [login.apiKeyEnv !== undefined, login.apiKeyStdin, !login.key].filter(Boolean).length;
  if (sources > 1) throw usage('--api-key-env, --api-key-stdin and --no-key exclude each other: pass only one');
  if (!login.key) return { key: undefined, from: 'none' };
  if (login.apiKeyEnv !== undefined) {
    const value = context.io.env[login.apiKeyEnv];
    if (value === undefined || value === '') {
      throw usage(`${login.apiKeyEnv} is not set: export it first or pass --api-key-stdin`);
    }
    return { key: value, from: login.apiKeyEnv };
  }
  if (login.apiKeyStdin) {
    const line = (await (dependencies.readStdin ?? readStdinLine)()).trim();
    if (line === '') throw usage('no key on stdin: pipe the key in, or use --api-key-env <VAR>');
    return { key: line, from: 'stdin' };
  }
  const builtin = builtinProvider(provider);
  if (builtin?.local) return { key: undefined, from: 'none' };
  if (context.io.stdinIsTTY) {
    const typed = (
      await prompter.password({ message: `API key for ${provider}${builtin?.requiresKey ? '' : ' (empty for none)'}` })
    ).trim();
    return typed === '' ? { key: undefined, from: 'none' } : { key: typed, from: 'prompt' };
  }
  if (builtin?.requiresKey) {
    throw usage(`no key source for ${provider}: pass --api-key-env <VAR>, --api-key-stdin or --no-key`);
  }
  return { key: undefined, from: 'none' };
}

async function chooseModel(options: {
  provider: string;
  login: LoginOptions;
  context: CommandContext;
  prompter: Prompter;
  listed: readonly ModelEntry[];
}): Promise<string | undefined> {
  const { provider, login, context, prompter, listed } = options;
  const prefixed = (model: string): string =>
    provider === 'kode' || model.startsWith(`${provider}/`) ? model : `${provider}/${model}`;
  if (login.model !== undefined) return prefixed(login.model);
  const catalogDefault = Object.entries(PRICE_CATALOG.models).find(
    ([id, entry]) => entry.default === true && id.startsWith(`${provider}/`),
  )?.[0];
  if (context.io.stdinIsTTY) {
    if (listed.length > 0) {
      const picked = await prompter.select({
        message: 'Default model',
        choices: [
          ...listed.map((model) => ({ name: model.id, value: provider === 'kode' ? model.model : model.id })),
          { name: 'another model (type its id)', value: '' },
        ],
      });
      if (picked !== '') return picked;
    }
    const typed = (await prompter.input({ message: 'Default model id', default: catalogDefault ?? '' })).trim();
    return typed === '' ? undefined : prefixed(typed);
  }
  const listedIds = listed.map((model) => (provider === 'kode' ? model.model : model.id));
  if (catalogDefault !== undefined && (listedIds.length === 0 || listedIds.includes(catalogDefault))) {
    return catalogDefault;
  }
  return listedIds[0];
}

export async function runProvidersLogin(
  context: CommandContext,
  login: LoginOptions,
  dependencies: ProvidersDependencies = {},
): Promise<number> {
  const { output } = context;
  const { projectRoot, config } = await loadProjectConfig(context);
  const configDir = configDirOf(context, dependencies);
  const prompter = dependencies.prompter ?? inquirerPrompter();
  const store = await readCredentials({ configDir }).catch(rethrowKodeError);
  const provider = await chooseProvider(login, context, prompter);
  if (!builtinProvider(provider) && (!CUSTOM_ID.test(provider) || RESERVED_PROVIDER_IDS.includes(provider))) {
    throw usage(
      `invalid provider id "${provider}": use a built-in id or a custom id of [a-z0-9-]+ (not endpoint or replay)`,
    );
  }
  const { baseURL, endpoint } = await chooseBaseURL({ provider, login, context, prompter, config, store });
  const { key, from } = await chooseKey({ provider, login, context, prompter, dependencies });

  const protocol = builtinProvider(provider)?.protocol ?? 'openai-compatible';
  const check = await queryProviderModels({
    target: { id: provider, baseURL, protocol, apiKey: key, keySource: key ? 'store' : 'none', keyVariable: undefined },
    config,
    ...(dependencies.fetch ? { fetch: dependencies.fetch } : {}),
  });
  if (check.listing.failure === 'auth') {
    // 401/403 aborts: saving a key the provider just refused would only defer the failure.
    const given =
      from === 'none'
        ? 'that the provider needs a key'
        : from === 'stdin' || from === 'prompt'
          ? 'the key'
          : `the key in ${from}`;
    const what = (check.listing.message ?? `${baseURL} refused the key`).replace(/: check .*$/, '');
    throw new CliError({
      message: `${what}: check ${given} and run kode providers login again (nothing was saved)`,
      exitCode: EXIT.provider,
    });
  }
  if (!check.listing.reachable) {
    const saveAnyway = context.io.stdinIsTTY
      ? await prompter.confirm({ message: `${check.listing.message ?? 'unreachable'}. Save anyway?`, default: false })
      : true;
    if (!saveAnyway) throw new CliError({ message: check.listing.message ?? 'unreachable', exitCode: EXIT.provider });
    output.notice(`${check.listing.message ?? `cannot reach ${baseURL}`} (saved anyway)`);
  } else {
    output.success(`${provider} answered with ${check.listing.models} model${check.listing.models === 1 ? '' : 's'}`);
  }
  const model = await chooseModel({ provider, login, context, prompter, listed: check.models });

  await saveCredential({ configDir, provider, key, baseURL }).catch(rethrowKodeError);
  if (endpoint !== undefined && !isLoopbackURL(baseURL)) {
    await addTrustedHost({ configDir, host: new URL(baseURL).hostname });
  }
  output.success(
    key === undefined
      ? `Saved ${provider} (${baseURL}, no key) in the credential store`
      : `Saved key for ${provider} (${maskKey(key)}) in the credential store`,
  );
  if (!login.setDefault) return EXIT.ok;
  const updates: ConfigFieldUpdate[] = [];
  if (model !== undefined) updates.push({ path: ['model'], value: model });
  updates.push({ path: ['providers', 'primary'], value: provider });
  if (!builtinProvider(provider))
    updates.push({ path: ['providers', 'endpoints', provider, 'base_url'], value: baseURL });
  if (provider === 'kode' && endpoint !== undefined) {
    updates.push({ path: ['providers', 'gateway_url'], value: endpoint.replace(/\/v1$/, '') });
  }
  const file = join(projectRoot, '.kode', 'kode.json');
  try {
    await updateProjectConfigFile({ file, updates });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      output.notice(`no .kode/kode.json here: run kode init to make ${provider} the default`);
      return EXIT.ok;
    }
    throw error;
  }
  output.success(
    `.kode/kode.json: ${updates.map((update) => `${update.path.join('.')} = ${String(update.value)}`).join(', ')}`,
  );
  return EXIT.ok;
}

async function providerRows(context: CommandContext, dependencies: ProvidersDependencies) {
  const { config } = await loadProjectConfig(context);
  return listConfiguredProviders({
    config,
    env: context.io.env,
    configDir: configDirOf(context, dependencies),
  }).catch(rethrowKodeError);
}

export async function runProvidersList(
  context: CommandContext,
  options: { json: boolean },
  dependencies: ProvidersDependencies = {},
): Promise<number> {
  const rows = await providerRows(context, dependencies);
  if (options.json) {
    context.output.json(
      rows.map((row) => ({
        id: row.id,
        base_url: row.baseURL,
        key_source: row.keySource,
        key_hint: row.keyHint,
        primary: row.primary,
      })),
    );
    return EXIT.ok;
  }
  const cells = rows.map((row) => [row.primary ? '*' : ' ', row.id, row.baseURL, row.keySource, row.keyHint ?? '']);
  const widths = [1, 2, 3].map((column) => Math.max(...cells.map((cell) => cell[column]?.length ?? 0)));
  for (const cell of cells) {
    const [marker, id, url, source, hint] = cell;
    context.output.out(
      [marker, id?.padEnd(widths[0] ?? 0), url?.padEnd(widths[1] ?? 0), source?.padEnd(widths[2] ?? 0), hint]
        .join(' ')
        .trimEnd(),
    );
  }
  return EXIT.ok;
}

export async function runProvidersLogout(
  context: CommandContext,
  options: { provider: string },
  dependencies: ProvidersDependencies = {},
): Promise<number> {
  const { config } = await loadProjectConfig(context);
  const configDir = configDirOf(context, dependencies);
  const removed = await removeCredential({ configDir, provider: options.provider }).catch(rethrowKodeError);
  if (removed) context.output.success(`Removed the stored key for ${options.provider}`);
  else context.output.notice(`no stored key for ${options.provider}`);
  const stillSet = keyVariables(options.provider, config).filter((variable) => (context.io.env[variable] ?? '') !== '');
  for (const variable of stillSet) {
    context.output.notice(`${variable} still provides a key for ${options.provider}: unset it to stop using that key`);
  }
  return EXIT.ok;
}

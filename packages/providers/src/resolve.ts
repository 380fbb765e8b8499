// Where a call goes (§7.2), with which key (§7.3), and whether that key may be sent there. Resolution
// never falls back to another provider: a missing key or an unknown prefix is an error naming the fix.
import { userConfigDir } from '@kode/config';
import type { KodeConfig } from '@kode/config';
import {
  BUILTIN_PROVIDERS,
  RESERVED_PROVIDER_IDS,
  builtinProvider,
  gatewayBaseURL,
  hostLabel,
  hostname,
  isFreeProvider,
  isLoopbackURL,
} from './builtin-providers.js';
import type { Protocol } from './builtin-providers.js';
import { readCredentials, readTrustedHosts } from './credential-store.js';
import type { CredentialStore } from './credential-store.js';
import { MissingApiKeyError, UnknownProviderError, UntrustedHostError } from './errors.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The part of KodeConfig resolution reads. */
export type ProviderConfig = Pick<KodeConfig, 'model' | 'small_model' | 'providers' | 'pricing'>;

export const DEFAULT_MODEL = 'anthropic/claude-sonnet-4-6';

/** Where a key came from, as `kode providers list` shows it. */
export type KeySource = `env:${string}` | 'store' | 'none';

export interface ResolvedTarget {
  /** `endpoint`, `kode`, a built-in id or a custom id. */
  readonly provider: string;
  readonly protocol: Protocol;
  /** The id sent to the server. */
  readonly modelId: string;
  /** The id prices are looked up by (`anthropic/claude-sonnet-4-6`; verbatim for `endpoint`). */
  readonly priceId: string;
  readonly baseURL: string;
  readonly apiKey: string | undefined;
  readonly keySource: KeySource;
  /** The variable to name when the key is rejected or missing. */
  readonly keyVariable: string | undefined;
  readonly supportsTools: boolean;
  readonly local: boolean;
}

export function envValue(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Every provider id that is not built in: kode.json endpoints plus ids saved by `kode providers login`. */
export function customProviderIds(config: ProviderConfig, store: CredentialStore): string[] {
  const ids = new Set(Object.keys(config.providers.endpoints));
  for (const id of Object.keys(store)) if (!builtinProvider(id) && !RESERVED_PROVIDER_IDS.includes(id)) ids.add(id);
  return [...ids].sort();
}

export function knownProviderIds(config: ProviderConfig, store: CredentialStore): string[] {
  return [...BUILTIN_PROVIDERS.map((provider) => provider.id), ...customProviderIds(config, store)];
}

/** §7.2 step 1 (and the small-model rule). */
export function resolveModelId(options: {
  config: ProviderConfig;
  env: Environment;
  modelId?: string | undefined;
  role?: 'main' | 'small';
}): string {
  if (options.modelId !== undefined && options.modelId !== '') return options.modelId;
  const main = envValue(options.env, 'KODE_LLM_MODEL') ?? (options.config.model || DEFAULT_MODEL);
  if (options.role !== 'small' || envValue(options.env, 'KODE_LLM_ENDPOINT') !== undefined) return main;
  return options.config.small_model || main;
}

/** The key for a provider, in §7.3 order: KODE_LLM_API_KEY > the provider's variables > the store. */
export function lookupKey(options: {
  provider: string;
  config: ProviderConfig;
  env: Environment;
  store: CredentialStore;
}): { key: string | undefined; source: KeySource } {
  const shared = envValue(options.env, 'KODE_LLM_API_KEY');
  if (shared !== undefined) return { key: shared, source: 'env:KODE_LLM_API_KEY' };
  for (const variable of keyVariables(options.provider, options.config)) {
    const value = envValue(options.env, variable);
    if (value !== undefined) return { key: value, source: `env:${variable}` };
  }
  const stored = options.store[options.provider]?.key;
  if (stored !== undefined) return { key: stored, source: 'store' };
  return { key: undefined, source: 'none' };
}

export function keyVariables(provider: string, config: ProviderConfig): readonly string[] {
  const builtin = builtinProvider(provider);
  if (builtin) return builtin.keyVariables;
  const variable = config.providers.endpoints[provider]?.api_key_env;
  return variable ? [variable] : [];
}

/** Base URL of a provider id under this configuration; undefined for an unknown id. */
export function providerBaseURL(options: {
  provider: string;
  config: ProviderConfig;
  env: Environment;
  store: CredentialStore;
}): string | undefined {
  const { provider, config, env, store } = options;
  if (provider === 'endpoint') return envValue(env, 'KODE_LLM_ENDPOINT');
  if (provider === 'kode') return gatewayBaseURL(envValue(env, 'KODE_GATEWAY_URL') ?? config.providers.gateway_url);
  const builtin = builtinProvider(provider);
  // Local servers may live elsewhere (`kode providers login ollama --endpoint …` stores where).
  if (builtin?.local) return store[provider]?.base_url ?? builtin.baseURL;
  if (builtin) return builtin.baseURL;
  return config.providers.endpoints[provider]?.base_url ?? store[provider]?.base_url;
}

function splitModelId(options: { id: string; config: ProviderConfig; store: CredentialStore }): {
  provider: string;
  modelId: string;
} {
  const { id, config, store } = options;
  const slash = id.indexOf('/');
  const known = new Set(knownProviderIds(config, store));
  const primary = config.providers.primary;
  if (slash === -1) {
    if (!known.has(primary)) {
      throw new UnknownProviderError({
        provider: primary,
        message: `unknown provider "${primary}" in providers.primary: add it to providers.endpoints or run kode providers login`,
      });
    }
    return { provider: primary, modelId: id };
  }
  const prefix = id.slice(0, slash);
  if (!known.has(prefix)) {
    throw new UnknownProviderError({
      provider: prefix,
      message: `unknown provider "${prefix}" in model "${id}": add it to providers.endpoints or run kode providers login`,
    });
  }
  return { provider: prefix, modelId: id.slice(slash + 1) };
}

/** Resolves a model id to a target without creating a client (§7.2 steps 2-5). */
export function resolveTarget(options: {
  config: ProviderConfig;
  env: Environment;
  store: CredentialStore;
  modelId: string;
}): ResolvedTarget {
  const { config, env, store } = options;
  const endpoint = envValue(env, 'KODE_LLM_ENDPOINT');
  if (endpoint !== undefined) {
    const key = envValue(env, 'KODE_LLM_API_KEY');
    return {
      provider: 'endpoint',
      protocol: 'openai-compatible',
      modelId: options.modelId,
      priceId: options.modelId,
      baseURL: endpoint,
      apiKey: key,
      keySource: key === undefined ? 'none' : 'env:KODE_LLM_API_KEY',
      keyVariable: 'KODE_LLM_API_KEY',
      supportsTools: false,
      local: isLoopbackURL(endpoint),
    };
  }
  const split =
    config.providers.primary === 'kode'
      ? {
          provider: 'kode',
          modelId: options.modelId.startsWith('kode/') ? options.modelId.slice(5) : options.modelId,
        }
      : splitModelId({ id: options.modelId, config, store });
  const provider = split.provider;
  const builtin = builtinProvider(provider);
  const baseURL = providerBaseURL({ provider, config, env, store });
  if (baseURL === undefined) {
    throw new UnknownProviderError({
      provider,
      message: `no base URL for provider "${provider}": set providers.endpoints.${provider}.base_url in .kode/kode.json or run kode providers login`,
    });
  }
  const { key, source } = lookupKey({ provider, config, env, store });
  const variables = keyVariables(provider, config);
  const requiresKey = builtin ? builtin.requiresKey : variables.length > 0;
  if (key === undefined && requiresKey) {
    throw new MissingApiKeyError({ provider, variable: variables[0] ?? 'KODE_LLM_API_KEY' });
  }
  return {
    provider,
    protocol: builtin?.protocol ?? 'openai-compatible',
    modelId: split.modelId,
    priceId: provider === 'kode' ? split.modelId : `${provider}/${split.modelId}`,
    baseURL,
    apiKey: key,
    keySource: source,
    keyVariable: source.startsWith('env:') ? source.slice(4) : variables[0],
    supportsTools: builtin?.supportsTools ?? config.providers.endpoints[provider]?.supports_tools ?? false,
    local: isFreeProvider(provider, baseURL),
  };
}

/**
 * §7.3 trusted hosts: a key goes only to the provider's built-in host, loopback, the hosts of
 * KODE_LLM_ENDPOINT / KODE_GATEWAY_URL, the host the key was stored for, or a host in trusted-hosts.json.
 */
export function checkTrustedHost(options: {
  target: ResolvedTarget;
  env: Environment;
  store: CredentialStore;
  trustedHosts: readonly string[];
}): void {
  const { target, env, store } = options;
  if (target.apiKey === undefined || target.provider === 'endpoint') return;
  const host = hostname(target.baseURL).toLowerCase();
  const builtin = builtinProvider(target.provider);
  const allowed = new Set<string>(options.trustedHosts.map((entry) => entry.toLowerCase()));
  if (builtin?.baseURL && !builtin.local) allowed.add(hostname(builtin.baseURL));
  for (const variable of ['KODE_LLM_ENDPOINT', 'KODE_GATEWAY_URL']) {
    const value = envValue(env, variable);
    if (value !== undefined) allowed.add(hostname(value).toLowerCase());
  }
  const stored = store[target.provider];
  if (target.keySource === 'store' && stored) allowed.add(hostname(stored.base_url).toLowerCase());
  if (isLoopbackURL(target.baseURL) || allowed.has(host)) return;
  throw new UntrustedHostError({
    host: hostLabel(target.baseURL),
    keySource: target.keySource === 'store' ? `the stored key for ${target.provider}` : target.keySource.slice(4),
    provider: target.provider,
  });
}

/** Reads the credential store and trusted hosts of the user config dir. */
export async function readUserCredentials(options: {
  env: Environment;
  configDir?: string;
}): Promise<{ configDir: string; store: CredentialStore; trustedHosts: readonly string[] }> {
  const configDir = options.configDir ?? userConfigDir(options.env);
  const [store, trustedHosts] = await Promise.all([readCredentials({ configDir }), readTrustedHosts({ configDir })]);
  return { configDir, store, trustedHosts };
}

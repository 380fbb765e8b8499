// What `kode providers list` shows (§3.10): every provider this machine and project are set up for, where
// its key comes from, and the key masked. Key values never leave this function except as `…` + last 4.
import { BUILTIN_PROVIDERS } from './builtin-providers.js';
import { maskKey, readCredentials } from './credential-store.js';
import {
  customProviderIds,
  envValue,
  keyVariables,
  lookupKey,
  providerBaseURL,
  resolveModelId,
  resolveTarget,
} from './resolve.js';
import type { Environment, KeySource, ProviderConfig } from './resolve.js';

export interface ConfiguredProvider {
  readonly id: string;
  readonly baseURL: string;
  readonly keySource: KeySource;
  /** `…` + the last 4 characters of the key in use; null without a key. */
  readonly keyHint: string | null;
  /** providers.primary */
  readonly primary: boolean;
}

/**
 * Rows for `endpoint` (when KODE_LLM_ENDPOINT is set), providers.primary, every stored provider, every
 * custom endpoint and every built-in provider whose variable is set, sorted by id after `endpoint`.
 */
export async function listConfiguredProviders(options: {
  config: ProviderConfig;
  env: Environment;
  configDir: string;
}): Promise<ConfiguredProvider[]> {
  const { config, env } = options;
  const store = await readCredentials({ configDir: options.configDir });
  let resolvedProvider: string | undefined;
  try {
    resolvedProvider = resolveTarget({ config, env, store, modelId: resolveModelId({ config, env }) }).provider;
  } catch {
    resolvedProvider = undefined;
  }
  const ids = new Set<string>([config.providers.primary, ...Object.keys(store), ...customProviderIds(config, store)]);
  for (const entry of BUILTIN_PROVIDERS) {
    if (keyVariables(entry.id, config).some((variable) => envValue(env, variable) !== undefined)) ids.add(entry.id);
  }
  const rows: ConfiguredProvider[] = [];
  const endpoint = envValue(env, 'KODE_LLM_ENDPOINT');
  if (endpoint !== undefined) {
    const key = envValue(env, 'KODE_LLM_API_KEY');
    rows.push({
      id: 'endpoint',
      baseURL: endpoint,
      keySource: key === undefined ? 'none' : 'env:KODE_LLM_API_KEY',
      keyHint: key === undefined ? null : maskKey(key),
      primary: false,
    });
  }
  for (const id of [...ids].sort()) {
    // KODE_LLM_API_KEY serves only the provider the model resolves to.
    const scoped = id === resolvedProvider ? env : { ...env, KODE_LLM_API_KEY: undefined };
    const { key, source } = lookupKey({ provider: id, config, env: scoped, store });
    rows.push({
      id,
      baseURL: providerBaseURL({ provider: id, config, env, store }) ?? '',
      keySource: source,
      keyHint: key === undefined ? null : maskKey(key),
      primary: id === config.providers.primary,
    });
  }
  return rows;
}

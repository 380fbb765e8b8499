// listModels (§3.9): which `provider/model` ids are usable with the current configuration. Each queried
// provider is asked for its list (GET <base>/models or the Anthropic models API, 10 s timeout, one retry)
// and the answer is merged with the price catalogue; the API list is authoritative.
import { STATUS_CODES } from 'node:http';
import { createAnthropicClient } from './anthropic.js';
import { BUILTIN_PROVIDERS, builtinProvider, hostLabel, isFreeProvider } from './builtin-providers.js';
import { defaultUnreachableFix } from './create-provider.js';
import type { CredentialStore } from './credential-store.js';
import { APICallError, KodeError, UnknownProviderError } from './errors.js';
import { mapProviderError } from './error-mapping.js';
import { createOpenAIClient } from './openai-compatible.js';
import { catalogEntry, lookupPrice } from './pricing.js';
import {
  checkTrustedHost,
  customProviderIds,
  envValue,
  knownProviderIds,
  readUserCredentials,
  resolveModelId,
  resolveTarget,
} from './resolve.js';
import type { Environment, KeySource, ProviderConfig, ResolvedTarget } from './resolve.js';
import { backoffDelay, resolveRetryOptions } from './retry.js';
import type { RetryOptions } from './retry.js';

export type ListingFailure = 'unreachable' | 'auth' | 'config' | 'error';

export interface ProviderListing {
  readonly id: string;
  readonly baseURL: string;
  readonly reachable: boolean;
  readonly keySource: KeySource;
  /** Number of models listed for this provider. */
  readonly models: number;
  /** The cause (`connect ECONNREFUSED 127.0.0.1:11434`, `HTTP 401 Unauthorized`), null when fine. */
  readonly error: string | null;
  /** The full `<what happened>: <how to fix it>` line, null when fine. */
  readonly message: string | null;
  readonly failure: ListingFailure | null;
}

export type ModelSource = 'api' | 'api+catalog' | 'config' | 'config+catalog';

export interface ModelEntry {
  /** What to pass to --model / KODE_LLM_MODEL (bare for `endpoint`). */
  readonly id: string;
  readonly provider: string;
  /** The id the server knows. */
  readonly model: string;
  readonly source: ModelSource;
  readonly contextWindow: number | null;
  readonly inputUsdPerMtok: number | null;
  readonly outputUsdPerMtok: number | null;
  /** The resolved model of this configuration. */
  readonly default: boolean;
}

export interface ModelListing {
  readonly providers: readonly ProviderListing[];
  readonly models: readonly ModelEntry[];
  /** Provider of the resolved model, when it resolves. */
  readonly resolvedProvider: string | undefined;
}

export interface ListModelsOptions {
  readonly config: ProviderConfig;
  readonly env?: Environment;
  /** Query only this provider (built-in, custom, or `endpoint`). */
  readonly provider?: string;
  readonly configDir?: string;
  readonly fetch?: typeof fetch;
  /** Per request (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Default: one retry after up to 1 s. */
  readonly retry?: RetryOptions;
}

/** One provider to ask for its models. */
export interface QueryTarget {
  readonly id: string;
  readonly baseURL: string;
  readonly protocol: 'openai-compatible' | 'anthropic';
  readonly apiKey: string | undefined;
  readonly keySource: KeySource;
  readonly keyVariable: string | undefined;
  /** A resolution problem found before any request (missing key, untrusted host). */
  readonly problem?: KodeError;
}

function targetFor(options: {
  id: string;
  config: ProviderConfig;
  env: Environment;
  store: CredentialStore;
  trustedHosts: readonly string[];
  resolved: { provider: string; modelId: string } | undefined;
}): QueryTarget {
  const { id, config, store } = options;
  // KODE_LLM_API_KEY belongs to the resolved provider only; never spray it at every provider we list.
  const env = {
    ...options.env,
    ...(id === 'endpoint' ? {} : { KODE_LLM_ENDPOINT: undefined }),
    ...(id === options.resolved?.provider ? {} : { KODE_LLM_API_KEY: undefined }),
  };
  const modelId = id === 'endpoint' ? '' : id === 'kode' ? 'kode/list' : `${id}/list`;
  const scopedConfig = id === 'kode' ? config : { ...config, providers: { ...config.providers, primary: id } };
  try {
    const target: ResolvedTarget = resolveTarget({ config: scopedConfig, env, store, modelId });
    checkTrustedHost({ target, env, store, trustedHosts: options.trustedHosts });
    return {
      id,
      baseURL: target.baseURL,
      protocol: target.protocol,
      apiKey: target.apiKey,
      keySource: target.keySource,
      keyVariable: target.keyVariable,
    };
  } catch (error) {
    if (!KodeError.isInstance(error)) throw error;
    return {
      id,
      baseURL: builtinProvider(id)?.baseURL ?? config.providers.endpoints[id]?.base_url ?? store[id]?.base_url ?? '',
      protocol: builtinProvider(id)?.protocol ?? 'openai-compatible',
      apiKey: undefined,
      keySource: 'none',
      keyVariable: undefined,
      problem: error,
    };
  }
}

function modelsURL(target: QueryTarget): string {
  const base = target.baseURL.replace(/\/+$/, '');
  return target.protocol === 'anthropic' ? `${base}/v1/models` : `${base}/models`;
}

async function fetchIds(target: QueryTarget, options: { fetch?: typeof fetch; timeoutMs: number }): Promise<string[]> {
  const settings = {
    baseURL: target.baseURL,
    apiKey: target.apiKey,
    timeoutMs: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const ids: string[] = [];
  if (target.protocol === 'anthropic') {
    for await (const model of (await createAnthropicClient(settings)).models.list()) ids.push(model.id);
  } else {
    for await (const model of (await createOpenAIClient(settings)).models.list()) ids.push(model.id);
  }
  return ids;
}

function listingFailure(error: APICallError, target: QueryTarget): { failure: ListingFailure; message: string } {
  const url = modelsURL(target);
  if (error.statusCode === 401 || error.statusCode === 403) {
    const variable = target.keyVariable ?? 'KODE_LLM_API_KEY';
    return {
      failure: 'auth',
      message: `${url} returned ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}: check ${variable} or run kode providers login`,
    };
  }
  if (error.statusCode !== undefined) {
    return {
      failure: 'error',
      message: `${url} returned ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}: ${defaultUnreachableFix(target.id)}`,
    };
  }
  return { failure: 'unreachable', message: error.message };
}

function statusCause(error: APICallError): string {
  return error.statusCode === undefined
    ? error.causeSummary
    : `HTTP ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}`.trim();
}

export async function listModels(options: ListModelsOptions): Promise<ModelListing> {
  const env = options.env ?? process.env;
  const { config } = options;
  const endpoint = envValue(env, 'KODE_LLM_ENDPOINT');
  // With KODE_LLM_ENDPOINT the store is optional: a broken store must not break the local-model recipe.
  const credentials = await readUserCredentials({
    env,
    ...(options.configDir ? { configDir: options.configDir } : {}),
  }).catch((error: unknown) => {
    if (endpoint !== undefined && options.provider === undefined) {
      const empty: { store: CredentialStore; trustedHosts: readonly string[] } = { store: {}, trustedHosts: [] };
      return empty;
    }
    throw error;
  });
  const { store, trustedHosts } = credentials;
  const known = knownProviderIds(config, store);

  let resolved: { provider: string; modelId: string } | undefined;
  try {
    const target = resolveTarget({ config, env, store, modelId: resolveModelId({ config, env }) });
    resolved = { provider: target.provider, modelId: target.modelId };
  } catch {
    resolved = undefined;
  }

  let ids: string[];
  if (options.provider !== undefined) {
    const named = options.provider;
    if (named === 'endpoint' ? endpoint === undefined : !known.includes(named)) {
      throw new UnknownProviderError({
        provider: named,
        message:
          named === 'endpoint'
            ? 'KODE_LLM_ENDPOINT is not set: set it to an OpenAI-compatible base URL (…/v1) to list its models'
            : `unknown provider "${named}": known ids are ${[...known, ...(endpoint ? ['endpoint'] : [])].join(', ')}`,
      });
    }
    ids = [named];
  } else {
    const chosen = new Set<string>();
    if (resolved) chosen.add(resolved.provider);
    if (endpoint !== undefined) chosen.add('endpoint');
    const scopedEnv = { ...env, KODE_LLM_API_KEY: undefined };
    for (const provider of BUILTIN_PROVIDERS) {
      if (provider.local || provider.id === 'kode') continue;
      if (
        provider.keyVariables.some((variable) => envValue(scopedEnv, variable) !== undefined) ||
        store[provider.id]?.key
      ) {
        chosen.add(provider.id);
      }
    }
    for (const id of customProviderIds(config, store)) chosen.add(id);
    // With KODE_LLM_ENDPOINT set no call goes to the gateway, so listing it would only add noise.
    if (config.providers.primary === 'kode' && endpoint === undefined) chosen.add('kode');
    ids = [...chosen];
  }
  ids.sort((a, b) => (a === resolved?.provider ? -1 : b === resolved?.provider ? 1 : a.localeCompare(b)));

  const timeoutMs = options.timeoutMs ?? 10_000;
  const results = await Promise.all(
    ids.map((id) => queryProvider({ id, config, env, store, trustedHosts, timeoutMs, resolved, options })),
  );
  const models = results.flatMap((result) => result.models);
  const order = new Map(ids.map((id, index) => [id, index]));
  models.sort((a, b) => (order.get(a.provider) ?? 0) - (order.get(b.provider) ?? 0) || a.id.localeCompare(b.id));
  return { providers: results.map((result) => result.listing), models, resolvedProvider: resolved?.provider };
}

async function queryProvider(input: {
  id: string;
  config: ProviderConfig;
  env: Environment;
  store: CredentialStore;
  trustedHosts: readonly string[];
  timeoutMs: number;
  resolved: { provider: string; modelId: string } | undefined;
  options: ListModelsOptions;
}): Promise<{ listing: ProviderListing; models: ModelEntry[] }> {
  const target = targetFor(input);
  if (target.problem) {
    return {
      listing: {
        id: target.id,
        baseURL: target.baseURL,
        keySource: target.keySource,
        reachable: false,
        models: 0,
        error: target.problem.message.split(': ')[0] ?? target.problem.message,
        message: target.problem.message,
        failure: 'config',
      },
      models: [],
    };
  }
  return queryProviderModels({
    target,
    config: input.config,
    resolved: input.resolved,
    timeoutMs: input.timeoutMs,
    retry: input.options.retry,
    ...(input.options.fetch ? { fetch: input.options.fetch } : {}),
  });
}

/**
 * Asks one provider for its models (one retry on retryable failures) and merges the answer with the
 * catalogue. Failures are part of the result, never thrown: `kode providers login` uses this as its check.
 */
export async function queryProviderModels(options: {
  target: QueryTarget;
  config?: Pick<ProviderConfig, 'providers' | 'pricing'>;
  resolved?: { provider: string; modelId: string } | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retry?: RetryOptions | undefined;
}): Promise<{ listing: ProviderListing; models: ModelEntry[] }> {
  const { target } = options;
  const id = target.id;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const policy = resolveRetryOptions({ maxRetries: 1, ...options.retry });
  const base = { id, baseURL: target.baseURL, keySource: target.keySource };
  const call = {
    label: id === 'endpoint' ? hostLabel(target.baseURL) : id,
    baseURL: target.baseURL,
    modelId: '',
    keyVariable: target.keyVariable,
    unreachableFix: defaultUnreachableFix(id),
    timeoutMs,
    contextWindow: undefined,
    apiKey: target.apiKey,
  };
  let served: string[] | undefined;
  let source: 'api' | 'config' = 'api';
  for (let attempt = 1; served === undefined; attempt += 1) {
    try {
      served = await fetchIds(target, { timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) });
    } catch (raw) {
      const error = mapProviderError(raw, call, { url: modelsURL(target) });
      if (!APICallError.isInstance(error)) throw error;
      const seeded = options.config?.providers.endpoints[id]?.models ?? [];
      if (error.statusCode === 404 && seeded.length > 0) {
        served = [...seeded];
        source = 'config';
        break;
      }
      if (error.isRetryable && attempt <= policy.maxRetries) {
        await policy.sleep(backoffDelay(attempt, policy));
        continue;
      }
      const { failure, message } = listingFailure(error, target);
      return {
        listing: { ...base, reachable: false, models: 0, error: statusCause(error), message, failure },
        models: [],
      };
    }
  }
  const models = [...new Set(served)].map((model): ModelEntry => {
    const priceId = id === 'endpoint' || id === 'kode' ? model : `${id}/${model}`;
    const entry = catalogEntry(priceId);
    const lookup = lookupPrice({
      modelId: priceId,
      local: isFreeProvider(id, target.baseURL),
      ...(options.config ? { overrides: options.config.pricing } : {}),
    });
    const priced = lookup.source !== 'fallback';
    return {
      id: id === 'endpoint' ? model : `${id}/${model}`,
      provider: id,
      model,
      source: entry ? (source === 'api' ? 'api+catalog' : 'config+catalog') : source,
      contextWindow: entry?.context_window ?? null,
      inputUsdPerMtok: priced ? lookup.price.inputUsdPerMtok : null,
      outputUsdPerMtok: priced ? lookup.price.outputUsdPerMtok : null,
      default: options.resolved?.provider === id && options.resolved.modelId === model,
    };
  });
  return {
    listing: { ...base, reachable: true, models: models.length, error: null, message: null, failure: null },
    models,
  };
}

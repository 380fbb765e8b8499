// createProvider: a concrete provider for one base URL. The built-in table supplies protocol and defaults;
// any other id is an OpenAI-compatible server at the given baseURL.
import { createAnthropicModel } from './anthropic.js';
import { builtinProvider, hostLabel, isFreeProvider } from './builtin-providers.js';
import type { Protocol } from './builtin-providers.js';
import { UnknownProviderError } from './errors.js';
import type { ModelSettings } from './model-settings.js';
import { createOpenAICompatibleModel } from './openai-compatible.js';
import { catalogEntry, lookupPrice } from './pricing.js';
import type { PriceOverrides } from './pricing.js';
import type { LanguageModel, ModelPrice } from './types.js';

export interface CreateProviderOptions {
  /** Built-in id (`openai`, `anthropic`, `ollama`...), `endpoint`, `kode`, or a custom id (needs baseURL). */
  readonly id: string;
  readonly baseURL?: string;
  readonly apiKey?: string;
  readonly headers?: Record<string, string>;
  readonly fetch?: typeof fetch;
  /** Until the first byte (default 120 000 ms); the idle limit between chunks defaults to half. */
  readonly timeoutMs?: number;
  readonly idleTimeoutMs?: number;
  /** Retries generate() makes for this provider's models (default 3). */
  readonly maxRetries?: number;
  /** Protocol for ids outside the built-in table (default openai-compatible). */
  readonly protocol?: Protocol;
  readonly supportsTools?: boolean;
  /** Stream responses (default true); false uses plain JSON responses (OpenAI-compatible only). */
  readonly streaming?: boolean;
  /** `pricing` from kode.json. */
  readonly priceOverrides?: PriceOverrides;
  /** Whether the server is local (free); default: ollama, lmstudio and loopback base URLs, never the gateway. */
  readonly local?: boolean;
  /** Overrides the catalogue/local price outright. */
  readonly price?: ModelPrice;
  /** Id used for pricing: defaults to `<id>/<model>` (the model id itself for `endpoint` and `kode`). */
  readonly priceId?: (modelId: string) => string;
  /** Variable named when the key is rejected. */
  readonly keyVariable?: string;
  /** Fix named when the server cannot be reached. */
  readonly unreachableFix?: string;
  /** Provider named in messages (default: the id; the host for `endpoint`). */
  readonly label?: string;
  /** Receives the `no price for …` notice for unpriced remote models. */
  readonly onWarning?: (message: string) => void;
}

export interface Provider {
  readonly id: string;
  readonly baseURL: string;
  languageModel(modelId: string): LanguageModel;
}

export function defaultUnreachableFix(id: string): string {
  switch (id) {
    case 'endpoint':
      return 'start the server or fix KODE_LLM_ENDPOINT';
    case 'ollama':
      return 'start Ollama or set KODE_LLM_ENDPOINT';
    case 'lmstudio':
      return "start LM Studio's server or set KODE_LLM_ENDPOINT";
    case 'kode':
      return 'start the gateway (kode gateway serve) or fix providers.gateway_url';
    default:
      return builtinProvider(id)
        ? 'check your network connection and proxy settings'
        : `check providers.endpoints.${id}.base_url in .kode/kode.json`;
  }
}

export function createProvider(options: CreateProviderOptions): Provider {
  const builtin = builtinProvider(options.id);
  const baseURL = options.baseURL ?? builtin?.baseURL;
  if (baseURL === undefined) {
    throw new UnknownProviderError({
      provider: options.id,
      message: `no base URL for provider "${options.id}": pass baseURL or add it to providers.endpoints in .kode/kode.json`,
    });
  }
  const protocol = options.protocol ?? builtin?.protocol ?? 'openai-compatible';
  const local = options.local ?? isFreeProvider(options.id, baseURL);
  const label = options.label ?? (options.id === 'endpoint' ? hostLabel(baseURL) : options.id);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const warned = new Set<string>();
  return {
    id: options.id,
    baseURL,
    languageModel(modelId: string): LanguageModel {
      const priceId =
        options.priceId?.(modelId) ??
        (options.id === 'endpoint' || options.id === 'kode' ? modelId : `${options.id}/${modelId}`);
      let price = options.price;
      if (price === undefined) {
        const lookup = lookupPrice({
          modelId: priceId,
          local,
          ...(options.priceOverrides ? { overrides: options.priceOverrides } : {}),
        });
        price = lookup.price;
        if (lookup.warning && !warned.has(priceId)) {
          warned.add(priceId);
          options.onWarning?.(lookup.warning);
        }
      }
      const settings: ModelSettings = {
        provider: options.id,
        modelId,
        baseURL,
        apiKey: options.apiKey,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        timeoutMs,
        ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
        price,
        supportsTools: options.supportsTools ?? builtin?.supportsTools ?? false,
        ...(options.streaming === undefined ? {} : { streaming: options.streaming }),
        describe: {
          label,
          keyVariable: options.keyVariable ?? builtin?.keyVariables[0],
          unreachableFix: options.unreachableFix ?? defaultUnreachableFix(options.id),
          contextWindow: catalogEntry(priceId)?.context_window,
        },
      };
      const model = protocol === 'anthropic' ? createAnthropicModel(settings) : createOpenAICompatibleModel(settings);
      return options.maxRetries === undefined ? model : { ...model, maxRetries: options.maxRetries };
    },
  };
}

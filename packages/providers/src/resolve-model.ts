// resolveModel: configuration + environment -> a ready LanguageModel (§7.2), or a typed error before any
// request (MissingApiKeyError, UnknownProviderError, UntrustedHostError, CredentialStoreError).
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { createProvider, defaultUnreachableFix } from './create-provider.js';
import { createReplayModel } from './replay.js';
import { checkTrustedHost, envValue, readUserCredentials, resolveModelId, resolveTarget } from './resolve.js';
import type { Environment, ProviderConfig } from './resolve.js';
import type { CredentialStore } from './credential-store.js';
import type { LanguageModel } from './types.js';

export interface ResolveModelOptions {
  readonly config: ProviderConfig;
  /** Default process.env. */
  readonly env?: Environment;
  /** `--model`; wins over KODE_LLM_MODEL and kode.json. */
  readonly modelId?: string;
  readonly role?: 'main' | 'small';
  /** User config dir (credential store, trusted hosts); default per §1.4 from env. */
  readonly configDir?: string;
  /** Resolves `replay/<file>` paths (default process.cwd()). */
  readonly cwd?: string;
  readonly fetch?: typeof fetch;
  /** Overrides providers.timeout_s (first byte) in milliseconds. */
  readonly timeoutMs?: number;
  readonly idleTimeoutMs?: number;
  /** `!` notices (unpriced model, replay mismatch); default: written to stderr as `! <message>`. */
  readonly onWarning?: (message: string) => void;
}

function stderrWarning(message: string): void {
  process.stderr.write(`! ${message}\n`);
}

export async function resolveModel(options: ResolveModelOptions): Promise<LanguageModel> {
  const env = options.env ?? process.env;
  const onWarning = options.onWarning ?? stderrWarning;
  const modelId = resolveModelId({
    config: options.config,
    env,
    modelId: options.modelId,
    role: options.role ?? 'main',
  });
  if (modelId.startsWith('replay/')) {
    const file = modelId.slice('replay/'.length);
    return createReplayModel({
      file: isAbsolute(file) ? file : resolvePath(options.cwd ?? process.cwd(), file),
      onMismatch: onWarning,
    });
  }
  // With KODE_LLM_ENDPOINT nothing else is consulted (§7.2 step 2), not even the credential store.
  const credentials =
    envValue(env, 'KODE_LLM_ENDPOINT') === undefined
      ? await readUserCredentials({ env, ...(options.configDir ? { configDir: options.configDir } : {}) })
      : { store: {} as CredentialStore, trustedHosts: [] as readonly string[] };
  const target = resolveTarget({ config: options.config, env, store: credentials.store, modelId });
  checkTrustedHost({ target, env, store: credentials.store, trustedHosts: credentials.trustedHosts });
  const provider = createProvider({
    id: target.provider,
    baseURL: target.baseURL,
    ...(target.apiKey === undefined ? {} : { apiKey: target.apiKey }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeoutMs: options.timeoutMs ?? options.config.providers.timeout_s * 1000,
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    protocol: target.protocol,
    local: target.local,
    supportsTools: target.supportsTools,
    priceOverrides: options.config.pricing,
    priceId: () => target.priceId,
    ...(target.keyVariable === undefined ? {} : { keyVariable: target.keyVariable }),
    unreachableFix: defaultUnreachableFix(target.provider),
    onWarning,
  });
  return provider.languageModel(target.modelId);
}

// The built-in provider table (§7.1). One OpenAI-compatible implementation serves every vendor except
// Anthropic; this table is all that differs between them.

export type Protocol = 'openai-compatible' | 'anthropic';

export interface BuiltinProvider {
  readonly id: string;
  readonly protocol: Protocol;
  /** Undefined for `kode`: its base URL is providers.gateway_url + /v1. */
  readonly baseURL: string | undefined;
  /** Variables holding the key, in order of preference. Empty: the provider takes no key. */
  readonly keyVariables: readonly string[];
  /** Whether a call without a key is an error (§7.2 step 5). */
  readonly requiresKey: boolean;
  /** Local servers: never queried by `kode models` unless named or resolved; cost 0. */
  readonly local: boolean;
  /** Structured output as a forced tool call (§7.4). */
  readonly supportsTools: boolean;
  /** Human name used in fixes ("start Ollama"). */
  readonly displayName: string;
}

export const BUILTIN_PROVIDERS: readonly BuiltinProvider[] = [
  {
    id: 'kode',
    protocol: 'openai-compatible',
    baseURL: undefined,
    keyVariables: ['KODE_GATEWAY_API_KEY'],
    requiresKey: false,
    local: false,
    supportsTools: false,
    displayName: 'the Kode gateway',
  },
  {
    id: 'openai',
    protocol: 'openai-compatible',
    baseURL: 'https://api.openai.com/v1',
    keyVariables: ['OPENAI_API_KEY'],
    requiresKey: true,
    local: false,
    supportsTools: true,
    displayName: 'OpenAI',
  },
  {
    id: 'anthropic',
    protocol: 'anthropic',
    baseURL: 'https://api.anthropic.com',
    keyVariables: ['ANTHROPIC_API_KEY'],
    requiresKey: true,
    local: false,
    supportsTools: true,
    displayName: 'Anthropic',
  },
  {
    id: 'deepseek',
    protocol: 'openai-compatible',
    baseURL: 'https://api.deepseek.com/v1',
    keyVariables: ['DEEPSEEK_API_KEY'],
    requiresKey: true,
    local: false,
    supportsTools: true,
    displayName: 'DeepSeek',
  },
  {
    id: 'google',
    protocol: 'openai-compatible',
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai',
    keyVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    requiresKey: true,
    local: false,
    supportsTools: true,
    displayName: 'Google',
  },
  {
    id: 'openrouter',
    protocol: 'openai-compatible',
    baseURL: 'https://openrouter.ai/api/v1',
    keyVariables: ['OPENROUTER_API_KEY'],
    requiresKey: true,
    local: false,
    supportsTools: false,
    displayName: 'OpenRouter',
  },
  {
    id: 'ollama',
    protocol: 'openai-compatible',
    baseURL: 'http://localhost:11434/v1',
    keyVariables: [],
    requiresKey: false,
    local: true,
    supportsTools: false,
    displayName: 'Ollama',
  },
  {
    id: 'lmstudio',
    protocol: 'openai-compatible',
    baseURL: 'http://localhost:1234/v1',
    keyVariables: [],
    requiresKey: false,
    local: true,
    supportsTools: false,
    displayName: "LM Studio's server",
  },
];

/** Ids that can never be custom providers: they name routing modes, not endpoints. */
export const RESERVED_PROVIDER_IDS: readonly string[] = ['endpoint', 'replay'];

export function builtinProvider(id: string): BuiltinProvider | undefined {
  return BUILTIN_PROVIDERS.find((provider) => provider.id === id);
}

/** `<gateway_url>/v1`, tolerating a configured URL that already ends in /v1 or a slash. */
export function gatewayBaseURL(gatewayURL: string): string {
  const trimmed = gatewayURL.replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackURL(url: string): boolean {
  try {
    const hostname = new URL(url).hostname;
    return LOOPBACK_HOSTS.has(hostname) || hostname.startsWith('127.') || hostname.endsWith('.localhost');
  } catch {
    return false;
  }
}

/** Host (with port) for status lines: `localhost:11434`, `api.anthropic.com`. */
export function hostLabel(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function hostname(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/**
 * Whether calls to this provider cost nothing: local servers and loopback endpoints. Never the gateway,
 * which forwards to paid upstreams even when it runs on this machine.
 */
export function isFreeProvider(id: string, baseURL: string): boolean {
  if (id === 'kode') return false;
  return builtinProvider(id)?.local === true || isLoopbackURL(baseURL);
}

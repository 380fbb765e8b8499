// Typed errors. Each class carries a `Symbol.for('kode.error.<Name>')` marker so `isInstance` works across
// duplicate installs of this package (instanceof does not). Messages read `<what happened>: <how to fix it>`
// and never contain an API key: callers pass URLs, variable names and provider ids, never key values.

/** Maps to `error.kind` in summaries (§7.5) and to the exit code: `config` → 2, everything else → 3. */
export type ErrorKind = 'provider' | 'auth' | 'rate_limit' | 'context_length' | 'budget' | 'config';

const kodeErrorMarker = Symbol.for('kode.error.KodeError');

function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

export class KodeError extends Error {
  readonly [kodeErrorMarker] = true;
  readonly kind: ErrorKind;

  constructor(options: { message: string; kind: ErrorKind; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KodeError';
    this.kind = options.kind;
  }

  /** 2 for configuration problems (nothing was sent), 3 for provider, network and budget errors. */
  get exitCode(): 2 | 3 {
    return this.kind === 'config' ? 2 : 3;
  }

  static isInstance(error: unknown): error is KodeError {
    return hasMarker(error, kodeErrorMarker);
  }
}

const apiCallMarker = Symbol.for('kode.error.APICallError');

/** One failed HTTP exchange (or a connection that never produced one: statusCode undefined). */
export class APICallError extends KodeError {
  readonly [apiCallMarker] = true;
  readonly url: string;
  readonly statusCode: number | undefined;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: string | undefined;
  readonly isRetryable: boolean;
  /** Seconds from a Retry-After header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;
  /** Short cause for messages and status lines: `HTTP 502`, `connect ECONNREFUSED 127.0.0.1:11434`. */
  readonly causeSummary: string;
  /** Network error code when there was no HTTP status: `ECONNREFUSED`, `ETIMEDOUT`, `ESTREAMIDLE`... */
  readonly code: string | undefined;

  constructor(options: {
    message: string;
    url: string;
    statusCode?: number;
    responseHeaders?: Readonly<Record<string, string>>;
    responseBody?: string;
    isRetryable: boolean;
    retryAfterSeconds?: number;
    causeSummary: string;
    code?: string;
    kind?: ErrorKind;
    cause?: unknown;
  }) {
    super({ message: options.message, kind: options.kind ?? 'provider', cause: options.cause });
    this.name = 'APICallError';
    this.url = options.url;
    this.statusCode = options.statusCode;
    this.responseHeaders = options.responseHeaders ?? {};
    this.responseBody = options.responseBody;
    this.isRetryable = options.isRetryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.causeSummary = options.causeSummary;
    this.code = options.code;
  }

  static override isInstance(error: unknown): error is APICallError {
    return hasMarker(error, apiCallMarker);
  }
}

type ApiCallOptions = ConstructorParameters<typeof APICallError>[0];

const authenticationMarker = Symbol.for('kode.error.AuthenticationError');

/** 401/403: never retried. */
export class AuthenticationError extends APICallError {
  readonly [authenticationMarker] = true;
  constructor(options: Omit<ApiCallOptions, 'isRetryable' | 'kind'>) {
    super({ ...options, isRetryable: false, kind: 'auth' });
    this.name = 'AuthenticationError';
  }
  static override isInstance(error: unknown): error is AuthenticationError {
    return hasMarker(error, authenticationMarker);
  }
}

const rateLimitMarker = Symbol.for('kode.error.RateLimitError');

export class RateLimitError extends APICallError {
  readonly [rateLimitMarker] = true;
  constructor(options: Omit<ApiCallOptions, 'kind'>) {
    super({ ...options, kind: 'rate_limit' });
    this.name = 'RateLimitError';
  }
  static override isInstance(error: unknown): error is RateLimitError {
    return hasMarker(error, rateLimitMarker);
  }
}

const contextLengthMarker = Symbol.for('kode.error.ContextLengthError');

export class ContextLengthError extends APICallError {
  readonly [contextLengthMarker] = true;
  readonly maxTokens: number | undefined;
  constructor(options: Omit<ApiCallOptions, 'isRetryable' | 'kind'> & { maxTokens?: number }) {
    super({ ...options, isRetryable: false, kind: 'context_length' });
    this.name = 'ContextLengthError';
    this.maxTokens = options.maxTokens;
  }
  static override isInstance(error: unknown): error is ContextLengthError {
    return hasMarker(error, contextLengthMarker);
  }
}

const noSuchModelMarker = Symbol.for('kode.error.NoSuchModelError');

export class NoSuchModelError extends APICallError {
  readonly [noSuchModelMarker] = true;
  readonly modelId: string;
  constructor(options: Omit<ApiCallOptions, 'isRetryable' | 'kind'> & { modelId: string }) {
    super({ ...options, isRetryable: false, kind: 'provider' });
    this.name = 'NoSuchModelError';
    this.modelId = options.modelId;
  }
  static override isInstance(error: unknown): error is NoSuchModelError {
    return hasMarker(error, noSuchModelMarker);
  }
}

const truncatedMarker = Symbol.for('kode.error.TruncatedResponseError');

/** The stream ended (or the connection dropped) before the provider's end event. Retried like a network error. */
export class TruncatedResponseError extends KodeError {
  readonly [truncatedMarker] = true;
  readonly url: string;
  readonly isRetryable = true;
  constructor(options: { provider: string; url: string; cause?: unknown }) {
    super({
      message: `the response stream from ${options.provider} ended early: try again`,
      kind: 'provider',
      cause: options.cause,
    });
    this.name = 'TruncatedResponseError';
    this.url = options.url;
  }
  static override isInstance(error: unknown): error is TruncatedResponseError {
    return hasMarker(error, truncatedMarker);
  }
}

const missingKeyMarker = Symbol.for('kode.error.MissingApiKeyError');

export class MissingApiKeyError extends KodeError {
  readonly [missingKeyMarker] = true;
  readonly provider: string;
  readonly variable: string;
  constructor(options: { provider: string; variable: string }) {
    super({
      message: `no API key for ${options.provider}: set ${options.variable} (or KODE_LLM_API_KEY) or run kode providers login`,
      kind: 'config',
    });
    this.name = 'MissingApiKeyError';
    this.provider = options.provider;
    this.variable = options.variable;
  }
  static override isInstance(error: unknown): error is MissingApiKeyError {
    return hasMarker(error, missingKeyMarker);
  }
}

const unknownProviderMarker = Symbol.for('kode.error.UnknownProviderError');

export class UnknownProviderError extends KodeError {
  readonly [unknownProviderMarker] = true;
  readonly provider: string;
  constructor(options: { provider: string; message: string }) {
    super({ message: options.message, kind: 'config' });
    this.name = 'UnknownProviderError';
    this.provider = options.provider;
  }
  static override isInstance(error: unknown): error is UnknownProviderError {
    return hasMarker(error, unknownProviderMarker);
  }
}

const untrustedHostMarker = Symbol.for('kode.error.UntrustedHostError');

/** A project file would send a key to a host this machine never trusted (§7.3). */
export class UntrustedHostError extends KodeError {
  readonly [untrustedHostMarker] = true;
  readonly host: string;
  constructor(options: { host: string; keySource: string; provider: string }) {
    super({
      message: `.kode/kode.json sends ${options.keySource} to ${options.host}, which is not trusted on this machine: run kode providers login ${options.provider} to trust it`,
      kind: 'config',
    });
    this.name = 'UntrustedHostError';
    this.host = options.host;
  }
  static override isInstance(error: unknown): error is UntrustedHostError {
    return hasMarker(error, untrustedHostMarker);
  }
}

const credentialStoreMarker = Symbol.for('kode.error.CredentialStoreError');

/** The credential store or trusted-hosts file is unsafe (symlink, readable by others) or unreadable. */
export class CredentialStoreError extends KodeError {
  readonly [credentialStoreMarker] = true;
  readonly file: string;
  constructor(options: { file: string; message: string; cause?: unknown }) {
    super({ message: options.message, kind: 'config', cause: options.cause });
    this.name = 'CredentialStoreError';
    this.file = options.file;
  }
  static override isInstance(error: unknown): error is CredentialStoreError {
    return hasMarker(error, credentialStoreMarker);
  }
}

const budgetMarker = Symbol.for('kode.error.BudgetExceededError');

export class BudgetExceededError extends KodeError {
  readonly [budgetMarker] = true;
  readonly spentUsd: number;
  readonly projectedUsd: number;
  readonly limitUsd: number;
  /** True when nothing had been spent or reserved yet (the §8.10 "before generation" message). */
  readonly beforeFirstCall: boolean;
  constructor(options: { spentUsd: number; projectedUsd: number; limitUsd: number; beforeFirstCall: boolean }) {
    const dollars = (value: number): string => `$${value.toFixed(4)}`;
    super({
      message: options.beforeFirstCall
        ? `token budget exceeded before generation: projected ${dollars(options.projectedUsd)} > budget ${dollars(options.limitUsd)}: raise engine.token_budget_usd or lower engine.context_max_tokens`
        : `budget exceeded: spent ${dollars(options.spentUsd)} + next call ${dollars(options.projectedUsd)} > budget ${dollars(options.limitUsd)}: raise engine.token_budget_usd or pass --budget`,
      kind: 'budget',
    });
    this.name = 'BudgetExceededError';
    this.spentUsd = options.spentUsd;
    this.projectedUsd = options.projectedUsd;
    this.limitUsd = options.limitUsd;
    this.beforeFirstCall = options.beforeFirstCall;
  }
  static override isInstance(error: unknown): error is BudgetExceededError {
    return hasMarker(error, budgetMarker);
  }
}

const replayMarker = Symbol.for('kode.error.ReplayError');

/** A replay recording is missing, malformed or has no reply left. */
export class ReplayError extends KodeError {
  readonly [replayMarker] = true;
  readonly file: string;
  constructor(options: { file: string; message: string; cause?: unknown }) {
    super({ message: options.message, kind: 'provider', cause: options.cause });
    this.name = 'ReplayError';
    this.file = options.file;
  }
  static override isInstance(error: unknown): error is ReplayError {
    return hasMarker(error, replayMarker);
  }
}

/** The error thrown when a caller's AbortSignal fires: its reason when that is an Error. */
export function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('the request was aborted');
  error.name = 'AbortError';
  return error;
}

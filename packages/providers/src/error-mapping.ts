// Turns what the official SDKs throw into Kode's typed errors with §7.5 messages. Both SDKs share the same
// shape (APIError with status/headers/error, APIConnectionError with the fetch failure as cause), so one
// mapper serves both; it reads the errors structurally rather than by class identity.
import { STATUS_CODES } from 'node:http';
import {
  APICallError,
  AuthenticationError,
  ContextLengthError,
  NoSuchModelError,
  RateLimitError,
  TruncatedResponseError,
} from './errors.js';
import { parseRetryAfter } from './retry.js';

/** What an error message needs to know about the call: never the key itself, only what to redact. */
export interface CallDescription {
  /** Provider named in messages: `openai`, `ollama`, `the endpoint`... */
  readonly label: string;
  readonly baseURL: string;
  readonly modelId: string;
  /** The variable to name when the key is rejected (`ANTHROPIC_API_KEY`, `KODE_LLM_API_KEY`). */
  readonly keyVariable: string | undefined;
  /** How to fix an unreachable endpoint (`start Ollama or set KODE_LLM_ENDPOINT`). */
  readonly unreachableFix: string;
  readonly timeoutMs: number;
  readonly contextWindow: number | undefined;
  /** The key in use, redacted from anything copied out of a response. */
  readonly apiKey: string | undefined;
}

export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < 4) return text;
  return text.split(secret).join('[REDACTED]');
}

interface SdkApiErrorShape {
  readonly status: number | undefined;
  readonly headers: { get(name: string): string | null; forEach(callback: (value: string, key: string) => void): void };
  readonly error: unknown;
  readonly message: string;
}

function isSdkApiError(error: unknown): error is SdkApiErrorShape & Error {
  return error instanceof Error && 'status' in error && 'error' in error && 'headers' in error;
}

/**
 * Whether an SDK error is (a subclass of) the SDKs' class of this name. By name, not identity: the SDKs are loaded
 * only when a model of theirs is used (each costs 100-300 ms of start-up), and both name these classes alike.
 */
function isSdkErrorClass(error: unknown, className: 'APIConnectionError' | 'APIConnectionTimeoutError'): boolean {
  if (!(error instanceof Error)) return false;
  for (let prototype: unknown = Object.getPrototypeOf(error); prototype !== null && prototype !== Error.prototype;) {
    const constructor = (prototype as { constructor?: { name?: unknown } }).constructor;
    if (constructor?.name === className) return true;
    prototype = Object.getPrototypeOf(prototype);
  }
  return false;
}

function isTimeout(error: unknown): boolean {
  return isSdkErrorClass(error, 'APIConnectionTimeoutError');
}

function isConnectionFailure(error: unknown): boolean {
  return isSdkErrorClass(error, 'APIConnectionError') || (error instanceof TypeError && !isSdkApiError(error));
}

const NOT_RETRIED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** Walks `cause` links for the system error (`code`, `message`) behind a fetch failure. */
function rootCause(error: unknown): { code: string | undefined; message: string } {
  let current: unknown = error;
  let best: { code: string | undefined; message: string } = {
    code: undefined,
    message: error instanceof Error ? error.message : String(error),
  };
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') best = { code, message: current.message };
    else if (current.message && current.message !== 'fetch failed' && !best.code) {
      best = { code: undefined, message: current.message };
    }
    // AggregateError (happy eyeballs tried several addresses): the first inner error is representative.
    const inner = current instanceof AggregateError ? (current.errors[0] as unknown) : undefined;
    current = inner ?? current.cause;
  }
  return best;
}

function headerRecord(headers: SdkApiErrorShape['headers'] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  headers?.forEach((value, key) => {
    record[key] = value;
  });
  return record;
}

function bodyText(body: unknown, apiKey: string | undefined): string | undefined {
  if (body === undefined || body === null) return undefined;
  return redact(typeof body === 'string' ? body : JSON.stringify(body), apiKey);
}

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const nested = record.error;
    if (
      typeof nested === 'object' &&
      nested !== null &&
      typeof (nested as { message?: unknown }).message === 'string'
    ) {
      return (nested as { message: string }).message;
    }
    if (typeof record.message === 'string') return record.message;
  }
  return '';
}

const CONTEXT_PATTERN =
  /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|input is too long|reduce the length/i;

function contextMaxTokens(message: string, fallback: number | undefined): number | undefined {
  const match = /maximum context length is ([\d,]+)/i.exec(message) ?? /([\d,]+) (?:tokens )?maximum/i.exec(message);
  const parsed = match?.[1] ? Number(match[1].replace(/,/g, '')) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : fallback;
}

export function timeoutError(call: CallDescription, cause?: unknown): APICallError {
  const seconds = Math.round(call.timeoutMs / 100) / 10;
  return new APICallError({
    message: `no response from ${call.baseURL} within ${seconds} s: try again later or raise providers.timeout_s in .kode/kode.json`,
    url: call.baseURL,
    isRetryable: true,
    causeSummary: `no response within ${seconds} s`,
    code: 'ETIMEDOUT',
    cause,
  });
}

export function idleTimeoutError(call: CallDescription, idleMs: number): APICallError {
  const seconds = Math.round(idleMs / 100) / 10;
  return new APICallError({
    message: `the response stream from ${call.label} stalled for ${seconds} s: try again later or raise providers.timeout_s in .kode/kode.json`,
    url: call.baseURL,
    isRetryable: true,
    causeSummary: `stream idle for ${seconds} s`,
    code: 'ESTREAMIDLE',
  });
}

/** Maps an SDK (or fetch) failure of one attempt to a typed Kode error. Aborts are the caller's to detect. */
export function mapProviderError(error: unknown, call: CallDescription, options: { url?: string } = {}): Error {
  const url = options.url ?? call.baseURL;
  if (isTimeout(error)) return timeoutError(call, error);
  if (isConnectionFailure(error)) {
    const cause = rootCause(error);
    const summary = redact(cause.message, call.apiKey);
    if (cause.code !== undefined && NOT_RETRIED_CODES.has(cause.code)) {
      return new APICallError({
        message: `cannot reach ${url}: ${summary}: ${call.unreachableFix}`,
        url,
        isRetryable: false,
        causeSummary: summary,
        code: cause.code,
        cause: error,
      });
    }
    return new APICallError({
      message: `connection to ${url} failed: ${summary}: try again later`,
      url,
      isRetryable: true,
      causeSummary: summary,
      code: cause.code ?? 'ECONNECTION',
      cause: error,
    });
  }
  if (!isSdkApiError(error)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const status = error.status;
  const responseHeaders = headerRecord(error.headers);
  const responseBody = bodyText(error.error, call.apiKey);
  const detail = redact(bodyMessage(error.error) || error.message, call.apiKey);
  const common = { url, responseHeaders, responseBody, cause: error };
  if (status === undefined) {
    // An error event inside an SSE stream (overloaded, server error): the server is up but failed mid-way.
    return new APICallError({
      ...common,
      message: `${call.label} reported an error mid-response: ${detail}: try again later`,
      isRetryable: true,
      causeSummary: detail,
      code: 'ESTREAMERROR',
    });
  }
  const statusText = `HTTP ${status}`;
  if (status === 401 || status === 403) {
    const fix = call.keyVariable
      ? `check ${call.keyVariable} or run kode providers login`
      : 'set KODE_LLM_API_KEY or run kode providers login';
    return new AuthenticationError({
      ...common,
      statusCode: status,
      message: `${call.label} rejected the API key (HTTP ${status}): ${fix}`,
      causeSummary: statusText,
    });
  }
  if ((status === 400 || status === 413 || status === 422) && CONTEXT_PATTERN.test(detail)) {
    const maxTokens = contextMaxTokens(detail, call.contextWindow);
    const limit = maxTokens === undefined ? '' : ` (${maxTokens.toLocaleString('en-US')} tokens max)`;
    return new ContextLengthError({
      ...common,
      statusCode: status,
      maxTokens,
      message: `prompt too long for ${call.modelId}${limit}: lower engine.context_max_tokens or pass a smaller --context-file`,
      causeSummary: statusText,
    });
  }
  if (status === 404) {
    return new NoSuchModelError({
      ...common,
      statusCode: status,
      modelId: call.modelId,
      message: `model "${call.modelId}" not found at ${call.baseURL}: run kode models to list available ids`,
      causeSummary: statusText,
    });
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(error.headers.get('retry-after'));
    const wait = retryAfterSeconds === undefined ? '' : `, retry after ${retryAfterSeconds}s`;
    return new RateLimitError({
      ...common,
      statusCode: status,
      isRetryable: true,
      retryAfterSeconds,
      message: `rate limited by ${call.label} (HTTP 429${wait}): wait or lower concurrency`,
      causeSummary: statusText,
    });
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new APICallError({
      ...common,
      statusCode: status,
      isRetryable: true,
      retryAfterSeconds: parseRetryAfter(error.headers.get('retry-after')),
      message: `${call.label} failed (${statusText}) at ${url}: try again later`,
      causeSummary: statusText,
    });
  }
  return new APICallError({
    ...common,
    statusCode: status,
    isRetryable: false,
    message: `${call.label} rejected the request (${statusText} ${STATUS_CODES[status] ?? ''}${detail ? `: ${detail}` : ''}): check the model id and the request options`,
    causeSummary: statusText,
  });
}

/** A failure while reading an already-started stream: SDK API errors map as usual, anything else is a cut. */
export function mapStreamError(error: unknown, call: CallDescription): Error {
  if (isSdkApiError(error)) return mapProviderError(error, call);
  return new TruncatedResponseError({ provider: call.label, url: call.baseURL, cause: error });
}

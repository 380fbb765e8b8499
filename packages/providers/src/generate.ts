// One model call the way Kode makes it: budget reserved first (G7), then attempts with retries on
// retryable failures (§7.4), each retry reported through onRetry, the caller's signal aborting at once.
import type { Budget } from './budget.js';
import { APICallError, RateLimitError, TruncatedResponseError, abortError } from './errors.js';
import { resolveRetryOptions, backoffDelay } from './retry.js';
import type { ResolvedRetryOptions, RetryOptions } from './retry.js';
import type { GenerateRequest, GenerateResult, LanguageModel } from './types.js';

export interface RetryInfo {
  /** 1 for the first retry, up to maxRetries. */
  readonly attempt: number;
  /** HTTP status, or a network error code (`ECONNRESET`, `ETIMEDOUT`, `ESTREAMIDLE`, `ETRUNCATED`). */
  readonly status: number | string;
  readonly delayMs: number;
}

export type GenerateOptions = GenerateRequest & {
  readonly model: LanguageModel;
  readonly budget?: Budget;
  readonly onRetry?: (info: RetryInfo) => void;
  readonly retry?: RetryOptions;
};

type Decision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly error: unknown };

function retryStatus(error: unknown): number | string {
  if (TruncatedResponseError.isInstance(error)) return 'ETRUNCATED';
  if (APICallError.isInstance(error)) return error.statusCode ?? error.code ?? 'ECONNECTION';
  return 'error';
}

function exhausted(error: unknown, attempts: number, provider: string): unknown {
  // Rate limits and cut streams keep their own §7.5 messages; other retryable failures name the attempts.
  if (RateLimitError.isInstance(error) || !APICallError.isInstance(error)) return error;
  return new APICallError({
    message: `${provider} failed after ${attempts} attempts (${error.causeSummary}): try again later`,
    url: error.url,
    ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
    responseHeaders: error.responseHeaders,
    ...(error.responseBody === undefined ? {} : { responseBody: error.responseBody }),
    isRetryable: false,
    causeSummary: error.causeSummary,
    ...(error.code === undefined ? {} : { code: error.code }),
    cause: error,
  });
}

function decide(options: {
  error: unknown;
  attempt: number;
  policy: ResolvedRetryOptions;
  provider: string;
}): Decision {
  const { error, attempt, policy, provider } = options;
  const retryable = TruncatedResponseError.isInstance(error) || (APICallError.isInstance(error) && error.isRetryable);
  if (!retryable) return { retry: false, error };
  const retryAfterSeconds = APICallError.isInstance(error) ? error.retryAfterSeconds : undefined;
  if (retryAfterSeconds !== undefined && retryAfterSeconds * 1000 > policy.maxRetryAfterMs) {
    if (RateLimitError.isInstance(error)) return { retry: false, error };
    return {
      retry: false,
      error: new APICallError({
        message: `${provider} asked to retry after ${retryAfterSeconds}s (${APICallError.isInstance(error) ? error.causeSummary : 'error'}): try again later`,
        url: APICallError.isInstance(error) ? error.url : '',
        isRetryable: false,
        retryAfterSeconds,
        causeSummary: APICallError.isInstance(error) ? error.causeSummary : 'error',
        cause: error,
      }),
    };
  }
  if (attempt > policy.maxRetries) return { retry: false, error: exhausted(error, attempt, provider) };
  const delayMs = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : backoffDelay(attempt, policy);
  return { retry: true, delayMs };
}

/**
 * Calls `model.generate` with retries and the budget. Throws BudgetExceededError before any request when
 * the projection does not fit; on success the budget is settled with the real cost.
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { model, budget, onRetry, retry, ...request } = options;
  const policy = resolveRetryOptions({
    ...(model.maxRetries === undefined ? {} : { maxRetries: model.maxRetries }),
    ...retry,
  });
  const reservation = budget?.reserve({ model, request });
  try {
    for (let attempt = 1; ; attempt += 1) {
      if (request.signal?.aborted) throw abortError(request.signal);
      try {
        const result = await model.generate(request);
        if (reservation && budget) budget.settle(reservation, result.costUsd);
        return result;
      } catch (error) {
        if (request.signal?.aborted) throw abortError(request.signal);
        const decision = decide({ error, attempt, policy, provider: model.provider });
        if (!decision.retry) throw decision.error;
        onRetry?.({ attempt, status: retryStatus(error), delayMs: decision.delayMs });
        await policy.sleep(decision.delayMs, request.signal);
      }
    }
  } finally {
    if (reservation && budget) budget.release(reservation);
  }
}

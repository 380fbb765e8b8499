// What every concrete model needs, and the pieces they share: linking the caller's AbortSignal, the idle
// limit between stream chunks, and folding a stream into a GenerateResult.
import { abortError } from './errors.js';
import type { CallDescription } from './error-mapping.js';
import { idleTimeoutError } from './error-mapping.js';
import { costOf, estimateTokens } from './pricing.js';
import type { GenerateRequest, GenerateResult, ModelPrice, StreamPart, ToolCall, Usage } from './types.js';

export interface ModelSettings {
  /** Provider id reported on the model (`openai`, `endpoint`, a custom id). */
  readonly provider: string;
  /** Id sent to the server. */
  readonly modelId: string;
  readonly baseURL: string;
  readonly apiKey: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
  /** Until the first byte of a response (providers.timeout_s). */
  readonly timeoutMs: number;
  /** Between stream chunks; default half of timeoutMs (§5.3). */
  readonly idleTimeoutMs?: number;
  readonly price: ModelPrice;
  readonly supportsTools: boolean;
  /** Stream responses (default true): needed for truncation detection and progress. */
  readonly streaming?: boolean;
  /** Message context: label, key variable, fix for an unreachable server, context window. */
  readonly describe: Omit<CallDescription, 'baseURL' | 'modelId' | 'timeoutMs' | 'apiKey'>;
}

export function callDescription(settings: ModelSettings): CallDescription {
  return {
    ...settings.describe,
    baseURL: settings.baseURL,
    modelId: settings.modelId,
    timeoutMs: settings.timeoutMs,
    apiKey: settings.apiKey,
  };
}

export const DEFAULT_TEMPERATURE = 0.2;
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;

/** An AbortController that follows the caller's signal, so we can also abort on our own (idle limit). */
export function linkedController(signal: AbortSignal | undefined): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  if (!signal) return { controller, unlink: () => undefined };
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { controller, unlink: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Iterates `source`, aborting `controller` when no chunk arrives within `idleMs`. The SDK streams end
 * quietly when aborted, so the caller checks `state.idle` / the signal afterwards to tell why they ended.
 */
export async function* withIdleLimit<T>(
  source: AsyncIterable<T>,
  options: { idleMs: number; controller: AbortController; state: { idle: boolean } },
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const timer = setTimeout(() => {
        options.state.idle = true;
        options.controller.abort();
      }, options.idleMs);
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (error) {
        finished = true;
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // A consumer that stops early must not leave the response body (and its socket) open.
    if (!finished) await iterator.return?.().catch(() => undefined);
  }
}

/** The error for a stream that ended without its end event, by cause: caller abort, idle limit, or a cut. */
export function endedEarlyError(options: {
  signal: AbortSignal | undefined;
  idle: boolean;
  settings: ModelSettings;
  truncated: () => Error;
}): Error {
  if (options.signal?.aborted) return abortError(options.signal);
  if (options.idle) {
    const settings = options.settings;
    return idleTimeoutError(callDescription(settings), settings.idleTimeoutMs ?? settings.timeoutMs / 2);
  }
  return options.truncated();
}

export function parseToolArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function promptText(request: GenerateRequest): string {
  return [request.system, ...request.messages.map((message) => message.content)].join('\n');
}

/** Folds one streamed attempt into a result. Throws whatever the stream throws (nothing partial escapes). */
export async function collectStream(options: {
  parts: AsyncIterable<StreamPart>;
  request: GenerateRequest;
  price: ModelPrice;
  startedAt: number;
}): Promise<GenerateResult> {
  let text = '';
  const toolCalls: ToolCall[] = [];
  let finish: Extract<StreamPart, { type: 'finish' }> | undefined;
  for await (const part of options.parts) {
    if (part.type === 'text-delta') text += part.text;
    else if (part.type === 'tool-call') toolCalls.push({ name: part.name, arguments: part.arguments });
    else finish = part;
  }
  if (!finish) throw new Error('model stream ended without a finish part');
  const estimated = finish.usage === undefined;
  const usage: Usage = finish.usage ?? {
    inputTokens: estimateTokens(promptText(options.request)),
    outputTokens: estimateTokens(text + toolCalls.map((call) => JSON.stringify(call.arguments)).join('')),
  };
  return {
    text,
    toolCalls,
    finishReason: finish.finishReason,
    usage,
    ...(estimated ? { usageEstimated: true } : {}),
    costUsd: costOf(usage, options.price),
    durationMs: Date.now() - options.startedAt,
  };
}

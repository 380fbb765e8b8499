import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '@kode/test-utils';
import type { FakeServer, FakeStep } from '@kode/test-utils';
import { instantRetry } from './config.test-helpers.js';
import { createProvider } from './create-provider.js';
import { APICallError, AuthenticationError, RateLimitError } from './errors.js';
import { generate } from './generate.js';
import type { RetryInfo } from './generate.js';
import { backoffDelay, parseRetryAfter, resolveRetryOptions } from './retry.js';
import type { GenerateRequest } from './types.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request: GenerateRequest = { system: 's', messages: [{ role: 'user', content: 'task' }] };

async function modelFor(script: FakeStep[], options: { timeoutMs?: number } = {}) {
  server = await startFakeOpenAI({ script });
  const provider = createProvider({
    id: 'openrouter',
    baseURL: `${server.url}/v1`,
    apiKey: 'sk-or-secret',
    timeoutMs: options.timeoutMs ?? 5000,
  });
  return { fake: server, model: provider.languageModel('anthropic/claude-sonnet-4.6') };
}

/** A port nothing listens on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('generate(): retries', () => {
  it('honours Retry-After on 429 and succeeds on the retry', async () => {
    const { fake, model } = await modelFor([
      { type: 'error', status: 429, headers: { 'retry-after': '2' } },
      { type: 'reply', text: 'ok' },
    ]);
    const { delays, retry } = instantRetry();
    const retries: RetryInfo[] = [];
    const result = await generate({ ...request, model, retry, onRetry: (info) => retries.push(info) });
    expect(result.text).toBe('ok');
    expect(delays).toEqual([2000]);
    expect(retries).toEqual([{ attempt: 1, status: 429, delayMs: 2000 }]);
    expect(fake.requests).toHaveLength(2);
  });

  it('really waits a 1 s Retry-After with the default timer', async () => {
    const { model } = await modelFor([
      { type: 'error', status: 503, headers: { 'retry-after': '1' } },
      { type: 'reply', text: 'after the wait' },
    ]);
    const retries: RetryInfo[] = [];
    const result = await generate({ ...request, model, onRetry: (info) => retries.push(info) });
    expect(result.text).toBe('after the wait');
    expect(retries).toEqual([{ attempt: 1, status: 503, delayMs: 1000 }]);
  });

  it('retries 500 three times with growing jittered backoff, then fails naming the attempts', async () => {
    const { fake, model } = await modelFor(Array.from({ length: 4 }, () => ({ type: 'error' as const, status: 500 })));
    const { delays, retry } = instantRetry();
    const error = await generate({ ...request, model, retry }).catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('openrouter failed after 4 attempts (HTTP 500): try again later');
    expect((error as APICallError).exitCode).toBe(3);
    expect(fake.requests).toHaveLength(4);
    // random() = 0.5 of ceilings 1000, 2000, 4000.
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it('fails at once on 401 and on a Retry-After longer than 60 s', async () => {
    const { fake, model } = await modelFor([
      { type: 'error', status: 401 },
      { type: 'error', status: 429, headers: { 'retry-after': '120' } },
    ]);
    const { delays, retry } = instantRetry();
    const denied = await generate({ ...request, model, retry }).catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(denied)).toBe(true);
    expect(fake.requests).toHaveLength(1);
    const limited = await generate({ ...request, model, retry }).catch((caught: unknown) => caught);
    expect(RateLimitError.isInstance(limited)).toBe(true);
    expect((limited as Error).message).toBe(
      'rate limited by openrouter (HTTP 429, retry after 120s): wait or lower concurrency',
    );
    expect(fake.requests).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it('still fails with 429 when Retry-After never clears within the retries', async () => {
    const { fake, model } = await modelFor(
      Array.from({ length: 4 }, () => ({ type: 'error' as const, status: 429, headers: { 'retry-after': '1' } })),
    );
    const { retry } = instantRetry();
    const error = await generate({ ...request, model, retry }).catch((caught: unknown) => caught);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).exitCode).toBe(3);
    expect(fake.requests).toHaveLength(4);
  });

  it('retries a stream cut mid-way and returns only the complete reply', async () => {
    const { model } = await modelFor([
      { type: 'drop', text: 'half' },
      { type: 'reply', text: 'whole reply' },
    ]);
    const { retry } = instantRetry();
    const retries: RetryInfo[] = [];
    const result = await generate({ ...request, model, retry, onRetry: (info) => retries.push(info) });
    expect(result.text).toBe('whole reply');
    expect(retries[0]?.status).toBe('ETRUNCATED');
  });

  it('retries a hung server after the timeout, then fails naming the attempts', async () => {
    const { fake, model } = await modelFor([{ type: 'hang' }, { type: 'hang' }], { timeoutMs: 150 });
    const { retry } = instantRetry();
    const error = await generate({ ...request, model, retry: { ...retry, maxRetries: 1 } }).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toBe(
      'openrouter failed after 2 attempts (no response within 0.2 s): try again later',
    );
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a refused connection and names the URL and cause', async () => {
    const port = await closedPort();
    const model = createProvider({ id: 'endpoint', baseURL: `http://127.0.0.1:${port}/v1` }).languageModel('m');
    const { delays, retry } = instantRetry();
    const error = await generate({ ...request, model, retry }).catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `cannot reach http://127.0.0.1:${port}/v1: connect ECONNREFUSED 127.0.0.1:${port}: start the server or fix KODE_LLM_ENDPOINT`,
    );
    expect(delays).toEqual([]);
  });

  it('aborts immediately when the signal fires during a backoff wait', async () => {
    const { model } = await modelFor([
      { type: 'error', status: 500 },
      { type: 'reply', text: 'never' },
    ]);
    const controller = new AbortController();
    const pending = generate({
      ...request,
      model,
      signal: controller.signal,
      retry: { baseDelayMs: 60_000, random: () => 0.99 },
      onRetry: () => controller.abort(new Error('interrupted by SIGINT')),
    });
    await expect(pending).rejects.toThrow('interrupted by SIGINT');
  });

  it('aborts a request in flight', async () => {
    const { model } = await modelFor([{ type: 'hang' }]);
    const controller = new AbortController();
    const pending = generate({ ...request, model, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-07-15T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2);
    expect(parseRetryAfter('Tue, 15 Jul 2025 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('caps the exponential ceiling at 30 s', () => {
    const policy = resolveRetryOptions({ random: () => 0.999999 });
    expect(backoffDelay(1, policy)).toBe(999);
    expect(backoffDelay(3, policy)).toBe(3999);
    expect(backoffDelay(10, policy)).toBe(29_999);
  });
});

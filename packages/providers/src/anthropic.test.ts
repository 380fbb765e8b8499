import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '@kode/test-utils';
import type { FakeServer, FakeStep } from '@kode/test-utils';
import { createProvider } from './create-provider.js';
import { APICallError, AuthenticationError, RateLimitError, TruncatedResponseError } from './errors.js';
import type { GenerateRequest } from './types.js';

const KEY = 'sk-ant-test-secret-9f2c';
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function anthropicModel(script: FakeStep[], modelId = 'claude-sonnet-4-6') {
  server = await startFakeAnthropic({ script });
  const provider = createProvider({ id: 'anthropic', baseURL: server.url, apiKey: KEY, local: false, timeoutMs: 2000 });
  return { fake: server, model: provider.languageModel(modelId) };
}

const request: GenerateRequest = { system: 'You edit code.', messages: [{ role: 'user', content: 'add multiply()' }] };

describe('Anthropic models through @anthropic-ai/sdk', () => {
  it('sends the system prompt natively and reads text, usage and cost from the stream', async () => {
    const { fake, model } = await anthropicModel([
      { type: 'reply', text: 'Done: multiply added.', usage: { inputTokens: 2000, outputTokens: 100 } },
    ]);
    const result = await model.generate({ ...request, maxOutputTokens: 1024 });
    expect(result.text).toBe('Done: multiply added.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ inputTokens: 2000, outputTokens: 100 });
    expect(result.costUsd).toBeCloseTo((2000 * 3 + 100 * 15) / 1e6, 10);
    const sent = fake.requests[0];
    expect(sent?.path).toBe('/v1/messages');
    // SDK 1.x sends the key as a bearer token (older versions used x-api-key): accept either.
    expect([sent?.headers['x-api-key'], sent?.headers.authorization]).toContain(
      sent?.headers['x-api-key'] === undefined ? `Bearer ${KEY}` : KEY,
    );
    expect(sent?.body).toMatchObject({
      model: 'claude-sonnet-4-6',
      system: 'You edit code.',
      max_tokens: 1024,
      stream: true,
      messages: [{ role: 'user', content: 'add multiply()' }],
    });
  });

  it('returns forced tool calls as parsed arguments', async () => {
    const hunks = { hunks: [{ id: 'hunk-1', file_path: 'a.ts', action: 'INSERT', new_text: 'x' }] };
    const { fake, model } = await anthropicModel([
      { type: 'reply', toolCalls: [{ name: 'submit_patch', arguments: hunks }] },
    ]);
    const result = await model.generate({
      ...request,
      tools: [{ name: 'submit_patch', parameters: { properties: { hunks: { type: 'array' } } } }],
      toolChoice: 'submit_patch',
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([{ name: 'submit_patch', arguments: hunks }]);
    expect(fake.requests[0]?.body).toMatchObject({
      tools: [{ name: 'submit_patch', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'submit_patch' },
    });
  });

  it('fails a stream without message_stop as truncated', async () => {
    const { model } = await anthropicModel([{ type: 'drop', text: 'partial' }]);
    const error = await model.generate(request).catch((caught: unknown) => caught);
    expect(TruncatedResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('the response stream from anthropic ended early: try again');
  });

  it('maps 401, 429 with Retry-After and 529 overloaded', async () => {
    const { model } = await anthropicModel([
      { type: 'error', status: 401 },
      { type: 'error', status: 429, headers: { 'retry-after': '7' } },
      { type: 'error', status: 529, message: 'Overloaded' },
    ]);
    const denied = await model.generate(request).catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(denied)).toBe(true);
    expect((denied as Error).message).toBe(
      'anthropic rejected the API key (HTTP 401): check ANTHROPIC_API_KEY or run kode providers login',
    );
    const limited = await model.generate(request).catch((caught: unknown) => caught);
    expect(RateLimitError.isInstance(limited)).toBe(true);
    expect((limited as RateLimitError).retryAfterSeconds).toBe(7);
    expect((limited as Error).message).toBe(
      'rate limited by anthropic (HTTP 429, retry after 7s): wait or lower concurrency',
    );
    const overloaded = await model.generate(request).catch((caught: unknown) => caught);
    expect(APICallError.isInstance(overloaded) && overloaded.isRetryable && overloaded.statusCode === 529).toBe(true);
  });
});

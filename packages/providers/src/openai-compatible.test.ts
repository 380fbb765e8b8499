import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '@kode/test-utils';
import type { FakeServer, FakeStep } from '@kode/test-utils';
import { createProvider } from './create-provider.js';
import {
  APICallError,
  AuthenticationError,
  ContextLengthError,
  NoSuchModelError,
  TruncatedResponseError,
} from './errors.js';
import type { GenerateRequest } from './types.js';

const KEY = 'sk-test-secret-value-1234';
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: FakeStep[]): Promise<FakeServer> {
  server = await startFakeOpenAI({ script });
  return server;
}

const request: GenerateRequest = { system: 'You edit code.', messages: [{ role: 'user', content: 'add multiply()' }] };

describe('OpenAI-compatible models through the openai SDK', () => {
  it('streams a reply and reports text, usage, cost and the request it sent', async () => {
    const fake = await serve([
      { type: 'reply', text: 'Here is the patch.', usage: { inputTokens: 1000, outputTokens: 500 } },
    ]);
    // local: false, so the loopback fake is priced like the real host.
    const provider = createProvider({ id: 'openai', baseURL: `${fake.url}/v1`, apiKey: KEY, local: false });
    const result = await provider.languageModel('gpt-4o').generate({ ...request, maxOutputTokens: 300 });
    expect(result.text).toBe('Here is the patch.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 500 });
    // gpt-4o: $2.5 in / $10 out per million tokens.
    expect(result.costUsd).toBeCloseTo((1000 * 2.5 + 500 * 10) / 1e6, 10);
    const sent = fake.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.body).toMatchObject({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 300,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'You edit code.' },
        { role: 'user', content: 'add multiply()' },
      ],
    });
  });

  it('sends no Authorization header at all without a key, and local models cost nothing', async () => {
    const fake = await serve([{ type: 'reply', text: 'ok' }]);
    const model = createProvider({ id: 'endpoint', baseURL: `${fake.url}/v1` }).languageModel('qwen2.5-coder:14b');
    const result = await model.generate(request);
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
    expect(fake.requests[0]?.body).toMatchObject({ model: 'qwen2.5-coder:14b' });
    expect(result.costUsd).toBe(0);
  });

  it('assembles streamed tool calls and forces the named tool', async () => {
    const hunks = { hunks: [{ id: 'hunk-1', file_path: 'src/a.ts', action: 'INSERT', new_text: 'x' }] };
    const fake = await serve([{ type: 'reply', toolCalls: [{ name: 'submit_patch', arguments: hunks }] }]);
    const model = createProvider({ id: 'deepseek', baseURL: `${fake.url}/v1`, apiKey: KEY }).languageModel(
      'deepseek-chat',
    );
    const result = await model.generate({
      ...request,
      tools: [{ name: 'submit_patch', description: 'Submit hunks', parameters: { type: 'object' } }],
      toolChoice: 'submit_patch',
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([{ name: 'submit_patch', arguments: hunks }]);
    expect(fake.requests[0]?.body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'submit_patch', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'submit_patch' } },
    });
  });

  it('uses JSON responses when streaming is off, with response_format for JSON mode', async () => {
    const fake = await serve([{ type: 'reply', text: '{"hunks":[]}', usage: { inputTokens: 3, outputTokens: 4 } }]);
    const model = createProvider({ id: 'acme', baseURL: `${fake.url}/v1`, streaming: false }).languageModel('coder');
    const result = await model.generate({ ...request, responseFormat: 'json' });
    expect(result.text).toBe('{"hunks":[]}');
    expect(result.usage).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(fake.requests[0]?.body).toMatchObject({ response_format: { type: 'json_object' } });
    expect(fake.requests[0]?.body).not.toHaveProperty('stream', true);
  });

  it('estimates usage as characters / 4 when the server reports none', async () => {
    const fake = await serve([{ type: 'reply', text: 'x'.repeat(40), usage: null }]);
    const model = createProvider({ id: 'ollama', baseURL: `${fake.url}/v1` }).languageModel('llama');
    const result = await model.generate(request);
    expect(result.usage.outputTokens).toBe(10);
    expect(result.usageEstimated).toBe(true);
  });

  it('asks OpenAI reasoning models for max_completion_tokens and no temperature', async () => {
    const fake = await serve([{ type: 'reply', text: 'ok' }]);
    await createProvider({ id: 'openai', baseURL: `${fake.url}/v1`, apiKey: KEY })
      .languageModel('gpt-5')
      .generate(request);
    expect(fake.requests[0]?.body).toMatchObject({ max_completion_tokens: 8192 });
    expect(fake.requests[0]?.body).not.toHaveProperty('temperature');
  });

  it('fails a stream cut mid-way with TruncatedResponseError, never a partial result', async () => {
    const fake = await serve([
      { type: 'drop', text: 'half a pat' },
      { type: 'drop', mode: 'end' },
    ]);
    const model = createProvider({ id: 'deepseek', baseURL: `${fake.url}/v1`, apiKey: KEY }).languageModel(
      'deepseek-chat',
    );
    const cut = await model.generate(request).catch((error: unknown) => error);
    expect(TruncatedResponseError.isInstance(cut)).toBe(true);
    expect((cut as Error).message).toBe('the response stream from deepseek ended early: try again');
    const ended = await model.generate(request).catch((error: unknown) => error);
    expect(TruncatedResponseError.isInstance(ended)).toBe(true);
  });

  it('times out a hung server and a stalled stream', async () => {
    const fake = await serve([{ type: 'hang' }, { type: 'stall' }]);
    const model = createProvider({
      id: 'ollama',
      baseURL: `${fake.url}/v1`,
      timeoutMs: 200,
      idleTimeoutMs: 150,
    }).languageModel('llama');
    const hung = await model.generate(request).catch((error: unknown) => error);
    expect(APICallError.isInstance(hung) && hung.isRetryable).toBe(true);
    expect((hung as APICallError).code).toBe('ETIMEDOUT');
    expect((hung as Error).message).toContain('within 0.2 s');
    const stalled = await model.generate(request).catch((error: unknown) => error);
    expect((stalled as APICallError).code).toBe('ESTREAMIDLE');
  });

  it('maps 401 to AuthenticationError naming the variable, never the key', async () => {
    const fake = await serve([{ type: 'error', status: 401, message: `Incorrect API key provided: ${KEY}` }]);
    const model = createProvider({ id: 'openai', baseURL: `${fake.url}/v1`, apiKey: KEY }).languageModel('gpt-4o');
    const error = await model.generate(request).catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const auth = error as AuthenticationError;
    expect(auth.message).toBe(
      'openai rejected the API key (HTTP 401): check OPENAI_API_KEY or run kode providers login',
    );
    expect(auth.isRetryable).toBe(false);
    expect(auth.kind).toBe('auth');
    expect(JSON.stringify({ message: auth.message, body: auth.responseBody })).not.toContain(KEY);
  });

  it('classifies unknown models and context-length errors', async () => {
    const fake = await serve([
      { type: 'error', status: 404, message: 'The model `gpt-5o` does not exist' },
      {
        type: 'error',
        status: 400,
        message:
          "This model's maximum context length is 131072 tokens. However, your messages resulted in 140000 tokens.",
      },
    ]);
    const provider = createProvider({ id: 'openai', baseURL: `${fake.url}/v1`, apiKey: KEY });
    const missing = await provider
      .languageModel('gpt-5o')
      .generate(request)
      .catch((error: unknown) => error);
    expect(NoSuchModelError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toBe(
      `model "gpt-5o" not found at ${fake.url}/v1: run kode models to list available ids`,
    );
    const tooLong = await provider
      .languageModel('gpt-4o')
      .generate(request)
      .catch((error: unknown) => error);
    expect(ContextLengthError.isInstance(tooLong)).toBe(true);
    expect((tooLong as Error).message).toBe(
      'prompt too long for gpt-4o (131,072 tokens max): lower engine.context_max_tokens or pass a smaller --context-file',
    );
  });
});

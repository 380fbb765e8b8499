import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from './fake-openai.js';
import type { FakeServer } from './fake-openai.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function dataLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
}

describe('startFakeOpenAI', () => {
  it('answers a JSON chat request with the scripted reply and usage, and records the request', async () => {
    server = await startFakeOpenAI({
      script: [{ type: 'reply', text: 'hello', usage: { inputTokens: 7, outputTokens: 3 } }],
    });
    const response = await post(`${server.url}/v1/chat/completions`, { model: 'm', messages: [] });
    const body = (await response.json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(body.choices[0]?.message.content).toBe('hello');
    expect(body.choices[0]?.finish_reason).toBe('stop');
    expect(body.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'm' } });
    expect(server.remaining).toBe(0);
  });

  it('streams SSE chunks with tool calls, a finish chunk, a usage chunk and [DONE]', async () => {
    server = await startFakeOpenAI({
      script: [
        { type: 'reply', text: 'abcdefghij', chunkSize: 4, toolCalls: [{ name: 'submit', arguments: { a: 1 } }] },
      ],
    });
    const response = await post(`${server.url}/v1/chat/completions`, {
      model: 'm',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const lines = dataLines(await response.text());
    expect(lines.at(-1)).toBe('[DONE]');
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
    const text = chunks
      .flatMap((chunk) => chunk.choices as { delta: { content?: string } }[])
      .map((choice) => choice.delta.content ?? '')
      .join('');
    expect(text).toBe('abcdefghij');
    expect(JSON.stringify(chunks)).toContain('"finish_reason":"tool_calls"');
    expect(chunks.at(-1)).toHaveProperty('usage');
  });

  it('serves error statuses with their headers, then the model list', async () => {
    server = await startFakeOpenAI({
      script: [{ type: 'error', status: 429, headers: { 'retry-after': '2' } }],
      models: ['alpha', 'beta'],
    });
    const limited = await post(`${server.url}/v1/chat/completions`, { model: 'm' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(['alpha', 'beta']);
  });

  it('keeps chat steps for chat requests when a model-list request comes first', async () => {
    server = await startFakeOpenAI({ script: [{ type: 'reply', text: 'x' }], models: ['only'] });
    await fetch(`${server.url}/v1/models`);
    expect(server.remaining).toBe(1);
  });

  it('cuts a stream mid-way on a drop step', async () => {
    server = await startFakeOpenAI({ script: [{ type: 'drop', text: 'half' }] });
    const response = await post(`${server.url}/v1/chat/completions`, { model: 'm', stream: true });
    await expect(response.text()).rejects.toThrow();
  });

  it('answers 500 when the script is exhausted', async () => {
    server = await startFakeOpenAI();
    const response = await post(`${server.url}/v1/chat/completions`, { model: 'm' });
    expect(response.status).toBe(500);
  });
});

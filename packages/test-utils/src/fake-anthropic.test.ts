import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from './fake-anthropic.js';
import type { FakeServer } from './fake-openai.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('startFakeAnthropic', () => {
  it('streams the Messages event sequence ending in message_stop', async () => {
    server = await startFakeAnthropic({
      script: [{ type: 'reply', text: 'hi there', toolCalls: [{ name: 'submit_patch', arguments: { hunks: [] } }] }],
    });
    const response = await post(`${server.url}/v1/messages`, { model: 'claude', stream: true, max_tokens: 10 });
    const events = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('event: '))
      .map((line) => line.slice(7));
    expect(events[0]).toBe('message_start');
    expect(events).toContain('content_block_delta');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
  });

  it('answers JSON requests with content blocks and usage', async () => {
    server = await startFakeAnthropic({
      script: [{ type: 'reply', text: 'ok', usage: { inputTokens: 5, outputTokens: 2 } }],
    });
    const body = (await (await post(`${server.url}/v1/messages`, { model: 'claude' })).json()) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 5 },
    });
  });

  it('serves errors in the Anthropic shape and the models API', async () => {
    server = await startFakeAnthropic({ script: [{ type: 'error', status: 401 }], models: ['claude-a'] });
    const denied = await post(`${server.url}/v1/messages`, { model: 'claude' });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as {
      data: { id: string }[];
      has_more: boolean;
    };
    expect(models).toMatchObject({ data: [{ id: 'claude-a' }], has_more: false });
    expect(server.requests.map((request) => request.path)).toEqual(['/v1/messages', '/v1/models']);
  });
});

// The Anthropic Messages wire format for the scripted fake server (see fake-openai.ts for the server):
// POST /v1/messages (JSON or SSE with message_start … message_stop), GET /v1/models.
import { defaultUsage, sseFrame, startFakeServer, textChunks } from './fake-openai.js';
import type { FakeReplyStep, FakeServer, FakeServerOptions, WireFormat } from './fake-openai.js';

function stopReason(step: FakeReplyStep): string {
  return step.finishReason ?? (step.toolCalls && step.toolCalls.length > 0 ? 'tool_use' : 'end_turn');
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function messageStart(model: unknown, inputTokens: number): string {
  return sseFrame(
    {
      type: 'message_start',
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 1 },
      },
    },
    'message_start',
  );
}

export const ANTHROPIC_WIRE: WireFormat = {
  isChat: (path) => path.endsWith('/v1/messages'),
  isModels: (path) => path.endsWith('/v1/models'),
  modelsBody: (models) => ({
    data: models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' })),
    has_more: false,
    first_id: models[0] ?? null,
    last_id: models[models.length - 1] ?? null,
  }),
  errorBody: (status, message) => ({ type: 'error', error: { type: errorType(status), message } }),
  replyBody: (step, request) => {
    const usage = step.usage === undefined ? defaultUsage(step) : step.usage;
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: request.model,
      content: [
        ...(step.text ? [{ type: 'text', text: step.text }] : []),
        ...(step.toolCalls ?? []).map((call, index) => ({
          type: 'tool_use',
          id: `toolu_${index}`,
          name: call.name,
          input: call.arguments,
        })),
      ],
      stop_reason: stopReason(step),
      stop_sequence: null,
      usage: usage === null ? undefined : { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
    };
  },
  streamFrames: (step, request) => {
    const usage = step.usage === undefined ? defaultUsage(step) : step.usage;
    const frames = [messageStart(request.model, usage?.inputTokens ?? 0)];
    let index = 0;
    if (step.text) {
      frames.push(
        sseFrame(
          { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
          'content_block_start',
        ),
      );
      for (const piece of textChunks(step.text, step.chunkSize ?? 8)) {
        frames.push(
          sseFrame(
            { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } },
            'content_block_delta',
          ),
        );
      }
      frames.push(sseFrame({ type: 'content_block_stop', index }, 'content_block_stop'));
      index += 1;
    }
    for (const call of step.toolCalls ?? []) {
      const block = { type: 'tool_use', id: `toolu_${index}`, name: call.name, input: {} };
      frames.push(sseFrame({ type: 'content_block_start', index, content_block: block }, 'content_block_start'));
      const args = JSON.stringify(call.arguments);
      const half = Math.floor(args.length / 2);
      for (const part of [args.slice(0, half), args.slice(half)]) {
        frames.push(
          sseFrame(
            { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } },
            'content_block_delta',
          ),
        );
      }
      frames.push(sseFrame({ type: 'content_block_stop', index }, 'content_block_stop'));
      index += 1;
    }
    frames.push(
      sseFrame(
        {
          type: 'message_delta',
          delta: { stop_reason: stopReason(step), stop_sequence: null },
          usage: { output_tokens: usage?.outputTokens ?? 0 },
        },
        'message_delta',
      ),
    );
    frames.push(sseFrame({ type: 'message_stop' }, 'message_stop'));
    return frames;
  },
  partialFrames: (text, request) => [
    messageStart(request.model, 12),
    sseFrame(
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      'content_block_start',
    ),
    sseFrame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta'),
  ],
};

/** A fake Anthropic server: POST /v1/messages (JSON or SSE), GET /v1/models. */
export function startFakeAnthropic(options: FakeServerOptions = {}): Promise<FakeServer> {
  return startFakeServer(ANTHROPIC_WIRE, options);
}

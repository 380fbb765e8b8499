// Scripted fake LLM servers: real node:http servers on 127.0.0.1 (port 0) that speak a provider's wire
// format. Each chat request consumes the next script step (a reply, an error status, a dropped connection,
// a stall, a hang); GET …/models serves a model list. Every request is recorded so tests can assert what
// was sent. This file holds the shared server and the OpenAI wire format; fake-anthropic.ts adds the other.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface FakeUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface FakeToolCall {
  readonly name: string;
  readonly arguments: unknown;
}

/** Which requests a step answers: chat/messages requests, the model list, or whichever comes first. */
export type FakeRoute = 'chat' | 'models' | 'any';

interface StepBase {
  readonly route?: FakeRoute;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export interface FakeReplyStep extends StepBase {
  readonly type: 'reply';
  readonly text?: string;
  readonly toolCalls?: readonly FakeToolCall[];
  /** Wire value (`stop`, `length`, `tool_calls` / `end_turn`, `max_tokens`, `tool_use`); derived by default. */
  readonly finishReason?: string;
  /** Reported usage; null sends none. Default: 12 input tokens, ceil(text length / 4) output tokens. */
  readonly usage?: FakeUsage | null;
  /** Characters per streamed text chunk (default 8). */
  readonly chunkSize?: number;
}

export interface FakeErrorStep extends StepBase {
  readonly type: 'error';
  readonly status: number;
  readonly message?: string;
  /** Replaces the provider-shaped error body. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends the start of a streamed reply (or nothing, for a JSON request), then cuts the connection. */
export interface FakeDropStep extends StepBase {
  readonly type: 'drop';
  readonly text?: string;
  /** `destroy` resets the socket (default); `end` finishes the HTTP response cleanly without the end event. */
  readonly mode?: 'destroy' | 'end';
}

/** Sends headers and the start of a streamed reply, then goes silent (for the stream idle limit). */
export interface FakeStallStep extends StepBase {
  readonly type: 'stall';
  readonly text?: string;
}

/** Reads the request and never answers (for the first-byte timeout). */
export interface FakeHangStep extends StepBase {
  readonly type: 'hang';
}

/** Answers a model-list request with these ids. */
export interface FakeModelsStep extends StepBase {
  readonly type: 'models';
  readonly models: readonly string[];
}

export type FakeStep = FakeReplyStep | FakeErrorStep | FakeDropStep | FakeStallStep | FakeHangStep | FakeModelsStep;

export interface RecordedRequest {
  readonly method: string;
  /** Path with query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
}

export interface FakeServer {
  /** Origin, e.g. `http://127.0.0.1:40123` (append `/v1` for an OpenAI base URL). */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Steps not consumed yet. */
  readonly remaining: number;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  readonly script?: readonly FakeStep[];
  /** Served by model-list requests no step answers (default `['fake-model-1', 'fake-model-2']`). */
  readonly models?: readonly string[];
}

/** How one provider speaks: paths, bodies and SSE frames. */
export interface WireFormat {
  isChat(path: string): boolean;
  isModels(path: string): boolean;
  modelsBody(models: readonly string[]): unknown;
  errorBody(status: number, message: string): unknown;
  replyBody(step: FakeReplyStep, request: Record<string, unknown>): unknown;
  /** Complete SSE frames of a streamed reply, end event included. */
  streamFrames(step: FakeReplyStep, request: Record<string, unknown>): string[];
  /** The opening frames of a streamed reply carrying `text`, without the end. */
  partialFrames(text: string, request: Record<string, unknown>): string[];
}

export function defaultUsage(step: FakeReplyStep): FakeUsage {
  return { inputTokens: 12, outputTokens: Math.max(1, Math.ceil((step.text ?? '').length / 4)) };
}

export function textChunks(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let index = 0; index < text.length; index += size) chunks.push(text.slice(index, index + size));
  return chunks;
}

export function sseFrame(data: unknown, event?: string): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function stepRoute(step: FakeStep): FakeRoute {
  if (step.route) return step.route;
  if (step.type === 'models') return 'models';
  return step.type === 'error' || step.type === 'hang' ? 'any' : 'chat';
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function wait(ms: number | undefined): Promise<void> {
  return ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function startSse(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  response.flushHeaders();
}

export async function startFakeServer(wire: WireFormat, options: FakeServerOptions = {}): Promise<FakeServer> {
  const steps = [...(options.script ?? [])];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const takeStep = (route: 'chat' | 'models'): FakeStep | undefined => {
    const index = steps.findIndex((step) => {
      const stepRouteValue = stepRoute(step);
      return stepRouteValue === 'any' || stepRouteValue === route;
    });
    return index === -1 ? undefined : steps.splice(index, 1)[0];
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request);
    const body = parseBody(text);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, headers, body });
    const pathname = path.split('?')[0] ?? path;
    const route = wire.isModels(pathname) ? 'models' : wire.isChat(pathname) ? 'chat' : undefined;
    if (route === undefined) {
      sendJson(response, 404, wire.errorBody(404, `fake server: no route for ${request.method} ${pathname}`));
      return;
    }
    const requestBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const step = takeStep(route);
    await wait(step?.delayMs);
    if (step === undefined) {
      if (route === 'models')
        sendJson(response, 200, wire.modelsBody(options.models ?? ['fake-model-1', 'fake-model-2']));
      else sendJson(response, 500, wire.errorBody(500, 'fake server: the script has no step left for this request'));
      return;
    }
    const streaming = requestBody.stream === true;
    switch (step.type) {
      case 'models':
        sendJson(response, 200, wire.modelsBody(step.models));
        return;
      case 'error':
        sendJson(
          response,
          step.status,
          step.body ?? wire.errorBody(step.status, step.message ?? `fake error ${step.status}`),
          { ...step.headers },
        );
        return;
      case 'hang':
        // Keep the request open until the client gives up or the server closes.
        return;
      case 'stall':
        startSse(response);
        for (const frame of wire.partialFrames(step.text ?? 'partial', requestBody)) response.write(frame);
        return;
      case 'drop':
        if (streaming) {
          startSse(response);
          for (const frame of wire.partialFrames(step.text ?? 'partial', requestBody)) response.write(frame);
          // Let the frames reach the client before the cut, so the failure really is mid-stream.
          await wait(20);
        }
        if (step.mode === 'end') response.end();
        else response.socket?.destroy();
        return;
      case 'reply':
        if (!streaming) {
          sendJson(response, 200, wire.replyBody(step, requestBody));
          return;
        }
        startSse(response);
        for (const frame of wire.streamFrames(step, requestBody)) response.write(frame);
        response.end();
        return;
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, wire.errorBody(500, `fake server failure: ${String(error)}`));
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake server: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    get remaining() {
      return steps.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---- OpenAI chat completions wire format ----

function openAIFinishReason(step: FakeReplyStep): string {
  return step.finishReason ?? (step.toolCalls && step.toolCalls.length > 0 ? 'tool_calls' : 'stop');
}

function openAIUsage(usage: FakeUsage): Record<string, number> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function chunk(model: unknown, choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices, ...extra };
}

export const OPENAI_WIRE: WireFormat = {
  isChat: (path) => path.endsWith('/chat/completions'),
  isModels: (path) => path.endsWith('/models'),
  modelsBody: (models) => ({
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
  }),
  errorBody: (status, message) => ({
    error: { message, type: status === 429 ? 'rate_limit_error' : 'api_error', code: null, param: null },
  }),
  replyBody: (step, request) => {
    const usage = step.usage === undefined ? defaultUsage(step) : step.usage;
    return {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: request.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: step.text ?? null,
            ...(step.toolCalls && step.toolCalls.length > 0
              ? {
                  tool_calls: step.toolCalls.map((call, index) => ({
                    id: `call_${index}`,
                    type: 'function',
                    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
                  })),
                }
              : {}),
          },
          finish_reason: openAIFinishReason(step),
        },
      ],
      ...(usage === null ? {} : { usage: openAIUsage(usage) }),
    };
  },
  streamFrames: (step, request) => {
    const model = request.model;
    const frames = [
      sseFrame(chunk(model, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])),
    ];
    for (const piece of textChunks(step.text ?? '', step.chunkSize ?? 8)) {
      frames.push(sseFrame(chunk(model, [{ index: 0, delta: { content: piece }, finish_reason: null }])));
    }
    for (const [index, call] of (step.toolCalls ?? []).entries()) {
      const args = JSON.stringify(call.arguments);
      const half = Math.floor(args.length / 2);
      const start = { index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: '' } };
      frames.push(sseFrame(chunk(model, [{ index: 0, delta: { tool_calls: [start] }, finish_reason: null }])));
      for (const part of [args.slice(0, half), args.slice(half)]) {
        const delta = { tool_calls: [{ index, function: { arguments: part } }] };
        frames.push(sseFrame(chunk(model, [{ index: 0, delta, finish_reason: null }])));
      }
    }
    frames.push(sseFrame(chunk(model, [{ index: 0, delta: {}, finish_reason: openAIFinishReason(step) }])));
    const usage = step.usage === undefined ? defaultUsage(step) : step.usage;
    const options = request.stream_options as { include_usage?: unknown } | undefined;
    if (usage !== null && options?.include_usage === true) {
      frames.push(sseFrame(chunk(model, [], { usage: openAIUsage(usage) })));
    }
    frames.push(sseFrame('[DONE]'));
    return frames;
  },
  partialFrames: (text, request) => [
    sseFrame(chunk(request.model, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])),
    sseFrame(chunk(request.model, [{ index: 0, delta: { content: text }, finish_reason: null }])),
  ],
};

/** A fake OpenAI-compatible server: POST …/chat/completions (JSON or SSE), GET …/models. */
export function startFakeOpenAI(options: FakeServerOptions = {}): Promise<FakeServer> {
  return startFakeServer(OPENAI_WIRE, options);
}

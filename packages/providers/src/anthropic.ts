// The Anthropic Messages API through `@anthropic-ai/sdk`: the system prompt goes in `system`, tools as
// `input_schema` tools, and the stream's `message_stop` event is the end marker we require. The Messages
// API version this SDK speaks has no `temperature` parameter, so request.temperature is not sent.
import type Anthropic from '@anthropic-ai/sdk';
import type {
  MessageCreateParamsBase,
  RawMessageStreamEvent,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { TruncatedResponseError, abortError } from './errors.js';
import { mapProviderError, mapStreamError } from './error-mapping.js';
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  callDescription,
  collectStream,
  endedEarlyError,
  linkedController,
  parseToolArguments,
  withIdleLimit,
} from './model-settings.js';
import type { ModelSettings } from './model-settings.js';
import type { FinishReason, GenerateRequest, LanguageModel, StreamPart } from './types.js';

export async function createAnthropicClient(settings: {
  baseURL: string;
  apiKey: string | undefined;
  headers?: Readonly<Record<string, string>>;
  fetch?: typeof fetch;
  timeoutMs: number;
}): Promise<Anthropic> {
  // Loaded on first use: a run against an OpenAI-compatible server never pays for this SDK's start-up.
  const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
  return new AnthropicClient({
    baseURL: settings.baseURL,
    // Always explicit: the SDK would otherwise look for keys and profiles on its own.
    apiKey: settings.apiKey ?? null,
    authToken: null,
    ...(settings.headers ? { defaultHeaders: { ...settings.headers } } : {}),
    timeout: settings.timeoutMs,
    maxRetries: 0,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

function toolChoice(request: GenerateRequest): ToolChoice | undefined {
  switch (request.toolChoice) {
    case undefined:
      return undefined;
    case 'auto':
      return { type: 'auto' };
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any' };
    default:
      return { type: 'tool', name: request.toolChoice };
  }
}

export function messagesBody(settings: ModelSettings, request: GenerateRequest): MessageCreateParamsBase {
  const choice = toolChoice(request);
  return {
    model: settings.modelId,
    max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    ...(request.system === '' ? {} : { system: request.system }),
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    ...(request.tools && request.tools.length > 0
      ? {
          tools: request.tools.map((tool) => ({
            name: tool.name,
            ...(tool.description === undefined ? {} : { description: tool.description }),
            input_schema: { type: 'object' as const, ...tool.parameters },
          })),
        }
      : {}),
    ...(choice === undefined ? {} : { tool_choice: choice }),
  };
}

interface PendingToolUse {
  name: string;
  json: string;
}

async function* streamParts(
  settings: ModelSettings,
  clientOnce: () => Promise<Anthropic>,
  request: GenerateRequest,
): AsyncGenerator<StreamPart> {
  const call = callDescription(settings);
  const client = await clientOnce();
  const { controller, unlink } = linkedController(request.signal);
  const state = { idle: false };
  try {
    let source: AsyncIterable<RawMessageStreamEvent>;
    try {
      source = await client.messages.create(
        { ...messagesBody(settings, request), stream: true },
        { signal: controller.signal },
      );
    } catch (error) {
      if (request.signal?.aborted) throw abortError(request.signal);
      throw mapProviderError(error, call);
    }
    const toolUses = new Map<number, PendingToolUse>();
    let inputTokens: number | undefined;
    let outputTokens: number | undefined;
    let stopReason: string | null = null;
    let stopped = false;
    try {
      const idleMs = settings.idleTimeoutMs ?? settings.timeoutMs / 2;
      for await (const event of withIdleLimit(source, { idleMs, controller, state })) {
        switch (event.type) {
          case 'message_start': {
            const usage = event.message.usage;
            inputTokens =
              usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
            outputTokens = usage.output_tokens;
            break;
          }
          case 'content_block_start':
            if (event.content_block.type === 'tool_use') {
              toolUses.set(event.index, { name: event.content_block.name, json: '' });
            }
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta') yield { type: 'text-delta', text: event.delta.text };
            else if (event.delta.type === 'input_json_delta') {
              const toolUse = toolUses.get(event.index);
              if (toolUse) toolUse.json += event.delta.partial_json;
            }
            break;
          case 'message_delta':
            stopReason = event.delta.stop_reason ?? stopReason;
            outputTokens = event.usage.output_tokens;
            if (typeof event.usage.input_tokens === 'number' && inputTokens === undefined) {
              inputTokens = event.usage.input_tokens;
            }
            break;
          case 'message_stop':
            stopped = true;
            break;
          default:
            break;
        }
      }
    } catch (error) {
      if (request.signal?.aborted) throw abortError(request.signal);
      throw mapStreamError(error, call);
    }
    if (!stopped) {
      throw endedEarlyError({
        signal: request.signal,
        idle: state.idle,
        settings,
        truncated: () => new TruncatedResponseError({ provider: call.label, url: call.baseURL }),
      });
    }
    for (const [, toolUse] of [...toolUses.entries()].sort(([a], [b]) => a - b)) {
      yield { type: 'tool-call', name: toolUse.name, arguments: parseToolArguments(toolUse.json) };
    }
    const usage = inputTokens === undefined || outputTokens === undefined ? undefined : { inputTokens, outputTokens };
    yield { type: 'finish', finishReason: finishReason(stopReason), usage };
  } finally {
    unlink();
  }
}

export function createAnthropicModel(settings: ModelSettings): LanguageModel {
  let client: Promise<Anthropic> | undefined;
  const clientOnce = () => (client ??= createAnthropicClient(settings));
  const stream = (request: GenerateRequest): AsyncIterable<StreamPart> => streamParts(settings, clientOnce, request);
  return {
    provider: settings.provider,
    modelId: settings.modelId,
    price: settings.price,
    supportsTools: settings.supportsTools,
    baseURL: settings.baseURL,
    stream,
    generate: (request) =>
      collectStream({ parts: stream(request), request, price: settings.price, startedAt: Date.now() }),
  };
}

// Chat completions through the official `openai` client, for every OpenAI-compatible server: OpenAI,
// DeepSeek, Gemini's compatibility endpoint, OpenRouter, Ollama, LM Studio, custom endpoints, the gateway
// and KODE_LLM_ENDPOINT. The client never retries (maxRetries 0): generate() owns retries so it can honour
// Retry-After, report each retry and classify errors.
import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { TruncatedResponseError } from './errors.js';
import { mapProviderError, mapStreamError } from './error-mapping.js';
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_TEMPERATURE,
  callDescription,
  collectStream,
  endedEarlyError,
  linkedController,
  parseToolArguments,
  withIdleLimit,
} from './model-settings.js';
import type { ModelSettings } from './model-settings.js';
import type { FinishReason, GenerateRequest, LanguageModel, StreamPart } from './types.js';
import { abortError } from './errors.js';

/** The client for one base URL. Without a key no Authorization header is sent at all. */
export async function createOpenAIClient(settings: {
  baseURL: string;
  apiKey: string | undefined;
  headers?: Readonly<Record<string, string>>;
  fetch?: typeof fetch;
  timeoutMs: number;
}): Promise<OpenAI> {
  // Loaded on first use: a run that talks to Anthropic (or only verifies) never pays for this SDK's start-up.
  const { default: OpenAIClient } = await import('openai');
  return new OpenAIClient({
    baseURL: settings.baseURL,
    // The SDK insists on a key; a placeholder plus a null Authorization header sends none.
    apiKey: settings.apiKey ?? 'no-key',
    defaultHeaders: { ...settings.headers, ...(settings.apiKey === undefined ? { Authorization: null } : {}) },
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: settings.timeoutMs,
    maxRetries: 0,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
}

function finishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

function toolChoice(request: GenerateRequest): ChatCompletionToolChoiceOption | undefined {
  const choice = request.toolChoice;
  if (choice === undefined) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  return { type: 'function', function: { name: choice } };
}

// OpenAI's reasoning models reject `max_tokens` and any temperature but the default.
function isReasoningModel(settings: ModelSettings): boolean {
  return settings.provider === 'openai' && /^(o\d|gpt-5)/.test(settings.modelId);
}

export function chatCompletionBody(settings: ModelSettings, request: GenerateRequest): ChatCompletionCreateParamsBase {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system !== '') messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push({ role: message.role, content: message.content });
  const maxTokens = request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const reasoning = isReasoningModel(settings);
  const choice = toolChoice(request);
  return {
    model: settings.modelId,
    messages,
    ...(reasoning
      ? { max_completion_tokens: maxTokens }
      : { max_tokens: maxTokens, temperature: request.temperature ?? DEFAULT_TEMPERATURE }),
    ...(request.tools && request.tools.length > 0
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function' as const,
            function: {
              name: tool.name,
              ...(tool.description === undefined ? {} : { description: tool.description }),
              parameters: { ...tool.parameters },
            },
          })),
        }
      : {}),
    ...(choice === undefined ? {} : { tool_choice: choice }),
    ...(request.responseFormat === 'json' ? { response_format: { type: 'json_object' as const } } : {}),
  };
}

interface PendingToolCall {
  name: string;
  arguments: string;
}

async function* streamParts(
  settings: ModelSettings,
  clientOnce: () => Promise<OpenAI>,
  request: GenerateRequest,
): AsyncGenerator<StreamPart> {
  const call = callDescription(settings);
  const client = await clientOnce();
  const { controller, unlink } = linkedController(request.signal);
  const state = { idle: false };
  try {
    const body = chatCompletionBody(settings, request);
    let source: AsyncIterable<ChatCompletionChunk>;
    try {
      source = await client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        { signal: controller.signal },
      );
    } catch (error) {
      if (request.signal?.aborted) throw abortError(request.signal);
      throw mapProviderError(error, call);
    }
    const pending = new Map<number, PendingToolCall>();
    let reason: string | null = null;
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    try {
      const idleMs = settings.idleTimeoutMs ?? settings.timeoutMs / 2;
      for await (const chunk of withIdleLimit(source, { idleMs, controller, state })) {
        if (chunk.usage) {
          usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        }
        for (const choice of chunk.choices) {
          const content = choice.delta.content;
          if (content) yield { type: 'text-delta', text: content };
          for (const delta of choice.delta.tool_calls ?? []) {
            const entry = pending.get(delta.index) ?? { name: '', arguments: '' };
            if (delta.function?.name) entry.name += delta.function.name;
            if (delta.function?.arguments) entry.arguments += delta.function.arguments;
            pending.set(delta.index, entry);
          }
          if (choice.finish_reason) reason = choice.finish_reason;
        }
      }
    } catch (error) {
      if (request.signal?.aborted) throw abortError(request.signal);
      throw mapStreamError(error, call);
    }
    if (reason === null) {
      throw endedEarlyError({
        signal: request.signal,
        idle: state.idle,
        settings,
        truncated: () => new TruncatedResponseError({ provider: call.label, url: call.baseURL }),
      });
    }
    for (const [, toolCall] of [...pending.entries()].sort(([a], [b]) => a - b)) {
      yield { type: 'tool-call', name: toolCall.name, arguments: parseToolArguments(toolCall.arguments) };
    }
    yield { type: 'finish', finishReason: finishReason(reason), usage };
  } finally {
    unlink();
  }
}

async function* jsonParts(
  settings: ModelSettings,
  clientOnce: () => Promise<OpenAI>,
  request: GenerateRequest,
): AsyncGenerator<StreamPart> {
  const call = callDescription(settings);
  const client = await clientOnce();
  let completion: ChatCompletion;
  try {
    completion = await client.chat.completions.create(
      { ...chatCompletionBody(settings, request), stream: false },
      request.signal ? { signal: request.signal } : {},
    );
  } catch (error) {
    if (request.signal?.aborted) throw abortError(request.signal);
    throw mapProviderError(error, call);
  }
  const choice = completion.choices[0];
  if (!choice) throw new TruncatedResponseError({ provider: call.label, url: call.baseURL });
  if (choice.message.content) yield { type: 'text-delta', text: choice.message.content };
  for (const toolCall of choice.message.tool_calls ?? []) {
    if (toolCall.type !== 'function') continue;
    yield {
      type: 'tool-call',
      name: toolCall.function.name,
      arguments: parseToolArguments(toolCall.function.arguments),
    };
  }
  const usage = completion.usage
    ? { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens }
    : undefined;
  yield { type: 'finish', finishReason: finishReason(choice.finish_reason), usage };
}

export function createOpenAICompatibleModel(settings: ModelSettings): LanguageModel {
  let client: Promise<OpenAI> | undefined;
  const clientOnce = () => (client ??= createOpenAIClient(settings));
  const stream = (request: GenerateRequest): AsyncIterable<StreamPart> =>
    settings.streaming === false
      ? jsonParts(settings, clientOnce, request)
      : streamParts(settings, clientOnce, request);
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

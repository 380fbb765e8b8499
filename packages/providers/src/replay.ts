// Recording and replay. A recording is JSONL, one line per model exchange (request and reply, in order).
// `replay/<file.jsonl>` serves those replies in order with no network; a request that differs from the
// recorded one is still served (the point is reproducing a run) but reported. Keys never reach a recording:
// clients hold them, requests do not, and any known secret values are scrubbed as a second line of defence.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { ReplayError } from './errors.js';
import type { GenerateRequest, GenerateResult, LanguageModel, StreamPart } from './types.js';

export const RECORDING_VERSION = 1;

/** The recorded part of a request: everything that shapes the reply, nothing that is transport. */
export interface RecordedRequest {
  readonly system: string;
  readonly messages: GenerateRequest['messages'];
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  readonly tools?: GenerateRequest['tools'];
  readonly toolChoice?: string;
  readonly responseFormat?: 'text' | 'json';
}

export interface RecordedExchange {
  readonly v: typeof RECORDING_VERSION;
  readonly seq: number;
  readonly ts: string;
  readonly provider: string;
  readonly modelId: string;
  /** Whether the recorded model took tool calls, so the replay asks for the same edit format. */
  readonly supportsTools?: boolean;
  readonly request: RecordedRequest;
  readonly result: Omit<GenerateResult, 'durationMs'> & { readonly durationMs?: number };
}

export function recordedRequest(request: GenerateRequest): RecordedRequest {
  return {
    system: request.system,
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
    ...(request.tools === undefined ? {} : { tools: request.tools }),
    ...(request.toolChoice === undefined ? {} : { toolChoice: request.toolChoice }),
    ...(request.responseFormat === undefined ? {} : { responseFormat: request.responseFormat }),
  };
}

function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('[REDACTED]');
  return result;
}

/**
 * Wraps a model so every successful exchange is appended to `file` (created or truncated on the first
 * write). Failed attempts are not recorded: a replay reproduces what the engine received.
 */
export function createRecordingModel(options: {
  model: LanguageModel;
  file: string;
  /** Values scrubbed from every line (keys, tokens) in addition to whatever `redact` does. */
  secrets?: readonly string[];
  redact?: (text: string) => string;
  now?: () => Date;
}): LanguageModel & { flush(): Promise<void> } {
  const { model } = options;
  let seq = 0;
  let writes: Promise<void> = Promise.resolve();
  let started = false;
  const record = (request: GenerateRequest, result: GenerateResult): Promise<void> => {
    seq += 1;
    const exchange: RecordedExchange = {
      v: RECORDING_VERSION,
      seq,
      ts: (options.now?.() ?? new Date()).toISOString(),
      provider: model.provider,
      modelId: model.modelId,
      supportsTools: model.supportsTools ?? false,
      request: recordedRequest(request),
      result,
    };
    let line = scrub(JSON.stringify(exchange), options.secrets ?? []);
    if (options.redact) line = options.redact(line);
    const first = !started;
    started = true;
    writes = writes.then(() =>
      first ? writeFile(options.file, `${line}\n`, 'utf8') : appendFile(options.file, `${line}\n`, 'utf8'),
    );
    return writes;
  };
  async function* stream(request: GenerateRequest): AsyncGenerator<StreamPart> {
    let text = '';
    const toolCalls: { name: string; arguments: unknown }[] = [];
    const startedAt = Date.now();
    for await (const part of model.stream(request)) {
      if (part.type === 'text-delta') text += part.text;
      else if (part.type === 'tool-call') toolCalls.push({ name: part.name, arguments: part.arguments });
      else {
        const usage = part.usage ?? { inputTokens: 0, outputTokens: 0 };
        await record(request, {
          text,
          toolCalls,
          finishReason: part.finishReason,
          usage,
          costUsd: 0,
          durationMs: Date.now() - startedAt,
        });
      }
      yield part;
    }
  }
  return {
    ...model,
    stream,
    async generate(request) {
      const result = await model.generate(request);
      await record(request, result);
      return result;
    },
    flush: () => writes,
  };
}

function isExchange(value: unknown): value is RecordedExchange {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.request === 'object' && record.request !== null && typeof record.result === 'object';
}

export async function loadRecording(file: string): Promise<RecordedExchange[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ReplayError({
      file,
      message: `cannot read the recording ${file}: ${(error as Error).message}: record one with --record ${file}`,
      cause: error,
    });
  }
  const exchanges: RecordedExchange[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ReplayError({ file, message: `${file} line ${index + 1} is not JSON: record the session again` });
    }
    if (!isExchange(value)) {
      throw new ReplayError({ file, message: `${file} line ${index + 1} is not a recorded exchange: record again` });
    }
    exchanges.push(value);
  }
  return exchanges;
}

function describeDifference(recorded: RecordedRequest, actual: RecordedRequest): string | undefined {
  const fields = Object.keys({ ...recorded, ...actual }) as (keyof RecordedRequest)[];
  const differing = fields.filter((field) => JSON.stringify(recorded[field]) !== JSON.stringify(actual[field]));
  return differing.length === 0 ? undefined : differing.join(', ');
}

// The reply is taken when iteration starts, like a live model whose request goes out on the first next().
async function* replayParts(take: () => GenerateResult): AsyncGenerator<StreamPart> {
  const result = await Promise.resolve().then(take);
  if (result.text !== '') yield { type: 'text-delta', text: result.text };
  for (const call of result.toolCalls) yield { type: 'tool-call', name: call.name, arguments: call.arguments };
  yield { type: 'finish', finishReason: result.finishReason, usage: result.usage };
}

/** A model that serves a recording's replies in order, without any network. */
export async function createReplayModel(options: {
  file: string;
  /** Called when a request differs from the recorded one (default: a line on stderr). */
  onMismatch?: (message: string) => void;
}): Promise<LanguageModel> {
  const exchanges = await loadRecording(options.file);
  const onMismatch = options.onMismatch ?? ((message: string) => process.stderr.write(`! ${message}\n`));
  let next = 0;
  const take = (request: GenerateRequest): RecordedExchange => {
    const exchange = exchanges[next];
    if (!exchange) {
      throw new ReplayError({
        file: options.file,
        message: `the recording ${options.file} has no reply left for request ${next + 1} (it holds ${exchanges.length}): record the session again with --record`,
      });
    }
    next += 1;
    const difference = describeDifference(exchange.request, recordedRequest(request));
    if (difference !== undefined) {
      onMismatch(
        `replay: request ${next} differs from the recording in ${difference}: serving the recorded reply anyway`,
      );
    }
    return exchange;
  };
  const toResult = (exchange: RecordedExchange): GenerateResult => ({
    text: exchange.result.text,
    toolCalls: exchange.result.toolCalls,
    finishReason: exchange.result.finishReason,
    usage: exchange.result.usage,
    costUsd: 0,
    durationMs: 0,
  });
  return {
    provider: 'replay',
    modelId: options.file,
    price: { inputUsdPerMtok: 0, outputUsdPerMtok: 0 },
    supportsTools: exchanges[0]?.supportsTools ?? false,
    generate(request) {
      try {
        return Promise.resolve(toResult(take(request)));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    stream(request) {
      return replayParts(() => toResult(take(request)));
    },
  };
}

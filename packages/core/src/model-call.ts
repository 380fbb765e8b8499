// One "ask the model for a patch" step (§8.2, §8.10, §14): the budget is checked before every call (by
// @kode/providers' generate), a reply cut at the output limit gets one retry asking for a smaller answer, and an
// unparseable reply gets one format-repair call to small_model. Parse failures are results, never exceptions.
import { parseModelReply } from '@kode/gate';
import type { StructuredHunk } from '@kode/gate';
import { generate } from '@kode/providers';
import type { Budget, ChatMessage, GenerateRequest, GenerateResult, LanguageModel } from '@kode/providers';
import type { EditFormat } from './prompt.js';
import { formatRepairPrompt, SHORTER_REPLY_REQUEST, SUBMIT_PATCH_TOOL } from './prompt.js';

export interface ModelUsage {
  input: number;
  output: number;
  costUsd: number;
}

export interface AskContext {
  readonly model: LanguageModel;
  readonly smallModel: LanguageModel;
  readonly budget: Budget;
  readonly format: EditFormat;
  readonly maxOutputTokens: number;
  readonly signal: AbortSignal | undefined;
  readonly usage: ModelUsage;
  /** Prompts pass through here before they leave the machine (§8.12 secret redaction). */
  readonly redact: (text: string) => Promise<string>;
  readonly emit: (type: string, fields: Record<string, unknown>) => void;
}

export type AskResult =
  | { readonly ok: true; readonly hunks: StructuredHunk[]; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

function useTools(context: AskContext, model: LanguageModel): boolean {
  return context.format === 'json' && model.supportsTools === true;
}

async function call(options: {
  context: AskContext;
  model: LanguageModel;
  round: number;
  system: string;
  messages: readonly ChatMessage[];
}): Promise<GenerateResult> {
  const { context, model } = options;
  const tools = useTools(context, model);
  const request: GenerateRequest = {
    system: await context.redact(options.system),
    messages: await Promise.all(
      options.messages.map(async (message) => ({ role: message.role, content: await context.redact(message.content) })),
    ),
    maxOutputTokens: context.maxOutputTokens,
    ...(tools ? { tools: [SUBMIT_PATCH_TOOL], toolChoice: SUBMIT_PATCH_TOOL.name } : {}),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  };
  context.emit('llm-request-start', {
    provider: model.provider,
    model: model.modelId,
    round: options.round,
    projected_cost_usd: round6(context.budget.project({ model, request })),
  });
  const result = await generate({
    ...request,
    model,
    budget: context.budget,
    onRetry: (info) =>
      context.emit('llm-request-retry', { attempt: info.attempt, status: info.status, delay_ms: info.delayMs }),
  });
  context.usage.input += result.usage.inputTokens;
  context.usage.output += result.usage.outputTokens;
  context.usage.costUsd += result.costUsd;
  context.emit('llm-request-end', {
    provider: model.provider,
    model: model.modelId,
    round: options.round,
    duration_ms: Math.round(result.durationMs),
    input_tokens: result.usage.inputTokens,
    output_tokens: result.usage.outputTokens,
    cost_usd: round6(result.costUsd),
    finish_reason: result.finishReason,
  });
  return result;
}

function parse(context: AskContext, result: GenerateResult): ReturnType<typeof parseModelReply> {
  const toolCall = result.toolCalls.find((candidate) => candidate.name === SUBMIT_PATCH_TOOL.name);
  return parseModelReply({
    text: result.text,
    format: context.format,
    ...(toolCall === undefined ? {} : { toolArguments: toolCall.arguments }),
  });
}

/** One model answer turned into hunks: generation, at most one shorter-answer retry, at most one format repair. */
export async function askForPatch(options: {
  context: AskContext;
  round: number;
  system: string;
  prompt: string;
}): Promise<AskResult> {
  const { context, round } = options;
  const messages: ChatMessage[] = [{ role: 'user', content: options.prompt }];
  let result = await call({ context, model: context.model, round, system: options.system, messages });
  if (result.finishReason === 'length') {
    // A reply cut at the output limit is never parsed as a partial patch (§14).
    result = await call({
      context,
      model: context.model,
      round,
      system: options.system,
      messages: [...messages, { role: 'user', content: SHORTER_REPLY_REQUEST }],
    });
    if (result.finishReason === 'length') {
      return { ok: false, error: 'the reply was cut at the output limit twice (finish_reason length)' };
    }
  }
  const parsed = parse(context, result);
  if (parsed.ok) return parsed;
  const replyText =
    result.text !== '' ? result.text : JSON.stringify(result.toolCalls.map((toolCall) => toolCall.arguments));
  const repair = formatRepairPrompt({ reply: replyText, error: parsed.error, format: context.format });
  const repaired = await call({
    context,
    model: context.smallModel,
    round,
    system: repair.system,
    messages: [{ role: 'user', content: repair.user }],
  });
  if (repaired.finishReason === 'length') return { ok: false, error: parsed.error };
  const second = parse(context, repaired);
  return second.ok ? second : { ok: false, error: parsed.error };
}

export function round6(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}

// The provider specification: types only. Implementations (OpenAI-compatible, Anthropic, replay) live in
// their own files; the engine depends on these shapes, never on a concrete provider.

export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** JSON schema of the tool's input object. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface GenerateRequest {
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  /** Default 0.2 (§7.4). */
  readonly temperature?: number;
  /** Output token cap; default 8192 (engine.max_output_tokens). */
  readonly maxOutputTokens?: number;
  readonly tools?: readonly ToolDefinition[];
  /** `auto` (default when tools are given), `required`, `none`, or the name of a tool to force. */
  readonly toolChoice?: string;
  /** `json` asks OpenAI-compatible endpoints for a JSON object (response_format); ignored by Anthropic. */
  readonly responseFormat?: 'text' | 'json';
  readonly signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface ToolCall {
  readonly name: string;
  /** Parsed JSON arguments; the raw string when the model produced invalid JSON. */
  readonly arguments: unknown;
}

export interface GenerateResult {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
  readonly usage: Usage;
  /** True when the response carried no usage and tokens were estimated as characters / 4. */
  readonly usageEstimated?: boolean;
  readonly costUsd: number;
  readonly durationMs: number;
}

export type StreamPart =
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'tool-call'; readonly name: string; readonly arguments: unknown }
  | {
      readonly type: 'finish';
      readonly finishReason: FinishReason;
      /** Undefined when the provider reported none. */
      readonly usage: Usage | undefined;
    };

/** USD per million tokens. */
export interface ModelPrice {
  readonly inputUsdPerMtok: number;
  readonly outputUsdPerMtok: number;
}

export interface LanguageModel {
  /** Provider id (`anthropic`, `ollama`, `endpoint`, `kode`, a custom id, `replay`). */
  readonly provider: string;
  /** The id sent to the provider (without the provider prefix, except for the gateway and endpoint). */
  readonly modelId: string;
  /** One attempt: no retries, no budget. Consumes the stream; a stream without its end event throws. */
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** One streamed attempt. The last part is always `finish`; a truncated stream throws TruncatedResponseError. */
  stream(request: GenerateRequest): AsyncIterable<StreamPart>;
  /** Prices used for cost and budget projection (0 for local models). */
  readonly price?: ModelPrice;
  /** Whether the JSON edit format may be requested as a forced tool call (§7.4). */
  readonly supportsTools?: boolean;
  /** Base URL requests go to (for messages and events). */
  readonly baseURL?: string;
  /** Retries generate() makes when its options name none (default 3). */
  readonly maxRetries?: number;
}

/** Entry of the price catalogue (§7.6). */
export interface CatalogEntry {
  readonly context_window: number;
  readonly max_output_tokens: number;
  readonly input_usd_per_mtok: number;
  readonly output_usd_per_mtok: number;
  /** The provider's recommended default model (used by `kode providers login` without --model). */
  readonly default?: boolean;
}

export interface PriceCatalog {
  /** ISO date the prices were last checked. */
  readonly date: string;
  /** Keyed by full model id (`anthropic/claude-sonnet-4-6`). */
  readonly models: Readonly<Record<string, CatalogEntry>>;
}

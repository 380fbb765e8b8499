// @kode/providers: the provider specification (types), OpenAI-compatible / Anthropic / gateway / replay
// implementations, model resolution and keys, retries, prices and the budget.
export type {
  CatalogEntry,
  ChatMessage,
  FinishReason,
  GenerateRequest,
  GenerateResult,
  LanguageModel,
  ModelPrice,
  PriceCatalog,
  StreamPart,
  ToolCall,
  ToolDefinition,
  Usage,
} from './types.js';
export {
  APICallError,
  AuthenticationError,
  BudgetExceededError,
  ContextLengthError,
  CredentialStoreError,
  KodeError,
  MissingApiKeyError,
  NoSuchModelError,
  RateLimitError,
  ReplayError,
  TruncatedResponseError,
  UnknownProviderError,
  UntrustedHostError,
} from './errors.js';
export type { ErrorKind } from './errors.js';
export {
  BUILTIN_PROVIDERS,
  RESERVED_PROVIDER_IDS,
  builtinProvider,
  gatewayBaseURL,
  hostLabel,
  isFreeProvider,
  isLoopbackURL,
} from './builtin-providers.js';
export type { BuiltinProvider, Protocol } from './builtin-providers.js';
export { createProvider } from './create-provider.js';
export type { CreateProviderOptions, Provider } from './create-provider.js';
export { generate } from './generate.js';
export type { GenerateOptions, RetryInfo } from './generate.js';
export type { RetryOptions } from './retry.js';
export { parseRetryAfter } from './retry.js';
export { createBudget, estimatePromptTokens } from './budget.js';
export type { Budget, BudgetReservation } from './budget.js';
export { PRICE_CATALOG, FALLBACK_PRICE, catalogEntry, costOf, lookupPrice } from './pricing.js';
export type { PriceLookup, PriceOverrides, PriceSource } from './pricing.js';
export { resolveModel } from './resolve-model.js';
export type { ResolveModelOptions } from './resolve-model.js';
export {
  DEFAULT_MODEL,
  customProviderIds,
  keyVariables,
  knownProviderIds,
  lookupKey,
  providerBaseURL,
  readUserCredentials,
  resolveModelId,
  resolveTarget,
} from './resolve.js';
export type { Environment, KeySource, ProviderConfig, ResolvedTarget } from './resolve.js';
export {
  addTrustedHost,
  credentialsFile,
  maskKey,
  readCredentials,
  readTrustedHosts,
  removeCredential,
  saveCredential,
  trustedHostsFile,
} from './credential-store.js';
export type { CredentialStore, StoredCredential } from './credential-store.js';
export { listModels, queryProviderModels } from './list-models.js';
export type {
  ListModelsOptions,
  ListingFailure,
  ModelEntry,
  ModelListing,
  ModelSource,
  ProviderListing,
  QueryTarget,
} from './list-models.js';
export { createRecordingModel, createReplayModel, loadRecording } from './replay.js';
export type { RecordedExchange, RecordedRequest } from './replay.js';
export { applyConfigUpdates, updateProjectConfigFile } from './project-config-file.js';
export type { ConfigFieldUpdate } from './project-config-file.js';
export { listConfiguredProviders } from './configured-providers.js';
export type { ConfiguredProvider } from './configured-providers.js';

// Public surface of @kode/audit-log (SPEC §13): append to the hash-chained log, read it, summarise it, explain a
// check, verify the chain.
export { appendAuditEntry } from './append.js';
export type { AppendAuditEntryOptions } from './append.js';
export { checkAuditLogWritable } from './log-location.js';
export type { AuditLogWritableResult } from './log-location.js';
export { readAuditLog } from './read.js';
export { computeStats } from './stats.js';
export type { ComputeStatsOptions } from './stats.js';
export { renderStats } from './render-stats.js';
export type { RenderStatsOptions } from './render-stats.js';
export { explainCheck } from './explain.js';
export type { ExplainCheckOptions } from './explain.js';
export { CHECK_EXPLANATIONS, CHECK_NAMES } from './check-explanations.js';
export type { CheckExplanation, ExplainableCheck } from './check-explanations.js';
export { verifyAuditChain } from './verify-chain.js';
export type { VerifyAuditChainOptions } from './verify-chain.js';
export { GENESIS_HASH, hashEntry } from './hash.js';
export { redactSecretsBasic } from './redact.js';
export { AuditLogError, AuditLogNotFoundError, UnknownCheckError } from './errors.js';
export type { AuditLogOperation } from './errors.js';
export type {
  AuditEntry,
  AuditEntryInput,
  AuditErrorRecord,
  AuditGateRecord,
  AuditGhostRecord,
  AuditLogLine,
  AuditRecoveredRecord,
  AuditStats,
  AuditStatus,
  AuditSuppression,
  AuditTestRecord,
  ChainProblem,
  ChainProblemKind,
  ChainReport,
  DailyTrendDay,
  FailedFileCount,
  FailureTypeCount,
  ModelCount,
} from './types.js';

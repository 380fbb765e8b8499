export { verify } from './verify.js';
export { formatReason, joinDetails } from './format-reason.js';
export { computeDiffId } from './diff-id.js';
export { parsePatchDocument } from './patch-input.js';
export { hunkIds } from './schema.js';
export { normalizeArchitectureRules } from './gates/architecture.js';
export type { PatchDocument, PatchDocumentResult } from './patch-input.js';
export { parseModelReply } from './model-reply.js';
export type { ParseModelReplyOptions, ParseModelReplyResult } from './model-reply.js';
export { parseUnifiedDiff } from './unified-diff.js';
export type { FilePatch, ParsedDiff } from './unified-diff.js';
export { PATCH_KEY } from './types.js';
export type {
  CheckName,
  GateEvent,
  GateResult,
  GateStatus,
  PatchInput,
  StructuredHunk,
  Verdict,
  VerifyOptions,
  VerifyResult,
} from './types.js';
export { SECURITY_RULES, securityRule, securityRulesMarkdown } from './security/catalog.js';
export { findSecrets, knownSecretValues, maskSecret, redactKnownSecrets, redactSecrets } from './security/secrets.js';
export type { SecretScanOptions } from './security/secrets.js';
export { SEVERITIES } from './security/types.js';
export type { SecurityFinding, SecurityRule, Severity } from './security/types.js';
export type { SecuritySuppression } from './gates/security.js';

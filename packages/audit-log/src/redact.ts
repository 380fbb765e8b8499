// Default secret rules for log entries. The full rule set (secretlint preset, known values) lives in @kode/gate;
// callers that have it pass it as `redact`. These patterns keep the log safe when nothing better is supplied,
// because @kode/audit-log may not depend on another @kode package.

interface SecretPattern {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Text kept before the secret (e.g. the URL scheme); the rest of the match is replaced. */
  readonly keepGroup?: 1;
}

// Order matters: more specific prefixes first (`sk-ant-` and `sk-or-v1-` before the generic `sk-`).
const secretPatterns: readonly SecretPattern[] = [
  {
    kind: 'private-key',
    pattern:
      /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: 'basic-auth', pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s:@/?#'"]*:[^\s@/?#'"]+(?=@)/gi, keepGroup: 1 },
  { kind: 'anthropic', pattern: /\bsk-ant-[A-Za-z0-9_-]{16,}/g },
  { kind: 'openrouter', pattern: /\bsk-or-v1-[A-Za-z0-9]{32,}/g },
  // A digit somewhere in the token keeps prose such as "sk-learn-compatible-estimators" out.
  { kind: 'openai', pattern: /\bsk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z_-]{0,300}[0-9])[A-Za-z0-9_-]{20,}/g },
  { kind: 'aws', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  {
    kind: 'aws',
    pattern: /(aws_?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
    keepGroup: 1,
  },
  { kind: 'github', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/g },
  { kind: 'github', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}/g },
  { kind: 'slack', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'slack', pattern: /\bhttps:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9_/]+/g },
  { kind: 'npm', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'google', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
];

/**
 * Replaces common credentials with `[REDACTED:secret/<kind>]`: OpenAI (`sk-`, `sk-proj-`), Anthropic (`sk-ant-`),
 * OpenRouter, AWS access key ids and secret keys, GitHub tokens, Slack tokens and webhooks, npm tokens, Google API
 * keys, credentials in URLs (`https://user:pass@host`) and PEM private key blocks.
 */
export function redactSecretsBasic(text: string): string {
  let result = text;
  for (const { kind, pattern, keepGroup } of secretPatterns) {
    const placeholder = `[REDACTED:secret/${kind}]`;
    result =
      keepGroup === undefined ? result.replace(pattern, placeholder) : result.replace(pattern, `$1${placeholder}`);
  }
  return result;
}

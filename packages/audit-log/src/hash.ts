// The one hash implementation shared by the writer and the verifier (SPEC §6.3): if they ever diverged, every
// entry would look tampered with.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const hashPattern = /^[0-9a-f]{64}$/;

/**
 * SHA-256 (lowercase hex) of the RFC 8785 canonical JSON of `entry` without its `hash` field. Accepts any JSON
 * object so the verifier can hash lines exactly as they were parsed.
 */
export function hashEntry(entry: object): string {
  const { hash: _hash, ...withoutHash } = entry as Record<string, unknown>;
  const canonical = canonicalize(withoutHash);
  if (canonical === undefined) throw new TypeError('audit entry cannot be represented as canonical JSON');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export function isChainHash(value: unknown): value is string {
  return typeof value === 'string' && hashPattern.test(value);
}

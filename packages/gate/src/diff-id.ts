// diff_id (SPEC §2.3): the first 12 hex characters of SHA-256 over the RFC 8785 canonical JSON of the patch input,
// so the same patch gets the same id in every log, whichever tool produced it.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export function computeDiffId(input: unknown): string {
  const canonical = canonicalize(input) ?? 'null';
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 12);
}

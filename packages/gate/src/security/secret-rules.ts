// Our own secret rules (SPEC §4.10), next to the secretlint preset that secrets.ts runs: the LLM-provider key formats
// the preset lacks or matches only narrowly, PEM private-key blocks (the preset misses PGP and encrypted keys) and
// random-looking literals assigned to secret-sounding names. Everything is a linear scan: regexes either anchor on a
// fixed prefix and consume one character class greedily, or run on one bounded line.
export { findHighEntropyAssignments, isHighEntropySecret } from './secret-rules/high-entropy.js';
export { PRIORITY } from './secret-rules/match.js';
export type { SecretMatch } from './secret-rules/match.js';
export { findPrivateKeys, isPrivateKeyBlock } from './secret-rules/private-keys.js';
export { findProviderKeys } from './secret-rules/provider-keys.js';
export { hasBenignSuffix, isSecretName, nameWords } from './secret-rules/secret-names.js';
export { isPlaceholder, shannonEntropy } from './secret-rules/value-tests.js';

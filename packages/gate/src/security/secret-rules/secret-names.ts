// Secret-sounding names: the words of a name, credential stems, benign modifiers and suffixes.
/** Longer "names" are minified code or data; also keeps the word splitting cheap. */
const MAX_NAME_LENGTH = 128;

const wordSet = (words: string): ReadonlySet<string> => new Set(words.split(' '));

/** Words a name ends with (or is) that make it secret-sounding; `apikey`/`accesstoken` style compounds too. */
const SECRET_STEM = /(?:key|secret|token|password|passwd|credential)s?$/u;
/** Words ending in a stem that are not about secrets. */
const BENIGN_STEM_WORDS = wordSet(
  'monkey donkey turkey hockey jockey whiskey lackey hotkey hotkeys turnkey passkey passkeys',
);
/** `<modifier>Key` names that identify records, caches or UI, not credentials. */
const BENIGN_KEY_MODIFIERS = wordSet(
  'public pub primary foreign sort cache partition composite unique hot i18n translation locale storage ' +
    'query route lookup map index row group object idempotency dedupe dedup redis config setting settings ' +
    'field column prop property attribute list item state event message label react dict hash next page ' +
    'continuation pagination cursor sync cancellation cancel design lexer syntax parser',
);
/** `secretName`, `tokenUrl`, `passwordHint`...: the value is about the secret, not the secret. */
const BENIGN_SUFFIXES = wordSet(
  'name names id ids type types url urls uri endpoint path file filename dir label hint length len size ' +
    'count max min prefix suffix header field format pattern regex regexp policy placeholder description ' +
    'desc message msg error text title env var variable expiry expires expiration ttl timeout version ' +
    'kind mode status state enabled required rule rules schema column template example sample limit ' +
    'strength hash hashed digest checksum fingerprint arn ref location provider service store source ' +
    'input button icon link route page form dialog view component class style color at date time index ' +
    'lookup list scope scopes audience issuer algorithm alg encoding handler callback fn method strategy ' +
    'validator validation chars characters charset alphabet',
);

/** `API_KEY`, `apiKey`, `client-secret`, `auth.token`, `token2` → lower-case words. */
export function nameWords(name: string): string[] {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/gu, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/gu, '$1 $2')
      // `token2`, `apiKey12`: a trailing number is its own word (`i18n`, `oauth2` stay whole).
      .replace(/([A-Za-z])(\d+)(?![A-Za-z\d])/gu, '$1 $2')
      .toLowerCase()
      .match(/[a-z0-9]+/gu) ?? []
  );
}

/** `TOKEN_FILE`, `secretName`, `KEY_PATH`: a name for something about a secret. */
export function hasBenignSuffix(name: string): boolean {
  const last = nameWords(name.slice(-MAX_NAME_LENGTH)).at(-1);
  return last !== undefined && BENIGN_SUFFIXES.has(last);
}

function isSecretWord(word: string): boolean {
  return SECRET_STEM.test(word) && !BENIGN_STEM_WORDS.has(word);
}

/** A name (variable, key, argument, env var) that holds a credential rather than something about one. */
export function isSecretName(name: string): boolean {
  if (name.length > MAX_NAME_LENGTH) return false;
  const words = nameWords(name);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (isSecretWord(last)) {
    const modifier = words.at(-2);
    if (modifier === undefined || !BENIGN_KEY_MODIFIERS.has(modifier)) return true;
    return /(?:secret|password|passwd|credential)s?$/u.test(last);
  }
  if (BENIGN_SUFFIXES.has(last)) return false;
  const index = words.findIndex(isSecretWord);
  if (index === -1) return false;
  const modifier = words[index - 1];
  return modifier === undefined || !BENIGN_KEY_MODIFIERS.has(modifier);
}

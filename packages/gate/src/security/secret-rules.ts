// Our own secret rules (SPEC §4.10), next to the secretlint preset that secrets.ts runs: the LLM-provider key formats
// the preset lacks or matches only narrowly, PEM private-key blocks (the preset misses PGP and encrypted keys) and
// random-looking literals assigned to secret-sounding names. Everything is a linear scan: regexes either anchor on a
// fixed prefix and consume one character class greedily, or run on one bounded line.

/** One matched secret: offsets into the scanned text (end exclusive). Never leaves the secret modules. */
export interface SecretMatch {
  readonly start: number;
  readonly end: number;
  readonly ruleId: string;
  /** Which match wins when ranges overlap: the higher one (the more specific rule). */
  readonly priority: number;
}

/** Priorities of overlapping matches: a live value beats a format, a format beats a guess. */
export const PRIORITY = {
  knownValue: 50,
  privateKey: 40,
  provider: 30,
  genericProvider: 20,
  highEntropy: 10,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Shared value tests

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let length = 0;
  for (const count of counts.values()) length += count;
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

/** Placeholder words, and keyboard runs and counting sequences (typed, not generated). */
const PLACEHOLDER_WORDS = (
  'example changeme change_me change-me placeholder your dummy redacted replaceme replace_me replace-me sample ' +
  'fake 123456 abcdef qwerty'
).split(' ');

/**
 * Documentation and template values: placeholder words, `xxx`, masks, `<...>`, `${...}`, `{{...}}`, `{name}`, `%s`,
 * a single repeated character. Case-sensitive `xxx`/`XXX` so that random keys (mixed case) rarely trip it.
 */
export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) return true;
  if (value.includes('xxx') || value.includes('XXX') || value.includes('***') || value.includes('...')) return true;
  if (value.includes('…')) return true;
  const open = value.indexOf('<');
  if (open !== -1 && value.indexOf('>', open) !== -1) return true;
  const brace = value.indexOf('{');
  if (brace !== -1 && value.indexOf('}', brace) !== -1) return true;
  // printf templates: `%(name)s`, or two `%s`/`%d` (one `%` pair also occurs in random Django-style keys).
  if (/%\([A-Za-z_]\w*\)[sd]/u.test(value) || (value.match(/%[sd]/gu)?.length ?? 0) >= 2) return true;
  return isOneCharacterRepeated(value);
}

function isOneCharacterRepeated(value: string): boolean {
  for (let index = 1; index < value.length; index += 1) {
    if (value.charCodeAt(index) !== value.charCodeAt(0)) return false;
  }
  return true;
}

function hasDigitUpperAndLower(value: string): boolean {
  return /\d/u.test(value) && /[A-Z]/u.test(value) && /[a-z]/u.test(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Provider key formats the preset lacks: OpenAI (beyond the T3BlbkFJ marker), Anthropic (beyond api0x), DeepSeek,
// OpenRouter, Google API keys.

/**
 * A run of key characters that starts with a provider prefix. The run is consumed greedily with nothing after it,
 * so the regex never backtracks; the whole token is then classified in code. The look-behind keeps `task-`/`disk-`
 * and longer identifiers out.
 */
const PROVIDER_TOKEN = /(?<![A-Za-z0-9_-])(?:sk-|AIza)[A-Za-z0-9_-]*/gu;

const OPENROUTER = /^sk-or-v1-[0-9a-fA-F]{64}$/u;
const ANTHROPIC = /^sk-ant-[A-Za-z0-9_-]{32,}$/u;
const DEEPSEEK = /^sk-[0-9a-f]{32}$/u;
const OPENAI_SCOPED = /^sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}$/u;
const OPENAI_LEGACY = /^sk-[A-Za-z0-9]{20,}$/u;
const GOOGLE_API_KEY = /^AIza[A-Za-z0-9_-]{35}$/u;

/** Random keys have some spread; a placeholder like `sk-aaaa…` or `sk-1111…` does not. */
const MIN_PROVIDER_BODY_ENTROPY = 3;

function classifyProviderToken(token: string): { ruleId: string; priority: number } | null {
  let ruleId: string;
  let body: string;
  let priority: number = PRIORITY.provider;
  if (token.startsWith('AIza')) {
    if (!GOOGLE_API_KEY.test(token)) return null;
    ruleId = 'secret/google';
    body = token.slice(4);
  } else if (token.startsWith('sk-or-')) {
    if (!OPENROUTER.test(token)) return null;
    ruleId = 'secret/openrouter';
    body = token.slice('sk-or-v1-'.length);
  } else if (token.startsWith('sk-ant-')) {
    body = token.slice('sk-ant-'.length);
    if (!ANTHROPIC.test(token) || !hasDigitUpperAndLower(body)) return null;
    ruleId = 'secret/anthropic';
  } else if (DEEPSEEK.test(token)) {
    ruleId = 'secret/deepseek';
    body = token.slice(3);
  } else if (OPENAI_SCOPED.test(token)) {
    ruleId = 'secret/openai';
    body = token.slice(token.indexOf('-', 3) + 1);
    if (!hasDigitUpperAndLower(body)) return null;
  } else if (OPENAI_LEGACY.test(token)) {
    // `sk-` and letters and digits only: also what other vendors use, so it yields to a more specific match.
    ruleId = 'secret/openai';
    body = token.slice(3);
    priority = PRIORITY.genericProvider;
    if (!hasDigitUpperAndLower(body)) return null;
  } else {
    return null;
  }
  if (isPlaceholder(body) || shannonEntropy(body) < MIN_PROVIDER_BODY_ENTROPY) return null;
  return { ruleId, priority };
}

/** OpenAI, Anthropic, DeepSeek, OpenRouter and Google keys anywhere in the text, comments included. */
export function findProviderKeys(text: string): SecretMatch[] {
  const matches: SecretMatch[] = [];
  for (const match of text.matchAll(PROVIDER_TOKEN)) {
    const kind = classifyProviderToken(match[0]);
    if (kind !== null) matches.push({ start: match.index, end: match.index + match[0].length, ...kind });
  }
  return matches;
}

// ---------------------------------------------------------------------------------------------------------------
// PEM private keys

/** `-----BEGIN [RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED ]PRIVATE KEY[ BLOCK]-----`: a bounded label, no nesting. */
const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]{1,12} ){0,2}PRIVATE KEY(?: BLOCK)?-----/gu;
const PEM_END = /-----END (?:[A-Z0-9]{1,12} ){0,2}PRIVATE KEY(?: BLOCK)?-----/uy;
/** A 4096-bit RSA or PGP key is under 8 KB of base64; anything further away is not this block's END. */
const MAX_PEM_BODY = 32_768;
/** Real bodies are lines of 64 base64 characters; prose and `...` placeholders have no such run. */
const MIN_BASE64_RUN = 40;
const MIN_MATERIAL_SHARE = 0.8;
const MIN_BODY_ENTROPY = 4;

function isBase64Character(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 43 ||
    code === 47
  );
}

/**
 * The body between BEGIN and END has key material: a long base64 run (a 64-column line; an Ed25519 key is one run of
 * 48), random-looking, and the body is mostly base64 (headers such as `DEK-Info:`, quotes and `+` of a concatenated
 * string are fine; code that merely sits between two marker constants is not).
 */
function hasKeyMaterial(body: string): boolean {
  if (body.includes('...') || body.includes('…')) return false;
  let longestRun = 0;
  let run = 0;
  let material = '';
  let other = 0;
  for (let index = 0; index < body.length; index += 1) {
    const code = body.charCodeAt(index);
    // `\n` escapes inside JSON or code strings are separators, not material.
    if (code === 92 && (body.charCodeAt(index + 1) === 110 || body.charCodeAt(index + 1) === 114)) {
      run = 0;
      index += 1;
      continue;
    }
    if (isBase64Character(code)) {
      run += 1;
      material += body[index];
      if (run > longestRun) longestRun = run;
    } else {
      run = 0;
      if (code > 32) other += 1;
    }
  }
  return (
    longestRun >= MIN_BASE64_RUN &&
    material.length >= MIN_BASE64_RUN &&
    material.length >= MIN_MATERIAL_SHARE * (material.length + other) &&
    // No placeholder-word test here: 1,600 random characters contain `your` or `xxx` too often. A run of `x`
    // or `A` placeholders fails the entropy test instead.
    shannonEntropy(material) >= MIN_BODY_ENTROPY
  );
}

/** Checks a whole `BEGIN ... END` block found by another scanner (the secretlint preset) the same way. */
export function isPrivateKeyBlock(block: string): boolean {
  const bodyStart = block.indexOf('-----', '-----BEGIN'.length);
  const bodyEnd = block.lastIndexOf('-----END');
  return bodyStart !== -1 && bodyEnd > bodyStart && hasKeyMaterial(block.slice(bodyStart + 5, bodyEnd));
}

/**
 * Whole `BEGIN ... PRIVATE KEY ... END` blocks with key material; a BEGIN line alone (docs) is not one. Linear: the
 * next END is searched once and reused, and of several BEGINs before one END only the last is checked.
 */
export function findPrivateKeys(text: string): SecretMatch[] {
  const matches: SecretMatch[] = [];
  let endMarker = -1;
  let nextBegin = -1;
  for (const begin of text.matchAll(PEM_BEGIN)) {
    const bodyStart = begin.index + begin[0].length;
    if (endMarker < bodyStart) endMarker = text.indexOf('-----END ', bodyStart);
    if (endMarker === -1) break;
    if (nextBegin < bodyStart) nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if ((nextBegin !== -1 && nextBegin < endMarker) || endMarker - bodyStart > MAX_PEM_BODY) continue;
    PEM_END.lastIndex = endMarker;
    const end = PEM_END.exec(text);
    if (end === null || !hasKeyMaterial(text.slice(bodyStart, endMarker))) continue;
    matches.push({
      start: begin.index,
      end: endMarker + end[0].length,
      ruleId: 'secret/private-key',
      priority: PRIORITY.privateKey,
    });
  }
  return matches;
}

// ---------------------------------------------------------------------------------------------------------------
// High-entropy literals assigned to secret-sounding names

const MIN_SECRET_LENGTH = 20;
const MIN_SECRET_ENTROPY = 4;
/** Minified bundles and data blobs: this rule only (the format rules scan every line). */
const MAX_LINE_LENGTH = 4096;
/** How far before a literal its name and operator are looked for: keeps a line of many literals linear. */
const NAME_WINDOW = 200;

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const URL_OR_PATH = /^(?:[a-z][a-z0-9+.-]{0,20}:\/\/|\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/u;
const INTEGRITY_HASH = /^sha(?:1|224|256|384|512)-/u;
const DATA_URI = /^data:[\w/+.-]*[;,]/u;
/** `a=1&token_type_hint=...`: a query string quoted in docs, not one value. */
const QUERY_STRING = /&[A-Za-z_][\w.-]*=/u;
/** `\w\d` regexes, `C:\Users`, registry paths, `\n`-joined text; `\/` (JSON-escaped slash) stays possible. */
const ESCAPE_SEQUENCE = /\\[A-Za-z]/u;
/** Code that reads the secret from the environment, quoted in a template or a generated file. */
const ENV_LOOKUP = /process\.env|import\.meta\.env|os\.environ|getenv|env::var|System\.getenv/iu;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/u;
const PROSE = /^[A-Za-z][A-Za-z ,.'!?-]*$/u;

/** Base64 that decodes to plain words (`aGVsbG8gd29ybGQ=`) is encoded text, not a key. */
function isBase64OfWords(value: string): boolean {
  if (!BASE64.test(value) || value.replace(/=+$/u, '').length % 4 === 1) return false;
  return PROSE.test(Buffer.from(value, 'base64').toString('latin1'));
}

/**
 * Identifiers and prose (`kode.workspace.lastOpenedFile`, `production-database-credentials`): every letter run is
 * a pronounceable word (a vowel, no long consonant cluster, not too long) or a short acronym, numbers are short.
 * Random strings fail on their first one-letter run or digit-in-word.
 */
function isWordLike(value: string): boolean {
  const parts = value.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]|\d+/gu);
  if (parts === null) return false;
  for (const part of parts) {
    if (/^\d+$/u.test(part)) {
      if (part.length > 4) return false;
    } else if (/^[A-Z]+$/u.test(part)) {
      if (part.length < 2 || part.length > 5) return false;
    } else {
      const word = part.toLowerCase();
      if (word.length < 2 || word.length > 20 || !/[aeiouy]/u.test(word)) return false;
      if (/[^aeiouy]{5}/u.test(word)) return false;
    }
  }
  return true;
}

/** A literal that looks like a generated credential and not like a placeholder, path, id or hash. */
export function isHighEntropySecret(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH) return false;
  // Generated secrets have no spaces: text with spaces is prose unless one of its words is itself a secret
  // (`Bearer <token>`, `Basic <base64>`).
  if (/\s/u.test(value))
    return value.split(/\s+/u).some((word) => word.length >= MIN_SECRET_LENGTH && isHighEntropySecret(word));
  // Generated secrets are printable ASCII; translated messages reach high entropy through their many letters.
  if (!/^[\x21-\x7e]+$/u.test(value)) return false;
  if (shannonEntropy(value) < MIN_SECRET_ENTROPY) return false;
  if (isPlaceholder(value)) return false;
  if (URL_OR_PATH.test(value) || UUID.test(value) || INTEGRITY_HASH.test(value) || ENV_LOOKUP.test(value)) return false;
  if (DATA_URI.test(value) || QUERY_STRING.test(value) || ESCAPE_SEQUENCE.test(value)) return false;
  if (isWordLike(value) || isBase64OfWords(value)) return false;
  return true;
}

interface LiteralSpan {
  /** Offsets within the line of the content (quotes excluded). */
  readonly start: number;
  readonly end: number;
  readonly quote: number;
}

const QUOTES = new Set([34, 39, 96]);

/**
 * String literals that open and close on this line. An unclosed quote (an apostrophe in a comment) is skipped, and
 * since no later quote of that kind exists on the line, each kind is scanned to the end at most once: linear.
 */
function lineLiterals(line: string): LiteralSpan[] {
  const literals: LiteralSpan[] = [];
  let index = 0;
  while (index < line.length) {
    const quote = line.charCodeAt(index);
    if (!QUOTES.has(quote)) {
      index += 1;
      continue;
    }
    let cursor = index + 1;
    while (cursor < line.length && line.charCodeAt(cursor) !== quote) {
      cursor += line.charCodeAt(cursor) === 92 ? 2 : 1;
    }
    if (cursor >= line.length) {
      index += 1;
      continue;
    }
    literals.push({ start: index + 1, end: cursor, quote });
    index = cursor + 1;
  }
  return literals;
}

const IDENTIFIER_CHARACTER = /[A-Za-z0-9_$-]/u;

/** The identifier ending at `end` (exclusive) in `text`, without leading dashes (`--password`, `- token`). */
function trailingIdentifier(text: string, end: number): string {
  let start = end;
  while (start > 0 && IDENTIFIER_CHARACTER.test(text.charAt(start - 1))) start -= 1;
  return text.slice(start, end).replace(/^-+/u, '');
}

/**
 * The names a value is assigned to, from the text before it on its line: `NAME =`, `NAME:`, `NAME :=`,
 * `NAME =>`, `"NAME":`, `obj["NAME"] =`, `self.NAME =`, `const NAME: string =`, Go `var NAME string =`.
 * Empty when the value is not assigned (a call argument, a comparison, a concatenation).
 */
function assignedNames(before: string): string[] {
  const trimmed = before.trimEnd();
  let operatorLength: number;
  let isColon = false;
  if (trimmed.endsWith(':=') || trimmed.endsWith('=>')) {
    operatorLength = 2;
  } else if (trimmed.endsWith('=')) {
    if (/[=!<>+\-*/%&|^~]$/u.test(trimmed.slice(0, -1))) return [];
    operatorLength = 1;
  } else if (trimmed.endsWith(':')) {
    if (trimmed.endsWith('::')) return [];
    operatorLength = 1;
    isColon = true;
  } else {
    return [];
  }
  let left = trimmed.slice(0, -operatorLength).trimEnd();
  if (left.endsWith(']')) left = left.slice(0, -1).trimEnd();
  const last = left.charAt(left.length - 1);
  if (last === '"' || last === "'" || last === '`') {
    const open = left.lastIndexOf(last, left.length - 2);
    if (open === -1) return [];
    return [left.slice(open + 1, -1)];
  }
  const names = [trailingIdentifier(left, left.length)];
  if (!isColon) {
    // `const apiKey: string =`, `let token: &'static str =`: the name before the type annotation.
    const annotation = /([A-Za-z_$][\w$]*)\s*\??:(?!:)[^=:"`]{1,60}$/u.exec(left.slice(-120));
    if (annotation?.[1] !== undefined) names.push(annotation[1]);
    // Go `var apiKey string =`.
    const goVariable = /\b(?:var|const)\s+([A-Za-z_]\w*)\s+[\w.[\]*]+$/u.exec(left.slice(-120));
    if (goVariable?.[1] !== undefined) names.push(goVariable[1]);
  }
  return names.filter((name) => name.length > 0);
}

/** `export NAME=value`, `NAME: value`, `- NAME=value`: a whole-line assignment of an unquoted value (.env, YAML). */
const BARE_ASSIGNMENT = /^\s*(?:export\s+|-\s+)?(["']?)([A-Za-z_][\w.-]*)\1\s*[=:](?![=:])\s*/u;
const DOTTED_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/u;

function bareValue(line: string): { start: number; value: string; name: string } | null {
  const match = BARE_ASSIGNMENT.exec(line);
  if (match === null) return null;
  const name = match[2] ?? '';
  const start = match[0].length;
  let rest = line.slice(start);
  const comment = rest.search(/\s[#;]/u);
  if (comment !== -1) rest = rest.slice(0, comment);
  const value = rest.trimEnd();
  if (value.length === 0 || /\s/u.test(value)) return null;
  // Quoted values go through the literal scan; YAML anchors, aliases, tags, block and flow syntax are not values.
  if (/^[$&*!|>{<%@]/u.test(value) || /[,;{]$/u.test(value) || /["'`()[\]]/u.test(value)) return null;
  if (DOTTED_PATH.test(value)) return null;
  return { start, value, name };
}

/** Random-looking literals (>= 20 chars, >= 4 bits/char) assigned to a key/secret/token/password name. */
export function findHighEntropyAssignments(text: string): SecretMatch[] {
  const matches: SecretMatch[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    if (lineEnd - lineStart <= MAX_LINE_LENGTH) scanLine(text.slice(lineStart, lineEnd), lineStart, matches);
    lineStart = lineEnd + 1;
  }
  return matches;
}

function scanLine(line: string, offset: number, matches: SecretMatch[]): void {
  if (line.length < MIN_SECRET_LENGTH) return;
  for (const literal of lineLiterals(line)) {
    if (literal.end - literal.start < MIN_SECRET_LENGTH) continue;
    const value = line.slice(literal.start, literal.end);
    if (literal.quote === 96 && value.includes('${')) continue;
    // Python/Rust string prefixes (r"", b"", f"") sit between the operator and the quote; an f-string with `{}` is
    // not a literal and fails the placeholder test below.
    const before = line
      .slice(Math.max(0, literal.start - 1 - NAME_WINDOW), literal.start - 1)
      .replace(/(?<![\w$])[rRbBuUfF]{1,2}$/u, '');
    if (!assignedNames(before).some(isSecretName)) continue;
    if (!isHighEntropySecret(value)) continue;
    matches.push({
      start: offset + literal.start,
      end: offset + literal.end,
      ruleId: 'secret/high-entropy',
      priority: PRIORITY.highEntropy,
    });
  }
  const bare = bareValue(line);
  if (bare !== null && isSecretName(bare.name) && isHighEntropySecret(bare.value)) {
    matches.push({
      start: offset + bare.start,
      end: offset + bare.start + bare.value.length,
      ruleId: 'secret/high-entropy',
      priority: PRIORITY.highEntropy,
    });
  }
}

// High-entropy literals assigned to secret-sounding names (`secret/high-entropy`).
import { assignedNames, bareValue, lineLiterals } from './line-assignments.js';
import { PRIORITY } from './match.js';
import type { SecretMatch } from './match.js';
import { isSecretName } from './secret-names.js';
import { isPlaceholder, shannonEntropy } from './value-tests.js';

const MIN_SECRET_LENGTH = 20;
const MIN_SECRET_ENTROPY = 4;
/** Minified bundles and data blobs: this rule only (the format rules scan every line). */
const MAX_LINE_LENGTH = 4096;
/** How far before a literal its name and operator are looked for: keeps a line of many literals linear. */
const NAME_WINDOW = 200;

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

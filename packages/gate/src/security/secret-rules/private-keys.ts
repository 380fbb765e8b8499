// PEM private-key blocks (PGP and encrypted keys included) with real key material between BEGIN and END.
import { PRIORITY } from './match.js';
import type { SecretMatch } from './match.js';
import { shannonEntropy } from './value-tests.js';

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

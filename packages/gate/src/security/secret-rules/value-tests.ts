// Value tests shared by the secret rules: Shannon entropy, placeholders and character-class mixes.
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

export function hasDigitUpperAndLower(value: string): boolean {
  return /\d/u.test(value) && /[A-Z]/u.test(value) && /[a-z]/u.test(value);
}

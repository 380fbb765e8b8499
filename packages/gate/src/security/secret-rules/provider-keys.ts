// Provider key formats the secretlint preset lacks: OpenAI (beyond the T3BlbkFJ marker), Anthropic (beyond api0x),
// DeepSeek, OpenRouter, Google API keys.
import { PRIORITY } from './match.js';
import type { SecretMatch } from './match.js';
import { hasDigitUpperAndLower, isPlaceholder, shannonEntropy } from './value-tests.js';

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

// The secret detector of the security gate (SPEC §4.10), also used by the engine's prompt scanner and the audit-log
// redaction. Provider and service credentials come from the secretlint recommended preset plus our own rules for the
// LLM key formats it lacks (secret-rules.ts), then PEM private keys, high-entropy literals assigned to secret names,
// and the literal values of the user's own keys. Full values stay inside this module: findings carry a masked form.
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig, SecretLintCoreResultMessage } from '@secretlint/types';
import { ruleSeverity } from './catalog.js';
import {
  findHighEntropyAssignments,
  findPrivateKeys,
  findProviderKeys,
  hasBenignSuffix,
  isPlaceholder,
  isPrivateKeyBlock,
  PRIORITY,
} from './secret-rules.js';
import type { SecretMatch } from './secret-rules.js';
import type { SecurityFinding } from './types.js';

export interface SecretScanOptions {
  /** Project-relative path: secretlint needs a file name/extension; also used in nothing else. */
  readonly filePath: string;
  /** Values that must never appear (configured LLM keys, secret-looking env values); see knownSecretValues(). */
  readonly knownSecrets?: readonly string[];
  /**
   * How redactSecrets replaces a match: `mask` (default, `sk-p…9f2c`, for logs a human reads) or `label`
   * (`[REDACTED:<rule-id>]`, for prompts: the model needs no part of the value, §8.12).
   */
  readonly replacement?: 'mask' | 'label';
}

// ---------------------------------------------------------------------------------------------------------------
// secretlint

const SECRETLINT_RULE_PREFIX = '@secretlint/secretlint-rule-';
/**
 * `secretlint-disable` comments would let the patch's author silence the gate; suppression is `kode-ignore`'s job,
 * which the gate refuses when the model wrote it. Core 12.0.0 ignores `disabled` on a preset's rules, so the
 * preset's rules are registered one by one without this one.
 */
const FILTER_COMMENTS_RULE = `${SECRETLINT_RULE_PREFIX}filter-comments`;
/** AWS access key ids (`AKIA...`) are off by default in the preset; account ids are not credentials. */
const RULE_SETTINGS: Readonly<Record<string, { options?: object; allowMessageIds?: string[] }>> = {
  [`${SECRETLINT_RULE_PREFIX}aws`]: { options: { enableIDScanRule: true }, allowMessageIds: ['AWSAccountID'] },
};

/** Built once: the gate scans every changed file (twice, before and after the patch). */
const SECRETLINT_CONFIG: SecretLintCoreConfig = {
  rules: recommendedPreset.rules
    .filter((rule) => rule.meta.id !== FILTER_COMMENTS_RULE)
    .map((rule) => ({ id: rule.meta.id, rule, ...RULE_SETTINGS[rule.meta.id] })),
};

/** Rule ids whose kind reads better under our name. */
const KIND_ALIASES: Readonly<Record<string, string>> = { privatekey: 'private-key' };

/** Rules that match a whole URL or file rather than a key: a key format inside them is the more specific finding. */
const BROAD_RULE_PRIORITY: Readonly<Record<string, number>> = {
  'secret/basicauth': PRIORITY.provider - 5,
  'secret/database-connection-string': PRIORITY.provider - 5,
  'secret/gcp': PRIORITY.highEntropy + 5,
  'secret/private-key': PRIORITY.privateKey,
};

/** `@secretlint/secretlint-rule-github` → `secret/github`. */
function secretlintRuleId(id: string): string {
  const kind = id.startsWith(SECRETLINT_RULE_PREFIX) ? id.slice(SECRETLINT_RULE_PREFIX.length) : id;
  return `secret/${KIND_ALIASES[kind] ?? kind}`;
}

/** Some rules report the start of the whole match with the length of the captured value; recover the value's range. */
const RANGE_REPAIR_WINDOW = 512;

function repairedRange(text: string, message: SecretLintCoreResultMessage, offset: number): [number, number] {
  const start = message.range[0] + offset;
  const end = message.range[1] + offset;
  const data: Readonly<Record<string, unknown>> = message.data ?? {};
  const values = Object.values(data).filter((value): value is string => typeof value === 'string' && value.length >= 8);
  if (values.length === 0 || values.includes(text.slice(start, end))) return [start, end];
  for (const value of values) {
    const found = text.indexOf(value, start);
    if (found !== -1 && found - start <= RANGE_REPAIR_WINDOW) return [found, found + value.length];
  }
  return [start, end];
}

let profilerSilenced: Promise<void> | undefined;

/**
 * @secretlint/core marks ~100 perf_hooks entries per lint and its profiler keeps every one in arrays it searches
 * linearly: memory and time grow without bound over a long session. We never read the profile, so give the
 * profiler (the instance core itself imports) a no-op clock.
 */
function silenceSecretlintProfiler(): Promise<void> {
  profilerSilenced ??= (async () => {
    try {
      const corePath = createRequire(import.meta.url).resolve('@secretlint/core');
      const profilerPath = createRequire(corePath).resolve('@secretlint/profiler');
      const profilerModule: unknown = await import(pathToFileURL(profilerPath).href);
      const profiler: unknown =
        typeof profilerModule === 'object' && profilerModule !== null
          ? Reflect.get(profilerModule, 'secretLintProfiler')
          : undefined;
      if (typeof profiler === 'object' && profiler !== null && 'perf' in profiler) {
        Reflect.set(profiler, 'perf', { mark: () => undefined, measure: () => undefined });
      }
    } catch {
      // A layout we do not know: secretlint still works, it only keeps its profile.
    }
  })();
  return profilerSilenced;
}

async function secretlintMatches(text: string, filePath: string): Promise<SecretMatch[]> {
  await silenceSecretlintProfiler();
  const path = filePath === '' ? 'untitled.txt' : filePath;
  // The GCP rule reads `.p12` files from disk by path; we scan the text we were given, nothing else.
  const extension = extname(path) === '.p12' ? '' : extname(path);
  const result = await lintSource({
    source: { content: text, filePath: path, ext: extension, contentType: 'text' },
    options: { config: SECRETLINT_CONFIG, locale: 'en', noPhysicFilePath: true },
  });
  // secretlint drops a leading BOM before matching.
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const matches: SecretMatch[] = [];
  for (const message of result.messages) {
    const ruleId = secretlintRuleId(message.ruleId);
    const [start, end] = repairedRange(text, message, offset);
    if (!isCredibleReport(ruleId, text.slice(start, end))) continue;
    matches.push({ start, end, ruleId, priority: BROAD_RULE_PRIORITY[ruleId] ?? PRIORITY.provider });
  }
  return matches;
}

/**
 * The preset's own placeholder lists are narrow (`xoxb-your-token`, `postgres://user:changeme@...` pass them): apply
 * ours. Private keys get our body test (the preset accepts `MII` followed by filler); the GCP rule reports a whole
 * service-account file, which is its own evidence.
 */
function isCredibleReport(ruleId: string, value: string): boolean {
  if (ruleId === 'secret/private-key') return isPrivateKeyBlock(value);
  if (ruleId === 'secret/gcp') return true;
  return !isPlaceholder(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Known values

/** Shorter values would match ordinary words; knownSecretValues() itself keeps values of >= 12. */
const MIN_KNOWN_VALUE_LENGTH = 8;
const MIN_TRACKED_LENGTH = 12;
const SECRET_ENV_NAME = /key|token|secret/iu;
/**
 * Values under secret-sounding names that are not credentials: prose, numbers, flags, plain URLs, relative and home
 * paths (a value starting with `/` may be base64, so absolute paths are left to the name test below).
 */
const NOT_A_SECRET_VALUE = /\s|^(?:\d+|true|false|~\/.*|\.{1,2}\/.*|[A-Za-z]:\\.*|[a-z][a-z0-9+.-]*:\/\/[^@]*)$/u;

function findKnownValues(text: string, knownSecrets: readonly string[]): SecretMatch[] {
  const matches: SecretMatch[] = [];
  for (const value of new Set(knownSecrets)) {
    if (value.length < MIN_KNOWN_VALUE_LENGTH) continue;
    for (let found = text.indexOf(value); found !== -1; found = text.indexOf(value, found + value.length)) {
      matches.push({
        start: found,
        end: found + value.length,
        ruleId: 'secret/known-value',
        priority: PRIORITY.knownValue,
      });
    }
  }
  return matches;
}

// ---------------------------------------------------------------------------------------------------------------
// Collecting, resolving overlaps, positions

/** Every rule's matches; a rule that fails is skipped so that the others still report (findSecrets never throws). */
async function allMatches(text: string, options: SecretScanOptions): Promise<SecretMatch[]> {
  const matches: SecretMatch[] = [];
  const collectors: (() => SecretMatch[])[] = [
    () => findProviderKeys(text),
    () => findPrivateKeys(text),
    () => findHighEntropyAssignments(text),
    () => findKnownValues(text, options.knownSecrets ?? []),
  ];
  // Loops, not push(...spread): a file can yield more matches than a call has argument slots.
  for (const collect of collectors) {
    try {
      for (const match of collect()) matches.push(match);
    } catch {
      // Defensive: the rules are total functions over strings.
    }
  }
  try {
    for (const match of await secretlintMatches(text, options.filePath)) matches.push(match);
  } catch {
    // secretlint failed on this input; our own rules above still cover the LLM formats and private keys.
  }
  return matches;
}

const byStart = (left: SecretMatch, right: SecretMatch): number => left.start - right.start || left.end - right.end;

/**
 * One finding per matched range: where matches overlap, the higher priority (the more specific rule) wins, and
 * among equals the earlier, shorter one. Priority level by level, each a sweep over sorted matches against the
 * already chosen (sorted, disjoint) ranges, so even 100k overlapping matches stay cheap.
 */
function resolveOverlaps(matches: readonly SecretMatch[]): SecretMatch[] {
  const levels = [...new Set(matches.map((match) => match.priority))].sort((left, right) => right - left);
  let chosen: SecretMatch[] = [];
  for (const level of levels) {
    const accepted: SecretMatch[] = [];
    let pointer = 0;
    let acceptedEnd = -1;
    for (const candidate of matches.filter((match) => match.priority === level).sort(byStart)) {
      if (candidate.start < acceptedEnd) continue;
      while ((chosen[pointer]?.end ?? Infinity) <= candidate.start) pointer += 1;
      const blocker = chosen[pointer];
      if (blocker !== undefined && blocker.start < candidate.end) continue;
      accepted.push(candidate);
      acceptedEnd = candidate.end;
    }
    chosen = chosen.concat(accepted).sort(byStart);
  }
  return chosen;
}

/** Offsets of line starts, for 1-based line/column of any offset by binary search. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function positionOf(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** Every secret in `text`: SecurityFinding with ruleId `secret/...`, severity 'critical', 1-based line/column of the match start, and `masked`. Never throws on any input. */
export async function findSecrets(text: string, options: SecretScanOptions): Promise<SecurityFinding[]> {
  try {
    if (typeof text !== 'string' || text.length === 0) return [];
    const matches = resolveOverlaps(await allMatches(text, options));
    if (matches.length === 0) return [];
    const starts = lineStarts(text);
    return matches.map((match) => ({
      ruleId: match.ruleId,
      severity: ruleSeverity(match.ruleId),
      ...positionOf(starts, match.start),
      masked: maskSecret(text.slice(match.start, match.end)),
    }));
  } catch {
    return [];
  }
}

/** `sk-p…9f2c`: first 4 and last 4 characters around an ellipsis; values of <= 12 chars become `…` plus the last 2 at most (never more than a third of the value shown). */
export function maskSecret(value: string): string {
  const characters = Array.from(value);
  const length = characters.length;
  if (length <= 12) {
    const shown = Math.min(2, Math.floor(length / 3));
    return `…${characters.slice(length - shown).join('')}`;
  }
  // Up to 4 on each side, and both sides together never more than a third of the value (13-23 chars show less).
  const shown = Math.min(4, Math.floor(length / 6));
  return `${characters.slice(0, shown).join('')}…${characters.slice(length - shown).join('')}`;
}

/**
 * Values of env variables named *KEY*, *TOKEN* or *SECRET* (>= 12 chars) plus the given configured keys, deduplicated.
 * Stand-ins (`dummy-key`, `your-key-here`), values under 12 characters, paths and plain URLs are not tracked.
 */
export function knownSecretValues(
  env: Readonly<Record<string, string | undefined>>,
  configuredKeys?: readonly (string | undefined)[],
): string[] {
  const values = new Set<string>();
  for (const [name, raw] of Object.entries(env)) {
    const value = raw?.trim();
    if (value === undefined || !SECRET_ENV_NAME.test(name) || !isTrackableValue(value)) continue;
    // `SSH_KEY_PATH`, `TOKEN_FILE`, `KEYCLOAK_URL`, `AWS_ACCESS_KEY_ID`: about a secret, not one.
    if (NOT_A_SECRET_VALUE.test(value) || hasBenignSuffix(name)) continue;
    values.add(value);
  }
  for (const key of configuredKeys ?? []) {
    const value = key?.trim();
    if (value !== undefined && isTrackableValue(value)) values.add(value);
  }
  return [...values];
}

/**
 * Long enough not to match ordinary text, and not a stand-in: local-model setups configure `dummy-key`,
 * `your-key-here` or `EMPTY`, and a patch that writes those must not be blocked as a leak.
 */
function isTrackableValue(value: string): boolean {
  return value.length >= MIN_TRACKED_LENGTH && !isPlaceholder(value);
}

/** `text` with every secret found replaced by its masked form (for prompts and logs). */
export async function redactSecrets(text: string, options: SecretScanOptions): Promise<string> {
  if (typeof text !== 'string' || text.length === 0) return text;
  // The union of every match, not only the winners: nothing any rule matched may survive into a log.
  const ranges = (await allMatches(text, options)).sort(byStart);
  let output = '';
  let cursor = 0;
  for (let index = 0; index < ranges.length;) {
    const start = ranges[index]?.start ?? cursor;
    let end = start;
    // Of overlapping matches, the label names the most specific rule (highest priority).
    let winner = ranges[index];
    while (index < ranges.length && (ranges[index]?.start ?? Infinity) <= end) {
      const range = ranges[index];
      end = Math.max(end, range?.end ?? end);
      if (range !== undefined && (winner === undefined || range.priority > winner.priority)) winner = range;
      index += 1;
    }
    const replacement =
      options.replacement === 'label' ? `[REDACTED:${winner?.ruleId ?? 'secret'}]` : maskSecret(text.slice(start, end));
    output += text.slice(cursor, start) + replacement;
    cursor = end;
  }
  return output + text.slice(cursor);
}

/**
 * Synchronous redaction of exact known values (live credentials from the environment, see knownSecretValues): every
 * occurrence replaced by its masked form. For writers that cannot wait for the full detector (the audit log's
 * per-string redactor); values shorter than 8 characters are left alone, as in findSecrets.
 */
export function redactKnownSecrets(text: string, knownSecrets: readonly string[]): string {
  let result = text;
  for (const value of [...knownSecrets].sort((left, right) => right.length - left.length)) {
    if (value.length < 8 || !result.includes(value)) continue;
    result = result.split(value).join(maskSecret(value));
  }
  return result;
}

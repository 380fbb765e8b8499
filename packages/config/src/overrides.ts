// Environment-variable and command-line overrides (spec §5.6, §5.7): flag > env > file > default.
import { toPointer } from './json-pointer.js';
import { checkLeafValue, schemaForPath } from './validate.js';
import type { ConfigIssue, ConfigSource } from './types.js';

/** Environment variables that override a config field (§5.6), variable -> dotted config path. */
export const ENV_BINDINGS: Readonly<Record<string, string>> = Object.freeze({
  KODE_LLM_MODEL: 'model',
  KODE_TEST_COMMAND: 'engine.test_command',
  KODE_TOKEN_BUDGET_USD: 'engine.token_budget_usd',
  KODE_GATEWAY_URL: 'providers.gateway_url',
});

/**
 * Command-line flags (§3.2–§3.6) that override a config field, flag name without dashes -> dotted
 * config path. `blindfold` and `tdd` take booleans (`--no-blindfold` is `blindfold: false`).
 * `kode verify --tdd` is not a config override (it governs verify only) and must not be passed here.
 */
export const FLAG_BINDINGS: Readonly<Record<string, string>> = Object.freeze({
  model: 'model',
  'edit-format': 'engine.edit_format',
  'max-rounds': 'engine.max_self_correction_rounds',
  budget: 'engine.token_budget_usd',
  blindfold: 'engine.blindfold_mode',
  tdd: 'engine.tdd_mode',
  'block-architecture': 'architecture.block',
  'test-command': 'engine.test_command',
  'test-timeout': 'engine.test_timeout_s',
  'max-blast-radius': 'engine.max_blast_radius',
  'max-tokens': 'engine.context_max_tokens',
});

/** Strings from the environment or a loosely typed parser become the leaf's schema type when they can. */
function coerce(value: unknown, segments: readonly string[]): unknown {
  if (typeof value !== 'string') return value;
  const type: unknown = schemaForPath(segments)?.type;
  if (type === 'number' || type === 'integer') {
    const trimmed = value.trim();
    const number = Number(trimmed);
    return trimmed !== '' && Number.isFinite(number) ? number : value;
  }
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function setLeaf(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string, unknown>;
  const last = segments.at(-1);
  if (last !== undefined) node[last] = value;
}

export interface OverrideOutcome {
  /** Dotted path -> source for every leaf an override set. */
  readonly sources: Map<string, ConfigSource>;
  readonly errors: ConfigIssue[];
}

/**
 * Writes environment then flag overrides into a mutable resolved config. Invalid values are errors
 * naming the variable or flag and are not applied. Empty environment variables count as unset;
 * undefined flag values and unknown flag names are ignored.
 */
export function applyOverrides(options: {
  target: Record<string, unknown>;
  env: Readonly<Record<string, string | undefined>>;
  flags: Readonly<Record<string, unknown>>;
}): OverrideOutcome {
  const sources = new Map<string, ConfigSource>();
  const errors: ConfigIssue[] = [];
  const apply = (input: { path: string; raw: unknown; label: string; source: ConfigSource }): void => {
    const segments = input.path.split('.');
    const value = coerce(input.raw, segments);
    const cause = checkLeafValue(segments, value);
    if (cause !== null) {
      errors.push({ file: input.label, pointer: toPointer(segments), message: cause, kind: 'schema' });
      return;
    }
    setLeaf(options.target, segments, value);
    sources.set(input.path, input.source);
  };
  for (const [variable, path] of Object.entries(ENV_BINDINGS)) {
    const raw = options.env[variable];
    if (raw === undefined || raw === '') continue;
    apply({ path, raw, label: variable, source: `env:${variable}` });
  }
  for (const [flag, raw] of Object.entries(options.flags)) {
    if (!Object.hasOwn(FLAG_BINDINGS, flag) || raw === undefined) continue;
    const path = FLAG_BINDINGS[flag];
    if (path === undefined) continue;
    apply({ path, raw, label: `--${flag}`, source: `flag:${flag}` });
  }
  return { sources, errors };
}

import type { ArchitectureRule, EndpointConfig, InitConfig, KodeConfig, PriceOverride } from './types.js';

/** Recursively freezes plain objects and arrays so shared defaults can never be mutated by a caller. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Literal in the file written by `kode init` when the project has a `.env` (spec §3.1 step 5). */
export const GATEWAY_URL_FROM_ENV = '${KODE_GATEWAY_URL}';

export const DEFAULT_ARCHITECTURE_MESSAGE = 'Architecture rule violation';

/**
 * The built-in defaults of spec §5.3, in the key order `kode config show` prints. `engine.test_command`
 * is `""` here: `loadConfig` replaces an empty command with the detected one (§5.8).
 */
export const DEFAULT_CONFIG: KodeConfig = deepFreeze({
  $schema: './kode.schema.json',
  version: '3.0.0',
  model: 'anthropic/claude-sonnet-4-6',
  small_model: 'anthropic/claude-haiku-4-5',
  instructions: ['AGENTS.md'],
  permission: { edit: 'ask', bash: 'ask' },
  engine: {
    tdd_mode: true,
    test_command: '',
    test_timeout_s: 600,
    test_env_allow: [],
    max_blast_radius: 3,
    token_budget_usd: 1.5,
    blindfold_mode: false,
    blindfold_keep: [],
    max_self_correction_rounds: 3,
    edit_format: 'json',
    critique: 'rules',
    context_max_tokens: 8000,
    max_output_tokens: 8192,
    max_file_bytes: 2_097_152,
    protected_paths: ['.github/workflows/**', '.husky/**', '.claude/**', '.codex/**', '.cursor/**'],
  },
  architecture: { block: false, rules: [] },
  security: { block_severity: 'high', ignore_rules: [] },
  providers: { primary: 'kode', gateway_url: 'http://127.0.0.1:8787', endpoints: {}, timeout_s: 120 },
  pricing: {},
});

/**
 * The exact object `kode init` writes (spec §5.2): key order matters because the file is
 * `JSON.stringify(config, null, 2)`. `testCommand` null writes `""`.
 */
export function createInitConfig(options: { testCommand: string | null; hasDotEnv: boolean }): InitConfig {
  const defaults = DEFAULT_CONFIG;
  return deepFreeze({
    $schema: defaults.$schema,
    version: defaults.version,
    model: defaults.model,
    small_model: defaults.small_model,
    instructions: [...defaults.instructions],
    permission: { edit: defaults.permission.edit, bash: defaults.permission.bash },
    engine: {
      tdd_mode: defaults.engine.tdd_mode,
      test_command: options.testCommand ?? '',
      max_blast_radius: defaults.engine.max_blast_radius,
      token_budget_usd: defaults.engine.token_budget_usd,
      blindfold_mode: defaults.engine.blindfold_mode,
    },
    providers: {
      primary: defaults.providers.primary,
      gateway_url: options.hasDotEnv ? GATEWAY_URL_FROM_ENV : defaults.providers.gateway_url,
    },
  });
}

/** `kode init`'s file for a project with no detected test command and no `.env`. */
export const DEFAULT_INIT_CONFIG: InitConfig = createInitConfig({ testCommand: null, hasDotEnv: false });

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick<T>(source: Json, key: string, fallback: T): T {
  return key in source ? (source[key] as T) : fallback;
}

function normalisePermission(value: unknown): unknown {
  // `allow` is a documented alias (§5.3); callers only ever see the canonical value.
  return value === 'allow' ? 'always' : value;
}

function resolveRule(raw: Json): ArchitectureRule {
  const allowedIn = pick<readonly string[]>(raw, 'allowed_in', []);
  const message = pick(raw, 'message', DEFAULT_ARCHITECTURE_MESSAGE);
  if (typeof raw.forbidden_import_prefix === 'string') {
    return { forbidden_import_prefix: raw.forbidden_import_prefix, allowed_in: allowedIn, message };
  }
  return { from: raw.from as string, to: raw.to as string, allowed_in: allowedIn, message };
}

function resolveEndpoint(raw: Json): EndpointConfig {
  return {
    base_url: raw.base_url as string,
    ...(typeof raw.api_key_env === 'string' ? { api_key_env: raw.api_key_env } : {}),
    models: pick<readonly string[]>(raw, 'models', []),
    supports_tools: pick(raw, 'supports_tools', false),
  };
}

function mapRecord<T>(raw: unknown, resolve: (value: Json) => T): Record<string, T> {
  const result: Record<string, T> = {};
  if (!isRecord(raw)) return result;
  for (const [key, value] of Object.entries(raw)) if (isRecord(value)) result[key] = resolve(value);
  return result;
}

/**
 * Fills every absent field of a schema-valid document (unknown keys already dropped) with its
 * default. The input is trusted to match the schema; the output is a fresh, unfrozen object.
 */
export function applyDefaults(document: Json): KodeConfig {
  const defaults = DEFAULT_CONFIG;
  const section = (key: string): Json => (isRecord(document[key]) ? document[key] : {});
  const permission = section('permission');
  const engine = section('engine');
  const architecture = section('architecture');
  const security = section('security');
  const providers = section('providers');
  return {
    $schema: pick(document, '$schema', defaults.$schema),
    version: pick(document, 'version', defaults.version),
    model: pick(document, 'model', defaults.model),
    small_model: pick(document, 'small_model', defaults.small_model),
    instructions: pick(document, 'instructions', defaults.instructions),
    permission: {
      edit: normalisePermission(pick(permission, 'edit', defaults.permission.edit)) as KodeConfig['permission']['edit'],
      bash: normalisePermission(pick(permission, 'bash', defaults.permission.bash)) as KodeConfig['permission']['bash'],
    },
    engine: { ...defaults.engine, ...engine },
    architecture: {
      block: pick(architecture, 'block', defaults.architecture.block),
      rules: Array.isArray(architecture.rules) ? architecture.rules.filter(isRecord).map(resolveRule) : [],
    },
    security: { ...defaults.security, ...security },
    providers: {
      primary: pick(providers, 'primary', defaults.providers.primary),
      gateway_url: pick(providers, 'gateway_url', defaults.providers.gateway_url),
      endpoints: mapRecord(providers.endpoints, resolveEndpoint),
      timeout_s: pick(providers, 'timeout_s', defaults.providers.timeout_s),
    },
    pricing: mapRecord(document.pricing, (value) => ({
      input_usd_per_mtok: value.input_usd_per_mtok as number,
      output_usd_per_mtok: value.output_usd_per_mtok as number,
    })) satisfies Record<string, PriceOverride>,
  };
}

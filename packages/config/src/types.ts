// The resolved configuration (spec §5.3): every field present, defaults applied, ${VAR} expanded.

export type PermissionMode = 'ask' | 'always' | 'deny';
export type EditFormat = 'json' | 'search-replace';
export type CritiqueMode = 'rules' | 'off';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

interface ArchitectureRuleBase {
  /** Globs of importing files that are exempt. */
  readonly allowed_in: readonly string[];
  /** Text of the violation; `Architecture rule violation` when the file gives none. */
  readonly message: string;
}

/** §5.4: one of two forms, told apart by which keys are present. */
export type ArchitectureRule =
  | (ArchitectureRuleBase & { readonly forbidden_import_prefix: string })
  | (ArchitectureRuleBase & { readonly from: string; readonly to: string });

/** §5.5: a custom OpenAI-compatible provider. */
export interface EndpointConfig {
  readonly base_url: string;
  /** Name of the variable holding the key; absent means no key unless one is stored. */
  readonly api_key_env?: string;
  readonly models: readonly string[];
  readonly supports_tools: boolean;
}

/** §5.5: USD per million tokens for one model id. */
export interface PriceOverride {
  readonly input_usd_per_mtok: number;
  readonly output_usd_per_mtok: number;
}

export interface KodeConfig {
  readonly $schema: string;
  readonly version: string;
  readonly model: string;
  readonly small_model: string;
  readonly instructions: readonly string[];
  readonly permission: {
    readonly edit: PermissionMode;
    readonly bash: PermissionMode;
  };
  readonly engine: {
    readonly tdd_mode: boolean;
    readonly test_command: string;
    readonly test_timeout_s: number;
    readonly test_env_allow: readonly string[];
    readonly max_blast_radius: number;
    readonly token_budget_usd: number;
    readonly blindfold_mode: boolean;
    readonly blindfold_keep: readonly string[];
    readonly max_self_correction_rounds: number;
    readonly edit_format: EditFormat;
    readonly critique: CritiqueMode;
    readonly context_max_tokens: number;
    readonly max_output_tokens: number;
    readonly max_file_bytes: number;
    readonly protected_paths: readonly string[];
  };
  readonly architecture: {
    readonly block: boolean;
    readonly rules: readonly ArchitectureRule[];
  };
  readonly security: {
    readonly block_severity: Severity;
    readonly ignore_rules: readonly string[];
  };
  readonly providers: {
    readonly primary: string;
    readonly gateway_url: string;
    readonly endpoints: Readonly<Record<string, EndpointConfig>>;
    readonly timeout_s: number;
  };
  readonly pricing: Readonly<Record<string, PriceOverride>>;
}

/** Where a resolved leaf value came from (`kode config show --sources`). */
export type ConfigSource = 'default' | 'file' | `env:${string}` | `flag:${string}`;

export type ConfigIssueKind = 'read' | 'parse' | 'schema' | 'version' | 'unknown-key' | 'unset-variable';

/**
 * One problem found while loading configuration. `file` is what the user should see: `.kode/kode.json`
 * for the project file, the variable name (`KODE_TOKEN_BUDGET_USD`) or the flag (`--budget`) for overrides.
 * `pointer` is the JSON pointer of the offending value ('' for the whole document). `message` is
 * self-contained for file issues (it starts with the pointer, as in spec §5.9) and is the bare cause for
 * variable and flag issues; `formatConfigIssue` turns any issue into the text after `error: `/`warning: `.
 */
export interface ConfigIssue {
  readonly file: string;
  readonly pointer: string;
  readonly message: string;
  readonly kind: ConfigIssueKind;
}

/** The object `kode init` writes (spec §5.2), in its key order. */
export interface InitConfig {
  readonly $schema: string;
  readonly version: string;
  readonly model: string;
  readonly small_model: string;
  readonly instructions: readonly string[];
  readonly permission: { readonly edit: PermissionMode; readonly bash: PermissionMode };
  readonly engine: {
    readonly tdd_mode: boolean;
    readonly test_command: string;
    readonly max_blast_radius: number;
    readonly token_budget_usd: number;
    readonly blindfold_mode: boolean;
  };
  readonly providers: { readonly primary: string; readonly gateway_url: string };
}

// The engine's public shapes: options of generatePatch/runTask/runLoop, the events they emit (§2.6), and the
// JSON documents they return (§2.4 execution summary, §3.5 loop result, §3.3 generate output).
import type { KodeConfig } from '@kode/config';
import type { GateResult, StructuredHunk, Verdict } from '@kode/gate';
import type { LanguageModel } from '@kode/providers';
import type { ContextPacket } from './context-packet.js';

/** One progress event (§2.6): `v`, `type`, `ts`, `run_id` plus the type's fields. */
export interface KodeEvent {
  readonly v: 1;
  readonly type: string;
  readonly ts: string;
  readonly run_id: string;
  readonly [field: string]: unknown;
}

export interface ConfirmRequest {
  readonly kind: 'edit' | 'bash';
  /** `edit`: the unified diff of every file the patch changes. */
  readonly diff?: string;
  /** `edit`: the question, e.g. `Apply 3 change(s) to 2 file(s)?`. */
  readonly question: string;
  /** `edit`: WARN reasons and critique warnings worth a look before answering. */
  readonly warnings?: readonly string[];
  /** `bash`: the frozen test command. */
  readonly command?: string;
}

export interface RunOptions {
  readonly projectRoot: string;
  readonly task: string;
  readonly model: LanguageModel;
  /** Format repair (§8.2); defaults to `model`. */
  readonly smallModel?: LanguageModel;
  readonly config: KodeConfig;
  /** A `kode plan --packet` document; otherwise one is built from the task (§8.1). */
  readonly contextPacket?: ContextPacket;
  readonly editFormat?: 'json' | 'search-replace';
  /** Total rounds including the first (default engine.max_self_correction_rounds). */
  readonly maxRounds?: number;
  /** Default engine.token_budget_usd. */
  readonly budgetUsd?: number;
  readonly tdd?: boolean;
  readonly blockArchitecture?: boolean;
  /** Directory of kode.log (default `<root>/logs`); `false` writes no audit entry. */
  readonly logDir?: string | false;
  /** Answers `ask` permissions (§8.5). Absent with an `ask` setting and no `assumeYes`: the run stops before any model call. */
  readonly confirm?: (request: ConfirmRequest) => Promise<boolean>;
  /** `--yes`: every `ask` is answered yes and a test-harness change counts as approved. Never overrides `deny`. */
  readonly assumeYes?: boolean;
  /** Aborting interrupts the run (§8.11): requests stop, applied changes roll back, status INTERRUPTED. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: KodeEvent) => void;
  /** `permission.edit: "deny"`: the verified diff that was not written (the CLI prints it on stderr). */
  readonly onDiff?: (diff: string) => void;
  /** Human notices (`tests skipped: …`, an audit log that could not be written). */
  readonly onNotice?: (text: string) => void;
  /** Test command output as it arrives (the CLI streams it to stderr). */
  readonly onTestOutput?: (text: string) => void;
  /** Defaults to process.env: the source of known secret values and of the test environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values that must never leave the machine or enter the tree (configured keys); env secrets are added. */
  readonly knownSecrets?: readonly string[];
  /** A ULID by default. */
  readonly runId?: string;
  /** `run` (default) or `generate` for `kode generate --apply`, recorded in the summary and audit entry. */
  readonly commandName?: string;
}

export interface LoopOptions extends RunOptions {
  /** The frozen test command; default KODE_TEST_COMMAND, engine.test_command, then detection (§5.8). */
  readonly testCommand?: string;
  readonly testTimeoutS?: number;
}

export type SummaryStatus = 'PASS' | 'FAIL' | 'ERROR' | 'INTERRUPTED';

export type ErrorKind =
  'input' | 'config' | 'provider' | 'auth' | 'rate_limit' | 'budget' | 'context_length' | 'lock' | 'io' | 'interrupted';

/** §2.4, fields in output order. */
export interface ExecutionSummary {
  run_id: string;
  task_id: string;
  command: string;
  status: SummaryStatus;
  task: string;
  model: string;
  rounds_used: number;
  applied_hunks: string[];
  failed_hunks: Record<string, string>;
  warnings: string[];
  files: string[];
  written: boolean;
  verdict: Verdict;
  tokens: { input: number; output: number };
  cost_usd: number;
  duration_ms: number;
  error?: { kind: ErrorKind; message: string };
}

export interface TestRecord {
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean | null;
  skipped: boolean;
  duration_ms: number | null;
  output_tail: string | null;
}

/** §3.5: the summary plus the test stage. */
export interface LoopResult extends ExecutionSummary {
  hunks_applied: number;
  test_command: string | null;
  test: TestRecord | null;
  test_error?: string;
  rolled_back: boolean;
  test_byproducts: string[];
  duration_seconds: number;
}

/** §3.3 without --apply. */
export interface GenerateOutput {
  run_id: string;
  task_id: string;
  command: 'generate';
  status: 'GENERATED' | 'FAIL' | 'ERROR' | 'INTERRUPTED';
  task: string;
  model: string;
  edit_format: 'json' | 'search-replace';
  hunks: StructuredHunk[];
  failed_hunks?: Record<string, string>;
  tokens: { input: number; output: number };
  cost_usd: number;
  duration_ms: number;
  error?: { kind: ErrorKind; message: string };
}

export type { GateResult };

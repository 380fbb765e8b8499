// Public shapes of the gate (SPEC §2.1-§2.3, §2.6, §13).
import type { ProjectIndex } from '@kode/context';
import type { ArchitectureRule, KodeConfig } from '@kode/config';
import type { FileChange } from '@kode/snapshot';

export type CheckName =
  | 'schema'
  | 'path_safety'
  | 'diff_applier'
  | 'tdd'
  | 'blast_radius'
  | 'syntax'
  | 'imports'
  | 'calls'
  | 'architecture'
  | 'security';

export type GateStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIPPED';

export interface StructuredHunk {
  id: string;
  file_path: string;
  action: 'INSERT' | 'DELETE' | 'MODIFY';
  target_symbol?: string;
  anchor_text?: string;
  new_text?: string;
  explanation?: string;
}

export interface GateResult {
  check_name: CheckName;
  status: GateStatus;
  file?: string;
  hunk_id?: string;
  line?: number;
  column?: number;
  message: string;
  details?: string;
  duration_ms: number;
}

export interface Verdict {
  diff_id: string;
  overall: 'PASS' | 'FAIL';
  results: GateResult[];
}

/**
 * The three patch forms of §2.2. Hunks arrive from JSON, so their fields are checked by the `schema` gate rather
 * than trusted: `hunks` may hold anything.
 */
export type PatchInput =
  | { hunks: StructuredHunk[]; original_files?: Record<string, string> }
  | { files: Record<string, string | null> }
  | { diff: string };

/** A progress event (§2.6); the same object the CLI prints with `--progress jsonl`. */
export interface GateEvent {
  readonly v: 1;
  readonly type: 'gate-start' | 'gate-end' | 'hunk-apply';
  readonly ts: string;
  readonly run_id: string;
  readonly [field: string]: unknown;
}

export interface VerifyOptions {
  readonly projectRoot: string;
  /** Defaults apply when absent (DEFAULT_CONFIG of @kode/config). */
  readonly config?: KodeConfig;
  /** Run the TDD pre-gate (default false: SKIPPED). */
  readonly tdd?: boolean;
  /** Architecture violations FAIL instead of WARN (default: config architecture.block). */
  readonly blockArchitecture?: boolean;
  /** The repository index (@kode/context); opened on demand when a patch changes an exported signature. */
  readonly index?: ProjectIndex;
  /** Rules added to config architecture.rules (verify input's `architecture_rules`). */
  readonly architectureRules?: readonly ArchitectureRule[];
  /** Who wrote the patch (default `human`): a `kode-ignore` comment the model adds is not honoured. */
  readonly origin?: 'model' | 'human';
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: GateEvent) => void;
  /** `run_id` stamped on events (default `""`). */
  readonly runId?: string;
  /** The audit log file, protected by path_safety (default `<root>/logs/kode.log`). */
  readonly auditLogFile?: string;
  /** Values that must never appear in a patch (`secret/known-value`): configured LLM keys, secret-looking env values. */
  readonly knownSecrets?: readonly string[];
}

export interface VerifyResult {
  verdict: Verdict;
  /** Unit ids (hunk ids, or paths in files and diff mode) that passed every blocking gate. */
  passed: string[];
  /** Unit id (or `<patch>`) -> failure reason (§2.5). */
  failed: Record<string, string>;
  /** Reasons of every WARN result. */
  warnings: string[];
  /** Project-relative paths the patch changes (created, modified, deleted, renamed), in patch order. */
  files: string[];
  /** Post-images of the passing units; files whose chain failed are left out. */
  changes: FileChange[];
  /** `kode-ignore` suppressions of security findings that were honoured (§6.2 `suppressed`). */
  suppressed: { rule_id: string; file: string; line: number }[];
}

export const PATCH_KEY = '<patch>';

// Shapes of the audit log (SPEC §6.2) and of what the readers return (§3.7, §3.17).

export type AuditStatus = 'PASS' | 'FAIL' | 'ERROR' | 'INTERRUPTED';

/** One gate result as recorded in the log: every non-PASS result and every PASS of the final round. */
export interface AuditGateRecord {
  readonly check_name: string;
  readonly status: 'PASS' | 'FAIL' | 'WARN' | 'SKIPPED';
  readonly file: string | null;
}

export interface AuditSuppression {
  readonly rule_id: string;
  readonly file: string;
  readonly line: number;
}

export interface AuditTestRecord {
  readonly command: string;
  readonly exit_code: number | null;
  readonly signal: string | null;
  readonly timed_out: boolean;
  readonly duration_ms: number;
  readonly skipped: boolean;
}

export interface AuditGhostRecord {
  readonly branches: number;
  readonly winner: string | null;
  readonly scores: Readonly<Record<string, number>>;
}

export interface AuditRecoveredRecord {
  readonly run_id: string;
  readonly restored: readonly string[];
  readonly removed: readonly string[];
  readonly conflicts: readonly { readonly path: string; readonly saved_as: string }[];
}

export interface AuditErrorRecord {
  readonly kind: string;
  readonly message: string;
}

/** One line of `kode.log`. Field order on disk follows this declaration (`v`, `seq` first; `prev_hash`, `hash` last). */
export interface AuditEntry {
  readonly v: 1;
  readonly seq: number;
  readonly timestamp: string;
  readonly run_id: string;
  readonly command: string;
  readonly task_id: string;
  readonly task?: string;
  readonly status: AuditStatus;
  readonly files?: readonly string[];
  readonly failures?: Readonly<Record<string, string>>;
  readonly failed_hunks?: Readonly<Record<string, string>>;
  readonly rounds_used: number;
  readonly duration_ms: number;
  readonly model?: string;
  readonly input_source?: string;
  readonly cost_usd: number;
  readonly tokens: { readonly input: number; readonly output: number };
  readonly gates?: readonly AuditGateRecord[];
  /** How many `gates` records were left out after the first 100. */
  readonly gates_truncated?: number;
  readonly suppressed?: readonly AuditSuppression[];
  readonly test?: AuditTestRecord;
  readonly rolled_back?: boolean;
  readonly ghost?: AuditGhostRecord;
  readonly recovered?: AuditRecoveredRecord;
  readonly error?: AuditErrorRecord;
  readonly prev_hash: string;
  readonly hash: string;
}

/** What a writer supplies; the chain fields are assigned under the log lock. */
export type AuditEntryInput = Omit<AuditEntry, 'v' | 'seq' | 'prev_hash' | 'hash'>;

/**
 * One line of the log as read back. `entry` is whatever JSON object the line holds: lines written by other tools
 * or edited by hand may lack fields, so readers check what they use.
 */
export type AuditLogLine =
  { readonly line: number; readonly entry: AuditEntry } | { readonly line: number; readonly error: string };

export interface FailureTypeCount {
  readonly type: string;
  readonly count: number;
  readonly percent: number;
}

export interface FailedFileCount {
  readonly path: string;
  readonly failures: number;
}

export interface ModelCount {
  readonly model: string;
  readonly count: number;
  readonly percent: number;
}

export interface DailyTrendDay {
  /** UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly passed: number;
  readonly total: number;
  /** Pass percentage, or null for a day without entries. */
  readonly percent: number | null;
}

/** The `kode stats --json` object (SPEC §3.7, numbers per §6.5). Key order is the output order. */
export interface AuditStats {
  readonly log_file: string;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly pass_rate: number;
  readonly avg_duration_ms: number;
  readonly total_duration_ms: number;
  readonly total_cost_usd: number;
  readonly skipped_lines: number;
  readonly failure_breakdown: readonly FailureTypeCount[];
  readonly most_failed_files: readonly FailedFileCount[];
  readonly models: readonly ModelCount[];
  readonly daily_trend: readonly DailyTrendDay[];
  /** Statuses (upper case) of the last 20 counted entries, in file order. */
  readonly recent: readonly string[];
}

export type ChainProblemKind = 'invalid_json' | 'hash_mismatch' | 'chain_break' | 'seq_gap' | 'unchained' | 'truncated';

export interface ChainProblem {
  /** 1-based physical line number. */
  readonly line: number;
  /** The entry's `seq`, when the line has one. */
  readonly seq: number | null;
  readonly kind: ChainProblemKind;
  /** Complete human message, e.g. `line 57 (seq 57): hash mismatch: the entry was modified`. */
  readonly message: string;
}

export interface ChainReport {
  readonly log_file: string;
  /** Lines that parse as JSON objects. */
  readonly entries: number;
  /** The last chained entry. */
  readonly head: { readonly seq: number; readonly hash: string } | null;
  /** First bad line first; at most 10,000 (see `omitted_problems`). */
  readonly problems: readonly ChainProblem[];
  /** Present only when more than 10,000 problems were found: how many were left out of `problems`. */
  readonly omitted_problems?: number;
}

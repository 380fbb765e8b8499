// Collects gate results with the units they are attributed to, and emits the matching progress events (§2.6).
import type { CheckName, GateEvent, GateResult } from './types.js';

export interface RecordedResult {
  readonly result: GateResult;
  /** Unit ids (hunk ids or paths) the result counts against; empty for patch-level results. */
  readonly units: readonly string[];
}

export type ResultDraft = Omit<GateResult, 'duration_ms'>;

/** What a gate's check returns: its results, each with the units it counts against. */
interface Produced {
  readonly draft: ResultDraft;
  readonly units: readonly string[];
}

export class ResultRecorder {
  readonly recorded: RecordedResult[] = [];

  constructor(private readonly options: { runId: string; onEvent: ((event: GateEvent) => void) | undefined }) {}

  private emit(type: GateEvent['type'], fields: Record<string, unknown>): void {
    if (this.options.onEvent === undefined) return;
    this.options.onEvent({ v: 1, type, ts: new Date().toISOString(), run_id: this.options.runId, ...fields });
  }

  /** Runs one gate on one unit: gate-start, the check, then one gate-end per result. */
  run(options: {
    check: CheckName;
    file?: string | undefined;
    hunkId?: string | undefined;
    execute: () => readonly Produced[];
  }): GateResult[] {
    this.start(options);
    const started = performance.now();
    const produced = options.execute();
    return this.finish(produced, performance.now() - started);
  }

  /** `run` for a gate whose check is asynchronous (security: the secret rules are). */
  async runAsync(options: {
    check: CheckName;
    file?: string | undefined;
    execute: () => Promise<readonly Produced[]>;
  }): Promise<GateResult[]> {
    this.start(options);
    const started = performance.now();
    const produced = await options.execute();
    return this.finish(produced, performance.now() - started);
  }

  private start(options: { check: CheckName; file?: string | undefined; hunkId?: string | undefined }): void {
    this.emit('gate-start', {
      check_name: options.check,
      ...(options.hunkId === undefined ? { file: options.file } : { hunk_id: options.hunkId }),
    });
  }

  private finish(produced: readonly Produced[], elapsedMs: number): GateResult[] {
    const durationMs = Math.round(elapsedMs);
    const results: GateResult[] = [];
    for (const { draft, units } of produced) {
      const result = ordered(draft, durationMs);
      this.recorded.push({ result, units });
      results.push(result);
      this.emit('gate-end', {
        check_name: result.check_name,
        file: result.file,
        hunk_id: result.hunk_id,
        status: result.status,
        message: result.message,
        duration_ms: result.duration_ms,
      });
    }
    return results;
  }

  hunkApply(fields: { hunkId: string; file: string; status: 'PASS' | 'WARN' | 'FAIL'; match?: string }): void {
    this.emit('hunk-apply', {
      hunk_id: fields.hunkId,
      file: fields.file,
      status: fields.status,
      ...(fields.match === undefined ? {} : { match: fields.match }),
    });
  }
}

/** Fields in the order §2.3 lists them, so JSON output reads the same whatever built the draft. */
function ordered(draft: ResultDraft, durationMs: number): GateResult {
  return {
    check_name: draft.check_name,
    status: draft.status,
    ...(draft.file === undefined ? {} : { file: draft.file }),
    ...(draft.hunk_id === undefined ? {} : { hunk_id: draft.hunk_id }),
    ...(draft.line === undefined ? {} : { line: draft.line }),
    ...(draft.column === undefined ? {} : { column: draft.column }),
    message: draft.message,
    ...(draft.details === undefined ? {} : { details: draft.details }),
    duration_ms: durationMs,
  };
}

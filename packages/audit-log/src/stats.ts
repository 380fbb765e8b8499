// computeStats: SPEC §6.5 in one streaming pass. Only counters, the per-type/file/model maps, the days of the
// trend window and the last 20 statuses are kept, so memory does not grow with the log.
import { resolve } from 'node:path';
import { isBlankLine, readLineBatches } from './line-reader.js';
import { percentOf, roundRatio } from './rounding.js';
import type { AuditStats, DailyTrendDay, FailedFileCount, FailureTypeCount, ModelCount } from './types.js';

export interface ComputeStatsOptions {
  logFile: string;
  /** Most failed files to list (default 10). */
  top?: number;
  /** Days in the daily trend, ending with the UTC day of `now` (default 14). */
  days?: number;
  /** Defaults to the current time. */
  now?: Date;
}

export const RECENT_VERDICTS = 20;
const countedCommands = new Set(['verify', 'run', 'generate', 'loop', 'mcp:kode_apply_verified', 'mcp:kode_verify']);
const LESS_THAN = 60;
const LETTER_T = 84;
const LETTER_Z = 90;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be an integer >= 1 (got ${value})`);
  return value;
}

/** The UTC day of an RFC 3339 timestamp. Kode's own `…Z` timestamps take the fast path. */
function utcDay(timestamp: unknown): string | undefined {
  if (typeof timestamp !== 'string') return undefined;
  if (
    timestamp.length >= 20 &&
    timestamp.charCodeAt(10) === LETTER_T &&
    timestamp.charCodeAt(timestamp.length - 1) === LETTER_Z
  ) {
    return timestamp.slice(0, 10);
  }
  const milliseconds = Date.parse(timestamp);
  return Number.isNaN(milliseconds) ? undefined : new Date(milliseconds).toISOString().slice(0, 10);
}

function trendWindow(now: Date, days: number): Map<string, { passed: number; total: number }> {
  const window = new Map<string, { passed: number; total: number }>();
  for (let offset = days - 1; offset >= 0; offset--) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - offset));
    window.set(day.toISOString().slice(0, 10), { passed: 0, total: 0 });
  }
  return window;
}

/** The reason's type: the text before its first `:`, trimmed (SPEC §2.5). */
export function reasonType(reason: string): string {
  const colon = reason.indexOf(':');
  const type = (colon === -1 ? reason : reason.slice(0, colon)).trim();
  return type.length > 0 ? type : '(unknown)';
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function byCountThenName(map: Map<string, number>): [string, number][] {
  return [...map].sort(([nameA, countA], [nameB, countB]) =>
    countB !== countA ? countB - countA : nameA < nameB ? -1 : nameA > nameB ? 1 : 0,
  );
}

/** Streams the log once and returns the `kode stats --json` object. Throws AuditLogNotFoundError / AuditLogError. */
export async function computeStats(options: ComputeStatsOptions): Promise<AuditStats> {
  const top = positiveInteger('top', options.top, 10);
  const days = positiveInteger('days', options.days, 14);
  const logFile = resolve(options.logFile);
  const trend = trendWindow(options.now ?? new Date(), days);
  const failureTypes = new Map<string, number>();
  const failedFiles = new Map<string, number>();
  const models = new Map<string, number>();
  const recent: string[] = [];
  let recentNext = 0;
  let total = 0;
  let passed = 0;
  let skippedLines = 0;
  let durationSum = 0;
  // Cost is summed in micro-dollars (costs are recorded with 6 decimals) so the sum is exact.
  let costMicros = 0;

  for await (const batch of readLineBatches(logFile)) {
    for (const text of batch.lines) {
      if (isBlankLine(text)) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        skippedLines++;
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        skippedLines++;
        continue;
      }
      const entry = value as Record<string, unknown>;
      const status = entry.status;
      const command = entry.command;
      if (typeof status !== 'string') continue;
      if (command !== undefined && !(typeof command === 'string' && countedCommands.has(command))) continue;

      total++;
      const normalizedStatus = status.toUpperCase();
      const isPass = normalizedStatus === 'PASS';
      if (isPass) passed++;
      const duration = entry.duration_ms;
      if (typeof duration === 'number' && Number.isFinite(duration)) durationSum += duration;
      const cost = entry.cost_usd;
      if (typeof cost === 'number' && Number.isFinite(cost)) costMicros += Math.round(cost * 1e6);
      const model = entry.model;
      increment(models, typeof model === 'string' && model.length > 0 ? model : '(none)');

      if (!isPass) {
        const failures = entry.failures;
        let reasons = 0;
        if (typeof failures === 'object' && failures !== null && !Array.isArray(failures)) {
          const record = failures as Record<string, unknown>;
          for (const key in record) {
            const reason = record[key];
            if (typeof reason === 'string') {
              increment(failureTypes, reasonType(reason));
              reasons++;
            }
            if (key.length > 0 && key.charCodeAt(0) !== LESS_THAN) increment(failedFiles, key);
          }
        }
        if (reasons === 0) increment(failureTypes, status.toLowerCase());
      }

      const day = utcDay(entry.timestamp);
      const bucket = day === undefined ? undefined : trend.get(day);
      if (bucket) {
        bucket.total++;
        if (isPass) bucket.passed++;
      }

      if (recent.length < RECENT_VERDICTS) recent.push(normalizedStatus);
      else recent[recentNext] = normalizedStatus;
      recentNext = (recentNext + 1) % RECENT_VERDICTS;
    }
  }

  const failureTotal = [...failureTypes.values()].reduce((sum, count) => sum + count, 0);
  const failureBreakdown: FailureTypeCount[] = byCountThenName(failureTypes).map(([type, count]) => ({
    type,
    count,
    percent: percentOf(count, failureTotal),
  }));
  const mostFailedFiles: FailedFileCount[] = byCountThenName(failedFiles)
    .slice(0, top)
    .map(([path, failures]) => ({ path, failures }));
  const modelCounts: ModelCount[] = byCountThenName(models).map(([model, count]) => ({
    model,
    count,
    percent: percentOf(count, total),
  }));
  const dailyTrend: DailyTrendDay[] = [...trend].map(([date, day]) => ({
    date,
    passed: day.passed,
    total: day.total,
    percent: day.total === 0 ? null : percentOf(day.passed, day.total),
  }));
  const recentInOrder =
    recent.length < RECENT_VERDICTS ? recent : [...recent.slice(recentNext), ...recent.slice(0, recentNext)];

  return {
    log_file: logFile,
    total,
    passed,
    failed: total - passed,
    pass_rate: percentOf(passed, total),
    avg_duration_ms: roundRatio(durationSum, total, 1),
    total_duration_ms: durationSum,
    total_cost_usd: roundRatio(costMicros, 1e6, 4),
    skipped_lines: skippedLines,
    failure_breakdown: failureBreakdown,
    most_failed_files: mostFailedFiles,
    models: modelCounts,
    daily_trend: dailyTrend,
    recent: recentInOrder,
  };
}

// renderStats: the text layout of SPEC §3.7. Column widths are the spec's; they widen (never truncate) when a
// name or number does not fit, so columns stay aligned on large logs.
import { percentOf, roundRatio } from './rounding.js';
import { RECENT_VERDICTS } from './stats.js';
import type { AuditStats } from './types.js';

export interface RenderStatsOptions {
  /** ANSI colour: ✓ green, ✗ red, coloured bars, bold headings. Default false. */
  color?: boolean;
  /** The `--top` the stats were computed with, shown in "Most Failed Files (top N)". Default 10. */
  top?: number;
}

interface Style {
  bold(text: string): string;
  green(text: string): string;
  red(text: string): string;
  dim(text: string): string;
}

const plainStyle: Style = { bold: (text) => text, green: (text) => text, red: (text) => text, dim: (text) => text };
const ansiStyle: Style = {
  bold: (text) => `\u001b[1m${text}\u001b[22m`,
  green: (text) => `\u001b[32m${text}\u001b[39m`,
  red: (text) => `\u001b[31m${text}\u001b[39m`,
  dim: (text) => `\u001b[2m${text}\u001b[22m`,
};

const TITLE = 'Kode Gatekeeper Statistics';
const BOX_INNER_WIDTH = 44;
const BAR_WIDTH = 20;
const FILE_COLUMN_WIDTH = 45;

function digits(values: readonly number[]): number {
  return Math.max(0, ...values.map((value) => String(value).length));
}

function percentText(percent: number): string {
  return `${percent.toFixed(1)}%`;
}

function header(style: Style): string[] {
  const left = Math.floor((BOX_INNER_WIDTH - TITLE.length) / 2);
  const right = BOX_INNER_WIDTH - TITLE.length - left;
  return [
    `╭${'─'.repeat(BOX_INNER_WIDTH)}╮`,
    `│${' '.repeat(left)}${style.bold(TITLE)}${' '.repeat(right)}│`,
    `╰${'─'.repeat(BOX_INNER_WIDTH)}╯`,
  ];
}

function failureBreakdown(stats: AuditStats, style: Style): string[] {
  const rows = stats.failure_breakdown;
  if (rows.length === 0) return [];
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  const nameWidth = Math.max(16, ...rows.map((row) => row.type.length + 1));
  const countWidth = Math.max(3, digits(rows.map((row) => row.count)));
  return [
    '',
    style.bold(`Failure Breakdown (${total} total)`),
    ...rows.map(
      (row) =>
        `  ${row.type.padEnd(nameWidth)}${String(row.count).padStart(countWidth)}${percentText(row.percent).padStart(7)}`,
    ),
  ];
}

function mostFailedFiles(stats: AuditStats, style: Style, top: number): string[] {
  const rows = stats.most_failed_files;
  if (rows.length === 0) return [];
  // Shortened paths fill the column exactly, so the count column keeps one space of its own.
  const countWidth = Math.max(3, digits(rows.map((row) => row.failures)) + 1);
  return [
    '',
    style.bold(`Most Failed Files (top ${top})`),
    ...rows.map((row) => {
      const shown = row.path.length > FILE_COLUMN_WIDTH ? `…${row.path.slice(-(FILE_COLUMN_WIDTH - 1))}` : row.path;
      return `  ${shown.padEnd(FILE_COLUMN_WIDTH)}${String(row.failures).padStart(countWidth)} failures`;
    }),
  ];
}

function modelsUsed(stats: AuditStats, style: Style): string[] {
  const rows = stats.models;
  const nameWidth = Math.max(30, ...rows.map((row) => row.model.length + 1));
  const countWidth = Math.max(3, digits(rows.map((row) => row.count)));
  return [
    '',
    style.bold('Models Used'),
    ...rows.map(
      (row) =>
        `  ${row.model.padEnd(nameWidth)}${String(row.count).padStart(countWidth)}${percentText(row.percent).padStart(7)}`,
    ),
  ];
}

function dailyTrend(stats: AuditStats, style: Style): string[] {
  const rows = stats.daily_trend;
  const passedWidth = Math.max(2, digits(rows.map((row) => row.passed)));
  const totalWidth = Math.max(2, digits(rows.map((row) => row.total)));
  return [
    '',
    style.bold(`Daily Trend (last ${rows.length} days)`),
    ...rows.map((row) => {
      const filled = row.total === 0 ? 0 : roundRatio(BAR_WIDTH * row.passed, row.total, 0);
      const bar = `${style.green('█'.repeat(filled))}${style.dim('░'.repeat(BAR_WIDTH - filled))}`;
      // The spec aligns "-" under the last digit of the percentages, not under the "%" sign.
      const percent = row.percent === null ? '-'.padStart(5) : `${row.percent.toFixed(1).padStart(5)}%`;
      const counts = `${String(row.passed).padStart(passedWidth)}/${String(row.total).padEnd(totalWidth)}`;
      return `  ${row.date}  ${bar}  ${counts}  ${percent}`;
    }),
  ];
}

function recentVerdicts(stats: AuditStats, style: Style): string[] {
  const marks = stats.recent.map((status) => (status === 'PASS' ? style.green('✓') : style.red('✗')));
  return ['', style.bold(`Recent Verdicts (last ${RECENT_VERDICTS})`), `  ${marks.join(' ')}`];
}

/**
 * The human text of `kode stats` (SPEC §3.7), ending with a newline. A log without counted entries gives
 * `No verification records found in <path>`.
 */
export function renderStats(stats: AuditStats, options: RenderStatsOptions = {}): string {
  if (stats.total === 0) return `No verification records found in ${stats.log_file}\n`;
  const style = options.color === true ? ansiStyle : plainStyle;
  const skipped = stats.skipped_lines;
  const lines = [
    ...header(style),
    ...(skipped > 0 ? [`(${skipped} unreadable line${skipped === 1 ? '' : 's'} skipped)`] : []),
    `Total Verifications: ${stats.total}`,
    `Passed: ${stats.passed} (${percentText(stats.pass_rate)})`,
    `Failed: ${stats.failed} (${percentText(percentOf(stats.failed, stats.total))})`,
    `Avg Duration: ${stats.avg_duration_ms.toFixed(1)}ms (total: ${roundRatio(stats.total_duration_ms, 1000, 1).toFixed(1)}s)`,
    `Total Cost: $${stats.total_cost_usd.toFixed(4)}`,
    ...failureBreakdown(stats, style),
    ...mostFailedFiles(stats, style, options.top ?? 10),
    ...modelsUsed(stats, style),
    ...dailyTrend(stats, style),
    ...recentVerdicts(stats, style),
  ];
  return `${lines.join('\n')}\n`;
}

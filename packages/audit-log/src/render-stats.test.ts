import { describe, expect, it } from 'vitest';
import { renderStats } from './render-stats.js';
import type { AuditStats, DailyTrendDay } from './types.js';

function day(date: string, passed: number, total: number, percent: number | null): DailyTrendDay {
  return { date, passed, total, percent };
}

const recentMarks = '✓ ✓ ✗ ✓ ✓ ✓ ✗ ✗ ✓ ✓ ✓ ✓ ✓ ✗ ✓ ✓ ✓ ✓ ✗ ✓';

/** The numbers of the SPEC §3.7 example. */
const specStats: AuditStats = {
  log_file: '/home/ana/acme-api/logs/kode.log',
  total: 128,
  passed: 97,
  failed: 31,
  pass_rate: 75.8,
  avg_duration_ms: 143.2,
  total_duration_ms: 18330,
  total_cost_usd: 3.412,
  skipped_lines: 0,
  failure_breakdown: [
    { type: 'imports', count: 14, percent: 38.9 },
    { type: 'syntax', count: 9, percent: 25 },
    { type: 'diff_applier', count: 6, percent: 16.7 },
    { type: 'calls', count: 4, percent: 11.1 },
    { type: 'tests', count: 3, percent: 8.3 },
  ],
  most_failed_files: [
    { path: 'src/billing/charge.ts', failures: 5 },
    { path: 'src/user/handler.ts', failures: 3 },
  ],
  models: [
    { model: 'anthropic/claude-sonnet-4-6', count: 88, percent: 68.8 },
    { model: 'openai/gpt-4o', count: 22, percent: 17.2 },
    { model: '(none)', count: 18, percent: 14.1 },
  ],
  daily_trend: [
    day('2025-07-02', 8, 10, 80),
    day('2025-07-03', 0, 0, null),
    ...Array.from({ length: 11 }, (_, index) => day(`2025-07-${String(index + 4).padStart(2, '0')}`, 0, 0, null)),
    day('2025-07-15', 7, 10, 70),
  ],
  recent: recentMarks.split(' ').map((mark) => (mark === '✓' ? 'PASS' : 'FAIL')),
};

// Copied from SPEC §3.7; the spec elides 2025-07-04 … 2025-07-14 with "  …".
const specText = `╭────────────────────────────────────────────╮
│         Kode Gatekeeper Statistics         │
╰────────────────────────────────────────────╯
Total Verifications: 128
Passed: 97 (75.8%)
Failed: 31 (24.2%)
Avg Duration: 143.2ms (total: 18.3s)
Total Cost: $3.4120

Failure Breakdown (36 total)
  imports          14  38.9%
  syntax            9  25.0%
  diff_applier      6  16.7%
  calls             4  11.1%
  tests             3   8.3%

Most Failed Files (top 10)
  src/billing/charge.ts                          5 failures
  src/user/handler.ts                            3 failures

Models Used
  anthropic/claude-sonnet-4-6    88  68.8%
  openai/gpt-4o                  22  17.2%
  (none)                         18  14.1%

Daily Trend (last 14 days)
  2025-07-02  ████████████████░░░░   8/10   80.0%
  2025-07-03  ░░░░░░░░░░░░░░░░░░░░   0/0       -
  …
  2025-07-15  ██████████████░░░░░░   7/10   70.0%

Recent Verdicts (last 20)
  ${recentMarks}
`;

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

describe('renderStats', () => {
  it('reproduces the SPEC §3.7 example character for character', () => {
    const elided = /^ {2}2025-07-(0[4-9]|1[0-4]) .*\n/gm;
    const rendered = renderStats(specStats).replace(elided, '');
    expect(rendered).toBe(specText.replace('  …\n', ''));
    expect(renderStats(specStats)).toContain('  2025-07-09  ░░░░░░░░░░░░░░░░░░░░   0/0       -\n');
  });

  it('widens columns for long names and large numbers instead of truncating', () => {
    const text = renderStats({
      ...specStats,
      failure_breakdown: [
        { type: 'a_very_long_type_name', count: 1234, percent: 99.9 },
        { type: 'tdd', count: 1, percent: 0.1 },
      ],
      most_failed_files: [
        { path: 'src/a.ts', failures: 100 },
        { path: 'src/b.ts', failures: 7 },
      ],
      daily_trend: [day('2025-07-14', 0, 0, null), day('2025-07-15', 123, 1000, 12.3)],
    });
    const lines = text.split('\n');
    expect(lines).toContain('  a_very_long_type_name 1234  99.9%');
    expect(lines).toContain('  tdd                      1   0.1%');
    expect(lines).toContain('  src/a.ts                                      100 failures');
    expect(lines).toContain('  src/b.ts                                        7 failures');
    expect(lines).toContain('Daily Trend (last 2 days)');
    expect(lines).toContain('  2025-07-14  ░░░░░░░░░░░░░░░░░░░░    0/0         -');
    expect(lines).toContain('  2025-07-15  ██░░░░░░░░░░░░░░░░░░  123/1000   12.3%');
  });

  it('leaves out the failure and file sections when nothing failed', () => {
    const text = renderStats({ ...specStats, failure_breakdown: [], most_failed_files: [] });
    expect(text).not.toContain('Failure Breakdown');
    expect(text).not.toContain('Most Failed Files');
    expect(text).toContain('Total Cost: $3.4120\n\nModels Used\n');
  });

  it('colours marks, bars and headings only when asked, with the same text underneath', () => {
    const plain = renderStats(specStats);
    const coloured = renderStats(specStats, { color: true });
    expect(plain).not.toContain('\u001b[');
    expect(stripAnsi(coloured)).toBe(plain);
    expect(coloured).toContain('\u001b[32m✓\u001b[39m');
    expect(coloured).toContain('\u001b[31m✗\u001b[39m');
    expect(coloured).toContain('\u001b[1mModels Used\u001b[22m');
    expect(coloured).toContain('\u001b[32m████████████████\u001b[39m\u001b[2m░░░░\u001b[22m');
  });
});

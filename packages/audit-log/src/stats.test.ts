import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLogError, AuditLogNotFoundError } from './errors.js';
import { renderStats } from './render-stats.js';
import { computeStats } from './stats.js';
import { useTemporaryDirectories } from './test-support.test-helpers.js';

const temporaryDirectory = useTemporaryDirectories();
const now = new Date('2025-07-15T12:00:00.000Z');
const longPath = 'packages/billing-service/src/integrations/stripe/webhook-handler.ts';

/** Every case §6.5 distinguishes, one line each. */
const craftedLines = [
  JSON.stringify({
    v: 1,
    seq: 1,
    timestamp: '2025-07-15T10:00:00.000Z',
    command: 'verify',
    status: 'PASS',
    model: 'anthropic/claude-sonnet-4-6',
    duration_ms: 100,
    cost_usd: 0.001,
  }),
  JSON.stringify({
    timestamp: '2025-07-14T09:00:00.000Z',
    command: 'run',
    status: 'FAIL',
    model: 'anthropic/claude-sonnet-4-6',
    duration_ms: 200,
    cost_usd: 0.0125,
    failures: {
      'src/billing/charge.ts': 'imports: Import validation failed (stripe-sdk)',
      'src/user/handler.ts': 'syntax: Unexpected token (src/user/handler.ts:3:1)',
    },
  }),
  '{"v":1,"seq":3,"timest',
  JSON.stringify({
    timestamp: '2025-07-15T08:00:00.000Z',
    command: 'loop',
    status: 'ERROR',
    model: 'openai/gpt-4o',
    duration_ms: 50,
    cost_usd: 0.00005,
    error: { kind: 'provider', message: 'endpoint unreachable' },
  }),
  JSON.stringify({ timestamp: '2025-07-13T23:59:59.999Z', command: 'generate', status: 'INTERRUPTED', model: '' }),
  JSON.stringify({ timestamp: '2025-07-15T09:30:00.000Z', command: 'recover', status: 'PASS', duration_ms: 9999 }),
  JSON.stringify({
    timestamp: '2025-07-15T09:31:00.000Z',
    command: 'mcp:kode_plan',
    status: 'FAIL',
    failures: { 'src/ignored.ts': 'calls: ignored' },
  }),
  JSON.stringify({ timestamp: '2025-06-01T00:00:00.000Z', status: 'pass', duration_ms: 1000, cost_usd: 0.5 }),
  JSON.stringify({
    timestamp: '2025-07-15T11:00:00+02:00',
    command: 'mcp:kode_verify',
    status: 'FAIL',
    model: 'openai/gpt-4o',
    duration_ms: 150,
    cost_usd: 0.1,
    failures: {
      'src/billing/charge.ts': 'imports: Import validation failed (left-pad)',
      '<patch>': 'tdd: Production code changed without a test file in the patch',
    },
  }),
  '[1,2]',
  '',
  JSON.stringify({ note: 'an object without a status is not a verification' }),
  JSON.stringify({
    timestamp: '2025-07-15T11:30:00.000Z',
    command: 'mcp:kode_apply_verified',
    status: 'FAIL',
    model: 'ollama/qwen2.5-coder:14b',
    duration_ms: 37,
    cost_usd: 0,
    failures: { [longPath]: 'calls: Missing symbol chargeCard' },
  }),
];

async function writeLog(lines: readonly string[]): Promise<string> {
  const root = await temporaryDirectory();
  const logFile = join(root, 'kode.log');
  await writeFile(logFile, `${lines.join('\n')}\n`);
  return logFile;
}

describe('computeStats', () => {
  it('computes every number of SPEC §6.5 on a crafted log', async () => {
    const logFile = await writeLog(craftedLines);
    const stats = await computeStats({ logFile, top: 2, days: 4, now });
    expect(stats).toEqual({
      log_file: logFile,
      total: 7,
      passed: 2,
      failed: 5,
      pass_rate: 28.6,
      avg_duration_ms: 219.6,
      total_duration_ms: 1537,
      // 0.61355 rounded half up; a plain floating-point sum of these costs is 0.61354999… and would give 0.6135.
      total_cost_usd: 0.6136,
      skipped_lines: 2,
      failure_breakdown: [
        { type: 'imports', count: 2, percent: 28.6 },
        { type: 'calls', count: 1, percent: 14.3 },
        { type: 'error', count: 1, percent: 14.3 },
        { type: 'interrupted', count: 1, percent: 14.3 },
        { type: 'syntax', count: 1, percent: 14.3 },
        { type: 'tdd', count: 1, percent: 14.3 },
      ],
      most_failed_files: [
        { path: 'src/billing/charge.ts', failures: 2 },
        { path: longPath, failures: 1 },
      ],
      models: [
        { model: '(none)', count: 2, percent: 28.6 },
        { model: 'anthropic/claude-sonnet-4-6', count: 2, percent: 28.6 },
        { model: 'openai/gpt-4o', count: 2, percent: 28.6 },
        { model: 'ollama/qwen2.5-coder:14b', count: 1, percent: 14.3 },
      ],
      daily_trend: [
        { date: '2025-07-12', passed: 0, total: 0, percent: null },
        { date: '2025-07-13', passed: 0, total: 1, percent: 0 },
        { date: '2025-07-14', passed: 0, total: 1, percent: 0 },
        { date: '2025-07-15', passed: 1, total: 4, percent: 25 },
      ],
      recent: ['PASS', 'FAIL', 'ERROR', 'INTERRUPTED', 'PASS', 'FAIL', 'FAIL'],
    });
    expect(Object.keys(stats)).toEqual([
      'log_file',
      'total',
      'passed',
      'failed',
      'pass_rate',
      'avg_duration_ms',
      'total_duration_ms',
      'total_cost_usd',
      'skipped_lines',
      'failure_breakdown',
      'most_failed_files',
      'models',
      'daily_trend',
      'recent',
    ]);
  });

  it('renders every section of the crafted log exactly', async () => {
    const logFile = await writeLog(craftedLines);
    const text = renderStats(await computeStats({ logFile, top: 2, days: 4, now }), { top: 2 });
    expect(text).toBe(
      [
        '╭────────────────────────────────────────────╮',
        '│         Kode Gatekeeper Statistics         │',
        '╰────────────────────────────────────────────╯',
        '(2 unreadable lines skipped)',
        'Total Verifications: 7',
        'Passed: 2 (28.6%)',
        'Failed: 5 (71.4%)',
        'Avg Duration: 219.6ms (total: 1.5s)',
        'Total Cost: $0.6136',
        '',
        'Failure Breakdown (7 total)',
        '  imports           2  28.6%',
        '  calls             1  14.3%',
        '  error             1  14.3%',
        '  interrupted       1  14.3%',
        '  syntax            1  14.3%',
        '  tdd               1  14.3%',
        '',
        'Most Failed Files (top 2)',
        '  src/billing/charge.ts                          2 failures',
        '  …e/src/integrations/stripe/webhook-handler.ts  1 failures',
        '',
        'Models Used',
        '  (none)                          2  28.6%',
        '  anthropic/claude-sonnet-4-6     2  28.6%',
        '  openai/gpt-4o                   2  28.6%',
        '  ollama/qwen2.5-coder:14b        1  14.3%',
        '',
        'Daily Trend (last 4 days)',
        '  2025-07-12  ░░░░░░░░░░░░░░░░░░░░   0/0       -',
        '  2025-07-13  ░░░░░░░░░░░░░░░░░░░░   0/1     0.0%',
        '  2025-07-14  ░░░░░░░░░░░░░░░░░░░░   0/1     0.0%',
        '  2025-07-15  █████░░░░░░░░░░░░░░░   1/4    25.0%',
        '',
        'Recent Verdicts (last 20)',
        '  ✓ ✗ ✗ ✗ ✓ ✗ ✗',
        '',
      ].join('\n'),
    );
  });

  it('says "1 unreadable line" in the singular', async () => {
    const logFile = await writeLog([craftedLines[0] ?? '', 'garbage']);
    const text = renderStats(await computeStats({ logFile, now }));
    expect(text.split('\n')[3]).toBe('(1 unreadable line skipped)');
  });

  it('keeps only the last 20 verdicts, in file order', async () => {
    const statuses = Array.from({ length: 25 }, (_, index) => (index % 4 === 0 ? 'FAIL' : 'PASS'));
    const logFile = await writeLog(
      statuses.map((status, index) => JSON.stringify({ command: 'verify', status, run_id: `run-${index}` })),
    );
    const stats = await computeStats({ logFile, now });
    expect(stats.recent).toEqual(statuses.slice(5));
    expect(renderStats(stats).split('\n').at(-2)).toBe(
      `  ${statuses
        .slice(5)
        .map((status) => (status === 'PASS' ? '✓' : '✗'))
        .join(' ')}`,
    );
  });

  it('rounds bars and percentages half up', async () => {
    const lines = Array.from({ length: 8 }, (_, index) =>
      JSON.stringify({ timestamp: '2025-07-15T01:00:00.000Z', status: index === 0 ? 'PASS' : 'FAIL' }),
    );
    const stats = await computeStats({ logFile: await writeLog(lines), days: 1, now });
    expect(stats.pass_rate).toBe(12.5);
    expect(stats.daily_trend).toEqual([{ date: '2025-07-15', passed: 1, total: 8, percent: 12.5 }]);
    // 20 × 1/8 = 2.5 → 3 filled cells.
    expect(renderStats(stats)).toContain('  2025-07-15  ███░░░░░░░░░░░░░░░░░   1/8    12.5%\n');
  });

  it('reports an empty log, and a log without counted entries, as having no records', async () => {
    const emptyLog = await writeLog([]);
    const empty = await computeStats({ logFile: emptyLog, days: 2, now });
    expect(empty).toEqual({
      log_file: emptyLog,
      total: 0,
      passed: 0,
      failed: 0,
      pass_rate: 0,
      avg_duration_ms: 0,
      total_duration_ms: 0,
      total_cost_usd: 0,
      skipped_lines: 0,
      failure_breakdown: [],
      most_failed_files: [],
      models: [],
      daily_trend: [
        { date: '2025-07-14', passed: 0, total: 0, percent: null },
        { date: '2025-07-15', passed: 0, total: 0, percent: null },
      ],
      recent: [],
    });
    expect(renderStats(empty)).toBe(`No verification records found in ${emptyLog}\n`);

    const uncountedLog = await writeLog(['not json', JSON.stringify({ command: 'recover', status: 'PASS' })]);
    const uncounted = await computeStats({ logFile: uncountedLog, now });
    expect(uncounted.total).toBe(0);
    expect(uncounted.skipped_lines).toBe(1);
    expect(renderStats(uncounted)).toBe(`No verification records found in ${uncountedLog}\n`);
  });

  it('throws a marked error naming the path for a missing log, and a plain AuditLogError for a directory', async () => {
    const root = await temporaryDirectory();
    const missing = join(root, 'logs', 'kode.log');
    await expect(computeStats({ logFile: missing })).rejects.toSatisfy(
      (error) =>
        AuditLogNotFoundError.isInstance(error) &&
        error.path === missing &&
        error.message === `cannot open log file ${missing}: no such file or directory`,
    );
    await mkdir(join(root, 'dir.log'));
    await expect(computeStats({ logFile: join(root, 'dir.log') })).rejects.toSatisfy(
      (error) =>
        AuditLogError.isInstance(error) &&
        !AuditLogNotFoundError.isInstance(error) &&
        error.message === `cannot open log file ${join(root, 'dir.log')}: is a directory`,
    );
  });

  it('rejects a top or days below 1', async () => {
    const logFile = await writeLog([]);
    await expect(computeStats({ logFile, top: 0 })).rejects.toThrow(RangeError);
    await expect(computeStats({ logFile, days: 1.5 })).rejects.toThrow(RangeError);
  });

  it('streams a log larger than its read buffer without losing lines at the boundaries', async () => {
    const filler = 'x'.repeat(300);
    const lines = Array.from({ length: 12_000 }, (_, index) =>
      JSON.stringify({ command: 'verify', status: index % 3 === 0 ? 'FAIL' : 'PASS', duration_ms: 1, note: filler }),
    );
    const stats = await computeStats({ logFile: await writeLog(lines), now });
    expect(stats.total).toBe(12_000);
    expect(stats.passed).toBe(8000);
    expect(stats.skipped_lines).toBe(0);
    expect(stats.failure_breakdown).toEqual([{ type: 'fail', count: 4000, percent: 100 }]);
  });
});

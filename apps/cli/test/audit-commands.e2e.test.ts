// Real-process tests of `kode stats`, `kode explain` and `kode audit verify` (spec §3.7, §3.8, §3.17).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendAuditEntry } from '@kode/audit-log';
import type { AuditEntryInput } from '@kode/audit-log';
import { createTempProject, runKode } from '@kode/test-utils';
import { describe, expect, it } from 'vitest';

function entry(index: number, status: AuditEntryInput['status'], failures?: Record<string, string>): AuditEntryInput {
  return {
    timestamp: new Date(Date.UTC(2026, 10, 20, 10, index)).toISOString(),
    run_id: `01K0TEST${String(index).padStart(18, '0')}`,
    command: 'verify',
    task_id: 'verify',
    status,
    rounds_used: 1,
    duration_ms: 100 + index,
    cost_usd: 0,
    tokens: { input: 0, output: 0 },
    model: index % 2 === 0 ? 'openai/gpt-4o' : '',
    ...(failures ? { failures } : {}),
  };
}

async function projectWithLog(entries: readonly AuditEntryInput[]) {
  const project = await createTempProject({ git: true, files: { 'README.md': 'demo\n' } });
  const logDir = join(project.root, 'logs');
  // The anchor lives in the transaction state dir (<git dir>/kode/), as the CLI expects.
  const anchorFile = join(project.root, '.git', 'kode', 'audit-head.json');
  await mkdir(join(project.root, '.git', 'kode'), { recursive: true });
  for (const item of entries) await appendAuditEntry({ logDir, entry: item, anchorFile, durable: false });
  return { project, logFile: join(logDir, 'kode.log') };
}

describe('kode stats', () => {
  it('reports the numbers in text and JSON, and counts unreadable lines', async () => {
    const { project, logFile } = await projectWithLog([
      entry(1, 'PASS'),
      entry(2, 'FAIL', { 'src/a.ts': 'imports: Import validation failed (x)' }),
      entry(3, 'PASS'),
      entry(4, 'ERROR'),
    ]);
    await using _project = project;
    await writeFile(logFile, `${await readFile(logFile, 'utf8')}{not json\n`);
    const json = await runKode(['stats', '--json'], { cwd: project.root });
    expect(json.exitCode).toBe(0);
    const stats = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(stats).toMatchObject({ log_file: logFile, total: 4, passed: 2, failed: 2, pass_rate: 50, skipped_lines: 1 });
    expect(stats.failure_breakdown).toEqual([
      { type: 'error', count: 1, percent: 50 },
      { type: 'imports', count: 1, percent: 50 },
    ]);
    const text = await runKode(['stats'], { cwd: project.root, env: { NO_COLOR: '1' } });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('│         Kode Gatekeeper Statistics         │\n');
    expect(text.stdout).toContain('(1 unreadable line skipped)');
    expect(text.stdout).toContain('Total Verifications: 4\nPassed: 2 (50.0%)\nFailed: 2 (50.0%)\n');
    expect(text.stdout).toContain('Recent Verdicts (last 20)\n  ✓ ✗ ✓ ✗\n');
    const top = await runKode(['stats', '--top', '1', '--days', '3'], { cwd: project.root, env: { NO_COLOR: '1' } });
    expect(top.stdout).toContain('Most Failed Files (top 1)\n  src/a.ts ');
    expect(top.stdout).toContain('Daily Trend (last 3 days)\n');
  });

  it('prints the empty-log message with exit 0, and a missing log exits 1 naming the path', async () => {
    await using project = await createTempProject({ git: true, files: { 'a.txt': 'a\n' } });
    const missing = await runKode(['stats'], { cwd: project.root });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain(`error: cannot open log file ${join(project.root, 'logs', 'kode.log')}: `);
    expect(missing.stderr).toContain('run kode verify first or pass --log-dir');
    await mkdir(join(project.root, 'logs'));
    await writeFile(join(project.root, 'logs', 'kode.log'), '');
    const empty = await runKode(['stats'], { cwd: project.root });
    expect(empty.exitCode).toBe(0);
    expect(empty.stdout).toBe(`No verification records found in ${join(project.root, 'logs', 'kode.log')}\n`);
  });

  it('rejects --top 0 as a usage error', async () => {
    await using project = await createTempProject();
    const run = await runKode(['stats', '--top', '0'], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--top must be an integer >= 1');
  });
});

describe('kode explain', () => {
  it('prints the four parts with the five most recent matching examples, any case', async () => {
    const entries = Array.from({ length: 7 }, (_, index) =>
      entry(index + 1, 'FAIL', {
        [`src/f${index + 1}.ts`]: `imports: Import validation failed (missing ${index + 1})`,
      }),
    );
    entries.push(entry(8, 'FAIL', { 'src/s.ts': 'syntax: Syntax error (1:1)' }));
    const { project } = await projectWithLog(entries);
    await using _project = project;
    const run = await runKode(['explain', 'IMPORTS'], { cwd: project.root });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^# Unresolvable Imports\n\n\*\*/);
    for (const heading of ['## Common Causes', '## How to Fix', '## Recent Examples from Audit Log']) {
      expect(run.stdout).toContain(`\n${heading}\n`);
    }
    const examples = run.stdout.split('## Recent Examples from Audit Log\n')[1] ?? '';
    const lines = examples.split('\n').filter((line) => line.startsWith('- '));
    expect(lines.map((line) => /`(src\/f\d)\.ts`/.exec(line)?.[1])).toEqual([
      'src/f7',
      'src/f6',
      'src/f5',
      'src/f4',
      'src/f3',
    ]);
    expect(examples).not.toContain('syntax');
  });

  it('an unknown check exits 2 listing the available checks', async () => {
    await using project = await createTempProject();
    const run = await runKode(['explain', 'x'], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'error: unknown check: "x". Available: syntax, imports, calls, architecture, diff_applier, blast_radius, security, tdd, schema, path_safety, critique, tests\n',
    );
  });
});

describe('kode audit verify', () => {
  const five = () => [1, 2, 3, 4, 5].map((index) => entry(index, index % 2 === 0 ? 'FAIL' : 'PASS'));

  it('exits 0 on an intact log', async () => {
    const { project } = await projectWithLog(five());
    await using _project = project;
    const run = await runKode(['audit', 'verify'], { cwd: project.root });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^✓ 5 entries, chain intact \(head seq 5, [0-9a-f]{4}…[0-9a-f]{4}\)\n$/);
  });

  const tamper: Record<string, (lines: string[]) => string[]> = {
    edited: (lines) =>
      lines.map((line, index) => (index === 2 ? line.replace('"duration_ms":103', '"duration_ms":1') : line)),
    deleted: (lines) => lines.filter((_, index) => index !== 2),
    swapped: (lines) => [lines[0], lines[1], lines[3], lines[2], lines[4]].filter((line) => line !== undefined),
  };

  it.each(Object.keys(tamper))('exits 1 naming line 3 when a line is %s', async (kind) => {
    const { project, logFile } = await projectWithLog(five());
    await using _project = project;
    const lines = (await readFile(logFile, 'utf8')).trimEnd().split('\n');
    await writeFile(logFile, `${(tamper[kind] ?? ((value: string[]) => value))(lines).join('\n')}\n`);
    const run = await runKode(['audit', 'verify', '--json'], { cwd: project.root });
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as { problems: { line: number; kind: string }[] };
    expect(report.problems[0]?.line).toBe(3);
    const text = await runKode(['audit', 'verify'], { cwd: project.root });
    expect(text.exitCode).toBe(1);
    expect(text.stdout.split('\n')[0]).toMatch(/^✗ line 3\b/);
  });

  it('detects a truncated tail through the head anchor', async () => {
    const { project, logFile } = await projectWithLog(five());
    await using _project = project;
    const lines = (await readFile(logFile, 'utf8')).trimEnd().split('\n');
    await writeFile(logFile, `${lines.slice(0, 4).join('\n')}\n`);
    const run = await runKode(['audit', 'verify', '--json'], { cwd: project.root });
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as { problems: { kind: string }[] };
    expect(report.problems.map((problem) => problem.kind)).toContain('truncated');
  });
});

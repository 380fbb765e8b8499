import { appendFile, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditEntry } from './append.js';
import { AuditLogError } from './errors.js';
import { GENESIS_HASH, hashEntry } from './hash.js';
import { sampleEntry, useTemporaryDirectories } from './test-support.test-helpers.js';
import { verifyAuditChain } from './verify-chain.js';

const temporaryDirectory = useTemporaryDirectories();

async function readLines(logFile: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(logFile, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('appendAuditEntry', () => {
  it('creates the log directory and chains entries: seq from 1, prev_hash from 64 zeros, hash over the rest', async () => {
    const root = await temporaryDirectory();
    const logDir = join(root, 'nested', 'logs');
    const first = await appendAuditEntry({ logDir, entry: sampleEntry({ run_id: 'run-1' }) });
    const second = await appendAuditEntry({ logDir, entry: sampleEntry({ run_id: 'run-2', status: 'FAIL' }) });
    const third = await appendAuditEntry({ logDir, entry: sampleEntry({ run_id: 'run-3' }) });

    expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
    expect(first.prev_hash).toBe(GENESIS_HASH);
    expect(second.prev_hash).toBe(first.hash);
    expect(third.prev_hash).toBe(second.hash);
    const lines = await readLines(join(logDir, 'kode.log'));
    expect(lines).toEqual([first, second, third]);
    for (const line of lines) {
      expect(line.v).toBe(1);
      expect(line.hash).toBe(hashEntry(line));
      expect(line.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const report = await verifyAuditChain({ logFile: join(logDir, 'kode.log') });
    expect(report.problems).toEqual([]);
    expect(report.head).toEqual({ seq: 3, hash: third.hash });
  });

  it('writes fields in the order of SPEC §6.2 with v and seq first and the hashes last', async () => {
    const logDir = await temporaryDirectory();
    const { tokens, cost_usd, status, run_id, timestamp, command, task_id, rounds_used, duration_ms } = sampleEntry();
    await appendAuditEntry({
      logDir,
      entry: { tokens, cost_usd, model: 'm', status, run_id, timestamp, command, task_id, rounds_used, duration_ms },
    });
    const [line] = await readLines(join(logDir, 'kode.log'));
    expect(Object.keys(line ?? {})).toEqual([
      'v',
      'seq',
      'timestamp',
      'run_id',
      'command',
      'task_id',
      'status',
      'rounds_used',
      'duration_ms',
      'model',
      'cost_usd',
      'tokens',
      'prev_hash',
      'hash',
    ]);
  });

  it('closes a torn last line and continues the chain from the last valid entry', async () => {
    const logDir = await temporaryDirectory();
    const logFile = join(logDir, 'kode.log');
    const first = await appendAuditEntry({ logDir, entry: sampleEntry() });
    const second = await appendAuditEntry({ logDir, entry: sampleEntry() });
    await appendFile(logFile, '{"v":1,"seq":3,"timestamp":"2025-07-15T10:3');

    const third = await appendAuditEntry({ logDir, entry: sampleEntry() });

    expect(third.seq).toBe(3);
    expect(third.prev_hash).toBe(second.hash);
    const rawLines = (await readFile(logFile, 'utf8')).split('\n');
    expect(rawLines).toHaveLength(5);
    expect(rawLines[2]).toBe('{"v":1,"seq":3,"timestamp":"2025-07-15T10:3');
    expect(JSON.parse(rawLines[3] ?? '')).toEqual(third);
    expect(rawLines[4]).toBe('');
    const report = await verifyAuditChain({ logFile });
    expect(report.problems.map((problem) => [problem.line, problem.kind])).toEqual([[3, 'invalid_json']]);
    expect(report.head).toEqual({ seq: 3, hash: third.hash });
    expect(first.seq).toBe(1);
  });

  it('skips corrupt and unchained lines at the end when looking for the previous entry', async () => {
    const logDir = await temporaryDirectory();
    const logFile = join(logDir, 'kode.log');
    const first = await appendAuditEntry({ logDir, entry: sampleEntry() });
    await appendFile(logFile, 'not json\n{"status":"PASS"}\n\n');
    const second = await appendAuditEntry({ logDir, entry: sampleEntry() });
    expect(second.seq).toBe(2);
    expect(second.prev_hash).toBe(first.hash);
  });

  it('finds the previous entry across read chunks when the tail holds more than 64 KiB of corrupt lines', async () => {
    const logDir = await temporaryDirectory();
    const logFile = join(logDir, 'kode.log');
    const first = await appendAuditEntry({ logDir, entry: sampleEntry() });
    await appendFile(logFile, `${'x'.repeat(100)}\n`.repeat(1500));
    const second = await appendAuditEntry({ logDir, entry: sampleEntry() });
    expect(second.seq).toBe(2);
    expect(second.prev_hash).toBe(first.hash);
  });

  it('redacts secrets in every string, including the keys of failures and failed_hunks', async () => {
    const logDir = await temporaryDirectory();
    const openAiKey = `sk-proj-${'a1B2'.repeat(10)}`;
    const githubToken = `ghp_${'Z9'.repeat(18)}`;
    const entry = await appendAuditEntry({
      logDir,
      entry: sampleEntry({
        task: `rotate ${openAiKey} today`,
        status: 'FAIL',
        failures: { [`config/${githubToken}.ts`]: `security: critical secret/openai at x.ts:1 (${openAiKey})` },
        failed_hunks: { [githubToken]: `imports: cannot fetch https://ana:hunter2secret@registry.example.com/x` },
        files: [`src/${openAiKey}.ts`],
        error: { kind: 'input', message: `bad ${githubToken}` },
      }),
    });
    const text = await readFile(join(logDir, 'kode.log'), 'utf8');
    expect(text).not.toContain(openAiKey);
    expect(text).not.toContain(githubToken);
    expect(text).not.toContain('hunter2secret');
    expect(entry.task).toBe('rotate [REDACTED:secret/openai] today');
    expect(entry.failures).toEqual({
      'config/[REDACTED:secret/github].ts': 'security: critical secret/openai at x.ts:1 ([REDACTED:secret/openai])',
    });
    expect(entry.failed_hunks).toEqual({
      '[REDACTED:secret/github]': 'imports: cannot fetch https://[REDACTED:secret/basic-auth]@registry.example.com/x',
    });
    expect(entry.files).toEqual(['src/[REDACTED:secret/openai].ts']);
    expect(entry.error).toEqual({ kind: 'input', message: 'bad [REDACTED:secret/github]' });
  });

  it('uses the redact function it is given instead of the default rules', async () => {
    const logDir = await temporaryDirectory();
    const entry = await appendAuditEntry({
      logDir,
      redact: (text) => text.replaceAll('internal-host', '[REDACTED:host]'),
      entry: sampleEntry({ task: 'deploy to internal-host', failures: { 'internal-host.ts': 'syntax: x' } }),
    });
    expect(entry.task).toBe('deploy to [REDACTED:host]');
    expect(entry.failures).toEqual({ '[REDACTED:host].ts': 'syntax: x' });
    expect(hashEntry(entry)).toBe(entry.hash);
  });

  it('cuts task, reasons and the error message to 500 characters and gates to 100 entries', async () => {
    const logDir = await temporaryDirectory();
    const long = `imports: ${'é'.repeat(600)}`;
    const gates = Array.from({ length: 130 }, (_, index) => ({
      check_name: 'syntax',
      status: 'PASS' as const,
      file: `src/file-${index}.ts`,
    }));
    const entry = await appendAuditEntry({
      logDir,
      entry: sampleEntry({
        task: 'x'.repeat(499),
        status: 'FAIL',
        failures: { 'src/a.ts': long },
        failed_hunks: { h1: `${'😀'.repeat(600)}` },
        error: { kind: 'io', message: 'm'.repeat(501) },
        gates,
      }),
    });
    expect(entry.task).toBe('x'.repeat(499));
    const reason = entry.failures?.['src/a.ts'] ?? '';
    expect(Array.from(reason)).toHaveLength(500);
    expect(reason).toBe(`${long.slice(0, 499)}…`);
    // Characters, not UTF-16 units: an emoji is never split into a lone surrogate.
    expect(entry.failed_hunks?.h1).toBe(`${'😀'.repeat(499)}…`);
    expect(entry.error?.message).toBe(`${'m'.repeat(499)}…`);
    expect(entry.gates).toHaveLength(100);
    expect(entry.gates?.[99]?.file).toBe('src/file-99.ts');
    expect(entry.gates_truncated).toBe(30);
    const [line] = await readLines(join(logDir, 'kode.log'));
    expect(Object.keys(line ?? {}).indexOf('gates_truncated')).toBe(Object.keys(line ?? {}).indexOf('gates') + 1);
  });

  it('replaces lone surrogates, which canonical JSON cannot hash, and the entry still verifies', async () => {
    const logDir = await temporaryDirectory();
    const entry = await appendAuditEntry({
      logDir,
      entry: sampleEntry({
        task: 'cut emoji \uD83D here',
        ghost: { branches: 2, winner: null, scores: { 'al\uDE00pha': 0.4 } },
      }),
    });
    expect(entry.task).toBe('cut emoji \uFFFD here');
    expect(entry.ghost?.scores).toEqual({ 'al\uFFFDpha': 0.4 });
    expect((await verifyAuditChain({ logFile: join(logDir, 'kode.log') })).problems).toEqual([]);
  });

  it('keeps each line well under 16 KiB for a typical large entry', async () => {
    const logDir = await temporaryDirectory();
    await appendAuditEntry({
      logDir,
      entry: sampleEntry({
        task: 't'.repeat(5000),
        status: 'FAIL',
        failures: { 'a.ts': 'syntax: '.padEnd(4000, 'x'), 'b.ts': 'calls: '.padEnd(4000, 'y') },
        gates: Array.from({ length: 500 }, () => ({ check_name: 'syntax', status: 'FAIL' as const, file: 'a.ts' })),
      }),
    });
    const text = await readFile(join(logDir, 'kode.log'), 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThan(16 * 1024);
  });

  it('refuses a symlinked log directory', async () => {
    const root = await temporaryDirectory();
    await mkdir(join(root, 'real-logs'));
    await symlink(join(root, 'real-logs'), join(root, 'logs'));
    const attempt = appendAuditEntry({ logDir: join(root, 'logs'), entry: sampleEntry() });
    await expect(attempt).rejects.toSatisfy(
      (error) =>
        AuditLogError.isInstance(error) &&
        error.message ===
          `cannot write audit log ${join(root, 'logs', 'kode.log')}: the log directory ${join(root, 'logs')} is a symlink`,
    );
    expect(await readdir(join(root, 'real-logs'))).toEqual([]);
  });

  it('refuses a symlinked log file and leaves its target untouched', async () => {
    const root = await temporaryDirectory();
    const logDir = join(root, 'logs');
    await mkdir(logDir);
    await writeFile(join(root, 'target.txt'), 'keep me\n');
    await symlink(join(root, 'target.txt'), join(logDir, 'kode.log'));
    const attempt = appendAuditEntry({ logDir, entry: sampleEntry() });
    await expect(attempt).rejects.toSatisfy(
      (error) =>
        AuditLogError.isInstance(error) &&
        error.operation === 'write' &&
        error.message === `cannot write audit log ${join(logDir, 'kode.log')}: the log file is a symlink`,
    );
    expect(await readFile(join(root, 'target.txt'), 'utf8')).toBe('keep me\n');
    expect((await readdir(logDir)).sort()).toEqual(['kode.log']);
  });

  it('refuses a log directory path that is a file', async () => {
    const root = await temporaryDirectory();
    await writeFile(join(root, 'logs'), '');
    await expect(appendAuditEntry({ logDir: join(root, 'logs'), entry: sampleEntry() })).rejects.toSatisfy(
      (error) => AuditLogError.isInstance(error) && error.message.endsWith(`${join(root, 'logs')} is not a directory`),
    );
  });

  it('records the head in the anchor file, keyed by the real path of the log', async () => {
    const root = await temporaryDirectory();
    const logDir = join(root, 'logs');
    const anchorFile = join(root, 'state', 'audit-head.json');
    await appendAuditEntry({ logDir, anchorFile, entry: sampleEntry() });
    const second = await appendAuditEntry({ logDir, anchorFile, entry: sampleEntry() });
    const otherLog = await appendAuditEntry({ logDir: join(root, 'other-logs'), anchorFile, entry: sampleEntry() });
    const anchors = JSON.parse(await readFile(anchorFile, 'utf8')) as unknown;
    expect(anchors).toEqual({
      [join(root, 'logs', 'kode.log')]: { seq: 2, hash: second.hash },
      [join(root, 'other-logs', 'kode.log')]: { seq: 1, hash: otherLog.hash },
    });
    expect((await readdir(join(root, 'state'))).sort()).toEqual(['audit-head.json']);
    expect((await readdir(logDir)).sort()).toEqual(['kode.log']);
  });

  it('serialises concurrent appends from one process into one chain', async () => {
    const logDir = await temporaryDirectory();
    const entries = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        appendAuditEntry({ logDir, durable: index % 2 === 0, entry: sampleEntry({ run_id: `run-${index}` }) }),
      ),
    );
    expect(entries.map((entry) => entry.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, index) => index + 1),
    );
    const report = await verifyAuditChain({ logFile: join(logDir, 'kode.log') });
    expect(report.entries).toBe(40);
    expect(report.problems).toEqual([]);
  });
});

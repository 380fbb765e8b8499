import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditEntry } from './append.js';
import { AuditLogError, AuditLogNotFoundError } from './errors.js';
import { hashEntry } from './hash.js';
import { sampleEntry, useTemporaryDirectories } from './test-support.test-helpers.js';
import type { AuditEntry } from './types.js';
import { verifyAuditChain } from './verify-chain.js';

const temporaryDirectory = useTemporaryDirectories();

interface Fixture {
  logFile: string;
  logDir: string;
  anchorFile: string;
  entries: AuditEntry[];
  lines: string[];
}

/** A log of five chained entries with a head anchor. */
async function chainedLog(): Promise<Fixture> {
  const root = await temporaryDirectory();
  const logDir = join(root, 'logs');
  const anchorFile = join(root, 'state', 'audit-head.json');
  const entries: AuditEntry[] = [];
  for (let index = 1; index <= 5; index++) {
    entries.push(await appendAuditEntry({ logDir, anchorFile, entry: sampleEntry({ run_id: `run-${index}` }) }));
  }
  const logFile = join(logDir, 'kode.log');
  const lines = (await readFile(logFile, 'utf8')).split('\n').slice(0, -1);
  return { logFile, logDir, anchorFile, entries, lines };
}

async function rewrite(fixture: Fixture, lines: string[]): Promise<void> {
  await writeFile(fixture.logFile, `${lines.join('\n')}\n`);
}

describe('verifyAuditChain', () => {
  it('reports an intact chain with its head', async () => {
    const fixture = await chainedLog();
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report).toEqual({
      log_file: fixture.logFile,
      entries: 5,
      head: { seq: 5, hash: fixture.entries[4]?.hash },
      problems: [],
    });
  });

  it('detects an edited field as a hash mismatch on that line only', async () => {
    const fixture = await chainedLog();
    const lines = [...fixture.lines];
    lines[2] = (lines[2] ?? '').replace('"status":"PASS"', '"status":"FAIL"');
    await rewrite(fixture, lines);
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.problems).toEqual([
      { line: 3, seq: 3, kind: 'hash_mismatch', message: 'line 3 (seq 3): hash mismatch: the entry was modified' },
    ]);
  });

  it('detects an edit that also recomputed the hash as a chain break on the next line', async () => {
    const fixture = await chainedLog();
    const edited = { ...(JSON.parse(fixture.lines[1] ?? '') as Record<string, unknown>), duration_ms: 1 };
    const lines = [...fixture.lines];
    lines[1] = JSON.stringify({ ...edited, hash: hashEntry(edited) });
    await rewrite(fixture, lines);
    const report = await verifyAuditChain({ logFile: fixture.logFile });
    expect(report.problems.map(({ line, kind }) => ({ line, kind }))).toEqual([{ line: 3, kind: 'chain_break' }]);
  });

  it('detects a deleted line as a chain break at the line that follows it', async () => {
    const fixture = await chainedLog();
    await rewrite(
      fixture,
      fixture.lines.filter((_, index) => index !== 2),
    );
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.problems).toEqual([
      {
        line: 3,
        seq: 4,
        kind: 'chain_break',
        message:
          'line 3 (seq 4): chain break: prev_hash does not match the previous entry: an entry was deleted, inserted or reordered',
      },
    ]);
  });

  it('detects two swapped lines, first bad line first', async () => {
    const fixture = await chainedLog();
    const [one, two, three, four, five] = fixture.lines as [string, string, string, string, string];
    await rewrite(fixture, [one, three, two, four, five]);
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.problems[0]).toMatchObject({ line: 2, seq: 3, kind: 'chain_break' });
    expect(report.problems.every((problem) => problem.kind === 'chain_break')).toBe(true);
  });

  it('detects an inserted copy of an entry', async () => {
    const fixture = await chainedLog();
    const lines = [...fixture.lines];
    lines.splice(2, 0, lines[1] ?? '');
    await rewrite(fixture, lines);
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.problems[0]).toMatchObject({ line: 3, seq: 2, kind: 'chain_break' });
  });

  it('reports an inserted line without hash fields as unchained and keeps checking the chain around it', async () => {
    const fixture = await chainedLog();
    const lines = [...fixture.lines];
    lines.splice(1, 0, JSON.stringify({ status: 'PASS', command: 'verify', seq: 9 }));
    await rewrite(fixture, lines);
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.entries).toBe(6);
    expect(report.problems).toEqual([
      {
        line: 2,
        seq: 9,
        kind: 'unchained',
        message: 'line 2 (seq 9): unchained: the entry has no hash fields: it was added by another tool or by hand',
      },
    ]);
  });

  it('reports a corrupted line as invalid JSON', async () => {
    const fixture = await chainedLog();
    const lines = [...fixture.lines];
    lines[3] = (lines[3] ?? '').slice(0, 40);
    await rewrite(fixture, lines);
    const report = await verifyAuditChain({ logFile: fixture.logFile });
    expect(report.problems[0]).toEqual({
      line: 4,
      seq: null,
      kind: 'invalid_json',
      message: 'line 4: invalid JSON: the line was corrupted',
    });
  });

  it('reports a seq that skips ahead while the hashes still link up', async () => {
    const fixture = await chainedLog();
    const lines = [...fixture.lines];
    const altered = { ...(JSON.parse(lines[4] ?? '') as Record<string, unknown>), seq: 7 };
    lines[4] = JSON.stringify({ ...altered, hash: hashEntry(altered) });
    await rewrite(fixture, lines);
    const report = await verifyAuditChain({ logFile: fixture.logFile });
    expect(report.problems).toEqual([
      {
        line: 5,
        seq: 7,
        kind: 'seq_gap',
        message: 'line 5 (seq 7): seq gap: expected seq 5: the sequence numbers were altered',
      },
    ]);
  });

  it('detects a cut tail through the head anchor, and cannot without it', async () => {
    const fixture = await chainedLog();
    await rewrite(fixture, fixture.lines.slice(0, 3));
    expect((await verifyAuditChain({ logFile: fixture.logFile })).problems).toEqual([]);
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.problems).toEqual([
      {
        line: 3,
        seq: 3,
        kind: 'truncated',
        message:
          'line 3 (seq 3): truncated: the log ends at seq 3 but the head anchor records seq 5: entries were removed from the end',
      },
    ]);
  });

  it('detects a cut tail that was written over with new entries', async () => {
    const fixture = await chainedLog();
    await rewrite(fixture, fixture.lines.slice(0, 3));
    await appendAuditEntry({ logDir: fixture.logDir, entry: sampleEntry({ run_id: 'forged-4' }) });
    await appendAuditEntry({ logDir: fixture.logDir, entry: sampleEntry({ run_id: 'forged-5' }) });
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.problems).toEqual([
      {
        line: 5,
        seq: 5,
        kind: 'truncated',
        message:
          'line 5 (seq 5): truncated: the entry with seq 5 does not match the head anchor: the end of the log was cut and rewritten',
      },
    ]);
  });

  it('accepts a log that is ahead of its anchor (appended without one)', async () => {
    const fixture = await chainedLog();
    await appendAuditEntry({ logDir: fixture.logDir, entry: sampleEntry({ run_id: 'no-anchor' }) });
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.problems).toEqual([]);
    expect(report.head?.seq).toBe(6);
  });

  it('reports an emptied log whose anchor records entries', async () => {
    const fixture = await chainedLog();
    await writeFile(fixture.logFile, '');
    const report = await verifyAuditChain({ logFile: fixture.logFile, anchorFile: fixture.anchorFile });
    expect(report.entries).toBe(0);
    expect(report.head).toBeNull();
    expect(report.problems).toMatchObject([{ line: 0, seq: null, kind: 'truncated' }]);
  });

  it('keeps at most 10,000 problems and counts the rest', async () => {
    const root = await temporaryDirectory();
    const logFile = join(root, 'kode.log');
    await writeFile(logFile, '{"status":"PASS"}\n'.repeat(10_005));
    const report = await verifyAuditChain({ logFile });
    expect(report.entries).toBe(10_005);
    expect(report.problems).toHaveLength(10_000);
    expect(report.problems.at(-1)?.line).toBe(10_000);
    expect(report.omitted_problems).toBe(5);
  });

  it('throws a marked not-found error for a missing log', async () => {
    const root = await temporaryDirectory();
    const logFile = join(root, 'logs', 'kode.log');
    const attempt = verifyAuditChain({ logFile });
    await expect(attempt).rejects.toSatisfy(
      (error) =>
        AuditLogNotFoundError.isInstance(error) &&
        AuditLogError.isInstance(error) &&
        error.path === logFile &&
        error.code === 'ENOENT' &&
        error.message === `cannot open log file ${logFile}: no such file or directory`,
    );
  });
});

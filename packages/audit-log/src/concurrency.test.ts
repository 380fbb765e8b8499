import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDriver } from './child-process.test-helpers.js';
import { useTemporaryDirectories } from './test-support.test-helpers.js';
import { verifyAuditChain } from './verify-chain.js';

const temporaryDirectory = useTemporaryDirectories();

/** Two real processes append `count` entries each to one log at the same time. */
async function appendConcurrently(options: { count: number; durable: boolean }): Promise<string> {
  const root = await temporaryDirectory();
  const logDir = join(root, 'logs');
  const barrier = join(root, 'barrier');
  await mkdir(barrier);
  const drivers = ['alpha', 'beta'].map((tag) =>
    startDriver('append-many.mjs', [logDir, String(options.count), String(options.durable), tag, barrier, '2']),
  );
  const results = await Promise.all(drivers.map((driver) => driver.finished));
  for (const result of results) expect(result).toMatchObject({ code: 0, stderr: '' });
  return logDir;
}

async function expectOneChain(logDir: string, total: number): Promise<string[]> {
  const logFile = join(logDir, 'kode.log');
  const lines = (await readFile(logFile, 'utf8')).split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(total);
  const entries = lines.map((line) => JSON.parse(line) as { seq: number; input_source: string });
  expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
  const report = await verifyAuditChain({ logFile });
  expect(report.problems).toEqual([]);
  expect(report.head?.seq).toBe(total);
  // Nothing left behind: no lock, no wait markers.
  expect(await readdir(logDir)).toEqual(['kode.log']);
  return entries.map((entry) => entry.input_source);
}

describe('concurrent writers', () => {
  it('two processes appending 10,000 entries each produce one valid chain of 20,000', async () => {
    const logDir = await appendConcurrently({ count: 10_000, durable: false });
    const writers = await expectOneChain(logDir, 20_000);
    // Both got turns early on: neither was starved until the other had finished.
    expect(new Set(writers.slice(0, 10_000))).toEqual(new Set(['alpha', 'beta']));
  }, 120_000);

  it('two processes appending durably (fsync) produce one valid chain', async () => {
    const logDir = await appendConcurrently({ count: 200, durable: true });
    await expectOneChain(logDir, 400);
  }, 60_000);
});

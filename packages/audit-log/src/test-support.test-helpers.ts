// Shared by the tests: disposable temp directories and a complete, valid entry to vary.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AuditEntryInput } from './types.js';

/** Registers cleanup for the calling test file and returns a factory of fresh temp directories. */
export function useTemporaryDirectories(): () => Promise<string> {
  const created: string[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
  });
  return async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kode-audit-log-'));
    created.push(directory);
    return directory;
  };
}

export function sampleEntry(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    timestamp: '2025-07-15T10:34:02.123Z',
    run_id: '01K0A7A9C1E3G5J7L9N1Q3S5U7',
    command: 'verify',
    task_id: 'verify',
    status: 'PASS',
    rounds_used: 1,
    duration_ms: 41,
    cost_usd: 0,
    tokens: { input: 0, output: 0 },
    ...overrides,
  };
}

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLogNotFoundError } from './errors.js';
import { readAuditLog } from './read.js';
import { useTemporaryDirectories } from './test-support.test-helpers.js';
import type { AuditLogLine } from './types.js';

const temporaryDirectory = useTemporaryDirectories();

async function collect(logFile: string): Promise<AuditLogLine[]> {
  const lines: AuditLogLine[] = [];
  for await (const line of readAuditLog(logFile)) lines.push(line);
  return lines;
}

describe('readAuditLog', () => {
  it('yields entries and errors with physical line numbers and skips blank lines', async () => {
    const logFile = join(await temporaryDirectory(), 'kode.log');
    await writeFile(logFile, '{"seq":1}\r\n\n   \n[1]\n{"seq":2,"task":"héllo ✓"}\n{"seq":3,"to');
    const lines = await collect(logFile);
    expect(lines).toEqual([
      { line: 1, entry: { seq: 1 } },
      { line: 4, error: 'not a JSON object' },
      { line: 5, entry: { seq: 2, task: 'héllo ✓' } },
      { line: 6, error: expect.stringMatching(/^invalid JSON: /) as unknown },
    ]);
  });

  it('reads lines longer than its read buffer and multi-byte text across buffer boundaries', async () => {
    const logFile = join(await temporaryDirectory(), 'kode.log');
    const long = '✓'.repeat(700_000);
    const lines = [
      JSON.stringify({ seq: 1, task: long }),
      JSON.stringify({ seq: 2 }),
      JSON.stringify({ seq: 3, task: long }),
    ];
    await writeFile(logFile, `${lines.join('\n')}\n`);
    const read = await collect(logFile);
    expect(read.map((line) => ('entry' in line ? [line.line, line.entry.seq, line.entry.task?.length] : line))).toEqual(
      [
        [1, 1, 700_000],
        [2, 2, undefined],
        [3, 3, 700_000],
      ],
    );
  });

  it('throws a marked not-found error when iteration starts on a missing log', async () => {
    const logFile = join(await temporaryDirectory(), 'missing.log');
    await expect(collect(logFile)).rejects.toSatisfy((error) => AuditLogNotFoundError.isInstance(error));
  });
});

// Shared helpers for `pnpm bench`: time real processes, take medians, print Markdown tables.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const KODE_BIN = join(WORKSPACE_ROOT, 'apps', 'cli', 'bin', 'kode.js');
export const CORPUS_DIR = join(WORKSPACE_ROOT, 'bench', '.corpus');

export interface Measurement {
  readonly wallMs: number;
  /** Peak resident set size in KiB, from GNU time (undefined when /usr/bin/time is missing). */
  readonly maxRssKiB: number | undefined;
  readonly exitCode: number | null;
  readonly stdout: string;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a command once; wall time from the parent's clock, peak memory from GNU time when available. */
export function measure(command: string, args: readonly string[], options: { cwd?: string } = {}): Measurement {
  const useTime = existsSync(GNU_TIME);
  const scratch = mkdtempSync(join(tmpdir(), 'kode-bench-'));
  const timeFile = join(scratch, 'time.txt');
  const argv = useTime ? ['-f', '%M', '-o', timeFile, command, ...args] : [...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(useTime ? GNU_TIME : command, argv, {
    cwd: options.cwd ?? WORKSPACE_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let maxRssKiB: number | undefined;
  if (useTime && existsSync(timeFile)) {
    const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
    const parsed = Number(lines[lines.length - 1]);
    maxRssKiB = Number.isFinite(parsed) ? parsed : undefined;
  }
  rmSync(scratch, { recursive: true, force: true });
  return { wallMs, maxRssKiB, exitCode: result.status, stdout: result.stdout };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Runs `runs` times after `warmup` discarded runs; returns the median wall time and the max peak RSS. */
export function repeat(
  runs: number,
  warmup: number,
  run: () => Measurement,
): { medianMs: number; maxRssKiB: number | undefined; last: Measurement } {
  for (let index = 0; index < warmup; index += 1) run();
  const times: number[] = [];
  let maxRss: number | undefined;
  let last: Measurement | undefined;
  for (let index = 0; index < runs; index += 1) {
    last = run();
    if (last.exitCode !== 0) throw new Error(`benchmark command failed with exit code ${String(last.exitCode)}`);
    times.push(last.wallMs);
    if (last.maxRssKiB !== undefined) maxRss = Math.max(maxRss ?? 0, last.maxRssKiB);
  }
  if (!last) throw new Error('repeat() needs at least one run');
  return { medianMs: median(times), maxRssKiB: maxRss, last };
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function formatMs(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function formatMiB(kib: number | undefined): string {
  return kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`;
}

// @kode/snapshot cost benchmark: apply + rollback of 50 files in a 1,000-file and a 100,000-file repository, against
// the physical floor measured in the same run (a minimal script writing the same 50 files durably: temp file,
// fsync, rename, directory fsync). Prints a Markdown table. Run: `pnpm exec tsx bench/snapshot.bench.ts`
// (after `pnpm --filter @kode/snapshot build`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyTransaction } from '../packages/snapshot/dist/index.js';

const touchedFiles = 50;
const iterations = Number.parseInt(process.env.KODE_BENCH_ITERATIONS ?? '21', 10);
const filesPerDirectory = 100;

function filePath(index: number): string {
  return `src/d${Math.floor(index / filesPerDirectory)}/f${index}.ts`;
}

function generateRepository(fileCount: number): string {
  const root = mkdtempSync(join(tmpdir(), `kode-bench-${fileCount}-`));
  execFileSync('git', ['init', '-q'], { cwd: root });
  for (let directory = 0; directory * filesPerDirectory < fileCount; directory++) {
    mkdirSync(join(root, 'src', `d${directory}`), { recursive: true });
  }
  for (let index = 0; index < fileCount; index++) {
    writeFileSync(join(root, filePath(index)), `export const value${index} = ${index};\n`);
  }
  return root;
}

/**
 * 50 files as 5 files in each of 10 directories spread over the repository: the same shape in both repositories,
 * so only the repository's size differs between the cases.
 */
function touchedPaths(fileCount: number): string[] {
  const directoryStride = Math.floor(fileCount / filesPerDirectory / 10);
  return Array.from({ length: touchedFiles }, (_, index) =>
    filePath(Math.floor(index / 5) * directoryStride * filesPerDirectory + (index % 5) * 7),
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2 : (sorted[middle] ?? 0);
}

async function kodeOnce(root: string, paths: readonly string[], runId: string): Promise<number> {
  const changes = paths.map((path) => ({ path, content: Buffer.from(`// ${runId}\nexport const x = 1;\n`) }));
  const started = performance.now();
  const transaction = await applyTransaction({ projectRoot: root, runId, changes });
  await transaction.rollback('benchmark');
  return performance.now() - started;
}

/** The physical floor: the same 50 files written durably, one by one, nothing else. */
async function floorOnce(root: string, paths: readonly string[], iteration: number): Promise<number> {
  const started = performance.now();
  for (const path of paths) {
    const target = join(root, path);
    const temporary = `${target}.floor-tmp`;
    const file = await open(temporary, 'w');
    await file.writeFile(`// floor ${iteration}\nexport const x = 1;\n`);
    await file.sync();
    await file.close();
    await rename(temporary, target);
    const directory = await open(dirname(target), 'r');
    await directory.sync();
    await directory.close();
  }
  return performance.now() - started;
}

const small = generateRepository(1_000);
const large = generateRepository(100_000);
try {
  const smallPaths = touchedPaths(1_000);
  const largePaths = touchedPaths(100_000);
  // Warm-up, so neither case pays for first-touch page-cache misses or module loading.
  await kodeOnce(small, smallPaths, 'warmup-small');
  await kodeOnce(large, largePaths, 'warmup-large');
  // Cases are interleaved round by round, so load from other processes on a shared machine hits all of them alike.
  const samples = { floor: [] as number[], floorLarge: [] as number[], small: [] as number[], large: [] as number[] };
  for (let iteration = 0; iteration < iterations; iteration++) {
    samples.floor.push(await floorOnce(small, smallPaths, iteration));
    samples.small.push(await kodeOnce(small, smallPaths, `small-${iteration}`));
    samples.large.push(await kodeOnce(large, largePaths, `large-${iteration}`));
    samples.floorLarge.push(await floorOnce(large, largePaths, iteration));
  }
  const floor = median(samples.floor);
  const floorLarge = median(samples.floorLarge);
  const kodeSmall = median(samples.small);
  const kodeLarge = median(samples.large);
  const rows: [string, number, string, number][] = [
    ['physical floor: 50 durable writes (1,000-file repo)', floor, '-', 1],
    ['physical floor: 50 durable writes (100,000-file repo)', floorLarge, '-', 1],
    ['apply + rollback 50 files, 1,000-file repo', kodeSmall, 'floor (1,000)', kodeSmall / floor],
    ['apply + rollback 50 files, 100,000-file repo', kodeLarge, 'floor (100,000)', kodeLarge / floorLarge],
    ['apply + rollback 50 files, 100,000 vs 1,000-file repo', kodeLarge, 'Kode on 1,000 files', kodeLarge / kodeSmall],
  ];
  process.stdout.write(`| case | median ms | baseline | ratio |\n|---|---:|---|---:|\n`);
  for (const [name, value, baseline, ratio] of rows) {
    process.stdout.write(`| ${name} | ${value.toFixed(1)} | ${baseline} | ${ratio.toFixed(2)} |\n`);
  }
  process.stdout.write(`\n${iterations} iterations per case, median; ${touchedFiles} files touched.\n`);
} finally {
  rmSync(small, { recursive: true, force: true });
  rmSync(large, { recursive: true, force: true });
}

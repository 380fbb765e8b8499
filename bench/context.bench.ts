// The context engine (issue 6): (a) index build cold and warm (one file changed) on generated 1,000- and 10,000-file
// TypeScript projects and on a real package installed from npm; (b) `kode plan` as a real process, first run against
// the second run on the unchanged 10,000-file project (goal: second at least 5x faster, nothing re-parsed); (c) what
// the calls, architecture and blast-radius gates add to an in-process one-hunk verify (their own duration_ms).
// Run: `pnpm bench context`.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../packages/context/dist/index.js';
import { verify } from '../packages/gate/dist/index.js';
import { CORPUS_DIR, KODE_BIN, formatMs, markdownTable, median } from './lib.js';
import { copyProject, ensureVerifyCorpus } from './verify-corpus.js';

const RUNS = Number(process.env.BENCH_RUNS_CONTEXT ?? 5);

function prepare(root: string): void {
  mkdirSync(join(root, '.kode'), { recursive: true });
  writeFileSync(join(root, '.kode', 'kode.json'), '{"version":"3.0.0"}\n');
  writeFileSync(join(root, '.kode', '.gitignore'), 'cache/\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '--all');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '--no-gpg-sign', '-m', 'corpus');
}

async function timeIndex(root: string): Promise<{ ms: number; parsed: number; files: number }> {
  const started = performance.now();
  const index = await openIndex({ projectRoot: root });
  return { ms: performance.now() - started, parsed: index.stats.parsed, files: index.stats.files };
}

async function indexRows(name: string, root: string, touch: string): Promise<string[]> {
  rmSync(join(root, '.kode', 'cache'), { recursive: true, force: true });
  const cold = await timeIndex(root);
  const warm: number[] = [];
  let parsedWarm = 0;
  for (let run = 0; run < RUNS; run += 1) {
    appendFileSync(join(root, touch), `\nexport const touched${run} = ${run};\n`);
    const result = await timeIndex(root);
    warm.push(result.ms);
    parsedWarm = result.parsed;
  }
  const warmMs = median(warm);
  return [
    name,
    String(cold.files),
    formatMs(cold.ms),
    formatMs(warmMs),
    String(parsedWarm),
    `${(cold.ms / warmMs).toFixed(1)}x`,
  ];
}

function planRun(root: string, task: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [KODE_BIN, 'plan', task, '--packet'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`kode plan failed: ${result.stderr}`);
  return performance.now() - started;
}

/** A package the accuracy corpus installed from npm (`pnpm bench:accuracy` fetches them once). */
function realPackage(): string | undefined {
  const corpus = join(CORPUS_DIR, 'npm');
  for (const name of ['zod', 'date-fns']) {
    const root = join(corpus, name, 'node_modules', name);
    if (existsSync(root)) return root;
  }
  return undefined;
}

async function gateLatency(
  root: string,
  project: { target: string; anchor: string; replacement: (iteration: number) => string },
): Promise<string[][]> {
  const durations = {
    calls: [] as number[],
    architecture: [] as number[],
    blast_radius: [] as number[],
    total: [] as number[],
  };
  for (let run = 0; run < RUNS + 2; run += 1) {
    const started = performance.now();
    const result = await verify(
      {
        hunks: [
          {
            id: 'h1',
            file_path: project.target,
            action: 'MODIFY',
            anchor_text: project.anchor,
            new_text: project.replacement(run + 1),
          },
        ],
      },
      { projectRoot: root },
    );
    const total = performance.now() - started;
    if (run < 2) continue;
    for (const gate of result.verdict.results) {
      if (gate.check_name in durations) durations[gate.check_name as 'calls'].push(gate.duration_ms);
    }
    durations.total.push(total);
  }
  return [
    ['calls', formatMs(median(durations.calls))],
    ['architecture', formatMs(median(durations.architecture))],
    ['blast_radius', formatMs(median(durations.blast_radius))],
    ['whole verify()', formatMs(median(durations.total))],
  ];
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'kode-bench-context-'));
  try {
    const rows: string[][] = [];
    const small = ensureVerifyCorpus('typescript', 1000);
    const smallRoot = copyProject(small, join(scratch, 'ts-1000'));
    prepare(smallRoot);
    rows.push(await indexRows('generated TypeScript, 1,000 files', smallRoot, small.target));
    const large = ensureVerifyCorpus('typescript', 10_000);
    const largeRoot = copyProject(large, join(scratch, 'ts-10000'));
    prepare(largeRoot);
    rows.push(await indexRows('generated TypeScript, 10,000 files', largeRoot, large.target));
    const real = realPackage();
    if (real !== undefined) {
      const realRoot = join(scratch, 'real');
      execFileSync('cp', ['-r', real, realRoot]);
      prepare(realRoot);
      const first = readdirSync(realRoot, { recursive: true })
        .map(String)
        .find((path) => /\.(ts|js|mjs)$/u.test(path) && !path.includes('node_modules'));
      if (first !== undefined)
        rows.push(await indexRows(`npm package ${real.split('/').at(-1) ?? ''}`, realRoot, first));
    }
    console.log(`### Repository index: cold build and warm rebuild after one file changed (median of ${RUNS})\n`);
    console.log(markdownTable(['project', 'files', 'cold ms', 'warm ms', 'parsed warm', 'cold / warm'], rows));

    rmSync(join(largeRoot, '.kode', 'cache'), { recursive: true, force: true });
    const task = `refactor ${large.target}`;
    const firstPlan = planRun(largeRoot, task);
    const secondPlans = Array.from({ length: 3 }, () => planRun(largeRoot, task));
    const second = median(secondPlans);
    console.log(`\n### \`kode plan --packet\` on the 10,000-file project\n`);
    console.log(
      markdownTable(
        ['run', 'ms', 'first / this'],
        [
          ['first (cold cache)', formatMs(firstPlan), '1.0x'],
          ['second (unchanged project, median of 3)', formatMs(second), `${(firstPlan / second).toFixed(1)}x`],
        ],
      ),
    );

    const latency = await gateLatency(smallRoot, small);
    console.log(
      `\n### Added latency of the calls, architecture and blast-radius gates per one-hunk patch (median of ${RUNS})\n`,
    );
    console.log(markdownTable(['gate', 'ms'], latency));
    console.log('');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();

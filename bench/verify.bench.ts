// The verification gate's speed (issue 3, item 5):
// (a) `kode verify --input <one-hunk patch>` as a real process on a generated 2,000-file TypeScript project, against
//     `tsc --noEmit -p <project>` on the same project, same run;
// (b) warm in-process `verify()` latency per one-hunk patch for TS, Python, Rust and Go on small projects, against the
//     floor of just parsing the same post-image (ts.createSourceFile / tree-sitter), same run;
// (c) the same on a 500-file Python and a 500-file Rust project.
// Projects are generated once into bench/.corpus/ and copied into a temp dir that each run removes.
// Run: `pnpm bench verify` (or `pnpm exec tsx bench/verify.bench.ts` after building @kode/gate).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { verify } from '../packages/gate/dist/index.js';
import { KODE_BIN, WORKSPACE_ROOT, formatMiB, formatMs, markdownTable, measure, repeat } from './lib.js';
import { copyProject, ensureVerifyCorpus } from './verify-corpus.js';
import type { BenchLanguage, CorpusProject } from './verify-corpus.js';
import { parseFloor } from './verify-floor.js';

const CLI_RUNS = Number(process.env.BENCH_RUNS_VERIFY_CLI ?? 10);
const TSC_RUNS = Number(process.env.BENCH_RUNS_VERIFY_TSC ?? 3);
const ITERATIONS = Number(process.env.BENCH_RUNS_VERIFY ?? 30);
const WARMUP = 5;
const TSC_BIN = join(WORKSPACE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface Copied {
  readonly project: CorpusProject;
  readonly root: string;
}

/** The one-hunk patch: the anchor line of the target file replaced by a variant of itself. */
function hunkPatch(copied: Copied, iteration: number) {
  return {
    hunks: [
      {
        id: 'h1',
        file_path: copied.project.target,
        action: 'MODIFY' as const,
        anchor_text: copied.project.anchor,
        new_text: copied.project.replacement(iteration),
      },
    ],
  };
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
}

function copy(scratch: string, language: BenchLanguage, files: number): Copied {
  const project = ensureVerifyCorpus(language, files);
  const root = copyProject(project, join(scratch, `${language}-${files}`));
  return { project, root };
}

/** Table (a): the CLI on one hunk against a full type check of the same 2,000-file project. */
function cliVersusTsc(copied: Copied, scratch: string): string {
  // tsc needs the Node types the files import; the project declares @types/node, so link the workspace's copy.
  mkdirSync(join(copied.root, 'node_modules', '@types'), { recursive: true });
  symlinkSync(
    join(WORKSPACE_ROOT, 'node_modules', '@types', 'node'),
    join(copied.root, 'node_modules', '@types', 'node'),
    'dir',
  );
  // A git repository, like a real project: the CLI keeps its audit anchor in <git dir>/kode, inside the temp dir.
  execFileSync('git', ['init', '-q'], { cwd: copied.root });
  const patchFile = join(scratch, 'patch.json');
  writeFileSync(patchFile, JSON.stringify(hunkPatch(copied, 1)));
  const logDir = join(scratch, 'logs');
  const kode = repeat(CLI_RUNS, 2, () =>
    measure(process.execPath, [
      KODE_BIN,
      'verify',
      '--input',
      patchFile,
      '--project-dir',
      copied.root,
      '--log-dir',
      logDir,
      '--quiet',
    ]),
  );
  const summary = JSON.parse(kode.last.stdout) as { status: string };
  if (summary.status !== 'PASS') throw new Error(`kode verify returned ${summary.status} on a valid patch`);
  // The fixed cost inside kode's time: a Node process that only imports @kode/gate (TypeScript included).
  const gateEntry = pathToFileURL(join(WORKSPACE_ROOT, 'packages', 'gate', 'dist', 'index.js')).href;
  const importOnly = repeat(CLI_RUNS, 2, () =>
    measure(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(gateEntry)});`]),
  );
  const tsc = repeat(TSC_RUNS, 1, () => measure(process.execPath, [TSC_BIN, '--noEmit', '-p', copied.root]));
  const ratio = kode.medianMs / tsc.medianMs;
  const importRatio = importOnly.medianMs / tsc.medianMs;
  return markdownTable(
    ['case', 'kode median ms', 'kode peak RSS', 'tsc --noEmit median ms', 'tsc peak RSS', 'ratio', 'goal'],
    [
      [
        `one-hunk patch, ${copied.project.sourceFiles.toLocaleString('en-US')}-file TS project (${CLI_RUNS} / ${TSC_RUNS} runs)`,
        formatMs(kode.medianMs),
        formatMiB(kode.maxRssKiB),
        formatMs(tsc.medianMs),
        formatMiB(tsc.maxRssKiB),
        `${ratio.toFixed(3)}x`,
        `≤ 0.1x ${ratio <= 0.1 ? '✓' : '✗'}`,
      ],
      [
        'of which fixed: `node` importing @kode/gate only',
        formatMs(importOnly.medianMs),
        formatMiB(importOnly.maxRssKiB),
        formatMs(tsc.medianMs),
        formatMiB(tsc.maxRssKiB),
        `${importRatio.toFixed(3)}x`,
        '(informational)',
      ],
    ],
  );
}

/** One row of tables (b)/(c): warm verify() against parsing the same post-image, interleaved in the same loop. */
async function warmRow(copied: Copied): Promise<string[]> {
  const { project, root } = copied;
  const original = readFileSync(join(root, project.target), 'utf8');
  const firstStarted = performance.now();
  const first = await verify(hunkPatch(copied, 0), { projectRoot: root });
  const firstMs = performance.now() - firstStarted;
  const problems = first.verdict.results.filter((result) => result.status !== 'PASS' && result.status !== 'SKIPPED');
  if (first.verdict.overall !== 'PASS' || problems.length > 0) {
    throw new Error(`verify() is not clean on ${project.target}: ${JSON.stringify(problems)}`);
  }
  const gate: number[] = [];
  const floor: number[] = [];
  for (let iteration = 1; iteration <= WARMUP + ITERATIONS; iteration += 1) {
    const postImage = original.replace(project.anchor, project.replacement(iteration));
    const floorMs = parseFloor(project.language, project.target, postImage);
    const started = performance.now();
    const result = await verify(hunkPatch(copied, iteration), { projectRoot: root });
    const gateMs = performance.now() - started;
    if (result.verdict.overall !== 'PASS') throw new Error(`verify() failed on iteration ${iteration}`);
    if (iteration <= WARMUP) continue;
    gate.push(gateMs);
    floor.push(floorMs);
  }
  const gateMedian = percentile(gate, 0.5);
  const floorMedian = percentile(floor, 0.5);
  return [
    `${project.language}, ${project.sourceFiles}-file project`,
    formatMs(firstMs),
    formatMs(gateMedian),
    formatMs(percentile(gate, 0.95)),
    formatMs(floorMedian),
    `${(gateMedian / floorMedian).toFixed(1)}x`,
    `< 50 ms ${gateMedian < 50 ? '✓' : '✗'}`,
  ];
}

const WARM_HEADERS = ['project', 'first call ms', 'median ms', 'p95 ms', 'parse-only median ms', 'ratio', 'goal'];

const scratch = mkdtempSync(join(tmpdir(), 'kode-bench-verify-'));
try {
  const typescriptLarge = copy(scratch, 'typescript', 2_000);
  const small = (['typescript', 'python', 'rust', 'go'] as const).map((language) => copy(scratch, language, 60));
  const large = (['python', 'rust'] as const).map((language) => copy(scratch, language, 500));

  const smallRows: string[][] = [];
  for (const copied of small) smallRows.push(await warmRow(copied));
  const largeRows: string[][] = [];
  for (const copied of [...large, typescriptLarge]) largeRows.push(await warmRow(copied));

  console.log('### `kode verify` (one hunk) vs `tsc --noEmit`, 2,000-file TypeScript project\n');
  console.log(cliVersusTsc(typescriptLarge, scratch));
  console.log(`\n### Warm in-process \`verify()\`, one-hunk patch, small projects (${ITERATIONS} runs)\n`);
  console.log(markdownTable(WARM_HEADERS, smallRows));
  console.log(`\n### Warm in-process \`verify()\`, one-hunk patch, larger projects (${ITERATIONS} runs)\n`);
  console.log(markdownTable(WARM_HEADERS, largeRows));
  console.log('');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

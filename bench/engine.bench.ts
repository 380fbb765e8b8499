// Engine overhead (issue 8): `kode loop` for a one-file change in a generated 2,000-file TypeScript project, the model
// a fake OpenAI-compatible server on 127.0.0.1 and the test command `true`. Overhead = wall time minus the model's
// time (llm-request-end duration_ms) minus the test's (test-end duration_ms), from the run's own jsonl events.
// Baselines in the same run: `node -e 0` (process start floor) and the same loop in-process (`runLoop`, imports
// already loaded). Goal: overhead under 500 ms.
// Run: `pnpm bench engine`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../packages/config/dist/index.js';
import { runLoop } from '../packages/core/dist/index.js';
import type { KodeEvent } from '../packages/core/dist/index.js';
import { createProvider } from '../packages/providers/dist/index.js';
import { startFakeOpenAI } from '../packages/test-utils/dist/index.js';
import { KODE_BIN, formatMs, markdownTable, measure, median, repeat } from './lib.js';
import { copyProject, ensureVerifyCorpus } from './verify-corpus.js';

const RUNS = Number(process.env.BENCH_RUNS_ENGINE ?? 10);
const WARMUP = 2;
const FILES = 2000;

interface Timed {
  readonly wallMs: number;
  readonly modelMs: number;
  readonly testMs: number;
}

function timesFrom(events: readonly KodeEvent[], wallMs: number): Timed {
  const sum = (type: string) =>
    events.filter((event) => event.type === type).reduce((total, event) => total + Number(event.duration_ms), 0);
  const status = events.find((event) => event.type === 'run-end')?.status;
  if (status !== 'PASS') throw new Error(`the benchmark loop did not pass (${String(status)})`);
  return { wallMs, modelMs: sum('llm-request-end'), testMs: sum('test-end') };
}

function cliLoop(options: { root: string; baseURL: string; logDir: string }): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // Asynchronous: the fake server answers from this process.
    const child = spawn(
      process.execPath,
      [
        KODE_BIN,
        'loop',
        'change the target',
        '--progress',
        'jsonl',
        '--log-dir',
        options.logDir,
        '--test-command',
        'true',
      ],
      {
        cwd: options.root,
        env: { ...process.env, KODE_LLM_ENDPOINT: options.baseURL, KODE_LLM_MODEL: 'bench', NO_COLOR: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      try {
        const events = stderr
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as KodeEvent);
        resolve(timesFrom(events, wallMs));
      } catch (error) {
        reject(new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`));
      }
    });
  });
}

async function main(): Promise<void> {
  const project = ensureVerifyCorpus('typescript', FILES);
  const scratch = mkdtempSync(join(tmpdir(), 'kode-bench-engine-'));
  try {
    const root = copyProject(project, join(scratch, 'project'));
    mkdirSync(join(root, '.kode'), { recursive: true });
    writeFileSync(
      join(root, '.kode', 'kode.json'),
      JSON.stringify({ version: '3.0.0', permission: { edit: 'always', bash: 'always' }, engine: { tdd_mode: false } }),
    );
    writeFileSync(join(root, '.gitignore'), 'node_modules/\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    git('init', '-q');
    git('add', '--all');
    git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '--no-gpg-sign', '-m', 'corpus');
    const hunk = (iteration: number) => [
      {
        id: 'h1',
        file_path: project.target,
        action: 'MODIFY',
        anchor_text: project.anchor,
        new_text: project.replacement(iteration),
      },
    ];
    const total = WARMUP + RUNS;
    const server = await startFakeOpenAI({
      script: Array.from({ length: total * 2 }, (_, index) => ({
        type: 'reply' as const,
        text: JSON.stringify(hunk(index + 1)),
      })),
    });
    const baseURL = `${server.url}/v1`;
    const reset = () => git('checkout', '--quiet', '--', '.');
    try {
      const cli: Timed[] = [];
      for (let index = 0; index < total; index += 1) {
        const timed = await cliLoop({ root, baseURL, logDir: join(scratch, 'logs') });
        reset();
        if (index >= WARMUP) cli.push(timed);
      }
      const model = createProvider({ id: 'endpoint', baseURL, maxRetries: 0 }).languageModel('bench');
      const config = {
        ...DEFAULT_CONFIG,
        permission: { edit: 'always' as const, bash: 'always' as const },
        engine: { ...DEFAULT_CONFIG.engine, tdd_mode: false },
      };
      const inProcess: Timed[] = [];
      for (let index = 0; index < total; index += 1) {
        const events: KodeEvent[] = [];
        const started = process.hrtime.bigint();
        await runLoop({
          projectRoot: root,
          task: 'change the target',
          model,
          config,
          testCommand: 'true',
          logDir: join(scratch, 'logs'),
          onEvent: (event) => events.push(event),
        });
        const timed = timesFrom(events, Number(process.hrtime.bigint() - started) / 1e6);
        reset();
        if (index >= WARMUP) inProcess.push(timed);
      }
      const nodeStart = repeat(RUNS, WARMUP, () => measure(process.execPath, ['-e', '0'])).medianMs;
      const overhead = (runs: readonly Timed[]) => median(runs.map((run) => run.wallMs - run.modelMs - run.testMs));
      const row = (name: string, runs: readonly Timed[]) => {
        const value = overhead(runs);
        return [
          name,
          formatMs(median(runs.map((run) => run.wallMs))),
          formatMs(median(runs.map((run) => run.modelMs))),
          formatMs(median(runs.map((run) => run.testMs))),
          formatMs(value),
          `${(value / 500).toFixed(2)}x`,
        ];
      };
      console.log(
        `### Engine overhead: kode loop, one-file change, ${FILES}-file TypeScript project (median of ${RUNS})\n`,
      );
      console.log(
        markdownTable(
          ['case', 'wall ms', 'model ms', 'test ms', 'overhead ms', 'overhead / 500 ms goal'],
          [row('`kode loop` (real process)', cli), row('`runLoop()` in-process', inProcess)],
        ),
      );
      console.log(
        `\nBaseline: \`node -e 0\` ${formatMs(nodeStart)} ms (process start floor, included in the CLI's overhead).\n`,
      );
    } finally {
      await server.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();

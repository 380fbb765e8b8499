// Random-kill fuzz (RELIABILITY A9): run the standard patch in a child process, SIGKILL it after a random delay,
// recover, and check the tree equals the pre-run capture or the fully-applied one, never a mix. Used by the unit
// suite (small count) and bench/snapshot-fuzz.ts (200 runs).
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireRunLock } from './lock.js';
import { recoverInterrupted } from './recovery.js';
import type { TreeCapture } from './tree.test-helpers.js';
import {
  captureTree,
  compareTrees,
  createGitRepo,
  makeTempDir,
  removeTempDir,
  standardChanges,
  standardFiles,
  startDriver,
} from './tree.test-helpers.js';

export interface FuzzResult {
  readonly runs: number;
  readonly equalPre: number;
  readonly equalPost: number;
  readonly mismatches: readonly { seed: number; delayMs: number; problems: readonly string[] }[];
}

/** mulberry32: a tiny seeded PRNG, so each run's delay is reproducible from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function sameWorkingTree(expected: TreeCapture, actual: TreeCapture): string[] {
  return compareTrees(expected, actual, { ignoreIndex: true });
}

export async function runKillFuzz(options: {
  runs: number;
  firstSeed?: number;
  onRun?: (index: number) => void;
}): Promise<FuzzResult> {
  const workspace = makeTempDir('kode-fuzz-');
  try {
    await mkdir(join(workspace, 'template'));
    const template = createGitRepo(standardFiles, join(workspace, 'template'));
    const config = (root: string, runId: string): Record<string, unknown> => ({
      root,
      runId,
      mode: 'apply-commit',
      command: 'run',
      changes: standardChanges,
    });

    // Reference: the fully-applied tree, and how long a whole run takes (the kill window): median of three runs.
    const durations: number[] = [];
    let reference = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      reference = join(workspace, `reference-${attempt}`);
      await cp(template, reference, { recursive: true, verbatimSymlinks: true });
      const startedAt = performance.now();
      const completed = await startDriver({ config: config(reference, `reference-${attempt}`) }).done;
      durations.push(performance.now() - startedAt);
      if (completed.code !== 0) throw new Error(`reference run failed: ${completed.stdout}${completed.stderr}`);
    }
    const runDurationMs = [...durations].sort((left, right) => left - right)[1] ?? 0;
    const post = await captureTree(reference);

    let equalPre = 0;
    let equalPost = 0;
    const mismatches: { seed: number; delayMs: number; problems: readonly string[] }[] = [];
    for (let index = 0; index < options.runs; index++) {
      const seed = (options.firstSeed ?? 1) + index;
      const root = join(workspace, `run-${index}`);
      await cp(template, root, { recursive: true, verbatimSymlinks: true });
      const pre = await captureTree(root);
      const delayMs = Math.floor(random(seed)() * runDurationMs * 1.5);
      const run = startDriver({ config: config(root, `fuzz-${seed}`) });
      const timer = setTimeout(() => run.child.kill('SIGKILL'), delayMs);
      await run.done;
      clearTimeout(timer);

      const lock = await acquireRunLock({ projectRoot: root, runId: `recover-${seed}`, command: 'recover' });
      const report = await recoverInterrupted({ projectRoot: root });
      await lock.release();
      const after = await captureTree(root);
      const indexProblems = after.index === pre.index ? [] : ['.git/index: bytes differ'];
      const preProblems = [...sameWorkingTree(pre, after), ...indexProblems];
      const postProblems = [...sameWorkingTree({ ...post, index: after.index }, after), ...indexProblems];
      if (preProblems.length === 0) equalPre++;
      else if (postProblems.length === 0) equalPost++;
      else {
        mismatches.push({
          seed,
          delayMs,
          problems: [
            ...preProblems,
            `report: ${JSON.stringify(report)}`,
            `stdout: ${run.child.pid} ${(await run.done).stdout}`,
          ],
        });
      }
      removeTempDir(root);
      options.onRun?.(index);
    }
    return { runs: options.runs, equalPre, equalPost, mismatches };
  } finally {
    removeTempDir(workspace);
  }
}

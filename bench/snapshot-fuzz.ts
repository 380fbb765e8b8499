// Random-kill fuzz for @kode/snapshot (RELIABILITY A9): `pnpm exec tsx bench/snapshot-fuzz.ts [count]` (default
// 200). Each run applies the standard 6-file patch in a child process, SIGKILLs it after a random delay, recovers,
// and checks the tree equals the pre-run capture or the fully-applied state. Needs `pnpm --filter @kode/snapshot build`.
import { runKillFuzz } from '../packages/snapshot/src/fuzz.test-helpers.js';

const count = Number.parseInt(process.argv[2] ?? '200', 10);
const result = await runKillFuzz({
  runs: count,
  onRun: (index) => {
    if ((index + 1) % 20 === 0) process.stderr.write(`• ${index + 1}/${count}\n`);
  },
});
for (const mismatch of result.mismatches) {
  process.stderr.write(
    `✗ seed ${mismatch.seed} (kill after ${mismatch.delayMs} ms):\n  ${mismatch.problems.join('\n  ')}\n`,
  );
}
const equal = result.equalPre + result.equalPost;
process.stdout.write(
  `${equal}/${result.runs} trees equal pre-run or fully-applied state (${result.equalPre} pre-run, ${result.equalPost} fully applied)\n`,
);
process.exitCode = equal === result.runs ? 0 : 1;

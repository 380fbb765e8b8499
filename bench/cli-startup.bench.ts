// `kode --version` start-up against the floor of starting Node at all (`node -e 0`), same run.
import { KODE_BIN, formatMiB, formatMs, markdownTable, measure, repeat } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const node = process.execPath;
const baseline = repeat(RUNS, 3, () => measure(node, ['-e', '0']));
const kode = repeat(RUNS, 3, () => measure(node, [KODE_BIN, '--version']));
// `kode version` goes through the full argument parser: the start-up cost of every other command.
const parsed = repeat(RUNS, 3, () => measure(node, [KODE_BIN, 'version']));
const ratio = kode.medianMs / baseline.medianMs;
const parsedRatio = parsed.medianMs / baseline.medianMs;

console.log('### CLI start-up: `kode --version` vs `node -e 0`\n');
console.log(
  markdownTable(
    ['case', 'median ms', 'peak RSS', 'baseline (node -e 0) ms', 'ratio', 'goal'],
    [
      [
        `kode --version (${RUNS} runs)`,
        formatMs(kode.medianMs),
        formatMiB(kode.maxRssKiB),
        formatMs(baseline.medianMs),
        `${ratio.toFixed(2)}x`,
        `≤ 3x ${ratio <= 3 ? '✓' : '✗'}`,
      ],
      [
        `kode version, full parser (${RUNS} runs)`,
        formatMs(parsed.medianMs),
        formatMiB(parsed.maxRssKiB),
        formatMs(baseline.medianMs),
        `${parsedRatio.toFixed(2)}x`,
        '(informational)',
      ],
    ],
  ),
);
console.log('');

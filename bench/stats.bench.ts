// `kode stats --json` on a generated 1,000,000-entry audit log against the same aggregation in jq,
// measured in the same run, with peak memory. A 100,000-entry row shows memory does not grow with the log.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureAuditCorpus } from './audit-corpus.js';
import { KODE_BIN, WORKSPACE_ROOT, formatMiB, formatMs, markdownTable, measure, repeat } from './lib.js';

const SIZES = (process.env.BENCH_STATS_SIZES ?? '100000,1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS_STATS ?? 3);
const jqProgram = join(WORKSPACE_ROOT, 'bench', 'stats.jq');

function hasJq(): boolean {
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const rows: string[][] = [];
for (const size of SIZES) {
  const log = ensureAuditCorpus(size);
  const megabytes = statSync(log).size / 1024 / 1024;
  // kode reads <log-dir>/kode.log; the project is an empty scratch directory.
  const project = mkdtempSync(join(tmpdir(), 'kode-bench-stats-'));
  const logDir = dirname(log);
  const kode = repeat(RUNS, 1, () =>
    measure(process.execPath, [KODE_BIN, 'stats', '--json', '--project-dir', project, '--log-dir', logDir]),
  );
  rmSync(project, { recursive: true, force: true });
  const total = (JSON.parse(kode.last.stdout) as { total: number }).total;
  if (total !== size) throw new Error(`kode stats counted ${total} entries, expected ${size}`);
  if (hasJq()) {
    const jq = repeat(RUNS, 1, () => measure('jq', ['-n', '-c', '-f', jqProgram, log]));
    const ratio = kode.medianMs / jq.medianMs;
    rows.push([
      `${size.toLocaleString('en-US')} entries (${megabytes.toFixed(0)} MiB)`,
      formatMs(kode.medianMs),
      formatMiB(kode.maxRssKiB),
      formatMs(jq.medianMs),
      formatMiB(jq.maxRssKiB),
      `${ratio.toFixed(2)}x`,
      `≤ 2x ${ratio <= 2 ? '✓' : '✗'}`,
    ]);
  } else {
    rows.push([`${size} entries`, formatMs(kode.medianMs), formatMiB(kode.maxRssKiB), 'jq missing', '-', '-', '-']);
  }
}

console.log('### `kode stats --json` vs `jq` (same aggregation, same file)\n');
console.log(
  markdownTable(['case', 'kode median ms', 'kode peak RSS', 'jq median ms', 'jq peak RSS', 'time ratio', 'goal'], rows),
);
console.log('');

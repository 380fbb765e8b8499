// `pnpm bench`: runs every bench/*.bench.ts in turn (one process each, so they don't share a heap)
// and prints their Markdown tables. `pnpm bench <name>` runs only the benchmarks whose file name contains <name>.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './lib.js';

const filter = process.argv[2];
const directory = join(WORKSPACE_ROOT, 'bench');
const files = readdirSync(directory)
  .filter((name) => name.endsWith('.bench.ts') && (!filter || name.includes(filter)))
  .sort();
const tsx = join(WORKSPACE_ROOT, 'node_modules', '.bin', 'tsx');
console.log(
  `## Kode benchmarks (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${process.platform})\n`,
);
let failed = 0;
for (const file of files) {
  const result = spawnSync(tsx, [join(directory, file)], { stdio: 'inherit', cwd: WORKSPACE_ROOT });
  if (result.status !== 0) {
    failed += 1;
    console.error(`✗ ${file} exited with ${String(result.status)}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;

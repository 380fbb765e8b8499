// Test driver: appends many audit entries as fast as it can, from its own process, to exercise the log lock
// against other processes doing the same. Uses the built package, exactly as a consumer would.
// Usage: node append-many.mjs <logDir> <count> <durable:true|false> <tag> <barrierDir> <parties>
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { appendAuditEntry } from '../../dist/index.js';

const [logDir, countText, durableText, tag, barrierDir, partiesText] = process.argv.slice(2);
const count = Number(countText);
const parties = Number(partiesText);

// Start together: each driver announces itself and waits for the others, so the appends really overlap even
// when process start-up is slow on a loaded machine.
await writeFile(join(barrierDir, `ready-${tag}`), String(process.pid));
for (;;) {
  const ready = (await readdir(barrierDir)).filter((name) => name.startsWith('ready-'));
  if (ready.length >= parties) break;
  await sleep(5);
}

for (let index = 0; index < count; index++) {
  await appendAuditEntry({
    logDir,
    durable: durableText === 'true',
    entry: {
      timestamp: new Date().toISOString(),
      run_id: `${tag}-${index}`,
      command: 'verify',
      task_id: 'verify',
      status: index % 3 === 0 ? 'FAIL' : 'PASS',
      rounds_used: 1,
      duration_ms: index,
      input_source: tag,
      cost_usd: 0,
      tokens: { input: 0, output: 0 },
    },
  });
}

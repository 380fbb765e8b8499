// Test driver: holds the log lock for <holdMs> at a time and re-takes it immediately after each release, the
// pattern that starves other writers under a naive lock (the lock is free for microseconds per cycle). Prints
// "holding" once it has the lock the first time; stops when <stopFile> exists.
// Usage: node lock-hammer.mjs <lockPath> <stopFile> <holdMs>
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireFileLock } from '../../dist/file-lock.js';

const [lockPath, stopFile, holdText] = process.argv.slice(2);
const holdMs = Number(holdText);
let announced = false;
while (!existsSync(stopFile)) {
  const lock = await acquireFileLock({ lockPath, timeoutMs: 60_000 });
  if (!announced) {
    process.stdout.write('holding\n');
    announced = true;
  }
  await sleep(holdMs);
  lock.release();
}

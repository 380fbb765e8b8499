#!/usr/bin/env node
// Records the commit and build date for `kode version` in dist/build-info.json.
// Outside a git checkout (e.g. a packed tarball) both fall back to "unknown" / today.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let commit = 'unknown';
let date = new Date().toISOString().slice(0, 10);
try {
  const out = execFileSync('git', ['log', '-1', '--format=%h %cs'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  const [hash, day] = out.split(' ');
  if (hash) commit = hash;
  if (day) date = day;
} catch {
  // not a git checkout: keep the fallbacks
}
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', 'build-info.json'), `${JSON.stringify({ commit, date })}\n`);

#!/usr/bin/env node
// `pnpm demo [pass|rollback]`: the whole `kode loop` offline, in one command. Copies examples/loop-demo into a fresh
// git repository in a temp dir (so the repo's copy is never edited), then runs the built CLI there with a recorded
// model session served by the `replay` provider: generate -> verify -> apply -> test -> PASS, or, with `rollback`,
// a change whose tests fail and is rolled back byte for byte. No network, no key.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const DEMO_TASKS = {
  pass: 'add multiply(a, b) to src/math.js with a test',
  rollback: 'make add() in src/math.js round its result',
};

export function prepareDemoProject() {
  const directory = mkdtempSync(join(tmpdir(), 'kode-demo-'));
  cpSync(join(root, 'examples', 'loop-demo'), directory, {
    recursive: true,
    filter: (source) => !source.includes(`${join('loop-demo', 'recordings')}`),
  });
  const git = (...args) =>
    spawnSync('git', args, {
      cwd: directory,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'demo',
        GIT_AUTHOR_EMAIL: 'demo@example.com',
        GIT_COMMITTER_NAME: 'demo',
        GIT_COMMITTER_EMAIL: 'demo@example.com',
      },
    });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git('commit', '--quiet', '--no-gpg-sign', '-m', 'demo project');
  return directory;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const scenario = process.argv[2] ?? 'pass';
  if (!(scenario in DEMO_TASKS)) {
    process.stderr.write(`error: unknown demo ${JSON.stringify(scenario)}: use pnpm demo pass or pnpm demo rollback\n`);
    process.exit(2);
  }
  const directory = prepareDemoProject();
  const recording = join(root, 'examples', 'loop-demo', 'recordings', `${scenario}.jsonl`);
  process.stderr.write(`• Demo project: ${directory}\n`);
  const run = spawnSync(
    process.execPath,
    [join(root, 'apps', 'cli', 'bin', 'kode.js'), 'loop', DEMO_TASKS[scenario], '--model', `replay/${recording}`],
    { cwd: directory, stdio: 'inherit' },
  );
  process.stderr.write(`\nsrc/math.js is now:\n${readFileSync(join(directory, 'src', 'math.js'), 'utf8')}`);
  rmSync(directory, { recursive: true, force: true });
  process.exit(run.status ?? 1);
}

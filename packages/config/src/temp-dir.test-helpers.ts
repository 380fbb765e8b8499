// Disposable directories and real git repositories for this package's tests.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/** A fresh directory (symlinks resolved), removed after the current test. */
export async function makeTempDir(files: Readonly<Record<string, string>> = {}): Promise<string> {
  const directory = await realpath(await mkdtemp(join(tmpdir(), 'kode-config-')));
  created.push(directory);
  await writeFiles(directory, files);
  return directory;
}

export async function writeFiles(root: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, relative)), { recursive: true });
    await writeFile(join(root, relative), content);
  }
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Kode Test',
  GIT_AUTHOR_EMAIL: 'test@kode.invalid',
  GIT_COMMITTER_NAME: 'Kode Test',
  GIT_COMMITTER_EMAIL: 'test@kode.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Runs `action` with PATH emptied so `git` cannot be spawned, as on a machine without git. */
export async function withoutGitOnPath<T>(action: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = '';
  try {
    return await action();
  } finally {
    if (saved === undefined) delete process.env.PATH;
    else process.env.PATH = saved;
  }
}

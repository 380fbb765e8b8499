// The two questions config asks git. Both fall back to looking for `.git` when git cannot be run,
// because `kode init` and root discovery must work on machines without git.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

type GitOutcome = { readonly status: 'ok'; readonly stdout: string } | { readonly status: 'failed' | 'unavailable' };

function runGit(args: readonly string[], cwd: string): Promise<GitOutcome> {
  return new Promise((resolvePromise) => {
    execFile('git', args, { cwd, encoding: 'utf8', windowsHide: true }, (error, stdout) => {
      if (!error) resolvePromise({ status: 'ok', stdout: stdout.trim() });
      // ENOENT: git is not installed (or cwd vanished); either way git cannot answer.
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolvePromise({ status: 'unavailable' });
      else resolvePromise({ status: 'failed' });
    });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Nearest ancestor of `directory` (inclusive) holding a `.git` entry (directory, or file for worktrees). */
async function findDotGit(directory: string): Promise<string | null> {
  for (let current = resolve(directory); ; current = dirname(current)) {
    if (await exists(join(current, '.git'))) return current;
    if (dirname(current) === current) return null;
  }
}

/** Top level of the git work tree containing `directory`, or null outside one. */
export async function gitTopLevel(directory: string): Promise<string | null> {
  const outcome = await runGit(['rev-parse', '--show-toplevel'], directory);
  if (outcome.status === 'ok') return outcome.stdout === '' ? null : resolve(outcome.stdout);
  if (outcome.status === 'unavailable') return findDotGit(directory);
  return null;
}

/** Whether `directory` is inside a git work tree (`git rev-parse --is-inside-work-tree`). */
export async function isInsideGitWorkTree(directory: string): Promise<boolean> {
  const outcome = await runGit(['rev-parse', '--is-inside-work-tree'], directory);
  if (outcome.status === 'ok') return outcome.stdout === 'true';
  if (outcome.status === 'unavailable') return (await findDotGit(directory)) !== null;
  return false;
}

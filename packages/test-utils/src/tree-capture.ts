// "Tree unchanged" (SPEC §14) as one comparable string: every file's path, mode and bytes outside `.git` and the
// audit log directory, then `git status` and the index. Two captures are equal exactly when nothing a user could see
// changed.
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export async function captureTree(options: {
  root: string;
  git: (...args: string[]) => string;
  /** Paths left out (with everything below them) besides `.git` (default `logs`). */
  ignore?: readonly string[];
}): Promise<string> {
  const ignored = new Set(['.git', ...(options.ignore ?? ['logs'])]);
  const files: string[] = [];
  async function walk(directory: string): Promise<void> {
    for (const entry of await readdir(join(options.root, directory), { withFileTypes: true })) {
      const relative = directory === '' ? entry.name : `${directory}/${entry.name}`;
      if (ignored.has(relative)) continue;
      const absolute = join(options.root, relative);
      const info = await lstat(absolute);
      if (info.isSymbolicLink()) files.push(`${relative} -> ${await readlink(absolute)}`);
      else if (info.isDirectory()) await walk(relative);
      else files.push(`${relative} ${info.mode.toString(8)} ${(await readFile(absolute)).toString('base64')}`);
    }
  }
  await walk('');
  const status = options.git('status', '--porcelain=v2', '--untracked-files=all');
  return `${files.sort().join('\n')}\n--\n${status}\n--\n${options.git('ls-files', '--stage')}`;
}

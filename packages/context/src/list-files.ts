// The project's source files as git sees them (tracked plus untracked-but-not-ignored), or, outside git, a walk that
// honours .gitignore files. Only files of the four languages survive, minus the exclusions.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { detectLanguage } from '@kode/lang';
import { isExcludedFromContext } from './exclusions.js';

const run = promisify(execFile);

function keep(path: string): boolean {
  return detectLanguage(path) !== null && !isExcludedFromContext(path);
}

async function gitFiles(projectRoot: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await run(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate', '--', '.'],
      { cwd: projectRoot, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
    );
    return stdout.split('\0').filter((path) => path !== '');
  } catch {
    return undefined;
  }
}

async function walk(projectRoot: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (directory: string, rules: readonly { base: string; matcher: Ignore }[]): Promise<void> => {
    const absolute = join(projectRoot, directory);
    const gitignore = await readFile(join(absolute, '.gitignore'), 'utf8').catch(() => undefined);
    const scoped = gitignore === undefined ? rules : [...rules, { base: directory, matcher: ignore().add(gitignore) }];
    const ignored = (path: string, isDirectory: boolean) =>
      scoped.some(({ base, matcher }) => {
        const relative = base === '' ? path : posix.relative(base, path);
        return matcher.ignores(isDirectory ? `${relative}/` : relative);
      });
    const entries = await readdir(absolute, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = directory === '' ? entry.name : `${directory}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!isExcludedFromContext(`${path}/x`) && !ignored(path, true)) await visit(path, scoped);
      } else if (entry.isFile() && !ignored(path, false)) {
        found.push(path);
      }
    }
  };
  await visit('', []);
  return found;
}

/** Project-relative source paths, sorted. */
export async function listSourceFiles(projectRoot: string): Promise<string[]> {
  const listed = (await gitFiles(projectRoot)) ?? (await walk(projectRoot));
  return [...new Set(listed.filter(keep))].sort();
}

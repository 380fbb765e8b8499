// Project-root discovery (spec §1.4).
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gitTopLevel } from './git.js';

async function hasConfigFile(directory: string): Promise<boolean> {
  try {
    return (await stat(join(directory, '.kode', 'kode.json'))).isFile();
  } catch {
    return false;
  }
}

/**
 * The project root as an absolute path: `projectDir` resolved against `cwd` if given (existence is the
 * caller's check); else the nearest ancestor of `cwd` (inclusive) containing `.kode/kode.json`; else the
 * top level of the enclosing git work tree (as git reports it, i.e. with symlinks resolved); else `cwd`.
 */
export async function findProjectRoot(options: { cwd: string; projectDir?: string | undefined }): Promise<string> {
  const cwd = resolve(options.cwd);
  if (options.projectDir !== undefined) return resolve(cwd, options.projectDir);
  for (let current = cwd; ; current = dirname(current)) {
    if (await hasConfigFile(current)) return current;
    if (dirname(current) === current) break;
  }
  return (await gitTopLevel(cwd)) ?? cwd;
}

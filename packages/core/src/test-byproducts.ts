// Test by-products (SPEC §8.6): files the test run created or changed that the patch did not touch. They
// are reported and left in place. Git repositories only: git status is what tells "changed" from "was
// always there", and without it there is no cheap baseline.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, lstat, mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';

/** Opaque snapshot of the dirty part of the working tree: project-relative path -> fingerprint. */
export interface WorktreeState {
  readonly fingerprints: ReadonlyMap<string, string>;
}

/** Bounds parallel file hashing: a tree with thousands of untracked files must not exhaust descriptors. */
const HASH_CONCURRENCY = 16;
const GIT_MAX_BUFFER = 256 * 1024 * 1024;

/**
 * Fingerprints every path `git status` lists under `projectRoot`: status code plus a hash of the current
 * content, so a file that was already dirty and is changed again still shows up as changed. Undefined
 * outside a git work tree, or when git cannot answer: by-products are a report, never a reason to fail.
 */
export async function captureWorktreeState(projectRoot: string): Promise<WorktreeState | undefined> {
  const located = await runGit({ args: ['rev-parse', '--show-prefix', '--git-path', 'index'], cwd: projectRoot });
  if (located === undefined) return undefined;
  const [prefix = '', indexPath = ''] = located.split('\n');
  if (indexPath === '') return undefined;

  // git status refreshes stat data and rewrites the index it uses. The user's index is theirs (SPEC §8.7:
  // never touched), so status runs against a copy.
  const temporaryDirectory = await mkdtemp(join(tmpdir(), 'kode-index-'));
  try {
    const temporaryIndex = join(temporaryDirectory, 'index');
    try {
      await copyFile(resolve(projectRoot, indexPath), temporaryIndex);
    } catch (error) {
      // A fresh repository has no index yet; git treats a missing index file as empty.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    }
    const status = await runGit({
      args: ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', '.'],
      cwd: projectRoot,
      env: { GIT_INDEX_FILE: temporaryIndex, GIT_OPTIONAL_LOCKS: '0' },
    });
    if (status === undefined) return undefined;
    const entries = parseStatus({ output: status, prefix });
    const fingerprints = new Map<string, string>();
    await forEachLimited(entries, HASH_CONCURRENCY, async ({ path, code }) => {
      fingerprints.set(path, `${code}:${await contentFingerprint(join(projectRoot, path))}`);
    });
    return { fingerprints };
  } finally {
    await rm(temporaryDirectory, { recursive: true, force: true });
  }
}

/** Sorted project-relative paths whose fingerprint differs between the two states, minus the patch's files. */
export function testByproducts(options: {
  readonly before: WorktreeState | undefined;
  readonly after: WorktreeState | undefined;
  readonly patchFiles: readonly string[];
}): string[] {
  const { before, after } = options;
  if (before === undefined || after === undefined) return [];
  const patchFiles = new Set(options.patchFiles.map(normalizeRelative));
  const paths = new Set([...before.fingerprints.keys(), ...after.fingerprints.keys()]);
  return [...paths]
    .filter((path) => !patchFiles.has(path) && before.fingerprints.get(path) !== after.fingerprints.get(path))
    .sort();
}

function normalizeRelative(path: string): string {
  return posix.normalize(path.replaceAll('\\', '/')).replace(/^\.\//, '');
}

interface StatusEntry {
  readonly code: string;
  readonly path: string;
}

/**
 * Porcelain paths are relative to the repository top level whatever the cwd; the project root may be a
 * subdirectory of it, so the prefix (`rev-parse --show-prefix`) is stripped. `--no-renames` keeps every
 * record a single "XY path" field.
 */
function parseStatus(options: { readonly output: string; readonly prefix: string }): StatusEntry[] {
  const entries: StatusEntry[] = [];
  for (const record of options.output.split('\0')) {
    if (record.length < 4) continue;
    const topLevelPath = record.slice(3);
    if (!topLevelPath.startsWith(options.prefix)) continue;
    entries.push({ code: record.slice(0, 2), path: topLevelPath.slice(options.prefix.length) });
  }
  return entries;
}

async function contentFingerprint(path: string): Promise<string> {
  try {
    const stats = await lstat(path);
    // A symlink's content is its target; following it could hash a file outside the project.
    if (stats.isSymbolicLink()) return `link:${sha256(await readlink(path))}`;
    // A submodule or nested repository: git status already encodes what it can see of it.
    if (!stats.isFile()) return 'other';
    const hash = createHash('sha256');
    // Streamed: a test can leave a multi-gigabyte file behind.
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  action: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await action(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Stdout of a git command, or undefined when git fails or is not installed. */
function runGit(options: {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    execFile(
      'git',
      options.args,
      {
        cwd: options.cwd,
        encoding: 'utf8',
        env: { ...process.env, ...options.env },
        maxBuffer: GIT_MAX_BUFFER,
        windowsHide: true,
      },
      (error, stdout) => resolvePromise(error ? undefined : stdout),
    );
  });
}

// Primitive operations on one working-tree entry, addressed through a verified DirectoryHandle. Every write is
// temp-in-same-directory + fsync + rename; the caller fsyncs the directory after its renames.
import { constants } from 'node:fs';
import { lstat, open, readlink, rename, unlink } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { errnoCode } from './errors.js';
import { fsStep } from './fault.js';
import { sha256Hex } from './hash.js';

const noFollow = constants.O_NOFOLLOW ?? 0;
const renameRetries = 5;
const renameRetryDelayMs = 50;

export type EntryState =
  | { readonly type: 'missing' }
  | {
      readonly type: 'file';
      readonly mode: number;
      readonly size: number;
      readonly sha256: string;
      readonly content: Buffer;
    }
  | { readonly type: 'symlink'; readonly target: string }
  | { readonly type: 'directory' }
  | { readonly type: 'other' };

/** Reads an entry without following a final symlink. A missing parent directory reads as missing. */
export async function readEntry(path: string): Promise<EntryState> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { type: 'missing' };
    throw error;
  }
  if (stats.isSymbolicLink()) return { type: 'symlink', target: await readlink(path) };
  if (stats.isDirectory()) return { type: 'directory' };
  if (!stats.isFile()) return { type: 'other' };
  const handle = await open(path, constants.O_RDONLY | noFollow);
  try {
    const opened = await handle.stat();
    const content = await handle.readFile();
    return {
      type: 'file',
      mode: opened.mode & 0o7777,
      size: content.byteLength,
      sha256: sha256Hex(content),
      content,
    };
  } finally {
    await handle.close();
  }
}

/**
 * Writes `content` to a fresh temporary file and fsyncs it. `mode` undefined leaves the 0666-minus-umask mode the
 * kernel gives new files (SPEC §8.7); otherwise the exact mode is set.
 */
export async function writeTemporaryFile(options: {
  readonly path: string;
  readonly label: string;
  readonly content: Uint8Array;
  readonly mode: number | undefined;
}): Promise<void> {
  await removeIfPresent(options.path, options.label);
  fsStep('open', options.label);
  const handle = await open(options.path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o666);
  try {
    fsStep('write', options.label);
    await writeAll(handle, options.content);
    if (options.mode !== undefined) {
      fsStep('chmod', options.label);
      await handle.chmod(options.mode);
    }
    fsStep('fsync', options.label);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(options.path).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

async function writeAll(handle: Awaited<ReturnType<typeof open>>, content: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < content.byteLength) {
    const { bytesWritten } = await handle.write(content, offset, content.byteLength - offset);
    offset += bytesWritten;
  }
}

/** rename(2) with the bounded EBUSY/EPERM retries Windows needs (virus scanners, indexers holding the file). */
export async function renameWithRetry(options: { from: string; to: string; label: string }): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      fsStep('rename', options.label);
      await rename(options.from, options.to);
      return;
    } catch (error) {
      const code = errnoCode(error);
      if ((code === 'EBUSY' || code === 'EPERM') && attempt < renameRetries) {
        await delay(renameRetryDelayMs);
        continue;
      }
      throw error;
    }
  }
}

export async function removeIfPresent(path: string, label: string): Promise<boolean> {
  try {
    await lstat(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
  fsStep('unlink', label);
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Name of a Kode temporary file for `path` in this run: deterministic so rollback and recovery can remove it. */
export function temporaryName(options: { path: string; runId: string; purpose: 'apply' | 'restore' }): string {
  const tag = options.purpose === 'apply' ? 'tmp' : 'rb';
  return `.kode-${tag}-${sha256Hex(options.path).slice(0, 16)}-${options.runId}`;
}

export function splitPath(path: string): { directory: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash === -1
    ? { directory: '', name: path }
    : { directory: path.slice(0, slash), name: path.slice(slash + 1) };
}

export function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  const ancestors: string[] = [];
  for (let index = 1; index < parts.length; index++) ancestors.push(parts.slice(0, index).join('/'));
  return ancestors;
}

// Working-tree directories are opened once and then addressed through `/proc/self/fd/<n>/<name>` on Linux, which
// behaves like openat(2): swapping a directory for a symlink after it was verified cannot redirect a write outside
// the project (RELIABILITY §2.6, F11). Elsewhere Node has no openat, so the real path is re-verified before each
// mutation and the OS sandbox stays the backstop.
import { constants, existsSync } from 'node:fs';
import { open, readlink, realpath, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsStep } from './fault.js';

const procFdAvailable = process.platform === 'linux' && existsSync('/proc/self/fd');
const directoryFlags = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0);

export interface DirectoryHandle {
  /** Project-relative directory ('' for the root). */
  readonly relativePath: string;
  /** Absolute path the directory must have (inside the real project root). */
  readonly expectedPath: string;
  /** Path through which to address `name` inside this directory. */
  entry(name: string): string;
  /** Throws unless the handle still designates the expected directory. */
  verify(): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export class UnsafeDirectoryError extends Error {
  readonly relativePath: string;
  constructor(relativePath: string, actual: string) {
    super(`directory "${relativePath || '.'}" resolves to ${actual}, outside its expected place`);
    this.name = 'UnsafeDirectoryError';
    this.relativePath = relativePath;
  }
}

export async function openDirectory(options: { realRoot: string; relativePath: string }): Promise<DirectoryHandle> {
  const expectedPath = options.relativePath === '' ? options.realRoot : join(options.realRoot, options.relativePath);
  const handle = await open(expectedPath, directoryFlags);
  const directory = procFdAvailable
    ? new ProcFdDirectory(options.relativePath, expectedPath, handle)
    : new PathDirectory(options.relativePath, expectedPath, handle);
  try {
    await directory.verify();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return directory;
}

class ProcFdDirectory implements DirectoryHandle {
  readonly #prefix: string;
  constructor(
    readonly relativePath: string,
    readonly expectedPath: string,
    readonly handle: FileHandle,
  ) {
    this.#prefix = `/proc/self/fd/${handle.fd}`;
  }
  entry(name: string): string {
    return `${this.#prefix}/${name}`;
  }
  async verify(): Promise<void> {
    const actual = await readlink(this.#prefix);
    if (actual !== this.expectedPath) throw new UnsafeDirectoryError(this.relativePath, actual);
  }
  async sync(): Promise<void> {
    fsStep('dir-fsync', this.relativePath);
    await this.handle.sync();
  }
  async close(): Promise<void> {
    await this.handle.close();
  }
}

class PathDirectory implements DirectoryHandle {
  constructor(
    readonly relativePath: string,
    readonly expectedPath: string,
    readonly handle: FileHandle,
  ) {}
  entry(name: string): string {
    return join(this.expectedPath, name);
  }
  async verify(): Promise<void> {
    const actual = await realpath(this.expectedPath);
    if (actual !== this.expectedPath) throw new UnsafeDirectoryError(this.relativePath, actual);
    const [opened, current] = await Promise.all([this.handle.stat(), stat(this.expectedPath)]);
    if (opened.ino !== current.ino || opened.dev !== current.dev) {
      throw new UnsafeDirectoryError(this.relativePath, actual);
    }
  }
  async sync(): Promise<void> {
    fsStep('dir-fsync', this.relativePath);
    // Windows cannot fsync a directory handle; rename durability there is the filesystem's business.
    if (process.platform === 'win32') return;
    await this.handle.sync();
  }
  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Caches open directory handles for one operation; closes them all at the end. */
export class DirectorySet {
  readonly #handles = new Map<string, Promise<DirectoryHandle>>();
  constructor(readonly realRoot: string) {}

  get(relativePath: string): Promise<DirectoryHandle> {
    let handle = this.#handles.get(relativePath);
    if (handle === undefined) {
      handle = openDirectory({ realRoot: this.realRoot, relativePath });
      this.#handles.set(relativePath, handle);
      // A failed open must not stay cached: the directory may be created later in the same operation.
      handle.catch(() => this.#handles.delete(relativePath));
    }
    return handle;
  }

  forget(relativePath: string): void {
    const handle = this.#handles.get(relativePath);
    this.#handles.delete(relativePath);
    void handle?.then((opened) => opened.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const handles = [...this.#handles.values()];
    this.#handles.clear();
    await Promise.all(handles.map((handle) => handle.then((opened) => opened.close()).catch(() => undefined)));
  }
}

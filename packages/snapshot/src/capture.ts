// Reading the state of project paths: pre-images for a journal (never following a symlink anywhere on the way) and
// the public `captureSnapshot`.
import { lstat, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirectorySet } from './directory-handle.js';
import { ApplyError, errnoCode } from './errors.js';
import type { PreImage } from './journal.js';
import type { EntryState } from './working-tree.js';
import { ancestorsOf, readEntry, splitPath } from './working-tree.js';
import { mapWithLimit } from './hash.js';
import { ioConcurrency } from './journal.js';

/**
 * Pre-image of one path. An ancestor that is a symlink or a file is only acceptable when that ancestor is itself
 * one of the transaction's files (the patch deletes it and creates a directory in its place); then the path is
 * missing.
 */
export async function capturePreImage(options: {
  readonly realRoot: string;
  readonly path: string;
  readonly files: ReadonlySet<string>;
  readonly directories: DirectorySet;
}): Promise<{ preImage: PreImage; content: Buffer | undefined }> {
  const { path } = options;
  for (const ancestor of ancestorsOf(path)) {
    let stats;
    try {
      stats = await lstat(join(options.realRoot, ancestor));
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return { preImage: { path, type: 'missing' }, content: undefined };
      throw error;
    }
    if (stats.isDirectory()) continue;
    if (options.files.has(ancestor)) return { preImage: { path, type: 'missing' }, content: undefined };
    const reason = stats.isSymbolicLink()
      ? `${JSON.stringify(path)} passes through symlink "${ancestor}"`
      : `${JSON.stringify(path)} is below "${ancestor}", which is not a directory`;
    throw new ApplyError({ kind: 'unsafe-path', path, message: `apply: unsafe path (${reason})` });
  }
  const { directory, name } = splitPath(path);
  const handle = await options.directories.get(directory);
  const state = await readEntry(handle.entry(name));
  switch (state.type) {
    case 'missing':
      return { preImage: { path, type: 'missing' }, content: undefined };
    case 'symlink':
      return { preImage: { path, type: 'symlink', target: state.target }, content: undefined };
    case 'file':
      return {
        preImage: { path, type: 'file', mode: state.mode, size: state.size, sha256: state.sha256 },
        content: state.content,
      };
    default:
      throw new ApplyError({
        kind: 'invalid-change',
        path,
        message: `apply: ${path} is a ${state.type === 'directory' ? 'directory' : 'special file'}, not a file`,
      });
  }
}

export type SnapshotEntry =
  | { readonly path: string; readonly type: 'missing' }
  | {
      readonly path: string;
      readonly type: 'file';
      readonly mode: number;
      readonly size: number;
      readonly sha256: string;
      readonly content: Uint8Array;
    }
  | { readonly path: string; readonly type: 'symlink'; readonly target: string }
  | { readonly path: string; readonly type: 'directory' }
  | { readonly path: string; readonly type: 'other' };

export interface Snapshot {
  readonly projectRoot: string;
  readonly entries: ReadonlyMap<string, SnapshotEntry>;
}

/** Bytes, mode, type and symlink target of each path (lstat semantics: a final symlink is not followed). */
export async function captureSnapshot(options: { projectRoot: string; paths: readonly string[] }): Promise<Snapshot> {
  const realRoot = await realpath(options.projectRoot);
  const captured = await mapWithLimit(options.paths, ioConcurrency, async (path): Promise<SnapshotEntry> => {
    const state: EntryState = await readEntry(join(realRoot, path));
    switch (state.type) {
      case 'file':
        return { path, type: 'file', mode: state.mode, size: state.size, sha256: state.sha256, content: state.content };
      case 'symlink':
        return { path, type: 'symlink', target: state.target };
      default:
        return { path, type: state.type };
    }
  });
  return { projectRoot: realRoot, entries: new Map(captured.map((entry) => [entry.path, entry])) };
}

import path from 'node:path';
import type { ProjectFileSystem } from './overlay.js';
import { createProjectFileSystem, EMPTY_OVERLAY } from './overlay.js';

/**
 * Per-project-root memo of parsed manifests (tsconfig, package.json, pyproject, Cargo.toml, go.mod, venv metadata,
 * stdlib tables). Entries are read from disk; when the overlay touches a manifest, callers bypass the cache for it.
 * Call `clearResolutionCache()` after the project's manifests change on disk.
 */
const caches = new Map<string, Map<string, unknown>>();

export function projectCache(projectRoot: string): Map<string, unknown> {
  const root = path.resolve(projectRoot);
  let cache = caches.get(root);
  if (cache === undefined) {
    cache = new Map();
    caches.set(root, cache);
  }
  return cache;
}

/** Forgets cached manifests for one project root, or for every project when called without an argument. */
export function clearResolutionCache(projectRoot?: string): void {
  if (projectRoot === undefined) caches.clear();
  else caches.delete(path.resolve(projectRoot));
}

/**
 * Memoises `compute` under `key` unless the overlay touches one of `dependsOn` (the patch edits that manifest, so its
 * post-image must be read fresh and must not poison the cache).
 */
export function memo<T>(options: {
  fileSystem: ProjectFileSystem;
  key: string;
  dependsOn?: readonly string[];
  compute: (fileSystem: ProjectFileSystem) => T;
}): T {
  if (options.dependsOn?.some((file) => options.fileSystem.touches(file))) return options.compute(options.fileSystem);
  const cache = projectCache(options.fileSystem.projectRoot);
  if (cache.has(options.key)) return cache.get(options.key) as T;
  // Cached values are computed from the disk alone so one patch's overlay never leaks into another's resolution.
  const value = options.compute(createProjectFileSystem(options.fileSystem.projectRoot, EMPTY_OVERLAY));
  cache.set(options.key, value);
  return value;
}

/** Directories from `start` up to and including `stop` (or the filesystem root when `stop` is not an ancestor). */
export function ancestors(start: string, stop?: string): string[] {
  const result: string[] = [];
  let current = path.resolve(start);
  const boundary = stop === undefined ? undefined : path.resolve(stop);
  for (;;) {
    result.push(current);
    if (current === boundary) break;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return result;
}

export function toProjectPath(projectRoot: string, absolutePath: string): string {
  return path.relative(path.resolve(projectRoot), absolutePath).split(path.sep).join('/');
}

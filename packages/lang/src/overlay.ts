import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The patch's in-memory view of the project. `read` returns the post-image (string), `null` when the patch deletes
 * the file, or `undefined` when the patch does not touch it (resolution then reads the disk). `paths` lists every
 * project-relative path the patch touches, so created files show up in directory listings.
 */
export interface Overlay {
  read(relativePath: string): string | null | undefined;
  paths(): Iterable<string>;
}

/** An overlay from a record or map of project-relative paths (`/` separators) to post-images (`null` = deleted). */
export function createOverlay(
  files: Readonly<Record<string, string | null>> | ReadonlyMap<string, string | null>,
): Overlay {
  const entries = new Map<string, string | null>();
  const source = files instanceof Map ? files.entries() : Object.entries(files);
  for (const [key, value] of source as Iterable<[string, string | null]>) entries.set(normalizeRelative(key), value);
  return {
    read: (relativePath) => entries.get(normalizeRelative(relativePath)),
    paths: () => entries.keys(),
  };
}

export const EMPTY_OVERLAY: Overlay = createOverlay({});

function normalizeRelative(relativePath: string): string {
  return path.posix.normalize(relativePath.replaceAll('\\', '/')).replace(/^\.\//, '');
}

/** Absolute-path file system that layers an overlay over the disk. All paths in and out are absolute. */
export interface ProjectFileSystem {
  readonly projectRoot: string;
  fileExists(absolutePath: string): boolean;
  directoryExists(absolutePath: string): boolean;
  readFile(absolutePath: string): string | undefined;
  /** Immediate entries of a directory: names of files and of directories (the latter flagged). */
  readDirectory(absolutePath: string): readonly { name: string; isDirectory: boolean }[];
  /** Whether the overlay touches this path (so cached manifests must not be trusted). */
  touches(absolutePath: string): boolean;
  /** Absolute paths of every file the overlay creates, modifies or deletes. */
  touchedFiles(): readonly string[];
}

export function createProjectFileSystem(projectRoot: string, overlay: Overlay): ProjectFileSystem {
  const root = path.resolve(projectRoot);
  const created = new Set<string>();
  const touched = new Set<string>();
  const createdDirectories = new Set<string>();
  for (const relative of overlay.paths()) {
    const absolute = path.resolve(root, relative);
    touched.add(absolute);
    if (typeof overlay.read(relative) === 'string') {
      created.add(absolute);
      for (let directory = path.dirname(absolute); directory.startsWith(root); directory = path.dirname(directory)) {
        if (createdDirectories.has(directory)) break;
        createdDirectories.add(directory);
        if (directory === root) break;
      }
    }
  }
  const overlayRead = (absolutePath: string): string | null | undefined => {
    if (!touched.has(absolutePath)) return undefined;
    return overlay.read(path.relative(root, absolutePath).split(path.sep).join('/'));
  };
  const stat = (absolutePath: string) => {
    try {
      return statSync(absolutePath, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  };
  return {
    projectRoot: root,
    fileExists(absolutePath) {
      const normalized = path.resolve(absolutePath);
      const fromOverlay = overlayRead(normalized);
      if (fromOverlay !== undefined) return fromOverlay !== null;
      return stat(normalized)?.isFile() ?? false;
    },
    directoryExists(absolutePath) {
      const normalized = path.resolve(absolutePath);
      if (createdDirectories.has(normalized)) return true;
      return stat(normalized)?.isDirectory() ?? false;
    },
    readFile(absolutePath) {
      const normalized = path.resolve(absolutePath);
      const fromOverlay = overlayRead(normalized);
      if (fromOverlay !== undefined) return fromOverlay ?? undefined;
      try {
        return readFileSync(normalized, 'utf8');
      } catch {
        return undefined;
      }
    },
    readDirectory(absolutePath) {
      const normalized = path.resolve(absolutePath);
      const result = new Map<string, boolean>();
      try {
        for (const entry of readdirSync(normalized, { withFileTypes: true })) {
          const isDirectory =
            entry.isDirectory() ||
            (entry.isSymbolicLink() && (stat(path.join(normalized, entry.name))?.isDirectory() ?? false));
          const full = path.join(normalized, entry.name);
          if (!isDirectory && overlayRead(full) === null) continue;
          result.set(entry.name, isDirectory);
        }
      } catch {
        // Missing or unreadable directory: only overlay entries remain.
      }
      for (const file of created) {
        if (path.dirname(file) === normalized) result.set(path.basename(file), false);
      }
      for (const directory of createdDirectories) {
        if (path.dirname(directory) === normalized && directory !== normalized)
          result.set(path.basename(directory), true);
      }
      return [...result].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
    touches(absolutePath) {
      return touched.has(path.resolve(absolutePath));
    },
    touchedFiles() {
      return [...touched];
    },
  };
}

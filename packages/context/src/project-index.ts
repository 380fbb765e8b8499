// The repository index (SPEC §8.1): per source file its language, content hash, symbols (FileSymbols of @kode/lang)
// and imports resolved to project files, plus the dependency graph and its reverse. Persisted in
// .kode/cache/index-v1.json keyed by content hash, so a second run re-parses only files whose content changed; import
// resolutions are reused while the file set and the manifests are unchanged. `withOverlay` answers for a patch's
// proposed files without touching the cache.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createOverlay,
  detectLanguage,
  extractSymbols,
  parseSource,
  resolveImport,
  resolveImportEdges,
} from '@kode/lang';
import type { FileSymbols, ImportKind, Language, Overlay } from '@kode/lang';
import { readIndexCache, writeIndexCache } from './cache.js';
import type { CachedFile } from './cache.js';
import { listSourceFiles } from './list-files.js';

export interface IndexedImport {
  readonly specifier: string;
  readonly kind: ImportKind;
  readonly line: number;
  readonly typeOnly: boolean;
  /** The project file it resolves to, or null (external, built-in, unresolved). */
  readonly target: string | null;
}

export interface IndexedFile {
  readonly path: string;
  readonly language: Language;
  readonly hash: string;
  readonly size: number;
  readonly symbols: FileSymbols;
  readonly imports: readonly IndexedImport[];
}

export interface IndexStats {
  readonly files: number;
  /** Files parsed in this run (the rest came from the cache by content hash). */
  readonly parsed: number;
  /** Whether import resolutions were reused (same file set and manifests). */
  readonly resolutionsReused: boolean;
}

export interface ProjectIndex {
  readonly projectRoot: string;
  readonly files: ReadonlyMap<string, IndexedFile>;
  readonly stats: IndexStats;
  /** Project files `path` imports. */
  dependencies(path: string): readonly string[];
  /** Project files that import `path`. */
  dependents(path: string): readonly string[];
  /** The project as a patch would leave it (`null` deletes); the cache is not touched. */
  withOverlay(files: Readonly<Record<string, string | null>>): ProjectIndex;
}

export interface OpenIndexOptions {
  readonly projectRoot: string;
  /** engine.max_file_bytes: larger files are left out (default 1 MiB). */
  readonly maxFileBytes?: number;
  /** Write .kode/cache/index-v1.json (default: only when the project already has a .kode directory). */
  readonly persist?: boolean;
}

/** Files whose content decides how imports resolve: a change to any of them invalidates every cached resolution. */
const RESOLUTION_INPUTS =
  /(^|\/)(package\.json|tsconfig[^/]*\.json|jsconfig\.json|pyproject\.toml|setup\.cfg|requirements[^/]*\.txt|Pipfile|Cargo\.toml|go\.mod|go\.work)$/u;

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

async function resolutionKey(projectRoot: string, paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) hash.update(`${path}\n`);
  // Manifests are few; reading them is cheap next to parsing.
  const manifests = await listManifests(projectRoot);
  for (const path of manifests) {
    hash.update(`${path}\0`);
    hash.update(await readFile(join(projectRoot, path)).catch(() => Buffer.alloc(0)));
  }
  return hash.digest('hex');
}

async function listManifests(projectRoot: string): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  try {
    const { stdout } = await promisify(execFile)(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'],
      { cwd: projectRoot, maxBuffer: 256 * 1024 * 1024 },
    );
    return stdout
      .split('\0')
      .filter((path) => RESOLUTION_INPUTS.test(path) && !path.includes('node_modules/'))
      .sort();
  } catch {
    const candidates = [
      'package.json',
      'tsconfig.json',
      'jsconfig.json',
      'pyproject.toml',
      'setup.cfg',
      'Cargo.toml',
      'go.mod',
      'go.work',
    ];
    return candidates;
  }
}

function resolveAll(options: {
  projectRoot: string;
  path: string;
  text: string;
  language: Language;
  overlay: Overlay;
}): IndexedImport[] {
  const parsed = parseSource({ language: options.language, path: options.path, text: options.text });
  return resolveImportEdges({
    imports: parsed.imports,
    resolve: (request) =>
      resolveImport({ projectRoot: options.projectRoot, fromFile: options.path, overlay: options.overlay, ...request }),
  }).map((edge) => ({
    specifier: edge.specifier,
    kind: edge.kind,
    line: edge.line,
    typeOnly: edge.typeOnly,
    target: edge.target,
  }));
}

function buildGraph(files: ReadonlyMap<string, IndexedFile>): {
  forward: Map<string, string[]>;
  reverse: Map<string, string[]>;
} {
  const forward = new Map<string, string[]>();
  const reverse = new Map<string, string[]>();
  for (const file of files.values()) {
    const targets = [
      ...new Set(file.imports.map((entry) => entry.target).filter((target): target is string => target !== null)),
    ].filter((target) => target !== file.path);
    forward.set(file.path, targets);
    for (const target of targets) {
      const list = reverse.get(target) ?? [];
      list.push(file.path);
      reverse.set(target, list);
    }
  }
  for (const list of reverse.values()) list.sort();
  return { forward, reverse };
}

function makeIndex(options: {
  projectRoot: string;
  files: Map<string, IndexedFile>;
  stats: IndexStats;
  maxFileBytes: number;
}): ProjectIndex {
  const { forward, reverse } = buildGraph(options.files);
  return {
    projectRoot: options.projectRoot,
    files: options.files,
    stats: options.stats,
    dependencies: (path) => forward.get(path) ?? [],
    dependents: (path) => reverse.get(path) ?? [],
    withOverlay: (patch) => overlayIndex({ base: options, patch }),
  };
}

function overlayIndex(options: {
  base: { projectRoot: string; files: Map<string, IndexedFile>; stats: IndexStats; maxFileBytes: number };
  patch: Readonly<Record<string, string | null>>;
}): ProjectIndex {
  const { base } = options;
  const overlay = createOverlay(options.patch);
  const files = new Map(base.files);
  const created = Object.entries(options.patch).some(([path, text]) => text !== null && !base.files.has(path));
  for (const [path, text] of Object.entries(options.patch)) {
    const language = detectLanguage(path);
    if (text === null || language === null) {
      files.delete(path);
      continue;
    }
    files.set(path, indexText({ projectRoot: base.projectRoot, path, text, language, overlay }));
  }
  // A created or deleted file can change what other files' imports resolve to; re-resolve the unresolved ones and
  // those that pointed at a deleted file (cheap: only those imports).
  const deleted = new Set(
    Object.entries(options.patch)
      .filter(([, text]) => text === null)
      .map(([path]) => path),
  );
  if (created || deleted.size > 0) {
    for (const [path, file] of files) {
      if (path in options.patch) continue;
      const stale = file.imports.some((entry) => entry.target === null || deleted.has(entry.target));
      if (!stale) continue;
      files.set(path, {
        ...file,
        imports: file.imports.map((entry) =>
          entry.target === null || deleted.has(entry.target)
            ? {
                ...entry,
                target: (() => {
                  const resolved = resolveImport({
                    projectRoot: base.projectRoot,
                    fromFile: path,
                    specifier: entry.specifier,
                    overlay,
                    kind: entry.kind,
                    typeOnly: entry.typeOnly,
                  });
                  return resolved.kind === 'project' ? resolved.file : null;
                })(),
              }
            : entry,
        ),
      });
    }
  }
  return makeIndex({ projectRoot: base.projectRoot, files, stats: base.stats, maxFileBytes: base.maxFileBytes });
}

function indexText(options: {
  projectRoot: string;
  path: string;
  text: string;
  language: Language;
  overlay: Overlay;
}): IndexedFile {
  return {
    path: options.path,
    language: options.language,
    hash: sha256(options.text),
    size: Buffer.byteLength(options.text),
    symbols: extractSymbols({ language: options.language, path: options.path, text: options.text }),
    imports: resolveAll(options),
  };
}

async function hasStateDir(projectRoot: string): Promise<boolean> {
  return (await stat(join(projectRoot, '.kode')).catch(() => undefined))?.isDirectory() === true;
}

/** Builds or refreshes the index of a project. */
export async function openIndex(options: OpenIndexOptions): Promise<ProjectIndex> {
  const { projectRoot } = options;
  const maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
  const persist = options.persist ?? (await hasStateDir(projectRoot));
  const paths = await listSourceFiles(projectRoot);
  const cache = await readIndexCache(projectRoot);
  const key = await resolutionKey(projectRoot, paths);
  const resolutionsReused = cache !== undefined && cache.resolutionKey === key;
  const files = new Map<string, IndexedFile>();
  const cachedFiles = new Map<string, CachedFile>();
  const emptyOverlay = createOverlay({});
  let parsed = 0;
  const resolvedNow = new Set<string>();
  for (const path of paths) {
    const language = detectLanguage(path);
    if (language === null) continue;
    const absolute = join(projectRoot, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile() || info.size > maxFileBytes) continue;
    const previous = cache?.files[path];
    // Unchanged size and mtime: the content hash is the cached one, and the file is not read at all.
    let entry: CachedFile | undefined =
      previous !== undefined && previous.size === info.size && previous.mtimeMs === info.mtimeMs ? previous : undefined;
    if (entry === undefined) {
      const bytes = await readFile(absolute);
      if (bytes.subarray(0, 8192).includes(0)) continue;
      const hash = sha256(bytes);
      if (previous !== undefined && previous.hash === hash) {
        entry = { ...previous, size: info.size, mtimeMs: info.mtimeMs };
      } else {
        const text = bytes.toString('utf8');
        const indexed = indexText({ projectRoot, path, text, language, overlay: emptyOverlay });
        parsed += 1;
        resolvedNow.add(path);
        entry = { ...indexed, mtimeMs: info.mtimeMs };
      }
    }
    cachedFiles.set(path, entry);
  }
  // Resolutions of reused entries are stale when the file set or a manifest changed: redo those (not the parse).
  for (const [path, entry] of cachedFiles) {
    if (!resolutionsReused && !resolvedNow.has(path)) {
      const text = await readFile(join(projectRoot, path), 'utf8');
      cachedFiles.set(path, {
        ...entry,
        imports: resolveAll({ projectRoot, path, text, language: entry.language, overlay: emptyOverlay }),
      });
    }
    const final = cachedFiles.get(path) ?? entry;
    files.set(path, {
      path,
      language: final.language,
      hash: final.hash,
      size: final.size,
      symbols: final.symbols,
      imports: final.imports,
    });
  }
  // Nothing parsed, nothing re-resolved, no file added or removed: the cache on disk is already this index.
  const unchanged =
    resolutionsReused &&
    parsed === 0 &&
    cache !== undefined &&
    Object.keys(cache.files).length === cachedFiles.size &&
    [...cachedFiles].every(([path, entry]) => cache.files[path] === entry);
  if (persist && !unchanged) {
    await writeIndexCache(projectRoot, {
      resolutionKey: key,
      files: Object.fromEntries(cachedFiles),
    }).catch(() => undefined);
  }
  return makeIndex({
    projectRoot,
    files,
    stats: { files: files.size, parsed, resolutionsReused },
    maxFileBytes,
  });
}

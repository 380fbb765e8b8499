// .kode/cache/index-v1.json: the index's per-file results keyed by path, valid while the content hash matches, plus
// the key of the project state the import resolutions were computed in. Written atomically; a missing, corrupt or
// foreign-version cache is simply rebuilt.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SYMBOLS_FORMAT } from '@kode/lang';
import type { FileSymbols, Language } from '@kode/lang';
import writeFileAtomic from 'write-file-atomic';
import type { IndexedImport } from './project-index.js';

export const INDEX_CACHE_VERSION = 1;

export interface CachedFile {
  readonly path: string;
  readonly language: Language;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly symbols: FileSymbols;
  readonly imports: readonly IndexedImport[];
}

export interface IndexCache {
  readonly resolutionKey: string;
  readonly files: Readonly<Record<string, CachedFile>>;
}

export function indexCachePath(projectRoot: string): string {
  return join(projectRoot, '.kode', 'cache', `index-v${INDEX_CACHE_VERSION}.json`);
}

type StoredSymbols = Omit<FileSymbols, 'exports'> & { exports?: FileSymbols['exports']; exportNames?: string[] };

/** Exports are usually declarations too: store those by name (the cache is read on every run; half its size was this). */
function compact(symbols: FileSymbols): StoredSymbols {
  const declarations = new Map(symbols.declarations.map((declaration) => [declaration.name, declaration]));
  const byName = symbols.exports.every((declaration) => {
    const twin = declarations.get(declaration.name);
    return twin === declaration || JSON.stringify(twin) === JSON.stringify(declaration);
  });
  if (!byName) return symbols;
  const { exports, ...rest } = symbols;
  return { ...rest, exportNames: exports.map((declaration) => declaration.name) };
}

function expand(stored: StoredSymbols): FileSymbols {
  if (stored.exportNames === undefined) return stored as FileSymbols;
  const { exportNames, ...rest } = stored;
  const declarations = new Map(rest.declarations.map((declaration) => [declaration.name, declaration]));
  return {
    ...rest,
    exports: exportNames.flatMap((name) => {
      const declaration = declarations.get(name);
      return declaration === undefined ? [] : [declaration];
    }),
  };
}

export async function readIndexCache(projectRoot: string): Promise<IndexCache | undefined> {
  try {
    const parsed = JSON.parse(await readFile(indexCachePath(projectRoot), 'utf8')) as {
      version?: unknown;
      symbolsFormat?: unknown;
      resolutionKey?: unknown;
      files?: unknown;
    };
    // A cache written by another extractor format holds symbols this version would not produce: rebuild.
    if (parsed.version !== INDEX_CACHE_VERSION || parsed.symbolsFormat !== SYMBOLS_FORMAT) return undefined;
    if (typeof parsed.resolutionKey !== 'string') return undefined;
    if (typeof parsed.files !== 'object' || parsed.files === null) return undefined;
    const files: Record<string, CachedFile> = {};
    for (const [path, entry] of Object.entries(
      parsed.files as Record<string, CachedFile & { symbols: StoredSymbols }>,
    )) {
      files[path] = { ...entry, symbols: expand(entry.symbols) };
    }
    return { resolutionKey: parsed.resolutionKey, files };
  } catch {
    return undefined;
  }
}

export async function writeIndexCache(projectRoot: string, cache: IndexCache): Promise<void> {
  const path = indexCachePath(projectRoot);
  await mkdir(join(projectRoot, '.kode', 'cache'), { recursive: true });
  const files = Object.fromEntries(
    Object.entries(cache.files).map(([key, entry]) => [key, { ...entry, symbols: compact(entry.symbols) }]),
  );
  const document = {
    version: INDEX_CACHE_VERSION,
    symbolsFormat: SYMBOLS_FORMAT,
    resolutionKey: cache.resolutionKey,
    files,
  };
  await writeFileAtomic(path, JSON.stringify(document));
}

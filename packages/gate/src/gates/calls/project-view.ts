// The calls gate's view of the project as the patch leaves it: symbols of any project file (parsed on demand and
// memoised for one verification), import resolution, and directory listings (Go packages). The repository index
// (@kode/context) can stand behind the same interface; this direct one reads the disk through the overlay.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { detectLanguage, extractSymbols, parseSource, resolveImport, resolveImportEdges } from '@kode/lang';
import type { FileSymbols, ImportEdge, ImportKind, Overlay, ResolveResult } from '@kode/lang';

export interface ProjectView {
  readonly projectRoot: string;
  readonly overlay: Overlay;
  /** Symbols of a project file (project-relative path); undefined when missing, unreadable or not a source file. */
  symbolsOf(path: string): FileSymbols | undefined;
  /** Resolves an import of `fromFile` (project-relative). */
  resolve(fromFile: string, options: { specifier: string; kind: ImportKind; typeOnly?: boolean }): ResolveResult;
  /** Files directly in a project directory ('' = root), as the patch leaves it, sorted. */
  filesIn(directory: string): string[];
  /** A file's imports with the project file each resolves to (null: external, built-in, unresolved). */
  importsOf(path: string): readonly ResolvedImport[];
}

export type ResolvedImport = ImportEdge;

/** Above this a file is not parsed for symbols: generated bundles say nothing useful and cost a lot. */
const MAX_SYMBOL_FILE_BYTES = 1024 * 1024;

export function createProjectView(options: { projectRoot: string; overlay: Overlay }): ProjectView {
  const { projectRoot, overlay } = options;
  const symbols = new Map<string, FileSymbols | undefined>();
  const resolutions = new Map<string, ResolveResult>();
  const listings = new Map<string, string[]>();
  const importLists = new Map<string, readonly ResolvedImport[]>();
  const textOf = (path: string): string | undefined => {
    const overlaid = overlay.read(path);
    if (overlaid === null) return undefined;
    if (overlaid !== undefined) return overlaid;
    try {
      const absolute = join(projectRoot, path);
      if (statSync(absolute).size > MAX_SYMBOL_FILE_BYTES) return undefined;
      return readFileSync(absolute, 'utf8');
    } catch {
      return undefined;
    }
  };
  const view: ProjectView = {
    projectRoot,
    overlay,
    symbolsOf(path) {
      if (symbols.has(path)) return symbols.get(path);
      const language = detectLanguage(path);
      const text = language === null ? undefined : textOf(path);
      const result =
        language === null || text === undefined || text.length > MAX_SYMBOL_FILE_BYTES
          ? undefined
          : extractSymbols({ language, path, text });
      symbols.set(path, result);
      return result;
    },
    resolve(fromFile, request) {
      const key = `${fromFile}\u0000${request.kind}\u0000${request.typeOnly === true ? 't' : ''}\u0000${request.specifier}`;
      let result = resolutions.get(key);
      if (result === undefined) {
        result = resolveImport({
          projectRoot,
          fromFile,
          specifier: request.specifier,
          overlay,
          kind: request.kind,
          ...(request.typeOnly === undefined ? {} : { typeOnly: request.typeOnly }),
        });
        resolutions.set(key, result);
      }
      return result;
    },
    importsOf(path) {
      let list = importLists.get(path);
      if (list === undefined) {
        const language = detectLanguage(path);
        const text = language === null ? undefined : textOf(path);
        list =
          language === null || text === undefined
            ? []
            : resolveImportEdges({
                imports: parseSource({ language, path, text }).imports.filter((record) => record.optional !== true),
                resolve: (request) => view.resolve(path, request),
              });
        importLists.set(path, list);
      }
      return list;
    },
    filesIn(directory) {
      const normalized = directory === '.' ? '' : directory.replace(/\/+$/u, '');
      let listing = listings.get(normalized);
      if (listing === undefined) {
        const names = new Set<string>();
        try {
          for (const entry of readdirSync(join(projectRoot, normalized), { withFileTypes: true })) {
            if (entry.isFile()) names.add(normalized === '' ? entry.name : `${normalized}/${entry.name}`);
          }
        } catch {
          // A directory the patch creates exists only in the overlay.
        }
        for (const path of overlay.paths()) {
          if (posix.dirname(path) !== (normalized === '' ? '.' : normalized)) continue;
          if (overlay.read(path) === null) names.delete(path);
          else names.add(path);
        }
        listing = [...names].sort();
        listings.set(normalized, listing);
      }
      return listing;
    },
  };
  return view;
}

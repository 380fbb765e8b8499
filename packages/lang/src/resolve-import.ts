import path from 'node:path';
import { detectLanguage } from './detect-language.js';
import type { Overlay } from './overlay.js';
import { createProjectFileSystem } from './overlay.js';
import { resolveGoImport } from './go/resolve.js';
import { resolvePythonImport } from './python/resolve.js';
import { resolveRustImport } from './rust/resolve.js';
import { resolveTypeScriptImport } from './typescript/resolve.js';
import type { ImportKind, ResolveResult } from './types.js';

export interface ResolveImportOptions {
  readonly projectRoot: string;
  /** The importing file, project-relative (`/` separators) or absolute. Its extension selects the language. */
  readonly fromFile: string;
  /** `ImportRecord.specifier` as produced by `parseSource`. */
  readonly specifier: string;
  readonly overlay: Overlay;
  /** TS/JS: the import is type-only, so an installed `@types/*` package is enough. */
  readonly typeOnly?: boolean;
  /** `ImportRecord.kind`: Rust judges `extern crate x` (which declares x) differently from `use x::y`. */
  readonly kind?: ImportKind;
}

/**
 * Resolves one import against the project as the patch would leave it. `unresolved` is a definite failure with a
 * reason naming the import; `unknown` means the front end cannot decide and must not produce a finding.
 */
export function resolveImport(options: ResolveImportOptions): ResolveResult {
  const projectRoot = path.resolve(options.projectRoot);
  const fromFile = path.resolve(projectRoot, options.fromFile);
  const fileSystem = createProjectFileSystem(projectRoot, options.overlay);
  const language = detectLanguage(fromFile);
  switch (language) {
    case 'typescript':
    case 'javascript':
      return resolveTypeScriptImport({
        fileSystem,
        fromFile,
        specifier: options.specifier,
        ...(options.typeOnly === undefined ? {} : { typeOnly: options.typeOnly }),
      });
    case 'python':
      return resolvePythonImport({ fileSystem, fromFile, specifier: options.specifier });
    case 'rust':
      return resolveRustImport({
        fileSystem,
        fromFile,
        specifier: options.specifier,
        externCrate: options.kind === 'rust-extern-crate',
      });
    case 'go':
      return resolveGoImport({ fileSystem, fromFile, specifier: options.specifier });
    case null:
      return { kind: 'unknown', reason: `no import resolver for ${path.basename(fromFile)}` };
  }
}

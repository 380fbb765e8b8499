import type { Language } from './types.js';

const LANGUAGE_BY_EXTENSION: ReadonlyMap<string, Language> = new Map([
  ['.ts', 'typescript'],
  ['.tsx', 'typescript'],
  ['.mts', 'typescript'],
  ['.cts', 'typescript'],
  ['.js', 'javascript'],
  ['.jsx', 'javascript'],
  ['.mjs', 'javascript'],
  ['.cjs', 'javascript'],
  ['.py', 'python'],
  ['.pyi', 'python'],
  ['.rs', 'rust'],
  ['.go', 'go'],
]);

/** The language of a file by its extension (`.d.ts` is TypeScript), or null when Kode has no front end for it. */
export function detectLanguage(path: string): Language | null {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return LANGUAGE_BY_EXTENSION.get(base.slice(dot).toLowerCase()) ?? null;
}

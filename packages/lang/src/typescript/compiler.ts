// TypeScript ships as one 9 MB CommonJS file. Importing it from ESM makes Node run its CommonJS export
// lexer over the whole file (~300 ms, measured in bench/verify.bench.ts); loading it as CommonJS skips that, and
// load-typescript.ts adds a V8 code cache. Types come from the normal type-only import.
import type * as TypeScript from 'typescript';
import { loadTypeScript } from './load-typescript.js';

export type { TypeScript };
export const ts: typeof TypeScript = loadTypeScript().ts;

// The last SourceFile built, for the same reason as tree-sitter's last tree (parsers.ts): `syntax` and `security` read
// the same post-image, and TypeScript's parse of a 1 MB file takes most of a second.
let lastSourceFile:
  { readonly path: string; readonly text: string; readonly sourceFile: TypeScript.SourceFile } | undefined;

/** `ts.createSourceFile` with parent pointers and the script kind of the path, reusing the last identical request. */
export function createSourceFile(path: string, text: string, scriptKind: TypeScript.ScriptKind): TypeScript.SourceFile {
  if (lastSourceFile !== undefined && lastSourceFile.path === path && lastSourceFile.text === text) {
    return lastSourceFile.sourceFile;
  }
  const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind);
  lastSourceFile = { path, text, sourceFile };
  return sourceFile;
}

// The raw syntax tree of one file, for analyses that walk code rather than read ParsedFile summaries (the security
// gate's dangerous-code rules). TS/JS come back as a TypeScript SourceFile (with the compiler module, so callers need
// no TypeScript import of their own); Python, Rust and Go as a tree-sitter root node. Offsets are UTF-16 indices into
// `text` in both cases: grammar-gap neutralisation keeps every length.
import { neutralizePythonGaps, neutralizeRustGaps } from './tree-sitter/grammar-gaps.js';
import type { ParseLimits, SyntaxNode } from './tree-sitter/parsers.js';
import { parseTree } from './tree-sitter/parsers.js';
import { createSourceFile, ts } from './typescript/compiler.js';
import type { TypeScript } from './typescript/compiler.js';
import { scriptKindFor } from './typescript/parse.js';
import type { Language } from './types.js';

export type SyntaxTree =
  | {
      readonly kind: 'typescript';
      readonly language: 'typescript' | 'javascript';
      readonly sourceFile: TypeScript.SourceFile;
      readonly ts: typeof TypeScript;
    }
  | { readonly kind: 'tree-sitter'; readonly language: 'python' | 'rust' | 'go'; readonly root: SyntaxNode };

/** The syntax tree of `text`, or null when a tree-sitter parse runs out of budget (the caller must fail closed). */
export function syntaxTree(
  options: { readonly language: Language; readonly path: string; readonly text: string } & ParseLimits,
): SyntaxTree | null {
  const { language, path, text } = options;
  switch (language) {
    case 'typescript':
    case 'javascript':
      return {
        kind: 'typescript',
        language,
        sourceFile: createSourceFile(path, text, scriptKindFor(path)),
        ts,
      };
    case 'python':
    case 'rust':
    case 'go': {
      const source =
        language === 'python' ? neutralizePythonGaps(text) : language === 'rust' ? neutralizeRustGaps(text) : text;
      const tree = parseTree(language, source, options);
      return tree === null ? null : { kind: 'tree-sitter', language, root: tree.rootNode };
    }
  }
}

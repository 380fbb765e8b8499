// The floor of "just parsing" for the verify benchmark: the same post-image parsed by the same parsers @kode/lang uses
// (TypeScript's createSourceFile; native tree-sitter for Python, Rust and Go), with nothing else.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { WORKSPACE_ROOT } from './lib.js';
import type { BenchLanguage } from './verify-corpus.js';

// tree-sitter is a dependency of @kode/lang, not of the workspace root: resolve it from that package.
const requireFromLang = createRequire(join(WORKSPACE_ROOT, 'packages', 'lang', 'package.json'));

/** The slice of tree-sitter's API the floor needs (its types are not visible from the workspace root). */
interface TreeSitterParser {
  setLanguage(language: unknown): void;
  parse(input: string): { readonly rootNode: { readonly hasError: boolean } };
}

const GRAMMARS: Readonly<Record<Exclude<BenchLanguage, 'typescript'>, string>> = {
  python: 'tree-sitter-python',
  rust: 'tree-sitter-rust',
  go: 'tree-sitter-go',
};

const parsers = new Map<BenchLanguage, TreeSitterParser>();

function treeSitter(language: Exclude<BenchLanguage, 'typescript'>): TreeSitterParser {
  let parser = parsers.get(language);
  if (parser === undefined) {
    const ParserClass = requireFromLang('tree-sitter') as new () => TreeSitterParser;
    parser = new ParserClass();
    parser.setLanguage(requireFromLang(GRAMMARS[language]));
    parsers.set(language, parser);
  }
  return parser;
}

/** Milliseconds to parse `text` once; throws if the generated file does not parse clean. */
export function parseFloor(language: BenchLanguage, path: string, text: string): number {
  if (language === 'typescript') {
    const started = performance.now();
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const elapsed = performance.now() - started;
    const diagnostics = (source as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics ?? [];
    if (diagnostics.length > 0) throw new Error(`${path} does not parse: ${diagnostics.length} diagnostic(s)`);
    return elapsed;
  }
  const parser = treeSitter(language);
  const started = performance.now();
  const tree = parser.parse(text);
  const elapsed = performance.now() - started;
  if (tree.rootNode.hasError) throw new Error(`${path} does not parse clean with ${GRAMMARS[language]}`);
  return elapsed;
}

import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';

export type TreeSitterLanguage = 'python' | 'rust' | 'go';
export type SyntaxNode = Parser.SyntaxNode;

// tree-sitter and its grammars are CommonJS native addons; createRequire loads them from ESM without interop guesses.
const require = createRequire(import.meta.url);

const GRAMMAR_MODULES: Readonly<Record<TreeSitterLanguage, string>> = {
  python: 'tree-sitter-python',
  rust: 'tree-sitter-rust',
  go: 'tree-sitter-go',
};

const parsers = new Map<TreeSitterLanguage, Parser>();

/** One parser per language, created on first use and reused: creating one costs far more than a small parse. */
function parserFor(language: TreeSitterLanguage): Parser {
  let parser = parsers.get(language);
  if (parser === undefined) {
    const ParserClass = require('tree-sitter') as typeof Parser;
    parser = new ParserClass();
    parser.setLanguage(require(GRAMMAR_MODULES[language]) as Parser.Language);
    parsers.set(language, parser);
  }
  return parser;
}

export const DEFAULT_TIME_BUDGET_MS = 5_000;

/** Thrown by a deadline check when the walk after a parse outlives the budget; parseSource turns it into incomplete. */
export class ParseBudgetExceededError extends Error {
  constructor() {
    super('parse budget exceeded');
    this.name = 'ParseBudgetExceededError';
  }
}

/**
 * A check to call inside tree walks: the parse itself stops at the budget (progress callback), but walking a huge tree
 * through the binding costs about as much again, so the walk shares the budget. Reads the clock every 512 calls, or
 * at once with `now` (after a native search over the whole tree).
 */
export function deadlineCheck(limits: ParseLimits): (now?: boolean) => void {
  const deadline = Date.now() + (limits.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  let calls = 0;
  return (now = false) => {
    calls += 1;
    if (!now && (calls & 511) !== 0) return;
    if (Date.now() > deadline || limits.signal?.aborted === true) throw new ParseBudgetExceededError();
  };
}
/**
 * What each node passes on to its descendants (an import guard, an inline module path...), computed from its parent's
 * with `step` and memoised per node, so a search that returns only the nodes of interest reads each ancestor once.
 * `top` is what the root inherits.
 */
export function ancestorScopes<S>(top: S, step: (node: SyntaxNode, outer: S) => S): (node: SyntaxNode | null) => S {
  const memo = new Map<number, S>();
  const scopeOf = (node: SyntaxNode | null): S => {
    if (node === null) return top;
    let scope = memo.get(node.id);
    if (scope === undefined) {
      scope = step(node, scopeOf(node.parent));
      memo.set(node.id, scope);
    }
    return scope;
  };
  return scopeOf;
}

const CHUNK_SIZE = 64 * 1024;

export interface ParseLimits {
  /** Stop parsing after this many milliseconds (default 5 s); the result is then `null` (cannot decide). */
  readonly timeBudgetMs?: number;
  readonly signal?: AbortSignal;
}

// The last tree per language: the gate parses a file's post-image for `syntax` and again for `security`'s rules; the
// second request gets the same tree instead of a second parse (a 1 MB file must fit both gates' 2 s budgets).
const lastTrees = new Map<TreeSitterLanguage, { readonly text: string; readonly tree: Parser.Tree }>();

/** Parses text, or returns null when the budget runs out or the signal aborts. */
export function parseTree(language: TreeSitterLanguage, text: string, limits: ParseLimits = {}): Parser.Tree | null {
  const last = lastTrees.get(language);
  if (last !== undefined && last.text === text) return last.tree;
  const tree = parseUncached(language, text, limits);
  if (tree !== null) lastTrees.set(language, { text, tree });
  return tree;
}

function parseUncached(language: TreeSitterLanguage, text: string, limits: ParseLimits): Parser.Tree | null {
  const parser = parserFor(language);
  const deadline = Date.now() + (limits.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const signal = limits.signal;
  // Indices passed to the input callback are UTF-16 offsets in this binding, so slicing the string is exact.
  const input = (index: number): string => text.slice(index, index + CHUNK_SIZE);
  try {
    const tree = parser.parse(input, null, {
      progressCallback: () => Date.now() > deadline || (signal?.aborted ?? false),
    });
    // Typed as Tree, but a parse halted by the progress callback returns null.
    const result: Parser.Tree | null = tree;
    return result;
  } catch {
    return null;
  } finally {
    // A halted parse would otherwise resume on the next call.
    parser.reset();
  }
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Maps UTF-16 offsets to 1-based line and column. */
export function createPositionMapper(text: string): (offset: number) => Position {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
}

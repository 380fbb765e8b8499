import { parseGo } from './go/parse.js';
import { parsePython } from './python/parse.js';
import { parseRust } from './rust/parse.js';
import { parseTypeScript } from './typescript/parse.js';
import type { ParseLimits } from './tree-sitter/parsers.js';
import type { Language, ParsedFile } from './types.js';

export interface ParseSourceOptions extends ParseLimits {
  readonly language: Language;
  /** Used for the script kind (TS/JS) and in nothing else: the text is never read from disk. */
  readonly path: string;
  readonly text: string;
}

/**
 * The last complete results (an incomplete one depends on the budget): the gates of one verification parse the same
 * post-image several times (syntax, imports, the project view of calls and architecture).
 */
const RECENT: { language: Language; path: string; text: string; result: ParsedFile }[] = [];
const RECENT_SIZE = 4;

/**
 * Parses one file: syntax diagnostics, imports and definitions. Never throws for bad input. Tree-sitter languages stop
 * at the time budget (default 5 s, or when `signal` aborts) and then return `incomplete: true` with no diagnostics;
 * the TypeScript parser is linear in the input (about 0.3 s per MB) and is not interruptible.
 */
export function parseSource(options: ParseSourceOptions): ParsedFile {
  const known = RECENT.find(
    // The text last: two different texts of the same length compare character by character.
    (entry) => entry.path === options.path && entry.language === options.language && entry.text === options.text,
  );
  if (known !== undefined) return known.result;
  try {
    const result = parseByLanguage(options);
    if (!result.incomplete) {
      RECENT.unshift({ language: options.language, path: options.path, text: options.text, result });
      RECENT.length = Math.min(RECENT.length, RECENT_SIZE);
    }
    return result;
  } catch {
    // Pathologically deep nesting overflows the parsers' recursion (TypeScript's parser, our tree walks): we cannot
    // decide, so we say nothing rather than fail the file.
    return { language: options.language, diagnostics: [], imports: [], definitions: [], incomplete: true };
  }
}

function parseByLanguage(options: ParseSourceOptions): ParsedFile {
  switch (options.language) {
    case 'typescript':
    case 'javascript':
      return parseTypeScript(options);
    case 'python':
      return parsePython(options);
    case 'rust':
      return parseRust(options);
    case 'go':
      return parseGo(options);
  }
}

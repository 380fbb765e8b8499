// extractSymbols(): one file's exports, declarations, imports, re-exports and references (see types.ts).
import { extractGoSymbols } from '../go/symbols.js';
import { extractPythonSymbols } from '../python/symbols.js';
import { extractRustSymbols } from '../rust/symbols.js';
import { extractTypeScriptSymbols } from '../typescript/symbols.js';
import type { Language } from '../types.js';
import type { FileSymbols } from './types.js';
import { EMPTY_SYMBOLS } from './types.js';

export interface ExtractSymbolsOptions {
  readonly language: Language;
  /** Project-relative path (its extension matters for TS/JS). */
  readonly path: string;
  readonly text: string;
}

export function extractSymbols(options: ExtractSymbolsOptions): FileSymbols {
  try {
    switch (options.language) {
      case 'typescript':
      case 'javascript':
        return extractTypeScriptSymbols(options);
      case 'python':
        return extractPythonSymbols(options);
      case 'rust':
        return extractRustSymbols(options);
      case 'go':
        return extractGoSymbols(options);
    }
  } catch {
    // A front end that cannot read the file says nothing about it (G9).
    return EMPTY_SYMBOLS(options.language);
  }
}

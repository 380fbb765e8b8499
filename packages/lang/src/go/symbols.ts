// Go front end of extractSymbols (see ../symbols/types.ts).
import type { ExtractSymbolsOptions } from '../symbols/extract.js';
import type { FileSymbols } from '../symbols/types.js';
import { EMPTY_SYMBOLS } from '../symbols/types.js';

export function extractGoSymbols(options: ExtractSymbolsOptions): FileSymbols {
  return EMPTY_SYMBOLS(options.language);
}

// TypeScript ships as one 9 MB CommonJS file. Importing it from ESM makes Node run its CommonJS export
// lexer over the whole file (~300 ms, measured in bench/verify.bench.ts); require() skips that, which is
// most of `kode verify`'s start-up. Types come from the normal type-only import.
import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';

const require = createRequire(import.meta.url);

export type { TypeScript };
export const ts = require('typescript') as typeof TypeScript;

import { createRequire } from 'node:module';
import { deepFreeze } from './defaults.js';

// schema.json sits at the package root so it can be exported as `@kode/config/schema.json`; the
// relative path is the same from src/ (tests) and dist/ (published), so one require serves both.
const require = createRequire(import.meta.url);

/** The JSON schema (draft-07) of `.kode/kode.json`, as shipped in `@kode/config/schema.json`. */
export const configSchema: Readonly<Record<string, unknown>> = deepFreeze(
  require('../schema.json') as Record<string, unknown>,
);

/** The bytes `kode init` writes to `.kode/kode.schema.json`: 2-space JSON and a final newline. */
export function schemaFileContent(): string {
  return `${JSON.stringify(configSchema, null, 2)}\n`;
}

// In-place edits of .kode/kode.json for `kode providers login`: parse, set a few fields, write back with
// JSON.stringify(…, null, 2) + "\n" atomically. Other fields and the key order are kept because setting
// an existing key on a parsed object keeps its position; new keys go last, as a person would add them.
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';

export interface ConfigFieldUpdate {
  /** Object keys from the root, e.g. `['providers', 'primary']`. */
  readonly path: readonly string[];
  readonly value: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies updates to a parsed JSON document (objects are created along the way). */
export function applyConfigUpdates(document: Record<string, unknown>, updates: readonly ConfigFieldUpdate[]): void {
  for (const update of updates) {
    let node = document;
    for (const key of update.path.slice(0, -1)) {
      const child = node[key];
      if (!isObject(child)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const last = update.path[update.path.length - 1];
    if (last !== undefined) node[last] = update.value;
  }
}

/** Rewrites a kode.json with the updates applied. Throws when the file is not a JSON object. */
export async function updateProjectConfigFile(options: {
  file: string;
  updates: readonly ConfigFieldUpdate[];
}): Promise<void> {
  const document: unknown = JSON.parse(await readFile(options.file, 'utf8'));
  if (!isObject(document)) throw new Error(`${options.file} does not hold a JSON object`);
  applyConfigUpdates(document, options.updates);
  await writeFileAtomic(options.file, `${JSON.stringify(document, null, 2)}\n`);
}

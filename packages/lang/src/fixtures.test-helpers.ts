import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearResolutionCache } from './project-cache.js';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/', import.meta.url));

export interface TempProject {
  readonly root: string;
  write(files: Readonly<Record<string, string>>): void;
  read(relativePath: string): string;
  cleanup(): void;
}

/** A temp copy of test/fixtures/<name> (or an empty project when name is undefined). */
export function tempProject(name?: string): TempProject {
  const root = mkdtempSync(path.join(os.tmpdir(), `kode-lang-${name ?? 'empty'}-`));
  if (name !== undefined) cpSync(path.join(FIXTURES, name), root, { recursive: true });
  return {
    root,
    write(files) {
      for (const [relative, content] of Object.entries(files)) {
        const file = path.join(root, relative);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    },
    read(relativePath) {
      return readFileSync(path.join(root, relativePath), 'utf8');
    },
    cleanup() {
      clearResolutionCache(root);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

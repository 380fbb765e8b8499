// Each load runs in its own process: within one V8 isolate a second compile of the same source is served from V8's
// in-memory compilation cache, which would hide what the on-disk code cache does.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCacheDirectory } from './load-typescript.js';

const directory = mkdtempSync(join(tmpdir(), 'kode-ts-cache-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const built = fileURLToPath(new URL('../../dist/typescript/load-typescript.js', import.meta.url));

/** Loads TypeScript in a fresh process; returns how it was loaded and whether the result parses. */
function loadInProcess(cacheDirectory: string, env: Record<string, string> = {}): string {
  const script = [
    `import { loadTypeScript } from ${JSON.stringify(built)};`,
    `const { ts, source } = loadTypeScript({ cacheDirectory: ${JSON.stringify(cacheDirectory)} });`,
    "const file = ts.createSourceFile('a.ts', 'export const x: number = 1;', ts.ScriptTarget.Latest);",
    'console.log(`${source} ${file.statements.length}`);',
  ].join('\n');
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: directory, ...env },
  }).trim();
}

describe('loadTypeScript', () => {
  it('compiles and writes a code cache, then loads from it; a corrupt cache is rejected and rewritten', () => {
    const cacheDirectory = join(directory, 'cache');
    expect(loadInProcess(cacheDirectory)).toBe('compiled 1');
    const [cacheFile] = readdirSync(cacheDirectory);
    expect(cacheFile).toMatch(/^typescript-[\d.]+-v8-.+\.cache$/);
    expect(loadInProcess(cacheDirectory)).toBe('cache 1');
    writeFileSync(join(cacheDirectory, cacheFile ?? ''), 'not a V8 code cache');
    expect(loadInProcess(cacheDirectory)).toBe('compiled 1');
    expect(loadInProcess(cacheDirectory)).toBe('cache 1');
  });

  it('is off with KODE_NO_COMPILE_CACHE=1, and still loads when the cache cannot be written', () => {
    const off = join(directory, 'off');
    expect(loadInProcess(off, { KODE_NO_COMPILE_CACHE: '1' })).toBe('require 1');
    const blocker = join(directory, 'not-a-directory');
    writeFileSync(blocker, '');
    chmodSync(blocker, 0o400);
    expect(loadInProcess(join(blocker, 'cache'))).toBe('compiled 1');
    expect(loadInProcess(join(blocker, 'cache'))).toBe('compiled 1');
  });

  it('puts the cache in the per-user cache directory of each platform', () => {
    expect(compileCacheDirectory({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, 'linux')).toBe('/x/cache/kode');
    expect(compileCacheDirectory({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }, 'linux')).toBe('/home/u/.cache/kode');
    expect(compileCacheDirectory({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Caches/kode');
  });
});

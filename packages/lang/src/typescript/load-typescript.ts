// Loading TypeScript is most of `kode verify`'s start-up: one 9 MB CommonJS file that V8 must read and compile on every
// run (~400 ms on the 2-core build machine, bench/verify.bench.ts). Node 22 can cache compiled code
// (module.enableCompileCache); Node 20 cannot, so we do what it does for this one file: compile it with vm.Script and a
// V8 code cache kept in the user's cache directory. V8 checks the cache against the source and its own version and
// flags and rejects a stale or foreign one (we then compile normally and rewrite it), so the worst case is a normal
// load. KODE_NO_COMPILE_CACHE=1 turns it off. Measured: ~400 ms -> ~230 ms.
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type * as TypeScript from 'typescript';

const ownRequire = createRequire(import.meta.url);

/** `$XDG_CACHE_HOME/kode` or `~/.cache/kode` (Linux), per-OS equivalents elsewhere. */
export function compileCacheDirectory(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'kode', 'Cache');
  if (platform === 'darwin') return join(env.HOME || homedir(), 'Library', 'Caches', 'kode');
  const cacheHome = env.XDG_CACHE_HOME;
  return join(
    cacheHome !== undefined && cacheHome.startsWith('/') ? cacheHome : join(env.HOME || homedir(), '.cache'),
    'kode',
  );
}

export interface LoadTypeScriptResult {
  readonly ts: typeof TypeScript;
  /** How it was loaded: from the code cache, compiled (and the cache written), or plain require (cache off/failed). */
  readonly source: 'cache' | 'compiled' | 'require';
}

export function loadTypeScript(
  options: { readonly cacheDirectory?: string; readonly env?: Readonly<Record<string, string | undefined>> } = {},
): LoadTypeScriptResult {
  const env = options.env ?? process.env;
  if (env.KODE_NO_COMPILE_CACHE === '1')
    return { ts: ownRequire('typescript') as typeof TypeScript, source: 'require' };
  try {
    const file = ownRequire.resolve('typescript');
    const version = (ownRequire('typescript/package.json') as { version: string }).version;
    const bytes = readFileSync(file);
    // typescript.js is ASCII; `latin1` is then the exact text and makes a one-byte string (faster to decode and
    // compile). Anything else goes through the normal loader.
    if (!isAscii(bytes)) return { ts: ownRequire('typescript') as typeof TypeScript, source: 'require' };
    const text = bytes.toString('latin1');
    const cacheFile = join(
      options.cacheDirectory ?? compileCacheDirectory(env),
      `typescript-${version}-v8-${process.versions.v8}-${process.arch}.cache`,
    );
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    // Compiles the installed typescript.js, exactly what require() would run: not outside input.
    // kode-ignore: js/eval
    const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${text}\n});`, {
      filename: file,
      ...(cachedData === undefined ? {} : { cachedData }),
    });
    const wrapper = script.runInThisContext() as (
      exports: unknown,
      require: NodeJS.Require,
      module: { exports: unknown },
      filename: string,
      directory: string,
    ) => void;
    const module = { exports: {} as unknown };
    wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
    const fromCache = cachedData !== undefined && !script.cachedDataRejected;
    if (!fromCache) writeCache(cacheFile, script);
    return { ts: module.exports as typeof TypeScript, source: fromCache ? 'cache' : 'compiled' };
  } catch {
    return { ts: ownRequire('typescript') as typeof TypeScript, source: 'require' };
  }
}

/** Best effort and atomic (a concurrent reader sees the old file or the new one): a cache is never required. */
function writeCache(cacheFile: string, script: Script): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only home or a full disk only costs the next run its speed-up.
  }
}

// Spawns the real, built `kode` binary and returns its exit code and sanitised output.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KodeRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunKodeOptions {
  readonly cwd: string;
  /** Added to a scrubbed environment (no KODE_* or provider keys from the caller's shell). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Text written to stdin; stdin is closed either way (a non-interactive run). */
  readonly input?: string;
  readonly timeoutMs?: number;
}

const SCRUBBED = /^(KODE_|OPENAI_|ANTHROPIC_|DEEPSEEK_|GEMINI_|GOOGLE_API|OPENROUTER_|NO_COLOR$|FORCE_COLOR$)/;

function workspaceRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('runKode: cannot find the workspace root (pnpm-workspace.yaml)');
    directory = parent;
  }
  return directory;
}

/** Path of the built CLI entry; KODE_BIN overrides it (e.g. to test an installed package). */
export function kodeBinPath(): string {
  return process.env.KODE_BIN ?? join(workspaceRoot(), 'apps', 'cli', 'bin', 'kode.js');
}

let isolatedHome: string | undefined;
function isolatedDirectories(): Record<string, string> {
  // Never let a test read or write the real user's config or state directories.
  isolatedHome ??= mkdtempSync(join(tmpdir(), 'kode-home-'));
  return {
    HOME: isolatedHome,
    XDG_CONFIG_HOME: join(isolatedHome, '.config'),
    XDG_STATE_HOME: join(isolatedHome, '.local', 'state'),
    KODE_CONFIG_DIR: join(isolatedHome, '.config', 'kode'),
  };
}

export function runKode(args: readonly string[], options: RunKodeOptions): Promise<KodeRun> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !SCRUBBED.test(key)) env[key] = value;
  }
  Object.assign(env, isolatedDirectories());
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kodeBinPath(), ...args], { cwd: options.cwd, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

// Test helpers: disposable git repositories, the standard 6-file patch, and byte-for-byte tree capture/compare
// (RELIABILITY §3 "snapshot equality").
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

export const gitEnvironment: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Kode Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Kode Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  // Reading status must not refresh (rewrite) the index: the index bytes are part of the comparison.
  GIT_OPTIONAL_LOCKS: '0',
};

export function git(root: string, args: readonly string[]): string {
  return execFileSync('git', [...args], { cwd: root, env: gitEnvironment, encoding: 'utf8' });
}

export type FixtureFile = string | Buffer | { content: string | Buffer; mode: number } | { symlink: string };

export function makeTempDir(prefix = 'kode-snapshot-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeTempDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

export function writeFixture(root: string, files: Readonly<Record<string, FixtureFile>>): void {
  for (const [path, file] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof file === 'object' && 'symlink' in file) {
      symlinkSync(file.symlink, target);
    } else if (typeof file === 'object' && 'mode' in file) {
      writeFileSync(target, file.content);
      chmodSync(target, file.mode);
    } else {
      writeFileSync(target, file);
      chmodSync(target, 0o644);
    }
  }
}

/** A real git repository with `files` committed. */
export function createGitRepo(files: Readonly<Record<string, FixtureFile>>, root = makeTempDir()): string {
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['config', 'core.autocrlf', 'false']);
  writeFixture(root, files);
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '-m', 'fixture']);
  return root;
}

// ── The standard patch (RELIABILITY §3): modify LF, CRLF and executable files, create in new nested directories,
// delete, rename over an existing file, change a mode. Bytes are Buffers throughout.
export const standardFiles: Readonly<Record<string, FixtureFile>> = {
  'src/lf.ts': 'export const a = 1;\nexport const b = 2;\n',
  'src/crlf.ts': 'line one\r\nline two\r\nline three\r\n',
  'bin/run.sh': { content: '#!/bin/sh\necho run\n', mode: 0o755 },
  'docs/old.md': '# old\n',
  'src/rename-from.ts': 'export const moved = true;\n',
  'src/rename-to.ts': 'export const overwritten = true;\n',
  'scripts/mode.sh': { content: '#!/bin/sh\necho mode\n', mode: 0o644 },
  'assets/binary.bin': Buffer.from([0, 1, 2, 255, 0, 13, 10]),
  'link-to-lf': { symlink: 'src/lf.ts' },
  'README.md': 'untouched\n',
};

export interface SerializedChange {
  readonly path: string;
  readonly content: string | null;
  readonly mode?: number;
  readonly renamedFrom?: string;
}

export const standardChanges: readonly SerializedChange[] = [
  { path: 'src/lf.ts', content: b64('export const a = 1;\nexport const b = 3;\n') },
  { path: 'src/crlf.ts', content: b64('line one\r\nline 2\r\nline three\r\n') },
  { path: 'bin/run.sh', content: b64('#!/bin/sh\necho run fast\n') },
  { path: 'new/deep/nested/file.ts', content: b64('export const created = 1;\n') },
  { path: 'docs/old.md', content: null },
  { path: 'src/rename-to.ts', content: b64('export const moved = true;\n'), renamedFrom: 'src/rename-from.ts' },
  { path: 'scripts/mode.sh', content: b64('#!/bin/sh\necho mode\n'), mode: 0o755 },
];

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

export function decodeChanges(
  changes: readonly SerializedChange[],
): { path: string; content: Uint8Array | null; mode?: number; renamedFrom?: string }[] {
  return changes.map((change) => ({
    ...change,
    content: change.content === null ? null : Buffer.from(change.content, 'base64'),
  }));
}

// ── Tree capture
export type TreeEntry =
  { type: 'file'; mode: number; sha256: string } | { type: 'symlink'; target: string } | { type: 'dir'; mode: number };

export interface TreeCapture {
  readonly entries: ReadonlyMap<string, TreeEntry>;
  readonly index: string;
  readonly status: string;
  /** What is left in `.git/kode` besides an empty journal directory. */
  readonly kodeState: readonly string[];
}

async function walk(root: string, relative: string, entries: Map<string, TreeEntry>): Promise<void> {
  for (const dirent of await readdir(join(root, relative), { withFileTypes: true })) {
    const path = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
    if (path === '.git') continue;
    const full = join(root, path);
    const stats = await lstat(full);
    if (stats.isSymbolicLink()) entries.set(path, { type: 'symlink', target: await readlink(full) });
    else if (stats.isDirectory()) {
      entries.set(path, { type: 'dir', mode: stats.mode & 0o7777 });
      await walk(root, path, entries);
    } else {
      const sha256 = createHash('sha256')
        .update(await readFile(full))
        .digest('hex');
      entries.set(path, { type: 'file', mode: stats.mode & 0o7777, sha256 });
    }
  }
}

async function listKodeState(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (relative: string): Promise<void> => {
    let dirents;
    try {
      dirents = await readdir(join(root, '.git', 'kode', relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const dirent of dirents) {
      const path = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
      if (dirent.isDirectory() && path === 'journal') await visit(path);
      else found.push(path);
    }
  };
  await visit('');
  return found.sort();
}

export async function captureTree(root: string): Promise<TreeCapture> {
  const entries = new Map<string, TreeEntry>();
  await walk(root, '', entries);
  const index = createHash('sha256')
    .update(await readFile(join(root, '.git', 'index')))
    .digest('hex');
  const status = git(root, ['status', '--porcelain=v2', '--untracked-files=all']);
  return { entries, index, status, kodeState: await listKodeState(root) };
}

/** Differences between two captures; empty when equal. `ignoreIndex` for comparisons across repository copies. */
export function compareTrees(
  expected: TreeCapture,
  actual: TreeCapture,
  options: { ignoreIndex?: boolean } = {},
): string[] {
  const problems: string[] = [];
  for (const [path, entry] of expected.entries) {
    const other = actual.entries.get(path);
    if (other === undefined) problems.push(`${path}: missing`);
    else if (JSON.stringify(other) !== JSON.stringify(entry)) {
      problems.push(`${path}: expected ${JSON.stringify(entry)}, got ${JSON.stringify(other)}`);
    }
  }
  for (const path of actual.entries.keys()) {
    if (!expected.entries.has(path)) problems.push(`${path}: unexpected`);
  }
  if (options.ignoreIndex !== true && expected.index !== actual.index) problems.push('.git/index: bytes differ');
  if (expected.status !== actual.status) problems.push(`git status differs:\n${expected.status}---\n${actual.status}`);
  if (actual.kodeState.length > 0) problems.push(`leftover Kode state: ${actual.kodeState.join(', ')}`);
  return problems;
}

// ── The driver child process
export const driverPath = fileURLToPath(new URL('./test-fixtures/driver.mjs', import.meta.url));

export interface DriverResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DriverRun {
  readonly child: ReturnType<typeof spawn>;
  readonly done: Promise<DriverResult>;
  /** Resolves when the driver prints a line starting with `prefix` on stdout. */
  waitFor(line: string): Promise<void>;
}

export function startDriver(options: {
  readonly config: Readonly<Record<string, unknown>>;
  readonly fault?: string;
  readonly wrapper?: readonly string[];
}): DriverRun {
  const env: NodeJS.ProcessEnv = { ...gitEnvironment };
  delete env.KODE_FAULT;
  if (options.fault !== undefined) env.KODE_FAULT = options.fault;
  const command = [...(options.wrapper ?? []), process.execPath, driverPath, JSON.stringify(options.config)];
  const child = spawn(command[0] as string, command.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      if (hasLine(stdout, waiter.line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const done = new Promise<DriverResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    done,
    waitFor: (line) =>
      new Promise<void>((resolve, reject) => {
        if (hasLine(stdout, line)) return resolve();
        waiters.push({ line, resolve });
        void done.then((result) =>
          reject(new Error(`driver exited before printing ${line}: ${JSON.stringify(result)}`)),
        );
      }),
  };
}

function hasLine(output: string, prefix: string): boolean {
  return output.split('\n').some((line, index, lines) => index < lines.length - 1 && line.startsWith(prefix));
}

export function runDriver(options: Parameters<typeof startDriver>[0]): Promise<DriverResult> {
  return startDriver(options).done;
}

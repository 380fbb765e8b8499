// The one path-safety check shared by the gate's pre-check and the transaction code (SPEC §4.2, RELIABILITY §2).
// Judged on the post-patch tree: `postPatchSymlinks` are symlinks the patch creates, `removedPaths` entries the patch
// deletes (so "delete symlink a, then create a/f" is allowed, as in git's t4139).
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { errnoCode } from './errors.js';
import { checkPathSyntax } from './path-names.js';

/** The default of `engine.protected_paths` (SPEC §5.3), used when the caller passes none. */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = [
  '.github/workflows/**',
  '.husky/**',
  '.claude/**',
  '.codex/**',
  '.cursor/**',
];

export interface PathSafetyOptions {
  readonly projectRoot: string;
  /** Project-relative path with `/` separators. */
  readonly path: string;
  /** Globs the path must not match (`engine.protected_paths`); default DEFAULT_PROTECTED_PATHS. */
  readonly protectedPaths?: readonly string[];
  /** Symlinks present in the post-patch tree that are not on disk yet: path -> target. */
  readonly postPatchSymlinks?: ReadonlyMap<string, string>;
  /** Paths the patch deletes: an on-disk symlink deleted by the patch no longer blocks paths below it. */
  readonly removedPaths?: Iterable<string>;
  /** The audit log file (default `<root>/logs/kode.log`); it and its siblings `kode.log*` are protected. */
  readonly auditLogFile?: string;
}

export type PathSafetyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const matcherCache = new Map<string, picomatch.Matcher>();

function protectedMatcher(patterns: readonly string[]): picomatch.Matcher {
  const key = JSON.stringify(patterns);
  let matcher = matcherCache.get(key);
  if (matcher === undefined) {
    // nocase: on case-insensitive filesystems `.GitHub/Workflows/x` is the same file.
    matcher = picomatch([...patterns], { dot: true, nocase: true });
    matcherCache.set(key, matcher);
  }
  return matcher;
}

export function checkPathSafety(options: PathSafetyOptions): PathSafetyResult {
  const path = options.path;
  const syntaxProblem = checkPathSyntax(path);
  if (syntaxProblem !== undefined) return { ok: false, reason: syntaxProblem };
  const quoted = JSON.stringify(path);
  const root = resolve(options.projectRoot);

  // Component-wise containment, never a string prefix: `/app-evil/x` is not inside `/app`.
  const relativeToRoot = relative(root, resolve(root, path));
  if (relativeToRoot === '' || relativeToRoot.split(sep)[0] === '..' || isAbsolute(relativeToRoot)) {
    return { ok: false, reason: `${quoted} escapes the project root` };
  }

  const auditProblem = checkAuditLog(root, path, options.auditLogFile);
  if (auditProblem !== undefined) return { ok: false, reason: auditProblem };

  const patterns = options.protectedPaths ?? DEFAULT_PROTECTED_PATHS;
  const prefixes = componentPrefixes(path);
  if (patterns.length > 0) {
    const matcher = protectedMatcher(patterns);
    if (prefixes.some((prefix) => matcher(prefix))) {
      return { ok: false, reason: `${quoted} is protected by engine.protected_paths` };
    }
  }

  const hooksPath = readHooksPath(root);
  if (hooksPath !== undefined && prefixes.includes(hooksPath)) {
    return { ok: false, reason: `${quoted} is inside the git hooks directory (core.hooksPath)` };
  }
  const submodule = readSubmodulePaths(root).find((submodulePath) => prefixes.includes(submodulePath));
  if (submodule !== undefined) return { ok: false, reason: `${quoted} is inside submodule "${submodule}"` };

  return checkSymlinkComponents({
    root,
    path,
    prefixes,
    postPatchSymlinks: options.postPatchSymlinks,
    removed: new Set(options.removedPaths ?? []),
  });
}

function componentPrefixes(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

function checkSymlinkComponents(options: {
  root: string;
  path: string;
  prefixes: readonly string[];
  postPatchSymlinks: ReadonlyMap<string, string> | undefined;
  removed: ReadonlySet<string>;
}): PathSafetyResult {
  const quoted = JSON.stringify(options.path);
  let onDisk = true;
  for (const [index, prefix] of options.prefixes.entries()) {
    const isLast = index === options.prefixes.length - 1;
    const plannedTarget = options.postPatchSymlinks?.get(prefix);
    if (plannedTarget !== undefined) {
      return {
        ok: false,
        reason: isLast
          ? `${quoted} is a symlink (→ ${plannedTarget}) in the patched tree`
          : `${quoted} passes through symlink "${prefix}" → ${plannedTarget}`,
      };
    }
    if (options.removed.has(prefix)) {
      // Deleted by the patch: whatever is on disk there (or below) is not part of the post-patch tree.
      onDisk = false;
      continue;
    }
    if (!onDisk) continue;
    let stats;
    try {
      stats = lstatSync(join(options.root, prefix));
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        onDisk = false;
        continue;
      }
      return { ok: false, reason: `${quoted} cannot be checked (${code ?? 'error'} on "${prefix}")` };
    }
    if (stats.isSymbolicLink()) {
      const target = safeReadlink(join(options.root, prefix));
      return {
        ok: false,
        reason: isLast
          ? `${quoted} is a symlink (→ ${target})`
          : `${quoted} passes through symlink "${prefix}" → ${target}`,
      };
    }
    if (isLast) {
      if (stats.isDirectory()) return { ok: false, reason: `${quoted} is a directory` };
      if (!stats.isFile()) return { ok: false, reason: `${quoted} is not a regular file` };
    } else if (stats.isDirectory() && hasGitEntry(join(options.root, prefix))) {
      return { ok: false, reason: `${quoted} is inside nested repository or submodule "${prefix}"` };
    }
  }
  return { ok: true };
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '?';
  }
}

function hasGitEntry(directory: string): boolean {
  try {
    lstatSync(join(directory, '.git'));
    return true;
  } catch {
    return false;
  }
}

function checkAuditLog(root: string, path: string, auditLogFile: string | undefined): string | undefined {
  const logFile = resolve(root, auditLogFile ?? join('logs', 'kode.log'));
  const logRelative = relative(root, logFile).split(sep).join('/');
  if (logRelative.startsWith('..') || isAbsolute(logRelative)) return undefined;
  const slash = logRelative.lastIndexOf('/');
  const directory = slash === -1 ? '' : logRelative.slice(0, slash + 1);
  const name = logRelative.slice(slash + 1);
  const candidate = path.toLowerCase();
  if (
    candidate.startsWith(directory.toLowerCase()) &&
    candidate.slice(directory.length).startsWith(name.toLowerCase())
  ) {
    const rest = path.slice(directory.length + name.length);
    if (!rest.includes('/')) return `${JSON.stringify(path)} is the audit log or one of its files`;
  }
  return undefined;
}

function readSmallFile(path: string): string | undefined {
  try {
    const stats = lstatSync(path);
    if (!stats.isFile() || stats.size > 1_000_000) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `core.hooksPath` from `.git/config` when it points inside the project, as a project-relative path. */
function readHooksPath(root: string): string | undefined {
  const config = readSmallFile(join(root, '.git', 'config'));
  if (config === undefined) return undefined;
  let inCore = false;
  for (const rawLine of config.split(/\r?\n/u)) {
    const line = rawLine.trim();
    const section = /^\[([^\]\s"]+)/u.exec(line);
    if (section !== null) {
      inCore = section[1]?.toLowerCase() === 'core';
      continue;
    }
    const setting = inCore ? /^hookspath\s*=\s*(.*)$/iu.exec(line) : null;
    if (setting === null) continue;
    const value = (setting[1] ?? '').replace(/^"(.*)"$/u, '$1').trim();
    if (value === '') return undefined;
    const relativePath = relative(root, resolve(root, value)).split(sep).join('/');
    return relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath) ? undefined : relativePath;
  }
  return undefined;
}

function readSubmodulePaths(root: string): string[] {
  const modules = readSmallFile(join(root, '.gitmodules'));
  if (modules === undefined) return [];
  const paths: string[] = [];
  for (const line of modules.split(/\r?\n/u)) {
    const match = /^\s*path\s*=\s*(.+?)\s*$/u.exec(line);
    if (match?.[1] !== undefined) paths.push(match[1].replace(/^"(.*)"$/u, '$1').replace(/\/+$/u, ''));
  }
  return paths;
}

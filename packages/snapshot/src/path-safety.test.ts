import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPathSafety } from './path-safety.js';
import { createGitRepo, makeTempDir, removeTempDir } from './tree.test-helpers.js';

let base: string;
let root: string;
let outside: string;

beforeEach(() => {
  base = makeTempDir();
  root = join(base, 'app');
  outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'sentinel.txt'), 'sentinel\n');
  mkdirSync(root);
  createGitRepo({ 'src/index.ts': 'export {};\n', 'sub/dir/file.txt': 'x\n' }, root);
});

afterEach(() => {
  expect(readFileSync(join(outside, 'sentinel.txt'), 'utf8')).toBe('sentinel\n');
  removeTempDir(base);
});

function reasonFor(path: string, extra: Partial<Parameters<typeof checkPathSafety>[0]> = {}): string | undefined {
  const result = checkPathSafety({ projectRoot: root, path, ...extra });
  return result.ok ? undefined : result.reason;
}

describe('checkPathSafety', () => {
  it('accepts ordinary project paths, existing or not', () => {
    expect(reasonFor('src/index.ts')).toBeUndefined();
    expect(reasonFor('src/new/deep/file.ts')).toBeUndefined();
    expect(reasonFor('.gitignore')).toBeUndefined();
    expect(reasonFor('.github/CODEOWNERS')).toBeUndefined();
  });

  it('F1: rejects parent traversal in every spelling, without decoding', () => {
    expect(reasonFor('../x')).toBe('"../x" escapes the project root');
    expect(reasonFor('a/../../x')).toContain('escapes the project root');
    expect(reasonFor('./../x')).toContain('escapes the project root');
    expect(reasonFor('..\\x')).toContain('separators');
    expect(reasonFor('src\\..\\..\\x')).toContain('separators');
    expect(reasonFor('%2e%2e/x')).toContain('percent-encoded');
    expect(reasonFor('src/%2E%2E%2Fx')).toContain('percent-encoded');
  });

  it('F2: rejects absolute, drive, UNC, tilde and URL paths', () => {
    expect(reasonFor('/abs')).toContain('is absolute');
    expect(reasonFor('/etc/passwd')).toContain('is absolute');
    expect(reasonFor('C:\\x')).toContain('drive');
    expect(reasonFor('c:/x')).toContain('drive');
    expect(reasonFor('\\\\host\\share\\x')).toContain('UNC');
    expect(reasonFor('//host/share/x')).toContain('UNC');
    expect(reasonFor('~/.bashrc')).toContain('~');
    expect(reasonFor('file:///x')).toContain('URL scheme');
  });

  it('F3: rejects NUL, newline, empty, ".", the root, trailing slash and over-long paths', () => {
    expect(reasonFor('a\0b')).toContain('NUL');
    expect(reasonFor('src/\n')).toContain('line break');
    expect(reasonFor('')).toBe('the path is empty');
    expect(reasonFor('.')).toContain('project root');
    expect(reasonFor('./')).toBeDefined();
    expect(reasonFor('src/')).toContain('ends with /');
    expect(reasonFor('a//b')).toContain('empty component');
    expect(reasonFor(`${'a/'.repeat(2100)}x`)).toContain('4096 bytes');
  });

  it('F4: compares components, not string prefixes', () => {
    const sibling = join(base, 'app-evil');
    mkdirSync(sibling);
    expect(reasonFor('../app-evil/x')).toContain('escapes');
    expect(checkPathSafety({ projectRoot: `${root}/`, path: 'src/index.ts' }).ok).toBe(true);
  });

  it('F5: rejects a symlinked file, a symlinked directory component and a dangling symlink', () => {
    symlinkSync(join(outside, 'sentinel.txt'), join(root, 'leak.txt'));
    symlinkSync(outside, join(root, 'link'));
    symlinkSync(join(outside, 'does-not-exist'), join(root, 'dangling'));
    expect(reasonFor('leak.txt')).toContain('is a symlink');
    expect(reasonFor('link/dir/f')).toBe(`"link/dir/f" passes through symlink "link" → ${outside}`);
    expect(reasonFor('dangling')).toContain('is a symlink');
  });

  it('F6: judges symlinks on the post-patch tree (git t4139)', () => {
    expect(reasonFor('tmp/foo', { postPatchSymlinks: new Map([['tmp', '..']]) })).toContain(
      'passes through symlink "tmp"',
    );
    expect(reasonFor('tmp/foo', { postPatchSymlinks: new Map([['tmp', root]]) })).toContain('passes through symlink');
    expect(reasonFor('tmp', { postPatchSymlinks: new Map([['tmp', '..']]) })).toContain('is a symlink');
    symlinkSync(outside, join(root, 'a'));
    expect(reasonFor('a/f')).toContain('passes through symlink');
    expect(reasonFor('a/f', { removedPaths: ['a'] })).toBeUndefined();
  });

  it('F7: rejects every spelling git treats as .git, .git files and nested repositories', () => {
    for (const path of [
      '.git/hooks/pre-commit',
      '.GIT/config',
      '.Git/x',
      '.git./x',
      '.git /x',
      'git~1/config',
      'GIT~1/x',
      '.g\u200cit/config',
      'sub/.git/config',
      '.git',
    ]) {
      expect(reasonFor(path), path).toMatch(/\.git/u);
    }
    mkdirSync(join(root, 'vendored'));
    writeFileSync(join(root, 'vendored', '.git'), 'gitdir: ../.git/worktrees/vendored\n');
    expect(reasonFor('vendored/.git')).toContain('.git');
    expect(reasonFor('vendored/file.ts')).toContain('nested repository or submodule "vendored"');
    symlinkSync('src/index.ts', join(root, '.gitmodules'));
    expect(reasonFor('.gitmodules')).toContain('is a symlink');
  });

  it('rejects submodule paths declared in .gitmodules and the core.hooksPath directory', () => {
    writeFileSync(join(root, '.gitmodules'), '[submodule "lib"]\n\tpath = libs/lib\n\turl = ../lib.git\n');
    expect(reasonFor('libs/lib')).toContain('submodule "libs/lib"');
    expect(reasonFor('libs/lib/x.ts')).toContain('submodule');
    writeFileSync(
      join(root, '.git', 'config'),
      `${readFileSync(join(root, '.git', 'config'), 'utf8')}[core]\n\thooksPath = tools/hooks\n`,
    );
    expect(reasonFor('tools/hooks/pre-commit')).toContain('core.hooksPath');
    expect(reasonFor('tools/other.ts')).toBeUndefined();
  });

  it('F8: rejects protected paths even when they do not exist', () => {
    for (const path of [
      '.kode/kode.json',
      '.kode/journal/x',
      '.KODE/kode.json',
      '.claude/settings.json',
      '.codex/config.toml',
      '.cursor/rules',
      '.husky/pre-commit',
      '.github/workflows/ci.yml',
      '.GitHub/Workflows/x.yml',
      'logs/kode.log',
      'logs/kode.log.lock',
    ]) {
      expect(reasonFor(path), path).toBeDefined();
    }
    expect(reasonFor('.github/workflows/ci.yml')).toBe(
      '".github/workflows/ci.yml" is protected by engine.protected_paths',
    );
    expect(reasonFor('docs/x.md', { protectedPaths: ['docs/**'] })).toContain('protected');
    expect(reasonFor('.claude/settings.json', { protectedPaths: [] })).toBeUndefined();
    expect(reasonFor('audit/kode.log', { auditLogFile: 'audit/kode.log' })).toContain('audit log');
    expect(reasonFor('logs/other.log')).toBeUndefined();
  });

  it('F10: rejects Windows-reserved names and ":"', () => {
    for (const path of ['CON', 'nul.txt', 'src/COM1', 'lpt9.md', 'aux .c'])
      expect(reasonFor(path), path).toContain('Windows-reserved');
    expect(reasonFor('a:stream')).toBeDefined();
    expect(reasonFor('src/name:stream')).toContain('":"');
    expect(reasonFor('console.ts')).toBeUndefined();
  });

  it('rejects a directory or a special file as the target', () => {
    expect(reasonFor('sub/dir')).toContain('is a directory');
  });
});

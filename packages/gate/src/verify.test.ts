import { readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '@kode/config';
import { afterEach, describe, expect, it } from 'vitest';
import type { GateEvent, StructuredHunk } from './types.js';
import { verify } from './verify.js';
import type { Project } from './verify.test-helpers.js';
import { createProject, text } from './verify.test-helpers.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

async function setup(files: Record<string, string | Uint8Array>): Promise<Project> {
  project = await createProject(files);
  return project;
}

function h(fields: Partial<StructuredHunk> & Pick<StructuredHunk, 'file_path' | 'action'>): StructuredHunk {
  return { id: 'h1', ...fields };
}

describe('verify: hunks', () => {
  it('applies cumulatively, leaves a failing hunk out, and reports the closest line', async () => {
    const { root } = await setup({ 'src/math.js': 'export function add(a, b) {\n  return a + b;\n}\n' });
    const result = await verify(
      {
        hunks: [
          h({
            id: 'a',
            file_path: 'src/math.js',
            action: 'MODIFY',
            anchor_text: 'return a + b;',
            new_text: 'return b + a;',
          }),
          h({ id: 'b', file_path: 'src/math.js', action: 'MODIFY', anchor_text: 'return a + b;', new_text: 'x' }),
          h({
            id: 'c',
            file_path: 'src/math.js',
            action: 'INSERT',
            anchor_text: 'return b + a;\n',
            new_text: '  // sum\n',
          }),
        ],
      },
      { projectRoot: root },
    );
    expect(result.passed).toEqual(['a', 'c']);
    expect(result.failed.b).toMatch(
      /^diff_applier: Anchor text not found after cumulative changes \(src\/math\.js: closest line 2 " {2}return b \+ a;" is \d+% similar\)$/u,
    );
    expect(result.verdict.overall).toBe('FAIL');
    expect(text(result.changes[0]?.content)).toBe('export function add(a, b) {\n  return b + a;\n  // sum\n}\n');
    expect(readFileSync(join(root, 'src/math.js'), 'utf8')).toBe('export function add(a, b) {\n  return a + b;\n}\n');
  });

  it('uses original_files as the pre-image and creates files with an empty-anchor INSERT', async () => {
    const { root } = await setup({});
    const result = await verify(
      {
        hunks: [
          h({
            id: 'h1',
            file_path: 'src/math.js',
            action: 'MODIFY',
            anchor_text: 'return a + b;',
            new_text: 'return a + b + 0;',
          }),
          h({ id: 'h2', file_path: 'src/new.js', action: 'INSERT', new_text: 'export const x = 1;\n' }),
        ],
        original_files: { 'src/math.js': 'export function add(a, b) {\n  return a + b;\n}\n' },
      },
      { projectRoot: root },
    );
    expect(result.verdict.overall).toBe('PASS');
    expect(result.files).toEqual(['src/math.js', 'src/new.js']);
    expect(result.changes.map((change) => [change.path, text(change.content)])).toEqual([
      ['src/math.js', 'export function add(a, b) {\n  return a + b + 0;\n}\n'],
      ['src/new.js', 'export const x = 1;\n'],
    ]);
  });

  it('a hunk that empties an existing file deletes it', async () => {
    const { root } = await setup({ 'notes.txt': 'only line\n' });
    const result = await verify(
      { hunks: [h({ file_path: 'notes.txt', action: 'DELETE', anchor_text: 'only line\n' })] },
      { projectRoot: root },
    );
    expect(result.changes).toEqual([{ path: 'notes.txt', content: null }]);
  });

  it('keeps CRLF, BOM and the missing final newline byte for byte', async () => {
    const original = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('one\r\ntwo\r\nthree')]);
    const { root } = await setup({ 'a.txt': original });
    const result = await verify(
      { hunks: [h({ file_path: 'a.txt', action: 'MODIFY', anchor_text: 'two\n', new_text: 'TWO\nmore\n' })] },
      { projectRoot: root },
    );
    const bytes = Buffer.from(result.changes[0]?.content ?? new Uint8Array());
    expect(
      bytes.equals(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('one\r\nTWO\r\nmore\r\nthree')])),
    ).toBe(true);
  });

  it('schema: invalid hunks FAIL alone and bad ids are replaced with a WARN', async () => {
    const { root } = await setup({ 'a.txt': 'x\n' });
    const result = await verify(
      {
        hunks: [
          { id: 'dup', file_path: 'a.txt', action: 'REPLACE' } as unknown as StructuredHunk,
          {
            id: 'dup',
            file_path: 'a.txt',
            action: 'modify',
            anchor_text: 'x',
            new_text: 'y',
          } as unknown as StructuredHunk,
          { action: 'MODIFY', anchor_text: 'x' } as unknown as StructuredHunk,
          { id: 'e', file_path: 'a.txt', action: 'MODIFY', anchor_text: '' },
          { id: 'f', file_path: 'a.txt', action: 'INSERT', new_text: '' },
        ],
      },
      { projectRoot: root },
    );
    expect(result.failed).toEqual({
      dup: 'schema: Invalid hunk (dup: action must be one of INSERT, DELETE, MODIFY (got "REPLACE"))',
      'hunk-3': 'schema: Invalid hunk (hunk-3: file_path is required)',
      e: 'schema: Invalid hunk (e: MODIFY requires anchor text)',
      f: 'schema: Invalid hunk (f: INSERT requires new text)',
    });
    expect(result.passed).toEqual(['hunk-2']);
    expect(result.warnings).toContain('schema: Hunk id replaced (hunk-2: id "dup" is a duplicate)');
    expect(result.warnings).toContain('schema: Hunk id replaced (hunk-3: id is missing)');
    expect(text(result.changes[0]?.content)).toBe('y\n');
  });

  it('diff_applier refuses binary, non-UTF-8, too large and missing targets', async () => {
    const { root } = await setup({
      'logo.png': Buffer.from([0x89, 0x50, 0x00, 0x01]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      'big.txt': 'x'.repeat(200) + '\n',
    });
    const config = { ...DEFAULT_CONFIG, engine: { ...DEFAULT_CONFIG.engine, max_file_bytes: 100 } };
    const result = await verify(
      {
        hunks: [
          h({ id: 'b', file_path: 'logo.png', action: 'MODIFY', anchor_text: 'P', new_text: 'Q' }),
          h({ id: 'u', file_path: 'latin1.txt', action: 'MODIFY', anchor_text: 'caf', new_text: 'x' }),
          h({ id: 'l', file_path: 'big.txt', action: 'MODIFY', anchor_text: 'x', new_text: 'y' }),
          h({ id: 'm', file_path: 'missing.txt', action: 'MODIFY', anchor_text: 'x', new_text: 'y' }),
          h({ id: 'g', file_path: 'grow.txt', action: 'INSERT', new_text: 'y'.repeat(150) }),
        ],
      },
      { projectRoot: root, config },
    );
    expect(result.failed).toEqual({
      b: 'diff_applier: File is binary (logo.png)',
      u: 'diff_applier: File is not valid UTF-8 text (latin1.txt)',
      l: 'diff_applier: File too large (big.txt)',
      m: 'diff_applier: Target file does not exist (missing.txt)',
      g: 'diff_applier: File too large (grow.txt: post-image is 150 bytes (max 100))',
    });
    expect(result.changes).toEqual([]);
  });

  it('refuses to edit a Git LFS pointer file, on disk or given in original_files (RELIABILITY E12)', async () => {
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:' + 'a'.repeat(64) + '\nsize 12345\n';
    const { root } = await setup({ 'assets/model.bin': pointer, 'notes.md': 'version https://example.com\n' });
    const result = await verify(
      {
        hunks: [
          h({ id: 'disk', file_path: 'assets/model.bin', action: 'MODIFY', anchor_text: 'size 12345', new_text: 'x' }),
          h({ id: 'given', file_path: 'weights.pt', action: 'MODIFY', anchor_text: 'size 12345', new_text: 'x' }),
          h({ id: 'ok', file_path: 'notes.md', action: 'MODIFY', anchor_text: 'example', new_text: 'example2' }),
        ],
        original_files: { 'weights.pt': pointer },
      },
      { projectRoot: root },
    );
    const reason = 'diff_applier: File is a Git LFS pointer; edit the real content through git lfs, not the pointer';
    expect(result.failed).toEqual({ disk: `${reason} (assets/model.bin)`, given: `${reason} (weights.pt)` });
    expect(result.passed).toEqual(['ok']);
  });

  it('target_symbol chooses between repeated anchors using the language front end', async () => {
    const source = 'function one() {\n  return 0;\n}\nfunction two() {\n  return 0;\n}\n';
    const { root } = await setup({ 'src/a.ts': source });
    const result = await verify(
      {
        hunks: [
          h({
            file_path: 'src/a.ts',
            action: 'MODIFY',
            target_symbol: 'two',
            anchor_text: 'return 0;',
            new_text: 'return 2;',
          }),
        ],
      },
      { projectRoot: root },
    );
    expect(result.warnings).toEqual([]);
    expect(text(result.changes[0]?.content)).toBe(source.replace(/return 0;\n\}\n$/u, 'return 2;\n}\n'));
  });
});

describe('verify: path_safety before any other gate', () => {
  it.each([
    ['../secrets.txt', 'escapes the project root'],
    ['/etc/passwd', 'is absolute'],
    ['C:\\x', 'drive path'],
    ['~/.bashrc', 'starts with ~'],
    ['%2e%2e/x', 'percent-encoded'],
    ['.git/hooks/pre-commit', 'inside .git/'],
    ['.GIT/config', 'inside .git/'],
    ['sub/.git./config', 'inside .git/'],
    ['.kode/kode.json', 'inside .kode/'],
    ['.github/workflows/ci.yml', 'protected'],
    ['logs/kode.log', 'audit log'],
  ])('%s is refused', async (path, reason) => {
    const { root } = await setup({});
    const result = await verify(
      { hunks: [h({ file_path: path, action: 'INSERT', new_text: 'x\n' })] },
      { projectRoot: root },
    );
    expect(result.failed.h1).toMatch(/^path_safety: Unsafe path \(/u);
    expect(result.failed.h1).toContain(reason);
    expect(result.verdict.results.map((entry) => entry.check_name)).toEqual(['schema', 'path_safety']);
  });

  it('refuses a path through a symlink that leaves the root, and engine.protected_paths', async () => {
    const outside = await createProject({ 'x.ts': 'export {};\n' });
    try {
      const { root } = await setup({});
      symlinkSync(outside.root, join(root, 'vendor'));
      const config = { ...DEFAULT_CONFIG, engine: { ...DEFAULT_CONFIG.engine, protected_paths: ['secret/**'] } };
      const result = await verify(
        {
          hunks: [
            h({ id: 's', file_path: 'vendor/x.ts', action: 'INSERT', new_text: 'x\n' }),
            h({ id: 'p', file_path: 'secret/a.txt', action: 'INSERT', new_text: 'x\n' }),
          ],
        },
        { projectRoot: root, config },
      );
      expect(result.failed.s).toContain('passes through symlink "vendor"');
      expect(result.failed.p).toContain('protected by engine.protected_paths');
      expect(readFileSync(join(outside.root, 'x.ts'), 'utf8')).toBe('export {};\n');
    } finally {
      await outside.dispose();
    }
  });
});

describe('verify: files and unified diffs', () => {
  it('files mode: content replaces, null deletes, identical content is No change', async () => {
    const { root } = await setup({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' });
    const result = await verify({ files: { 'a.txt': 'A\n', 'b.txt': null, 'c.txt': 'c\n' } }, { projectRoot: root });
    expect(result.passed).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(result.files).toEqual(['a.txt', 'b.txt']);
    expect(result.changes.map((change) => [change.path, text(change.content)])).toEqual([
      ['a.txt', 'A\n'],
      ['b.txt', null],
    ]);
    expect(result.verdict.results).toContainEqual(
      expect.objectContaining({ check_name: 'diff_applier', file: 'c.txt', message: 'No change', status: 'PASS' }),
    );
  });

  it('an empty patch passes with No change', async () => {
    const { root } = await setup({});
    for (const input of [{ hunks: [] }, { files: {} }, { diff: '' }]) {
      const result = await verify(input, { projectRoot: root });
      expect(result.verdict.overall).toBe('PASS');
      expect(result.verdict.results.map((entry) => entry.message)).toEqual(['No change']);
      expect(result.changes).toEqual([]);
    }
  });

  it('applies git diffs: modification at an offset, new, deleted and renamed files, mode changes', async () => {
    const { root } = await setup({
      'src/a.txt': 'zero\none\ntwo\nthree\n',
      'old.txt': 'keep\n',
      'gone.txt': 'bye\n',
      'run.sh': 'echo hi\n',
    });
    const diff = [
      'diff --git a/src/a.txt b/src/a.txt',
      '--- a/src/a.txt',
      '+++ b/src/a.txt',
      '@@ -1,2 +1,2 @@',
      ' one',
      '-two',
      '+TWO',
      'diff --git a/new.txt b/new.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+fresh',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/old.txt b/renamed.txt',
      'similarity index 100%',
      'rename from old.txt',
      'rename to renamed.txt',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      '',
    ].join('\n');
    const config = { ...DEFAULT_CONFIG, engine: { ...DEFAULT_CONFIG.engine, max_blast_radius: 10 } };
    const result = await verify({ diff }, { projectRoot: root, config });
    expect(result.failed).toEqual({});
    expect(result.passed).toEqual(['src/a.txt', 'new.txt', 'gone.txt', 'renamed.txt', 'run.sh']);
    expect(result.files).toEqual(['src/a.txt', 'new.txt', 'gone.txt', 'old.txt', 'renamed.txt', 'run.sh']);
    expect(result.changes.map((change) => ({ ...change, content: text(change.content) }))).toEqual([
      { path: 'src/a.txt', content: 'zero\none\nTWO\nthree\n' },
      { path: 'new.txt', content: 'fresh\n' },
      { path: 'gone.txt', content: null },
      { path: 'renamed.txt', content: 'keep\n', renamedFrom: 'old.txt' },
      { path: 'run.sh', content: 'echo hi\n', mode: 0o755 },
    ]);
    expect(statSync(join(root, 'old.txt')).isFile()).toBe(true);
  });

  it('diff hunks: whitespace-normalised unique match is a WARN; a mismatch FAILs naming the hunk', async () => {
    const { root } = await setup({ 'a.py': 'def f():\n\treturn 1\n', 'b.txt': 'x\n' });
    const diff = [
      '--- a/a.py',
      '+++ b/a.py',
      '@@ -1,2 +1,2 @@',
      ' def f():',
      '-    return 1',
      '+    return 2',
      '--- a/b.txt',
      '+++ b/b.txt',
      '@@ -1 +1 @@',
      '-nope',
      '+yes',
      '',
    ].join('\n');
    const result = await verify({ diff }, { projectRoot: root });
    expect(result.warnings).toEqual(['diff_applier: Anchor matched after whitespace normalisation (line 1) (a.py)']);
    expect(text(result.changes[0]?.content)).toBe('def f():\n    return 2\n');
    expect(result.failed['b.txt']).toBe(
      'diff_applier: Failed to apply diff to original files in memory (b.txt: hunk @@ -1,1 +1,1 @@ context does not match)',
    );
  });

  it('a diff that creates a symlink, or carries a binary patch, is refused', async () => {
    const { root } = await setup({ 'img.png': Buffer.from([0x89, 0x00]) });
    const diff = [
      'diff --git a/link b/link',
      'new file mode 120000',
      '--- /dev/null',
      '+++ b/link',
      '@@ -0,0 +1 @@',
      '+/etc',
      '\\ No newline at end of file',
      'diff --git a/img.png b/img.png',
      'index 1234567..89abcde 100644',
      'Binary files a/img.png and b/img.png differ',
      '',
    ].join('\n');
    const result = await verify({ diff }, { projectRoot: root });
    expect(result.failed.link).toBe('path_safety: Unsafe path ("link" is a symlink (→ /etc) in the patched tree)');
    expect(result.failed['img.png']).toBe('diff_applier: File is binary (img.png)');
    expect(result.changes).toEqual([]);
  });

  it('a diff creating a file that already exists fails', async () => {
    const { root } = await setup({ 'a.txt': 'here\n' });
    const diff = ['--- /dev/null', '+++ b/a.txt', '@@ -0,0 +1 @@', '+new', ''].join('\n');
    const result = await verify({ diff }, { projectRoot: root });
    expect(result.failed['a.txt']).toBe(
      'diff_applier: Failed to apply diff to original files in memory (a.txt: the file already exists)',
    );
  });

  it('a diff keeps CRLF line endings of the file', async () => {
    const { root } = await setup({ 'w.txt': 'a\r\nb\r\nc\r\n' });
    const diff = ['--- a/w.txt', '+++ b/w.txt', '@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', ''].join('\n');
    const result = await verify({ diff }, { projectRoot: root });
    expect(text(result.changes[0]?.content)).toBe('a\r\nB\r\nc\r\n');
  });
});

describe('verify: per-patch gates and events', () => {
  it('tdd is SKIPPED unless enabled, then FAILs production code without tests', async () => {
    const { root } = await setup({ 'src/lib.rs': 'pub fn f() {}\n' });
    const input = { files: { 'src/lib.rs': 'pub fn f() { }\n', 'README.md': '# x\n' } };
    const skipped = await verify(input, { projectRoot: root });
    expect(skipped.verdict.results.find((entry) => entry.check_name === 'tdd')?.status).toBe('SKIPPED');
    const enabled = await verify(input, { projectRoot: root, tdd: true });
    expect(enabled.failed).toEqual({
      '<patch>':
        'tdd: TDD mode: write or modify a test file before modifying production code (production files without a test file in the patch: src/lib.rs)',
    });
    expect(enabled.passed).toEqual([]);
    expect(enabled.changes).toEqual([]);
    expect(enabled.verdict.results.some((entry) => entry.check_name === 'syntax')).toBe(false);
  });

  it('blast_radius FAILs when the patch touches more files than engine.max_blast_radius', async () => {
    const { root } = await setup({});
    const config = { ...DEFAULT_CONFIG, engine: { ...DEFAULT_CONFIG.engine, max_blast_radius: 2 } };
    const result = await verify(
      { files: { 'a.md': 'a\n', 'b.md': 'b\n', 'c.md': 'c\n' } },
      { projectRoot: root, config },
    );
    expect(result.failed['<patch>']).toBe(
      'blast_radius: Blast radius check failed (radius 3 > max 2: touched a.md, b.md, c.md)',
    );
  });

  it('emits gate-start, gate-end and hunk-apply events with the run id', async () => {
    const { root } = await setup({ 'a.txt': 'x\n' });
    const events: GateEvent[] = [];
    await verify(
      { hunks: [h({ file_path: 'a.txt', action: 'MODIFY', anchor_text: 'x', new_text: 'y' })] },
      { projectRoot: root, runId: 'RUN', onEvent: (event) => events.push(event) },
    );
    expect(events.every((event) => event.v === 1 && event.run_id === 'RUN' && typeof event.ts === 'string')).toBe(true);
    expect(events.find((event) => event.type === 'hunk-apply')).toMatchObject({
      hunk_id: 'h1',
      file: 'a.txt',
      status: 'PASS',
      match: 'exact',
    });
    const starts = events.filter((event) => event.type === 'gate-start').map((event) => event.check_name);
    const ends = events.filter((event) => event.type === 'gate-end').map((event) => event.check_name);
    expect(starts).toEqual([
      'schema',
      'path_safety',
      'diff_applier',
      'tdd',
      'blast_radius',
      'syntax',
      'imports',
      'calls',
      'architecture',
      'security',
    ]);
    expect(ends).toEqual(starts);
  });
});

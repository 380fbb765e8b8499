import { describe, expect, it } from 'vitest';
import { computeDiffId } from './diff-id.js';
import { formatReason, joinDetails } from './format-reason.js';
import { parsePatchDocument } from './patch-input.js';
import { parseUnifiedDiff } from './unified-diff.js';

describe('formatReason (SPEC §2.5)', () => {
  it('formats `<check>: <message> (<details>)` and omits empty details', () => {
    expect(formatReason({ check_name: 'diff_applier', message: 'File is binary', details: 'assets/logo.png' })).toBe(
      'diff_applier: File is binary (assets/logo.png)',
    );
    expect(formatReason({ check_name: 'tdd', message: 'x' })).toBe('tdd: x');
  });

  it('turns line breaks in details into `; ` and cuts at 500 characters with …', () => {
    expect(formatReason({ check_name: 'syntax', message: 'm', details: 'a\nb\r\nc' })).toBe('syntax: m (a; b; c)');
    const long = formatReason({ check_name: 'imports', message: 'm', details: 'x'.repeat(600) });
    expect(long).toHaveLength(500);
    expect(long.endsWith('…')).toBe(true);
  });

  it('joinDetails keeps five findings then counts the rest', () => {
    expect(joinDetails([])).toBeUndefined();
    expect(joinDetails(['a', 'b'])).toBe('a; b');
    expect(joinDetails(['1', '2', '3', '4', '5', '6', '7'])).toBe('1; 2; 3; 4; 5; +2 more');
  });
});

describe('computeDiffId', () => {
  it('is 12 hex characters of the canonical JSON hash, independent of key order', () => {
    const id = computeDiffId({ files: { a: 'x', b: null } });
    expect(id).toMatch(/^[0-9a-f]{12}$/u);
    expect(computeDiffId({ files: { b: null, a: 'x' } })).toBe(id);
    expect(computeDiffId({ files: { a: 'y', b: null } })).not.toBe(id);
  });
});

describe('parsePatchDocument (SPEC §3.6 document errors)', () => {
  it.each([
    [{}, 'input must contain exactly one of "hunks", "files" or "diff"'],
    [{ hunks: [], files: {} }, 'input must contain exactly one of "hunks", "files" or "diff"'],
    [{ hunks: {} }, '"hunks" must be an array (got object)'],
    [{ files: [] }, '"files" must be an object (got array)'],
    [{ diff: 3 }, '"diff" must be a string (got number)'],
    [{ diff: 'hello\nworld\n' }, '"diff" is not a unified diff: no file header found'],
    [{ files: {}, original_files: {} }, '"original_files" is only valid with "hunks"'],
    [[1], 'input must be a JSON object (got array)'],
  ])('%j -> %s', (value, message) => {
    expect(parsePatchDocument(value)).toEqual({ ok: false, message });
  });

  it('accepts each form and the architecture options', () => {
    const result = parsePatchDocument({ hunks: [], original_files: { a: 'x' }, block_architecture: true, other: 1 });
    expect(result).toEqual({
      ok: true,
      document: { input: { hunks: [], original_files: { a: 'x' } }, blockArchitecture: true },
    });
  });
});

describe('parseUnifiedDiff', () => {
  it('reads plain `diff -u` output and strips a/ b/ only for git-style names', () => {
    const parsed = parseUnifiedDiff('--- src/x.ts\t2025-01-01\n+++ src/x.ts\t2025-01-02\n@@ -1 +1 @@\n-a\n+b\n');
    expect(parsed.ok && parsed.files.map((file) => [file.oldPath, file.newPath])).toEqual([['src/x.ts', 'src/x.ts']]);
  });

  it('rejects text without file headers and accepts an empty diff as an empty patch', () => {
    expect(parseUnifiedDiff('@@ -1 +1 @@\n-a\n+b\n')).toEqual({ ok: false, error: 'no file header found' });
    expect(parseUnifiedDiff('just prose')).toEqual({ ok: false, error: 'no file header found' });
    expect(parseUnifiedDiff('')).toEqual({ ok: true, files: [] });
  });
});

import { describe, expect, it } from 'vitest';
import type { ValidHunk } from './apply-hunk.js';
import { applyHunk } from './apply-hunk.js';

function hunk(fields: Partial<ValidHunk> & Pick<ValidHunk, 'action'>): ValidHunk {
  return { id: 'h1', filePath: 'src/a.ts', anchorText: '', newText: '', ...fields };
}

function applied(result: ReturnType<typeof applyHunk>): string {
  if (!result.ok) throw new Error(`expected success, got ${result.message} (${result.details})`);
  return result.text;
}

describe('applyHunk: actions on an exact anchor', () => {
  const file = 'function f() {\n  return 1;\n}\n';

  it('MODIFY replaces the matched text', () => {
    const result = applyHunk({
      hunk: hunk({ action: 'MODIFY', anchorText: '  return 1;\n', newText: '  return 2;\n' }),
      current: file,
    });
    expect(applied(result)).toBe('function f() {\n  return 2;\n}\n');
    expect(result.ok && result.match).toBe('exact');
    expect(result.ok && result.warning).toBeUndefined();
  });

  it('MODIFY with empty new text deletes the anchor; DELETE ignores new_text', () => {
    expect(applied(applyHunk({ hunk: hunk({ action: 'MODIFY', anchorText: '  return 1;\n' }), current: file }))).toBe(
      'function f() {\n}\n',
    );
    expect(applied(applyHunk({ hunk: hunk({ action: 'DELETE', anchorText: '  return 1;\n' }), current: file }))).toBe(
      'function f() {\n}\n',
    );
  });

  it('INSERT puts new text after the anchor, adding a line break only when neither side has one', () => {
    expect(
      applied(
        applyHunk({
          hunk: hunk({ action: 'INSERT', anchorText: 'function f() {', newText: '  log();' }),
          current: file,
        }),
      ),
    ).toBe('function f() {\n  log();\n  return 1;\n}\n');
    expect(
      applied(
        applyHunk({
          hunk: hunk({ action: 'INSERT', anchorText: 'function f() {\n', newText: '  log();\n' }),
          current: file,
        }),
      ),
    ).toBe('function f() {\n  log();\n  return 1;\n}\n');
  });

  it('INSERT with an empty anchor appends, adding a line break to an unterminated file first', () => {
    expect(applied(applyHunk({ hunk: hunk({ action: 'INSERT', newText: 'x\n' }), current: 'a' }))).toBe('a\nx\n');
    expect(applied(applyHunk({ hunk: hunk({ action: 'INSERT', newText: 'x\n' }), current: 'a\n' }))).toBe('a\nx\n');
    const created = applyHunk({ hunk: hunk({ action: 'INSERT', newText: 'new\n' }), current: null });
    expect(applied(created)).toBe('new\n');
    expect(created.ok && created.match).toBe('create');
  });

  it('an anchored edit on a missing file fails', () => {
    const result = applyHunk({ hunk: hunk({ action: 'MODIFY', anchorText: 'x', newText: 'y' }), current: null });
    expect(result).toMatchObject({ ok: false, message: 'Target file does not exist' });
  });
});

describe('applyHunk: line breaks and fidelity', () => {
  it('keeps CRLF: the anchor is matched in the \\n view and new text takes the line style', () => {
    const crlf = 'a\r\nb\r\nc\r\n';
    expect(
      applied(applyHunk({ hunk: hunk({ action: 'MODIFY', anchorText: 'b\n', newText: 'B1\nB2\n' }), current: crlf })),
    ).toBe('a\r\nB1\r\nB2\r\nc\r\n');
  });

  it('mixed files: inserted text takes the style of the matched line, bytes elsewhere are untouched', () => {
    const mixed = 'a\r\nb\nc\r\n';
    expect(
      applied(applyHunk({ hunk: hunk({ action: 'INSERT', anchorText: 'b\n', newText: 'x\ny\n' }), current: mixed })),
    ).toBe('a\r\nb\nx\ny\nc\r\n');
    expect(
      applied(applyHunk({ hunk: hunk({ action: 'INSERT', anchorText: 'a\n', newText: 'x\n' }), current: mixed })),
    ).toBe('a\r\nx\r\nb\nc\r\n');
  });

  it('appended text takes the dominant style', () => {
    expect(applied(applyHunk({ hunk: hunk({ action: 'INSERT', newText: 'z\n' }), current: 'a\r\nb\r\nc\n' }))).toBe(
      'a\r\nb\r\nc\nz\r\n',
    );
  });

  it('keeps a missing final line break when the last line is not edited', () => {
    expect(
      applied(applyHunk({ hunk: hunk({ action: 'MODIFY', anchorText: 'a', newText: 'A' }), current: 'a\nb' })),
    ).toBe('A\nb');
  });
});

describe('applyHunk: repeated anchors and target_symbol', () => {
  const file = 'function one() {\n  return 0;\n}\nfunction two() {\n  return 0;\n}\n';

  it('uses the first of several occurrences with a WARN naming the count and line', () => {
    const result = applyHunk({
      hunk: hunk({ action: 'MODIFY', anchorText: 'return 0;', newText: 'return 1;' }),
      current: file,
    });
    expect(applied(result)).toBe(file.replace('return 0;', 'return 1;'));
    expect(result.ok && result.warning).toBe('Anchor text matched 2 times; used the first occurrence (line 2)');
  });

  it('target_symbol picks the occurrence inside that symbol', () => {
    const start = file.indexOf('function two');
    const result = applyHunk({
      hunk: hunk({ action: 'MODIFY', anchorText: 'return 0;', newText: 'return 2;', targetSymbol: 'two' }),
      current: file,
      findSymbolSpans: (_text, symbol) => (symbol === 'two' ? [{ start, end: file.length }] : []),
    });
    expect(applied(result)).toBe('function one() {\n  return 0;\n}\nfunction two() {\n  return 2;\n}\n');
    expect(result.ok && result.warning).toBeUndefined();
  });

  it('an unknown target_symbol has no effect', () => {
    const result = applyHunk({
      hunk: hunk({ action: 'MODIFY', anchorText: 'return 0;', newText: 'return 2;', targetSymbol: 'three' }),
      current: file,
      findSymbolSpans: () => [],
    });
    expect(result.ok && result.warning).toContain('matched 2 times');
  });
});

describe('applyHunk: whitespace-tolerant matching', () => {
  it('applies a unique whitespace-only difference with a WARN and re-indents the new text', () => {
    const file = 'class A {\n\tm() {\n\t\treturn  1;\n\t}\n}\n';
    const result = applyHunk({
      hunk: hunk({
        action: 'MODIFY',
        anchorText: '  m() {\n    return 1;\n',
        newText: '  m() {\n    log();\n    return 1;\n',
      }),
      current: file,
    });
    expect(result.ok && result.warning).toBe('Anchor matched after whitespace normalisation (line 2)');
    expect(result.ok && result.match).toBe('whitespace');
    expect(applied(result)).toBe('class A {\n\tm() {\n\t  log();\n\t  return 1;\n\t}\n}\n');
  });

  it('re-indents by the indentation difference', () => {
    const file = 'if (x) {\n    if (y) {\n        go();\n    }\n}\n';
    const result = applyHunk({
      hunk: hunk({
        action: 'MODIFY',
        anchorText: 'if (y) {\n    go();\n}',
        newText: 'if (y) {\n    go();\n    stop();\n}',
      }),
      current: file,
    });
    expect(applied(result)).toBe('if (x) {\n    if (y) {\n        go();\n        stop();\n    }\n}\n');
  });

  it('deleting whole lines after a whitespace match removes their line breaks', () => {
    const result = applyHunk({ hunk: hunk({ action: 'DELETE', anchorText: '  b  \n' }), current: 'a\n\tb\nc\n' });
    expect(applied(result)).toBe('a\nc\n');
  });

  it('fails when the normalised anchor is ambiguous, naming the lines', () => {
    const result = applyHunk({
      hunk: hunk({ action: 'MODIFY', anchorText: '  x  ', newText: 'y' }),
      current: '\tx\n\tx\n',
    });
    expect(result).toEqual({
      ok: false,
      message: 'Anchor text is ambiguous after whitespace normalisation',
      details: 'src/a.ts: 2 matches at lines 1, 2',
    });
  });

  it('fails with the closest line and its similarity when nothing matches', () => {
    const result = applyHunk({
      hunk: hunk({ action: 'MODIFY', anchorText: 'return a - b;', newText: 'x' }),
      current: 'export function add(a, b) {\n  return a + b;\n}\n',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe('Anchor text not found after cumulative changes');
    expect(!result.ok && result.details).toMatch(/^src\/a\.ts: closest line 2 " {2}return a \+ b;" is \d+% similar$/u);
  });
});

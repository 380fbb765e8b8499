import { describe, expect, it } from 'vitest';
import { codeOnly, sourceFamily } from './source-text.js';

describe('codeOnly', () => {
  it('drops JS comments and empties strings and templates, keeping line breaks', () => {
    const text = 'it(\'assert it(\', () => { // expect(1)\n  /* expect(2)\n */ expect(`a\n${b}`).toBe("x\\"y");\n});\n';
    expect(codeOnly(text, 'javascript')).toBe('it(\'\', () => { \n  \n expect(`\n`).toBe("");\n});\n');
  });

  it('handles Python comments, triple-quoted strings and escapes', () => {
    const text = 'def test_a():\n    """assert docstring\n    def test_b"""\n    assert x == "a\\"b"  # assert\n';
    expect(codeOnly(text, 'python')).toBe('def test_a():\n    """\n"""\n    assert x == ""  \n');
  });

  it('handles Rust raw strings, char literals, lifetimes and nested comments', () => {
    const text = 'fn f<\'a>(s: &\'a str) -> char { /* a /* assert!() */ b */ let _ = r#"assert!("x")"#; \'"\' }\n';
    expect(codeOnly(text, 'rust')).toBe("fn f<'a>(s: &'a str) -> char {  let _ = r#\"\"#; '' }\n");
  });

  it('handles Go raw strings and runes', () => {
    expect(codeOnly("t.Error(`t.Fatal(\n`, '\"') // t.Skip()\n", 'go')).toBe("t.Error(`\n`, '') \n");
  });

  it('maps extensions to families', () => {
    expect(['a.tsx', 'b.mjs', 'c.py', 'd.rs', 'e.go', 'f.rb'].map(sourceFamily)).toEqual([
      'javascript',
      'javascript',
      'python',
      'rust',
      'go',
      undefined,
    ]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineAndColumn, parseJsonText } from './parse-json.js';

function parseFailure(text: string): string {
  const result = parseJsonText(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} not to parse`);
  return result.message;
}

describe('parseJsonText', () => {
  it('parses valid JSON and ignores a leading byte-order mark', () => {
    expect(parseJsonText('{"a": [1, true, null]}')).toEqual({ ok: true, value: { a: [1, true, null] } });
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('reports a trailing comma at the line and column of the closing brace (spec §5.9)', () => {
    const lines = ['{', '  "version": "3.0.0",', '  "engine": {'];
    for (let index = 0; index < 7; index += 1) lines.push(`    "key_${index}": ${index},`);
    lines.push('    "last": 1,', '  }', '}', '');
    const text = lines.join('\n');
    expect(text.split('\n')[11]).toBe('  }');
    expect(parseFailure(text)).toBe('Unexpected token } at line 12 column 3');
  });

  it('reports truncated input as the end of JSON input', () => {
    expect(parseFailure('{\n  "engine": {\n    "tdd_mode": true\n')).toBe('Unexpected end of JSON input');
    expect(parseFailure('')).toBe('Unexpected end of JSON input');
    expect(parseFailure('{"model": "anthro')).toBe('Unexpected end of JSON input');
  });

  it('names the offending character of common mistakes', () => {
    expect(parseFailure("{'model': 1}")).toBe("Unexpected token ' at line 1 column 2");
    expect(parseFailure('{"a": 1 "b": 2}')).toBe('Unexpected token " at line 1 column 9');
    expect(parseFailure('{"a": tru}')).toBe('Unexpected token } at line 1 column 10');
    expect(parseFailure('{"a": 01}')).toBe('Unexpected token 1 at line 1 column 8');
    expect(parseFailure('// comment\n{}')).toBe('Unexpected token / at line 1 column 1');
    expect(parseFailure('{"a":\r\n\t\u0001}')).toBe('Unexpected token "\\u0001" at line 2 column 2');
  });

  it('reports string and trailing-content problems with their position', () => {
    expect(parseFailure('{"a": "x\ny"}')).toBe('Bad control character in string literal at line 1 column 9');
    expect(parseFailure('{"a": "\\q"}')).toBe('Bad escaped character in string literal at line 1 column 9');
    expect(parseFailure('{"a": "\\u12G4"}')).toBe('Bad Unicode escape in string literal at line 1 column 12');
    expect(parseFailure('{}\n{}')).toBe('Unexpected non-whitespace character after JSON at line 2 column 1');
  });

  it('computes 1-based lines and columns', () => {
    expect(lineAndColumn('ab\ncd\r\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\r\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\r\nef', 7)).toEqual({ line: 3, column: 1 });
  });

  it('agrees with JSON.parse on what is valid JSON', () => {
    const validJson = fc.jsonValue().map((value) => JSON.stringify(value, null, 2));
    fc.assert(fc.property(validJson, (text) => findJsonSyntaxError(text) === null));
    const mutated = fc
      .tuple(validJson, fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '0', '-', '.', 'e', '\\', '\n', 'x'))
      .map(([text, position, insert]) => {
        const at = position % (text.length + 1);
        return text.slice(0, at) + insert + text.slice(at + 1);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        return (findJsonSyntaxError(text) === null) === valid;
      }),
      { numRuns: 2000 },
    );
  });
});

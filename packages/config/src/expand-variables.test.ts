import { describe, expect, it } from 'vitest';
import { containsVariableSyntax, expandVariables } from './expand-variables.js';
import { formatConfigIssue } from './format-issue.js';

const variables: Record<string, string> = { HOST: 'llm.internal', PORT: '8787', EMPTY: '' };
const lookup = (name: string): string | undefined => variables[name];
const file = '.kode/kode.json';

describe('expandVariables', () => {
  it('expands every string value at any depth and leaves other values and keys alone', () => {
    const result = expandVariables({
      value: { url: 'http://${HOST}:${PORT}/v1', list: ['${PORT}', 3, true, null], '${HOST}': { deep: '${HOST}' } },
      lookup,
      file,
    });
    expect(result.value).toEqual({
      url: 'http://llm.internal:8787/v1',
      list: ['8787', 3, true, null],
      '${HOST}': { deep: 'llm.internal' },
    });
    expect(result.warnings).toEqual([]);
  });

  it('expands an unset variable to "" with a warning naming the value', () => {
    const result = expandVariables({ value: { providers: { gateway_url: '${KODE_GATEWAY_URL}' } }, lookup, file });
    expect(result.value).toEqual({ providers: { gateway_url: '' } });
    expect(result.warnings.map(formatConfigIssue)).toEqual([
      '.kode/kode.json: /providers/gateway_url: ${KODE_GATEWAY_URL} is not set (expanded to "")',
    ]);
    expect(result.warnings[0]).toMatchObject({ kind: 'unset-variable', pointer: '/providers/gateway_url' });
  });

  it('treats a variable set to "" as set', () => {
    const result = expandVariables({ value: ['a${EMPTY}b'], lookup, file });
    expect(result).toEqual({ value: ['ab'], warnings: [] });
  });

  it('turns $${ into a literal ${ without expanding what follows', () => {
    const result = expandVariables({ value: ['$${HOST}', 'cost: $5', '${ not a reference', '$${'], lookup, file });
    expect(result).toEqual({ value: ['${HOST}', 'cost: $5', '${ not a reference', '${'], warnings: [] });
  });

  it('keeps a __proto__ key as a plain key', () => {
    const value = JSON.parse('{"__proto__": {"polluted": "${HOST}"}}') as unknown;
    const result = expandVariables({ value, lookup, file });
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(Object.keys(result.value as object)).toEqual(['__proto__']);
  });

  it('detects whether a document needs expansion', () => {
    expect(containsVariableSyntax({ a: [{ b: 'x ${Y}' }] })).toBe(true);
    expect(containsVariableSyntax({ a: [{ b: 'x $Y' }], c: 3 })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSource } from '../parse-source.js';

const parse = (path: string, text: string) =>
  parseSource({ language: path.endsWith('s') || path.endsWith('x') ? 'typescript' : 'javascript', path, text });

describe('TypeScript/JavaScript syntax', () => {
  it('accepts TS 5 decorators, satisfies, using, const type parameters and accessors', () => {
    const text = [
      '@sealed class Service { @logged accessor count = 0; @bound run(): void {} }',
      'const palette = { red: 1 } satisfies Record<string, number>;',
      '{ using handle = open(); }',
      'async function main() { await using connection = connect(); }',
      'function first<const T extends readonly unknown[]>(items: T) { return items[0]; }',
      "import data from './data.json' with { type: 'json' };",
    ].join('\n');
    expect(parse('src/a.ts', text).diagnostics).toEqual([]);
  });

  it('accepts JSX in .tsx and .js but not in .ts', () => {
    const jsx = 'export const view = <div className="x">{items.map((item) => <Row key={item} />)}</div>;\n';
    expect(parse('src/view.tsx', jsx).diagnostics).toEqual([]);
    expect(parse('src/view.js', jsx).diagnostics).toEqual([]);
    expect(parse('src/view.ts', jsx).diagnostics.length).toBeGreaterThan(0);
  });

  it('reports a syntax error with 1-based line and column', () => {
    const result = parse('src/a.ts', 'const ok = 1;\nconst a = (1, 2;\n');
    expect(result.diagnostics[0]).toEqual({ line: 2, column: 16, message: "')' expected." });
  });

  it('stays silent on sloppy-mode octals in .js and on Flow files, but not on real errors', () => {
    expect(parse('lib/old.js', 'var mode = 0755;\n').diagnostics).toEqual([]);
    expect(parse('lib/flow.js', '// @flow\nfunction f(x: ?string) {}\n').diagnostics).toEqual([]);
    expect(parse('lib/broken.js', 'function f( {\n').diagnostics.length).toBeGreaterThan(0);
  });
});

describe('TypeScript/JavaScript imports', () => {
  it('extracts static, type-only, re-export, dynamic, require and import-equals forms', () => {
    const text = [
      "import a from 'alpha';",
      "import type { B } from 'beta';",
      "import { type C, type D } from 'gamma';",
      "import { type E, f } from 'delta';",
      "export * from './all.js';",
      "export type { G } from './types.js';",
      "import './side-effect.css';",
      "const lazy = await import('lazy');",
      "const fs = require('node:fs');",
      "import legacy = require('legacy');",
      "type T = typeof import('typed');",
      'const dynamic = await import(name);',
    ].join('\n');
    const imports = parse('src/a.ts', text).imports.map(({ specifier, kind, typeOnly, line }) => ({
      specifier,
      kind,
      typeOnly: typeOnly ?? false,
      line,
    }));
    expect(imports).toEqual([
      { specifier: 'alpha', kind: 'import', typeOnly: false, line: 1 },
      { specifier: 'beta', kind: 'import', typeOnly: true, line: 2 },
      { specifier: 'gamma', kind: 'import', typeOnly: true, line: 3 },
      { specifier: 'delta', kind: 'import', typeOnly: false, line: 4 },
      { specifier: './all.js', kind: 'export-from', typeOnly: false, line: 5 },
      { specifier: './types.js', kind: 'export-from', typeOnly: true, line: 6 },
      { specifier: './side-effect.css', kind: 'import', typeOnly: false, line: 7 },
      { specifier: 'lazy', kind: 'dynamic-import', typeOnly: false, line: 8 },
      { specifier: 'node:fs', kind: 'require', typeOnly: false, line: 9 },
      { specifier: 'legacy', kind: 'import-equals', typeOnly: false, line: 10 },
      { specifier: 'typed', kind: 'dynamic-import', typeOnly: true, line: 11 },
    ]);
    expect(parse('src/a.ts', "import a from 'alpha';").imports[0]).toMatchObject({ line: 1, column: 15 });
  });

  it('marks requires inside try blocks optional and ignores a locally defined require', () => {
    const optional = parse('lib/a.js', "try { require('fsevents'); } catch {}\nrequire('chalk');\n").imports;
    expect(optional.map((record) => [record.specifier, record.optional ?? false])).toEqual([
      ['fsevents', true],
      ['chalk', false],
    ]);
    const amd = parse('lib/amd.js', "define(function (require) { var dep = require('./dep'); });\n").imports;
    expect(amd).toEqual([]);
  });
});

describe('TypeScript/JavaScript definitions', () => {
  it('lists functions, classes with methods, interfaces, types, enums and arrow functions with spans', () => {
    const text = [
      'export function top() {}',
      'class Repo {',
      '  find() {}',
      '  save = async () => {};',
      '}',
      'interface Shape { area(): number }',
      'type Id = string;',
      'enum Color { Red }',
      'export const handler = async (event: unknown) => event;',
    ].join('\n');
    const definitions = parse('src/a.ts', text).definitions;
    expect(
      definitions.map(({ name, kind, parent, startLine, endLine }) => ({ name, kind, parent, startLine, endLine })),
    ).toEqual([
      { name: 'top', kind: 'function', parent: undefined, startLine: 1, endLine: 1 },
      { name: 'Repo', kind: 'class', parent: undefined, startLine: 2, endLine: 5 },
      { name: 'find', kind: 'method', parent: 'Repo', startLine: 3, endLine: 3 },
      { name: 'save', kind: 'method', parent: 'Repo', startLine: 4, endLine: 4 },
      { name: 'Shape', kind: 'interface', parent: undefined, startLine: 6, endLine: 6 },
      { name: 'Id', kind: 'type', parent: undefined, startLine: 7, endLine: 7 },
      { name: 'Color', kind: 'enum', parent: undefined, startLine: 8, endLine: 8 },
      { name: 'handler', kind: 'function', parent: undefined, startLine: 9, endLine: 9 },
    ]);
    const repo = definitions[1];
    expect(text.slice(repo?.startOffset, repo?.endOffset)).toMatch(/^class Repo \{[\s\S]*\}$/);
  });
});

describe('TypeScript/JavaScript optional and type-only imports', () => {
  it('marks every import of a declaration file type-only', () => {
    expect(parse('types/index.d.ts', "import * as ESTree from 'estree';\n").imports[0]).toMatchObject({
      typeOnly: true,
    });
  });

  it('marks imports under @ts-ignore, in @ts-nocheck files and behind conditions optional', () => {
    const ignored = parse(
      'src/a.ts',
      "// @ts-ignore optional peer\ntype T = import('undici').Agent;\nimport 'real';\n",
    ).imports;
    expect(ignored.map((record) => [record.specifier, record.optional ?? false])).toEqual([
      ['undici', true],
      ['real', false],
    ]);
    expect(parse('src/b.ts', "// @ts-nocheck\nimport 'anything';\n").imports[0]?.optional).toBe(true);
    const conditional = parse(
      'lib/c.js',
      "if (process.env.X) { require('./dev.js'); }\nconst m = flag ? require('a') : null;\n",
    );
    expect(conditional.imports.every((record) => record.optional === true)).toBe(true);
  });

  it('returns an incomplete result instead of throwing on pathological nesting', () => {
    const result = parse('src/deep.js', '('.repeat(200_000));
    expect(result).toMatchObject({ incomplete: true, diagnostics: [] });
  });
});

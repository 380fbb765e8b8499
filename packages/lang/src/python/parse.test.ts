import { describe, expect, it } from 'vitest';
import { parseSource } from '../parse-source.js';
import { syntaxTree } from '../syntax-tree.js';

const parse = (text: string, path = 'app/module.py') => parseSource({ language: 'python', path, text });

describe('Python syntax', () => {
  it('accepts Python 3.12 generics, type aliases, match, except* and f-string nesting', () => {
    const text = [
      'def first[T](items: list[T]) -> T:',
      '    return items[0]',
      '',
      'class Box[T: (int, str), *Ts, **P]:',
      '    pass',
      '',
      'type Pair[T] = tuple[T, T]',
      '',
      'match command:',
      '    case Point(x=0, y=0) | [_, *rest]:',
      '        pass',
      '    case {"key": value} if value > 1:',
      '        pass',
      '    case _:',
      '        pass',
      '',
      'try:',
      '    pass',
      'except* ValueError:',
      '    pass',
      'message = f"{"nested"} {value!r:>{width}} {value=}"',
      'with (open(a) as f, open(b) as g):',
      '    pass',
    ].join('\n');
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.incomplete).toBe(false);
  });

  it('accepts Python 3.13 type parameter defaults, which tree-sitter-python rejects, without moving positions', () => {
    const text =
      'class C[T: (int, str) = int, *Ts = *tuple[int]]:\n    pass\ntype A[T = list[int]] = dict[str, T]\ndef f[T = int](x: T) -> T:\n    return x\nok = (1,\n';
    const result = parse(text);
    // Only the genuine error on the last line remains, at its original position.
    expect(result.diagnostics).toEqual([{ line: 6, column: 1, message: 'unexpected "ok"' }]);
    expect(result.definitions.map((definition) => definition.name)).toEqual(['C', 'A', 'f']);
  });

  it('reports a missing bracket and an unexpected token with line:col', () => {
    expect(parse('ok = 1\ndef f(:\n    pass\n').diagnostics[0]).toEqual({ line: 2, column: 7, message: 'missing ")"' });
    const unexpected = parse('if x\n    pass\n').diagnostics[0];
    expect(unexpected).toMatchObject({ line: 1, column: 1 });
    expect(unexpected?.message).toMatch(/^unexpected "/);
  });

  it('reports indentation errors tree-sitter lets through', () => {
    expect(parse('x = 1\n    y = 2\n').diagnostics).toEqual([{ line: 2, column: 5, message: 'unexpected indent' }]);
    expect(parse('def f():\nreturn 1\n').diagnostics).toEqual([
      { line: 2, column: 1, message: 'expected an indented block' },
    ]);
    const continued = 'def f():\n    x = [1,\n         2]\n    if x: return x\n    return (\n        x\n    )\n';
    expect(parse(continued).diagnostics).toEqual([]);
  });
});

describe('Python imports', () => {
  it('extracts import, from-import with level and names, aliases and guards', () => {
    const text = [
      'from __future__ import annotations',
      'import os.path as osp, sys',
      'from . import a, b as c',
      'from ..pkg.mod import (x, y)',
      'from .star import *',
      'try:',
      '    import ujson as json',
      'except ImportError:',
      '    import json',
      'if TYPE_CHECKING:',
      '    from collections.abc import Mapping',
      'def lazy():',
      '    import numpy',
    ].join('\n');
    const imports = parse(text).imports.map(({ specifier, kind, level, names, alias, optional, guard, line }) => ({
      specifier,
      kind,
      level,
      names,
      alias,
      optional,
      guard,
      line,
    }));
    expect(imports).toEqual([
      {
        specifier: '__future__',
        kind: 'python-from',
        level: 0,
        names: ['annotations'],
        alias: undefined,
        optional: true,
        guard: undefined,
        line: 1,
      },
      {
        specifier: 'os.path',
        kind: 'python-import',
        level: 0,
        names: undefined,
        alias: 'osp',
        optional: undefined,
        guard: undefined,
        line: 2,
      },
      {
        specifier: 'sys',
        kind: 'python-import',
        level: 0,
        names: undefined,
        alias: undefined,
        optional: undefined,
        guard: undefined,
        line: 2,
      },
      {
        specifier: '.',
        kind: 'python-from',
        level: 1,
        names: ['a', 'b'],
        alias: undefined,
        optional: undefined,
        guard: undefined,
        line: 3,
      },
      {
        specifier: '..pkg.mod',
        kind: 'python-from',
        level: 2,
        names: ['x', 'y'],
        alias: undefined,
        optional: undefined,
        guard: undefined,
        line: 4,
      },
      {
        specifier: '.star',
        kind: 'python-from',
        level: 1,
        names: ['*'],
        alias: undefined,
        optional: undefined,
        guard: undefined,
        line: 5,
      },
      {
        specifier: 'ujson',
        kind: 'python-import',
        level: 0,
        names: undefined,
        alias: 'json',
        optional: true,
        guard: 'try',
        line: 7,
      },
      {
        specifier: 'json',
        kind: 'python-import',
        level: 0,
        names: undefined,
        alias: undefined,
        optional: true,
        guard: 'try',
        line: 9,
      },
      {
        specifier: 'collections.abc',
        kind: 'python-from',
        level: 0,
        names: ['Mapping'],
        alias: undefined,
        optional: true,
        guard: 'if',
        line: 11,
      },
      {
        specifier: 'numpy',
        kind: 'python-import',
        level: 0,
        names: undefined,
        alias: undefined,
        optional: true,
        guard: 'function',
        line: 13,
      },
    ]);
    expect(parse('import requests\n').imports[0]).toMatchObject({ line: 1, column: 8 });
    expect(parse('import cffi  # type: ignore\nimport os\n').imports.map((record) => record.guard)).toEqual([
      'type-ignore',
      undefined,
    ]);
    const suppressed = [
      'import contextlib',
      'with contextlib.suppress(ImportError):',
      '    import docutils.nodes',
      'with open("f") as handle:',
      '    import yaml',
    ].join('\n');
    expect(parse(suppressed).imports.map((record) => [record.specifier, record.guard])).toEqual([
      ['contextlib', undefined],
      ['docutils.nodes', 'try'],
      ['yaml', undefined],
    ]);
  });

  it('lists functions, decorated classes with methods and type aliases', () => {
    const text =
      '@dataclass\nclass User:\n    name: str\n\n    def greet(self):\n        return 1\n\ndef main():\n    pass\ntype Id = int\n';
    const definitions = parse(text).definitions.map(({ name, kind, parent, startLine, endLine }) => ({
      name,
      kind,
      parent,
      startLine,
      endLine,
    }));
    expect(definitions).toEqual([
      { name: 'User', kind: 'class', parent: undefined, startLine: 1, endLine: 6 },
      { name: 'greet', kind: 'method', parent: 'User', startLine: 5, endLine: 6 },
      { name: 'main', kind: 'function', parent: undefined, startLine: 8, endLine: 9 },
      { name: 'Id', kind: 'type', parent: undefined, startLine: 10, endLine: 10 },
    ]);
  });

  it('gives up on a pathological input at the time budget instead of hanging', () => {
    const text = `x = [${'('.repeat(200_000)}`;
    const result = parseSource({ language: 'python', path: 'a.py', text, timeBudgetMs: 1 });
    expect(result.incomplete).toBe(true);
    expect(result.diagnostics).toEqual([]);
  });

  it('shares the budget between the parse and the walk over the tree (a walk past it gives up too)', () => {
    const text = Array.from({ length: 2_000 }, (_, index) => `a${index} = (lambda b: b * ${index})`).join('; ');
    // The tree comes from the parser's cache (syntaxTree parsed the same text), so only the walk can run out.
    expect(syntaxTree({ language: 'python', path: 'a.py', text })).not.toBeNull();
    const result = parseSource({ language: 'python', path: 'a.py', text, timeBudgetMs: -1 });
    expect(result.incomplete).toBe(true);
    expect(parseSource({ language: 'python', path: 'a.py', text }).incomplete).toBe(false);
  });
});

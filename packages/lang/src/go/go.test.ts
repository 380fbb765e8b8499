import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from '../fixtures.test-helpers.js';
import { tempProject } from '../fixtures.test-helpers.js';
import { createOverlay, EMPTY_OVERLAY } from '../overlay.js';
import { parseSource } from '../parse-source.js';
import { resolveImport } from '../resolve-import.js';

const MAIN = 'cmd/app/main.go';
const parse = (text: string) => parseSource({ language: 'go', path: 'main.go', text });

describe('Go syntax, imports and definitions', () => {
  it('accepts generics, type sets and generic methods', () => {
    const text = [
      'package api',
      'type Number interface { ~int | ~float64 }',
      'type List[T any] []T',
      'func (l List[T]) Len() int { return len(l) }',
      'func Map[T, U any](items []T, f func(T) U) []U { var out []U; for _, v := range items { out = append(out, f(v)) }; return out }',
      'func main() { for i := range 10 { _ = i }; _ = Map[int, string] }',
    ].join('\n');
    expect(parse(text).diagnostics).toEqual([]);
  });

  it('reports a syntax error with line:col', () => {
    const result = parse('package main\n\nfunc main() {\n\tx := (1 + \n}\n');
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics[0]?.line).toBeGreaterThanOrEqual(4);
    expect(result.diagnostics[0]?.message).toMatch(/^(missing|unexpected) "/);
  });

  it('extracts single, grouped, aliased, dot, blank and raw-string imports', () => {
    const text = 'package main\nimport "fmt"\nimport (\n\tf "os"\n\t. "strings"\n\t_ "embed"\n\t`net/http`\n)\n';
    expect(
      parse(text).imports.map(({ specifier, alias, line, column }) => ({ specifier, alias, line, column })),
    ).toEqual([
      { specifier: 'fmt', alias: undefined, line: 2, column: 8 },
      { specifier: 'os', alias: 'f', line: 4, column: 4 },
      { specifier: 'strings', alias: '.', line: 5, column: 4 },
      { specifier: 'embed', alias: '_', line: 6, column: 4 },
      { specifier: 'net/http', alias: undefined, line: 7, column: 2 },
    ]);
  });

  it('lists functions, methods with their receiver, structs, interfaces and types', () => {
    const text = 'package p\ntype S struct{}\ntype I interface{ M() }\ntype A = int\nfunc (s *S) M() {}\nfunc F() {}\n';
    expect(parse(text).definitions.map(({ name, kind, parent }) => ({ name, kind, parent }))).toEqual([
      { name: 'S', kind: 'struct', parent: undefined },
      { name: 'I', kind: 'interface', parent: undefined },
      { name: 'A', kind: 'type', parent: undefined },
      { name: 'M', kind: 'method', parent: 'S' },
      { name: 'F', kind: 'function', parent: undefined },
    ]);
  });
});

describe('Go import resolution in a module with require and replace', () => {
  let project: TempProject;
  const resolve = (specifier: string, fromFile = MAIN, overlay = EMPTY_OVERLAY) =>
    resolveImport({ projectRoot: project.root, fromFile, specifier, overlay });

  beforeAll(() => {
    project = tempProject('go-module-replace');
  });
  afterAll(() => project.cleanup());

  it('treats standard packages and cgo as builtin', () => {
    for (const specifier of ['fmt', 'net/http', 'encoding/json', 'log/slog', 'math/rand/v2', 'iter', 'C']) {
      expect(resolve(specifier)).toEqual({ kind: 'builtin' });
    }
  });

  it('resolves the module own packages and local replacements', () => {
    expect(resolve('example.com/app/pkg/api')).toEqual({ kind: 'project', file: 'pkg/api' });
    expect(resolve('example.com/app/internal/store')).toEqual({ kind: 'project', file: 'internal/store' });
    expect(resolve('example.com/shared/text')).toEqual({ kind: 'project', file: 'third_party/shared/text' });
  });

  it('accepts required modules by the longest module-path prefix', () => {
    expect(resolve('github.com/google/uuid')).toEqual({
      kind: 'external',
      name: 'github.com/google/uuid',
      declared: true,
      installed: true,
    });
    expect(resolve('golang.org/x/sync/errgroup')).toMatchObject({ kind: 'external', name: 'golang.org/x/sync' });
    expect(resolve('github.com/old/lib/sub')).toMatchObject({ kind: 'external', name: 'github.com/old/lib' });
  });

  it('fails hallucinated packages, missing module directories and foreign internal packages', () => {
    expect(resolve('github.com/not/realzz')).toEqual({
      kind: 'unresolved',
      reason: '"github.com/not/realzz" is not in the standard library, module example.com/app or go.mod',
    });
    expect(resolve('encoding/yaml')).toMatchObject({ kind: 'unresolved' });
    expect(resolve('example.com/app/pkg/hallucinated')).toMatchObject({ kind: 'unresolved' });
    expect(resolve('example.com/shared/missing')).toMatchObject({ kind: 'unresolved' });
    expect(resolve('github.com/google/uuid/internal/x')).toMatchObject({ kind: 'unresolved' });
    const outside = resolve('example.com/app/internal/store', 'third_party/shared/text/text.go');
    expect(outside.kind).toBe('unresolved');
  });

  it('resolves every import of the fixture module', () => {
    const records = parseSource({ language: 'go', path: MAIN, text: project.read(MAIN) }).imports;
    expect(records).toHaveLength(7);
    for (const record of records) expect(resolve(record.specifier).kind).not.toBe('unresolved');
  });

  it('sees packages created by the patch and not packages it deletes', () => {
    const created = createOverlay({ 'pkg/cache/cache.go': 'package cache\n' });
    expect(resolve('example.com/app/pkg/cache', MAIN, created)).toEqual({ kind: 'project', file: 'pkg/cache' });
    expect(resolve('example.com/app/pkg/cache').kind).toBe('unresolved');
    const deleted = createOverlay({ 'pkg/api/api.go': null });
    expect(resolve('example.com/app/pkg/api', MAIN, deleted).kind).toBe('unresolved');
  });

  it('skips imports of build-ignored files and files under testdata', () => {
    const ignored = parseSource({
      language: 'go',
      path: 'gen.go',
      text: '//go:build ignore\n\npackage main\n\nimport "github.com/tool/gen"\n',
    });
    expect(ignored.imports[0]?.optional).toBe(true);
    expect(resolve('github.com/not/realzz', 'pkg/api/testdata/fixture.go').kind).toBe('unknown');
  });

  it('reads go.work modules', () => {
    project.write({
      'go.work': 'go 1.22\n\nuse (\n\t.\n\t./tools\n)\n',
      'tools/go.mod': 'module example.com/tools\n\ngo 1.22\n',
      'tools/gen/gen.go': 'package gen\n',
    });
    expect(resolve('example.com/tools/gen')).toEqual({ kind: 'project', file: 'tools/gen' });
  });

  it('resolves the packages of GOROOT/src (`module std`), internal ones included, without a module prefix', () => {
    const std = tempProject();
    try {
      std.write({
        'go.mod': 'module std\n\ngo 1.19\n',
        'internal/abi/abi.go': 'package abi\n',
        'net/http/internal/ascii/print.go': 'package ascii\n',
        'net/http/client.go': 'package http\n',
        'os/file.go': 'package os\n',
      });
      const fromStd = (specifier: string, fromFile: string) =>
        resolveImport({ projectRoot: std.root, fromFile, specifier, overlay: EMPTY_OVERLAY });
      expect(fromStd('internal/abi', 'os/file.go')).toEqual({ kind: 'project', file: 'internal/abi' });
      expect(fromStd('net/http/internal/ascii', 'net/http/client.go')).toEqual({
        kind: 'project',
        file: 'net/http/internal/ascii',
      });
      expect(fromStd('net/http/internal/ascii', 'os/file.go').kind).toBe('unresolved');
      expect(fromStd('internal/hallucinated', 'os/file.go').kind).toBe('unresolved');
    } finally {
      std.cleanup();
    }
  });
});

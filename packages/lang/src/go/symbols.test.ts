// extractGoSymbols: package clause, imports, declarations with shapes and fingerprints, and references.
import { describe, expect, it } from 'vitest';
import type { FileSymbols } from '../symbols/types.js';
import { assumedGoPackageName, extractGoSymbols } from './symbols.js';

let counter = 0;
/** A fresh path per call, so the symbol cache never hides an extraction. */
const extract = (text: string): FileSymbols => {
  counter += 1;
  return extractGoSymbols({ language: 'go', path: `pkg/file${counter}.go`, text });
};
const lines = (...parts: string[]) => `${parts.join('\n')}\n`;
const declaration = (symbols: FileSymbols, name: string) => symbols.declarations.find((entry) => entry.name === name);
const fingerprint = (text: string, name: string) => declaration(extract(text), name)?.fingerprint;

describe('extractGoSymbols: package, imports and openness', () => {
  it('reads the package clause and every import spec with its local name', () => {
    const symbols = extract(
      lines(
        'package store',
        'import "fmt"',
        'import (',
        '\tlog "example.com/app/internal/logging"',
        '\t. "strings"',
        '\t_ "embed"',
        '\t"gopkg.in/yaml.v3"',
        '\t"github.com/mattn/go-sqlite3"',
        '\t`example.com/app/api/v2`',
        ')',
      ),
    );
    expect(symbols.packageName).toBe('store');
    expect(symbols.openExports).toBe(false);
    expect(symbols.imports.map(({ local, specifier, line, column }) => ({ local, specifier, line, column }))).toEqual([
      { local: 'fmt', specifier: 'fmt', line: 2, column: 8 },
      { local: 'log', specifier: 'example.com/app/internal/logging', line: 4, column: 6 },
      { local: '.', specifier: 'strings', line: 5, column: 4 },
      { local: '_', specifier: 'embed', line: 6, column: 4 },
      { local: 'yaml', specifier: 'gopkg.in/yaml.v3', line: 7, column: 2 },
      { local: 'sqlite3', specifier: 'github.com/mattn/go-sqlite3', line: 8, column: 2 },
      { local: 'api', specifier: 'example.com/app/api/v2', line: 9, column: 2 },
    ]);
    expect(symbols.imports.every((entry) => entry.kind === 'go-import' && entry.imported === '*')).toBe(true);
  });

  it('assumes the package name of an unaliased import as goimports does', () => {
    expect(assumedGoPackageName('net/http')).toBe('http');
    expect(assumedGoPackageName('github.com/go-chi/chi/v5')).toBe('chi');
    expect(assumedGoPackageName('github.com/mattn/go-isatty')).toBe('isatty');
    expect(assumedGoPackageName('gopkg.in/yaml.v2')).toBe('yaml');
  });

  it('marks cgo files and files with parse errors as open (names may come from elsewhere or be lost)', () => {
    expect(extract('package c\n\n// #include <stdio.h>\nimport "C"\n').openExports).toBe(true);
    expect(extract('package broken\n\nfunc F( {\n').openExports).toBe(true);
  });

  it('returns the remembered result for an unchanged text and a new one when it changes', () => {
    const path = 'pkg/cached.go';
    const first = extractGoSymbols({ language: 'go', path, text: 'package a\n\nfunc A() {}\n' });
    expect(extractGoSymbols({ language: 'go', path, text: 'package a\n\nfunc A() {}\n' })).toBe(first);
    const changed = extractGoSymbols({ language: 'go', path, text: 'package a\n\nfunc B() {}\n' });
    expect(changed.declarations.map((entry) => entry.name)).toEqual(['B']);
  });
});

describe('extractGoSymbols: declarations', () => {
  const text = lines(
    'package store',
    '',
    'const (',
    '\tKindA Kind = iota',
    '\tKindB',
    '\tlimit, Max = 1, 2',
    ')',
    '',
    'var Default, fallback *Store',
    '',
    'type Kind int',
    '',
    'type (',
    '\tStore struct {',
    '\t\tName, Path string `json:"name"`',
    '\t\tcache map[string]int',
    '\t\t*Base',
    '\t}',
    '\tReader interface {',
    '\t\tRead(p []byte) (n int, err error)',
    '\t\tfmt.Stringer',
    '\t}',
    '\tAlias = Store',
    ')',
    '',
    'func New[T any](name string, opts ...Option) (*Store, error) { return nil, nil }',
    '',
    'func (s *Store) Save(ctx context.Context, key, value string) error { return nil }',
    '',
    'func helper(int, string) {}',
    '',
    'func init() {}',
  );
  const symbols = extract(text);

  it('records funcs, methods as Type.Method, types, vars and grouped consts with their lines', () => {
    expect(symbols.declarations.map(({ name, kind, line, endLine }) => [name, kind, line, endLine])).toEqual([
      ['KindA', 'constant', 4, 4],
      ['KindB', 'constant', 5, 5],
      ['limit', 'constant', 6, 6],
      ['Max', 'constant', 6, 6],
      ['Default', 'variable', 9, 9],
      ['fallback', 'variable', 9, 9],
      ['Kind', 'type', 11, 11],
      ['Store', 'struct', 14, 18],
      ['Reader', 'interface', 19, 22],
      ['Alias', 'type', 23, 23],
      ['New', 'function', 26, 26],
      ['Store.Save', 'method', 28, 28],
      ['helper', 'function', 30, 30],
      ['init', 'function', 32, 32],
    ]);
  });

  it('exports the names that start with an upper-case letter (methods: type and method)', () => {
    expect(symbols.exports.map((entry) => entry.name)).toEqual([
      'KindA',
      'KindB',
      'Max',
      'Default',
      'Kind',
      'Store',
      'Reader',
      'Alias',
      'New',
      'Store.Save',
    ]);
  });

  it('gives package-level functions a call shape (grouped and unnamed parameters, variadic rest); methods none', () => {
    expect(declaration(symbols, 'New')?.callable).toEqual([{ required: 1, optional: 0, rest: true }]);
    expect(declaration(symbols, 'helper')?.callable).toEqual([{ required: 2, optional: 0, rest: false }]);
    expect(declaration(symbols, 'Store.Save')?.callable).toBeUndefined();
    expect(declaration(symbols, 'Store')?.callable).toBeUndefined();
  });

  it('keeps the signature text up to the body', () => {
    expect(declaration(symbols, 'New')?.signature).toBe('func New[T any](name string, opts ...Option) (*Store, error)');
    expect(declaration(symbols, 'Store.Save')?.signature).toBe(
      'func (s *Store) Save(ctx context.Context, key, value string) error',
    );
    expect(declaration(symbols, 'Store')?.signature).toBe('type Store struct {');
  });

  it('fingerprints function signatures, exported struct fields and interface method sets', () => {
    expect(declaration(symbols, 'New')?.fingerprint).toBe('func[T any](string,...Option) (*Store,error)');
    expect(declaration(symbols, 'Store.Save')?.fingerprint).toBe('(*Store) func(context.Context,string,string) error');
    expect(declaration(symbols, 'Store')?.fingerprint).toBe('struct{Name string;Path string;*Base}');
    expect(declaration(symbols, 'Reader')?.fingerprint).toBe('interface{Read([]byte) (int,error);fmt.Stringer}');
    expect(declaration(symbols, 'Alias')?.fingerprint).toBe('= Store');
    expect(declaration(symbols, 'Kind')?.fingerprint).toBe('int');
  });

  it('leaves a fingerprint alone for bodies, parameter names, layout, comments and unexported fields', () => {
    const base = fingerprint('package a\nfunc F(a int, b string) error { return nil }\n', 'F');
    expect(fingerprint('package a\nfunc F(x int,\n\ty string, // why\n) error { panic(1) }\n', 'F')).toBe(base);
    expect(fingerprint('package a\nfunc F(a int, b int) error { return nil }\n', 'F')).not.toBe(base);
    expect(fingerprint('package a\nfunc F(a int, b string) { }\n', 'F')).not.toBe(base);
    const struct = fingerprint('package a\ntype S struct { A int; b int }\n', 'S');
    expect(fingerprint('package a\ntype S struct {\n\tA int\n\tb, c string\n}\n', 'S')).toBe(struct);
    expect(fingerprint('package a\ntype S struct { A int64; b int }\n', 'S')).not.toBe(struct);
    const methods = fingerprint('package a\ntype I interface { A(); B(x int) }\n', 'I');
    expect(fingerprint('package a\ntype I interface {\n\tB(y int)\n\tA()\n}\n', 'I')).toBe(methods);
    expect(fingerprint('package a\ntype I interface { A() }\n', 'I')).not.toBe(methods);
  });
});

describe('extractGoSymbols: references', () => {
  const references = (body: string, header = '') =>
    extract(`package user\n${header}\nfunc Handle(ctx context.Context, id string) {\n${body}\n}\n`).references.map(
      ({ kind, name, member, line, column, arguments: given }) => ({
        kind,
        name,
        ...(member === undefined ? {} : { member }),
        at: `${line}:${column}`,
        ...(given === undefined ? {} : { args: `${given.count}${given.spread ? '+' : ''}` }),
      }),
    );

  it('records selector calls, selector reads, package types and plain calls with their arguments', () => {
    expect(references('\tu, err := store.Load(ctx, id)\n\tvar s store.Store = store.Default\n\tsave(u, err)')).toEqual([
      { kind: 'member', name: 'context', member: 'Context', at: '3:17' },
      { kind: 'call', name: 'store', member: 'Load', at: '4:12', args: '2' },
      { kind: 'member', name: 'store', member: 'Store', at: '5:8' },
      { kind: 'member', name: 'store', member: 'Default', at: '5:22' },
      { kind: 'call', name: 'save', at: '6:2', args: '2' },
    ]);
  });

  it('marks spread and multi-value arguments, and counts arguments around comments', () => {
    const body =
      '\tlog.Printf("%v", args...)\n\tuse(pair())\n\tuse(a /* first */, b)\n\tuse(\n\t\t1, // one\n\t\t2,\n\t)';
    expect(references(body).map((entry) => `${entry.name}${entry.member ?? ''} ${entry.args ?? ''}`)).toEqual([
      'contextContext ',
      'logPrintf 2+',
      'use 1+',
      'pair 0',
      'use 2',
      'use 2',
    ]);
  });

  it('leaves out locals: parameters, results, :=, var, range, type switch, select, closures, local types', () => {
    const body = [
      '\tf := func(cb func(int) int, store int) int { return cb(store) }',
      '\tfor i, k := range keys() { _ = i; k.Close() }',
      '\tswitch v := x.(type) { default: v.Use() }',
      '\tselect { case msg := <-ch: msg.Ack() }',
      '\tvar conv func(string)',
      '\tconv(id)',
      '\ttype local int',
      '\t_ = local(3)',
      '\t_ = f(nil, 1)',
      '\tctx.Done()',
    ].join('\n');
    const names = references(body).map(
      (entry) => `${entry.name}${entry.member === undefined ? '' : `.${entry.member}`}`,
    );
    expect(names).toEqual(['context.Context', 'keys']);
  });

  it('leaves out generic instantiations but still reads the package name inside them', () => {
    const body = '\t_ = Map[int, string](xs, fn)\n\t_ = pkg.Map[int](xs, fn)\n\t_ = pkg.List[int]{}';
    expect(references(body).map((entry) => `${entry.kind} ${entry.name}.${entry.member ?? ''}`)).toEqual([
      'member context.Context',
      'member pkg.Map',
      'member pkg.List',
    ]);
  });

  it('treats receiver type parameters as local, and file-level names as values rather than packages', () => {
    const text = lines(
      'package list',
      'var registry = map[string]int{}',
      'func (l *List[K, V]) Get(key K) V { _ = K(key); registry.Lookup(key); return V(nil) }',
    );
    expect(extract(text).references).toEqual([]);
  });
});

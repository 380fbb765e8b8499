// The Go rules of the calls gate through verify(), on real temporary Go modules.
import type { TempProject } from '@kode/test-utils';
import { createTempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '../../verify.js';

const BASE: Readonly<Record<string, string>> = {
  'go.mod': 'module example.com/app\n\ngo 1.22\n',
  'internal/store/store.go': [
    'package store',
    '',
    'import "context"',
    '',
    'type User struct{ Name string }',
    '',
    'var Default = New()',
    '',
    'func New() *Store { return &Store{} }',
    '',
    'type Store struct{}',
    '',
    'func (s *Store) Close() error { return nil }',
    '',
    'func SaveUser(ctx context.Context, user User) error { return saveRaw(nil) }',
    '',
    'func saveRaw(data []byte) error { return nil }',
    '',
    'func Log(format string, args ...any) {}',
    '',
    'func Pair() (int, error) { return 0, nil }',
    '',
  ].join('\n'),
  'internal/store/load.go': 'package store\n\nfunc LoadUser(id string) (User, error) { return User{}, nil }\n',
  'internal/store/export_test.go': 'package store\n\nfunc ResetForTest() {}\n',
  'internal/v2api/api.go': 'package api\n\nfunc Get(path string) string { return path }\n',
  'internal/plat/plat.go': 'package plat\n\nfunc Name() string { return native() }\n',
  'internal/plat/plat_linux.go':
    'package plat\n\nfunc native() string { return "linux" }\n\nfunc Linux() {}\n\nfunc Tune(a, b int) {}\n',
  'internal/plat/other.go':
    '//go:build !linux\n\npackage plat\n\nfunc native() string { return "other" }\n\nfunc Tune(a int) {}\n',
  'internal/user/util.go': 'package user\n\nfunc format(name string, width int) string { return name }\n',
};

const HANDLER = 'internal/user/handler.go';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

async function check(files: Record<string, string>, extra: Record<string, string> = {}) {
  project = await createTempProject({ files: { ...BASE, ...extra } });
  const result = await verify({ files }, { projectRoot: project.root });
  return {
    result,
    calls: (path: string) =>
      result.verdict.results.find((entry) => entry.check_name === 'calls' && entry.file === path),
  };
}

/** A Go file of package user importing the store package, with `body` inside a function. */
function handler(body: string, imports = '"context"\n\t"example.com/app/internal/store"'): string {
  return `package user\n\nimport (\n\t${imports}\n)\n\nfunc Handle(ctx context.Context, name string) error {\n${body}\n\treturn nil\n}\n`;
}

describe('calls gate: Go', () => {
  it('FAILs a call to a function the imported project package does not have, with the closest name', async () => {
    const { result } = await check({ [HANDLER]: handler('\tstore.SaveUsr(ctx, store.User{Name: name})') });
    expect(result.failed[HANDLER]).toBe(
      "calls: Call validation failed (internal/user/handler.go:9:2 store.SaveUsr is not defined in package example.com/app/internal/store; did you mean 'SaveUser'?)",
    );
  });

  it('FAILs a wrong argument count on a project function, and a missing variadic minimum', async () => {
    const body = '\t_ = store.SaveUser(ctx, store.User{}, 3)\n\tstore.Log()';
    const { result } = await check({ [HANDLER]: handler(body) });
    expect(result.failed[HANDLER]).toBe(
      'calls: Call validation failed (internal/user/handler.go:9:6 store.SaveUser takes 2 arguments but 3 were given; ' +
        'internal/user/handler.go:10:2 store.Log takes at least 1 argument but 0 were given)',
    );
  });

  it('FAILs an unexported or missing name read from a package, in value and type position', async () => {
    const body = '\t_ = store.saveRaw\n\tvar cache store.Cache\n\t_ = cache';
    const { calls } = await check({ [HANDLER]: handler(body) });
    expect(calls(HANDLER)?.status).toBe('FAIL');
    expect(calls(HANDLER)?.details).toBe(
      "internal/user/handler.go:9:6 store.saveRaw is not exported by package example.com/app/internal/store; did you mean 'SaveUser'?; " +
        'internal/user/handler.go:10:12 store.Cache is not defined in package example.com/app/internal/store',
    );
  });

  it('FAILs a plain call to a name no file of the package declares, and wrong arity across files', async () => {
    const body = '\t_ = formatName(name, 3)\n\t_ = format(name)';
    const { calls } = await check({ [HANDLER]: handler(body, '"context"') });
    expect(calls(HANDLER)?.details).toBe(
      "internal/user/handler.go:8:6 formatName is not defined in package user; did you mean 'format'?; " +
        'internal/user/handler.go:9:6 format takes 2 arguments but 1 was given',
    );
  });

  it('passes valid calls: other files of the package, variadic, multi-value arguments, types, vars, methods', async () => {
    const body = [
      '\t_ = store.SaveUser(ctx, store.User{Name: format(name, 2)})',
      '\t_, _ = store.LoadUser(name)',
      '\tstore.Log("x")',
      '\tstore.Log("%s %d", name, 2)',
      '\targs := []any{1}',
      '\tstore.Log("%d", args...)',
      '\tuse(store.Pair())',
      '\t_ = store.Default.Close()',
      '\tvar s *store.Store = store.New()',
      '\t_ = s.Close()',
      '\t_ = store.User(store.User{})',
      '\t_ = len(name) + int(3) + max(1, 2)',
      '\tf := func(a, b int) int { return a }',
      '\t_ = f(1, 2)',
    ].join('\n');
    const extra = 'func use(n int, err error) {}\n';
    const { result, calls } = await check({ [HANDLER]: handler(body) + extra });
    expect(calls(HANDLER)?.status).toBe('PASS');
    expect(result.verdict.overall).toBe('PASS');
  });

  it('stays silent on locals that shadow imports and package names, generics, conversions and closures', async () => {
    const content = [
      'package user',
      '',
      'import "example.com/app/internal/store"',
      '',
      'type ID string',
      '',
      'func Map[T any, U any](items []T, fn func(T) U) []U { return nil }',
      '',
      'func Shadow(missing func(int) int, store struct{ Nope func() }) {',
      '\tstore.Nope()',
      '\t_ = missing(1)',
      '\t_ = ID("x")',
      '\t_ = Map[int, string]([]int{1}, func(i int) string { return "" })',
      '\tgone := func() {}',
      '\tgone()',
      '\tswitch v := any(1).(type) {',
      '\tdefault:',
      '\t\t_ = v',
      '\t}',
      '}',
      '',
    ].join('\n');
    const { calls } = await check({ [HANDLER]: content });
    expect(calls(HANDLER)?.status).toBe('PASS');
  });

  it('finds names declared under any build tags, and leaves functions declared differently per platform alone', async () => {
    const content = [
      '//go:build windows',
      '',
      'package user',
      '',
      'import "example.com/app/internal/plat"',
      '',
      'func Where() string { plat.Linux(); plat.Tune(1); plat.Tune(1, 2); return plat.Name() + onlyOnLinux() }',
      '',
    ].join('\n');
    const tagged = '//go:build linux\n\npackage user\n\nfunc onlyOnLinux() string { return "" }\n';
    const { calls } = await check({ [HANDLER]: content }, { 'internal/user/only_linux.go': tagged });
    expect(calls(HANDLER)?.status).toBe('PASS');
  });

  it('FAILs a name no file declares under any tags, in a package with build-constrained files', async () => {
    const content = 'package user\n\nimport "example.com/app/internal/plat"\n\nfunc W() { plat.Native(); native() }\n';
    const { calls } = await check({ [HANDLER]: content });
    expect(calls(HANDLER)?.details).toBe(
      'internal/user/handler.go:5:12 plat.Native is not defined in package example.com/app/internal/plat; ' +
        'internal/user/handler.go:5:27 native is not defined in package user',
    );
  });

  it('stays silent on files with dot imports or cgo', async () => {
    const dot = 'package user\n\nimport . "example.com/app/internal/store"\n\nfunc X() { _ = New(); nothing() }\n';
    const cgo = 'package user\n\n// #include <stdio.h>\nimport "C"\n\nfunc Y() { C.puts(nil); nothing() }\n';
    const { calls } = await check({ 'internal/user/dot.go': dot, 'internal/user/cgo.go': cgo });
    expect(calls('internal/user/dot.go')?.status).toBe('PASS');
    expect(calls('internal/user/cgo.go')?.status).toBe('PASS');
  });

  it('binds an unaliased import to the package clause, and an alias to itself', async () => {
    const content = [
      'package user',
      '',
      'import (',
      '\t"example.com/app/internal/v2api"',
      '\tst "example.com/app/internal/store"',
      ')',
      '',
      'func Z() { _ = api.Get("/"); _ = api.Put("/"); _ = st.New(); st.Drop() }',
      '',
    ].join('\n');
    const { calls } = await check({ [HANDLER]: content });
    expect(calls(HANDLER)?.details).toBe(
      'internal/user/handler.go:8:34 api.Put is not defined in package example.com/app/internal/v2api; ' +
        'internal/user/handler.go:8:62 st.Drop is not defined in package example.com/app/internal/store',
    );
  });

  it('lets test files use test-only helpers of the package; other files may not', async () => {
    const internal = 'package store\n\nimport "testing"\n\nfunc TestX(t *testing.T) { ResetForTest() }\n';
    const external = [
      'package store_test',
      '',
      'import (',
      '\t"testing"',
      '\t"example.com/app/internal/store"',
      ')',
      '',
      'func TestY(t *testing.T) { store.ResetForTest(); store.Missing() }',
      '',
    ].join('\n');
    const { calls } = await check({
      'internal/store/store_test.go': internal,
      'internal/store/external_test.go': external,
      [HANDLER]: handler('\tstore.ResetForTest()'),
    });
    expect(calls('internal/store/store_test.go')?.status).toBe('PASS');
    expect(calls('internal/store/external_test.go')?.details).toBe(
      'internal/store/external_test.go:8:50 store.Missing is not defined in package example.com/app/internal/store',
    );
    expect(calls(HANDLER)?.details).toMatch(/^internal\/user\/handler\.go:9:2 store\.ResetForTest is not defined/u);
  });

  it('does not blame the patch for a problem the file already had; checks it in full with an empty pre-image', async () => {
    const before = handler('\tstore.Gone()');
    project = await createTempProject({ files: { ...BASE, [HANDLER]: before } });
    const modify = await verify(
      {
        hunks: [
          { id: 'h1', file_path: HANDLER, action: 'MODIFY', anchor_text: 'return nil', new_text: 'return ctx.Err()' },
        ],
      },
      { projectRoot: project.root },
    );
    const gate = modify.verdict.results.find((entry) => entry.check_name === 'calls' && entry.file === HANDLER);
    expect(gate?.status).toBe('PASS');
    const full = await verify(
      {
        hunks: [{ id: 'h1', file_path: HANDLER, action: 'INSERT', anchor_text: '', new_text: before }],
        original_files: { [HANDLER]: '' },
      },
      { projectRoot: project.root },
    );
    expect(full.failed.h1).toMatch(/^calls: Call validation failed \(.*store\.Gone is not defined in package/u);
  });
});

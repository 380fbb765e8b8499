// syntax and imports through verify() on small real projects, one per language.
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from './verify.js';
import type { Project } from './verify.test-helpers.js';
import { createProject } from './verify.test-helpers.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

async function setup(files: Record<string, string>): Promise<Project> {
  project = await createProject(files);
  return project;
}

function gate(result: Awaited<ReturnType<typeof verify>>, check: string, file: string) {
  return result.verdict.results.find((entry) => entry.check_name === check && entry.file === file);
}

describe('TypeScript / JavaScript', () => {
  const base = {
    'package.json': JSON.stringify({ name: 'app', type: 'module', dependencies: { leftpad: '1.0.0' } }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true },
    }),
    'node_modules/leftpad/package.json': JSON.stringify({ name: 'leftpad', version: '1.0.0', main: 'index.js' }),
    'node_modules/leftpad/index.js': 'module.exports = (s) => s;\n',
    'node_modules/transitivez/package.json': JSON.stringify({
      name: 'transitivez',
      version: '1.0.0',
      main: 'index.js',
    }),
    'node_modules/transitivez/index.js': 'module.exports = 1;\n',
    'src/util.ts': 'export const one = 1;\n',
  };

  it('valid modern syntax and resolvable imports pass', async () => {
    const { root } = await setup(base);
    const content = [
      "import { one } from './util.js';",
      "import pad from 'leftpad';",
      "import { readFile } from 'node:fs/promises';",
      "import path from 'path';",
      'function logged(target: unknown, context: ClassMethodDecoratorContext) { return target; }',
      'class A { @logged m() { return one; } }',
      'const config = { pad, readFile, path } satisfies Record<string, unknown>;',
      'export { A, config };',
      '',
    ].join('\n');
    const result = await verify({ files: { 'src/a.ts': content } }, { projectRoot: root });
    expect(gate(result, 'syntax', 'src/a.ts')?.status).toBe('PASS');
    expect(gate(result, 'imports', 'src/a.ts')?.status).toBe('PASS');
    expect(result.verdict.overall).toBe('PASS');
  });

  it('a hallucinated package or a missing relative file FAILs imports, naming the import', async () => {
    const { root } = await setup(base);
    const result = await verify(
      {
        hunks: [
          {
            id: 'h1',
            file_path: 'src/a.ts',
            action: 'INSERT',
            new_text: "import x from 'lodash-hallucinated-zz';\nexport const y = x;\n",
          },
          {
            id: 'h2',
            file_path: 'src/b.js',
            action: 'INSERT',
            new_text: "import { z } from './missing.js';\nexport { z };\n",
          },
        ],
      },
      { projectRoot: root },
    );
    expect(result.failed.h1).toMatch(
      /^imports: Import validation failed: unresolvable or hallucinated dependencies detected \(src\/a\.ts:1:15 .*'lodash-hallucinated-zz'/u,
    );
    expect(result.failed.h2).toMatch(/^imports: .*src\/b\.js:1:19 .*missing\.js/u);
    expect(gate(result, 'imports', 'src/a.ts')).toMatchObject({ hunk_id: 'h1', line: 1, column: 15 });
  });

  it('an import of a file the same patch creates resolves; one the patch deletes does not', async () => {
    const { root } = await setup(base);
    const created = await verify(
      {
        files: {
          'src/new.ts': 'export const n = 1;\n',
          'src/a.ts': "import { n } from './new.js';\nexport const m = n;\n",
        },
      },
      { projectRoot: root },
    );
    expect(gate(created, 'imports', 'src/a.ts')?.status).toBe('PASS');
    const deleted = await verify(
      { files: { 'src/util.ts': null, 'src/a.ts': "import { one } from './util.js';\nexport const m = one;\n" } },
      { projectRoot: root },
    );
    expect(gate(deleted, 'imports', 'src/a.ts')?.status).toBe('FAIL');
  });

  it('a package installed only transitively is a WARN, not a FAIL', async () => {
    const { root } = await setup(base);
    const result = await verify(
      { files: { 'src/b.ts': "import t from 'transitivez';\nexport const v = t;\n" } },
      { projectRoot: root },
    );
    expect(result.verdict.overall).toBe('PASS');
    expect(result.warnings).toEqual([
      "imports: Import validation warning: dependency resolved but not declared (src/b.ts:1:15 'transitivez' is installed only as a dependency of another package; add it to package.json)",
    ]);
  });

  it('a syntax error FAILs with the line; imports are not checked after it', async () => {
    const { root } = await setup(base);
    const result = await verify({ files: { 'src/a.ts': 'export const f = (a b) => a;\n' } }, { projectRoot: root });
    expect(result.failed['src/a.ts']).toMatch(
      /^syntax: Syntax check failed: the modified file contains parse errors \(src\/a\.ts:1:\d+ /u,
    );
    expect(gate(result, 'imports', 'src/a.ts')).toBeUndefined();
  });

  it('only the patch is blamed: pre-existing bad imports and parse errors are not its fault', async () => {
    const { root } = await setup({
      ...base,
      'src/old.ts': "import x from 'ghost-package-zz';\nexport const a = x;\nexport const broken = (1;\n",
    });
    const result = await verify(
      {
        hunks: [
          {
            id: 'h1',
            file_path: 'src/old.ts',
            action: 'MODIFY',
            anchor_text: 'export const a = x;',
            new_text: 'export const a = x ?? 0;',
          },
        ],
      },
      { projectRoot: root },
    );
    expect(result.failed).toEqual({});
    expect(gate(result, 'syntax', 'src/old.ts')).toMatchObject({
      status: 'WARN',
      message: 'File already had 1 parse error(s)',
    });
  });

  it('checks a whole existing file when its pre-image is given as empty', async () => {
    const { root } = await setup({ ...base, 'src/old.ts': "import x from 'ghost-package-zz';\nexport const a = x;\n" });
    const result = await verify(
      {
        hunks: [
          {
            id: 'h1',
            file_path: 'src/old.ts',
            action: 'INSERT',
            new_text: "import x from 'ghost-package-zz';\nexport const a = x;\n",
          },
        ],
        original_files: { 'src/old.ts': '' },
      },
      { projectRoot: root },
    );
    expect(result.failed.h1).toContain("'ghost-package-zz'");
  });

  it('a 1 MB single-line minified file is checked without a false alarm', async () => {
    const { root } = await setup({});
    const minified = `${'var a=1;'.repeat(120_000)}\n`;
    const result = await verify({ files: { 'dist/app.min.js': minified } }, { projectRoot: root });
    expect(result.failed).toEqual({});
    expect(['PASS', 'SKIPPED']).toContain(gate(result, 'syntax', 'dist/app.min.js')?.status);
  });

  it('unsupported extensions are SKIPPED by syntax and imports', async () => {
    const { root } = await setup({});
    const result = await verify({ files: { 'notes.md': '# {{{ not code\n' } }, { projectRoot: root });
    expect(gate(result, 'syntax', 'notes.md')?.status).toBe('SKIPPED');
    expect(gate(result, 'imports', 'notes.md')?.status).toBe('SKIPPED');
  });
});

describe('Python', () => {
  const base = {
    'pyproject.toml': '[project]\nname = "app"\nrequires-python = ">=3.12"\ndependencies = ["PyYAML>=6"]\n',
    'src/app/__init__.py': '',
    'src/app/util.py': 'def helper():\n    return 1\n',
  };

  it('valid 3.12 syntax with stdlib, project and declared imports passes', async () => {
    const { root } = await setup(base);
    const content = [
      'import os',
      'import yaml',
      'from app.util import helper',
      'from . import util',
      '',
      'type Pair[T] = tuple[T, T]',
      '',
      'def first[T](items: list[T]) -> T:',
      '    match items:',
      '        case [head, *_]:',
      '            return head',
      '        case _:',
      '            raise ValueError(os.sep)',
      '',
    ].join('\n');
    const result = await verify({ files: { 'src/app/main.py': content } }, { projectRoot: root });
    expect(gate(result, 'syntax', 'src/app/main.py')?.status).toBe('PASS');
    expect(gate(result, 'imports', 'src/app/main.py')?.status).toBe('PASS');
  });

  it('a module that is not stdlib, local or declared FAILs; a syntax error FAILs with the line', async () => {
    const { root } = await setup(base);
    const result = await verify(
      { files: { 'src/app/bad.py': 'import notarealmodule_zz\n', 'src/app/broken.py': 'def f(:\n    pass\n' } },
      { projectRoot: root },
    );
    expect(result.failed['src/app/bad.py']).toMatch(
      /^imports: Import validation failed: .*src\/app\/bad\.py:1:\d+ .*notarealmodule_zz/u,
    );
    expect(result.failed['src/app/broken.py']).toMatch(
      /^syntax: Syntax check failed: the modified file contains parse errors \(src\/app\/broken\.py:1:\d+/u,
    );
  });
});

describe('Rust', () => {
  const base = {
    'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nserde = "1"\n',
    'src/lib.rs': 'pub mod util;\n',
    'src/util.rs': 'pub fn helper() -> u32 { 1 }\n',
  };

  it('let-else and declared crates pass; an unknown crate FAILs naming it', async () => {
    const { root } = await setup(base);
    const good = [
      'use std::collections::HashMap;',
      'use serde::Serialize;',
      'use crate::util::helper;',
      '',
      'pub fn parse(input: Option<u32>) -> u32 {',
      '    let Some(value) = input else { return helper(); };',
      '    let _map: HashMap<u32, u32> = HashMap::new();',
      '    value',
      '}',
      '',
    ].join('\n');
    const result = await verify(
      { files: { 'src/util.rs': `${good}pub fn helper() -> u32 { 1 }\n` } },
      { projectRoot: root },
    );
    expect(gate(result, 'syntax', 'src/util.rs')?.status).toBe('PASS');
    expect(gate(result, 'imports', 'src/util.rs')?.status).not.toBe('FAIL');
    const bad = await verify(
      { files: { 'src/util.rs': 'use tokio_hallucinated_zz::run;\npub fn helper() -> u32 { 1 }\n' } },
      { projectRoot: root },
    );
    expect(bad.failed['src/util.rs']).toMatch(/^imports: .*tokio_hallucinated_zz/u);
  });

  it('a syntax error FAILs with the line', async () => {
    const { root } = await setup(base);
    const result = await verify(
      { files: { 'src/util.rs': 'pub fn helper() -> u32 {\n    let x = ;\n    1\n}\n' } },
      { projectRoot: root },
    );
    expect(result.failed['src/util.rs']).toMatch(
      /^syntax: Syntax check failed: the modified file contains parse errors \(src\/util\.rs:2:/u,
    );
  });
});

describe('Go', () => {
  const base = {
    'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n',
    'internal/util/util.go': 'package util\n\nfunc Helper() int { return 1 }\n',
  };

  it('generics, stdlib, module and required imports pass; an unknown module FAILs', async () => {
    const { root } = await setup(base);
    const good = [
      'package main',
      '',
      'import (',
      '\t"fmt"',
      '\t"github.com/google/uuid"',
      '\t"example.com/app/internal/util"',
      ')',
      '',
      'func Map[T any, U any](items []T, f func(T) U) []U {',
      '\tout := make([]U, 0, len(items))',
      '\tfor _, item := range items {',
      '\t\tout = append(out, f(item))',
      '\t}',
      '\treturn out',
      '}',
      '',
      'func main() { fmt.Println(uuid.NewString(), util.Helper()) }',
      '',
    ].join('\n');
    const result = await verify({ files: { 'cmd/app/main.go': good } }, { projectRoot: root });
    expect(gate(result, 'syntax', 'cmd/app/main.go')?.status).toBe('PASS');
    expect(gate(result, 'imports', 'cmd/app/main.go')?.status).toBe('PASS');
    const bad = await verify(
      {
        files: { 'cmd/app/main.go': 'package main\n\nimport "github.com/not/realzz"\n\nfunc main() { realzz.X() }\n' },
      },
      { projectRoot: root },
    );
    expect(bad.failed['cmd/app/main.go']).toMatch(/^imports: .*cmd\/app\/main\.go:3:8 .*github\.com\/not\/realzz/u);
  });

  it('a syntax error FAILs with the line', async () => {
    const { root } = await setup(base);
    const result = await verify(
      { files: { 'internal/util/util.go': 'package util\n\nfunc Helper( int { return 1 }\n' } },
      { projectRoot: root },
    );
    expect(result.failed['internal/util/util.go']).toMatch(/^syntax: .*internal\/util\/util\.go:3:/u);
  });
});

// The repository index on real temp projects: what it covers, the dependency graph both ways, the incremental cache
// (a second run parses nothing; one changed file parses one), and overlays that leave the cache alone.
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { indexCachePath } from './cache.js';
import { openIndex } from './project-index.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

async function setup(extra: Record<string, string> = {}): Promise<TempProject> {
  project = await createTempProject({
    git: true,
    name: 'kode-index',
    files: {
      'package.json': '{"name":"demo","type":"module"}\n',
      '.gitignore': 'generated/\n',
      '.kode/kode.json': '{"version":"3.0.0"}\n',
      'src/a.ts': "import { b } from './b.js';\nexport const a = () => b();\n",
      'src/b.ts': "import { c } from './c.js';\nexport function b() {\n  return c;\n}\n",
      'src/c.ts': 'export const c = 1;\n',
      'app/main.py': 'from app import util\n\nutil.run()\n',
      'app/__init__.py': '',
      'app/util.py': 'def run():\n    pass\n',
      'generated/big.ts': 'export const g = 1;\n',
      'node_modules/x/index.js': 'module.exports = 1;\n',
      '.env': 'TOKEN=abc\n',
      'README.md': '# demo\n',
      ...extra,
    },
  });
  return project;
}

describe('openIndex', () => {
  it('covers the source files git does not ignore and links imports both ways', async () => {
    const target = await setup();
    const index = await openIndex({ projectRoot: target.root });
    expect([...index.files.keys()].sort()).toEqual([
      'app/__init__.py',
      'app/main.py',
      'app/util.py',
      'src/a.ts',
      'src/b.ts',
      'src/c.ts',
    ]);
    expect(index.dependencies('src/a.ts')).toEqual(['src/b.ts']);
    expect(index.dependents('src/c.ts')).toEqual(['src/b.ts']);
    expect(index.dependencies('app/main.py')).toContain('app/util.py');
    expect(index.files.get('src/c.ts')?.hash).toMatch(/^[0-9a-f]{64}$/u);
  });

  it('re-parses nothing on a second run and exactly the changed file after an edit', async () => {
    const target = await setup();
    const first = await openIndex({ projectRoot: target.root });
    expect(first.stats.parsed).toBe(6);
    expect(existsSync(indexCachePath(target.root))).toBe(true);
    const second = await openIndex({ projectRoot: target.root });
    expect(second.stats).toMatchObject({ parsed: 0, resolutionsReused: true, files: 6 });
    expect(second.dependencies('src/a.ts')).toEqual(['src/b.ts']);
    await writeFile(join(target.root, 'src/c.ts'), "import { a } from './a.js';\nexport const c = a;\n");
    const third = await openIndex({ projectRoot: target.root });
    expect(third.stats.parsed).toBe(1);
    expect(third.dependencies('src/c.ts')).toEqual(['src/a.ts']);
    // A touched file with the same content is not parsed again (content hash, not mtime, decides).
    await utimes(join(target.root, 'src/b.ts'), new Date(), new Date(Date.now() + 5000));
    expect((await openIndex({ projectRoot: target.root })).stats.parsed).toBe(0);
  });

  it('re-resolves cached files when the file set changes, without re-parsing them', async () => {
    const target = await setup({ 'src/d.ts': "import { e } from './e.js';\nexport const d = e;\n" });
    const first = await openIndex({ projectRoot: target.root });
    expect(first.dependencies('src/d.ts')).toEqual([]);
    await writeFile(join(target.root, 'src/e.ts'), 'export const e = 2;\n');
    const second = await openIndex({ projectRoot: target.root });
    expect(second.stats).toMatchObject({ parsed: 1, resolutionsReused: false });
    expect(second.dependencies('src/d.ts')).toEqual(['src/e.ts']);
  });

  it('answers for an overlay without rewriting the cache', async () => {
    const target = await setup();
    const index = await openIndex({ projectRoot: target.root });
    const cacheBefore = await readFile(indexCachePath(target.root), 'utf8');
    const patched = index.withOverlay({
      'src/c.ts': "import { a } from './a.js';\nexport const c = a;\n",
      'src/new.ts': "import { c } from './c.js';\nexport const n = c;\n",
      'src/b.ts': null,
    });
    expect(patched.dependencies('src/c.ts')).toEqual(['src/a.ts']);
    expect(patched.dependents('src/c.ts')).toEqual(['src/new.ts']);
    expect(patched.files.has('src/b.ts')).toBe(false);
    expect(index.dependencies('src/c.ts')).toEqual([]);
    expect(await readFile(indexCachePath(target.root), 'utf8')).toBe(cacheBefore);
  });

  it('writes no cache into a project without a .kode directory unless asked', async () => {
    project = await createTempProject({ git: true, files: { 'a.py': 'import b\n', 'b.py': '' } });
    const index = await openIndex({ projectRoot: project.root });
    expect(index.dependencies('a.py')).toEqual(['b.py']);
    expect(existsSync(join(project.root, '.kode'))).toBe(false);
  });
});

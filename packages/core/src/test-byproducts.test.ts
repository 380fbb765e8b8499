// Real git repositories: what a test run leaves behind is reported, the patch's own files are not, and the
// user's index is never rewritten.
import { readFile, stat, utimes } from 'node:fs/promises';
import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { captureWorktreeState, testByproducts } from './test-byproducts.js';
import { runTestCommand } from './test-runner.js';

const projects: TempProject[] = [];
afterEach(async () => {
  for (const project of projects.splice(0)) await project.dispose();
});

async function repository(files: Readonly<Record<string, string>>): Promise<TempProject> {
  const created = await createTempProject({ name: 'kode-byproducts', files, git: true });
  projects.push(created);
  return created;
}

async function runTest(command: string, cwd: string): Promise<void> {
  const result = await runTestCommand({ command, cwd, timeoutS: 20, env: { PATH: process.env['PATH'] }, runId: 'R' });
  expect(result.exit_code).toBe(0);
}

describe.skipIf(process.platform === 'win32')('test by-products', () => {
  it('reports files the test created or changed, never the patch files', async () => {
    const project = await repository({ 'src/math.js': 'add\n', 'README.md': 'readme\n', 'data.json': '{}\n' });
    await project.write('src/math.js', 'add multiply\n'); // the applied patch
    await project.write('test/math.test.js', 'test\n'); // a new file from the patch
    const before = await captureWorktreeState(project.root);
    await runTest(
      'echo log > "out file é.log"; mkdir -p coverage; echo c > coverage/lcov.info; echo more >> README.md;' +
        ' echo again >> src/math.js',
      project.root,
    );
    const after = await captureWorktreeState(project.root);
    expect(testByproducts({ before, after, patchFiles: ['src/math.js', 'test/math.test.js'] })).toEqual([
      'README.md',
      'coverage/lcov.info',
      'out file é.log',
    ]);
  });

  it('reports an already-dirty file that the test changes again, but not one it leaves alone', async () => {
    const project = await repository({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    await project.write('a.txt', 'dirty a\n');
    await project.write('b.txt', 'dirty b\n');
    await project.write('untracked.txt', 'u\n');
    const before = await captureWorktreeState(project.root);
    await runTest('echo again >> a.txt', project.root);
    const after = await captureWorktreeState(project.root);
    expect(testByproducts({ before, after, patchFiles: [] })).toEqual(['a.txt']);
  });

  it('reports a dirty file that the test restored or deleted', async () => {
    const project = await repository({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    await project.write('a.txt', 'dirty\n');
    const before = await captureWorktreeState(project.root);
    await runTest('printf "a\\n" > a.txt; rm b.txt', project.root);
    const after = await captureWorktreeState(project.root);
    expect(testByproducts({ before, after, patchFiles: [] })).toEqual(['a.txt', 'b.txt']);
  });

  it('works on a project root below the git top level, with project-relative paths', async () => {
    const project = await repository({ 'pkg/src/a.js': 'a\n', 'other/b.js': 'b\n' });
    const root = project.path('pkg');
    const before = await captureWorktreeState(root);
    await runTest('echo x >> src/a.js; echo new > src/new.js; echo y >> ../other/b.js; echo z > ../top.txt', root);
    const after = await captureWorktreeState(root);
    expect(testByproducts({ before, after, patchFiles: ['./src/new.js'] })).toEqual(['src/a.js']);
    expect(testByproducts({ before, after, patchFiles: [] })).toEqual(['src/a.js', 'src/new.js']);
  });

  it('never rewrites the real index, even when git status would refresh it', async () => {
    const project = await repository({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const indexPath = project.path('.git/index');
    // Stale stat data: a plain `git status` re-hashes the file and writes the refreshed index.
    await utimes(project.path('a.txt'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    await project.write('c.txt', 'new\n');
    const bytes = await readFile(indexPath);
    const modified = (await stat(indexPath)).mtimeMs;
    const state = await captureWorktreeState(project.root);
    expect([...(state?.fingerprints.keys() ?? [])]).toEqual(['c.txt']);
    expect(await readFile(indexPath)).toEqual(bytes);
    expect((await stat(indexPath)).mtimeMs).toBe(modified);
    // The check above means something only if git would otherwise have rewritten the index.
    project.git('status', '--porcelain');
    expect(await readFile(indexPath)).not.toEqual(bytes);
  });

  it('does not create an index in a repository that has none', async () => {
    const project = await createTempProject({
      name: 'kode-byproducts',
      files: { 'a.txt': 'a\n' },
      git: true,
      commit: false,
    });
    projects.push(project);
    const before = await captureWorktreeState(project.root);
    expect([...(before?.fingerprints.keys() ?? [])]).toEqual(['a.txt']);
    await expect(stat(project.path('.git/index'))).rejects.toThrow();
    await runTest('echo b > b.txt', project.root);
    const after = await captureWorktreeState(project.root);
    expect(testByproducts({ before, after, patchFiles: [] })).toEqual(['b.txt']);
  });

  it('returns undefined outside git, and then reports nothing', async () => {
    const project = await createTempProject({ name: 'kode-byproducts-plain', files: { 'a.txt': 'a\n' } });
    projects.push(project);
    const before = await captureWorktreeState(project.root);
    expect(before).toBeUndefined();
    await runTest('echo b > b.txt', project.root);
    const after = await captureWorktreeState(project.root);
    expect(testByproducts({ before, after, patchFiles: [] })).toEqual([]);
  });
});

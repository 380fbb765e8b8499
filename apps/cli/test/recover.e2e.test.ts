// `kode recover` after a real crash: a child process applies a transaction and is SIGKILLed after its
// first rename (KODE_FAULT); recover must restore the tree byte for byte and record it (spec §3.16, §8.8).
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTempProject, runKode } from '@kode/test-utils';
import { describe, expect, it } from 'vitest';

const snapshotEntry = pathToFileURL(createRequire(import.meta.url).resolve('@kode/snapshot')).href;

const crashingRun = `
import { acquireRunLock, applyTransaction } from ${JSON.stringify(snapshotEntry)};
const root = process.argv[1];
await acquireRunLock({ projectRoot: root, runId: '01KCRASHTEST0000000000000A', command: 'loop' });
await applyTransaction({ projectRoot: root, runId: '01KCRASHTEST0000000000000A', command: 'loop', changes: [
  { path: 'src/a.js', content: Buffer.from('export const a = 2;\\n') },
  { path: 'src/b.js', content: Buffer.from('export const b = 2;\\n') },
  { path: 'src/new/c.js', content: Buffer.from('export const c = 1;\\n') },
] });
`;

describe('kode recover', () => {
  it('restores a tree left half-applied by a killed run, records it, and is idempotent', async () => {
    await using project = await createTempProject({
      git: true,
      files: { 'src/a.js': 'export const a = 1;\n', 'src/b.js': 'export const b = 1;\n' },
    });
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', crashingRun, project.root], {
      env: { ...process.env, KODE_FAULT: 'after-rename:1' },
      encoding: 'utf8',
    });
    expect(child.signal).toBe('SIGKILL');
    const statusBefore = project.git('status', '--porcelain', '--', 'src');
    expect(statusBefore).not.toBe('');

    // §3.0: a command that does not write points at the interrupted run, continues, and changes nothing.
    const notice = '! an interrupted kode run was found (01KCRASHTEST0000000000000A): run kode recover\n';
    const show = await runKode(['config', 'show'], { cwd: project.root });
    expect(show.exitCode).toBe(0);
    expect(show.stderr).toContain(notice);
    const hunks = JSON.stringify({ hunks: [{ id: 'h', file_path: 'src/d.js', action: 'INSERT', new_text: 'x;\n' }] });
    const verified = await runKode(['verify', '--input', '-'], { cwd: project.root, input: hunks });
    expect(verified.exitCode).toBe(0);
    expect(verified.stderr).toContain(notice);
    expect(project.git('status', '--porcelain', '--', 'src')).toBe(statusBefore);

    const run = await runKode(['recover'], { cwd: project.root });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(
      /^✓ recovered 01KCRASH… \(loop, started \S+\): restored \d file\(s\), removed \d created file\(s\)\n$/,
    );
    expect(await project.read('src/a.js')).toBe('export const a = 1;\n');
    expect(await project.read('src/b.js')).toBe('export const b = 1;\n');
    expect(project.git('status', '--porcelain', '--', 'src')).toBe('');

    const log = (await readFile(join(project.root, 'logs', 'kode.log'), 'utf8')).trim().split('\n');
    expect(log.map((line) => (JSON.parse(line) as { command: string }).command)).toEqual(['verify', 'recover']);
    expect(JSON.parse(log[1] ?? '{}')).toMatchObject({
      command: 'recover',
      status: 'PASS',
      recovered: { run_id: '01KCRASHTEST0000000000000A' },
    });

    const again = await runKode(['recover', '--json'], { cwd: project.root });
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ recovered: [], rejected: [] });
    const text = await runKode(['recover'], { cwd: project.root });
    expect(text.stderr).toBe('✓ nothing to recover\n');
    expect((await runKode(['config', 'show'], { cwd: project.root })).stderr).not.toContain('interrupted');
  });
});

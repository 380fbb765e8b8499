// The README quickstart (`pnpm demo`, `pnpm demo rollback`): a full `kode loop` offline on the bundled example
// project with recorded sessions served by the replay provider. Also guards the recordings: a prompt change that
// makes them stale shows up here as a replay mismatch (re-record with `node tools/record-demo.mjs`).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function demo(scenario: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'tools', 'demo.mjs'), scenario], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm demo', () => {
  it('pass: generate -> verify -> apply -> test -> PASS, with the recording matching what Kode sends', async () => {
    const before = await readFile(join(root, 'examples/loop-demo/src/math.js'), 'utf8');
    const run = await demo('pass');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'PASS', written: true, test: { exit_code: 0 } });
    expect(run.stderr).toContain('Sending to replay/pass.jsonl');
    expect(run.stderr).toContain('✓ All done');
    expect(run.stderr).toContain('export function multiply(a, b)');
    expect(run.stderr).not.toContain('differs from the recording');
    // The repository's copy of the example is never edited.
    expect(await readFile(join(root, 'examples/loop-demo/src/math.js'), 'utf8')).toBe(before);
  });

  it('rollback: the tests fail and the change is rolled back, exit 1', async () => {
    const run = await demo('rollback');
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'FAIL', rolled_back: true, written: false });
    expect(run.stderr).toContain('✗ tests failed after applying patches (rolled back)');
    expect(run.stderr).toContain('src/math.js is now:\nexport function add(a, b) {\n  return a + b;\n}\n');
    expect(run.stderr).not.toContain('differs from the recording');
  });
});

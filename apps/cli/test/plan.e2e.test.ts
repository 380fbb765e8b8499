// `kode plan` as a real process (SPEC §3.2): summary on stderr, --packet on stdout (accepted by --context-file), the
// usage errors, and a task that matches nothing.
import { createTempProject, runKode } from '@kode/test-utils';
import { describe, expect, it } from 'vitest';

describe('kode plan', () => {
  it('prints the summary, the packet and the graph; refuses bad combinations and unmatched tasks', async () => {
    await using project = await createTempProject({
      git: true,
      files: {
        'package.json': '{"name":"demo","type":"module"}\n',
        'src/math.js': 'export function add(a, b) {\n  return a + b;\n}\n',
        'test/math.test.js': "import { add } from '../src/math.js';\nadd(1, 2);\n",
      },
    });
    const summary = await runKode(['plan', 'add multiply to src/math.js'], { cwd: project.root });
    expect(summary.exitCode, summary.stderr).toBe(0);
    expect(summary.stdout).toBe('');
    expect(summary.stderr).toContain('── Context Graph Summary');
    expect(summary.stderr).toContain('  ├─ function: add [certain]');
    expect(summary.stderr).toMatch(/Step 1: Process src\n {2}src\/math\.js/u);
    const packet = await runKode(['plan', 'add multiply to src/math.js', '--packet', '--max-tokens', '500'], {
      cwd: project.root,
    });
    expect(packet.exitCode).toBe(0);
    const document = JSON.parse(packet.stdout) as { version: number; total_tokens: number; files: { path: string }[] };
    expect(document.version).toBe(1);
    expect(document.total_tokens).toBeLessThanOrEqual(500);
    expect(document.files.map((file) => file.path)).toContain('src/math.js');
    const graph = await runKode(['plan', 'add', '--graph'], { cwd: project.root });
    expect(Object.keys((JSON.parse(graph.stdout) as { nodes: object }).nodes)).toContain('src/math.js#add');
    const both = await runKode(['plan', 'x', '--graph', '--packet'], { cwd: project.root });
    expect(both.exitCode).toBe(2);
    const small = await runKode(['plan', 'x', '--max-tokens', '100'], { cwd: project.root });
    expect(small.exitCode).toBe(2);
    const none = await runKode(['plan', 'zzz qqq'], { cwd: project.root });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('error: no file or symbol in the project matches the task: name a file or symbol');
  });
});

// Real-process tests of the output conventions every command shares (spec §3.0, §3.19, §3.20).
import { createTempProject, runKode } from '@kode/test-utils';
import { describe, expect, it } from 'vitest';

describe('kode basics', () => {
  it('--version prints the bare version and `version` the long form', async () => {
    await using project = await createTempProject();
    const bare = await runKode(['--version'], { cwd: project.root });
    expect(bare.exitCode).toBe(0);
    expect(bare.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const long = await runKode(['version'], { cwd: project.root });
    expect(long.stdout).toBe(
      `kode ${bare.stdout.trim()} (commit: ${/commit: (\S+),/.exec(long.stdout)?.[1] ?? '?'}, date: ${/date: (\S+),/.exec(long.stdout)?.[1] ?? '?'}, node ${process.version})\n`,
    );
    const json = JSON.parse((await runKode(['version', '--json'], { cwd: project.root })).stdout) as Record<
      string,
      string
    >;
    expect(Object.keys(json)).toEqual(['version', 'commit', 'date', 'node']);
    expect(json.version).toBe(bare.stdout.trim());
  });

  it('an unknown flag prints usage on stderr and exits 2 with nothing on stdout', async () => {
    await using project = await createTempProject();
    const run = await runKode(['stats', '--frobnicate'], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Unknown argument');
    expect(run.stderr).toContain('kode stats');
  });

  it('an unknown command exits 2', async () => {
    await using project = await createTempProject();
    const run = await runKode(['frobnicate'], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('--help goes to stdout with exit 0, and bare kode without a TTY prints the help', async () => {
    await using project = await createTempProject();
    const help = await runKode(['--help'], { cwd: project.root });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('kode stats');
    expect(help.stderr).toBe('');
    const bare = await runKode([], { cwd: project.root });
    expect(bare.exitCode).toBe(0);
    expect(bare.stdout).toContain('kode init');
  });

  it('completion prints bash and zsh scripts and refuses other shells', async () => {
    await using project = await createTempProject();
    const bash = await runKode(['completion'], { cwd: project.root });
    expect(bash.exitCode).toBe(0);
    expect(bash.stdout).toContain('complete -o bashdefault -o default -F _kode_completions kode');
    const zsh = await runKode(['completion', 'zsh'], { cwd: project.root });
    expect(zsh.stdout).toContain('#compdef kode');
    const fish = await runKode(['completion', 'fish'], { cwd: project.root });
    expect(fish.exitCode).toBe(2);
    expect(fish.stderr).toBe('error: unsupported shell "fish": use bash or zsh\n');
    const suggestions = await runKode(['--get-yargs-completions', 'sta'], { cwd: project.root });
    expect(suggestions.stdout).toContain('stats');
  });

  it('--project-dir that does not exist is a usage error', async () => {
    await using project = await createTempProject();
    const run = await runKode(['config', 'show', '--project-dir', 'missing'], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('error: project directory does not exist:');
  });
});

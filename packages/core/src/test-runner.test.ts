// Real /bin/sh children: exit codes, the bounded tail, environment filtering, and that nothing the test
// started outlives the run (timeout, SIGTERM-ignoring tests, interrupts, background writers).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { runTestCommand, testEnvironment, testFailureReason } from './test-runner.js';
import type { TestRunOptions, TestRunResult } from './test-runner.js';

const projects: TempProject[] = [];
afterEach(async () => {
  for (const project of projects.splice(0)) await project.dispose();
});

async function project(): Promise<TempProject> {
  const created = await createTempProject({ name: 'kode-test-runner' });
  projects.push(created);
  return created;
}

async function run(
  options: Partial<TestRunOptions> & { readonly command: string; readonly cwd: string },
): Promise<TestRunResult> {
  return runTestCommand({ timeoutS: 20, env: { PATH: process.env['PATH'] }, runId: 'RUN-1', ...options });
}

/** Zombies count as dead: where PID 1 does not reap orphans they never disappear. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

async function pidFrom(path: string): Promise<number> {
  const pid = Number((await readFile(path, 'utf8')).trim());
  expect(pid).toBeGreaterThan(1);
  return pid;
}

const base: TestRunResult = {
  exit_code: 0,
  signal: null,
  timed_out: false,
  interrupted: false,
  duration_ms: 1,
  output_tail: '',
};

describe.skipIf(process.platform === 'win32')('runTestCommand', () => {
  it('reports a passing command', async () => {
    const { root } = await project();
    const result = await run({ command: 'echo ok', cwd: root });
    expect(result).toMatchObject({ exit_code: 0, signal: null, timed_out: false, interrupted: false });
    expect(result.output_tail).toBe('ok\n');
    expect(testFailureReason({ result, command: 'echo ok', timeoutS: 20 })).toBeUndefined();
  });

  it('reports a failing command and a missing one as plain non-zero exits', async () => {
    const { root } = await project();
    const failed = await run({ command: 'echo nope >&2; exit 3', cwd: root });
    expect(failed).toMatchObject({ exit_code: 3, signal: null, timed_out: false });
    expect(failed.output_tail).toBe('nope\n');
    const missing = await run({ command: 'kode-no-such-command-xyz', cwd: root });
    expect(missing.exit_code).toBe(127);
    expect(testFailureReason({ result: missing, command: 'npm test', timeoutS: 20 })).toBe(
      'tests: test command exited with code 127 (npm test)',
    );
  });

  it('runs in the project root', async () => {
    const { root } = await project();
    expect((await run({ command: 'pwd', cwd: root })).output_tail).toBe(`${root}\n`);
  });

  it('rejects when the test command cannot be started at all', async () => {
    const { root } = await project();
    await expect(run({ command: 'true', cwd: `${root}/missing-directory` })).rejects.toThrow(
      /could not start the test command/,
    );
  });

  it('keeps the last 100 lines of output', async () => {
    const { root } = await project();
    const result = await run({ command: 'i=1; while [ $i -le 200 ]; do echo "line $i"; i=$((i+1)); done', cwd: root });
    const lines = result.output_tail.split('\n');
    expect(lines).toHaveLength(101); // 100 lines and the empty string after the final newline
    expect(lines[0]).toBe('line 101');
    expect(lines[99]).toBe('line 200');
  });

  it('keeps at most 16 KiB of a megabyte-long line, and streams all of it', async () => {
    const { root } = await project();
    let streamed = 0;
    const result = await run({
      command: "head -c 1048576 /dev/zero | tr '\\0' x; echo; echo end",
      cwd: root,
      onOutput: (text) => (streamed += text.length),
    });
    expect(streamed).toBe(1048576 + 5);
    expect(Buffer.byteLength(result.output_tail)).toBeLessThanOrEqual(16 * 1024);
    expect(result.output_tail.endsWith('x\nend\n')).toBe(true);
  });

  it('never splits a multi-byte character when cutting the tail', async () => {
    const { root } = await project();
    // 7000 two-byte characters, so the 16 KiB cut lands inside one unless it is moved to a boundary.
    const result = await run({
      command: `s=éééééééééé; i=0; while [ $i -lt 700 ]; do printf $s; i=$((i+1)); done`,
      cwd: root,
    });
    expect(Buffer.byteLength(result.output_tail)).toBeLessThanOrEqual(16 * 1024);
    expect(result.output_tail).toMatch(/^é+$/);
  });

  it('streams stdout and stderr in arrival order', async () => {
    const { root } = await project();
    const chunks: string[] = [];
    const result = await run({
      command: 'echo one; sleep 0.05; echo two >&2; sleep 0.05; echo three',
      cwd: root,
      onOutput: (text) => chunks.push(text),
    });
    expect(chunks.join('')).toBe('one\ntwo\nthree\n');
    expect(result.output_tail).toBe('one\ntwo\nthree\n');
  });

  it('redacts the tail', async () => {
    const { root } = await project();
    const result = await run({
      command: 'echo password=hunter2',
      cwd: root,
      redact: (text) => text.replaceAll('hunter2', '[REDACTED:test]'),
    });
    expect(result.output_tail).toBe('password=[REDACTED:test]\n');
  });

  it('passes a filtered environment with KODE_RUN_ID', async () => {
    const { root } = await project();
    const env = { PATH: process.env['PATH'], FOO_TOKEN: 'token-value', PLAIN: 'plain', OPENAI_API_KEY: 'sk-1' };
    const command = 'echo "[$FOO_TOKEN][$PLAIN][$OPENAI_API_KEY][$KODE_RUN_ID]"';
    expect((await run({ command, cwd: root, env })).output_tail).toBe('[][plain][][RUN-1]\n');
    const allowed = await run({ command, cwd: root, env, envAllow: ['FOO_TOKEN'], runId: 'RUN-2' });
    expect(allowed.output_tail).toBe('[token-value][plain][][RUN-2]\n');
  });

  it('times out, killing the shell and a grandchild', async () => {
    const { root } = await project();
    const result = await run({
      command: `sh -c 'sleep 100 & echo $! > grandchild.pid; sleep 100'`,
      cwd: root,
      timeoutS: 0.5,
      killGraceMs: 200,
    });
    expect(result).toMatchObject({ timed_out: true, interrupted: false, exit_code: null, signal: 'SIGTERM' });
    expect(running(await pidFrom(join(root, 'grandchild.pid')))).toBe(false);
    expect(testFailureReason({ result, command: 'npm test', timeoutS: 600 })).toBe(
      'tests: test command timed out after 600s (npm test)',
    );
  });

  it('SIGKILLs a test that ignores SIGTERM', async () => {
    const { root } = await project();
    const result = await run({
      command: `trap "" TERM; sleep 100 & echo $! > child.pid; wait; wait`,
      cwd: root,
      timeoutS: 0.5,
      killGraceMs: 100,
    });
    expect(result).toMatchObject({ timed_out: true, exit_code: null, signal: 'SIGKILL' });
    expect(running(await pidFrom(join(root, 'child.pid')))).toBe(false);
  });

  it('treats an abort as an interrupt and kills the group', async () => {
    const { root } = await project();
    const controller = new AbortController();
    let group = 0;
    const result = await run({
      command: 'sleep 100 & echo $! > child.pid; echo ready; wait',
      cwd: root,
      signal: controller.signal,
      killGraceMs: 200,
      onStart: ({ processGroupId }) => {
        group = processGroupId;
      },
      onOutput: (text) => {
        if (text.includes('ready')) controller.abort();
      },
    });
    expect(result).toMatchObject({ interrupted: true, timed_out: false, exit_code: null });
    expect(running(await pidFrom(join(root, 'child.pid')))).toBe(false);
    expect(running(group)).toBe(false);
    expect(testFailureReason({ result, command: 'npm test', timeoutS: 600 })).toBe(
      'tests: test command was interrupted (npm test)',
    );
  });

  it('does not start anything when already aborted', async () => {
    const { root } = await project();
    const result = await run({ command: 'touch started', cwd: root, signal: AbortSignal.abort() });
    expect(result.interrupted).toBe(true);
    await expect(readFile(join(root, 'started'))).rejects.toThrow();
  });

  it('kills a background writer left behind by a passing test before resolving', async () => {
    const { root } = await project();
    const result = await run({
      command: 'while :; do echo tick >> ticks.txt; sleep 0.01; done & echo $! > writer.pid; sleep 0.1; echo done',
      cwd: root,
    });
    expect(result.exit_code).toBe(0);
    expect(running(await pidFrom(join(root, 'writer.pid')))).toBe(false);
    const size = (await readFile(join(root, 'ticks.txt'))).length;
    expect(size).toBeGreaterThan(0);
    await delay(100);
    expect((await readFile(join(root, 'ticks.txt'))).length).toBe(size);
  });

  it('reports its process group to onStart and waits for an async onStart', async () => {
    const { root } = await project();
    let info: { pid: number; processGroupId: number } | undefined;
    let recorded = false;
    const result = await run({
      command: 'echo $$',
      cwd: root,
      onStart: async (started) => {
        info = { ...started };
        await delay(20);
        recorded = true;
      },
    });
    expect(recorded).toBe(true);
    expect(info?.pid).toBe(info?.processGroupId);
    expect(result.output_tail).toBe(`${String(info?.pid)}\n`);
  });

  it('kills the group and rejects when onStart fails', async () => {
    const { root } = await project();
    let shell = 0;
    const failing = run({
      command: 'sleep 100',
      cwd: root,
      onStart: ({ pid }) => {
        shell = pid;
        return Promise.reject(new Error('journal write failed'));
      },
    });
    await expect(failing).rejects.toThrow('journal write failed');
    expect(running(shell)).toBe(false);
  });
});

describe('testEnvironment', () => {
  it('drops credentials and secret-looking names unless allowed, and sets KODE_RUN_ID', () => {
    const env = testEnvironment({
      env: {
        PATH: '/bin',
        HOME: '/home/me',
        KODE_LLM_API_KEY: 'k1',
        KODE_GATEWAY_API_KEY: 'k2',
        ANTHROPIC_API_KEY: 'k3',
        GOOGLE_API_KEY: 'k4',
        GROQ_API_KEY: 'k5',
        npm_config_password: 'p',
        GITHUB_TOKEN: 't',
        AWS_SECRET_ACCESS_KEY: 's',
        DATABASE_PASSWORD: 'p2',
        KODE_RUN_ID: 'stale',
        UNSET: undefined,
      },
      allow: ['GITHUB_TOKEN', 'ANTHROPIC_API_KEY', 'KODE_LLM_API_KEY'],
      runId: 'RUN-9',
    });
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/home/me',
      GITHUB_TOKEN: 't',
      ANTHROPIC_API_KEY: 'k3',
      KODE_RUN_ID: 'RUN-9',
    });
  });
});

describe('testFailureReason', () => {
  it('names the signal for a killed command', () => {
    expect(
      testFailureReason({
        result: { ...base, exit_code: null, signal: 'SIGKILL' },
        command: 'npm test',
        timeoutS: 600,
      }),
    ).toBe('tests: test command was killed by SIGKILL (npm test)');
    expect(testFailureReason({ result: { ...base, exit_code: 1 }, command: 'npm test', timeoutS: 600 })).toBe(
      'tests: test command exited with code 1 (npm test)',
    );
  });
});

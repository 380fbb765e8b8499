// Real-process tests of `kode loop` / `kode run` / `kode generate` (SPEC §3.3-§3.5, §8, §14) against a fake
// OpenAI-compatible server on 127.0.0.1 and real git projects: happy paths per language, rollback on failing tests,
// self-correction, permissions, timeouts and interrupts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaFileContent, STATE_DIR_GITIGNORE } from '@kode/config';
import { captureTree, createTempProject, kodeBinPath, runKode, startFakeOpenAI } from '@kode/test-utils';
import type { FakeServer, FakeStep, TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

let project: TempProject | undefined;
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  await project?.dispose();
  server = undefined;
  project = undefined;
});

const MATH = 'export function add(a, b) {\n  return a + b;\n}\n';
const MATH_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/math.js';\n\ntest('add', () => {\n  assert.equal(add(2, 3), 5);\n});\n";

function config(extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ version: '3.0.0', permission: { edit: 'always', bash: 'always' }, ...extra }, null, 2)}\n`;
}

async function jsProject(extra: Record<string, string> = {}): Promise<TempProject> {
  project = await createTempProject({
    git: true,
    name: 'kode-loop',
    files: {
      'package.json': `${JSON.stringify({ name: 'demo', type: 'module', scripts: { test: 'node --test' } })}\n`,
      'src/math.js': MATH,
      'test/math.test.js': MATH_TEST,
      '.gitignore': 'logs/\n',
      '.kode/kode.json': config({ engine: { test_command: 'node --test' } }),
      // As `kode init` leaves it (every command refreshes this copy).
      '.kode/kode.schema.json': schemaFileContent(),
      '.kode/.gitignore': STATE_DIR_GITIGNORE,
      ...extra,
    },
  });
  return project;
}

function reply(hunks: unknown[]): FakeStep {
  return { type: 'reply', text: `Here is the patch:\n\`\`\`json\n${JSON.stringify(hunks, null, 2)}\n\`\`\`\n` };
}

function modelEnv(): Record<string, string> {
  if (!server) throw new Error('start the fake server first');
  // A local model: an endpoint and a model id, no API key anywhere.
  return { KODE_LLM_ENDPOINT: `${server.url}/v1`, KODE_LLM_MODEL: 'qwen2.5-coder:14b' };
}

async function kode(args: string[], extraEnv: Record<string, string> = {}) {
  if (!project) throw new Error('setup first');
  return runKode(args, { cwd: project.root, env: { ...modelEnv(), ...extraEnv }, timeoutMs: 60_000 });
}

function parse(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function auditLog(root: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(root, 'logs/kode.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The user's tree: everything but git's own directory, the audit log and Kode's index cache (both git-ignored). */
function treeOf(target: TempProject): Promise<string> {
  return captureTree({ root: target.root, git: (...args) => target.git(...args), ignore: ['logs', '.kode/cache'] });
}

const MULTIPLY_HUNKS = [
  {
    id: 'h1',
    file_path: 'src/math.js',
    action: 'INSERT',
    anchor_text: '',
    new_text: 'export function multiply(a, b) {\n  return a * b;\n}\n',
  },
  {
    id: 'h2',
    file_path: 'test/multiply.test.js',
    action: 'INSERT',
    anchor_text: '',
    new_text:
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { multiply } from '../src/math.js';\n\ntest('multiply', () => {\n  assert.equal(multiply(2, 3), 6);\n});\n",
  },
];

describe('kode loop (JavaScript)', () => {
  it('PASS: applies verified hunks, runs the real tests, exit 0, PASS JSON, audit entry', async () => {
    const { root } = await jsProject();
    server = await startFakeOpenAI({ script: [reply(MULTIPLY_HUNKS)] });
    const run = await kode(['loop', 'add multiply() to src/math.js with a test']);
    expect(run.stderr).toContain('Running tests');
    expect(run.exitCode, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      command: 'loop',
      status: 'PASS',
      applied_hunks: ['h1', 'h2'],
      written: true,
      hunks_applied: 2,
      test_command: 'node --test',
      rolled_back: false,
    });
    expect((result.test as { exit_code: number }).exit_code).toBe(0);
    expect(await readFile(join(root, 'src/math.js'), 'utf8')).toContain('export function multiply');
    const log = (await readFile(join(root, 'logs/kode.log'), 'utf8')).trim().split('\n');
    expect(JSON.parse(log.at(-1) ?? '{}')).toMatchObject({ command: 'loop', status: 'PASS', rolled_back: false });
  });
});

const BROKEN_TEST_HUNKS = [
  {
    id: 'h1',
    file_path: 'src/math.js',
    action: 'MODIFY',
    anchor_text: '  return a + b;\n',
    new_text: '  return a - b;\n',
  },
  {
    id: 'h2',
    file_path: 'test/deep/new/sub.test.js',
    action: 'INSERT',
    anchor_text: '',
    new_text:
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../../../src/math.js';\n\ntest('still adds', () => {\n  assert.equal(add(2, 3), 5);\n});\n",
  },
  { id: 'h3', file_path: 'src/old.js', action: 'DELETE', anchor_text: 'export const old = true;\n' },
];

describe('kode loop: rollback, self-correction, permissions', () => {
  it('tests fail after apply: every touched file restored byte for byte, exit 1, FAIL JSON with the tail', async () => {
    const target = await jsProject({
      'src/old.js': 'export const old = true;\n',
      'bin/tool.sh': '#!/bin/sh\r\necho hi\r\n',
    });
    await chmod(join(target.root, 'bin/tool.sh'), 0o755);
    target.git('add', '--all');
    target.git('commit', '--quiet', '--no-gpg-sign', '-m', 'tool');
    const before = await treeOf(target);
    server = await startFakeOpenAI({ script: [reply(BROKEN_TEST_HUNKS)] });
    const run = await kode(['loop', 'make add() subtract', '--progress', 'jsonl'], { CI: 'true' });
    expect(run.exitCode, run.stderr).toBe(1);
    const result = parse(run.stdout);
    expect(result).toMatchObject({
      status: 'FAIL',
      written: false,
      rolled_back: true,
      hunks_applied: 0,
      failed_hunks: { '<patch>': 'tests: test command exited with code 1 (node --test)' },
      test_error: 'tests: test command exited with code 1 (node --test)',
    });
    const test = result.test as { exit_code: number; output_tail: string; timed_out: boolean };
    expect(test.exit_code).toBe(1);
    expect(test.output_tail).toContain('not ok');
    expect(await treeOf(target)).toBe(before);
    expect(existsSync(join(target.root, 'test/deep'))).toBe(false);
    const events = run.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['apply-start', 'apply-end', 'test-start', 'test-end', 'rollback-start', 'rollback-end']),
    );
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'FAIL', exit_code: 1 });
    expect((await auditLog(target.root)).at(-1)).toMatchObject({ command: 'loop', status: 'FAIL', rolled_back: true });
  });

  it('a hallucinated import is sent back with its reason and corrected: PASS in 2 rounds', async () => {
    const target = await jsProject();
    const bad = [
      {
        ...MULTIPLY_HUNKS[0],
        new_text: "import pad from 'left-pad-pro';\nexport function multiply(a, b) {\n  return pad(a * b);\n}\n",
      },
      MULTIPLY_HUNKS[1],
    ];
    server = await startFakeOpenAI({ script: [reply(bad), reply([MULTIPLY_HUNKS[0]])] });
    const run = await kode(['loop', 'add multiply() to src/math.js with a test']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(parse(run.stdout)).toMatchObject({ status: 'PASS', rounds_used: 2, applied_hunks: ['h2', 'h1'] });
    expect(server.requests).toHaveLength(2);
    const second = JSON.stringify(server.requests[1]?.body);
    expect(second).toContain('imports:');
    expect(second).toContain('left-pad-pro');
    expect(second).toContain('do not change');
    expect(await target.read('src/math.js')).toContain('return a * b;');
  });

  it('three bad rounds: exit 1, the reasons on stderr, nothing written', async () => {
    const target = await jsProject();
    const before = await treeOf(target);
    const bad = [
      { ...MULTIPLY_HUNKS[0], new_text: "import pad from 'left-pad-pro';\nexport const x = pad(1);\n" },
      MULTIPLY_HUNKS[1],
    ];
    server = await startFakeOpenAI({ script: [reply(bad), reply([bad[0]]), reply([bad[0]])] });
    const run = await kode(['run', 'add multiply() to src/math.js']);
    expect(run.exitCode).toBe(1);
    expect(parse(run.stdout)).toMatchObject({ command: 'run', status: 'FAIL', rounds_used: 3, written: false });
    expect(run.stderr).toContain('error: verification failed after 3 round(s): nothing was written');
    expect(run.stderr).toContain('✗ imports: Import validation failed');
    expect(await treeOf(target)).toBe(before);
  });

  it('permission.edit deny verifies and writes nothing: PASS, written false, exit 0', async () => {
    const target = await jsProject({ '.kode/kode.json': config({ permission: { edit: 'deny', bash: 'always' } }) });
    const before = await treeOf(target);
    server = await startFakeOpenAI({ script: [reply(MULTIPLY_HUNKS)] });
    const run = await kode(['loop', 'add multiply() to src/math.js']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(parse(run.stdout)).toMatchObject({ status: 'PASS', written: false, test: { skipped: true } });
    expect(run.stderr).toContain('+export function multiply(a, b) {');
    expect(await treeOf(target)).toBe(before);
  });

  it('permission.edit ask without a TTY exits 2 before any model call, naming --yes and the key', async () => {
    const target = await jsProject({ '.kode/kode.json': config({ permission: { edit: 'ask', bash: 'always' } }) });
    const before = await treeOf(target);
    server = await startFakeOpenAI({ script: [reply(MULTIPLY_HUNKS)] });
    const run = await kode(['run', 'add multiply() to src/math.js']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'error: permission.edit is "ask" but stdin is not a terminal: pass --yes or set permission.edit to "always" in .kode/kode.json',
    );
    expect(parse(run.stdout)).toMatchObject({ status: 'ERROR', error: { kind: 'config' } });
    expect(server.requests).toHaveLength(0);
    expect(await treeOf(target)).toBe(before);
    const yes = await kode(['run', 'add multiply() to src/math.js', '--yes']);
    expect(yes.exitCode, yes.stderr).toBe(0);
    expect(await target.read('src/math.js')).toContain('multiply');
  });

  it('permission.edit ask on a terminal shows the diff and asks: y applies, n rejects (exit 1)', async () => {
    // `script` gives kode a pseudo-terminal, as a user at a shell would.
    const target = await jsProject({ '.kode/kode.json': config({ permission: { edit: 'ask', bash: 'always' } }) });
    server = await startFakeOpenAI({ script: [reply([MULTIPLY_HUNKS[0]]), reply([MULTIPLY_HUNKS[0]])] });
    const atTerminal = (answer: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const env = Object.entries({ ...modelEnv(), NO_COLOR: '1' })
          .map(([key, value]) => `${key}=${value}`)
          .join(' ');
        const command = `${env} ${process.execPath} ${kodeBinPath()} run 'add multiply() to src/math.js' --no-tdd > result.json`;
        const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: target.root, stdio: 'pipe' });
        let output = '';
        let answered = false;
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          if (!answered && output.includes('[y/N]')) {
            answered = true;
            child.stdin.write(`${answer}\n`);
          }
        });
        child.on('close', (code) => resolve({ code, output }));
      });
    const rejected = await atTerminal('n');
    expect(rejected.output).toContain('+export function multiply(a, b) {');
    expect(rejected.output).toContain('Apply 1 change(s) to 1 file(s)? [y/N]');
    expect(rejected.code).toBe(1);
    expect(await target.read('src/math.js')).toBe(MATH);
    const approved = await atTerminal('y');
    expect(approved.code, approved.output).toBe(0);
    expect(await target.read('src/math.js')).toContain('export function multiply');
  });

  it('generate without --apply prints the hunks, writes nothing and records nothing', async () => {
    const target = await jsProject();
    const before = await treeOf(target);
    server = await startFakeOpenAI({ script: [reply(MULTIPLY_HUNKS)] });
    const run = await kode(['generate', 'add multiply() to src/math.js']);
    expect(run.exitCode, run.stderr).toBe(0);
    const output = parse(run.stdout);
    expect(output).toMatchObject({ command: 'generate', status: 'GENERATED', edit_format: 'json' });
    expect(output.hunks).toEqual(MULTIPLY_HUNKS);
    expect(await treeOf(target)).toBe(before);
    expect(await auditLog(target.root)).toEqual([]);
    // The printed document is a valid `kode verify --input`.
    const verified = await runKode(['verify', '--input', '-', '--tdd'], { cwd: target.root, input: run.stdout });
    expect(verified.exitCode, verified.stderr).toBe(0);
  });
});

/** Spawns kode loop directly so the test can signal it while its test command runs. */
function spawnLoop(target: TempProject, home: string, args: string[]) {
  const child = spawn(process.execPath, [kodeBinPath(), 'loop', ...args], {
    cwd: target.root,
    env: { ...process.env, ...modelEnv(), HOME: home, XDG_CONFIG_HOME: home, XDG_STATE_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited };
}

async function waitFor(path: string): Promise<void> {
  for (let attempt = 0; attempt < 400 && !existsSync(path); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!existsSync(path)) throw new Error(`${path} never appeared`);
}

/** Alive and not a zombie (nothing reaps orphans in some containers, so a killed process can linger as one). */
function isAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('kode loop: hangs, interrupts and crashes', () => {
  let outside: string | undefined;
  afterEach(async () => {
    if (outside) await rm(outside, { recursive: true, force: true });
    outside = undefined;
  });

  it('a hanging test command is killed with its children at the timeout, then rolled back', async () => {
    outside = await mkdtemp(join(tmpdir(), 'kode-hang-'));
    const pidFile = join(outside, 'child.pid');
    const target = await jsProject();
    const before = await treeOf(target);
    server = await startFakeOpenAI({ script: [reply(MULTIPLY_HUNKS)] });
    const command = `sh -c 'sleep 60 & echo $! > ${pidFile}; wait'`;
    const run = await kode(['loop', 'add multiply() to src/math.js', '--test-command', command, '--test-timeout', '1']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(parse(run.stdout)).toMatchObject({
      status: 'FAIL',
      rolled_back: true,
      test: { timed_out: true },
      test_error: `tests: test command timed out after 1s (${command})`,
    });
    const childPid = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(childPid)).toBe(false);
    expect(await treeOf(target)).toBe(before);
  });

  it('SIGINT while the model is answering: request aborted, nothing written, INTERRUPTED, exit 130', async () => {
    outside = await mkdtemp(join(tmpdir(), 'kode-gen-'));
    const target = await jsProject();
    const before = await treeOf(target);
    server = await startFakeOpenAI({ script: [{ type: 'hang' }] });
    const { child, exited } = spawnLoop(target, outside, ['add multiply()', '--progress', 'jsonl']);
    for (let attempt = 0; attempt < 200 && server.requests.length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(server.requests).toHaveLength(1);
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code, result.stderr).toBe(130);
    expect(parse(result.stdout)).toMatchObject({
      status: 'INTERRUPTED',
      written: false,
      rolled_back: false,
      error: { kind: 'interrupted' },
    });
    expect(result.stderr.trim().split('\n').at(-1)).toContain('"type":"run-end"');
    expect(await treeOf(target)).toBe(before);
  });

  it('SIGINT during the tests: rolled back, INTERRUPTED, exit 130', async () => {
    outside = await mkdtemp(join(tmpdir(), 'kode-int-'));
    const marker = join(outside, 'started');
    const target = await jsProject();
    const before = await treeOf(target);
    server = await startFakeOpenAI({ script: [reply(MULTIPLY_HUNKS)] });
    const { child, exited } = spawnLoop(target, outside, [
      'add multiply()',
      '--test-command',
      `touch ${marker}; sleep 60`,
    ]);
    await waitFor(marker);
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code, result.stderr).toBe(130);
    expect(parse(result.stdout)).toMatchObject({ status: 'INTERRUPTED', rolled_back: true, written: false });
    expect(await treeOf(target)).toBe(before);
    expect((await auditLog(target.root)).at(-1)).toMatchObject({ status: 'INTERRUPTED' });
  });

  it('SIGKILL during the tests: the next kode command kills the orphaned tests and restores the tree', async () => {
    outside = await mkdtemp(join(tmpdir(), 'kode-kill-'));
    const marker = join(outside, 'pid');
    const target = await jsProject({ '.kode/kode.json': config({ permission: { edit: 'deny', bash: 'always' } }) });
    const before = await treeOf(target);
    await target.write('.kode/kode.json', config());
    server = await startFakeOpenAI({ script: [reply(MULTIPLY_HUNKS), reply(MULTIPLY_HUNKS)] });
    const { child, exited } = spawnLoop(target, outside, [
      'add multiply()',
      '--test-command',
      `echo $$ > ${marker}; sleep 60`,
    ]);
    await waitFor(marker);
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGKILL');
    await exited;
    const testPid = Number(await readFile(marker, 'utf8'));
    expect(isAlive(testPid)).toBe(true);
    expect(await target.read('src/math.js')).toContain('multiply');
    // The next writing command (here verifying only: permission.edit deny) recovers first.
    await target.write('.kode/kode.json', config({ permission: { edit: 'deny', bash: 'always' } }));
    const next = await kode(['run', 'add multiply()']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/recovered interrupted run \S+: restored \d file\(s\)/u);
    expect(isAlive(testPid)).toBe(false);
    expect(await treeOf(target)).toBe(before);
    expect((await auditLog(target.root)).map((entry) => entry.command)).toEqual(['recover', 'run']);
  });
});

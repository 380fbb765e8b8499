// Real-process tests of `kode verify` (SPEC §3.6, §2.4, §2.6, §6.2, §14): exit codes, the summary on stdout, one audit
// entry per run, jsonl progress, the Claude Code hook, and a working tree that never changes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureTree, createTempProject, runKode } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

const MATH = 'export function add(a, b) {\n  return a + b;\n}\n';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

async function setup(extra: Record<string, string> = {}): Promise<TempProject> {
  project = await createTempProject({
    git: true,
    name: 'kode-verify',
    files: {
      'package.json': JSON.stringify({ name: 'demo', type: 'module' }),
      'src/math.js': MATH,
      '.gitignore': 'logs/\n',
      ...extra,
    },
  });
  return project;
}

async function auditEntries(root: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(root, 'logs', 'kode.log'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('kode verify', () => {
  it('PASS: exit 0, the summary on stdout, one audit entry, tree unchanged', async () => {
    const { root } = await setup();
    const write = (path: string, content: string) => (project as TempProject).write(path, content);
    const git = (...args: string[]) => (project as TempProject).git(...args);
    await write(
      'patch.json',
      JSON.stringify({
        hunks: [
          {
            id: 'h1',
            file_path: 'src/math.js',
            action: 'MODIFY',
            anchor_text: 'return a + b;',
            new_text: 'return b + a;',
          },
        ],
      }),
    );
    git('add', 'patch.json');
    const before = await captureTree({ root, git });
    const run = await runKode(['verify', '--input', 'patch.json', '--model', 'openai/gpt-4o'], { cwd: root });
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual([
      'run_id',
      'task_id',
      'command',
      'status',
      'model',
      'rounds_used',
      'applied_hunks',
      'failed_hunks',
      'warnings',
      'files',
      'written',
      'verdict',
      'tokens',
      'cost_usd',
      'duration_ms',
    ]);
    expect(summary).toMatchObject({
      task_id: 'verify',
      command: 'verify',
      status: 'PASS',
      model: 'openai/gpt-4o',
      rounds_used: 1,
      applied_hunks: ['h1'],
      failed_hunks: {},
      files: ['src/math.js'],
      written: false,
      tokens: { input: 0, output: 0 },
      cost_usd: 0,
    });
    expect(await captureTree({ root, git })).toBe(before);
    const [entry, ...rest] = await auditEntries(root);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      seq: 1,
      command: 'verify',
      status: 'PASS',
      run_id: summary.run_id,
      input_source: 'patch.json',
      model: 'openai/gpt-4o',
      files: ['src/math.js'],
    });
    expect(entry?.gates).toContainEqual({ check_name: 'syntax', status: 'PASS', file: 'src/math.js' });
  });

  it('FAIL: exit 1 with the reason in the summary and the audit entry; stdin input', async () => {
    const { root } = await setup();
    const git = (...args: string[]) => (project as TempProject).git(...args);
    const before = await captureTree({ root, git });
    const input = JSON.stringify({
      hunks: [
        { id: 'h1', file_path: 'src/math.js', action: 'MODIFY', anchor_text: 'return a - b;', new_text: 'x' },
        {
          id: 'h2',
          file_path: 'src/pay.js',
          action: 'INSERT',
          new_text: "import Stripe from 'stripe-sdk-zz';\nexport default Stripe;\n",
        },
      ],
    });
    const run = await runKode(['verify', '--input', '-'], { cwd: root, input });
    expect(run.exitCode).toBe(1);
    const summary = JSON.parse(run.stdout) as {
      status: string;
      failed_hunks: Record<string, string>;
      applied_hunks: string[];
    };
    expect(summary.status).toBe('FAIL');
    expect(summary.applied_hunks).toEqual([]);
    expect(summary.failed_hunks.h1).toMatch(
      /^diff_applier: Anchor text not found after cumulative changes \(src\/math\.js: closest line 2/u,
    );
    expect(summary.failed_hunks.h2).toMatch(/^imports: Import validation failed: .*'stripe-sdk-zz'/u);
    expect(run.stderr).toContain('✗ imports:');
    const [entry] = await auditEntries(root);
    expect(entry).toMatchObject({ status: 'FAIL', input_source: '-', failed_hunks: summary.failed_hunks });
    expect((entry?.failures as Record<string, string>)['src/pay.js']).toMatch(/^imports: /u);
    expect(await captureTree({ root, git })).toBe(before);
  });

  it('security: a key from the environment is blocked and never printed; a reviewed suppression is recorded', async () => {
    const { root } = await setup();
    const liveKey = ['sk', 'ant', 'api03', 'Q7vR2mX9tL4pW8zK1nB6cY3hJ5sD0fG'].join('-');
    const input = JSON.stringify({
      hunks: [
        { id: 'key', file_path: 'src/client.js', action: 'INSERT', new_text: `export const key = '${liveKey}';\n` },
        {
          id: 'tls',
          file_path: 'src/agent.js',
          action: 'INSERT',
          new_text: '// kode-ignore: js/tls-disabled\nexport const options = { rejectUnauthorized: false };\n',
        },
      ],
    });
    const run = await runKode(['verify', '--input', '-'], { cwd: root, input, env: { ANTHROPIC_API_KEY: liveKey } });
    expect(run.exitCode).toBe(1);
    const summary = JSON.parse(run.stdout) as { failed_hunks: Record<string, string>; applied_hunks: string[] };
    expect(summary.failed_hunks.key).toMatch(
      /^security: critical secret\/\S+ at src\/client\.js:1 — .*\(matched sk-a…/u,
    );
    expect(summary.applied_hunks).toEqual(['tls']);
    for (const text of [run.stdout, run.stderr, await readFile(join(root, 'logs', 'kode.log'), 'utf8')]) {
      expect(text).not.toContain(liveKey.slice(10));
    }
    const [entry] = await auditEntries(root);
    expect(entry?.suppressed).toEqual([{ rule_id: 'js/tls-disabled', file: 'src/agent.js', line: 2 }]);
  });

  it('a live key that reaches a reason through another gate is masked on stdout, stderr and in the audit log', async () => {
    const { root } = await setup();
    const liveKey = ['sk', 'proj', 'T8kLm3Qv7Zp2Rx9Wn4Bc6Hd1Jf5Gs0Ya'].join('-');
    const input = JSON.stringify({
      hunks: [
        {
          id: 'h',
          file_path: 'src/leak.js',
          action: 'INSERT',
          new_text: `import x from '${liveKey}';\nexport default x;\n`,
        },
      ],
    });
    const run = await runKode(['verify', '--input', '-'], { cwd: root, input, env: { OPENAI_API_KEY: liveKey } });
    expect(run.exitCode).toBe(1);
    expect((JSON.parse(run.stdout) as { failed_hunks: Record<string, string> }).failed_hunks.h).toMatch(/^imports: /u);
    for (const text of [run.stdout, run.stderr, await readFile(join(root, 'logs', 'kode.log'), 'utf8')]) {
      expect(text).not.toContain(liveKey);
      expect(text).toContain('sk-p…');
    }
  });

  it('kode explain security lists every rule with its severity and fix', async () => {
    const { root } = await setup();
    const run = await runKode(['explain', 'security'], { cwd: root });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('## Rules');
    for (const row of [
      '| `secret/<kind>` | any text file | critical |',
      '| `py/shell-exec` | Python | high | pass arguments as a list and drop shell=True |',
      '| `go/tls-disabled` | Go | high | remove InsecureSkipVerify or pin a CA pool |',
      '| `rust/unsafe` | Rust | medium |',
      '| `scan-timeout` | any | high |',
    ]) {
      expect(run.stdout).toContain(row);
    }
  });

  it('a unified diff from git diff, on stdin', async () => {
    const { root } = await setup();
    const write = (path: string, content: string) => (project as TempProject).write(path, content);
    const git = (...args: string[]) => (project as TempProject).git(...args);
    await write('src/math.js', MATH.replace('a + b', 'b + a'));
    const diff = git('diff');
    git('checkout', '--', 'src/math.js');
    const run = await runKode(['verify', '--diff', '-'], { cwd: root, input: `${diff}\n` });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'PASS',
      applied_hunks: ['src/math.js'],
      files: ['src/math.js'],
    });
    expect(await readFile(join(root, 'src/math.js'), 'utf8')).toBe(MATH);
  });

  it.each([
    [['--input', 'nope.json'], 'error: cannot read input file nope.json: ENOENT: check the path'],
    [['--input', 'bad.json'], "error: input is not valid JSON: Unexpected token 'o' at line 1 column 2 (bad.json)"],
    [['--input', 'both.json'], 'error: input must contain exactly one of "hunks", "files" or "diff"'],
    [['--input', 'object.json'], 'error: "hunks" must be an array (got object)'],
    [['--diff', 'prose.txt'], 'error: --diff is not a unified diff: no file header found'],
  ])('bad input %j: exit 2, ERROR summary and ERROR audit entry', async (args, message) => {
    const { root } = await setup();
    const write = (path: string, content: string) => (project as TempProject).write(path, content);
    const git = (...args: string[]) => (project as TempProject).git(...args);
    await write('bad.json', 'foo');
    await write('both.json', JSON.stringify({ hunks: [], files: {} }));
    await write('object.json', JSON.stringify({ hunks: {} }));
    await write('prose.txt', 'this is not a diff\n');
    const before = await captureTree({ root, git });
    const run = await runKode(['verify', ...args], { cwd: root });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      status: 'ERROR',
      rounds_used: 0,
      error: { kind: 'input', message: message.slice(7) },
    });
    const [entry] = await auditEntries(root);
    expect(entry).toMatchObject({ status: 'ERROR', command: 'verify', error: { kind: 'input' } });
    expect(await captureTree({ root, git })).toBe(before);
  });

  it('no input flag is a usage error (exit 2)', async () => {
    const { root } = await setup();
    const run = await runKode(['verify'], { cwd: root });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('error: --input or --diff is required: pass a JSON patch file or a unified diff');
  });

  it('--progress jsonl: only events on stderr, run-start first and run-end last', async () => {
    const { root } = await setup();
    const input = JSON.stringify({ files: { 'src/extra.js': 'export const x = 1;\n' } });
    const run = await runKode(['verify', '--input', '-', '--progress', 'jsonl', '--log-dir', 'elsewhere'], {
      cwd: root,
      input,
    });
    expect(run.exitCode).toBe(0);
    const events = run.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ v: 1, type: 'run-start', command: 'verify', project_dir: root, model: '' });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'PASS', exit_code: 0, cost_usd: 0 });
    expect(events.filter((event) => event.type === 'gate-end').map((event) => event.check_name)).toEqual([
      'schema',
      'path_safety',
      'diff_applier',
      'tdd',
      'blast_radius',
      'syntax',
      'imports',
      'calls',
      'architecture',
      'security',
    ]);
    expect(new Set(events.map((event) => event.run_id)).size).toBe(1);
    expect((await readFile(join(root, 'elsewhere', 'kode.log'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('--hook claude-code: PASS is silent, FAIL exits 2 with reasons on stderr, other tools are ignored', async () => {
    const { root } = await setup();
    const git = (...args: string[]) => (project as TempProject).git(...args);
    const before = await captureTree({ root, git });
    const pass = await runKode(['verify', '--hook', 'claude-code', '--quiet'], {
      cwd: root,
      input: JSON.stringify({
        tool_name: 'Edit',
        cwd: root,
        tool_input: {
          file_path: join(root, 'src/math.js'),
          old_string: 'return a + b;',
          new_string: 'return a + b + 0;',
        },
      }),
    });
    expect(pass).toMatchObject({ exitCode: 0, stdout: '' });
    const fail = await runKode(['verify', '--hook', 'claude-code', '--quiet'], {
      cwd: root,
      input: JSON.stringify({
        tool_name: 'Write',
        cwd: root,
        tool_input: {
          file_path: join(root, 'src/new.js'),
          content: "import z from 'zz-not-installed';\nexport default z;\n",
        },
      }),
    });
    expect(fail.exitCode).toBe(2);
    expect(fail.stdout).toBe('');
    expect(fail.stderr).toMatch(/^imports: Import validation failed: .*'zz-not-installed'/mu);
    const outside = await runKode(['verify', '--hook', 'claude-code', '--quiet'], {
      cwd: root,
      input: JSON.stringify({
        tool_name: 'Write',
        cwd: root,
        tool_input: { file_path: '/tmp/elsewhere.js', content: 'x' },
      }),
    });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toMatch(/^path_safety: Unsafe path/mu);
    const other = await runKode(['verify', '--hook', 'claude-code'], {
      cwd: root,
      input: JSON.stringify({ tool_name: 'Bash', cwd: root, tool_input: { command: 'ls' } }),
    });
    expect(other).toMatchObject({ exitCode: 0, stdout: '' });
    const entries = await auditEntries(root);
    expect(entries.map((entry) => [entry.status, entry.input_source])).toEqual([
      ['PASS', 'hook:claude-code'],
      ['FAIL', 'hook:claude-code'],
      ['FAIL', 'hook:claude-code'],
    ]);
    expect(await captureTree({ root, git })).toBe(before);
  });
});

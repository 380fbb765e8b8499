// `kode loop` happy paths in TypeScript, Python and Rust projects (SPEC §3.5): the model's hunks pass the gate,
// are applied, the project's real test command passes (tsc + node --test, python -m unittest, cargo test),
// exit 0, PASS JSON and an audit entry. The model is a fake OpenAI-compatible server on 127.0.0.1 with no key.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTempProject, runKode, startFakeOpenAI } from '@kode/test-utils';
import type { FakeServer, TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';

let project: TempProject | undefined;
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  await project?.dispose();
  server = undefined;
  project = undefined;
});

const CONFIG = `${JSON.stringify({ version: '3.0.0', permission: { edit: 'always', bash: 'always' } })}\n`;

async function loop(options: {
  files: Record<string, string>;
  hunks: unknown[];
  testCommand: string;
  task: string;
  env?: Record<string, string>;
}): Promise<{ run: Awaited<ReturnType<typeof runKode>>; root: string }> {
  project = await createTempProject({
    git: true,
    name: 'kode-lang',
    files: { '.gitignore': 'logs/\n', '.kode/kode.json': CONFIG, ...options.files },
  });
  server = await startFakeOpenAI({ script: [{ type: 'reply', text: JSON.stringify(options.hunks) }] });
  const run = await runKode(['loop', options.task, '--test-command', options.testCommand], {
    cwd: project.root,
    env: { KODE_LLM_ENDPOINT: `${server.url}/v1`, KODE_LLM_MODEL: 'local-coder', ...options.env },
    timeoutMs: 120_000,
  });
  return { run, root: project.root };
}

async function expectPass(result: { run: Awaited<ReturnType<typeof runKode>>; root: string }, ids: string[]) {
  const { run, root } = result;
  expect(run.exitCode, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({
    status: 'PASS',
    written: true,
    applied_hunks: ids,
    hunks_applied: ids.length,
    test: { exit_code: 0, timed_out: false, skipped: false },
    rolled_back: false,
  });
  const log = (await readFile(join(root, 'logs/kode.log'), 'utf8')).trim().split('\n');
  expect(JSON.parse(log.at(-1) ?? '{}')).toMatchObject({ command: 'loop', status: 'PASS', test: { exit_code: 0 } });
}

describe('kode loop per language', () => {
  it('TypeScript: compiled with the real tsc, tested with node --test', async () => {
    const require = createRequire(import.meta.url);
    const tsc = require.resolve('typescript/bin/tsc');
    // The project's own node types would live in its node_modules; the workspace's copy stands in for them.
    const typeRoots = [dirname(dirname(require.resolve('@types/node/package.json')))];
    const result = await loop({
      task: 'add multiply to src/math.ts with a test',
      testCommand: `node ${tsc} -p . && node --test dist/`,
      files: {
        'package.json': `${JSON.stringify({ name: 'ts-demo', type: 'module' })}\n`,
        'tsconfig.json': `${JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', rootDir: 'src', outDir: 'dist', strict: true, typeRoots, types: ['node'] }, include: ['src'] })}\n`,
        'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
      },
      hunks: [
        {
          id: 'h1',
          file_path: 'src/math.ts',
          action: 'INSERT',
          anchor_text: '',
          new_text: 'export function multiply(a: number, b: number): number {\n  return a * b;\n}\n',
        },
        {
          id: 'h2',
          file_path: 'src/math.test.ts',
          action: 'INSERT',
          anchor_text: '',
          new_text:
            "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { multiply } from './math.js';\n\ntest('multiply', () => {\n  assert.equal(multiply(2, 3), 6);\n});\n",
        },
      ],
    });
    await expectPass(result, ['h1', 'h2']);
  });

  it('Python: tested with python3 -m unittest', async () => {
    const result = await loop({
      task: 'add multiply to calc/ops.py with a test',
      testCommand: 'python3 -m unittest discover -s tests -t .',
      files: {
        'pyproject.toml': '[project]\nname = "calc"\nversion = "0.1.0"\n',
        'calc/__init__.py': '',
        'calc/ops.py': 'def add(a, b):\n    return a + b\n',
        'tests/__init__.py': '',
      },
      hunks: [
        {
          id: 'h1',
          file_path: 'calc/ops.py',
          action: 'INSERT',
          anchor_text: '    return a + b\n',
          new_text: '\n\ndef multiply(a, b):\n    return a * b\n',
        },
        {
          id: 'h2',
          file_path: 'tests/test_ops.py',
          action: 'INSERT',
          anchor_text: '',
          new_text:
            'import unittest\n\nfrom calc.ops import multiply\n\n\nclass MultiplyTest(unittest.TestCase):\n    def test_multiply(self):\n        self.assertEqual(multiply(2, 3), 6)\n',
        },
      ],
    });
    await expectPass(result, ['h1', 'h2']);
  });

  it('Rust: tested with cargo test', async () => {
    // runKode isolates HOME; rustup and cargo still need to find the installed toolchain.
    const home = homedir();
    const result = await loop({
      task: 'add multiply to src/lib.rs with a test',
      testCommand: 'cargo test --offline --quiet',
      env: {
        CARGO_HOME: process.env.CARGO_HOME ?? join(home, '.cargo'),
        RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(home, '.rustup'),
      },
      files: {
        'Cargo.toml': '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
        'src/lib.rs': 'pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n',
        '.gitignore': 'logs/\ntarget/\n',
      },
      hunks: [
        {
          id: 'h1',
          file_path: 'src/lib.rs',
          action: 'INSERT',
          anchor_text: '',
          new_text: '\npub fn multiply(a: i64, b: i64) -> i64 {\n    a * b\n}\n',
        },
        {
          id: 'h2',
          file_path: 'tests/multiply.rs',
          action: 'INSERT',
          anchor_text: '',
          new_text: 'use demo::multiply;\n\n#[test]\nfn multiplies() {\n    assert_eq!(multiply(2, 3), 6);\n}\n',
        },
      ],
    });
    await expectPass(result, ['h1', 'h2']);
  });
});

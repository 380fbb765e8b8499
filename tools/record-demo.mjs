#!/usr/bin/env node
// Regenerates examples/loop-demo/recordings/*.jsonl (run after changing the engine's prompts: `pnpm build &&
// node tools/record-demo.mjs`). Each scenario runs the real `kode loop --record` on a fresh copy of the demo project
// against the scripted fake OpenAI-compatible server from @kode/test-utils, so a recording holds exactly the
// requests this version of Kode sends and the replies the demo should get.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeOpenAI } from '../packages/test-utils/dist/index.js';
import { DEMO_TASKS, prepareDemoProject } from './demo.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

const MULTIPLY_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { multiply } from '../src/math.js';

test('multiply', () => {
  assert.equal(multiply(2, 3), 6);
  assert.equal(multiply(-2, 4), -8);
});
`;

const ROUND_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add } from '../src/math.js';

test('add rounds to one decimal', () => {
  assert.equal(add(0.1, 0.2), 0.3);
});
`;

const replies = {
  pass: [
    {
      id: 'hunk-1',
      file_path: 'src/math.js',
      action: 'INSERT',
      anchor_text: '',
      new_text: 'export function multiply(a, b) {\n  return a * b;\n}\n',
      explanation: 'New function next to add().',
    },
    {
      id: 'hunk-2',
      file_path: 'test/multiply.test.js',
      action: 'INSERT',
      anchor_text: '',
      new_text: MULTIPLY_TEST,
      explanation: 'Test for multiply().',
    },
  ],
  rollback: [
    // Divides by 100 instead of 10: add(2, 3) becomes 0.5 and the existing test fails, so the change is rolled back.
    {
      id: 'hunk-1',
      file_path: 'src/math.js',
      action: 'MODIFY',
      anchor_text: '  return a + b;\n',
      new_text: '  return Math.round((a + b) * 10) / 100;\n',
      explanation: 'Round to one decimal.',
    },
    {
      id: 'hunk-2',
      file_path: 'test/round.test.js',
      action: 'INSERT',
      anchor_text: '',
      new_text: ROUND_TEST,
      explanation: 'Test for rounding.',
    },
  ],
};

for (const [scenario, hunks] of Object.entries(replies)) {
  const server = await startFakeOpenAI({ script: [{ type: 'reply', text: JSON.stringify(hunks, null, 2) }] });
  const directory = prepareDemoProject();
  const recording = join(root, 'examples', 'loop-demo', 'recordings', `${scenario}.jsonl`);
  // Asynchronous: the fake server answers from this very process.
  const child = spawn(
    process.execPath,
    [
      join(root, 'apps', 'cli', 'bin', 'kode.js'),
      'loop',
      DEMO_TASKS[scenario],
      '--record',
      recording,
      '--log-dir',
      join(directory, '.logs'),
    ],
    {
      cwd: directory,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, KODE_LLM_ENDPOINT: `${server.url}/v1`, KODE_LLM_MODEL: 'qwen2.5-coder:14b' },
    },
  );
  const status = await new Promise((resolve) => child.on('close', resolve));
  await server.close();
  rmSync(directory, { recursive: true, force: true });
  process.stderr.write(`${scenario}: kode loop exited ${status} -> ${recording}\n`);
}

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '@kode/test-utils';
import { tempDir, testConfig } from './config.test-helpers.js';
import { createProvider } from './create-provider.js';
import { ReplayError } from './errors.js';
import { generate } from './generate.js';
import { createRecordingModel, createReplayModel, loadRecording } from './replay.js';
import { resolveModel } from './resolve-model.js';
import type { GenerateRequest } from './types.js';

const KEY = 'sk-recorded-secret-7777';
let root: { path: string; dispose: () => Promise<void> };
beforeEach(async () => {
  root = await tempDir();
});
afterEach(() => root.dispose());

const first: GenerateRequest = { system: 'sys', messages: [{ role: 'user', content: 'add multiply()' }] };
const second: GenerateRequest = { system: 'sys', messages: [{ role: 'user', content: 'fix the failing hunk' }] };

describe('recording and replay', () => {
  it('records every exchange of a real session and replays it in order without a network', async () => {
    const fake = await startFakeOpenAI({
      script: [
        { type: 'reply', text: 'first reply', usage: { inputTokens: 10, outputTokens: 3 } },
        { type: 'reply', toolCalls: [{ name: 'submit_patch', arguments: { hunks: [] } }] },
      ],
    });
    const file = join(root.path, 'session.jsonl');
    try {
      const real = createProvider({ id: 'openai', baseURL: `${fake.url}/v1`, apiKey: KEY }).languageModel('gpt-4o');
      const recording = createRecordingModel({ model: real, file, secrets: [KEY] });
      await generate({ ...first, model: recording });
      await generate({ ...second, model: recording });
      await recording.flush();
    } finally {
      await fake.close();
    }
    const text = await readFile(file, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(2);
    expect(text).not.toContain(KEY);
    expect((await loadRecording(file)).map((exchange) => exchange.seq)).toEqual([1, 2]);

    // The fake server is closed: the replay cannot be touching it.
    const mismatches: string[] = [];
    const replay = await resolveModel({
      config: testConfig(),
      env: {},
      modelId: 'replay/session.jsonl',
      cwd: root.path,
      onWarning: (message) => mismatches.push(message),
    });
    expect(replay.provider).toBe('replay');
    const one = await generate({ ...first, model: replay });
    expect(one).toMatchObject({ text: 'first reply', usage: { inputTokens: 10, outputTokens: 3 }, costUsd: 0 });
    const parts = [];
    for await (const part of replay.stream({ ...second, messages: [{ role: 'user', content: 'something else' }] })) {
      parts.push(part);
    }
    expect(parts).toEqual([
      { type: 'tool-call', name: 'submit_patch', arguments: { hunks: [] } },
      { type: 'finish', finishReason: 'tool-calls', usage: expect.any(Object) as unknown },
    ]);
    expect(mismatches).toEqual([
      'replay: request 2 differs from the recording in messages: serving the recorded reply anyway',
    ]);
    const exhausted = await replay.generate(first).catch((error: unknown) => error);
    expect(ReplayError.isInstance(exhausted)).toBe(true);
    expect((exhausted as Error).message).toBe(
      `the recording ${file} has no reply left for request 3 (it holds 2): record the session again with --record`,
    );
  });

  it('reports a missing or malformed recording clearly', async () => {
    const missing = join(root.path, 'missing.jsonl');
    await expect(createReplayModel({ file: missing })).rejects.toThrow(`cannot read the recording ${missing}`);
    const broken = join(root.path, 'broken.jsonl');
    await writeFile(broken, '{"v":1}\nnot json\n');
    await expect(loadRecording(broken)).rejects.toThrow(`${broken} line 1 is not a recorded exchange`);
  });
});

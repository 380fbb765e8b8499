import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './config.test-helpers.js';
import { updateProjectConfigFile } from './project-config-file.js';

let root: { path: string; dispose: () => Promise<void> };
beforeEach(async () => {
  root = await tempDir();
});
afterEach(() => root.dispose());

describe('updateProjectConfigFile', () => {
  it('sets fields in place, keeping other fields and the key order', async () => {
    const file = join(root.path, 'kode.json');
    const original = {
      $schema: './kode.schema.json',
      version: '3.0.0',
      model: 'anthropic/claude-sonnet-4-6',
      engine: { tdd_mode: true },
      providers: { primary: 'kode', gateway_url: 'http://127.0.0.1:8787' },
    };
    await writeFile(file, `${JSON.stringify(original, null, 2)}\n`);
    await updateProjectConfigFile({
      file,
      updates: [
        { path: ['model'], value: 'acme/coder-large' },
        { path: ['providers', 'primary'], value: 'acme' },
        { path: ['providers', 'endpoints', 'acme', 'base_url'], value: 'https://llm.acme.dev/v1' },
      ],
    });
    const expected = {
      $schema: './kode.schema.json',
      version: '3.0.0',
      model: 'acme/coder-large',
      engine: { tdd_mode: true },
      providers: {
        primary: 'acme',
        gateway_url: 'http://127.0.0.1:8787',
        endpoints: { acme: { base_url: 'https://llm.acme.dev/v1' } },
      },
    };
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });
});

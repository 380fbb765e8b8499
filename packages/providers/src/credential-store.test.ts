import { chmod, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './config.test-helpers.js';
import {
  addTrustedHost,
  credentialsFile,
  maskKey,
  readCredentials,
  readTrustedHosts,
  removeCredential,
  saveCredential,
} from './credential-store.js';
import { CredentialStoreError } from './errors.js';

let root: { path: string; dispose: () => Promise<void> };
let configDir: string;
beforeEach(async () => {
  root = await tempDir();
  configDir = join(root.path, 'config', 'kode');
});
afterEach(() => root.dispose());

// File modes are POSIX; Windows relies on the user profile's ACLs instead.
const posixOnly = it.runIf(process.platform !== 'win32');

describe('credential store', () => {
  posixOnly('creates credentials.json 0600 in a 0700 directory and reads it back', async () => {
    await saveCredential({
      configDir,
      provider: 'anthropic',
      key: 'sk-ant-secret-9f2c',
      baseURL: 'https://api.anthropic.com',
      now: new Date('2025-07-15T10:00:00Z'),
    });
    expect((await stat(configDir)).mode & 0o777).toBe(0o700);
    expect((await stat(credentialsFile(configDir))).mode & 0o777).toBe(0o600);
    expect(await readCredentials({ configDir })).toEqual({
      anthropic: {
        key: 'sk-ant-secret-9f2c',
        base_url: 'https://api.anthropic.com',
        created_at: '2025-07-15T10:00:00.000Z',
      },
    });
    await saveCredential({ configDir, provider: 'ollama', key: undefined, baseURL: 'http://localhost:11434/v1' });
    const store = await readCredentials({ configDir });
    expect(Object.keys(store)).toEqual(['anthropic', 'ollama']);
    expect(store.ollama?.key).toBeUndefined();
  });

  posixOnly('refuses a group- or world-readable file naming chmod 600', async () => {
    await saveCredential({ configDir, provider: 'openai', key: 'sk-1234', baseURL: 'https://api.openai.com/v1' });
    await chmod(credentialsFile(configDir), 0o644);
    const error = await readCredentials({ configDir }).catch((caught: unknown) => caught);
    expect(CredentialStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `${credentialsFile(configDir)} is readable by other users (mode 0644): run chmod 600 ${credentialsFile(configDir)}`,
    );
  });

  posixOnly('refuses a symlinked file for reading and writing, leaving its target untouched', async () => {
    await saveCredential({ configDir, provider: 'openai', key: 'sk-1234', baseURL: 'https://api.openai.com/v1' });
    const elsewhere = join(root.path, 'elsewhere.json');
    await writeFile(elsewhere, '{}\n', { mode: 0o600 });
    const file = credentialsFile(configDir);
    await rm(file);
    await symlink(elsewhere, file);
    await expect(readCredentials({ configDir })).rejects.toThrow(/is a symlink.*chmod 600/);
    await expect(
      saveCredential({ configDir, provider: 'x', key: 'sk-9999', baseURL: 'https://x.dev' }),
    ).rejects.toThrow(/is a symlink/);
    expect(await readFile(elsewhere, 'utf8')).toBe('{}\n');
  });

  it('removes an entry and reports when there was none', async () => {
    await saveCredential({ configDir, provider: 'deepseek', key: 'sk-abcd', baseURL: 'https://api.deepseek.com/v1' });
    expect(await removeCredential({ configDir, provider: 'deepseek' })).toBe(true);
    expect(await removeCredential({ configDir, provider: 'deepseek' })).toBe(false);
    expect(await readCredentials({ configDir })).toEqual({});
  });

  it('reads an absent store as empty and rejects invalid JSON', async () => {
    expect(await readCredentials({ configDir })).toEqual({});
    await saveCredential({ configDir, provider: 'a', key: undefined, baseURL: 'http://localhost:1/v1' });
    await writeFile(credentialsFile(configDir), 'not json', { mode: 0o600 });
    await expect(readCredentials({ configDir })).rejects.toThrow(/is not valid JSON/);
  });

  it('records trusted hosts once, lower-cased', async () => {
    expect(await addTrustedHost({ configDir, host: 'LLM.acme.dev' })).toBe(true);
    expect(await addTrustedHost({ configDir, host: 'llm.acme.dev' })).toBe(false);
    expect(await readTrustedHosts({ configDir })).toEqual(['llm.acme.dev']);
  });

  it('masks keys as … plus the last four characters', () => {
    expect(maskKey('sk-ant-api03-abcdef9f2c')).toBe('…9f2c');
  });
});

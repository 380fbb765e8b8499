// Real-process tests of the local-model recipe and `kode providers` (spec §3.9, §3.10, §5.7, §7.7).
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTempProject, runKode, startFakeOpenAI } from '@kode/test-utils';
import { describe, expect, it } from 'vitest';

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('local models', () => {
  it('KODE_LLM_ENDPOINT + KODE_LLM_MODEL list the server models with no key, even after kode init', async () => {
    const server = await startFakeOpenAI({ models: ['qwen2.5-coder:14b', 'llama3.1:8b'] });
    try {
      await using project = await createTempProject({ git: true, files: { 'README.md': 'x\n' } });
      expect((await runKode(['init'], { cwd: project.root })).exitCode).toBe(0);
      const env = { KODE_LLM_ENDPOINT: `${server.url}/v1`, KODE_LLM_MODEL: 'qwen2.5-coder:14b' };
      const run = await runKode(['models'], { cwd: project.root, env });
      expect(run.exitCode).toBe(0);
      expect(run.stdout.split('\n')).toEqual(expect.arrayContaining(['qwen2.5-coder:14b', 'llama3.1:8b']));
      const listed = server.requests.filter((request) => request.path.endsWith('/models'));
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((request) => request.headers.authorization === undefined)).toBe(true);
      const shown = await runKode(['config', 'show', '--sources'], { cwd: project.root, env });
      const config = JSON.parse(shown.stdout) as { config: { model: string }; sources: Record<string, string> };
      expect(config.config.model).toBe('qwen2.5-coder:14b');
      expect(config.sources.model).toBe('env:KODE_LLM_MODEL');
    } finally {
      await server.close();
    }
  });

  it('an unreachable endpoint exits 3 naming the URL and the fix', async () => {
    await using project = await createTempProject();
    const port = await closedPort();
    const run = await runKode(['models'], {
      cwd: project.root,
      env: { KODE_LLM_ENDPOINT: `http://127.0.0.1:${port}/v1`, KODE_LLM_MODEL: 'm' },
    });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`error: cannot reach http://127.0.0.1:${port}/v1/models: connect ECONNREFUSED`);
  });
});

describe('kode providers', () => {
  it('login without a TTY saves the key outside the project, list masks it, logout removes it', async () => {
    const server = await startFakeOpenAI({ models: ['coder-large'] });
    const key = 'acme-test-key-0123456789abcd';
    try {
      await using project = await createTempProject({ git: true, files: { 'README.md': 'x\n' } });
      expect((await runKode(['init'], { cwd: project.root })).exitCode).toBe(0);
      const home = await createTempProject({ name: 'kode-home' });
      const env = { ACME_LLM_KEY: key, KODE_CONFIG_DIR: join(home.root, 'kode') };
      const login = await runKode(
        ['providers', 'login', '--provider', 'acme', '--endpoint', `${server.url}/v1`, '--api-key-env', 'ACME_LLM_KEY'],
        { cwd: project.root, env },
      );
      expect(login.exitCode).toBe(0);
      const config = JSON.parse(await readFile(join(project.root, '.kode', 'kode.json'), 'utf8')) as {
        model: string;
        providers: { primary: string; endpoints: Record<string, { base_url: string }> };
      };
      expect(config.model).toBe('acme/coder-large');
      expect(config.providers.primary).toBe('acme');
      expect(config.providers.endpoints.acme?.base_url).toBe(`${server.url}/v1`);
      const list = await runKode(['providers', 'list', '--json'], { cwd: project.root, env });
      expect(list.exitCode).toBe(0);
      const rows = JSON.parse(list.stdout) as { id: string; key_hint: string; primary: boolean }[];
      expect(rows.find((row) => row.id === 'acme')).toMatchObject({ key_hint: '…abcd', primary: true });
      for (const file of await filesUnder(project.root)) {
        if (file.includes(`${join(project.root, '.git')}`)) continue;
        expect(await readFile(file, 'utf8'), file).not.toContain(key);
      }
      for (const output of [login.stdout, login.stderr, list.stdout, list.stderr]) expect(output).not.toContain(key);
      const logout = await runKode(['providers', 'logout', 'acme'], { cwd: project.root, env });
      expect(logout.exitCode).toBe(0);
      await home.dispose();
    } finally {
      await server.close();
    }
  });
});

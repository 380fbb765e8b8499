import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { initProject } from '@kode/config';
import { credentialsFile, readCredentials, readTrustedHosts, saveCredential } from '@kode/providers';
import { createCapturedIO, createTempProject, startFakeAnthropic, startFakeOpenAI } from '@kode/test-utils';
import type { CapturedIO, FakeServer, TempProject } from '@kode/test-utils';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { Output } from '../io.js';
import { providersCommand } from './providers-command.js';
import { runProvidersList, runProvidersLogin, runProvidersLogout } from './providers.js';
import type { LoginOptions, Prompter } from './providers.js';

const SECRET = 'sk-acme-very-secret-4f2a';
let project: TempProject;
let configDir: string;
const servers: FakeServer[] = [];
beforeEach(async () => {
  project = await createTempProject({ name: 'kode-providers' });
  configDir = join(project.root, '..', `${project.root.split('/').pop() ?? 'p'}-user-config`);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await project.dispose();
  await rm(configDir, { recursive: true, force: true });
});

function contextFor(env: Record<string, string> = {}, tty = false): { context: CommandContext; captured: CapturedIO } {
  const captured = createCapturedIO({ cwd: project.root, env, tty });
  const output = new Output({ io: captured.io, color: false, quiet: false, progress: 'text' });
  const globals = {
    projectDir: undefined,
    logDir: undefined,
    quiet: false,
    progress: 'text' as const,
    color: false,
    yes: false,
  };
  return { context: { io: captured.io, output, globals }, captured };
}

const login: LoginOptions = {
  provider: undefined,
  endpoint: undefined,
  model: undefined,
  apiKeyEnv: undefined,
  apiKeyStdin: false,
  key: true,
  setDefault: true,
};

async function failure(promise: Promise<number>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!CliError.isInstance(error)) throw new Error(`expected a CliError, got ${String(error)}`);
  return error;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('kode providers login (non-interactive)', () => {
  it('writes kode.json in place and a 0600 credential file; the key appears in no project file and no output', async () => {
    await initProject({ directory: project.root });
    const before = JSON.parse(await project.read('.kode/kode.json')) as Record<string, unknown>;
    const fake = await startFakeOpenAI({ models: ['coder-large', 'coder-small'] });
    servers.push(fake);
    const { context, captured } = contextFor({ ACME_KEY: SECRET });
    const code = await runProvidersLogin(
      context,
      { ...login, provider: 'acme', endpoint: `${fake.url}/v1`, model: 'coder-large', apiKeyEnv: 'ACME_KEY' },
      { configDir },
    );
    expect(code).toBe(0);
    const after = JSON.parse(await project.read('.kode/kode.json')) as Record<string, unknown>;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after).toEqual({
      ...before,
      model: 'acme/coder-large',
      providers: {
        primary: 'acme',
        gateway_url: 'http://127.0.0.1:8787',
        endpoints: { acme: { base_url: `${fake.url}/v1` } },
      },
    });
    expect((await stat(credentialsFile(configDir))).mode & 0o777).toBe(0o600);
    expect((await readCredentials({ configDir })).acme).toMatchObject({ key: SECRET, base_url: `${fake.url}/v1` });
    for (const file of await filesUnder(project.root)) {
      if (file.includes(`${join(project.root, '.git')}`)) continue;
      expect(await readFile(file, 'utf8'), file).not.toContain(SECRET);
    }
    expect(captured.stdout() + captured.stderr()).not.toContain(SECRET);
    expect(captured.stderr()).toBe(
      [
        '✓ acme answered with 2 models',
        '✓ Saved key for acme (…4f2a) in the credential store',
        `✓ .kode/kode.json: model = acme/coder-large, providers.primary = acme, providers.endpoints.acme.base_url = ${fake.url}/v1`,
        '',
      ].join('\n'),
    );
    // The check sent the key to the endpoint, as a bearer token.
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('reads the key from stdin, checks it against Anthropic and picks the catalogue default model', async () => {
    await initProject({ directory: project.root });
    const fake = await startFakeAnthropic({ models: ['claude-sonnet-4-6', 'claude-haiku-4-5'] });
    servers.push(fake);
    const redirect: typeof fetch = (input, init) =>
      fetch(String(input instanceof Request ? input.url : input).replace('https://api.anthropic.com', fake.url), init);
    const { context, captured } = contextFor();
    await runProvidersLogin(
      context,
      { ...login, provider: 'anthropic', apiKeyStdin: true },
      { configDir, fetch: redirect, readStdin: () => Promise.resolve('sk-ant-from-stdin-9f2c\n') },
    );
    expect(captured.stderr()).toContain('✓ Saved key for anthropic (…9f2c) in the credential store\n');
    expect(captured.stderr()).toContain(
      '✓ .kode/kode.json: model = anthropic/claude-sonnet-4-6, providers.primary = anthropic\n',
    );
    expect(await readTrustedHosts({ configDir })).toEqual([]);
  });

  it('saves nothing and exits 3 when the provider rejects the key', async () => {
    await initProject({ directory: project.root });
    const original = await project.read('.kode/kode.json');
    const fake = await startFakeOpenAI({ script: [{ type: 'error', status: 401, route: 'models' }] });
    servers.push(fake);
    const { context } = contextFor({ ACME_KEY: SECRET });
    const error = await failure(
      runProvidersLogin(
        context,
        { ...login, provider: 'acme', endpoint: `${fake.url}/v1`, apiKeyEnv: 'ACME_KEY' },
        { configDir },
      ),
    );
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(
      `${fake.url}/v1/models returned 401 Unauthorized: check the key in ACME_KEY and run kode providers login again (nothing was saved)`,
    );
    expect(await readCredentials({ configDir })).toEqual({});
    expect(await project.read('.kode/kode.json')).toBe(original);
  });

  it('exits 2 for missing answers without a terminal', async () => {
    const { context } = contextFor();
    expect((await failure(runProvidersLogin(context, login, { configDir }))).message).toMatch(
      /^--provider is required without a terminal: pass --provider <id>/,
    );
    const custom = await failure(runProvidersLogin(context, { ...login, provider: 'acme' }, { configDir }));
    expect([custom.exitCode, custom.message]).toEqual([
      2,
      '--endpoint is required for the custom provider "acme": pass its OpenAI-compatible base URL',
    ]);
    const keyless = await failure(runProvidersLogin(context, { ...login, provider: 'openai' }, { configDir }));
    expect(keyless.message).toBe('no key source for openai: pass --api-key-env <VAR>, --api-key-stdin or --no-key');
    const unset = await failure(
      runProvidersLogin(context, { ...login, provider: 'openai', apiKeyEnv: 'NOPE' }, { configDir }),
    );
    expect(unset.message).toBe('NOPE is not set: export it first or pass --api-key-stdin');
    const reserved = await failure(runProvidersLogin(context, { ...login, provider: 'replay' }, { configDir }));
    expect(reserved.exitCode).toBe(2);
  });

  it('still saves the credential without a project config, and says how to make it the default', async () => {
    const fake = await startFakeOpenAI({ models: ['llama3.1:8b'] });
    servers.push(fake);
    const { context, captured } = contextFor();
    await runProvidersLogin(
      context,
      { ...login, provider: 'ollama', endpoint: `${fake.url}/v1`, key: false },
      { configDir },
    );
    expect((await readCredentials({ configDir })).ollama).toMatchObject({ base_url: `${fake.url}/v1` });
    expect(captured.stderr()).toContain('! no .kode/kode.json here: run kode init to make ollama the default\n');
  });

  it('trusts the host of a remote custom endpoint it saved', async () => {
    const { context, captured } = contextFor();
    // No DNS in tests: a fetch that fails the way an unresolvable host does.
    const unresolvable: typeof fetch = () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('getaddrinfo ENOTFOUND llm.acme.invalid'), { code: 'ENOTFOUND' }),
        }),
      );
    await runProvidersLogin(
      context,
      { ...login, provider: 'acme', endpoint: 'https://llm.acme.invalid/v1', key: false, setDefault: false },
      { configDir, fetch: unresolvable },
    );
    expect(await readTrustedHosts({ configDir })).toEqual(['llm.acme.invalid']);
    expect(captured.stderr()).toBe(
      [
        '! cannot reach https://llm.acme.invalid/v1/models: getaddrinfo ENOTFOUND llm.acme.invalid: check providers.endpoints.acme.base_url in .kode/kode.json (saved anyway)',
        '✓ Saved acme (https://llm.acme.invalid/v1, no key) in the credential store',
        '',
      ].join('\n'),
    );
  });
});

describe('kode providers login (wizard)', () => {
  it('asks provider, endpoint and key, then offers the listed models', async () => {
    await initProject({ directory: project.root });
    const fake = await startFakeOpenAI({ models: ['qwen2.5-coder:14b', 'llama3.1:8b'] });
    servers.push(fake);
    const asked: string[] = [];
    const prompter: Prompter = {
      select: (options) => {
        asked.push(options.message);
        return Promise.resolve(options.message === 'Provider' ? 'lmstudio' : 'lmstudio/qwen2.5-coder:14b');
      },
      input: (options) => {
        asked.push(`${options.message} [${options.default ?? ''}]`);
        return Promise.resolve(`${fake.url}/v1`);
      },
      password: () => Promise.reject(new Error('local providers take no key')),
      confirm: () => Promise.reject(new Error('the endpoint is reachable')),
    };
    const { context } = contextFor({}, true);
    expect(await runProvidersLogin(context, login, { configDir, prompter })).toBe(0);
    expect(asked).toEqual(['Provider', 'Endpoint (base URL) [http://localhost:1234/v1]', 'Default model']);
    expect(JSON.parse(await project.read('.kode/kode.json'))).toMatchObject({
      model: 'lmstudio/qwen2.5-coder:14b',
      providers: { primary: 'lmstudio' },
    });
  });
  it('asks whether to save an unreachable endpoint anyway; no saves nothing and exits 3', async () => {
    const closed: typeof fetch = () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
        }),
      );
    const answers = ['acme', 'http://127.0.0.1:9/v1'];
    const asked: string[] = [];
    const prompter: Prompter = {
      select: () => Promise.resolve(''),
      input: (options) => {
        asked.push(options.message);
        return Promise.resolve(answers.shift() ?? '');
      },
      password: (options) => {
        asked.push(options.message);
        return Promise.resolve(SECRET);
      },
      confirm: (options) => {
        asked.push(options.message);
        return Promise.resolve(false);
      },
    };
    const { context, captured } = contextFor({}, true);
    const error = await failure(runProvidersLogin(context, login, { configDir, prompter, fetch: closed }));
    expect(error.exitCode).toBe(3);
    expect(asked).toEqual([
      'Custom provider id ([a-z0-9-]+)',
      'Endpoint (base URL)',
      'API key for acme (empty for none)',
      'cannot reach http://127.0.0.1:9/v1/models: connect ECONNREFUSED 127.0.0.1:9: check providers.endpoints.acme.base_url in .kode/kode.json. Save anyway?',
    ]);
    expect(await readCredentials({ configDir })).toEqual({});
    expect(captured.stderr()).not.toContain(SECRET);
  });
});

describe('kode providers list and logout', () => {
  it('lists where each key comes from, masked, with the primary marked', async () => {
    await initProject({ directory: project.root });
    await saveCredential({
      configDir,
      provider: 'deepseek',
      key: 'sk-deepseek-stored-77aa',
      baseURL: 'https://api.deepseek.com/v1',
    });
    const { context, captured } = contextFor({ ANTHROPIC_API_KEY: 'sk-ant-env-9f2c' });
    await runProvidersList(context, { json: true }, { configDir });
    expect(JSON.parse(captured.stdout())).toEqual([
      {
        id: 'anthropic',
        base_url: 'https://api.anthropic.com',
        key_source: 'env:ANTHROPIC_API_KEY',
        key_hint: '…9f2c',
        primary: false,
      },
      {
        id: 'deepseek',
        base_url: 'https://api.deepseek.com/v1',
        key_source: 'store',
        key_hint: '…77aa',
        primary: false,
      },
      { id: 'kode', base_url: 'http://127.0.0.1:8787/v1', key_source: 'none', key_hint: null, primary: true },
    ]);
    const text = contextFor({ ANTHROPIC_API_KEY: 'sk-ant-env-9f2c' });
    await runProvidersList(text.context, { json: false }, { configDir });
    expect(text.captured.stdout()).toBe(
      [
        '  anthropic https://api.anthropic.com   env:ANTHROPIC_API_KEY …9f2c',
        '  deepseek  https://api.deepseek.com/v1 store                 …77aa',
        '* kode      http://127.0.0.1:8787/v1    none',
        '',
      ].join('\n'),
    );
    expect(captured.stdout() + text.captured.stdout()).not.toMatch(/sk-ant-env|sk-deepseek-stored/);
  });

  it('removes a stored key, says when there is none, and names a variable that still supplies one', async () => {
    await saveCredential({
      configDir,
      provider: 'openai',
      key: 'sk-openai-1234',
      baseURL: 'https://api.openai.com/v1',
    });
    const first = contextFor({ OPENAI_API_KEY: 'sk-env' });
    expect(await runProvidersLogout(first.context, { provider: 'openai' }, { configDir })).toBe(0);
    expect(first.captured.stderr()).toBe(
      '✓ Removed the stored key for openai\n! OPENAI_API_KEY still provides a key for openai: unset it to stop using that key\n',
    );
    expect(await readCredentials({ configDir })).toEqual({});
    const second = contextFor();
    expect(await runProvidersLogout(second.context, { provider: 'openai' }, { configDir })).toBe(0);
    expect(second.captured.stderr()).toBe('! no stored key for openai\n');
  });
});

describe('kode providers argv', () => {
  it('maps --no-key and --no-default to false and refuses a key given as a flag value', () => {
    const loginCommand = providersCommand.subcommands?.find((command) => command.command === 'login');
    const parse = (argv: string[]) => {
      const parser = loginCommand?.builder?.(yargs().strict().exitProcess(false)) ?? yargs();
      return parser.parseSync(argv) as Record<string, unknown>;
    };
    expect(parse(['--provider', 'ollama', '--no-key', '--no-default'])).toMatchObject({ key: false, default: false });
    expect(parse(['--provider', 'ollama'])).toMatchObject({ key: true, default: true, 'api-key-stdin': false });
    expect(() => parse(['--provider', 'openai', '--key', 'sk-secret'])).toThrow(/Unknown argument/);
  });
});

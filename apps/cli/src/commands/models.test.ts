import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initProject } from '@kode/config';
import { saveCredential } from '@kode/providers';
import { createCapturedIO, createTempProject, startFakeOpenAI } from '@kode/test-utils';
import type { CapturedIO, FakeServer, TempProject } from '@kode/test-utils';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { Output } from '../io.js';
import { runModels } from './models.js';

let project: TempProject;
let configDir: string;
const servers: FakeServer[] = [];
beforeEach(async () => {
  project = await createTempProject({ name: 'kode-models' });
  await initProject({ directory: project.root });
  configDir = project.path('.user-config');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await project.dispose();
});

function contextFor(env: Record<string, string>): { context: CommandContext; captured: CapturedIO } {
  const captured = createCapturedIO({ cwd: project.root, env });
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

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function failure(promise: Promise<number>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!CliError.isInstance(error)) throw new Error(`expected a CliError, got ${String(error)}`);
  return error;
}

const defaults = { provider: undefined, json: false, verbose: false };

describe('kode models', () => {
  it('lists the local server for KODE_LLM_ENDPOINT + KODE_LLM_MODEL even though kode init wrote another model', async () => {
    const fake = await startFakeOpenAI({ models: ['qwen2.5-coder:14b', 'llama3.1:8b'] });
    servers.push(fake);
    const { context, captured } = contextFor({
      KODE_LLM_ENDPOINT: `${fake.url}/v1`,
      KODE_LLM_MODEL: 'qwen2.5-coder:14b',
    });
    expect(await runModels(context, defaults, { configDir })).toBe(0);
    expect(captured.stdout()).toBe('llama3.1:8b\nqwen2.5-coder:14b\n');
    expect(captured.stderr()).toBe(`✓ endpoint (${fake.url.slice('http://'.length)}): 2 models\n`);
  });

  it('prints the §3.9 JSON document', async () => {
    const fake = await startFakeOpenAI({ models: ['qwen2.5-coder:14b'] });
    servers.push(fake);
    const { context, captured } = contextFor({
      KODE_LLM_ENDPOINT: `${fake.url}/v1`,
      KODE_LLM_MODEL: 'qwen2.5-coder:14b',
    });
    await runModels(context, { ...defaults, json: true }, { configDir });
    expect(JSON.parse(captured.stdout())).toEqual({
      providers: [
        { id: 'endpoint', base_url: `${fake.url}/v1`, reachable: true, key_source: 'none', models: 1, error: null },
      ],
      models: [
        {
          id: 'qwen2.5-coder:14b',
          provider: 'endpoint',
          model: 'qwen2.5-coder:14b',
          source: 'api',
          context_window: null,
          input_usd_per_mtok: 0,
          output_usd_per_mtok: 0,
          default: true,
        },
      ],
    });
  });

  it('adds context window, prices and source with --verbose', async () => {
    const fake = await startFakeOpenAI({ models: ['anthropic/claude-sonnet-4-6'] });
    servers.push(fake);
    await project.write(
      '.kode/kode.json',
      JSON.stringify({ version: '3.0.0', providers: { primary: 'kode', gateway_url: fake.url } }),
    );
    const { context, captured } = contextFor({});
    await runModels(context, { ...defaults, verbose: true }, { configDir });
    expect(captured.stdout()).toBe('kode/anthropic/claude-sonnet-4-6  200000  $3/$15  api+catalog\n');
  });

  it('exits 3 naming the URL, the cause and the fix when the endpoint is unreachable', async () => {
    const port = await closedPort();
    const { context, captured } = contextFor({ KODE_LLM_ENDPOINT: `http://127.0.0.1:${port}/v1`, KODE_LLM_MODEL: 'q' });
    const error = await failure(runModels(context, defaults, { configDir }));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(
      `cannot reach http://127.0.0.1:${port}/v1/models: connect ECONNREFUSED 127.0.0.1:${port}: start the server or fix KODE_LLM_ENDPOINT`,
    );
    expect(captured.stderr()).toBe(`✗ endpoint (127.0.0.1:${port}): connect ECONNREFUSED\n`);
  });

  it('tells Ollama users to start Ollama', async () => {
    const port = await closedPort();
    await saveCredential({ configDir, provider: 'ollama', key: undefined, baseURL: `http://127.0.0.1:${port}/v1` });
    const { context } = contextFor({});
    const error = await failure(runModels(context, { ...defaults, provider: 'ollama' }, { configDir }));
    expect(error.message).toMatch(/: start Ollama or set KODE_LLM_ENDPOINT$/);
    expect(error.exitCode).toBe(3);
  });

  it('exits 3 on 401 naming the variable to check, and 2 for an unknown provider', async () => {
    const fake = await startFakeOpenAI({ script: [{ type: 'error', status: 401, route: 'models' }] });
    servers.push(fake);
    await project.write(
      '.kode/kode.json',
      JSON.stringify({
        version: '3.0.0',
        providers: { primary: 'acme', endpoints: { acme: { base_url: `${fake.url}/v1`, api_key_env: 'ACME_KEY' } } },
      }),
    );
    const { context, captured } = contextFor({ ACME_KEY: 'k-secret-acme' });
    const denied = await failure(runModels(context, defaults, { configDir }));
    expect(denied.exitCode).toBe(3);
    expect(denied.message).toBe(
      `${fake.url}/v1/models returned 401 Unauthorized: check ACME_KEY or run kode providers login`,
    );
    expect(captured.stderr() + captured.stdout()).not.toContain('k-secret-acme');
    const unknown = await failure(runModels(contextFor({}).context, { ...defaults, provider: 'nope' }, { configDir }));
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toMatch(/^unknown provider "nope": known ids are kode, openai, anthropic/);
  });
});

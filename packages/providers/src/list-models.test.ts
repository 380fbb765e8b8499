import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, startFakeOpenAI } from '@kode/test-utils';
import type { FakeServer } from '@kode/test-utils';
import { endpointConfig, tempDir, testConfig } from './config.test-helpers.js';
import { saveCredential } from './credential-store.js';
import { UnknownProviderError } from './errors.js';
import { listModels } from './list-models.js';

let root: { path: string; dispose: () => Promise<void> };
let configDir: string;
const servers: FakeServer[] = [];
beforeEach(async () => {
  root = await tempDir();
  configDir = join(root.path, 'kode-config');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await root.dispose();
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const noRetryWait = { sleep: () => Promise.resolve() };

describe('listModels', () => {
  it('lists the KODE_LLM_ENDPOINT server bare, marks the resolved model, and skips the gateway', async () => {
    const fake = await startFakeOpenAI({ models: ['qwen2.5-coder:14b', 'llama3.1:8b'] });
    servers.push(fake);
    const config = testConfig({ model: 'anthropic/claude-sonnet-4-6', primary: 'kode' });
    const env = { KODE_LLM_ENDPOINT: `${fake.url}/v1`, KODE_LLM_MODEL: 'qwen2.5-coder:14b' };
    const listing = await listModels({ config, env, configDir });
    expect(listing.providers).toEqual([
      {
        id: 'endpoint',
        baseURL: `${fake.url}/v1`,
        reachable: true,
        keySource: 'none',
        models: 2,
        error: null,
        message: null,
        failure: null,
      },
    ]);
    expect(listing.models.map((model) => [model.id, model.default, model.source])).toEqual([
      ['llama3.1:8b', false, 'api'],
      ['qwen2.5-coder:14b', true, 'api'],
    ]);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models']);
  });

  it('reports a refused endpoint with the URL, the cause and the fix, without retrying', async () => {
    const port = await closedPort();
    const config = testConfig({ primary: 'ollama' });
    const env = { KODE_LLM_ENDPOINT: `http://127.0.0.1:${port}/v1` };
    const listing = await listModels({ config, env, configDir, provider: 'endpoint', retry: noRetryWait });
    expect(listing.providers[0]).toMatchObject({
      reachable: false,
      failure: 'unreachable',
      error: `connect ECONNREFUSED 127.0.0.1:${port}`,
      message: `cannot reach http://127.0.0.1:${port}/v1/models: connect ECONNREFUSED 127.0.0.1:${port}: start the server or fix KODE_LLM_ENDPOINT`,
    });
  });

  it('names the key variable when the list is refused with 401, and never leaks the key', async () => {
    const fake = await startFakeOpenAI({ script: [{ type: 'error', status: 401, route: 'models' }] });
    servers.push(fake);
    const config = testConfig({
      primary: 'acme',
      endpoints: { acme: endpointConfig(`${fake.url}/v1`, { api_key_env: 'ACME_LLM_KEY' }) },
    });
    const listing = await listModels({ config, env: { ACME_LLM_KEY: 'k-acme-secret' }, configDir, provider: 'acme' });
    expect(listing.providers[0]).toMatchObject({
      failure: 'auth',
      error: 'HTTP 401 Unauthorized',
      message: `${fake.url}/v1/models returned 401 Unauthorized: check ACME_LLM_KEY or run kode providers login`,
    });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer k-acme-secret');
    expect(JSON.stringify(listing)).not.toContain('k-acme-secret');
  });

  it('merges the Anthropic models API with the catalogue', async () => {
    const fake = await startFakeAnthropic({ models: ['claude-sonnet-4-6', 'claude-new-model'] });
    servers.push(fake);
    // Route the real base URL to the fake: the key must still only go where the provider lives.
    const redirect: typeof fetch = (input, init) =>
      fetch(String(input instanceof Request ? input.url : input).replace('https://api.anthropic.com', fake.url), init);
    const config = testConfig({ primary: 'anthropic' });
    const listing = await listModels({ config, env: { ANTHROPIC_API_KEY: 'sk-ant-9f2c' }, configDir, fetch: redirect });
    expect(listing.providers[0]).toMatchObject({
      id: 'anthropic',
      reachable: true,
      keySource: 'env:ANTHROPIC_API_KEY',
      models: 2,
    });
    expect(listing.models).toEqual([
      {
        id: 'anthropic/claude-new-model',
        provider: 'anthropic',
        model: 'claude-new-model',
        source: 'api',
        contextWindow: null,
        inputUsdPerMtok: null,
        outputUsdPerMtok: null,
        default: false,
      },
      {
        id: 'anthropic/claude-sonnet-4-6',
        provider: 'anthropic',
        model: 'claude-sonnet-4-6',
        source: 'api+catalog',
        contextWindow: 200000,
        inputUsdPerMtok: 3,
        outputUsdPerMtok: 15,
        default: true,
      },
    ]);
  });

  it('falls back to the configured models when a custom server has no list endpoint', async () => {
    const fake = await startFakeOpenAI({ script: [{ type: 'error', status: 404, route: 'models' }] });
    servers.push(fake);
    const config = testConfig({
      primary: 'acme',
      endpoints: { acme: endpointConfig(`${fake.url}/v1`, { models: ['coder-large'] }) },
      pricing: { 'acme/coder-large': { input_usd_per_mtok: 0.6, output_usd_per_mtok: 2.4 } },
    });
    const listing = await listModels({ config, env: {}, configDir, provider: 'acme' });
    expect(listing.models).toMatchObject([{ id: 'acme/coder-large', source: 'config', inputUsdPerMtok: 0.6 }]);
  });

  it('queries providers with keys and stored custom endpoints, resolved provider first', async () => {
    const gateway = await startFakeOpenAI({ models: ['anthropic/claude-sonnet-4-6'] });
    const custom = await startFakeOpenAI({ models: ['m1'] });
    servers.push(gateway, custom);
    await saveCredential({ configDir, provider: 'zeta', key: undefined, baseURL: `${custom.url}/v1` });
    const config = testConfig({ primary: 'kode', gateway_url: gateway.url });
    const listing = await listModels({ config, env: {}, configDir });
    expect(listing.providers.map((provider) => provider.id)).toEqual(['kode', 'zeta']);
    expect(listing.models.map((model) => model.id)).toEqual(['kode/anthropic/claude-sonnet-4-6', 'zeta/m1']);
    expect(listing.models[0]?.default).toBe(true);
  });

  it('rejects an unknown provider listing the known ids', async () => {
    const error = await listModels({ config: testConfig(), env: {}, configDir, provider: 'nope' }).catch(
      (caught: unknown) => caught,
    );
    expect(UnknownProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'unknown provider "nope": known ids are kode, openai, anthropic, deepseek, google, openrouter, ollama, lmstudio',
    );
  });

  it('retries a failing list once', async () => {
    const fake = await startFakeOpenAI({ script: [{ type: 'error', status: 503, route: 'models' }], models: ['x'] });
    servers.push(fake);
    const listing = await listModels({
      config: testConfig(),
      env: { KODE_LLM_ENDPOINT: `${fake.url}/v1` },
      configDir,
      retry: noRetryWait,
    });
    expect(listing.providers[0]?.reachable).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '@kode/test-utils';
import { endpointConfig, tempDir, testConfig } from './config.test-helpers.js';
import { addTrustedHost, saveCredential } from './credential-store.js';
import { MissingApiKeyError, UnknownProviderError, UntrustedHostError } from './errors.js';
import { resolveModel } from './resolve-model.js';
import { lookupKey, resolveModelId, resolveTarget } from './resolve.js';

let root: { path: string; dispose: () => Promise<void> };
let configDir: string;
beforeEach(async () => {
  root = await tempDir();
  configDir = join(root.path, 'kode-config');
});
afterEach(() => root.dispose());

describe('model id precedence (§5.7)', () => {
  const config = testConfig({ model: 'anthropic/claude-sonnet-4-6', small_model: 'anthropic/claude-haiku-4-5' });
  it('--model > KODE_LLM_MODEL > kode.json model', () => {
    expect(
      resolveModelId({ config, env: { KODE_LLM_MODEL: 'openai/gpt-4o' }, modelId: 'deepseek/deepseek-chat' }),
    ).toBe('deepseek/deepseek-chat');
    expect(resolveModelId({ config, env: { KODE_LLM_MODEL: 'openai/gpt-4o' } })).toBe('openai/gpt-4o');
    expect(resolveModelId({ config, env: { KODE_LLM_MODEL: '' } })).toBe('anthropic/claude-sonnet-4-6');
  });
  it('small_model ignores KODE_LLM_MODEL, but uses the main model with KODE_LLM_ENDPOINT', () => {
    expect(resolveModelId({ config, env: { KODE_LLM_MODEL: 'openai/gpt-4o' }, role: 'small' })).toBe(
      'anthropic/claude-haiku-4-5',
    );
    expect(
      resolveModelId({
        config,
        env: { KODE_LLM_MODEL: 'qwen', KODE_LLM_ENDPOINT: 'http://localhost:1/v1' },
        role: 'small',
      }),
    ).toBe('qwen');
  });
});

describe('resolveTarget (§7.2)', () => {
  it('sends the id verbatim to KODE_LLM_ENDPOINT with no key unless KODE_LLM_API_KEY is set', () => {
    const config = testConfig({ primary: 'anthropic' });
    const env = { KODE_LLM_ENDPOINT: 'http://localhost:11434/v1', ANTHROPIC_API_KEY: 'sk-ant-x' };
    const target = resolveTarget({ config, env, store: {}, modelId: 'ollama/qwen2.5-coder:14b' });
    expect(target).toMatchObject({
      provider: 'endpoint',
      modelId: 'ollama/qwen2.5-coder:14b',
      baseURL: 'http://localhost:11434/v1',
      apiKey: undefined,
      keySource: 'none',
    });
    const keyed = resolveTarget({ config, env: { ...env, KODE_LLM_API_KEY: 'local-key' }, store: {}, modelId: 'q' });
    expect(keyed).toMatchObject({ apiKey: 'local-key', keySource: 'env:KODE_LLM_API_KEY' });
  });

  it('routes everything through the gateway with the full id when primary is kode', () => {
    const config = testConfig({ primary: 'kode', gateway_url: 'http://127.0.0.1:8787' });
    const target = resolveTarget({ config, env: {}, store: {}, modelId: 'anthropic/claude-sonnet-4-6' });
    expect(target).toMatchObject({
      provider: 'kode',
      modelId: 'anthropic/claude-sonnet-4-6',
      baseURL: 'http://127.0.0.1:8787/v1',
    });
    const viaEnv = resolveTarget({
      config,
      env: { KODE_GATEWAY_URL: 'https://gw.example.com/' },
      store: {},
      modelId: 'kode/openai/gpt-4o',
    });
    expect(viaEnv).toMatchObject({ modelId: 'openai/gpt-4o', baseURL: 'https://gw.example.com/v1' });
  });

  it('splits only the first slash and sends bare ids to the primary provider', () => {
    const config = testConfig({ primary: 'openrouter' });
    const env = { OPENROUTER_API_KEY: 'sk-or' };
    expect(resolveTarget({ config, env, store: {}, modelId: 'openrouter/anthropic/claude-sonnet-4.6' })).toMatchObject({
      provider: 'openrouter',
      modelId: 'anthropic/claude-sonnet-4.6',
      priceId: 'openrouter/anthropic/claude-sonnet-4.6',
    });
    expect(resolveTarget({ config, env, store: {}, modelId: 'some-model' })).toMatchObject({
      provider: 'openrouter',
      modelId: 'some-model',
    });
  });

  it('rejects an unknown prefix with the §7.2 message', () => {
    const config = testConfig({ primary: 'openai' });
    expect(() => resolveTarget({ config, env: {}, store: {}, modelId: 'acme/x' })).toThrow(
      'unknown provider "acme" in model "acme/x": add it to providers.endpoints or run kode providers login',
    );
    const error = (() => {
      try {
        resolveTarget({ config, env: {}, store: {}, modelId: 'acme/x' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(UnknownProviderError.isInstance(error) && error.exitCode).toBe(2);
  });

  it('names the exact variable when a key is missing and never falls back', () => {
    const config = testConfig({ primary: 'anthropic' });
    expect(() =>
      resolveTarget({ config, env: { OPENAI_API_KEY: 'sk-o' }, store: {}, modelId: 'anthropic/claude-sonnet-4-6' }),
    ).toThrow('no API key for anthropic: set ANTHROPIC_API_KEY (or KODE_LLM_API_KEY) or run kode providers login');
    expect(() => resolveTarget({ config, env: {}, store: {}, modelId: 'google/gemini-2.5-pro' })).toThrow(
      /set GEMINI_API_KEY \(or KODE_LLM_API_KEY\)/,
    );
  });

  it('takes keys in the order KODE_LLM_API_KEY > provider variable > credential store', () => {
    const config = testConfig({ primary: 'anthropic' });
    const store = { anthropic: { key: 'stored', base_url: 'https://api.anthropic.com', created_at: '' } };
    const look = (env: Record<string, string>) => lookupKey({ provider: 'anthropic', config, env, store });
    expect(look({ KODE_LLM_API_KEY: 'shared', ANTHROPIC_API_KEY: 'own' })).toEqual({
      key: 'shared',
      source: 'env:KODE_LLM_API_KEY',
    });
    expect(look({ ANTHROPIC_API_KEY: 'own' })).toEqual({ key: 'own', source: 'env:ANTHROPIC_API_KEY' });
    expect(look({})).toEqual({ key: 'stored', source: 'store' });
    expect(lookupKey({ provider: 'google', config, env: { GOOGLE_API_KEY: 'g' }, store })).toEqual({
      key: 'g',
      source: 'env:GOOGLE_API_KEY',
    });
  });

  it('resolves custom endpoints with their api_key_env', () => {
    const config = testConfig({
      primary: 'acme',
      endpoints: {
        acme: endpointConfig('https://llm.acme.dev/v1', { api_key_env: 'ACME_LLM_KEY', supports_tools: true }),
      },
    });
    expect(resolveTarget({ config, env: { ACME_LLM_KEY: 'k-acme' }, store: {}, modelId: 'coder-large' })).toMatchObject(
      {
        provider: 'acme',
        baseURL: 'https://llm.acme.dev/v1',
        apiKey: 'k-acme',
        keySource: 'env:ACME_LLM_KEY',
        supportsTools: true,
      },
    );
    expect(() => resolveTarget({ config, env: {}, store: {}, modelId: 'coder-large' })).toThrow(/set ACME_LLM_KEY/);
  });
});

describe('resolveModel', () => {
  it('refuses to send a kode.json key to an untrusted host, and accepts it once trusted', async () => {
    const config = testConfig({
      primary: 'acme',
      endpoints: { acme: endpointConfig('https://llm.acme.dev/v1', { api_key_env: 'ACME_LLM_KEY' }) },
    });
    const env = { ACME_LLM_KEY: 'k-acme-1234' };
    const error = await resolveModel({ config, env, configDir, modelId: 'acme/coder' }).catch(
      (caught: unknown) => caught,
    );
    expect(UntrustedHostError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      '.kode/kode.json sends ACME_LLM_KEY to llm.acme.dev, which is not trusted on this machine: run kode providers login acme to trust it',
    );
    expect((error as Error).message).not.toContain('k-acme-1234');
    await addTrustedHost({ configDir, host: 'llm.acme.dev' });
    const model = await resolveModel({ config, env, configDir, modelId: 'acme/coder', onWarning: () => undefined });
    expect(model).toMatchObject({ provider: 'acme', modelId: 'coder' });
  });

  it('uses a stored key for the host it was stored with', async () => {
    await saveCredential({
      configDir,
      provider: 'anthropic',
      key: 'sk-ant-stored',
      baseURL: 'https://api.anthropic.com',
    });
    const model = await resolveModel({ config: testConfig({ primary: 'anthropic' }), env: {}, configDir });
    expect(model).toMatchObject({ provider: 'anthropic', modelId: 'claude-sonnet-4-6', supportsTools: true });
  });

  it('runs the local-model recipe against the fake server even though kode.json names another model', async () => {
    const fake = await startFakeOpenAI({ script: [{ type: 'reply', text: 'local answer' }] });
    try {
      const config = testConfig({ model: 'anthropic/claude-sonnet-4-6', primary: 'kode' });
      const env = { KODE_LLM_ENDPOINT: `${fake.url}/v1`, KODE_LLM_MODEL: 'qwen2.5-coder:14b' };
      const model = await resolveModel({ config, env, configDir });
      const result = await model.generate({ system: 's', messages: [{ role: 'user', content: 'hi' }] });
      expect(result.text).toBe('local answer');
      expect(result.costUsd).toBe(0);
      expect(fake.requests[0]?.body).toMatchObject({ model: 'qwen2.5-coder:14b' });
      expect(fake.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await fake.close();
    }
  });

  it('reports a remote model without a price once', async () => {
    const warnings: string[] = [];
    const config = testConfig({ primary: 'openai' });
    await resolveModel({
      config,
      env: { OPENAI_API_KEY: 'sk-o' },
      configDir,
      modelId: 'openai/gpt-9',
      onWarning: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([
      'no price for openai/gpt-9: assuming $10/$30 per million tokens; set pricing in .kode/kode.json',
    ]);
  });

  it('throws MissingApiKeyError before any request', async () => {
    const error = await resolveModel({
      config: testConfig({ primary: 'deepseek' }),
      env: {},
      configDir,
      modelId: 'deepseek-chat',
    }).catch((caught: unknown) => caught);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect((error as MissingApiKeyError).variable).toBe('DEEPSEEK_API_KEY');
  });
});

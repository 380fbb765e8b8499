import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './defaults.js';
import { formatConfigIssue } from './format-issue.js';
import { loadConfig } from './load-config.js';
import { FLAG_BINDINGS } from './overrides.js';
import { makeTempDir } from './temp-dir.test-helpers.js';

async function projectWithConfig(config: unknown, files: Record<string, string> = {}): Promise<string> {
  const text = typeof config === 'string' ? config : JSON.stringify(config, null, 2);
  return makeTempDir({ '.kode/kode.json': text, ...files });
}

describe('loadConfig without a file', () => {
  it('returns the defaults, no issue and no config file', async () => {
    const root = await makeTempDir();
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect(result.config).toEqual(DEFAULT_CONFIG);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.configFile).toBeNull();
    expect(Object.values(result.sources).every((source) => source === 'default')).toBe(true);
  });

  it('lists a source for every leaf, arrays and empty objects included', async () => {
    const root = await makeTempDir();
    const { sources } = await loadConfig({ projectRoot: root, env: {} });
    expect(Object.keys(sources)).toEqual([
      '$schema',
      'version',
      'model',
      'small_model',
      'instructions',
      'permission.edit',
      'permission.bash',
      ...Object.keys(DEFAULT_CONFIG.engine).map((key) => `engine.${key}`),
      'architecture.block',
      'architecture.rules',
      'security.block_severity',
      'security.ignore_rules',
      'providers.primary',
      'providers.gateway_url',
      'providers.endpoints',
      'providers.timeout_s',
      'pricing',
    ]);
  });
});

describe('loadConfig precedence: flag > env > file > default', () => {
  it('takes each value from the strongest source and says where it came from', async () => {
    const root = await projectWithConfig({
      model: 'openai/gpt-4o',
      small_model: 'openai/gpt-4o-mini',
      engine: { test_command: 'make test', token_budget_usd: 2, max_blast_radius: 5, tdd_mode: false },
      providers: { gateway_url: 'http://file.invalid' },
    });
    const result = await loadConfig({
      projectRoot: root,
      env: {
        KODE_LLM_MODEL: 'ollama/qwen2.5-coder:14b',
        KODE_TEST_COMMAND: 'npm run test:ci',
        KODE_TOKEN_BUDGET_USD: '0.25',
        KODE_GATEWAY_URL: 'http://127.0.0.1:9999',
      },
      flags: {
        model: 'anthropic/claude-haiku-4-5',
        'max-blast-radius': 7,
        tdd: true,
        unknown: 'ignored',
        budget: undefined,
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.configFile).toBe(join(root, '.kode', 'kode.json'));
    const { config, sources } = result;
    expect([config.model, sources.model]).toEqual(['anthropic/claude-haiku-4-5', 'flag:model']);
    expect([config.small_model, sources.small_model]).toEqual(['openai/gpt-4o-mini', 'file']);
    expect([config.engine.test_command, sources['engine.test_command']]).toEqual([
      'npm run test:ci',
      'env:KODE_TEST_COMMAND',
    ]);
    expect([config.engine.token_budget_usd, sources['engine.token_budget_usd']]).toEqual([
      0.25,
      'env:KODE_TOKEN_BUDGET_USD',
    ]);
    expect([config.providers.gateway_url, sources['providers.gateway_url']]).toEqual([
      'http://127.0.0.1:9999',
      'env:KODE_GATEWAY_URL',
    ]);
    expect([config.engine.max_blast_radius, sources['engine.max_blast_radius']]).toEqual([7, 'flag:max-blast-radius']);
    expect([config.engine.tdd_mode, sources['engine.tdd_mode']]).toEqual([true, 'flag:tdd']);
    expect([config.engine.test_timeout_s, sources['engine.test_timeout_s']]).toEqual([600, 'default']);
    expect(Object.isFrozen(config.engine)).toBe(true);
  });

  it('binds every documented flag to a real config leaf', async () => {
    const root = await makeTempDir();
    const values: Record<string, unknown> = {
      model: 'm/x',
      'edit-format': 'search-replace',
      'max-rounds': '5',
      budget: '0.5',
      blindfold: true,
      tdd: false,
      'block-architecture': 'true',
      'test-command': 'pytest -q',
      'test-timeout': 30,
      'max-blast-radius': 9,
      'max-tokens': 1200,
    };
    expect(Object.keys(FLAG_BINDINGS).sort()).toEqual(Object.keys(values).sort());
    const { config, sources, errors } = await loadConfig({ projectRoot: root, env: {}, flags: values });
    expect(errors).toEqual([]);
    expect(config.engine).toMatchObject({
      edit_format: 'search-replace',
      max_self_correction_rounds: 5,
      token_budget_usd: 0.5,
      blindfold_mode: true,
      tdd_mode: false,
      test_command: 'pytest -q',
      test_timeout_s: 30,
      max_blast_radius: 9,
      context_max_tokens: 1200,
    });
    expect(config.architecture.block).toBe(true);
    for (const [flag, path] of Object.entries(FLAG_BINDINGS)) expect(sources[path]).toBe(`flag:${flag}`);
  });

  it('reports an invalid override naming the variable or flag and keeps the weaker value', async () => {
    const root = await projectWithConfig({ engine: { token_budget_usd: 3 } });
    const result = await loadConfig({
      projectRoot: root,
      env: { KODE_TOKEN_BUDGET_USD: 'three dollars' },
      flags: { 'max-rounds': 11, 'edit-format': 'xml' },
    });
    expect(result.errors.map(formatConfigIssue)).toEqual([
      'invalid KODE_TOKEN_BUDGET_USD: must be number (got "three dollars")',
      'invalid --max-rounds: must be <= 10 (got 11)',
      'invalid --edit-format: must be one of json, search-replace (got "xml")',
    ]);
    expect(result.errors[0]?.pointer).toBe('/engine/token_budget_usd');
    expect([result.config.engine.token_budget_usd, result.sources['engine.token_budget_usd']]).toEqual([3, 'file']);
    const zero = await loadConfig({ projectRoot: root, env: { KODE_TOKEN_BUDGET_USD: '0' } });
    expect(zero.errors.map(formatConfigIssue)).toEqual(['invalid KODE_TOKEN_BUDGET_USD: must be > 0 (got 0)']);
  });

  it('ignores empty environment variables', async () => {
    const root = await projectWithConfig({ model: 'openai/gpt-4o' });
    const result = await loadConfig({ projectRoot: root, env: { KODE_LLM_MODEL: '' } });
    expect([result.config.model, result.sources.model]).toEqual(['openai/gpt-4o', 'file']);
  });

  it('reads process.env when no env is given', async () => {
    const root = await makeTempDir();
    const saved = process.env.KODE_LLM_MODEL;
    process.env.KODE_LLM_MODEL = 'from/process-env';
    try {
      const result = await loadConfig({ projectRoot: root });
      expect([result.config.model, result.sources.model]).toEqual(['from/process-env', 'env:KODE_LLM_MODEL']);
    } finally {
      if (saved === undefined) delete process.env.KODE_LLM_MODEL;
      else process.env.KODE_LLM_MODEL = saved;
    }
  });
});

describe('loadConfig test command', () => {
  it('uses the detected command, with source default, when none is configured', async () => {
    const root = await makeTempDir({ 'go.mod': 'module example.com/x\n' });
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect([result.config.engine.test_command, result.sources['engine.test_command']]).toEqual([
      'go test ./...',
      'default',
    ]);
  });

  it('treats "" in the file as not configured', async () => {
    const root = await projectWithConfig({ engine: { test_command: '' } }, { 'Cargo.toml': '[package]\n' });
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect([result.config.engine.test_command, result.sources['engine.test_command']]).toEqual([
      'cargo test',
      'default',
    ]);
  });

  it('keeps a configured command over detection, and "" when nothing is detected', async () => {
    const configured = await projectWithConfig({ engine: { test_command: 'make check' } }, { 'go.mod': '' });
    expect((await loadConfig({ projectRoot: configured, env: {} })).config.engine.test_command).toBe('make check');
    const bare = await makeTempDir();
    expect((await loadConfig({ projectRoot: bare, env: {} })).config.engine.test_command).toBe('');
  });
});

describe('loadConfig ${VAR} expansion', () => {
  it('expands from the environment first, then from .env, without exporting .env', async () => {
    const root = await projectWithConfig(
      { model: '${MODEL_PROVIDER}/${MODEL_NAME}', providers: { gateway_url: 'http://${GATEWAY_HOST}:8787' } },
      { '.env': 'MODEL_PROVIDER=dotenv-provider\nMODEL_NAME=dotenv-model\nGATEWAY_HOST=gateway.local\n' },
    );
    const result = await loadConfig({ projectRoot: root, env: { MODEL_PROVIDER: 'env-provider' } });
    expect(result.warnings).toEqual([]);
    expect(result.config.model).toBe('env-provider/dotenv-model');
    expect(result.config.providers.gateway_url).toBe('http://gateway.local:8787');
    expect(process.env.MODEL_NAME).toBeUndefined();
    expect(process.env.GATEWAY_HOST).toBeUndefined();
  });

  it('warns about an unset variable and expands it to ""', async () => {
    const root = await projectWithConfig({ providers: { gateway_url: '${KODE_GATEWAY_URL}' } });
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect(result.config.providers.gateway_url).toBe('');
    expect(result.sources['providers.gateway_url']).toBe('file');
    expect(result.warnings.map(formatConfigIssue)).toEqual([
      '.kode/kode.json: /providers/gateway_url: ${KODE_GATEWAY_URL} is not set (expanded to "")',
    ]);
  });

  it('keeps $${ as a literal ${', async () => {
    const root = await projectWithConfig({ engine: { test_command: 'echo $${HOME}' } });
    const result = await loadConfig({ projectRoot: root, env: { HOME: '/home/ana' } });
    expect(result.config.engine.test_command).toBe('echo ${HOME}');
  });

  it('validates the expanded values', async () => {
    const root = await projectWithConfig({ permission: { edit: '${EDIT_MODE}' } });
    const allowed = await loadConfig({ projectRoot: root, env: { EDIT_MODE: 'allow' } });
    expect(allowed.config.permission.edit).toBe('always');
    const wrong = await loadConfig({ projectRoot: root, env: { EDIT_MODE: 'sometimes' } });
    expect(wrong.errors.map(formatConfigIssue)).toEqual([
      'invalid .kode/kode.json: /permission/edit must be one of ask, always, deny, allow (got "sometimes")',
    ]);
  });

  it('does not warn about variables inside ignored keys', async () => {
    const root = await projectWithConfig({ engine: { tdd: '${UNSET_VARIABLE}' } });
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect(result.warnings.map(formatConfigIssue)).toEqual(['.kode/kode.json: unknown key /engine/tdd (ignored)']);
  });
});

describe('loadConfig errors', () => {
  it('returns a parse error with line and column and falls back to defaults', async () => {
    const root = await projectWithConfig('{\n  "model": "openai/gpt-4o",\n}\n');
    const result = await loadConfig({ projectRoot: root, env: { KODE_LLM_MODEL: 'x/y' } });
    expect(result.errors.map(formatConfigIssue)).toEqual([
      'invalid .kode/kode.json: Unexpected token } at line 3 column 1',
    ]);
    expect(result.errors[0]?.kind).toBe('parse');
    expect(result.configFile).toBe(join(root, '.kode', 'kode.json'));
    expect(result.config.model).toBe('x/y');
    expect(result.sources.small_model).toBe('default');
  });

  it('returns schema errors and unknown-key warnings together', async () => {
    const root = await projectWithConfig({ engine: { max_blast_radius: 'three', tdd: true } });
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect(result.errors.map(formatConfigIssue)).toEqual([
      'invalid .kode/kode.json: /engine/max_blast_radius must be integer (got "three")',
    ]);
    expect(result.warnings.map(formatConfigIssue)).toEqual(['.kode/kode.json: unknown key /engine/tdd (ignored)']);
    expect(result.config.engine.max_blast_radius).toBe(3);
  });

  it('returns a version error for a file from a newer kode', async () => {
    const root = await projectWithConfig({ version: '4.0.0' });
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect(result.errors.map(formatConfigIssue)).toEqual([
      '.kode/kode.json version 4.0.0 is newer than this kode (supports 3.x): run kode upgrade',
    ]);
  });

  it('returns a read error when the file cannot be read', async () => {
    const root = await makeTempDir();
    await mkdir(join(root, '.kode', 'kode.json'), { recursive: true });
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect(result.errors).toEqual([{ file: '.kode/kode.json', pointer: '', message: 'EISDIR', kind: 'read' }]);
    expect(formatConfigIssue(result.errors[0] ?? { file: '', pointer: '', message: '', kind: 'read' })).toBe(
      'cannot read .kode/kode.json: EISDIR: check that it is a readable file',
    );
    expect(result.config).toEqual(DEFAULT_CONFIG);
  });

  it('treats a .kode that is a plain file as no configuration', async () => {
    const root = await makeTempDir();
    await writeFile(join(root, '.kode'), 'not a directory');
    const result = await loadConfig({ projectRoot: root, env: {} });
    expect(result.errors).toEqual([]);
    expect(result.configFile).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_INIT_CONFIG, createInitConfig } from './defaults.js';
import { formatConfigIssue } from './format-issue.js';
import { configSchema } from './schema.js';
import { validateConfig } from './validate.js';
import type { ConfigIssue } from './types.js';

const format = (issues: readonly ConfigIssue[]): string[] => issues.map(formatConfigIssue);

// The examples of spec §5.4 and §5.5, verbatim.
const ARCHITECTURE_EXAMPLE = `{
  "architecture": { "block": false, "rules": [
      { "forbidden_import_prefix": "src/db", "allowed_in": ["src/repo"], "message": "Only repositories may touch the database layer" },
      { "from": "src/ui/**", "to": "src/db/**", "allowed_in": [], "message": "UI code must go through src/api" } ] }
}`;
const ENDPOINTS_EXAMPLE = `{
  "providers": { "primary": "acme", "endpoints": {
    "acme": { "base_url": "https://llm.acme.dev/v1", "api_key_env": "ACME_LLM_KEY", "models": ["coder-large"], "supports_tools": false } } },
  "pricing": { "acme/coder-large": { "input_usd_per_mtok": 0.6, "output_usd_per_mtok": 2.4 } }
}`;

describe('validateConfig: spec §5.9 messages', () => {
  it('reports a wrong type with the pointer and the value', () => {
    const result = validateConfig({ engine: { max_blast_radius: 'three' } });
    expect(result.config).toBeUndefined();
    expect(result.errors).toEqual([
      {
        file: '.kode/kode.json',
        pointer: '/engine/max_blast_radius',
        message: '/engine/max_blast_radius must be integer (got "three")',
        kind: 'schema',
      },
    ]);
    expect(format(result.errors)).toEqual([
      'invalid .kode/kode.json: /engine/max_blast_radius must be integer (got "three")',
    ]);
  });

  it('reports a bad enum value listing every accepted value, alias included', () => {
    expect(format(validateConfig({ permission: { edit: 'yes' } }).errors)).toEqual([
      'invalid .kode/kode.json: /permission/edit must be one of ask, always, deny, allow (got "yes")',
    ]);
    expect(format(validateConfig({ engine: { edit_format: 'udiff' } }).errors)).toEqual([
      'invalid .kode/kode.json: /engine/edit_format must be one of json, search-replace (got "udiff")',
    ]);
  });

  it('reports out-of-range numbers with the bound', () => {
    const result = validateConfig({
      engine: { max_blast_radius: 0, token_budget_usd: 0, max_self_correction_rounds: 11, context_max_tokens: 499 },
      providers: { timeout_s: 2.5 },
    });
    expect(format(result.errors)).toEqual([
      'invalid .kode/kode.json: /engine/max_blast_radius must be >= 1 (got 0)',
      'invalid .kode/kode.json: /engine/token_budget_usd must be > 0 (got 0)',
      'invalid .kode/kode.json: /engine/max_self_correction_rounds must be <= 10 (got 11)',
      'invalid .kode/kode.json: /engine/context_max_tokens must be >= 500 (got 499)',
      'invalid .kode/kode.json: /providers/timeout_s must be integer (got 2.5)',
    ]);
  });

  it('warns about unknown keys at any depth and drops them', () => {
    const result = validateConfig({
      colour: 'blue',
      engine: { tdd: false, tdd_mode: false },
      providers: { endpoints: { acme: { base_url: 'http://127.0.0.1:9/v1', region: 'eu' } } },
      architecture: { rules: [{ forbidden_import_prefix: 'src/db', severity: 'high' }] },
    });
    expect(result.errors).toEqual([]);
    expect(format(result.warnings)).toEqual([
      '.kode/kode.json: unknown key /colour (ignored)',
      '.kode/kode.json: unknown key /engine/tdd (ignored)',
      '.kode/kode.json: unknown key /architecture/rules/0/severity (ignored)',
      '.kode/kode.json: unknown key /providers/endpoints/acme/region (ignored)',
    ]);
    expect(result.warnings.map((warning) => warning.kind)).toEqual(Array(4).fill('unknown-key'));
    expect(result.config?.engine.tdd_mode).toBe(false);
    expect(result.config).not.toHaveProperty('colour');
    expect(result.config?.engine).not.toHaveProperty('tdd');
    expect(result.config?.providers.endpoints.acme).toEqual({
      base_url: 'http://127.0.0.1:9/v1',
      models: [],
      supports_tools: false,
    });
    expect(result.config?.architecture.rules).toEqual([
      { forbidden_import_prefix: 'src/db', allowed_in: [], message: 'Architecture rule violation' },
    ]);
  });

  it('escapes pointer segments that contain a slash', () => {
    const result = validateConfig({
      pricing: { 'acme/coder-large': { input_usd_per_mtok: -1, output_usd_per_mtok: 1 } },
    });
    expect(result.errors.map((error) => error.pointer)).toEqual(['/pricing/acme~1coder-large/input_usd_per_mtok']);
  });

  it('reports missing required fields and malformed architecture rules', () => {
    const result = validateConfig({
      providers: { endpoints: { acme: { models: ['coder'] } } },
      pricing: { 'acme/coder': { input_usd_per_mtok: 1 } },
      architecture: { rules: [{ from: 'src/ui/**' }, { forbidden_import_prefix: 'src/db', from: 'a', to: 'b' }] },
    });
    expect(format(result.errors)).toEqual([
      'invalid .kode/kode.json: /architecture/rules/0 must have "forbidden_import_prefix", or both "from" and "to"',
      'invalid .kode/kode.json: /architecture/rules/1 must have "forbidden_import_prefix", or "from" and "to", but not both forms',
      'invalid .kode/kode.json: /providers/endpoints/acme/base_url is required',
      'invalid .kode/kode.json: /pricing/acme~1coder/output_usd_per_mtok is required',
    ]);
  });

  it('reports a document that is not an object', () => {
    expect(format(validateConfig([1]).errors)).toEqual([
      'invalid .kode/kode.json: the top level must be object (got array)',
    ]);
    expect(format(validateConfig('x').errors)).toEqual([
      'invalid .kode/kode.json: the top level must be object (got "x")',
    ]);
  });

  it('names a custom file in issues', () => {
    const result = validateConfig({ model: 3 }, { file: 'fixtures/kode.json' });
    expect(format(result.errors)).toEqual(['invalid fixtures/kode.json: /model must be string (got 3)']);
  });
});

describe('validateConfig: version', () => {
  it('rejects a newer major version with the upgrade message and nothing else', () => {
    const result = validateConfig({ version: '4.0.0', engine: { brand_new: true, max_blast_radius: 'x' } });
    expect(result.config).toBeUndefined();
    expect(result.warnings).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.kind).toBe('version');
    expect(result.errors[0]?.pointer).toBe('/version');
    expect(format(result.errors)).toEqual([
      '.kode/kode.json version 4.0.0 is newer than this kode (supports 3.x): run kode upgrade',
    ]);
  });

  it('rejects an older major version', () => {
    expect(format(validateConfig({ version: '2.1.0' }).errors)).toEqual([
      '.kode/kode.json version 2.1.0 is older than this kode supports (3.x): update the file to the 3.0.0 format',
    ]);
  });

  it('accepts any 3.x version and defaults a missing one to 3.0.0', () => {
    expect(validateConfig({ version: '3.7.2' }).config?.version).toBe('3.7.2');
    expect(validateConfig({}).config?.version).toBe('3.0.0');
  });

  it('rejects a version that is not a version string', () => {
    expect(format(validateConfig({ version: 'three' }).errors)).toEqual([
      'invalid .kode/kode.json: /version must be a version like "3.0.0" (got "three")',
    ]);
    expect(format(validateConfig({ version: 3 }).errors)).toEqual([
      'invalid .kode/kode.json: /version must be string (got 3)',
    ]);
  });
});

describe('validateConfig: resolved values', () => {
  it('returns the defaults for an empty document', () => {
    const result = validateConfig({});
    expect(result).toEqual({ config: DEFAULT_CONFIG, warnings: [], errors: [] });
    expect(Object.isFrozen(result.config?.engine.protected_paths)).toBe(true);
  });

  it('normalises the permission alias allow to always', () => {
    const result = validateConfig({ permission: { edit: 'allow', bash: 'allow' } });
    expect(result.config?.permission).toEqual({ edit: 'always', bash: 'always' });
  });

  it('accepts the §5.2 default file and the §5.4 and §5.5 examples without any issue', () => {
    for (const document of [
      DEFAULT_INIT_CONFIG,
      createInitConfig({ testCommand: 'go test ./...', hasDotEnv: true }),
      JSON.parse(ARCHITECTURE_EXAMPLE) as unknown,
      JSON.parse(ENDPOINTS_EXAMPLE) as unknown,
    ]) {
      const result = validateConfig(document);
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
    }
    const architecture = validateConfig(JSON.parse(ARCHITECTURE_EXAMPLE)).config?.architecture;
    expect(architecture?.rules).toEqual([
      {
        forbidden_import_prefix: 'src/db',
        allowed_in: ['src/repo'],
        message: 'Only repositories may touch the database layer',
      },
      { from: 'src/ui/**', to: 'src/db/**', allowed_in: [], message: 'UI code must go through src/api' },
    ]);
    const endpoints = validateConfig(JSON.parse(ENDPOINTS_EXAMPLE)).config;
    expect(endpoints?.providers.endpoints.acme?.api_key_env).toBe('ACME_LLM_KEY');
    expect(endpoints?.pricing['acme/coder-large']).toEqual({ input_usd_per_mtok: 0.6, output_usd_per_mtok: 2.4 });
  });
});

describe('configSchema', () => {
  // Walks the schema's nested `properties` and collects every leaf `default`.
  function schemaDefaults(node: unknown, path: string[] = []): Map<string, unknown> {
    const found = new Map<string, unknown>();
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties === undefined || path.join('.') === 'architecture.rules') return found;
    for (const [key, child] of Object.entries(properties)) {
      const childPath = [...path, key];
      const nested = schemaDefaults(child, childPath);
      if (nested.size > 0) for (const [nestedPath, value] of nested) found.set(nestedPath, value);
      else if (
        (child as { properties?: unknown }).properties === undefined ||
        childPath.join('.') === 'architecture.rules'
      ) {
        found.set(childPath.join('.'), (child as { default?: unknown }).default);
      }
    }
    return found;
  }

  function configLeaves(value: unknown, path: string[] = [], found = new Map<string, unknown>()): Map<string, unknown> {
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      path.length < 2 &&
      Object.keys(value).length > 0
    ) {
      for (const [key, child] of Object.entries(value)) configLeaves(child, [...path, key], found);
    } else {
      found.set(path.join('.'), value);
    }
    return found;
  }

  it('documents every field of DEFAULT_CONFIG with the same default and a description', () => {
    const defaults = schemaDefaults(configSchema);
    expect(Object.fromEntries(defaults)).toEqual(Object.fromEntries(configLeaves(DEFAULT_CONFIG)));
    const undocumented: string[] = [];
    const visit = (node: unknown, path: string): void => {
      for (const [key, child] of Object.entries((node as { properties?: Record<string, unknown> }).properties ?? {})) {
        if (typeof (child as { description?: unknown }).description !== 'string') undocumented.push(`${path}${key}`);
        visit(child, `${path}${key}.`);
      }
    };
    visit(configSchema, '');
    expect(undocumented).toEqual([]);
  });

  it('is a draft-07 schema that forbids unknown keys so editors flag them', () => {
    expect(configSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(configSchema.additionalProperties).toBe(false);
  });
});

describe('formatConfigIssue', () => {
  const file = '.kode/kode.json';
  it('formats every kind of issue', () => {
    expect(formatConfigIssue({ file, pointer: '', message: 'EISDIR', kind: 'read' })).toBe(
      'cannot read .kode/kode.json: EISDIR: check that it is a readable file',
    );
    expect(
      formatConfigIssue({ file, pointer: '', message: 'Unexpected token } at line 12 column 3', kind: 'parse' }),
    ).toBe('invalid .kode/kode.json: Unexpected token } at line 12 column 3');
    expect(
      formatConfigIssue({
        file,
        pointer: '/providers/gateway_url',
        message: '/providers/gateway_url: ${KODE_GATEWAY_URL} is not set (expanded to "")',
        kind: 'unset-variable',
      }),
    ).toBe('.kode/kode.json: /providers/gateway_url: ${KODE_GATEWAY_URL} is not set (expanded to "")');
    expect(
      formatConfigIssue({
        file: 'KODE_TOKEN_BUDGET_USD',
        pointer: '/engine/token_budget_usd',
        message: 'must be number (got "lots")',
        kind: 'schema',
      }),
    ).toBe('invalid KODE_TOKEN_BUDGET_USD: must be number (got "lots")');
  });
});

import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDERS, isFreeProvider } from './builtin-providers.js';
import { PRICE_CATALOG, costOf, lookupPrice } from './pricing.js';

describe('price catalogue', () => {
  it('is dated and prices common models of every paid built-in provider', () => {
    expect(PRICE_CATALOG.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const provider of BUILTIN_PROVIDERS.filter((entry) => entry.requiresKey)) {
      const ids = Object.keys(PRICE_CATALOG.models).filter((id) => id.startsWith(`${provider.id}/`));
      expect(ids.length, provider.id).toBeGreaterThan(0);
    }
    expect(PRICE_CATALOG.models['anthropic/claude-sonnet-4-6']).toMatchObject({
      context_window: 200000,
      input_usd_per_mtok: 3,
      output_usd_per_mtok: 15,
    });
  });

  it('prefers kode.json overrides, prices local models at zero, and warns on unknown remote models', () => {
    const overrides = { 'acme/coder-large': { input_usd_per_mtok: 0.6, output_usd_per_mtok: 2.4 } };
    expect(lookupPrice({ modelId: 'acme/coder-large', overrides })).toEqual({
      price: { inputUsdPerMtok: 0.6, outputUsdPerMtok: 2.4 },
      source: 'override',
    });
    expect(lookupPrice({ modelId: 'anthropic/claude-sonnet-4-6', local: true }).price).toEqual({
      inputUsdPerMtok: 0,
      outputUsdPerMtok: 0,
    });
    expect(lookupPrice({ modelId: 'kode/openai/gpt-4o' }).source).toBe('catalog');
    expect(lookupPrice({ modelId: 'acme/unknown' })).toEqual({
      price: { inputUsdPerMtok: 10, outputUsdPerMtok: 30 },
      source: 'fallback',
      warning: 'no price for acme/unknown: assuming $10/$30 per million tokens; set pricing in .kode/kode.json',
    });
  });

  it('computes cost per million tokens', () => {
    expect(
      costOf({ inputTokens: 1_000_000, outputTokens: 500_000 }, { inputUsdPerMtok: 3, outputUsdPerMtok: 15 }),
    ).toBe(10.5);
  });

  it('treats local servers and loopback endpoints as free, but never the gateway', () => {
    expect(isFreeProvider('ollama', 'http://gpu-box:11434/v1')).toBe(true);
    expect(isFreeProvider('endpoint', 'http://127.0.0.1:8080/v1')).toBe(true);
    expect(isFreeProvider('kode', 'http://127.0.0.1:8787/v1')).toBe(false);
    expect(isFreeProvider('acme', 'https://llm.acme.dev/v1')).toBe(false);
  });
});

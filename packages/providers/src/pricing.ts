// Prices and cost (§7.6): the dated catalogue shipped as a data file, overrides from kode.json `pricing`,
// zero for local models, and a loud $10/$30 assumption for remote models nobody priced.
import catalogData from './price-catalog.json' with { type: 'json' };
import type { CatalogEntry, ModelPrice, PriceCatalog, Usage } from './types.js';

function freeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}

export const PRICE_CATALOG: PriceCatalog = freeze({ date: catalogData.date, models: catalogData.models });

export const FALLBACK_PRICE: ModelPrice = Object.freeze({ inputUsdPerMtok: 10, outputUsdPerMtok: 30 });

export type PriceSource = 'override' | 'catalog' | 'local' | 'fallback';

export interface PriceLookup {
  readonly price: ModelPrice;
  readonly source: PriceSource;
  /** Set when the fallback was used: the `!` line to print (§7.6). */
  readonly warning?: string;
}

export type PriceOverrides = Readonly<
  Record<string, { readonly input_usd_per_mtok: number; readonly output_usd_per_mtok: number }>
>;

/** Catalogue entry for a full model id; gateway ids (`kode/anthropic/x`) are looked up without `kode/`. */
export function catalogEntry(modelId: string, catalog: PriceCatalog = PRICE_CATALOG): CatalogEntry | undefined {
  return catalog.models[modelId] ?? (modelId.startsWith('kode/') ? catalog.models[modelId.slice(5)] : undefined);
}

/**
 * Price for a full model id: an explicit `pricing` override wins (someone may bill for a loopback proxy);
 * otherwise `local` (ollama, lmstudio, loopback endpoints) costs nothing, because nobody bills for it.
 */
export function lookupPrice(options: {
  modelId: string;
  local?: boolean;
  overrides?: PriceOverrides;
  catalog?: PriceCatalog;
}): PriceLookup {
  const override = options.overrides?.[options.modelId];
  if (override) {
    return {
      price: { inputUsdPerMtok: override.input_usd_per_mtok, outputUsdPerMtok: override.output_usd_per_mtok },
      source: 'override',
    };
  }
  if (options.local) return { price: { inputUsdPerMtok: 0, outputUsdPerMtok: 0 }, source: 'local' };
  const entry = catalogEntry(options.modelId, options.catalog);
  if (entry) {
    return {
      price: { inputUsdPerMtok: entry.input_usd_per_mtok, outputUsdPerMtok: entry.output_usd_per_mtok },
      source: 'catalog',
    };
  }
  return {
    price: FALLBACK_PRICE,
    source: 'fallback',
    warning: `no price for ${options.modelId}: assuming $10/$30 per million tokens; set pricing in .kode/kode.json`,
  };
}

export function costOf(usage: Usage, price: ModelPrice): number {
  return (usage.inputTokens * price.inputUsdPerMtok + usage.outputTokens * price.outputUsdPerMtok) / 1_000_000;
}

/** Characters / 4, the estimate §7.4 prescribes when a response carries no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

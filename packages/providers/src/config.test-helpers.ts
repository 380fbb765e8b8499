// Test-only helpers: configurations built on the real defaults, and temp user config dirs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '@kode/config';
import type { EndpointConfig, KodeConfig } from '@kode/config';

export function testConfig(
  overrides: {
    model?: string;
    small_model?: string;
    primary?: string;
    gateway_url?: string;
    endpoints?: Record<string, EndpointConfig>;
    timeout_s?: number;
    pricing?: KodeConfig['pricing'];
  } = {},
): KodeConfig {
  return {
    ...DEFAULT_CONFIG,
    model: overrides.model ?? DEFAULT_CONFIG.model,
    small_model: overrides.small_model ?? DEFAULT_CONFIG.small_model,
    providers: {
      ...DEFAULT_CONFIG.providers,
      primary: overrides.primary ?? DEFAULT_CONFIG.providers.primary,
      gateway_url: overrides.gateway_url ?? DEFAULT_CONFIG.providers.gateway_url,
      endpoints: overrides.endpoints ?? {},
      timeout_s: overrides.timeout_s ?? DEFAULT_CONFIG.providers.timeout_s,
    },
    pricing: overrides.pricing ?? {},
  };
}

export function endpointConfig(baseURL: string, extra: Partial<EndpointConfig> = {}): EndpointConfig {
  return { base_url: baseURL, models: [], supports_tools: false, ...extra };
}

/** A temporary directory removed by the returned dispose(). */
export async function tempDir(prefix = 'kode-providers-'): Promise<{ path: string; dispose: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

/** A retry policy that records delays instead of waiting. */
export function instantRetry(): {
  delays: number[];
  retry: { sleep: (ms: number) => Promise<void>; random: () => number };
} {
  const delays: number[] = [];
  return {
    delays,
    retry: {
      sleep: (ms: number) => {
        delays.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    },
  };
}

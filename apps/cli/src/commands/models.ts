// `kode models [provider]` (§3.9): the first command users run when setting up a model, so every failure
// names the URL, the cause and the fix.
import { userConfigDir } from '@kode/config';
import { KodeError, hostLabel, listModels } from '@kode/providers';
import type { ModelEntry, ModelListing, ProviderListing } from '@kode/providers';
import { loadProjectConfig } from '../context.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';

export interface ModelsOptions {
  readonly provider: string | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
}

/** Seams for tests: where credentials live and how HTTP goes out. */
export interface ModelsDependencies {
  readonly configDir?: string;
  readonly fetch?: typeof fetch;
}

/** The `--json` document, keys in the order §3.9 shows them. */
export function modelsDocument(listing: ModelListing): unknown {
  return {
    providers: listing.providers.map((provider) => ({
      id: provider.id,
      base_url: provider.baseURL,
      reachable: provider.reachable,
      key_source: provider.keySource,
      models: provider.models,
      error: provider.error,
    })),
    models: listing.models.map((model) => ({
      id: model.id,
      provider: model.provider,
      model: model.model,
      source: model.source,
      context_window: model.contextWindow,
      input_usd_per_mtok: model.inputUsdPerMtok,
      output_usd_per_mtok: model.outputUsdPerMtok,
      default: model.default,
    })),
  };
}

// The host is already on the line, so `connect ECONNREFUSED 127.0.0.1:11434` reads `connect ECONNREFUSED`.
function shortCause(provider: ProviderListing): string {
  return (provider.error ?? '').replace(/ (\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):\d+$/i, '');
}

function statusLine(context: CommandContext, provider: ProviderListing): void {
  const where = `${provider.id} (${hostLabel(provider.baseURL)})`;
  if (provider.reachable) {
    context.output.success(`${where}: ${provider.models} model${provider.models === 1 ? '' : 's'}`);
  } else {
    context.output.failure(`${where}: ${shortCause(provider)}`);
  }
}

function price(value: number | null): string {
  return value === null ? '?' : `$${value}`;
}

function verboseRows(models: readonly ModelEntry[]): string[] {
  const rows = models.map((model) => [
    model.id,
    model.contextWindow === null ? '-' : String(model.contextWindow),
    `${price(model.inputUsdPerMtok)}/${price(model.outputUsdPerMtok)}`,
    model.source,
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) =>
    row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  '),
  );
}

/** The failure that decides the exit: the named provider's, or the first one when every provider failed. */
function decisiveFailure(listing: ModelListing, named: string | undefined): ProviderListing | undefined {
  const failed = listing.providers.filter((provider) => !provider.reachable);
  if (named !== undefined) return failed[0];
  return failed.length > 0 && failed.length === listing.providers.length ? failed[0] : undefined;
}

export async function runModels(
  context: CommandContext,
  options: ModelsOptions,
  dependencies: ModelsDependencies = {},
): Promise<number> {
  const { config } = await loadProjectConfig(context);
  let listing: ModelListing;
  try {
    listing = await listModels({
      config,
      env: context.io.env,
      ...(options.provider === undefined ? {} : { provider: options.provider }),
      configDir: dependencies.configDir ?? userConfigDir(context.io.env),
      ...(dependencies.fetch ? { fetch: dependencies.fetch } : {}),
    });
  } catch (error) {
    if (KodeError.isInstance(error)) throw new CliError({ message: error.message, exitCode: error.exitCode });
    throw error;
  }
  for (const provider of listing.providers) statusLine(context, provider);
  if (options.json) context.output.json(modelsDocument(listing));
  else if (options.verbose) for (const row of verboseRows(listing.models)) context.output.out(row);
  else for (const model of listing.models) context.output.out(model.id);
  const failure = decisiveFailure(listing, options.provider);
  if (failure) {
    throw new CliError({
      message: failure.message ?? `${failure.id} is unreachable`,
      exitCode: failure.failure === 'config' ? EXIT.usage : EXIT.provider,
    });
  }
  return EXIT.ok;
}

// The per-invocation cost ceiling (§8.10). Before each call the projection (estimated prompt tokens × input
// price + the output cap × output price) is reserved; if spent + reserved + projected would exceed the limit
// the call is refused before any request. Concurrent calls (ghost branches) each hold a reservation until
// they settle with their real cost.
import { BudgetExceededError } from './errors.js';
import { PRICE_CATALOG, estimateTokens, lookupPrice } from './pricing.js';
import type { PriceOverrides } from './pricing.js';
import type { GenerateRequest, LanguageModel, ModelPrice, PriceCatalog } from './types.js';
import { DEFAULT_MAX_OUTPUT_TOKENS } from './model-settings.js';

export interface BudgetReservation {
  readonly id: number;
  readonly projectedUsd: number;
}

export interface Budget {
  readonly limitUsd: number;
  /** Settled cost of finished calls. */
  readonly spentUsd: number;
  /** Projections of calls in flight. */
  readonly reservedUsd: number;
  readonly remainingUsd: number;
  /** Calls settled so far. */
  readonly calls: number;
  /** Projected cost of a request on a model, without reserving it. */
  project(options: { model: LanguageModel; request: GenerateRequest }): number;
  /** Reserves the projection or throws BudgetExceededError (nothing is sent). */
  reserve(options: { model: LanguageModel; request: GenerateRequest } | { projectedUsd: number }): BudgetReservation;
  /** Replaces a reservation with the call's real cost. */
  settle(reservation: BudgetReservation, costUsd: number): void;
  /** Drops a reservation whose call failed before producing a billable reply. */
  release(reservation: BudgetReservation): void;
}

/** Characters / 4 over everything sent: system prompt, messages and tool schemas. */
export function estimatePromptTokens(request: GenerateRequest): number {
  const parts = [request.system, ...request.messages.map((message) => message.content)];
  if (request.tools && request.tools.length > 0) parts.push(JSON.stringify(request.tools));
  return estimateTokens(parts.join('\n'));
}

export function createBudget(options: { limitUsd: number; prices?: PriceCatalog; overrides?: PriceOverrides }): Budget {
  const limitUsd = options.limitUsd;
  const reservations = new Map<number, number>();
  let nextId = 1;
  let spentUsd = 0;
  let calls = 0;
  const reservedUsd = (): number => [...reservations.values()].reduce((sum, value) => sum + value, 0);

  const priceOf = (model: LanguageModel): ModelPrice =>
    model.price ??
    lookupPrice({
      modelId: `${model.provider}/${model.modelId}`,
      catalog: options.prices ?? PRICE_CATALOG,
      ...(options.overrides ? { overrides: options.overrides } : {}),
    }).price;

  const project = ({ model, request }: { model: LanguageModel; request: GenerateRequest }): number => {
    const price = priceOf(model);
    const output = request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    return (estimatePromptTokens(request) * price.inputUsdPerMtok + output * price.outputUsdPerMtok) / 1_000_000;
  };

  return {
    limitUsd,
    get spentUsd() {
      return spentUsd;
    },
    get reservedUsd() {
      return reservedUsd();
    },
    get remainingUsd() {
      return Math.max(0, limitUsd - spentUsd - reservedUsd());
    },
    get calls() {
      return calls;
    },
    project,
    reserve(request) {
      const projectedUsd = 'projectedUsd' in request ? request.projectedUsd : project(request);
      const committed = spentUsd + reservedUsd();
      if (committed + projectedUsd > limitUsd) {
        throw new BudgetExceededError({
          spentUsd: committed,
          projectedUsd,
          limitUsd,
          beforeFirstCall: calls === 0 && reservations.size === 0,
        });
      }
      const reservation = { id: nextId, projectedUsd };
      nextId += 1;
      reservations.set(reservation.id, projectedUsd);
      return reservation;
    },
    settle(reservation, costUsd) {
      if (!reservations.delete(reservation.id)) return;
      spentUsd += costUsd;
      calls += 1;
    },
    release(reservation) {
      reservations.delete(reservation.id);
    },
  };
}

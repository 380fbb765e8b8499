import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '@kode/test-utils';
import type { FakeServer } from '@kode/test-utils';
import { createBudget, estimatePromptTokens } from './budget.js';
import { instantRetry, testConfig } from './config.test-helpers.js';
import { BudgetExceededError } from './errors.js';
import { generate } from './generate.js';
import { resolveModel } from './resolve-model.js';
import type { GenerateRequest, LanguageModel } from './types.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A model that never answers: budget refusals must happen before any call. */
const pricedModel: LanguageModel = {
  provider: 'acme',
  modelId: 'coder',
  price: { inputUsdPerMtok: 10, outputUsdPerMtok: 30 },
  generate: () => Promise.reject(new Error('must not be called')),
  stream: () => {
    throw new Error('must not be called');
  },
};

describe('createBudget', () => {
  it('projects prompt tokens (chars / 4) × input price + the output cap × output price', () => {
    const budget = createBudget({ limitUsd: 1 });
    const request: GenerateRequest = { system: 'x'.repeat(400), messages: [], maxOutputTokens: 1000 };
    expect(estimatePromptTokens(request)).toBe(100);
    expect(budget.project({ model: pricedModel, request })).toBeCloseTo((100 * 10 + 1000 * 30) / 1e6, 12);
  });

  it('refuses the first call with the before-generation message', async () => {
    const budget = createBudget({ limitUsd: 0.1 });
    const error = await generate({
      model: pricedModel,
      budget,
      system: 'x'.repeat(4000),
      messages: [],
      maxOutputTokens: 4000,
    }).catch((caught: unknown) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'token budget exceeded before generation: projected $0.1300 > budget $0.1000: raise engine.token_budget_usd or lower engine.context_max_tokens',
    );
    expect((error as BudgetExceededError).exitCode).toBe(3);
  });

  it('names spent, next call and limit once something was spent, and counts reservations', () => {
    const budget = createBudget({ limitUsd: 1.5 });
    const first = budget.reserve({ projectedUsd: 1 });
    expect(budget.reservedUsd).toBe(1);
    budget.settle(first, 1.412);
    expect(budget.spentUsd).toBeCloseTo(1.412, 10);
    expect(budget.calls).toBe(1);
    expect(() => budget.reserve({ projectedUsd: 0.129 })).toThrow(
      'budget exceeded: spent $1.4120 + next call $0.1290 > budget $1.5000: raise engine.token_budget_usd or pass --budget',
    );
    const small = budget.reserve({ projectedUsd: 0.05 });
    budget.release(small);
    expect(budget.remainingUsd).toBeCloseTo(0.088, 10);
  });

  it('stops a scripted sequence of calls before the one that would exceed the budget', async () => {
    server = await startFakeOpenAI({
      script: Array.from({ length: 5 }, () => ({
        type: 'reply' as const,
        text: 'patch',
        usage: { inputTokens: 10_000, outputTokens: 2_000 },
      })),
    });
    const config = testConfig({
      primary: 'acme',
      endpoints: { acme: { base_url: `${server.url}/v1`, models: [], supports_tools: false } },
      // $1 / $5 per million: each call costs 0.01 + 0.01 = $0.02; the projection for 1000 output tokens is ~$0.005.
      pricing: { 'acme/coder': { input_usd_per_mtok: 1, output_usd_per_mtok: 5 } },
    });
    const model = await resolveModel({ config, env: {}, modelId: 'acme/coder', configDir: '/nonexistent-kode' });
    const budget = createBudget({ limitUsd: 0.044 });
    const { retry } = instantRetry();
    const outcomes: string[] = [];
    for (let call = 0; call < 5; call += 1) {
      try {
        await generate({
          model,
          budget,
          retry,
          system: 'sys',
          messages: [{ role: 'user', content: 'go' }],
          maxOutputTokens: 1000,
        });
        outcomes.push('ok');
      } catch (error) {
        if (!BudgetExceededError.isInstance(error)) throw error;
        outcomes.push(error.message);
        break;
      }
    }
    expect(outcomes.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(outcomes[2]).toMatch(/^budget exceeded: spent \$0\.0400 \+ next call \$0\.00\d\d > budget \$0\.0440/);
    // Three calls could not fit: the third was refused without a request.
    expect(outcomes).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(budget.spentUsd).toBeCloseTo(0.04, 10);
  });
});

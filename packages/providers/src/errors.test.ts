import { describe, expect, it } from 'vitest';
import { APICallError, AuthenticationError, BudgetExceededError, KodeError, MissingApiKeyError } from './errors.js';

describe('typed errors', () => {
  it('are recognised by their Symbol.for marker, even from another copy of the package', () => {
    const foreign = { [Symbol.for('kode.error.KodeError')]: true, [Symbol.for('kode.error.APICallError')]: true };
    expect(KodeError.isInstance(foreign)).toBe(true);
    expect(APICallError.isInstance(foreign)).toBe(true);
    expect(AuthenticationError.isInstance(foreign)).toBe(false);
    expect(KodeError.isInstance(new Error('plain'))).toBe(false);
  });

  it('carry a kind and an exit code: configuration problems 2, provider and budget errors 3', () => {
    const missing = new MissingApiKeyError({ provider: 'openai', variable: 'OPENAI_API_KEY' });
    expect([missing.kind, missing.exitCode]).toEqual(['config', 2]);
    const auth = new AuthenticationError({
      message: 'x',
      url: 'https://api.openai.com/v1',
      statusCode: 401,
      causeSummary: 'HTTP 401',
    });
    expect([auth.kind, auth.exitCode, auth.isRetryable]).toEqual(['auth', 3, false]);
    expect(APICallError.isInstance(auth) && KodeError.isInstance(auth)).toBe(true);
    const budget = new BudgetExceededError({ spentUsd: 0, projectedUsd: 0.129, limitUsd: 0.1, beforeFirstCall: true });
    expect([budget.kind, budget.exitCode]).toEqual(['budget', 3]);
  });
});

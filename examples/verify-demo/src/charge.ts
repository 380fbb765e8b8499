import { toCents } from './money.js';

export function chargeAmount(amount: number): number {
  return toCents(amount);
}

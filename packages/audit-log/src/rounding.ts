// Rounding for stats (SPEC §6.5: "one decimal, rounded half up"). Counts and durations are integers, so the
// ratio is rounded in integer arithmetic: 0.5 never turns into 0.49999 the way `Math.round(x * 10) / 10` can.

/** numerator / denominator rounded half up to `decimals` places; 0 when denominator is 0. */
export function roundRatio(numerator: number, denominator: number, decimals: number): number {
  if (denominator === 0) return 0;
  const scale = 10 ** decimals;
  const doubled = 2 * numerator * scale + denominator;
  if (numerator >= 0 && denominator > 0 && Number.isSafeInteger(numerator) && Number.isSafeInteger(doubled)) {
    return Math.floor(doubled / (2 * denominator)) / scale;
  }
  const scaled = (numerator / denominator) * scale;
  // Fractional inputs: nudge by a relative epsilon so a true .5 that floating point stored as .4999… still rounds up.
  return Math.floor(scaled + 0.5 + Math.abs(scaled) * 4 * Number.EPSILON) / scale;
}

/** `count` as a percentage of `total`, one decimal, half up. */
export function percentOf(count: number, total: number): number {
  return roundRatio(count * 100, total, 1);
}

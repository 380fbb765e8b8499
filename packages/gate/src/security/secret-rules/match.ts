// A matched secret range and the priorities that decide between overlapping matches.
/** One matched secret: offsets into the scanned text (end exclusive). Never leaves the secret modules. */
export interface SecretMatch {
  readonly start: number;
  readonly end: number;
  readonly ruleId: string;
  /** Which match wins when ranges overlap: the higher one (the more specific rule). */
  readonly priority: number;
}

/** Priorities of overlapping matches: a live value beats a format, a format beats a guess. */
export const PRIORITY = {
  knownValue: 50,
  privateKey: 40,
  provider: 30,
  genericProvider: 20,
  highEntropy: 10,
} as const;

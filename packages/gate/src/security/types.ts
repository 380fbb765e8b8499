// Shared shapes of the security gate (SPEC §4.10): rules, severities and findings.
import type { Language } from '@kode/lang';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** One finding of one rule in one file. Positions are 1-based and refer to the scanned text. */
export interface SecurityFinding {
  /** A rule id of the catalogue (`js/eval`, `secret/private-key`, ...) or `secret/<kind>` from the secret preset. */
  readonly ruleId: string;
  readonly severity: Severity;
  readonly line: number;
  readonly column: number;
  /** Secrets only: the matched value masked for display (`sk-p…9f2c`). The full value never leaves the detector. */
  readonly masked?: string;
}

export interface SecurityRule {
  readonly id: string;
  /** `any` = every text file. */
  readonly languages: readonly (Language | 'any')[];
  readonly severity: Severity;
  /** What it detects, one line (kode explain security). */
  readonly detects: string;
  /** How to fix it, one line: the reason's text after the em dash. */
  readonly hint: string;
}

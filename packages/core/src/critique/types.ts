// Shapes shared by the critique lenses (SPEC §8.3). Kept apart from critique.ts so each lens file can import them
// without a cycle through the orchestrator.

export type CritiqueLens = 'blast-radius' | 'dependency' | 'test-tampering' | 'test-harness' | 'out-of-context';

export interface CritiqueFinding {
  readonly lens: CritiqueLens;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly file?: string;
  /** Hunks involved; `[]` means the whole patch. */
  readonly hunk_ids: readonly string[];
}

export interface CritiqueFile {
  /** Project-relative, `/` separators. */
  readonly path: string;
  /** Pre-image text; `null` when the file did not exist. */
  readonly before: string | null;
  /** Post-image text; `null` when the patch deletes the file. */
  readonly after: string | null;
  readonly hunk_ids: readonly string[];
}

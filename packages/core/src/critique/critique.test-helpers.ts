// Builders shared by the critique tests. Every lens is exercised through `critiquePatch`, so removing a lens from
// the orchestrator fails its tests.
import type { CritiqueFile, CritiqueFinding, CritiqueLens } from './critique.js';
import { critiquePatch } from './critique.js';

let nextHunk = 0;

/** A changed file with one fresh hunk id (`h1`, `h2`, …) unless ids are given. */
export function changed(
  path: string,
  before: string | null,
  after: string | null,
  hunkIds?: readonly string[],
): CritiqueFile {
  nextHunk += 1;
  return { path, before, after, hunk_ids: hunkIds ?? [`h${nextHunk}`] };
}

/** Runs every lens and keeps the findings of one. */
export async function findingsOf(options: {
  readonly lens: CritiqueLens;
  readonly files: readonly CritiqueFile[];
  readonly projectRoot?: string;
  readonly harnessApproved?: boolean;
  readonly contextFiles?: ReadonlySet<string>;
}): Promise<CritiqueFinding[]> {
  const findings = await critiquePatch({
    projectRoot: options.projectRoot ?? '/nonexistent/kode-critique-project',
    files: options.files,
    ...(options.harnessApproved === undefined ? {} : { harnessApproved: options.harnessApproved }),
    ...(options.contextFiles === undefined ? {} : { contextFiles: options.contextFiles }),
  });
  return findings.filter((finding) => finding.lens === options.lens);
}

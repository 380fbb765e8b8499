// Critique (SPEC §8.3): deterministic lenses over the parsed patch, run after parsing and before the pre-gates.
// `error` findings reject the hunks involved (or the whole patch when `hunk_ids` is empty) with
// `critique: <lens>: <message>` and go into self-correction like gate failures; warnings are only shown.
import { critiqueUndeclaredImports } from './dependency.js';
import { critiqueManifestAdditions } from './manifest-dependencies.js';
import { critiqueTestHarness } from './test-harness.js';
import { critiqueTestTampering } from './test-tampering.js';
import type { CritiqueFile, CritiqueFinding } from './types.js';

export type { CritiqueFile, CritiqueFinding, CritiqueLens } from './types.js';

/** More files than this is a `blast-radius` warning (the gate's own `blast_radius` limit is separate and stricter). */
const MAX_FILES_WITHOUT_WARNING = 5;
const MAX_REASON_LENGTH = 500;

function normalizePath(path: string): string {
  return path.replaceAll('\\', '/').replace(/^(?:\.\/)+/u, '');
}

function critiqueBlastRadius(files: readonly CritiqueFile[]): CritiqueFinding[] {
  const touched = new Set(files.map((file) => normalizePath(file.path))).size;
  if (touched <= MAX_FILES_WITHOUT_WARNING) return [];
  return [{ lens: 'blast-radius', severity: 'warning', message: `patch touches ${touched} files`, hunk_ids: [] }];
}

/** Existing files the model edits without having been shown them: it cannot have known their full content. */
function critiqueOutOfContext(files: readonly CritiqueFile[], contextFiles: ReadonlySet<string>): CritiqueFinding[] {
  const shown = new Set([...contextFiles].map(normalizePath));
  return files
    .filter((file) => file.before !== null && !shown.has(normalizePath(file.path)))
    .map((file) => ({
      lens: 'out-of-context',
      severity: 'warning',
      message: `modifies ${file.path}, which is not in the context packet`,
      file: file.path,
      hunk_ids: file.hunk_ids,
    }));
}

/**
 * Runs every lens over the patch. `files` lists every file the patch changes with its pre- and post-image;
 * `contextFiles` is undefined when there was no context packet (the out-of-context lens is then skipped);
 * `harnessApproved` (interactive `y` or `--yes`) turns test-harness errors into warnings.
 */
export function critiquePatch(options: {
  readonly projectRoot: string;
  readonly files: readonly CritiqueFile[];
  readonly contextFiles?: ReadonlySet<string>;
  readonly harnessApproved?: boolean;
}): Promise<CritiqueFinding[]> {
  // The lenses are synchronous today; the promise leaves room for asynchronous ones and turns a throw into a rejection.
  return new Promise((resolve) => {
    const files = options.files.map((file) => ({ ...file, path: normalizePath(file.path) }));
    resolve([
      ...critiqueBlastRadius(files),
      ...critiqueUndeclaredImports({ projectRoot: options.projectRoot, files }),
      ...critiqueManifestAdditions(files),
      ...critiqueTestTampering(files),
      ...critiqueTestHarness({ files, harnessApproved: options.harnessApproved === true }),
      ...(options.contextFiles === undefined ? [] : critiqueOutOfContext(files, options.contextFiles)),
    ]);
  });
}

/** The finding as a failure reason (SPEC §2.5): `critique: <lens>: <message>`, one line, at most 500 characters. */
export function critiqueReason(finding: CritiqueFinding): string {
  const message = finding.message
    .split(/\r\n|\r|\n/u)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('; ');
  const reason = `critique: ${finding.lens}: ${message}`;
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}

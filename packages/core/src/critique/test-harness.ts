// The `test-harness` lens (SPEC §8.3): changing how tests run (scripts, runner configuration, Makefile, .npmrc) can
// turn a failing suite green without fixing anything, so it needs the user's explicit approval. The test command that
// runs is frozen before generation either way; this lens is about what the patch leaves behind.
import { parse as parseToml } from 'smol-toml';
import type { CritiqueFile, CritiqueFinding } from './types.js';

const APPROVAL_HINT = 'needs approval: approve at the permission prompt or pass --yes';

/** Files that configure a test runner or the way commands run, matched by name in any directory. */
const HARNESS_FILE_NAMES: readonly RegExp[] = [
  /^jest\.config\./u,
  /^vitest\.(?:config|workspace)\./u,
  /^\.mocharc(?:\.|$)/u,
  /^karma\.conf\./u,
  /^pytest\.ini$/u,
  /^tox\.ini$/u,
  /^conftest\.py$/u,
  /^(?:GNU)?[Mm]akefile$/u,
  /^\.npmrc$/u,
];

/** package.json keys that configure a test runner in place of a config file. */
const PACKAGE_JSON_RUNNER_KEYS = ['jest', 'mocha'];

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** JSON with object keys sorted, so reformatting or reordering is not a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Date)
      ? Object.fromEntries(Object.entries(inner).sort(([left], [right]) => left.localeCompare(right)))
      : inner,
  );
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Keys whose values differ between two records. */
function changedKeys(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => canonical(before[key]) !== canonical(after[key])).sort();
}

/** Parses both sides (a missing side is empty); undefined when either side is unparseable, so we cannot decide. */
function parseBoth(
  file: CritiqueFile,
  parse: (text: string) => unknown,
): { before: unknown; after: unknown } | undefined {
  try {
    return {
      before: file.before === null ? {} : parse(file.before),
      after: file.after === null ? {} : parse(file.after),
    };
  } catch {
    return undefined;
  }
}

function packageJsonChanges(file: CritiqueFile): string[] {
  const parsed = parseBoth(file, (text) => JSON.parse(text) as unknown);
  if (parsed === undefined) return [];
  const before = record(parsed.before);
  const after = record(parsed.after);
  // Only `scripts` (and inline runner configuration) decide how tests run; a version bump or new dependency does not.
  const scripts = changedKeys(record(before.scripts), record(after.scripts)).map((key) => `scripts.${key}`);
  const runners = PACKAGE_JSON_RUNNER_KEYS.filter((key) => canonical(before[key]) !== canonical(after[key]));
  return [...scripts, ...runners];
}

function pyprojectChanges(file: CritiqueFile): string[] {
  const parsed = parseBoth(file, parseToml);
  if (parsed === undefined) return [];
  const before = record(record(record(parsed.before).tool).pytest);
  const after = record(record(record(parsed.after).tool).pytest);
  return changedKeys(before, after).map((key) => `[tool.pytest.${key}]`);
}

/** The `[tool:pytest]` section's meaningful lines (comments and blank lines dropped). */
function setupCfgPytestSection(text: string | null): string {
  if (text === null) return '';
  const lines: string[] = [];
  let inSection = false;
  for (const line of text.split(/\r?\n/u)) {
    const header = /^\s*\[([^\]]+)\]/u.exec(line);
    if (header !== null) {
      inSection = header[1]?.trim() === 'tool:pytest';
      continue;
    }
    const content = line.trimEnd();
    if (inSection && content.trim() !== '' && !/^\s*[#;]/u.test(content)) lines.push(content);
  }
  return lines.join('\n');
}

/** Labels of what changed inside a file that is only partly harness (package.json, pyproject.toml, setup.cfg). */
function partialChanges(file: CritiqueFile): readonly string[] | undefined {
  const name = baseName(file.path);
  if (name === 'package.json') return packageJsonChanges(file);
  if (name === 'pyproject.toml') return pyprojectChanges(file);
  if (name === 'setup.cfg') {
    return setupCfgPytestSection(file.before) === setupCfgPytestSection(file.after) ? [] : ['[tool:pytest]'];
  }
  return undefined;
}

/** How the patch changes this file's part in the test harness, or undefined when it does not. */
function describeChange(file: CritiqueFile): string | undefined {
  const parts = partialChanges(file);
  if (parts !== undefined) return parts.length === 0 ? undefined : `changes ${file.path} ${parts.join(', ')}`;
  if (!HARNESS_FILE_NAMES.some((pattern) => pattern.test(baseName(file.path))) || file.before === file.after) {
    return undefined;
  }
  const verb = file.before === null ? 'creates' : file.after === null ? 'deletes' : 'changes';
  return `${verb} ${file.path}`;
}

export function critiqueTestHarness(options: {
  readonly files: readonly CritiqueFile[];
  readonly harnessApproved: boolean;
}): CritiqueFinding[] {
  const findings: CritiqueFinding[] = [];
  for (const file of options.files) {
    const what = describeChange(file);
    if (what === undefined) continue;
    findings.push({
      lens: 'test-harness',
      severity: options.harnessApproved ? 'warning' : 'error',
      message: options.harnessApproved ? what : `${what} (${APPROVAL_HINT})`,
      file: file.path,
      hunk_ids: file.hunk_ids,
    });
  }
  return findings;
}

// Recovery executes a journal found on disk, so it first treats it as untrusted input (SPEC §8.8, RELIABILITY F12):
// shape, paths, symlinks and blob hashes are all checked before anything is touched.
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from './errors.js';
import { sha256Hex } from './hash.js';
import type { JournalHeader, JournalOwner, JournalPaths, JournalPlan, PlannedChange, PreImage } from './journal.js';
import { isPositiveInteger, isRecord, parseJson } from './journal.js';
import { checkPathSyntax } from './path-names.js';
import { ancestorsOf } from './working-tree.js';

export type JournalLoad =
  | { readonly kind: 'valid'; readonly header: JournalHeader; readonly plan: JournalPlan }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'other-project'; readonly projectRoot: string };

class InvalidJournal extends Error {}

function ensure(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new InvalidJournal(reason);
}

const sha256Pattern = /^[0-9a-f]{64}$/u;

async function readRegularFile(path: string, label: string): Promise<Buffer> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new InvalidJournal(`${label} is missing`);
    throw error;
  }
  ensure(!stats.isSymbolicLink(), `${label} is a symlink`);
  ensure(stats.isFile(), `${label} is not a regular file`);
  return readFile(path);
}

function parseOwner(value: unknown): JournalOwner {
  ensure(isRecord(value), 'the journal has no owner');
  ensure(isPositiveInteger(value.pid), 'the journal owner has no pid');
  ensure(typeof value.hostname === 'string', 'the journal owner has no hostname');
  ensure(value.boot_id === null || typeof value.boot_id === 'string', 'the journal owner has an invalid boot id');
  ensure(
    value.process_start_time === null || typeof value.process_start_time === 'number',
    'the journal owner has an invalid start time',
  );
  return {
    pid: value.pid,
    hostname: value.hostname,
    boot_id: value.boot_id,
    process_start_time: value.process_start_time,
  };
}

function checkedPath(value: unknown): string {
  ensure(typeof value === 'string', 'a journal entry has no path');
  const problem = checkPathSyntax(value);
  ensure(problem === undefined, `unsafe path in journal: ${problem ?? ''}`);
  return value;
}

function isMode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0o7777;
}

function parsePreImage(value: unknown): PreImage {
  ensure(isRecord(value), 'a journal entry is not an object');
  const path = checkedPath(value.path);
  if (value.type === 'missing') return { path, type: 'missing' };
  if (value.type === 'symlink') {
    ensure(
      typeof value.target === 'string' && value.target !== '' && !value.target.includes('\0'),
      `invalid symlink target for ${path}`,
    );
    return { path, type: 'symlink', target: value.target };
  }
  ensure(value.type === 'file', `unknown entry type for ${path}`);
  ensure(isMode(value.mode), `invalid mode for ${path}`);
  ensure(
    typeof value.size === 'number' && Number.isSafeInteger(value.size) && value.size >= 0,
    `invalid size for ${path}`,
  );
  ensure(typeof value.sha256 === 'string' && sha256Pattern.test(value.sha256), `invalid hash for ${path}`);
  return { path, type: 'file', mode: value.mode, size: value.size, sha256: value.sha256 };
}

function parsePlannedChange(value: unknown, known: ReadonlySet<string>): PlannedChange {
  ensure(isRecord(value), 'a planned change is not an object');
  const path = checkedPath(value.path);
  ensure(known.has(path), `planned change for ${path} has no pre-image`);
  if (value.type === 'missing') return { path, type: 'missing' };
  ensure(value.type === 'file', `unknown planned type for ${path}`);
  ensure(typeof value.sha256 === 'string' && sha256Pattern.test(value.sha256), `invalid planned hash for ${path}`);
  ensure(value.mode === null || isMode(value.mode), `invalid planned mode for ${path}`);
  return { path, type: 'file', sha256: value.sha256, mode: value.mode };
}

export async function loadJournal(options: {
  paths: JournalPaths;
  runId: string;
  realRoot: string;
}): Promise<JournalLoad> {
  try {
    return await loadJournalUnchecked(options);
  } catch (error) {
    if (error instanceof InvalidJournal) return { kind: 'invalid', reason: error.message };
    throw error;
  }
}

async function loadJournalUnchecked(options: {
  paths: JournalPaths;
  runId: string;
  realRoot: string;
}): Promise<JournalLoad> {
  const { paths } = options;
  const headerValue = parseJson((await readRegularFile(paths.journalFile, 'journal.json')).toString('utf8'));
  ensure(isRecord(headerValue) && headerValue.v === 1, 'journal.json is not a version 1 journal');
  ensure(headerValue.run_id === options.runId, 'journal.json names another run');
  ensure(typeof headerValue.command === 'string', 'journal.json has no command');
  ensure(typeof headerValue.started_at === 'string', 'journal.json has no start time');
  ensure(typeof headerValue.project_root === 'string', 'journal.json has no project root');
  if (headerValue.project_root !== options.realRoot)
    return { kind: 'other-project', projectRoot: headerValue.project_root };
  ensure(Array.isArray(headerValue.entries), 'journal.json has no entries');
  const entries = headerValue.entries.map(parsePreImage);
  const known = new Set(entries.map((entry) => entry.path));
  ensure(known.size === entries.length, 'journal.json lists a path twice');
  const header: JournalHeader = {
    v: 1,
    run_id: options.runId,
    command: headerValue.command,
    started_at: headerValue.started_at,
    project_root: headerValue.project_root,
    owner: parseOwner(headerValue.owner),
    entries,
  };

  const planValue = parseJson((await readRegularFile(paths.planFile, 'plan.json')).toString('utf8'));
  ensure(isRecord(planValue) && planValue.v === 1, 'plan.json is not a version 1 plan');
  ensure(Array.isArray(planValue.changes) && Array.isArray(planValue.created_dirs), 'plan.json is incomplete');
  const changes = planValue.changes.map((change) => parsePlannedChange(change, known));
  const createdDirectories = planValue.created_dirs.map(checkedPath);
  for (const directory of createdDirectories) {
    ensure(
      entries.some((entry) => entry.path.startsWith(`${directory}/`)),
      `plan.json would remove directory ${directory}, which holds none of its files`,
    );
  }

  await checkNoSymlinkComponents(options.realRoot, entries);
  await checkBlobs(paths, entries);
  return { kind: 'valid', header, plan: { v: 1, changes, created_dirs: createdDirectories } };
}

async function checkNoSymlinkComponents(realRoot: string, entries: readonly PreImage[]): Promise<void> {
  const checked = new Set<string>();
  for (const entry of entries) {
    for (const ancestor of ancestorsOf(entry.path)) {
      if (checked.has(ancestor)) continue;
      checked.add(ancestor);
      const stats = await lstat(join(realRoot, ancestor)).catch(() => undefined);
      ensure(stats?.isSymbolicLink() !== true, `${entry.path} passes through symlink "${ancestor}"`);
    }
  }
}

async function checkBlobs(paths: JournalPaths, entries: readonly PreImage[]): Promise<void> {
  const blobsStats = await lstat(paths.blobsDirectory).catch(() => undefined);
  const needsBlobs = entries.some((entry) => entry.type === 'file');
  if (!needsBlobs) return;
  ensure(
    blobsStats !== undefined && !blobsStats.isSymbolicLink() && blobsStats.isDirectory(),
    'the blobs directory is missing or a symlink',
  );
  const verified = new Set<string>();
  for (const entry of entries) {
    if (entry.type !== 'file' || verified.has(entry.sha256)) continue;
    const content = await readRegularFile(join(paths.blobsDirectory, entry.sha256), `the backup of ${entry.path}`);
    ensure(
      content.byteLength === entry.size && sha256Hex(content) === entry.sha256,
      `the backup of ${entry.path} does not match its hash`,
    );
    verified.add(entry.sha256);
  }
}

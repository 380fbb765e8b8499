// verify(): one verification round over a patch (SPEC §4.0). Pure with respect to the working tree: it reads files,
// never writes; the caller decides what to do with `changes`.
import { DEFAULT_CONFIG } from '@kode/config';
import type { KodeConfig } from '@kode/config';
import { createOverlay, detectLanguage, EMPTY_OVERLAY, parseSource } from '@kode/lang';
import type { FileChange } from '@kode/snapshot';
import type { PatchUnit, UnitContext } from './apply-units.js';
import { applyUnit } from './apply-units.js';
import { computeDiffId } from './diff-id.js';
import { formatReason } from './format-reason.js';
import { checkArchitecture } from './gates/architecture.js';
import { checkBlastRadius } from './gates/blast-radius.js';
import { checkCalls } from './gates/calls/calls.js';
import { createProjectView } from './gates/calls/project-view.js';
import type { ProjectView } from './gates/calls/project-view.js';
import { checkImports } from './gates/imports.js';
import type { SecuritySuppression } from './gates/security.js';
import { checkSecurity } from './gates/security.js';
import { checkSyntax } from './gates/syntax.js';
import { checkTdd } from './gates/tdd.js';
import { parsePatchDocument } from './patch-input.js';
import type { FileState } from './patch-overlay.js';
import { isChanged, PatchOverlay } from './patch-overlay.js';
import { ResultRecorder } from './recorder.js';
import { checkHunks } from './schema.js';
import { encodeText, lineOfOffset } from './text-file.js';
import type { PatchInput, VerifyOptions, VerifyResult } from './types.js';
import { PATCH_KEY } from './types.js';
import type { FilePatch } from './unified-diff.js';
import { parseUnifiedDiff } from './unified-diff.js';

interface Units {
  readonly mode: 'hunks' | 'files' | 'diff';
  readonly units: PatchUnit[];
  readonly originalFiles?: Readonly<Record<string, string>>;
}

function buildUnits(input: PatchInput): Units | { readonly error: string } {
  const checked = parsePatchDocument(input);
  if (!checked.ok) return { error: checked.message };
  const document = checked.document.input;
  if ('hunks' in document) {
    const outcomes = checkHunks(document.hunks);
    return {
      mode: 'hunks',
      units: document.hunks.map((raw, index) => {
        const schema = outcomes[index] ?? { id: `hunk-${index + 1}` };
        return { kind: 'hunk', id: schema.id, raw, schema };
      }),
      ...(document.original_files === undefined ? {} : { originalFiles: document.original_files }),
    };
  }
  if ('files' in document) {
    return {
      mode: 'files',
      units: Object.entries(document.files).map(([path, content]) => ({ kind: 'file', id: path, path, content })),
    };
  }
  const parsed = parseUnifiedDiff(document.diff);
  if (!parsed.ok) return { error: `diff is not a unified diff: ${parsed.error}` };
  return {
    mode: 'diff',
    units: parsed.files.map((patch) => ({ kind: 'diff', id: patch.newPath ?? patch.oldPath ?? '', patch })),
  };
}

function symlinkTarget(patch: FilePatch): string | undefined {
  if (patch.newMode !== '120000' || patch.newPath === null) return undefined;
  const added = patch.hunks.flatMap((hunk) => hunk.lines).find((line) => line.startsWith('+'));
  return added === undefined ? '?' : added.slice(1);
}

function symbolSpans(path: string, text: string, symbol: string): { start: number; end: number }[] {
  const language = detectLanguage(path);
  if (language === null) return [];
  const parsed = parseSource({ language, path, text });
  return parsed.definitions
    .filter(
      (definition) =>
        definition.name === symbol ||
        (definition.parent !== undefined &&
          (symbol === `${definition.parent}.${definition.name}` ||
            symbol === `${definition.parent}::${definition.name}`)),
    )
    .map((definition) => ({ start: definition.startOffset, end: definition.endOffset }));
}

/** Units a file-gate finding counts against (§2.3): hunks whose inserted text covers the line, else all that touched it. */
function attribute(state: FileState, line: number | undefined): string[] {
  if (line !== undefined && state.current !== null) {
    const text = state.current;
    const covering = state.ranges
      .filter((range) => {
        const first = lineOfOffset(text, range.start);
        const last = lineOfOffset(text, Math.max(range.start, range.end - 1));
        return line >= first && line <= last;
      })
      .map((range) => range.unitId);
    if (covering.length > 0) return [...new Set(covering)];
  }
  return [...state.touchedBy];
}

export async function verify(input: PatchInput, options: VerifyOptions): Promise<VerifyResult> {
  // Async by contract (§13): the index and future gates read asynchronously; today every step is synchronous.
  await Promise.resolve();
  const config = options.config ?? DEFAULT_CONFIG;
  const diffId = computeDiffId(input);
  const recorder = new ResultRecorder({ runId: options.runId ?? '', onEvent: options.onEvent });
  let suppressed: SecuritySuppression[] = [];
  const built = buildUnits(input);
  if ('error' in built) {
    recorder.run({
      check: 'schema',
      execute: () => [
        {
          draft: { check_name: 'schema', status: 'FAIL', message: 'Input is not a valid patch', details: built.error },
          units: [],
        },
      ],
    });
    return assemble({ recorder, suppressed: [], diffId, unitIds: [], files: [], changes: () => [] });
  }
  const overlay = new PatchOverlay({
    projectRoot: options.projectRoot,
    originalFiles: built.originalFiles,
    maxFileBytes: config.engine.max_file_bytes,
  });
  const removedPaths = new Set<string>();
  const postPatchSymlinks = new Map<string, string>();
  for (const unit of built.units) {
    if (unit.kind === 'file' && unit.content === null) removedPaths.add(unit.path);
    if (unit.kind === 'diff') {
      if (unit.patch.oldPath !== null && (unit.patch.isDelete || unit.patch.isRename))
        removedPaths.add(unit.patch.oldPath);
      const target = symlinkTarget(unit.patch);
      if (target !== undefined && unit.patch.newPath !== null) postPatchSymlinks.set(unit.patch.newPath, target);
    }
  }
  const context: UnitContext = {
    projectRoot: options.projectRoot,
    overlay,
    recorder,
    protectedPaths: config.engine.protected_paths,
    auditLogFile: options.auditLogFile,
    maxFileBytes: config.engine.max_file_bytes,
    removedPaths,
    postPatchSymlinks,
    findSymbolSpans: () => [],
  };
  for (const unit of built.units) {
    options.signal?.throwIfAborted();
    applyUnit(unit, {
      ...context,
      findSymbolSpans: (text, symbol) =>
        unit.kind === 'hunk' ? symbolSpans(unit.schema.filePath ?? '', text, symbol) : [],
    });
  }
  const unitIds = built.units.map((unit) => unit.id);
  const touched = overlay.all().filter((state) => state.touchedBy.length > 0);
  const changed = touched.filter(isChanged);
  for (const state of touched.filter((entry) => !isChanged(entry))) {
    recorder.run({
      check: 'diff_applier',
      file: state.path,
      execute: () => [
        {
          draft: { check_name: 'diff_applier', status: 'PASS', file: state.path, message: 'No change' },
          units: state.touchedBy,
        },
      ],
    });
  }
  if (built.units.length === 0) {
    recorder.run({
      check: 'diff_applier',
      execute: () => [{ draft: { check_name: 'diff_applier', status: 'PASS', message: 'No change' }, units: [] }],
    });
  }
  const files = changed.map((state) => state.path);
  const preText = (state: FileState) => (state.pre.kind === 'text' ? state.pre.text : null);
  if (changed.length > 0) {
    const patchFailed = await runPatchGates({
      recorder,
      changed,
      files,
      preText,
      options,
      maxBlastRadius: config.engine.max_blast_radius,
      maxFileBytes: config.engine.max_file_bytes,
    });
    if (!patchFailed) {
      suppressed = await runFileGates({
        recorder,
        changed,
        preText,
        options,
        originalFiles: built.originalFiles,
        hunkMode: built.mode === 'hunks',
        config,
      });
    }
  }
  return assemble({
    recorder,
    suppressed,
    diffId,
    unitIds,
    files,
    changes: (failed) => buildChanges({ changed, failed, hunkMode: built.mode === 'hunks' }),
  });
}

async function runPatchGates(options: {
  recorder: ResultRecorder;
  changed: readonly FileState[];
  files: readonly string[];
  preText: (state: FileState) => string | null;
  options: VerifyOptions;
  maxBlastRadius: number;
  maxFileBytes: number;
}): Promise<boolean> {
  const { recorder } = options;
  const [tdd] = recorder.run({
    check: 'tdd',
    execute: () => {
      if (options.options.tdd !== true) {
        return [{ draft: { check_name: 'tdd', status: 'SKIPPED', message: 'TDD mode not enabled' }, units: [] }];
      }
      const outcome = checkTdd(
        options.changed.map((state) => ({
          path: state.path,
          preText: options.preText(state),
          postText: state.current,
        })),
      );
      return [{ draft: { check_name: 'tdd', ...outcome }, units: [] }];
    },
  });
  if (tdd?.status === 'FAIL') return true;
  const [blast] = await recorder.runAsync({
    check: 'blast_radius',
    execute: async () => [
      {
        draft: {
          check_name: 'blast_radius',
          ...(await checkBlastRadius({
            projectRoot: options.options.projectRoot,
            files: options.files,
            changed: options.changed.map((state) => ({
              path: state.path,
              preText: options.preText(state),
              postText: state.current,
            })),
            maxBlastRadius: options.maxBlastRadius,
            maxFileBytes: options.maxFileBytes,
            ...(options.options.index === undefined ? {} : { index: options.options.index }),
          })),
        },
        units: [],
      },
    ],
  });
  return blast?.status === 'FAIL';
}

async function runFileGates(options: {
  recorder: ResultRecorder;
  changed: readonly FileState[];
  preText: (state: FileState) => string | null;
  options: VerifyOptions;
  originalFiles: Readonly<Record<string, string>> | undefined;
  hunkMode: boolean;
  config: KodeConfig;
}): Promise<SecuritySuppression[]> {
  const { recorder } = options;
  const suppressed: SecuritySuppression[] = [];
  const postFiles: Record<string, string | null> = { ...options.originalFiles };
  for (const state of options.changed) postFiles[state.path] = state.current;
  const postOverlay = createOverlay(postFiles);
  const preOverlay = createOverlay({ ...options.originalFiles });
  // One project view per side for the whole patch: files parsed for symbols once, shared by every changed file.
  let postProjectView: ProjectView | undefined;
  let preProjectView: ProjectView | undefined;
  const postView = () =>
    (postProjectView ??= createProjectView({ projectRoot: options.options.projectRoot, overlay: postOverlay }));
  const preView = () =>
    (preProjectView ??= createProjectView({ projectRoot: options.options.projectRoot, overlay: preOverlay }));
  let diskProjectView: ProjectView | undefined;
  const diskView = () =>
    (diskProjectView ??= createProjectView({ projectRoot: options.options.projectRoot, overlay: EMPTY_OVERLAY }));
  for (const state of options.changed) {
    const postText = state.current;
    if (postText === null) continue;
    options.options.signal?.throwIfAborted();
    const preText = options.preText(state);
    const withUnits = (draft: Parameters<typeof formatReason>[0] & { line?: number }) => attribute(state, draft.line);
    let parsed: ReturnType<typeof checkSyntax>['parsed'];
    const [syntax] = recorder.run({
      check: 'syntax',
      file: state.path,
      execute: () => {
        const check = checkSyntax({ path: state.path, preText, postText, signal: options.options.signal });
        parsed = check.parsed;
        return [
          { draft: withHunkId(check.draft, withUnits(check.draft), options.hunkMode), units: withUnits(check.draft) },
        ];
      },
    });
    if (syntax?.status === 'FAIL') continue;
    const [imports] = recorder.run({
      check: 'imports',
      file: state.path,
      execute: () => {
        const draft = checkImports({
          projectRoot: options.options.projectRoot,
          path: state.path,
          parsed,
          preText,
          postOverlay,
          preOverlay,
        });
        return [{ draft: withHunkId(draft, withUnits(draft), options.hunkMode), units: withUnits(draft) }];
      },
    });
    if (imports?.status === 'FAIL') continue;
    const [calls] = recorder.run({
      check: 'calls',
      file: state.path,
      execute: () => {
        const draft = checkCalls({ path: state.path, preText, postText, postView: postView(), preView });
        return [{ draft: withHunkId(draft, withUnits(draft), options.hunkMode), units: withUnits(draft) }];
      },
    });
    if (calls?.status === 'FAIL') continue;
    const [architecture] = recorder.run({
      check: 'architecture',
      file: state.path,
      execute: () => {
        const draft = checkArchitecture({
          path: state.path,
          preText,
          rules: [...options.config.architecture.rules, ...(options.options.architectureRules ?? [])],
          block: options.options.blockArchitecture ?? options.config.architecture.block,
          view: postView(),
          preView,
          diskView,
        });
        return [{ draft: withHunkId(draft, withUnits(draft), options.hunkMode), units: withUnits(draft) }];
      },
    });
    if (architecture?.status === 'FAIL') continue;
    await recorder.runAsync({
      check: 'security',
      file: state.path,
      execute: async () => {
        const check = await checkSecurity({
          path: state.path,
          preText,
          postText,
          blockSeverity: options.config.security.block_severity,
          ignoreRules: options.config.security.ignore_rules,
          knownSecrets: options.options.knownSecrets ?? [],
          origin: options.options.origin ?? 'human',
          signal: options.options.signal,
        });
        suppressed.push(...check.suppressed);
        return check.drafts.map((draft) => ({
          draft: withHunkId(draft, withUnits(draft), options.hunkMode),
          units: withUnits(draft),
        }));
      },
    });
  }
  return suppressed;
}

/** In hunk mode a file result names its hunk when exactly one is to blame; paths already name files-mode units. */
function withHunkId<T extends object>(draft: T, units: readonly string[], hunkMode: boolean): T & { hunk_id?: string } {
  const [only] = units;
  return hunkMode && units.length === 1 && only !== undefined ? { ...draft, hunk_id: only } : draft;
}

function buildChanges(options: {
  changed: readonly FileState[];
  failed: ReadonlySet<string>;
  hunkMode: boolean;
}): FileChange[] {
  const included = options.changed.filter((state) => state.touchedBy.every((unit) => !options.failed.has(unit)));
  const renamedSources = new Set(included.map((state) => state.renamedFrom).filter((path) => path !== undefined));
  const changes: FileChange[] = [];
  for (const state of included) {
    if (renamedSources.has(state.path)) continue;
    const deleted =
      state.current === null || (options.hunkMode && state.current === '' && state.pre.kind !== 'missing');
    // A new file is written 0644 unless the patch says otherwise (a diff's `new file mode 100755`, a renamed script).
    const preMode = state.pre.kind === 'text' ? state.pre.mode : 0o644;
    changes.push({
      path: state.path,
      content: deleted || state.current === null ? null : encodeText(state.current, state.bom),
      ...(!deleted && state.mode !== undefined && state.mode !== preMode ? { mode: state.mode } : {}),
      ...(state.renamedFrom === undefined || deleted ? {} : { renamedFrom: state.renamedFrom }),
    });
  }
  return changes;
}

function assemble(options: {
  recorder: ResultRecorder;
  suppressed: readonly SecuritySuppression[];
  diffId: string;
  unitIds: readonly string[];
  files: readonly string[];
  changes: (failed: ReadonlySet<string>) => FileChange[];
}): VerifyResult {
  const failed: Record<string, string> = {};
  const warnings: string[] = [];
  for (const { result, units } of options.recorder.recorded) {
    if (result.status === 'WARN') warnings.push(formatReason(result));
    if (result.status !== 'FAIL') continue;
    for (const unit of units.length === 0 ? [PATCH_KEY] : units) failed[unit] ??= formatReason(result);
  }
  const patchFailed = failed[PATCH_KEY] !== undefined;
  const failedUnits = new Set(Object.keys(failed));
  const passed = patchFailed ? [] : options.unitIds.filter((id) => !failedUnits.has(id));
  const results = options.recorder.recorded.map(({ result }) => result);
  return {
    verdict: {
      diff_id: options.diffId,
      overall: results.some((result) => result.status === 'FAIL') ? 'FAIL' : 'PASS',
      results,
    },
    passed,
    failed,
    warnings,
    files: [...options.files],
    changes: patchFailed ? [] : options.changes(failedUnits),
    suppressed: [...options.suppressed],
  };
}

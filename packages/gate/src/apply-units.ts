// The per-unit pre-gates (SPEC §4.0): schema -> path_safety -> diff_applier for every hunk, file entry or file
// patch, in patch order. A unit that fails is left out of the overlay and later units apply to what remains.
import { checkPathSafety } from '@kode/snapshot';
import type { SymbolSpanFinder, ValidHunk } from './apply-hunk.js';
import { applyHunk } from './apply-hunk.js';
import { describeType } from './patch-input.js';
import type { FileState, PatchOverlay } from './patch-overlay.js';
import type { ResultDraft, ResultRecorder } from './recorder.js';
import type { checkHunks } from './schema.js';
import { byteLength } from './text-file.js';
import type { FilePatch } from './unified-diff.js';
import { applyFileHunks } from './unified-diff.js';

export type PatchUnit =
  | {
      readonly kind: 'hunk';
      readonly id: string;
      readonly raw: unknown;
      readonly schema: ReturnType<typeof checkHunks>[number];
    }
  | { readonly kind: 'file'; readonly id: string; readonly path: string; readonly content: unknown }
  | { readonly kind: 'diff'; readonly id: string; readonly patch: FilePatch };

export interface UnitContext {
  readonly projectRoot: string;
  readonly overlay: PatchOverlay;
  readonly recorder: ResultRecorder;
  readonly protectedPaths: readonly string[];
  readonly auditLogFile: string | undefined;
  readonly maxFileBytes: number;
  readonly removedPaths: ReadonlySet<string>;
  readonly postPatchSymlinks: ReadonlyMap<string, string>;
  readonly findSymbolSpans: SymbolSpanFinder;
}

type Outcome = { draft: ResultDraft; units: readonly string[] };

function one(draft: ResultDraft, unitId: string): Outcome[] {
  return [{ draft, units: [unitId] }];
}

/** Runs the three per-unit gates; returns false when the unit failed one of them. */
export function applyUnit(unit: PatchUnit, context: UnitContext): boolean {
  const hunkId = unit.kind === 'hunk' ? unit.id : undefined;
  const paths = unitPaths(unit);
  const file = paths[0];
  if (unit.kind !== 'diff' && !checkSchema(unit, context)) return false;
  for (const path of paths) {
    const safety = checkPathSafety({
      projectRoot: context.projectRoot,
      path,
      protectedPaths: context.protectedPaths,
      postPatchSymlinks: context.postPatchSymlinks,
      removedPaths: context.removedPaths,
      ...(context.auditLogFile === undefined ? {} : { auditLogFile: context.auditLogFile }),
    });
    const [result] = context.recorder.run({
      check: 'path_safety',
      file: path,
      hunkId,
      execute: () =>
        one(
          safety.ok
            ? { check_name: 'path_safety', status: 'PASS', file: path, ...withHunk(hunkId), message: 'Path is safe' }
            : {
                check_name: 'path_safety',
                status: 'FAIL',
                file: path,
                ...withHunk(hunkId),
                message: 'Unsafe path',
                details: safety.reason,
              },
          unit.id,
        ),
    });
    if (result?.status === 'FAIL') return false;
  }
  const [applied] = context.recorder.run({
    check: 'diff_applier',
    file,
    hunkId,
    execute: () => one(applyToOverlay(unit, context), unit.id),
  });
  return applied !== undefined && applied.status !== 'FAIL';
}

function withHunk(hunkId: string | undefined): { hunk_id?: string } {
  return hunkId === undefined ? {} : { hunk_id: hunkId };
}

function unitPaths(unit: PatchUnit): string[] {
  switch (unit.kind) {
    case 'hunk':
      return unit.schema.filePath === undefined ? [] : [unit.schema.filePath];
    case 'file':
      return [unit.path];
    case 'diff':
      return [...new Set([unit.patch.oldPath, unit.patch.newPath].filter((path): path is string => path !== null))];
  }
}

function checkSchema(unit: Exclude<PatchUnit, { kind: 'diff' }>, context: UnitContext): boolean {
  const [result] = context.recorder.run({
    check: 'schema',
    file: unit.kind === 'file' ? unit.path : unit.schema.filePath,
    hunkId: unit.kind === 'hunk' ? unit.id : undefined,
    execute: () => {
      if (unit.kind === 'file') {
        const valid = typeof unit.content === 'string' || unit.content === null;
        return one(
          valid
            ? { check_name: 'schema', status: 'PASS', file: unit.path, message: 'Valid file entry' }
            : {
                check_name: 'schema',
                status: 'FAIL',
                file: unit.path,
                message: 'Invalid file entry',
                details: `${unit.path}: content must be a string or null (got ${describeType(unit.content)})`,
              },
          unit.id,
        );
      }
      const { schema } = unit;
      const file = schema.filePath === undefined ? {} : { file: schema.filePath };
      const outcomes: Outcome[] = [];
      if (schema.problem !== undefined) {
        outcomes.push(
          ...one(
            {
              check_name: 'schema',
              status: 'FAIL',
              ...file,
              hunk_id: unit.id,
              message: 'Invalid hunk',
              details: schema.problem,
            },
            unit.id,
          ),
        );
      }
      if (schema.idProblem !== undefined) {
        outcomes.push(
          ...one(
            {
              check_name: 'schema',
              status: 'WARN',
              ...file,
              hunk_id: unit.id,
              message: 'Hunk id replaced',
              details: schema.idProblem,
            },
            unit.id,
          ),
        );
      }
      if (outcomes.length === 0) {
        outcomes.push(
          ...one({ check_name: 'schema', status: 'PASS', ...file, hunk_id: unit.id, message: 'Valid hunk' }, unit.id),
        );
      }
      return outcomes;
    },
  });
  return result?.status !== 'FAIL';
}

function fail(options: { file: string; hunkId?: string | undefined; message: string; details?: string }): ResultDraft {
  return {
    check_name: 'diff_applier',
    status: 'FAIL',
    file: options.file,
    ...withHunk(options.hunkId),
    message: options.message,
    details: options.details ?? options.file,
  };
}

function tooLarge(path: string, text: string, context: UnitContext): string | undefined {
  const size = byteLength(text);
  return size > context.maxFileBytes ? `${path}: post-image is ${size} bytes (max ${context.maxFileBytes})` : undefined;
}

function applyToOverlay(unit: PatchUnit, context: UnitContext): ResultDraft {
  switch (unit.kind) {
    case 'hunk':
      return applyHunkUnit(unit.schema.hunk as ValidHunk, context);
    case 'file':
      return applyFileUnit(unit.path, unit.content as string | null, context);
    case 'diff':
      return applyDiffUnit(unit.id, unit.patch, context);
  }
}

function unreadable(state: FileState): string | undefined {
  return state.pre.kind === 'unreadable' && state.touchedBy.length === 0 ? state.pre.message : undefined;
}

function applyHunkUnit(hunk: ValidHunk, context: UnitContext): ResultDraft {
  const state = context.overlay.file(hunk.filePath);
  const base = { file: hunk.filePath, hunkId: hunk.id };
  const blocked = unreadable(state);
  if (blocked !== undefined) {
    context.recorder.hunkApply({ hunkId: hunk.id, file: hunk.filePath, status: 'FAIL' });
    return fail({ ...base, message: blocked });
  }
  const application = applyHunk({
    hunk,
    current: state.current,
    findSymbolSpans: (text, symbol) => context.findSymbolSpans(text, symbol),
  });
  if (!application.ok) {
    context.recorder.hunkApply({ hunkId: hunk.id, file: hunk.filePath, status: 'FAIL' });
    return fail({ ...base, message: application.message, details: application.details });
  }
  const large = tooLarge(hunk.filePath, application.text, context);
  if (large !== undefined) {
    context.recorder.hunkApply({ hunkId: hunk.id, file: hunk.filePath, status: 'FAIL', match: application.match });
    return fail({ ...base, message: 'File too large', details: large });
  }
  context.overlay.recordEdit({
    state,
    unitId: hunk.id,
    text: application.text,
    replaced: application.replaced,
    inserted: application.inserted,
  });
  const status = application.warning === undefined ? 'PASS' : 'WARN';
  context.recorder.hunkApply({ hunkId: hunk.id, file: hunk.filePath, status, match: application.match });
  return {
    check_name: 'diff_applier',
    status,
    file: hunk.filePath,
    hunk_id: hunk.id,
    message: application.warning ?? 'Applied',
  };
}

const BOM = '\uFEFF';

function applyFileUnit(path: string, content: string | null, context: UnitContext): ResultDraft {
  const state = context.overlay.file(path);
  const current = state.current;
  if (content === null) {
    if (current === null && state.pre.kind !== 'unreadable')
      return fail({ file: path, message: 'Target file does not exist' });
    const length = current?.length ?? 0;
    context.overlay.recordEdit({
      state,
      unitId: path,
      text: null,
      replaced: { start: 0, end: length },
      inserted: { start: 0, end: 0 },
    });
    return { check_name: 'diff_applier', status: 'PASS', file: path, message: 'Applied' };
  }
  const blocked = unreadable(state);
  if (blocked !== undefined) return fail({ file: path, message: blocked });
  const large = tooLarge(path, content, context);
  if (large !== undefined) return fail({ file: path, message: 'File too large', details: large });
  // Files mode gives the exact new content: a leading BOM in it is the caller's choice.
  const bom = content.startsWith(BOM);
  const text = bom ? content.slice(1) : content;
  if (current === text && state.bom === bom)
    return { check_name: 'diff_applier', status: 'PASS', file: path, message: 'No change' };
  state.bom = bom;
  context.overlay.recordEdit({
    state,
    unitId: path,
    text,
    replaced: { start: 0, end: current?.length ?? 0 },
    inserted: { start: 0, end: text.length },
  });
  return { check_name: 'diff_applier', status: 'PASS', file: path, message: 'Applied' };
}

function modeOf(patch: FilePatch): number | undefined {
  return patch.newMode === undefined ? undefined : Number.parseInt(patch.newMode.slice(-3), 8);
}

function applyDiffUnit(unitId: string, patch: FilePatch, context: UnitContext): ResultDraft {
  const applyFailed = 'Failed to apply diff to original files in memory';
  const target = patch.newPath ?? patch.oldPath ?? unitId;
  if (patch.isBinary) return fail({ file: target, message: 'File is binary' });
  const source = patch.oldPath === null ? undefined : context.overlay.file(patch.oldPath);
  let text = '';
  let bom = false;
  if (source !== undefined) {
    const blocked = unreadable(source);
    if (blocked !== undefined) return fail({ file: source.path, message: blocked });
    if (source.current === null) return fail({ file: source.path, message: 'Target file does not exist' });
    text = source.current;
    bom = source.bom;
  }
  const applied = applyFileHunks({ path: target, text, hunks: patch.hunks });
  if (!applied.ok) return fail({ file: target, message: applyFailed, details: applied.details });
  if (patch.newPath !== null) {
    const large = tooLarge(patch.newPath, applied.text, context);
    if (large !== undefined) return fail({ file: patch.newPath, message: 'File too large', details: large });
  }
  const destination = patch.newPath === null ? undefined : context.overlay.file(patch.newPath);
  if (destination !== undefined && destination !== source) {
    if (destination.current !== null || unreadable(destination) !== undefined) {
      return fail({
        file: destination.path,
        message: applyFailed,
        details: `${destination.path}: the file already exists`,
      });
    }
  }
  if (source !== undefined && (destination === undefined || destination !== source)) {
    context.overlay.recordEdit({
      state: source,
      unitId,
      text: null,
      replaced: { start: 0, end: text.length },
      inserted: { start: 0, end: 0 },
    });
  }
  if (destination !== undefined) {
    const previous = destination.current ?? '';
    destination.bom = bom;
    destination.mode = modeOf(patch) ?? source?.mode ?? destination.mode;
    if (destination !== source && source !== undefined) destination.renamedFrom = source.path;
    context.overlay.recordEdit({
      state: destination,
      unitId,
      text: applied.text,
      replaced: { start: 0, end: previous.length },
      inserted: { start: 0, end: applied.text.length },
    });
  }
  const warning = applied.warnings[0];
  return warning === undefined
    ? { check_name: 'diff_applier', status: 'PASS', file: target, message: 'Applied' }
    : { check_name: 'diff_applier', status: 'WARN', file: target, message: warning, details: target };
}

// The in-memory view of the project while a patch is applied (SPEC §1.4 "Overlay"): pre-images read once (from
// `original_files` or disk), current texts after each applied unit, and which unit inserted which text (§2.3).
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeText } from './text-file.js';

export type PreImage =
  | { readonly kind: 'missing' }
  | { readonly kind: 'text'; readonly text: string; readonly bom: boolean; readonly mode?: number }
  /** Exists but cannot be edited as text: `message` is the diff_applier FAIL message. */
  | { readonly kind: 'unreadable'; readonly message: string };

export interface InsertedRange {
  readonly unitId: string;
  start: number;
  end: number;
}

export interface FileState {
  readonly path: string;
  readonly pre: PreImage;
  /** Current text (BOM stripped), or null when the file does not exist in the overlay. */
  current: string | null;
  bom: boolean;
  mode: number | undefined;
  renamedFrom: string | undefined;
  /** Units that applied to this file, in order. */
  readonly touchedBy: string[];
  readonly ranges: InsertedRange[];
}

const LFS_MESSAGE = 'File is a Git LFS pointer; edit the real content through git lfs, not the pointer';

/** A Git LFS pointer file (git-lfs spec v1): small, and its first line names the spec. Editing it would corrupt the
 * link to the stored object (RELIABILITY E12). */
function isLfsPointer(text: string): boolean {
  return text.length < 1024 && text.startsWith('version https://git-lfs.github.com/spec/');
}

export function readPreImage(options: {
  projectRoot: string;
  path: string;
  originalFiles: Readonly<Record<string, string>> | undefined;
  maxFileBytes: number;
}): PreImage {
  const original = options.originalFiles?.[options.path];
  if (original !== undefined) {
    if (Buffer.byteLength(original, 'utf8') > options.maxFileBytes)
      return { kind: 'unreadable', message: 'File too large' };
    const decoded = decodeText(Buffer.from(original, 'utf8'));
    if (decoded.kind === 'binary') return { kind: 'unreadable', message: 'File is binary' };
    if (decoded.kind === 'text' && isLfsPointer(decoded.text)) return { kind: 'unreadable', message: LFS_MESSAGE };
    return decoded.kind === 'text' ? { kind: 'text', text: decoded.text, bom: decoded.bom } : { kind: 'missing' };
  }
  const absolute = join(options.projectRoot, options.path);
  let stats;
  try {
    stats = lstatSync(absolute);
  } catch {
    return { kind: 'missing' };
  }
  if (stats.isDirectory()) return { kind: 'unreadable', message: 'Target is a directory' };
  if (!stats.isFile()) return { kind: 'unreadable', message: 'Target is not a regular file' };
  if (stats.size > options.maxFileBytes) return { kind: 'unreadable', message: 'File too large' };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { kind: 'unreadable', message: `File cannot be read (${code})` };
  }
  const decoded = decodeText(bytes);
  if (decoded.kind === 'binary') return { kind: 'unreadable', message: 'File is binary' };
  if (decoded.kind === 'not-utf8') return { kind: 'unreadable', message: 'File is not valid UTF-8 text' };
  if (isLfsPointer(decoded.text)) return { kind: 'unreadable', message: LFS_MESSAGE };
  return { kind: 'text', text: decoded.text, bom: decoded.bom, mode: stats.mode & 0o777 };
}

export class PatchOverlay {
  private readonly states = new Map<string, FileState>();

  constructor(
    private readonly options: {
      projectRoot: string;
      originalFiles: Readonly<Record<string, string>> | undefined;
      maxFileBytes: number;
    },
  ) {}

  file(path: string): FileState {
    let state = this.states.get(path);
    if (state === undefined) {
      const pre = readPreImage({ ...this.options, path });
      state = {
        path,
        pre,
        current: pre.kind === 'text' ? pre.text : null,
        bom: pre.kind === 'text' ? pre.bom : false,
        mode: pre.kind === 'text' ? pre.mode : undefined,
        renamedFrom: undefined,
        touchedBy: [],
        ranges: [],
      };
      this.states.set(path, state);
    }
    return state;
  }

  /** Records an edit: earlier units' inserted ranges move with the text; the unit's own range is added. */
  recordEdit(options: {
    state: FileState;
    unitId: string;
    text: string | null;
    replaced: { start: number; end: number };
    inserted: { start: number; end: number };
  }): void {
    const { state, replaced, inserted } = options;
    const delta = inserted.end - inserted.start - (replaced.end - replaced.start);
    for (const range of state.ranges) {
      range.start =
        range.start < replaced.start ? range.start : range.start >= replaced.end ? range.start + delta : inserted.start;
      range.end =
        range.end <= replaced.start ? range.end : range.end >= replaced.end ? range.end + delta : inserted.end;
    }
    if (inserted.end > inserted.start)
      state.ranges.push({ unitId: options.unitId, start: inserted.start, end: inserted.end });
    state.current = options.text;
    if (!state.touchedBy.includes(options.unitId)) state.touchedBy.push(options.unitId);
  }

  /** Every file state, in the order first touched. */
  all(): FileState[] {
    return [...this.states.values()];
  }
}

/** True when the post-image differs from the pre-image (content, existence or mode). */
export function isChanged(state: FileState): boolean {
  if (state.touchedBy.length === 0) return false;
  const pre = state.pre;
  if (pre.kind === 'missing') return state.current !== null;
  if (pre.kind === 'unreadable') return true;
  if (state.current === null) return true;
  if (state.current !== pre.text) return true;
  return state.mode !== undefined && pre.mode !== undefined && state.mode !== pre.mode;
}

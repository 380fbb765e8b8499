// Reading `kode verify` input: the --input document, the --diff text, and Claude Code hook payloads (SPEC §3.6).
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { PatchInput } from '@kode/gate';

const inputErrorMarker = Symbol.for('kode.error.VerifyInputError');

/** A document-level problem: exit 2 with an ERROR summary and audit entry. `message` follows `error: `. */
export class VerifyInputError extends Error {
  readonly [inputErrorMarker] = true;

  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }

  static isInstance(error: unknown): error is VerifyInputError {
    return typeof error === 'object' && error !== null && inputErrorMarker in error;
  }
}

export async function readSource(options: {
  source: string;
  cwd: string;
  readStdin: () => Promise<string>;
}): Promise<string> {
  if (options.source === '-') return options.readStdin();
  try {
    return await readFile(resolve(options.cwd, options.source), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new VerifyInputError(`cannot read input file ${options.source}: ${code}: check the path`);
  }
}

/** `Unexpected token 'o' at line 1 column 2 (patch.json)` whatever wording this Node version uses. */
export function parseJsonDocument(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const what = raw
      .replace(/, "[\s\S]*" is not valid JSON$/u, '')
      .replace(/ in JSON at position \d+[\s\S]*$/u, '')
      .replace(/ \(line \d+ column \d+\)$/u, '');
    const offset = jsonErrorOffset(text, raw);
    return failJson(`${what} at ${lineColumn(text, offset)} (${name})`);
  }
}

function failJson(message: string): never {
  throw new VerifyInputError(`input is not valid JSON: ${message}`);
}

function jsonErrorOffset(text: string, message: string): number {
  const position = /position (\d+)/u.exec(message);
  if (position?.[1] !== undefined) return Number(position[1]);
  if (/end of JSON input/u.test(message)) return text.length;
  const token = /Unexpected token '(.)'/u.exec(message);
  if (token?.[1] !== undefined) {
    const index = text.indexOf(token[1]);
    if (index !== -1) return index;
  }
  return 0;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line} column ${column}`;
}

export type HookConversion =
  { readonly kind: 'ignore' } | { readonly kind: 'verify'; readonly input: PatchInput; readonly projectRoot: string };

interface HookEdit {
  readonly old_string?: unknown;
  readonly new_string?: unknown;
  readonly replace_all?: unknown;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function toProjectPath(projectRoot: string, filePath: string): string {
  const absolute = isAbsolute(filePath) ? filePath : resolve(projectRoot, filePath);
  return relative(projectRoot, absolute).split(sep).join('/');
}

/** Turns a Claude Code PreToolUse payload into a patch: Write -> files, Edit/MultiEdit -> MODIFY hunks. */
export async function convertHookPayload(options: {
  payload: unknown;
  projectDir: string | undefined;
}): Promise<HookConversion> {
  const payload = record(options.payload);
  const tool = payload.tool_name;
  if (tool !== 'Write' && tool !== 'Edit' && tool !== 'MultiEdit') return { kind: 'ignore' };
  const cwd = typeof payload.cwd === 'string' ? payload.cwd : process.cwd();
  const projectRoot = options.projectDir ?? cwd;
  const toolInput = record(payload.tool_input);
  if (typeof toolInput.file_path !== 'string') throw new VerifyInputError('hook payload has no tool_input.file_path');
  const path = toProjectPath(projectRoot, toolInput.file_path);
  if (tool === 'Write') {
    if (typeof toolInput.content !== 'string') throw new VerifyInputError('hook payload has no tool_input.content');
    return { kind: 'verify', projectRoot, input: { files: { [path]: toolInput.content } } };
  }
  const edits: HookEdit[] =
    tool === 'Edit' ? [toolInput] : Array.isArray(toolInput.edits) ? toolInput.edits.map(record) : [];
  if (edits.length === 0) throw new VerifyInputError('hook payload has no edits');
  if (edits.some((edit) => edit.replace_all === true)) {
    // replace_all has no single anchor: compute the complete post-image and verify it in files mode.
    const current = await readFile(resolve(projectRoot, path), 'utf8').catch(() => undefined);
    if (current !== undefined) {
      let text = current;
      for (const edit of edits) {
        const oldString = typeof edit.old_string === 'string' ? edit.old_string : '';
        const newString = typeof edit.new_string === 'string' ? edit.new_string : '';
        if (oldString === '') continue;
        text =
          edit.replace_all === true ? text.replaceAll(oldString, newString) : text.replace(oldString, () => newString);
      }
      return { kind: 'verify', projectRoot, input: { files: { [path]: text } } };
    }
  }
  return {
    kind: 'verify',
    projectRoot,
    input: {
      hunks: edits.map((edit, index) => ({
        id: `edit-${index + 1}`,
        file_path: path,
        // Claude Code creates a file with an empty old_string: that is an INSERT with an empty anchor here.
        action: edit.old_string === '' ? ('INSERT' as const) : ('MODIFY' as const),
        anchor_text: typeof edit.old_string === 'string' ? edit.old_string : '',
        new_text: typeof edit.new_string === 'string' ? edit.new_string : '',
      })),
    },
  };
}

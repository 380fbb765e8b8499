// `kode verify` handler as a plain function (captured streams, real temp project) and its input conversions.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCapturedIO, createTempProject } from '@kode/test-utils';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../context.js';
import { Output } from '../io.js';
import type { VerifyCommandOptions } from './verify.js';
import { runVerify } from './verify.js';
import { convertHookPayload, parseJsonDocument, VerifyInputError } from './verify-input.js';

interface Summary {
  readonly status: string;
  readonly failed_hunks: Record<string, string>;
}

const NO_FLAGS: VerifyCommandOptions = {
  input: undefined,
  diff: undefined,
  hook: undefined,
  blockArchitecture: undefined,
  maxBlastRadius: undefined,
  tdd: false,
  model: undefined,
};

function contextFor(cwd: string, progress: 'text' | 'jsonl' = 'text') {
  const captured = createCapturedIO({ cwd });
  const globals = { projectDir: cwd, logDir: undefined, quiet: false, progress, color: false, yes: false };
  const context: CommandContext = {
    io: captured.io,
    output: new Output({ io: captured.io, color: false, quiet: false, progress }),
    globals,
  };
  return { context, captured };
}

describe('runVerify', () => {
  it('--max-blast-radius overrides engine.max_blast_radius and --tdd enables the TDD pre-gate', async () => {
    await using project = await createTempProject({ files: { 'a.md': 'a\n' } });
    const input = JSON.stringify({ files: { 'a.md': 'A\n', 'b.md': 'B\n' } });
    const narrow = contextFor(project.root);
    const code = await runVerify(
      narrow.context,
      { ...NO_FLAGS, input: '-', maxBlastRadius: 1 },
      { readStdin: () => Promise.resolve(input) },
    );
    expect(code).toBe(1);
    expect((JSON.parse(narrow.captured.stdout()) as Summary).failed_hunks).toEqual({
      '<patch>': 'blast_radius: Blast radius check failed (radius 2 > max 1: touched a.md, b.md)',
    });
    const tdd = contextFor(project.root);
    const tddInput = JSON.stringify({ files: { 'src/a.ts': 'export const a = 1;\n' } });
    expect(
      await runVerify(
        tdd.context,
        { ...NO_FLAGS, input: '-', tdd: true },
        { readStdin: () => Promise.resolve(tddInput) },
      ),
    ).toBe(1);
    expect((JSON.parse(tdd.captured.stdout()) as Summary).failed_hunks['<patch>']).toMatch(/^tdd: TDD mode/u);
    const entries = (await readFile(join(project.root, 'logs', 'kode.log'), 'utf8')).trim().split('\n');
    expect(entries).toHaveLength(2);
  });

  it('rejects an invalid --max-blast-radius before reading anything', async () => {
    await using project = await createTempProject();
    const { context } = contextFor(project.root);
    await expect(runVerify(context, { ...NO_FLAGS, input: 'x.json', maxBlastRadius: 0 })).rejects.toThrow(
      '--max-blast-radius must be an integer >= 1 (got 0)',
    );
  });

  it('an unwritable audit log is a warning; the verdict and exit code stand', async () => {
    await using project = await createTempProject({ files: { logs: 'a file where the log directory should be\n' } });
    const { context, captured } = contextFor(project.root);
    const input = JSON.stringify({ files: { 'x.md': 'x\n' } });
    expect(await runVerify(context, { ...NO_FLAGS, input: '-' }, { readStdin: () => Promise.resolve(input) })).toBe(0);
    expect(captured.stderr()).toContain('warning: cannot write audit log');
    expect((JSON.parse(captured.stdout()) as Summary).status).toBe('PASS');
  });
});

describe('parseJsonDocument', () => {
  it('names the token, line, column and source', () => {
    expect(() => parseJsonDocument('foo', 'patch.json')).toThrow(
      "input is not valid JSON: Unexpected token 'o' at line 1 column 2 (patch.json)",
    );
    expect(() => parseJsonDocument('{"a":\n', 'stdin')).toThrow(VerifyInputError);
  });
});

describe('convertHookPayload (Claude Code PreToolUse)', () => {
  it('Write -> files mode with a project-relative path; Edit -> one MODIFY hunk; other tools -> ignore', async () => {
    await using project = await createTempProject({ files: { 'src/a.ts': 'const a = 1;\nconst b = 1;\n' } });
    const root = project.root;
    expect(
      await convertHookPayload({
        payload: { tool_name: 'Write', cwd: root, tool_input: { file_path: join(root, 'src/n.ts'), content: 'x' } },
        projectDir: undefined,
      }),
    ).toEqual({ kind: 'verify', projectRoot: root, input: { files: { 'src/n.ts': 'x' } } });
    expect(
      await convertHookPayload({
        payload: {
          tool_name: 'Edit',
          cwd: root,
          tool_input: { file_path: join(root, 'src/a.ts'), old_string: 'a = 1', new_string: 'a = 2' },
        },
        projectDir: undefined,
      }),
    ).toEqual({
      kind: 'verify',
      projectRoot: root,
      input: {
        hunks: [{ id: 'edit-1', file_path: 'src/a.ts', action: 'MODIFY', anchor_text: 'a = 1', new_text: 'a = 2' }],
      },
    });
    expect(await convertHookPayload({ payload: { tool_name: 'Read', tool_input: {} }, projectDir: undefined })).toEqual(
      { kind: 'ignore' },
    );
  });

  it('replace_all computes the whole post-image; MultiEdit becomes cumulative hunks', async () => {
    await using project = await createTempProject({ files: { 'src/a.ts': 'const a = 1;\nconst b = 1;\n' } });
    const root = project.root;
    const file_path = join(root, 'src/a.ts');
    expect(
      await convertHookPayload({
        payload: {
          tool_name: 'Edit',
          cwd: '/elsewhere',
          tool_input: { file_path, old_string: '= 1', new_string: '= 2', replace_all: true },
        },
        projectDir: root,
      }),
    ).toEqual({ kind: 'verify', projectRoot: root, input: { files: { 'src/a.ts': 'const a = 2;\nconst b = 2;\n' } } });
    const multi = await convertHookPayload({
      payload: {
        tool_name: 'MultiEdit',
        cwd: root,
        tool_input: {
          file_path,
          edits: [
            { old_string: 'a = 1', new_string: 'a = 3' },
            { old_string: 'b = 1', new_string: 'b = 4' },
          ],
        },
      },
      projectDir: undefined,
    });
    expect(multi.kind === 'verify' && 'hunks' in multi.input && multi.input.hunks.map((hunk) => hunk.id)).toEqual([
      'edit-1',
      'edit-2',
    ]);
  });

  it('a path outside the root stays relative with .. so path_safety refuses it', async () => {
    const converted = await convertHookPayload({
      payload: { tool_name: 'Write', cwd: '/work/project', tool_input: { file_path: '/etc/passwd', content: 'x' } },
      projectDir: undefined,
    });
    expect(converted).toEqual({
      kind: 'verify',
      projectRoot: '/work/project',
      input: { files: { '../../etc/passwd': 'x' } },
    });
  });
});

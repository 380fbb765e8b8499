// Prompts (§8.1, §8.2, §8.4): the system prompt per edit format, the first request, the self-correction request and
// the format-repair request. Language-neutral on purpose: the gates, not the prompt, enforce correctness.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { StructuredHunk } from '@kode/gate';
import type { ToolDefinition } from '@kode/providers';
import type { ContextPacket } from './context-packet.js';

export type EditFormat = 'json' | 'search-replace';

const JSON_FORMAT = `Answer with a JSON array of hunks and nothing else. Each hunk is an object:
{"id": "hunk-1", "file_path": "src/file.ts", "action": "MODIFY" | "INSERT" | "DELETE", "target_symbol": "enclosingFunction",
 "anchor_text": "exact existing text", "new_text": "replacement text", "explanation": "why"}
- MODIFY replaces anchor_text with new_text; DELETE removes anchor_text; INSERT adds new_text right after anchor_text,
  or at the end of the file when anchor_text is "" (a missing file is created).`;

const SEARCH_REPLACE_FORMAT = `Answer with SEARCH/REPLACE blocks and nothing else. Each block is preceded by the file path on its own line:
src/file.ts
<<<<<<< SEARCH
exact existing text
=======
replacement text
>>>>>>> REPLACE
- An empty SEARCH section appends the REPLACE text to the file (a missing file is created); an empty REPLACE section deletes the SEARCH text.`;

/** The system prompt (§8.1). */
export function systemPrompt(options: { format: EditFormat; tdd: boolean }): string {
  const rules = [
    'You are the code-editing model of Kode. You only propose edits: Kode verifies every edit (syntax, imports, calls, security) and applies only what passes, then runs the tests.',
    options.format === 'json' ? JSON_FORMAT : SEARCH_REPLACE_FORMAT,
    'Rules:',
    '- file_path is relative to the project root and uses / separators.',
    '- Copy the anchor (SEARCH) text exactly from the context, whitespace included, and make it long enough to be unique in its file.',
    '- Each edit must leave its file syntactically valid on its own.',
    '- Create new files with an empty anchor (INSERT with anchor_text "").',
    '- Never edit .git/, .kode/, CI workflows, git hooks or other protected paths.',
    '- Import only dependencies the project already declares, or declare them in the same patch.',
    ...(options.tdd ? ['- Include or update a test file that follows the project naming for tests.'] : []),
    '- Never write secrets, keys or passwords into code: read configuration from the environment.',
  ];
  return rules.join('\n');
}

/** The `submit_patch` tool (§8.2): where the provider supports tool calling, the JSON format is requested through it. */
export const SUBMIT_PATCH_TOOL: ToolDefinition = {
  name: 'submit_patch',
  description: 'Submit the code changes as an array of hunks.',
  parameters: {
    type: 'object',
    properties: {
      hunks: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            file_path: { type: 'string' },
            action: { type: 'string', enum: ['INSERT', 'DELETE', 'MODIFY'] },
            target_symbol: { type: 'string' },
            anchor_text: { type: 'string' },
            new_text: { type: 'string' },
            explanation: { type: 'string' },
          },
          required: ['file_path', 'action'],
        },
      },
    },
    required: ['hunks'],
  },
};

export interface InstructionFile {
  readonly path: string;
  readonly content: string;
}

/** The `instructions` files that exist (§8.1: missing ones are skipped). */
export async function readInstructions(options: {
  projectRoot: string;
  paths: readonly string[];
}): Promise<InstructionFile[]> {
  const found: InstructionFile[] = [];
  for (const path of options.paths) {
    const absolute = isAbsolute(path) ? path : join(options.projectRoot, path);
    const content = await readFile(absolute, 'utf8').catch(() => undefined);
    if (content !== undefined) found.push({ path, content });
  }
  return found;
}

function closingLine(format: EditFormat): string {
  return format === 'json'
    ? 'Generate the code changes as a JSON array of hunks.'
    : 'Generate the code changes as SEARCH/REPLACE blocks.';
}

function instructionBlocks(instructions: readonly InstructionFile[]): string[] {
  return instructions.map((file) => `## Instructions from ${file.path}\n${file.content.trimEnd()}\n`);
}

/** The first request's user prompt (§8.1). */
export function taskPrompt(options: {
  task: string;
  packet: ContextPacket;
  instructions: readonly InstructionFile[];
  format: EditFormat;
}): string {
  const parts = [...instructionBlocks(options.instructions), `Task: ${options.task}\n`];
  if (options.packet.files.length > 0) parts.push(`Project Context:\n${JSON.stringify(options.packet, null, 2)}\n`);
  parts.push(closingLine(options.format));
  return parts.join('\n');
}

export interface FailingHunk {
  readonly hunk: StructuredHunk;
  readonly reasons: readonly string[];
  /** The file as the frozen hunks leave it (whole file under 200 lines, else 30 lines around the anchor). */
  readonly fileText: string | undefined;
}

const WHOLE_FILE_LINES = 200;
const WINDOW_LINES = 15;

/** §8.4: the whole file if short, else the lines around where the anchor was (or the start). */
export function fileExcerpt(text: string, anchor: string | undefined): string {
  const lines = text.split('\n');
  if (lines.length < WHOLE_FILE_LINES) return text;
  const firstAnchorLine = anchor
    ?.split('\n')
    .find((line) => line.trim() !== '')
    ?.trim();
  let center = 0;
  if (firstAnchorLine !== undefined) {
    const index = lines.findIndex((line) => line.includes(firstAnchorLine));
    if (index >= 0) center = index;
  }
  const start = Math.max(0, center - WINDOW_LINES);
  const end = Math.min(lines.length, center + WINDOW_LINES);
  return `(lines ${start + 1}-${end} of ${lines.length})\n${lines.slice(start, end).join('\n')}`;
}

/** The self-correction request for hunk-level failures (§8.4). */
export function repairPrompt(options: {
  task: string;
  frozen: readonly StructuredHunk[];
  failing: readonly FailingHunk[];
  instructions: readonly InstructionFile[];
  format: EditFormat;
}): string {
  const parts = [...instructionBlocks(options.instructions), `Task: ${options.task}\n`];
  if (options.frozen.length > 0) {
    const list = options.frozen.map((hunk) => `- ${hunk.id} (${hunk.file_path})`).join('\n');
    parts.push(`These hunks passed verification and are frozen; do not change or repeat them:\n${list}\n`);
  }
  parts.push('These hunks failed verification. Send corrected replacements for them (new hunks may use new ids):');
  for (const failing of options.failing) {
    parts.push(`### ${failing.hunk.id}\n${JSON.stringify(failing.hunk, null, 2)}`);
    parts.push(`Failure reasons:\n${failing.reasons.map((reason) => `- ${reason}`).join('\n')}`);
    if (failing.fileText !== undefined) {
      parts.push(
        `Current content of ${failing.hunk.file_path}:\n${fileExcerpt(failing.fileText, failing.hunk.anchor_text)}\n`,
      );
    } else {
      parts.push(`${failing.hunk.file_path} does not exist yet.\n`);
    }
  }
  parts.push(closingLine(options.format));
  return parts.join('\n');
}

/** The self-correction request for a patch-level failure (§8.4): the reason, and a complete new patch. */
export function replanPrompt(options: {
  task: string;
  packet: ContextPacket;
  reasons: readonly string[];
  instructions: readonly InstructionFile[];
  format: EditFormat;
}): string {
  const parts = [...instructionBlocks(options.instructions), `Task: ${options.task}\n`];
  if (options.packet.files.length > 0) parts.push(`Project Context:\n${JSON.stringify(options.packet, null, 2)}\n`);
  parts.push(
    `Your previous patch was rejected as a whole:\n${options.reasons.map((reason) => `- ${reason}`).join('\n')}\n`,
  );
  parts.push(`Send a complete new patch. ${closingLine(options.format)}`);
  return parts.join('\n');
}

/** The format-repair request (§8.2), sent to small_model. */
export function formatRepairPrompt(options: { reply: string; error: string; format: EditFormat }): {
  system: string;
  user: string;
} {
  return {
    system: `You convert a code-editing answer into the required format without changing the edits.\n${
      options.format === 'json' ? JSON_FORMAT : SEARCH_REPLACE_FORMAT
    }`,
    user: `This answer could not be parsed (${options.error}). Send the same edits in the required format.\n\n${options.reply}\n\n${closingLine(options.format)}`,
  };
}

/** After `finish_reason: "length"` (§14): one retry asking for a smaller answer. */
export const SHORTER_REPLY_REQUEST =
  'Your previous answer was cut off at the output limit. Send the same change as fewer, smaller hunks: anchors of a few lines, no unchanged code repeated.';

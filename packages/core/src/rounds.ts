// Rounds of generate → critique → verify with self-correction (§8.3, §8.4). Every round re-verifies the whole merged
// patch from the original pre-images; passing hunks are frozen, failing ones go back to the model with their reasons.
// Nothing here writes: the outcome carries the verified post-images for the apply stage.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KodeConfig } from '@kode/config';
import { hunkIds, PATCH_KEY, verify } from '@kode/gate';
import type { GateEvent, StructuredHunk, VerifyResult } from '@kode/gate';
import type { ContextPacket } from './context-packet.js';
import { critiquePatch, critiqueReason } from './critique/critique.js';
import type { CritiqueFile, CritiqueFinding } from './critique/critique.js';
import type { AskContext } from './model-call.js';
import { askForPatch } from './model-call.js';
import type { FailingHunk, InstructionFile } from './prompt.js';
import { repairPrompt, replanPrompt, systemPrompt, taskPrompt } from './prompt.js';

export interface RoundsOptions {
  readonly projectRoot: string;
  readonly task: string;
  readonly config: KodeConfig;
  readonly packet: ContextPacket;
  readonly instructions: readonly InstructionFile[];
  readonly ask: AskContext;
  readonly maxRounds: number;
  readonly tdd: boolean;
  readonly blockArchitecture: boolean;
  readonly harnessApproved: boolean;
  readonly knownSecrets: readonly string[];
  readonly auditLogFile: string | undefined;
  readonly runId: string;
  readonly signal: AbortSignal | undefined;
  readonly emit: (type: string, fields: Record<string, unknown>) => void;
}

export interface RoundsOutcome {
  readonly status: 'PASS' | 'FAIL';
  readonly rounds: number;
  /** The final round's patch, ids as verify() assigned them. */
  readonly hunks: readonly StructuredHunk[];
  /** The final round's verification; undefined when no round produced a patch. */
  readonly result: VerifyResult | undefined;
  readonly passed: readonly string[];
  readonly failed: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
  /** Why the rounds ended FAIL early (no usable replacement), if they did. */
  readonly endReason?: string;
}

async function readText(projectRoot: string, path: string): Promise<string | null> {
  try {
    return await readFile(join(projectRoot, path), 'utf8');
  } catch {
    return null;
  }
}

const decoder = new TextDecoder();

async function critique(options: RoundsOptions, hunks: readonly StructuredHunk[], result: VerifyResult) {
  const files: CritiqueFile[] = [];
  for (const change of result.changes) {
    files.push({
      path: change.path,
      before: await readText(options.projectRoot, change.path),
      after: change.content === null ? null : decoder.decode(change.content),
      hunk_ids: hunks.filter((hunk) => hunk.file_path === change.path).map((hunk) => hunk.id),
    });
  }
  const contextFiles = new Set(options.packet.files.map((file) => file.path));
  return critiquePatch({
    projectRoot: options.projectRoot,
    files,
    ...(options.packet.files.length > 0 ? { contextFiles } : {}),
    harnessApproved: options.harnessApproved,
  });
}

function applyFindings(options: {
  findings: readonly CritiqueFinding[];
  passed: string[];
  failed: Record<string, string>;
  warnings: string[];
}): void {
  for (const finding of options.findings) {
    const reason = critiqueReason(finding);
    if (finding.severity !== 'error') {
      options.warnings.push(reason);
      continue;
    }
    if (finding.hunk_ids.length === 0) options.failed[PATCH_KEY] ??= reason;
    for (const id of finding.hunk_ids) options.failed[id] ??= reason;
  }
  const rejected = new Set(Object.keys(options.failed));
  options.passed.splice(0, options.passed.length, ...options.passed.filter((id) => !rejected.has(id)));
}

function withIds(hunks: readonly StructuredHunk[]): StructuredHunk[] {
  const ids = hunkIds(hunks);
  return hunks.map((hunk, index) => ({ ...hunk, id: ids[index] ?? hunk.id }));
}

async function failingHunks(options: {
  projectRoot: string;
  hunks: readonly StructuredHunk[];
  failed: Readonly<Record<string, string>>;
  result: VerifyResult | undefined;
}): Promise<FailingHunk[]> {
  const failing: FailingHunk[] = [];
  for (const hunk of options.hunks) {
    const reason = options.failed[hunk.id];
    if (reason === undefined) continue;
    const change = options.result?.changes.find((candidate) => candidate.path === hunk.file_path);
    const fileText =
      change?.content != null
        ? decoder.decode(change.content)
        : ((await readText(options.projectRoot, String(hunk.file_path))) ?? undefined);
    failing.push({ hunk, reasons: [reason], fileText });
  }
  return failing;
}

export async function runRounds(options: RoundsOptions): Promise<RoundsOutcome> {
  const format = options.ask.format;
  const system = systemPrompt({ format, tdd: options.tdd });
  let prompt = taskPrompt({ task: options.task, packet: options.packet, instructions: options.instructions, format });
  let frozen: StructuredHunk[] | undefined;
  let last: RoundsOutcome | undefined;
  for (let round = 1; round <= options.maxRounds; round += 1) {
    const reply = await askForPatch({ context: options.ask, round, system, prompt });
    let hunks: StructuredHunk[] = [];
    let result: VerifyResult | undefined;
    const passed: string[] = [];
    const failed: Record<string, string> = {};
    const warnings: string[] = [...(reply.ok ? reply.warnings.map((warning) => `schema: ${warning}`) : [])];
    if (!reply.ok) {
      failed[PATCH_KEY] = `schema: Model reply is not a valid patch (${reply.error})`;
    } else if (frozen !== undefined) {
      const frozenIds = new Set(frozen.map((hunk) => hunk.id));
      const replacements = reply.hunks.filter((hunk) => typeof hunk.id !== 'string' || !frozenIds.has(hunk.id));
      if (replacements.length === 0) {
        const count = Object.keys(last?.failed ?? {}).length;
        return {
          ...(last ?? emptyOutcome(round)),
          status: 'FAIL',
          rounds: round,
          endReason: `self-correction produced no valid replacements for ${count} failed hunks`,
        };
      }
      hunks = withIds([...frozen, ...replacements]);
    } else {
      hunks = withIds(reply.hunks);
      if (hunks.length === 0) failed[PATCH_KEY] = 'schema: Model reply contains no hunks';
    }
    if (hunks.length > 0) {
      result = await verify(
        { hunks },
        {
          projectRoot: options.projectRoot,
          config: options.config,
          tdd: options.tdd,
          blockArchitecture: options.blockArchitecture,
          origin: 'model',
          knownSecrets: options.knownSecrets,
          runId: options.runId,
          ...(options.auditLogFile === undefined ? {} : { auditLogFile: options.auditLogFile }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onEvent: (event: GateEvent) => {
            const { type, ...fields } = event;
            options.emit(type, fields);
          },
        },
      );
      passed.push(...result.passed);
      Object.assign(failed, result.failed);
      warnings.push(...result.warnings);
      if (options.config.engine.critique === 'rules' && result.changes.length > 0) {
        const findings = await critique(options, hunks, result);
        options.emit('critique-end', {
          findings: findings.map((finding) => ({
            lens: finding.lens,
            severity: finding.severity,
            message: finding.message,
          })),
        });
        applyFindings({ findings, passed, failed, warnings });
      }
    }
    options.emit('round-end', { round, passed: passed.length, failed: Object.keys(failed).length });
    const status = Object.keys(failed).length === 0 ? 'PASS' : 'FAIL';
    last = { status, rounds: round, hunks, result, passed, failed, warnings };
    if (status === 'PASS' || round === options.maxRounds) return last;
    if (PATCH_KEY in failed || hunks.length === 0) {
      frozen = undefined;
      prompt = replanPrompt({
        task: options.task,
        packet: options.packet,
        reasons: [...new Set(Object.values(failed))],
        instructions: options.instructions,
        format,
      });
    } else {
      frozen = hunks.filter((hunk) => passed.includes(hunk.id));
      prompt = repairPrompt({
        task: options.task,
        frozen,
        failing: await failingHunks({ projectRoot: options.projectRoot, hunks, failed, result }),
        instructions: options.instructions,
        format,
      });
    }
  }
  return last ?? emptyOutcome(0);
}

function emptyOutcome(rounds: number): RoundsOutcome {
  return { status: 'FAIL', rounds, hunks: [], result: undefined, passed: [], failed: {}, warnings: [] };
}

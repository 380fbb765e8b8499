// Text progress for generate/run/loop (§3.0 style, §3.3-§3.5 sections), rendered from the engine's events so the
// CLI, `--progress jsonl` and SDK callbacks all see one stream. JSONL mode writes each event as one line instead.
import { basename } from 'node:path';
import type { KodeEvent } from '@kode/core';
import type { CommandContext } from '../context.js';

function seconds(milliseconds: unknown): string {
  return `${(Number(milliseconds) / 1000).toFixed(1)}s`;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function modelName(event: KodeEvent): string {
  const model = String(event.model);
  // Replay ids are absolute paths of recordings: the file name says which.
  return event.provider === 'replay' ? `replay/${basename(model)}` : `${String(event.provider)}/${model}`;
}

export function createProgressRenderer(options: {
  context: CommandContext;
  baseURL: string | undefined;
}): (event: KodeEvent) => void {
  const { context } = options;
  const { output } = context;
  if (context.globals.progress === 'jsonl') {
    return (event) => context.io.stderr.write(`${JSON.stringify(event)}\n`);
  }
  const host = hostOf(options.baseURL);
  let generatingShown = false;
  let verifyingRound = 0;
  let round = 0;
  return (event) => {
    switch (event.type) {
      case 'recovery-end': {
        const files = Array.isArray(event.files) ? event.files.length : 0;
        output.notice(`recovered interrupted run ${String(event.recovered_run_id)}: restored ${files} file(s)`);
        break;
      }
      case 'context-end':
        if (event.entry_files === true) output.notice('no file or symbol matches the task; using entry files');
        break;
      case 'llm-request-start':
        if (!generatingShown) output.header('Generating patches');
        generatingShown = true;
        round = Number(event.round);
        output.step(
          `${round > 1 ? `Round ${round}: sending` : 'Sending'} to ${modelName(event)}${host === undefined ? '' : ` (${host})`}...`,
        );
        break;
      case 'llm-request-retry':
        output.notice(
          `retrying in ${seconds(event.delay_ms)} (${String(event.status)}, attempt ${String(event.attempt)})`,
        );
        break;
      case 'llm-request-end': {
        const cost = Number(event.cost_usd);
        output.success(
          `Model responded (${seconds(event.duration_ms)}, ${String(event.input_tokens)} in / ${String(event.output_tokens)} out, $${cost.toFixed(4)})`,
        );
        break;
      }
      case 'gate-start':
        if (verifyingRound !== round) output.header('Verifying patches');
        verifyingRound = round;
        break;
      case 'gate-end':
        if (event.status === 'FAIL') {
          const where = typeof event.file === 'string' ? ` [${event.file}]` : '';
          output.failure(`${String(event.check_name)}: ${String(event.message)}${where}`);
        }
        break;
      case 'critique-end':
        for (const finding of Array.isArray(event.findings) ? (event.findings as Record<string, unknown>[]) : []) {
          const line = `critique: ${String(finding.lens)}: ${String(finding.message)}`;
          if (finding.severity === 'error') output.failure(line);
          else output.notice(line);
        }
        break;
      case 'round-end':
        if (Number(event.failed) === 0)
          output.success(`Round ${String(event.round)}: ${String(event.passed)} hunk(s) passed`);
        else
          output.failure(
            `Round ${String(event.round)}: ${String(event.passed)} passed, ${String(event.failed)} failed`,
          );
        break;
      case 'apply-start':
        output.header('Applying');
        break;
      case 'apply-end':
        if (event.ok === true) output.success(`Wrote ${Array.isArray(event.files) ? event.files.length : 0} file(s)`);
        break;
      case 'test-start':
        output.header('Running tests');
        output.step(`Command: ${String(event.command)}`);
        break;
      case 'test-end':
        if (event.exit_code === 0) output.success(`Tests passed (${seconds(event.duration_ms)})`);
        else if (event.timed_out === true) output.failure(`Tests timed out (${seconds(event.duration_ms)})`);
        else
          output.failure(
            `Tests failed (exit ${String(event.exit_code ?? event.signal)}, ${seconds(event.duration_ms)})`,
          );
        break;
      case 'rollback-end': {
        const files = Array.isArray(event.files) ? event.files.length : 0;
        output.success(`Rolled back ${files} file(s)`);
        for (const conflict of Array.isArray(event.conflicts) ? (event.conflicts as Record<string, unknown>[]) : []) {
          output.notice(
            `${String(conflict.path)} was edited during the run: kept your version as ${String(conflict.saved_as)}`,
          );
        }
        break;
      }
      default:
        break;
    }
  };
}

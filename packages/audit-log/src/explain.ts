// explainCheck: the Markdown of `kode explain <check>` (SPEC §3.8, §6.6).
import { CHECK_EXPLANATIONS, CHECK_NAMES } from './check-explanations.js';
import type { ExplainableCheck } from './check-explanations.js';
import { AuditLogError, UnknownCheckError } from './errors.js';
import { isBlankLine, readLineBatches } from './line-reader.js';
import { reasonType } from './stats.js';

export interface ExplainCheckOptions {
  /** Check name, case-insensitive: one of CHECK_NAMES. */
  check: string;
  /** Log to take recent examples from; a missing or unreadable log just omits them. */
  logFile?: string;
  /** Markdown inserted before the examples (e.g. the `## Rules` table for `security`). */
  extraSections?: string;
}

export const EXPLAIN_EXAMPLE_LIMIT = 5;

interface Example {
  readonly key: string;
  readonly timestamp: string;
  readonly reason: string;
}

function isExplainableCheck(name: string): name is ExplainableCheck {
  return (CHECK_NAMES as readonly string[]).includes(name);
}

/** The last EXPLAIN_EXAMPLE_LIMIT reasons of type `check` from non-PASS entries, most recent first. */
async function recentExamples(logFile: string, check: ExplainableCheck): Promise<Example[]> {
  const ring: Example[] = [];
  let next = 0;
  try {
    for await (const batch of readLineBatches(logFile)) {
      for (const text of batch.lines) {
        // A reason of this type contains the check name literally (JSON.stringify never escapes ASCII letters),
        // so most lines are skipped without being parsed.
        if (isBlankLine(text) || !text.includes(check)) continue;
        let entry: { status?: unknown; failures?: unknown; timestamp?: unknown } | null;
        try {
          entry = JSON.parse(text) as typeof entry;
        } catch {
          continue;
        }
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
        if (typeof entry.status !== 'string' || entry.status.toUpperCase() === 'PASS') continue;
        const failures = entry.failures;
        if (typeof failures !== 'object' || failures === null || Array.isArray(failures)) continue;
        for (const [key, reason] of Object.entries(failures as Record<string, unknown>)) {
          if (typeof reason !== 'string' || reasonType(reason) !== check) continue;
          const example = {
            key,
            timestamp: typeof entry.timestamp === 'string' ? entry.timestamp : 'unknown time',
            reason,
          };
          if (ring.length < EXPLAIN_EXAMPLE_LIMIT) ring.push(example);
          else ring[next] = example;
          next = (next + 1) % EXPLAIN_EXAMPLE_LIMIT;
        }
      }
    }
  } catch (error) {
    // `kode explain` works without a log (SPEC §3.8): the examples are simply left out.
    if (AuditLogError.isInstance(error)) return [];
    throw error;
  }
  const inFileOrder = ring.length < EXPLAIN_EXAMPLE_LIMIT ? ring : [...ring.slice(next), ...ring.slice(0, next)];
  return inFileOrder.reverse();
}

/**
 * Markdown about one check: title, description, common causes, how to fix, `extraSections`, and up to five recent
 * examples from the log. Throws UnknownCheckError for a name that is not in CHECK_NAMES.
 */
export async function explainCheck(options: ExplainCheckOptions): Promise<string> {
  const check = options.check.toLowerCase();
  if (!isExplainableCheck(check)) throw new UnknownCheckError({ check: options.check, available: CHECK_NAMES });
  const explanation = CHECK_EXPLANATIONS[check] as (typeof CHECK_EXPLANATIONS)[string];
  const blocks = [
    `# ${explanation.title}`,
    `**${explanation.description}**`,
    '## Common Causes',
    explanation.causes.map((cause) => `- ${cause}`).join('\n'),
    '## How to Fix',
    explanation.fixes.map((fix) => `- ${fix}`).join('\n'),
  ];
  const extra = options.extraSections?.trim();
  if (extra) blocks.push(extra);
  const examples = options.logFile === undefined ? [] : await recentExamples(options.logFile, check);
  if (examples.length > 0) {
    blocks.push(
      '## Recent Examples from Audit Log',
      examples.map((example) => `- \`${example.key}\` at ${example.timestamp}: ${example.reason}`).join('\n'),
    );
  }
  return `${blocks.join('\n\n')}\n`;
}

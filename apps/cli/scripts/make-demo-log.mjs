#!/usr/bin/env node
// Regenerates examples/demo/logs/kode.log: a small, valid, hash-chained audit log that the README's
// quickstart summarises with `kode stats` and checks with `kode audit verify`. Run after `pnpm build`: node apps/cli/scripts/make-demo-log.mjs
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendAuditEntry } from '@kode/audit-log';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const logDir = join(root, 'examples', 'demo', 'logs');
rmSync(join(logDir, 'kode.log'), { force: true });

const models = ['anthropic/claude-sonnet-4-6', 'openai/gpt-4o', 'ollama/qwen2.5-coder:14b'];
const failures = [
  [
    'src/billing/charge.ts',
    "imports: Import validation failed: unresolvable or hallucinated dependencies detected (src/billing/charge.ts:3:24 'stripe-sdk' is not installed and not declared in package.json)",
  ],
  [
    'src/user/handler.ts',
    "syntax: Syntax error: the proposed file does not parse (src/user/handler.ts:14:3 '}' expected)",
  ],
  [
    'src/math.js',
    'diff_applier: Anchor text not found after cumulative changes (src/math.js: closest line 2 "  return a + b;" is 71% similar)',
  ],
  ['<patch>', 'tests: The test command failed (npm test exited with 1)'],
  ['src/billing/charge.ts', 'calls: Missing symbol: chargeCard is not exported by src/billing/card.ts'],
];
const start = Date.UTC(2026, 10, 12, 9, 0, 0);
for (let index = 0; index < 40; index += 1) {
  const failed = index % 3 === 1 || index % 7 === 0;
  const failure = failures[index % failures.length];
  const command = index % 4 === 0 ? 'loop' : 'verify';
  await appendAuditEntry({
    logDir,
    durable: false,
    entry: {
      timestamp: new Date(start + index * 7 * 3_600_000).toISOString(),
      run_id: `01KDEMO${String(index).padStart(19, '0')}`,
      command,
      task_id: command === 'verify' ? 'verify' : `task-${(0x41c7e9d0 + index).toString(16)}`,
      ...(command === 'loop' ? { task: 'add multiply() to src/math.js with a test' } : {}),
      status: failed ? 'FAIL' : 'PASS',
      ...(failed ? { failures: { [failure[0]]: failure[1] } } : { files: ['src/math.js', 'test/math.test.js'] }),
      rounds_used: 1 + (index % 2),
      duration_ms: 40 + ((index * 37) % 300),
      ...(command === 'loop' ? { model: models[index % models.length] } : {}),
      cost_usd: command === 'loop' ? 0.0123 * (1 + (index % 3)) : 0,
      tokens: command === 'loop' ? { input: 3120, output: 412 } : { input: 0, output: 0 },
    },
  });
}
console.error(`✓ wrote ${join(logDir, 'kode.log')}`);

// Generates a realistic audit log (spec §6.4 shapes) of N entries, cached under bench/.corpus/.
// Deterministic: a seeded PRNG, so every machine benchmarks the same bytes.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORPUS_DIR } from './lib.js';

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = [
  'anthropic/claude-sonnet-4-6',
  'openai/gpt-4o',
  'ollama/qwen2.5-coder:14b',
  'deepseek/deepseek-chat',
  '',
];
const FILES = Array.from({ length: 400 }, (_, index) => `src/module-${index % 40}/file-${index}.ts`);
const CHECKS = ['imports', 'syntax', 'diff_applier', 'calls', 'tests', 'security', 'blast_radius', 'tdd'];
const MESSAGES: Record<string, string> = {
  imports:
    "Import validation failed: unresolvable or hallucinated dependencies detected ('stripe-sdk' is not installed)",
  syntax: 'Syntax error: the file does not parse (12:7 expected ";")',
  diff_applier: 'Anchor text not found after cumulative changes (closest line 2 is 71% similar)',
  calls: 'Missing symbol: createUser is not exported by src/user/repo.ts',
  tests: 'The test command failed (exit code 1)',
  security: 'high js/shell-exec at src/run.ts:4 — pass arguments as an array',
  blast_radius: 'The patch affects 7 files (limit 3)',
  tdd: 'Production code changed without a test file in the patch',
};

export function corpusPath(entries: number): string {
  return join(CORPUS_DIR, `audit-${entries}`, 'kode.log');
}

export function ensureAuditCorpus(entries: number): string {
  const path = corpusPath(entries);
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const random = prng(entries);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const start = Date.UTC(2026, 8, 1);
  const temporary = `${path}.tmp`;
  const descriptor = openSync(temporary, 'w');
  let previous = '0'.repeat(64);
  let buffer: string[] = [];
  for (let seq = 1; seq <= entries; seq += 1) {
    const passed = random() < 0.74;
    const status = passed ? 'PASS' : random() < 0.9 ? 'FAIL' : 'ERROR';
    const command = pick(['verify', 'verify', 'loop', 'run', 'mcp:kode_verify']);
    const file = pick(FILES);
    const entry: Record<string, unknown> = {
      v: 1,
      seq,
      timestamp: new Date(start + Math.floor((seq / entries) * 80 * 86_400_000)).toISOString(),
      run_id: `01K0${seq.toString(36).toUpperCase().padStart(22, '0')}`,
      command,
      task_id: command === 'verify' ? 'verify' : `task-${(seq % 997).toString(16).padStart(8, '0')}`,
      status,
      files: [file],
      rounds_used: 1 + Math.floor(random() * 3),
      duration_ms: Math.floor(20 + random() * 400),
      model: pick(MODELS),
      cost_usd: Math.round(random() * 4000) / 1e6,
      tokens: { input: Math.floor(random() * 8000), output: Math.floor(random() * 1200) },
    };
    if (status === 'FAIL') {
      const check = pick(CHECKS);
      entry.failures = {
        [check === 'tests' || check === 'blast_radius' ? '<patch>' : file]: `${check}: ${MESSAGES[check]}`,
      };
    }
    entry.gates = [
      { check_name: 'syntax', status: 'PASS', file },
      { check_name: 'imports', status: passed ? 'PASS' : 'FAIL', file },
    ];
    entry.prev_hash = previous;
    const body = JSON.stringify(entry);
    previous = createHash('sha256').update(body).digest('hex');
    buffer.push(`${body.slice(0, -1)},"hash":"${previous}"}\n`);
    if (buffer.length === 10_000) {
      writeSync(descriptor, buffer.join(''));
      buffer = [];
    }
  }
  writeSync(descriptor, buffer.join(''));
  closeSync(descriptor);
  renameSync(temporary, path);
  return path;
}

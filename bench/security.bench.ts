// The security gate's cost (issue 7):
// (a) what the security gate adds to a warm in-process verify() of a one-hunk patch, per language, on the same 60-file
//     projects as bench/verify.bench.ts: the gate's own time (its `duration_ms` in the verdict) against the whole
//     verify() call, same run. Goal: under 20 ms median.
// (b) pathological inputs verified as new files: a 1 MB single-line minified file and a 100k-character repeated string
//     per language. Goal: every gate finishes within 2 s, or fails closed (`scan-timeout`, `Syntax check did not
//     finish`): never a hang, never a silent pass of an unscanned file.
// Run: `pnpm bench security` (or `pnpm exec tsx bench/security.bench.ts` after building @kode/gate).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '../packages/gate/dist/index.js';
import type { GateResult } from '../packages/gate/dist/index.js';
import { formatMs, markdownTable, median } from './lib.js';
import { copyProject, ensureVerifyCorpus } from './verify-corpus.js';
import type { BenchLanguage } from './verify-corpus.js';

const ITERATIONS = Number(process.env.BENCH_RUNS_SECURITY ?? 30);
const WARMUP = 5;
const LANGUAGES: readonly BenchLanguage[] = ['typescript', 'python', 'rust', 'go'];

function securityMs(results: readonly GateResult[]): number {
  return results
    .filter((result) => result.check_name === 'security')
    .reduce((sum, result) => sum + result.duration_ms, 0);
}

async function overheadRow(scratch: string, language: BenchLanguage): Promise<string[]> {
  const project = ensureVerifyCorpus(language, 60);
  const root = copyProject(project, join(scratch, `${language}-60`));
  const original = readFileSync(join(root, project.target), 'utf8');
  const totals: number[] = [];
  const gate: number[] = [];
  for (let iteration = 1; iteration <= WARMUP + ITERATIONS; iteration += 1) {
    const started = performance.now();
    const result = await verify(
      {
        hunks: [
          {
            id: 'h1',
            file_path: project.target,
            action: 'MODIFY',
            anchor_text: project.anchor,
            new_text: project.replacement(iteration),
          },
        ],
      },
      { projectRoot: root },
    );
    const total = performance.now() - started;
    const security = result.verdict.results.find((entry) => entry.check_name === 'security');
    if (security?.status !== 'PASS')
      throw new Error(`security is not clean on ${project.target}: ${JSON.stringify(security)}`);
    if (iteration <= WARMUP) continue;
    totals.push(total);
    gate.push(securityMs(result.verdict.results));
  }
  const gateMedian = median(gate);
  return [
    `${language}, 60-file project (${original.split('\n').length}-line file)`,
    formatMs(median(totals)),
    formatMs(gateMedian),
    `${((gateMedian / median(totals)) * 100).toFixed(0)}%`,
    `< 20 ms ${gateMedian < 20 ? '✓' : '✗'}`,
  ];
}

const EXTENSIONS: Readonly<Record<BenchLanguage, string>> = { typescript: 'js', python: 'py', rust: 'rs', go: 'go' };

/** ~1 MB of valid code on one line, in the language's own minified shape. */
function minified(language: BenchLanguage): string {
  const parts: string[] = [];
  let size = 0;
  for (let index = 0; size < 1_048_576; index += 1) {
    const part =
      language === 'typescript'
        ? `var a${index}=function(b,c){return b+c*${index}||"s${index}"};`
        : language === 'python'
          ? `a${index} = (lambda b, c: b + c * ${index}); `
          : language === 'rust'
            ? `fn a${index}(b: u32, c: u32) -> u32 { b + c * ${index} } `
            : `func a${index}(b, c int) int { return b + c*${index} }; `;
    parts.push(part);
    size += part.length;
  }
  const body = parts.join('');
  return language === 'go' ? `package p; ${body}` : body;
}

function repeated(language: BenchLanguage): string {
  const value = 'a'.repeat(100_000);
  return language === 'typescript'
    ? `const s = "${value}";\n`
    : language === 'python'
      ? `s = "${value}"\n`
      : language === 'rust'
        ? `const S: &str = "${value}";\n`
        : `package p\n\nconst s = "${value}"\n`;
}

async function pathologicalRow(
  scratch: string,
  language: BenchLanguage,
  kind: string,
  text: string,
): Promise<string[]> {
  const root = mkdtempSync(join(scratch, `${language}-pathological-`));
  writeFileSync(join(root, 'package.json'), '{"name":"p","private":true}\n');
  const path = `big.${EXTENSIONS[language]}`;
  const started = performance.now();
  const result = await verify({ files: { [path]: text } }, { projectRoot: root });
  const total = performance.now() - started;
  const byGate = (name: string) => result.verdict.results.find((entry) => entry.check_name === name);
  const describe = (entry: GateResult | undefined) =>
    entry === undefined ? 'not run' : `${entry.status} ${formatMs(entry.duration_ms)} ms`;
  const syntax = byGate('syntax');
  const security = byGate('security');
  const failedClosed = [syntax, security].some(
    (entry) => entry?.status === 'FAIL' && /did not finish|scan-timeout/.test(entry.message),
  );
  const withinBudget = result.verdict.results.every((entry) => entry.duration_ms <= 2000);
  const slowestOther = result.verdict.results
    .filter((entry) => entry.check_name !== 'syntax' && entry.check_name !== 'security')
    .reduce<GateResult | undefined>(
      (slowest, entry) => (slowest === undefined || entry.duration_ms > slowest.duration_ms ? entry : slowest),
      undefined,
    );
  return [
    `${language}, ${kind} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)`,
    describe(syntax),
    describe(security),
    slowestOther === undefined ? '-' : `${slowestOther.check_name} ${describe(slowestOther)}`,
    formatMs(total),
    withinBudget || failedClosed ? (failedClosed ? 'failed closed ✓' : '≤ 2 s ✓') : '✗',
  ];
}

const scratch = mkdtempSync(join(tmpdir(), 'kode-bench-security-'));
try {
  const overhead: string[][] = [];
  for (const language of LANGUAGES) overhead.push(await overheadRow(scratch, language));
  console.log(`### Security gate cost in warm in-process verify(), one-hunk patch (${ITERATIONS} runs)\n`);
  console.log(markdownTable(['project', 'verify() median ms', 'security median ms', 'share', 'goal'], overhead), '\n');
  const pathological: string[][] = [];
  for (const language of LANGUAGES) {
    pathological.push(await pathologicalRow(scratch, language, '1 MB single line', minified(language)));
    pathological.push(await pathologicalRow(scratch, language, '100k repeated characters', repeated(language)));
  }
  console.log('### Pathological files verified as new files (every gate within 2 s, or fail closed)\n');
  console.log(
    markdownTable(['input', 'syntax', 'security', 'slowest other gate', 'verify() total ms', 'goal'], pathological),
    '\n',
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// The `test-tampering` lens (SPEC §8.3): a patch must not make tests pass by removing or silencing them. Counting is
// lexical (comments and string contents removed), per language family, and balanced across the patch so that moving
// tests between files or renaming a test file is not blamed.
import { codeOnly, sourceFamily } from './source-text.js';
import type { SourceFamily } from './source-text.js';
import type { CritiqueFile, CritiqueFinding } from './types.js';

interface Patterns {
  readonly cases: RegExp;
  readonly assertions: RegExp;
  /** Skip and focus markers; the matched text (whitespace and `(` removed) names the marker in messages. */
  readonly markers: RegExp;
}

const PATTERNS: Readonly<Record<SourceFamily, Patterns>> = {
  javascript: {
    cases: /(?<![\w$.])[xf]?(?:it|test|describe|suite)(?:\.\w+)*\s*\(/gu,
    assertions: /(?<![\w$.])(?:expect(?:\.soft|\.poll)?|expectTypeOf|assert(?:\.\w+)?)\s*\(/gu,
    markers:
      /(?<![\w$.])(?:(?:it|test|describe|suite)(?:\.\w+)*\.(?:skip|only)(?:If)?\b|(?:x(?:it|test|describe)|f(?:it|describe))\s*\()/gu,
  },
  python: {
    cases: /^[ \t]*(?:async[ \t]+)?def[ \t]+test\w*[ \t]*\(/gmu,
    assertions: /(?<![\w.])assert\b|\.assert\w*\s*\(|\bpytest\.(?:raises|warns)\s*\(/gu,
    markers: /@pytest\.mark\.skip(?:if)?\b|\bpytest\.skip\s*\(|@unittest\.skip(?:If|Unless)?\b|\.skipTest\s*\(/gu,
  },
  rust: {
    cases: /#\[(?:\w+::)*test\b/gu,
    assertions: /(?<!\w)(?:debug_)?assert\w*!/gu,
    markers: /#\[ignore\b/gu,
  },
  go: {
    cases: /^func[ \t]+(?:\([^)]*\)[ \t]*)?(?:Test|Benchmark|Fuzz|Example)\w*[ \t]*\(/gmu,
    assertions: /\b(?:t|b|f|tb)\.(?:Errorf?|Fatalf?|Fail(?:Now)?)\s*\(|\b(?:assert|require)\.\w+\s*\(/gu,
    markers: /\b(?:t|b|f|tb)\.Skip(?:f|Now)?\s*\(/gu,
  },
};

interface TestCounts {
  readonly cases: number;
  readonly assertions: number;
  readonly markers: ReadonlyMap<string, number>;
}

const NO_TESTS: TestCounts = { cases: 0, assertions: 0, markers: new Map() };

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A name only test files have; deleting such a file is tampering even if we cannot count what it held. */
function hasTestFileName(path: string): boolean {
  const name = baseName(path);
  return /\.(?:test|spec)\.[^./]+$/u.test(name) || /^test_.*\.py$/u.test(name) || /_test\.(?:py|go)$/u.test(name);
}

function inTestDirectory(path: string): boolean {
  return path
    .split('/')
    .slice(0, -1)
    .some((directory) => directory === '__tests__' || directory === 'test' || directory === 'tests');
}

const RUST_TEST_MODULE = /#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{/gu;

/**
 * The `#[cfg(test)] mod … { … }` bodies of a Rust file (text already stripped of comments and strings, so plain brace
 * counting is exact). @kode/gate's tdd gate has the same idea (`rustTestModuleSpans`) on raw text.
 */
function rustTestModules(code: string): string[] {
  const bodies: string[] = [];
  for (const match of code.matchAll(RUST_TEST_MODULE)) {
    const open = match.index + match[0].length - 1;
    let depth = 0;
    for (let index = open; index < code.length; index += 1) {
      if (code[index] === '{') depth += 1;
      else if (code[index] === '}' && --depth === 0) {
        bodies.push(code.slice(open, index + 1));
        break;
      }
    }
  }
  return bodies;
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

function countTests(options: { text: string | null; family: SourceFamily; wholeFileIsTest: boolean }): TestCounts {
  if (options.text === null) return NO_TESTS;
  const code = codeOnly(options.text, options.family);
  const patterns = PATTERNS[options.family];
  // In a Rust source file only the test modules are test code: an `assert!` in production code is not a test.
  const assertionCode = options.wholeFileIsTest ? code : rustTestModules(code).join('\n');
  const markers = new Map<string, number>();
  for (const match of code.matchAll(patterns.markers)) {
    const text = match[0].replace(/[\s(]/gu, '');
    const marker = text.startsWith('#[') ? `${text}]` : text;
    markers.set(marker, (markers.get(marker) ?? 0) + 1);
  }
  return { cases: count(code, patterns.cases), assertions: count(assertionCode, patterns.assertions), markers };
}

interface CountedFile {
  readonly file: CritiqueFile;
  readonly family: SourceFamily;
  readonly before: TestCounts;
  readonly after: TestCounts;
}

function countedTestFile(file: CritiqueFile): CountedFile | undefined {
  const family = sourceFamily(file.path);
  if (family === undefined) return undefined;
  const byPath = hasTestFileName(file.path) || inTestDirectory(file.path);
  const hasRustTests =
    family === 'rust' &&
    [file.before, file.after].some((text) => text !== null && codeOnly(text, 'rust').includes('#[cfg(test)]'));
  if (!byPath && !hasRustTests) return undefined;
  const wholeFileIsTest = byPath;
  return {
    file,
    family,
    before: countTests({ text: file.before, family, wholeFileIsTest }),
    after: countTests({ text: file.after, family, wholeFileIsTest }),
  };
}

interface Totals {
  cases: number;
  assertions: number;
  readonly markers: Map<string, number>;
}

function familyTotals(files: readonly CountedFile[], side: 'before' | 'after'): Map<SourceFamily, Totals> {
  const totals = new Map<SourceFamily, Totals>();
  for (const counted of files) {
    const total = totals.get(counted.family) ?? { cases: 0, assertions: 0, markers: new Map<string, number>() };
    const counts = counted[side];
    total.cases += counts.cases;
    total.assertions += counts.assertions;
    for (const [marker, occurrences] of counts.markers)
      total.markers.set(marker, (total.markers.get(marker) ?? 0) + occurrences);
    totals.set(counted.family, total);
  }
  return totals;
}

function plural(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`;
}

export function critiqueTestTampering(files: readonly CritiqueFile[]): CritiqueFinding[] {
  const counted = files.flatMap((file) => countedTestFile(file) ?? []);
  const before = familyTotals(counted, 'before');
  const after = familyTotals(counted, 'after');
  const findings: CritiqueFinding[] = [];
  const finding = (file: CritiqueFile, message: string): CritiqueFinding => ({
    lens: 'test-tampering',
    severity: 'error',
    message,
    file: file.path,
    hunk_ids: file.hunk_ids,
  });
  for (const entry of counted) {
    const total = { before: before.get(entry.family), after: after.get(entry.family) };
    // A loss in one file is "replaced" when the patch's other test files of the same language make up for it.
    const casesLost = (total.after?.cases ?? 0) < (total.before?.cases ?? 0);
    const assertionsLost = (total.after?.assertions ?? 0) < (total.before?.assertions ?? 0);
    const { path } = entry.file;
    // An existing file emptied by the patch is deleted on apply (SPEC §2.1).
    if (entry.file.before !== null && (entry.file.after === null || entry.file.after === '')) {
      const held = entry.before.cases + entry.before.assertions;
      if ((held === 0 && hasTestFileName(path)) || (held > 0 && (casesLost || assertionsLost))) {
        const contents = `${plural(entry.before.cases, 'test case')}, ${plural(entry.before.assertions, 'assertion')}`;
        findings.push(finding(entry.file, `deletes test file ${path} (${contents}) without replacement`));
      }
      continue;
    }
    const removed: string[] = [];
    if (casesLost && entry.after.cases < entry.before.cases)
      removed.push(`test cases (${entry.before.cases} -> ${entry.after.cases})`);
    if (assertionsLost && entry.after.assertions < entry.before.assertions)
      removed.push(`assertions (${entry.before.assertions} -> ${entry.after.assertions})`);
    if (removed.length > 0)
      findings.push(finding(entry.file, `removes ${removed.join(' and ')} from ${path} without replacement`));
    const added = [...entry.after.markers].filter(
      ([marker, occurrences]) =>
        occurrences > (entry.before.markers.get(marker) ?? 0) &&
        (total.after?.markers.get(marker) ?? 0) > (total.before?.markers.get(marker) ?? 0),
    );
    if (added.length > 0)
      findings.push(finding(entry.file, `adds ${added.map(([marker]) => marker).join(', ')} to ${path}`));
  }
  return findings;
}

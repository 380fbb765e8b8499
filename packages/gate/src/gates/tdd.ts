// The `tdd` pre-gate (SPEC §4.4): production code in a patch needs a test file in the same patch.
import { diffLines } from 'diff';

export type FileRole = 'test' | 'production' | 'both' | 'other';

const JS_EXTENSIONS = 'ts|tsx|mts|cts|js|jsx|mjs|cjs';
const JS_SOURCE = new RegExp(`\\.(${JS_EXTENSIONS})$`, 'u');
const JS_TEST = new RegExp(`\\.(test|spec)\\.(${JS_EXTENSIONS})$`, 'u');

function components(path: string): string[] {
  return path.split('/');
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function underDirectory(path: string, directory: string): boolean {
  return components(path).slice(0, -1).includes(directory);
}

/** 1-based line spans of `#[cfg(test)] mod name { ... }` blocks (brace matching that skips strings and comments). */
export function rustTestModuleSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const pattern = /#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{/gu;
  for (const match of text.matchAll(pattern)) {
    const open = match.index + match[0].length - 1;
    const close = matchingBrace(text, open);
    if (close === -1) continue;
    spans.push({ start: lineAt(text, match.index), end: lineAt(text, close) });
  }
  return spans;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    const character = text[index];
    if (character === '/' && text[index + 1] === '/') {
      index = text.indexOf('\n', index);
      if (index === -1) return -1;
    } else if (character === '/' && text[index + 1] === '*') {
      index = text.indexOf('*/', index + 2);
      if (index === -1) return -1;
      index += 1;
    } else if (character === '"') {
      for (index += 1; index < text.length && text[index] !== '"'; index += 1) if (text[index] === '\\') index += 1;
    } else if (character === '{') depth += 1;
    else if (character === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/** Post-image lines a change touched (a pure deletion marks the line that now sits where it was). */
export function changedLines(preText: string, postText: string): number[] {
  const lines: number[] = [];
  let postLine = 1;
  for (const change of diffLines(preText, postText)) {
    const count = change.count;
    if (change.added) {
      for (let offset = 0; offset < count; offset += 1) lines.push(postLine + offset);
      postLine += count;
    } else if (change.removed) {
      lines.push(postLine);
    } else {
      postLine += count;
    }
  }
  return lines;
}

export function classifyFile(options: { path: string; preText: string | null; postText: string | null }): FileRole {
  const { path } = options;
  const name = basename(path);
  if (JS_SOURCE.test(name)) return JS_TEST.test(name) || underDirectory(path, '__tests__') ? 'test' : 'production';
  if (name.endsWith('.py') || name.endsWith('.pyi')) {
    const test =
      (name.endsWith('.py') && (/^test_.*\.py$/u.test(name) || name.endsWith('_test.py') || name === 'conftest.py')) ||
      (name.endsWith('.py') && underDirectory(path, 'tests'));
    return test ? 'test' : 'production';
  }
  if (name.endsWith('.go')) return name.endsWith('_test.go') ? 'test' : 'production';
  if (name.endsWith('.rb')) return name.endsWith('_spec.rb') || name.endsWith('_test.rb') ? 'test' : 'production';
  if (name.endsWith('.rs')) {
    if (underDirectory(path, 'tests')) return 'test';
    if (options.postText === null) return 'production';
    const spans = rustTestModuleSpans(options.postText);
    if (spans.length === 0) return 'production';
    const lines = changedLines(options.preText ?? '', options.postText);
    const inside = lines.filter((line) => spans.some((span) => line >= span.start && line <= span.end)).length;
    if (inside === 0) return 'production';
    return inside === lines.length ? 'test' : 'both';
  }
  return 'other';
}

export type TddOutcome =
  | { readonly status: 'PASS'; readonly message: string }
  | { readonly status: 'FAIL'; readonly message: string; readonly details: string };

export function checkTdd(
  files: readonly { path: string; preText: string | null; postText: string | null }[],
): TddOutcome {
  const roles = files.map((file) => ({ path: file.path, role: classifyFile(file) }));
  const hasTest = roles.some((entry) => entry.role === 'test' || entry.role === 'both');
  const production = roles
    .filter((entry) => entry.role === 'production' || entry.role === 'both')
    .map((entry) => entry.path);
  if (production.length === 0) return { status: 'PASS', message: 'No production code changed' };
  if (hasTest) return { status: 'PASS', message: 'Test files present in the patch' };
  return {
    status: 'FAIL',
    message: 'TDD mode: write or modify a test file before modifying production code',
    details: `production files without a test file in the patch: ${production.join(', ')}`,
  };
}

// The `syntax` gate (SPEC §4.6): parse errors in a changed file's post-image. Errors the pre-image already had are
// not blamed on the patch (§4.0): they become a WARN.
import { detectLanguage, isIgnoredByGoTool, parseSource } from '@kode/lang';
import type { ParsedFile, SyntaxDiagnostic } from '@kode/lang';
import { joinDetails } from '../format-reason.js';
import type { ResultDraft } from '../recorder.js';

export interface SyntaxCheck {
  readonly draft: ResultDraft;
  /** The post-image parse, reused by the imports gate (undefined for unsupported files). */
  readonly parsed: ParsedFile | undefined;
}

function diagnosticKey(diagnostic: SyntaxDiagnostic, lines: readonly string[]): string {
  return `${diagnostic.message}\u0000${(lines[diagnostic.line - 1] ?? '').trim()}`;
}

/** §14: a pathological file (1 MB on one line) must not hold the gate; past this the parser cannot decide. */
const PARSE_BUDGET_MS = 2000;

export function checkSyntax(options: {
  path: string;
  preText: string | null;
  postText: string;
  signal?: AbortSignal | undefined;
}): SyntaxCheck {
  const { path } = options;
  const language = detectLanguage(path);
  if (language === null) {
    return {
      draft: { check_name: 'syntax', status: 'SKIPPED', file: path, message: 'Not checked: unsupported file type' },
      parsed: undefined,
    };
  }
  if (language === 'go' && isIgnoredByGoTool(path)) {
    return {
      draft: {
        check_name: 'syntax',
        status: 'SKIPPED',
        file: path,
        message: 'Not checked: the go tool ignores files under testdata/, _ and . directories',
      },
      parsed: undefined,
    };
  }
  const limits = { timeBudgetMs: PARSE_BUDGET_MS, ...(options.signal === undefined ? {} : { signal: options.signal }) };
  const parsed = parseSource({ language, path, text: options.postText, ...limits });
  if (parsed.incomplete) {
    // Fail closed (§14): a file we could not parse within the budget (or at all: nesting deeper than the parser's
    // recursion) is not waved through.
    return {
      draft: {
        check_name: 'syntax',
        status: 'FAIL',
        file: path,
        line: 1,
        message: `Syntax check did not finish: the file is too large or too deeply nested to parse within ${PARSE_BUDGET_MS / 1000} s; split it`,
      },
      parsed,
    };
  }
  if (parsed.diagnostics.length === 0) {
    return { draft: { check_name: 'syntax', status: 'PASS', file: path, message: 'Syntax OK' }, parsed };
  }
  const describe = (diagnostic: SyntaxDiagnostic) =>
    `${path}:${diagnostic.line}:${diagnostic.column} ${diagnostic.message}`;
  const preDiagnostics =
    options.preText === null || options.preText === ''
      ? []
      : parseSource({ language, path, text: options.preText, ...limits }).diagnostics;
  const preLines = (options.preText ?? '').split('\n');
  const postLines = options.postText.split('\n');
  const preexisting = new Map<string, number>();
  for (const diagnostic of preDiagnostics) {
    const key = diagnosticKey(diagnostic, preLines);
    preexisting.set(key, (preexisting.get(key) ?? 0) + 1);
  }
  const introduced = parsed.diagnostics.filter((diagnostic) => {
    const key = diagnosticKey(diagnostic, postLines);
    const remaining = preexisting.get(key) ?? 0;
    if (remaining === 0) return true;
    preexisting.set(key, remaining - 1);
    return false;
  });
  // Error recovery can word the same broken code differently once lines move; a patch that leaves no more errors
  // than the file already had is not blamed for them.
  if (preDiagnostics.length > 0 && (introduced.length === 0 || parsed.diagnostics.length <= preDiagnostics.length)) {
    const first = parsed.diagnostics[0];
    return {
      draft: {
        check_name: 'syntax',
        status: 'WARN',
        file: path,
        ...(first === undefined ? {} : { line: first.line, column: first.column }),
        message: `File already had ${preDiagnostics.length} parse error(s)`,
        ...detailsOf(parsed.diagnostics.map(describe)),
      },
      parsed,
    };
  }
  const blamed = preDiagnostics.length > 0 ? introduced : parsed.diagnostics;
  const first = blamed[0];
  return {
    draft: {
      check_name: 'syntax',
      status: 'FAIL',
      file: path,
      ...(first === undefined ? {} : { line: first.line, column: first.column }),
      message: 'Syntax check failed: the modified file contains parse errors',
      ...detailsOf(blamed.map(describe)),
    },
    parsed,
  };
}

function detailsOf(findings: readonly string[]): { details?: string } {
  const details = joinDetails(findings);
  return details === undefined ? {} : { details };
}

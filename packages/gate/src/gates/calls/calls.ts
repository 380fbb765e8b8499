// The `calls` file gate (SPEC §4.8): names imported from project modules exist there, members of imported project
// namespaces exist, calls to project functions satisfy their arity. Uncertain cases are silent (no WARN). Only
// problems the patch introduces count: one the pre-image already has (same text, any line) is not reported.
import { detectLanguage, extractSymbols } from '@kode/lang';
import type { Language } from '@kode/lang';
import { joinDetails } from '../../format-reason.js';
import type { ResultDraft } from '../../recorder.js';
import { checkGoCalls } from './go.js';
import type { ProjectView } from './project-view.js';
import { checkPythonCalls } from './python.js';
import { checkRustCalls } from './rust.js';
import type { CallChecker, CallProblem } from './types.js';
import { checkTypeScriptCalls } from './typescript.js';

const CHECKERS: Readonly<Record<Language, CallChecker>> = {
  typescript: checkTypeScriptCalls,
  javascript: checkTypeScriptCalls,
  python: checkPythonCalls,
  rust: checkRustCalls,
  go: checkGoCalls,
};

function problemsOf(options: { language: Language; path: string; text: string; view: ProjectView }): CallProblem[] {
  const symbols = extractSymbols({ language: options.language, path: options.path, text: options.text });
  try {
    return CHECKERS[options.language]({ path: options.path, symbols, view: options.view });
  } catch {
    // A check that trips over unusual code has not found a problem (G9).
    return [];
  }
}

export function checkCalls(options: {
  path: string;
  preText: string | null;
  postText: string;
  postView: ProjectView;
  preView: () => ProjectView;
}): ResultDraft {
  const { path } = options;
  const language = detectLanguage(path);
  if (language === null) {
    return { check_name: 'calls', status: 'SKIPPED', file: path, message: 'Unsupported file type' };
  }
  let problems = problemsOf({ language, path, text: options.postText, view: options.postView });
  if (problems.length > 0 && options.preText !== null && options.preText !== '') {
    const before = new Set(
      problemsOf({ language, path, text: options.preText, view: options.preView() }).map((problem) => problem.text),
    );
    problems = problems.filter((problem) => !before.has(problem.text));
  }
  const first = problems[0];
  if (first === undefined) return { check_name: 'calls', status: 'PASS', file: path, message: 'All calls verified' };
  return {
    check_name: 'calls',
    status: 'FAIL',
    file: path,
    line: first.line,
    column: first.column,
    message: 'Call validation failed',
    details: joinDetails(problems.map((problem) => `${path}:${problem.line}:${problem.column} ${problem.text}`)),
  };
}

// The `security` gate (SPEC §4.10): secrets in any text file, Trojan-source characters and dangerous code in the four
// languages. Only what the patch adds counts (§4.0): a finding whose rule and normalised line text the pre-image
// already had is not reported. `kode-ignore: <rule-id>` on the line or the line above suppresses a finding, unless the
// model wrote that comment in this patch. Fails closed when the file cannot be scanned within the budget.
import type { Language } from '@kode/lang';
import { detectLanguage, syntaxTree } from '@kode/lang';
import type { ResultDraft } from '../recorder.js';
import { lineOfOffset } from '../text-file.js';
import { classifyFile, rustTestModuleSpans } from './tdd.js';
import { securityRule } from '../security/catalog.js';
import { scanGo } from '../security/rules-go.js';
import { scanJavaScript } from '../security/rules-javascript.js';
import { scanPython } from '../security/rules-python.js';
import { scanRust } from '../security/rules-rust.js';
import { findSecrets } from '../security/secrets.js';
import type { SecurityFinding, Severity } from '../security/types.js';
import { severityRank } from '../security/types.js';

/** §4.10 / §14: past this a file is not waved through but fails closed. */
export const SECURITY_BUDGET_MS = 2000;

export interface SecuritySuppression {
  readonly rule_id: string;
  readonly file: string;
  readonly line: number;
}

export interface SecurityCheck {
  readonly drafts: readonly ResultDraft[];
  /** Suppressions honoured (recorded in the audit entry, §6.2 `suppressed`). */
  readonly suppressed: readonly SecuritySuppression[];
}

export interface SecurityCheckOptions {
  readonly path: string;
  readonly preText: string | null;
  readonly postText: string;
  readonly blockSeverity: Severity;
  readonly ignoreRules: readonly string[];
  readonly knownSecrets: readonly string[];
  /** Who wrote the patch: a `kode-ignore` the model adds is not honoured; one in human input is. */
  readonly origin: 'model' | 'human';
  readonly signal?: AbortSignal | undefined;
  /** Default SECURITY_BUDGET_MS. */
  readonly budgetMs?: number;
}

// Bidirectional controls (Trojan Source, CVE-2021-42574) anywhere in code; zero-width characters only next to
// identifier characters, so emoji sequences in strings (which use U+200D) stay legal.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;
const ZERO_WIDTH_IN_WORD = /(?<=[\w$])[\u200B-\u200D\u2060\uFEFF]|[\u200B-\u200D\u2060\uFEFF](?=[\w$])/gu;

/** Enough to report; a file full of control characters must not cost a position lookup for each. */
const MAX_BIDI_FINDINGS = 20;

function bidiFindings(text: string): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pattern of [BIDI_CONTROLS, ZERO_WIDTH_IN_WORD]) {
    for (const match of text.matchAll(pattern)) {
      if (findings.length >= MAX_BIDI_FINDINGS) return findings;
      findings.push({ ruleId: 'code/bidi-control', severity: 'high', ...positionOf(text, match.index) });
    }
  }
  return findings;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  return { line: lineOfOffset(text, offset), column: offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1 };
}

function codeFindings(language: Language, path: string, text: string, deadline: number): SecurityFinding[] | null {
  const tree = syntaxTree({ language, path, text, timeBudgetMs: Math.max(1, deadline - Date.now()) });
  if (tree === null) return null;
  if (tree.kind === 'typescript') return scanJavaScript(tree);
  switch (tree.language) {
    case 'python':
      return scanPython(tree.root);
    case 'rust':
      return scanRust(tree.root, text);
    case 'go':
      return scanGo(tree.root);
  }
}

/** Every finding in one text, or null when the scan did not finish within the budget. */
async function scanText(options: {
  path: string;
  text: string;
  knownSecrets: readonly string[];
  deadline: number;
}): Promise<SecurityFinding[] | null> {
  const { path, text } = options;
  const findings = await findSecrets(text, { filePath: path, knownSecrets: options.knownSecrets });
  if (Date.now() > options.deadline) return null;
  const language = detectLanguage(path);
  if (language !== null) {
    findings.push(...bidiFindings(text));
    const code = codeFindings(language, path, text, options.deadline);
    if (code === null) return null;
    findings.push(...code);
  }
  return Date.now() > options.deadline ? null : findings;
}

/**
 * Dangerous-code findings in test code (test files by the TDD gate's patterns, Rust `#[cfg(test)]` modules) count as
 * `medium` at most: tests run shells, disable TLS against local servers and evaluate fixtures on purpose, with no
 * outside input. So do credentials in URLs (`https://user:pass@host`, `postgres://app:pw@db/main`). Provider
 * keys, private keys and other secrets, and Trojan-source characters, keep their severity everywhere.
 */
/** Credentials inside URLs: the staple of URL-parsing and database test fixtures. */
const URL_CREDENTIAL_RULES: ReadonlySet<string> = new Set(['secret/basicauth', 'secret/database-connection-string']);

function inTestCodeAtMostMedium(path: string, text: string, findings: SecurityFinding[]): SecurityFinding[] {
  const role = classifyFile({ path, preText: null, postText: text });
  if (role !== 'test' && role !== 'both') return findings;
  const spans = role === 'both' ? rustTestModuleSpans(text) : [];
  const inTest = (line: number) => role === 'test' || spans.some((span) => line >= span.start && line <= span.end);
  return findings.map((finding) =>
    (finding.ruleId.startsWith('secret/') && !URL_CREDENTIAL_RULES.has(finding.ruleId)) ||
    finding.ruleId === 'code/bidi-control' ||
    severityRank(finding.severity) <= severityRank('medium') ||
    !inTest(finding.line)
      ? finding
      : { ...finding, severity: 'medium' },
  );
}

const normalise = (line: string): string => line.trim().replace(/\s+/gu, ' ');

function findingKey(finding: SecurityFinding, lines: readonly string[]): string {
  return `${finding.ruleId}\u0000${normalise(lines[finding.line - 1] ?? '')}`;
}

function isIgnored(ruleId: string, ignoreRules: readonly string[]): boolean {
  return ignoreRules.some(
    (pattern) => pattern === ruleId || (pattern.endsWith('/*') && ruleId.startsWith(pattern.slice(0, -1))),
  );
}

const SUPPRESSION = /kode-ignore:\s*([\w./*-]+(?:\s*,\s*[\w./*-]+)*)/u;

/** The line (1-based) whose `kode-ignore` names the rule: the finding's line or the one above. */
function suppressionLine(finding: SecurityFinding, lines: readonly string[]): number | undefined {
  for (const line of [finding.line, finding.line - 1]) {
    const match = SUPPRESSION.exec(lines[line - 1] ?? '');
    const ids = match?.[1]?.split(',').map((id) => id.trim()) ?? [];
    if (ids.some((id) => isIgnored(finding.ruleId, [id]))) return line;
  }
  return undefined;
}

function describe(finding: SecurityFinding, path: string): string {
  return `${finding.severity} ${finding.ruleId} at ${path}:${finding.line}`;
}

export async function checkSecurity(options: SecurityCheckOptions): Promise<SecurityCheck> {
  const { path } = options;
  const deadline = Date.now() + (options.budgetMs ?? SECURITY_BUDGET_MS);
  const timeout: SecurityCheck = {
    drafts: [
      {
        check_name: 'security',
        status: 'FAIL',
        file: path,
        line: 1,
        message: `high scan-timeout at ${path}:1 — the file is too large or complex to scan; split it`,
      },
    ],
    suppressed: [],
  };
  const scanned = await scanText({ path, text: options.postText, knownSecrets: options.knownSecrets, deadline });
  if (scanned === null) return timeout;
  options.signal?.throwIfAborted();
  let findings = inTestCodeAtMostMedium(path, options.postText, scanned).filter(
    (finding) => !isIgnored(finding.ruleId, options.ignoreRules),
  );
  const postLines = options.postText.split('\n');
  const preLines = (options.preText ?? '').split('\n');
  if (findings.length > 0 && options.preText !== null && options.preText !== '') {
    const before = await scanText({ path, text: options.preText, knownSecrets: options.knownSecrets, deadline });
    if (before === null) return timeout;
    const preexisting = new Map<string, number>();
    for (const finding of before) {
      const key = findingKey(finding, preLines);
      preexisting.set(key, (preexisting.get(key) ?? 0) + 1);
    }
    findings = findings.filter((finding) => {
      const key = findingKey(finding, postLines);
      const remaining = preexisting.get(key) ?? 0;
      if (remaining === 0) return true;
      preexisting.set(key, remaining - 1);
      return false;
    });
  }

  const preLineSet = new Set(preLines.map(normalise));
  const suppressed: SecuritySuppression[] = [];
  const ignoredByModel: SecurityFinding[] = [];
  const reported: SecurityFinding[] = [];
  for (const finding of findings) {
    const line = suppressionLine(finding, postLines);
    if (line === undefined) {
      reported.push(finding);
    } else if (options.origin === 'model' && !preLineSet.has(normalise(postLines[line - 1] ?? ''))) {
      // The model cannot silence its own finding: the comment is new in this patch.
      ignoredByModel.push(finding);
      reported.push(finding);
    } else {
      suppressed.push({ rule_id: finding.ruleId, file: path, line: finding.line });
    }
  }

  const drafts: ResultDraft[] = [];
  if (reported.length === 0) {
    drafts.push({ check_name: 'security', status: 'PASS', file: path, message: 'No security findings' });
  } else {
    reported.sort(
      (left, right) => severityRank(right.severity) - severityRank(left.severity) || left.line - right.line,
    );
    const [first, ...rest] = reported as [SecurityFinding, ...SecurityFinding[]];
    const blocking = severityRank(first.severity) >= severityRank(options.blockSeverity);
    const hint = securityRule(first.ruleId)?.hint ?? 'review this code';
    const details = [
      ...(first.masked === undefined ? [] : [`matched ${first.masked}`]),
      ...(rest.length === 0
        ? []
        : [`+${rest.length} more: ${rest.map((finding) => describe(finding, path)).join('; ')}`]),
    ];
    drafts.push({
      check_name: 'security',
      status: blocking ? 'FAIL' : 'WARN',
      file: path,
      line: first.line,
      column: first.column,
      message: `${describe(first, path)} — ${hint}`,
      ...(details.length === 0 ? {} : { details: details.join('; ') }),
    });
  }
  if (ignoredByModel.length > 0) {
    drafts.push({
      check_name: 'security',
      status: 'WARN',
      file: path,
      line: ignoredByModel[0]?.line ?? 1,
      message: 'kode-ignore added by the model was ignored',
      details: ignoredByModel.map((finding) => describe(finding, path)).join('; '),
    });
  }
  return { drafts, suppressed };
}

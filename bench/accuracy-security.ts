// Security findings of `pnpm bench:accuracy` that were read one by one and judged true positives: shipped code that
// does exactly what the rule describes. Verifying a whole file as new (an empty pre-image) reports them, as an audit
// should; editing the file does not (only findings the patch introduces count, SPEC §4.0), which the script's second
// pass checks on every file. A finding at or above `high` that is not listed here fails the run, and so does an entry
// that no longer fires: the list is kept exact, never widened to quiet a rule.
import type { AccuracyLanguage } from './accuracy-corpora.js';

export interface ReviewedSecurityFinding {
  readonly language: AccuracyLanguage;
  /** Project-relative path, as the script reports it. */
  readonly file: string;
  /** Every rule that fires at or above `high` in the file. */
  readonly rules: readonly string[];
  readonly reason: string;
}

export const REVIEWED_SECURITY_FINDINGS: readonly ReviewedSecurityFinding[] = [
  {
    language: 'go',
    file: 'crypto/tls/example_test.go',
    rules: ['secret/private-key'],
    reason:
      'the runnable examples of tls.X509KeyPair commit an EC private key in PEM (Go spells the keys of its other ' +
      "tests 'TESTING KEY' to stay clear of scanners); secrets keep their severity in test files",
  },
  {
    language: 'python',
    file: 'importlib/_bootstrap_external.py',
    rules: ['py/unsafe-deserialization'],
    reason: "`marshal.loads` of a .pyc file's bytes: the import system itself",
  },
  {
    language: 'python',
    file: 'click/_termui_impl.py',
    rules: ['py/shell-exec'],
    reason: 'the pager, editor and URL launcher run through a shell with $PAGER/$EDITOR and a file name interpolated',
  },
  {
    language: 'python',
    file: 'jinja2/bccache.py',
    rules: ['py/unsafe-deserialization'],
    reason: '`pickle.load` and `marshal.load` of the bytecode cache files',
  },
  {
    language: 'python',
    file: 'pip/_internal/commands/configuration.py',
    rules: ['py/shell-exec'],
    reason: '`pip config edit` runs `f\'{editor} "{fname}"\'` with shell=True',
  },
  {
    language: 'python',
    file: 'pip/_internal/network/session.py',
    rules: ['py/tls-disabled'],
    reason: 'the adapters behind `--trusted-host` pass verify=False on purpose',
  },
  {
    language: 'python',
    file: 'pip/_vendor/rich/style.py',
    rules: ['py/unsafe-deserialization'],
    reason: "`marshal.loads` of a style's own serialised metadata",
  },
  {
    language: 'python',
    file: 'pkg_resources/_vendor/jaraco/functools.py',
    rules: ['py/eval'],
    reason: "`except_(..., use=...)` evaluates the caller's expression string with `eval(use)`",
  },
  {
    language: 'python',
    file: 'setuptools/_vendor/jaraco/functools.py',
    rules: ['py/eval'],
    reason: "`except_(..., use=...)` evaluates the caller's expression string with `eval(use)`",
  },
  {
    language: 'python',
    file: 'setuptools/_distutils/command/bdist_rpm.py',
    rules: ['py/shell-exec'],
    reason: '`os.popen` of an rpm query whose text is built with str.format around the spec path',
  },
  {
    language: 'python',
    file: 'setuptools/command/bdist_egg.py',
    rules: ['py/unsafe-deserialization'],
    reason: '`marshal.load` of .pyc files to scan their code objects',
  },
  {
    language: 'python',
    file: 'setuptools/depends.py',
    rules: ['py/unsafe-deserialization'],
    reason: '`marshal.load` of a compiled module to read a constant from it',
  },
];

/** `<severity> <rule-id> at <file>:<line>` items in a security result's message and details. */
export function securityItems(text: string): { severity: string; rule: string; file: string; line: number }[] {
  const items: { severity: string; rule: string; file: string; line: number }[] = [];
  for (const match of text.matchAll(/\b(low|medium|high|critical) ([\w./*-]+) at (.+?):(\d+)\b/g)) {
    const [, severity = '', rule = '', file = '', line = '0'] = match;
    items.push({ severity, rule, file, line: Number(line) });
  }
  return items;
}

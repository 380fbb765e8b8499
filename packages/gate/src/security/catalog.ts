// Every rule of the security gate with its severity and fix hint (SPEC §4.10). `kode explain security` prints this
// table; reasons take the hint from here. `secret/<kind>` findings of the secret preset share the `secret/*` entry.
import type { SecurityRule, Severity } from './types.js';

const TS_JS = ['typescript', 'javascript'] as const;

export const SECURITY_RULES: readonly SecurityRule[] = [
  {
    id: 'secret/*',
    languages: ['any'],
    severity: 'critical',
    detects:
      'provider and service credentials (AWS, GCP, GitHub, Slack, npm, basic-auth URLs, ...) and OpenAI, Anthropic, ' +
      'DeepSeek, OpenRouter and Google key formats',
    hint: 'read the key from an environment variable instead of the source',
  },
  {
    id: 'secret/private-key',
    languages: ['any'],
    severity: 'critical',
    detects: 'PEM private key blocks',
    hint: 'keep private keys out of the repository; load them from a file outside it or a secret store',
  },
  {
    id: 'secret/high-entropy',
    languages: ['any'],
    severity: 'critical',
    detects:
      'a random-looking string (>= 20 chars, >= 4.0 bits/char) assigned to a key, secret, token or password name',
    hint: 'read the value from an environment variable instead of the source',
  },
  {
    id: 'secret/known-value',
    languages: ['any'],
    severity: 'critical',
    detects: 'the value of a configured LLM key or of an environment variable named *KEY*, *TOKEN* or *SECRET*',
    hint: 'this is a live credential from your environment: reference the variable, never its value',
  },
  {
    id: 'code/bidi-control',
    languages: ['typescript', 'javascript', 'python', 'rust', 'go'],
    severity: 'high',
    detects: 'Unicode bidirectional controls or zero-width characters in code (Trojan Source)',
    hint: 'remove the invisible control characters; write them as escapes inside strings if they are needed',
  },
  {
    id: 'js/eval',
    languages: TS_JS,
    severity: 'high',
    detects: '`eval`, `new Function`, `vm.run*` with non-literal input, incl. `globalThis["ev"+"al"]`',
    hint: 'do not evaluate strings as code; parse the data (JSON.parse) or dispatch on known values',
  },
  {
    id: 'js/shell-exec',
    languages: TS_JS,
    severity: 'high',
    detects:
      '`child_process` `exec`/`execSync`, or `spawn`/`execFile` with `shell: true`, with a non-literal command, incl. ' +
      '`require("child_"+"process")`',
    hint: 'use execFile/spawn with an argument array and no shell',
  },
  {
    id: 'js/sql-concat',
    languages: TS_JS,
    severity: 'high',
    detects: 'SQL text built by concatenation or `${}` interpolation passed to `query`/`execute`/`raw`',
    hint: 'use a parameterised query (placeholders and a values array)',
  },
  {
    id: 'js/tls-disabled',
    languages: TS_JS,
    severity: 'high',
    detects: '`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = "0"`',
    hint: 'keep certificate verification on; trust a private CA with the `ca` option instead',
  },
  {
    id: 'js/html-injection',
    languages: TS_JS,
    severity: 'medium',
    detects:
      '`innerHTML`/`outerHTML`/`insertAdjacentHTML`/`document.write`/`dangerouslySetInnerHTML` with non-literal input',
    hint: 'set textContent, or sanitise the HTML (DOMPurify) before inserting it',
  },
  {
    id: 'py/eval',
    languages: ['python'],
    severity: 'high',
    detects: '`eval`/`exec`/`compile` with non-literal input',
    hint: 'do not evaluate strings as code; use ast.literal_eval or json.loads for data',
  },
  {
    id: 'py/shell-exec',
    languages: ['python'],
    severity: 'high',
    detects:
      '`subprocess.*` with `shell=True` and a non-literal command; `os.system`/`os.popen` with non-literal input; ' +
      '`__import__("os").system`, `getattr(os, "system")`',
    hint: 'pass arguments as a list and drop shell=True',
  },
  {
    id: 'py/sql-concat',
    languages: ['python'],
    severity: 'high',
    detects: '`execute`/`executemany` with f-string, `%`, `+` or `.format` SQL',
    hint: 'use a parameterised query: cursor.execute(sql, params)',
  },
  {
    id: 'py/tls-disabled',
    languages: ['python'],
    severity: 'high',
    detects: '`verify=False`, `ssl._create_unverified_context`',
    hint: 'keep certificate verification on; pass verify="/path/to/ca.pem" for a private CA',
  },
  {
    id: 'py/unsafe-deserialization',
    languages: ['python'],
    severity: 'high',
    detects: '`pickle.load(s)`, `marshal.loads`, `yaml.load` without a safe loader',
    hint: 'use json, or yaml.safe_load; never unpickle data you did not produce',
  },
  {
    id: 'rust/unsafe',
    languages: ['rust'],
    severity: 'medium',
    detects: '`unsafe` block, fn or impl added by the patch',
    hint: 'avoid unsafe, or document the invariant in a // SAFETY: comment and have it reviewed',
  },
  {
    id: 'rust/shell-exec',
    languages: ['rust'],
    severity: 'high',
    detects: '`Command::new("sh"|"bash"|"cmd")` with `-c`/`/C` and a non-literal argument',
    hint: 'run the program directly with Command::new(program).args([...]) and no shell',
  },
  {
    id: 'rust/sql-concat',
    languages: ['rust'],
    severity: 'high',
    detects: '`format!`-built SQL passed to `query`/`execute`',
    hint: 'use bind parameters (query(sql).bind(value)) instead of format!',
  },
  {
    id: 'rust/tls-disabled',
    languages: ['rust'],
    severity: 'high',
    detects: '`danger_accept_invalid_certs(true)`',
    hint: 'keep certificate verification on; add a private CA with add_root_certificate',
  },
  {
    id: 'go/shell-exec',
    languages: ['go'],
    severity: 'high',
    detects: '`exec.Command("sh"|"bash", "-c", <non-literal>)`',
    hint: 'run the program directly: exec.Command(program, args...) without a shell',
  },
  {
    id: 'go/sql-concat',
    languages: ['go'],
    severity: 'high',
    detects: '`fmt.Sprintf` or `+`-built SQL passed to `Query`/`Exec`/`QueryRow`',
    hint: 'use placeholders: db.Query(sql, args...)',
  },
  {
    id: 'go/tls-disabled',
    languages: ['go'],
    severity: 'high',
    detects: '`InsecureSkipVerify: true`',
    hint: 'remove InsecureSkipVerify or pin a CA pool',
  },
  {
    id: 'go/unsafe',
    languages: ['go'],
    severity: 'medium',
    detects: 'import of `unsafe` added by the patch',
    hint: 'avoid package unsafe, or isolate and document the use and have it reviewed',
  },
];

/** The catalogue entry of a rule id (`secret/github` falls back to `secret/*`). */
export function securityRule(ruleId: string): SecurityRule | undefined {
  return (
    SECURITY_RULES.find((rule) => rule.id === ruleId) ??
    (ruleId.startsWith('secret/') ? SECURITY_RULES.find((rule) => rule.id === 'secret/*') : undefined)
  );
}

export function ruleSeverity(ruleId: string): Severity {
  return securityRule(ruleId)?.severity ?? 'high';
}

const LANGUAGE_LABELS: Readonly<Record<string, string>> = {
  any: 'any text file',
  typescript: 'TS/JS',
  javascript: 'TS/JS',
  python: 'Python',
  rust: 'Rust',
  go: 'Go',
};

/** The `## Rules` section of `kode explain security`: every rule with its languages, severity and fix. */
export function securityRulesMarkdown(): string {
  const rows = SECURITY_RULES.map((rule) => {
    const languages = [...new Set(rule.languages.map((language) => LANGUAGE_LABELS[language] ?? language))].join(', ');
    const id = rule.id === 'secret/*' ? 'secret/<kind>' : rule.id;
    return `| \`${id}\` | ${languages} | ${rule.severity} | ${rule.hint} |`;
  });
  return [
    '## Rules',
    '',
    '| Rule id | Languages | Severity | Fix |',
    '|---|---|---|---|',
    ...rows,
    '| `scan-timeout` | any | high | the file is too large or complex to scan within 2 s; split it (fails closed) |',
    '',
    'A finding at or above `security.block_severity` (default `high`) fails the file; lower ones warn. Rules listed in',
    '`security.ignore_rules` are off. `kode-ignore: <rule-id>` on the line or the line above suppresses a reviewed',
    'finding (not when the model added the comment in the same patch).',
    '',
  ].join('\n');
}

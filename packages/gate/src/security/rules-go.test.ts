import { syntaxTree } from '@kode/lang';
import { describe, expect, it } from 'vitest';

import { scanGo } from './rules-go.js';
import type { SecurityFinding } from './types.js';

type RuleId = 'go/shell-exec' | 'go/sql-concat' | 'go/tls-disabled' | 'go/unsafe';

/**
 * One labelled case: import specs, top-level declarations and the body of a function, so cases can also be merged
 * into one file. `standalone` cases bind a name another case imports differently (not mergeable into valid Go).
 */
interface GoCase {
  readonly imports?: readonly string[];
  readonly items?: string;
  readonly body?: string;
  readonly standalone?: boolean;
}

function scan(text: string): SecurityFinding[] {
  const tree = syntaxTree({ language: 'go', path: 'internal/case.go', text });
  if (tree === null || tree.kind !== 'tree-sitter') throw new Error('go did not parse');
  return scanGo(tree.root);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `\t${line}`)
    .join('\n');
}

function renderFile(imports: readonly string[], parts: readonly string[]): string {
  const importBlock = imports.length === 0 ? '' : `import (\n${imports.map((spec) => `\t${spec}`).join('\n')}\n)\n\n`;
  return `package app\n\n${importBlock}${parts.join('\n\n')}\n`;
}

function renderParts(goCase: GoCase, index: number): string {
  const body = indent(goCase.body ?? '');
  return `${goCase.items ?? ''}\n\nfunc case${index}(ctx context.Context, db *sql.DB, input string) {\n${body}\n}`;
}

function render(goCase: GoCase): string {
  return renderFile(goCase.imports ?? [], [renderParts(goCase, 0)]);
}

/** Every template filled with every variant: the labelled corpus, generated at test time. */
function expand<V>(templates: readonly ((variant: V) => GoCase)[], variants: readonly V[]): GoCase[] {
  return templates.flatMap((template) => variants.map((variant) => template(variant)));
}

/** Recall >= 95% on positives, zero findings of the rule on negatives; failures list the offending cases. */
function assertCorpus(ruleId: RuleId, positives: readonly GoCase[], negatives: readonly GoCase[]): void {
  expect(positives.length).toBeGreaterThanOrEqual(40);
  expect(negatives.length).toBeGreaterThanOrEqual(40);
  const missed = positives.map(render).filter((text) => !scan(text).some((finding) => finding.ruleId === ruleId));
  const recall = (positives.length - missed.length) / positives.length;
  expect(
    recall,
    `${ruleId} missed ${missed.length}/${positives.length}:\n${missed.join('\n---\n')}`,
  ).toBeGreaterThanOrEqual(0.95);
  const falsePositives = negatives
    .map(render)
    .filter((text) => scan(text).some((finding) => finding.ruleId === ruleId));
  expect(falsePositives, `${ruleId} false positives:\n${falsePositives.join('\n---\n')}`).toEqual([]);
}

function capitalised(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

// ---------------------------------------------------------------------------------------------------------------
// go/shell-exec

const SCRIPTS = ['cmd', '"echo " + name', 'fmt.Sprintf("ls %s", dir)', 'strings.Join(args, " ")', 'input'];

const SHELL_POSITIVES = expand<string>(
  [
    (script) => ({ imports: ['"os/exec"'], body: `out, err := exec.Command("sh", "-c", ${script}).Output()` }),
    (script) => ({ imports: ['"os/exec"'], body: `cmd := exec.Command("bash", "-c", ${script})\n_ = cmd.Run()` }),
    (script) => ({ imports: ['"os/exec"'], body: `err := exec.CommandContext(ctx, "sh", "-c", ${script}).Run()` }),
    (script) => ({ imports: ['ex "os/exec"'], body: `err := ex.Command("/bin/sh", "-c", ${script}).Run()` }),
    (script) => ({ imports: ['. "os/exec"'], body: `err := Command("zsh", "-c", ${script}).Run()` }),
    (script) => ({ imports: ['"os/exec"'], body: `err := exec.Command("cmd", "/C", ${script}).Run()` }),
    (script) => ({ imports: ['"os/exec"'], body: `err := exec.Command("cmd.exe", "/c", ${script}).Run()` }),
    (script) => ({ imports: ['"os/exec"'], body: `err := exec.Command("powershell", "-Command", ${script}).Run()` }),
    (script) => ({ imports: ['"os/exec"'], body: `err := exec.Command("bash", "-lc", ${script}).Run()` }),
    (script) => ({ imports: ['"os/exec"'], body: `err := exec.Command("env", "sh", "-c", ${script}).Run()` }),
    (script) => ({
      imports: ['"golang.org/x/sys/execabs"'],
      body: `err := execabs.Command("sh", "-c", ${script}).Run()`,
    }),
    (script) => ({
      imports: ['"os/exec"'],
      body: `script := ${script}\nerr := exec.Command("sh", "-c", script).Run()`,
    }),
  ],
  SCRIPTS,
);

const SHELL_NEGATIVES = expand<string>(
  [
    (name) => ({ imports: ['"os/exec"'], body: `err := exec.Command("sh", "-c", "echo hi").Run()\n_ = ${name}` }),
    (name) => ({
      imports: ['"os/exec"'],
      body: `out, err := exec.Command("git", "log", "--oneline", ${name}).Output()`,
    }),
    (name) => ({ imports: ['"os/exec"'], body: `err := exec.Command(${name}, "-c", cmd).Run()` }),
    (name) => ({ imports: ['"os/exec"'], body: `err := exec.Command("sh", ${name}).Run()` }),
    (name) => ({
      imports: ['"os/exec"'],
      body: `err := exec.Command("sh", "-c", "echo \\"$1\\"", "sh", ${name}).Run()`,
    }),
    (name) => ({ imports: ['"os/exec"'], body: `err := exec.Command("python3", "-c", ${name}).Run()` }),
    (name) => ({
      imports: ['"os/exec"'],
      items: `const build${capitalised(name)} = "make build"`,
      body: `err := exec.Command("sh", "-c", build${capitalised(name)}).Run()`,
    }),
    (name) => ({
      imports: ['"os/exec"'],
      body: `script := "ls -la"\nerr := exec.Command("sh", "-c", script, ${name}).Run()`,
    }),
    (name) => ({
      imports: ['"os/exec"'],
      body: `err := exec.Command("sh", "-c", "tar czf out.tgz " + "dist").Run()\n_ = ${name}`,
    }),
    (name) => ({
      imports: ['"os/exec"'],
      body: `// exec.Command("sh", "-c", ${name})\nnote := "exec.Command(\\"sh\\", \\"-c\\", ${name})"`,
    }),
    (name) => ({
      imports: ['exec "example.com/fake/exec"'],
      body: `exec.Command("sh", "-c", ${name}).Run()`,
      standalone: true,
    }),
    (name) => ({ imports: ['"os/exec"'], body: `err := runner.Command("sh", "-c", ${name})` }),
    (name) => ({ imports: ['"os/exec"'], body: `err := exec.Command("bash", "scripts/deploy.sh", ${name}).Run()` }),
    (name) => ({
      imports: ['"os/exec"'],
      body: `c := exec.Command("sh", "-c", "make \\"$TARGET\\"")\nc.Env = append(c.Env, "TARGET="+${name})`,
    }),
    (name) => ({ imports: ['"os/exec"'], body: 'err := exec.Command("sh", "-c", `echo raw`).Run()\n_ = ' + name }),
    (name) => ({ imports: ['"os/exec"'], body: `err := exec.Command("cmd", "/C", "dir").Run()\n_ = ${name}` }),
  ],
  ['name', 'target', 'path'],
);

describe('go/shell-exec', () => {
  it('labelled corpus: recall >= 95%, no false positives', () => {
    assertCorpus('go/shell-exec', SHELL_POSITIVES, SHELL_NEGATIVES);
  });

  it('reports at the call, through an aliased import and CommandContext', () => {
    const text = [
      'package main',
      '',
      'import ex "os/exec"',
      '',
      'func run(ctx context.Context, cmd string) error {',
      '\treturn ex.CommandContext(ctx, "bash", "-c", cmd).Run()', // 6
      '}',
    ].join('\n');
    expect(scan(text)).toEqual([{ ruleId: 'go/shell-exec', severity: 'high', line: 6, column: 9 }]);
  });

  it('a variable assigned a non-literal anywhere before the call is not literal', () => {
    const text = [
      'package main',
      'import "os/exec"',
      'func run(user string) {',
      '\tscript := "ls"',
      '\tscript = script + user',
      '\texec.Command("sh", "-c", script).Run()',
      '}',
    ].join('\n');
    expect(scan(text).map((finding) => finding.ruleId)).toEqual(['go/shell-exec']);
  });
});

describe('go/shell-exec variables', () => {
  it('a conditional non-literal reassignment after a literal declaration is not literal', () => {
    const text = [
      'package main',
      'import "os/exec"',
      'func run(user string, custom bool) {',
      '\tscript := "ls"',
      '\tif custom {',
      '\t\tscript = user',
      '\t}',
      '\texec.Command("sh", "-c", script).Run()',
      '}',
    ].join('\n');
    expect(scan(text).map((finding) => finding.ruleId)).toEqual(['go/shell-exec']);
  });

  it('a literal redeclared with := in each block stays literal', () => {
    const block = '\t{\n\t\tscript := "make test"\n\t\texec.Command("sh", "-c", script).Run()\n\t}\n';
    const text = `package main\nimport "os/exec"\nfunc run() {\n${block.repeat(40)}}\n`;
    expect(scan(text)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// go/sql-concat

const SQL_TEXTS = [
  'fmt.Sprintf("SELECT * FROM users WHERE id = %d", id)',
  'fmt.Sprintf("DELETE FROM sessions WHERE token = \'%s\'", token)',
  'fmt.Sprintf("UPDATE users SET name = \'%s\' WHERE id = %d", name, id)',
  '"SELECT * FROM users WHERE name = \'" + name + "\'"',
  '"INSERT INTO logs (line) VALUES (\'" + line + "\')"',
  "fmt.Sprintf(`select name from accounts where email = '%s'`, email)",
];

const SQL_POSITIVES: GoCase[] = [
  ...expand<string>(
    [
      (sql) => ({ imports: ['"fmt"'], body: `rows, err := db.Query(${sql})` }),
      (sql) => ({ imports: ['"fmt"'], body: `row := db.QueryRow(${sql})` }),
      (sql) => ({ imports: ['"fmt"'], body: `_, err := tx.Exec(${sql})` }),
      (sql) => ({ imports: ['"fmt"'], body: `rows, err := s.db.QueryContext(ctx, ${sql})` }),
      (sql) => ({ imports: ['"fmt"'], body: `q := ${sql}\nrow := db.QueryRowContext(ctx, q)` }),
      (sql) => ({ imports: ['"fmt"'], body: `stmt, err := db.Prepare(${sql})` }),
      (sql) => ({ imports: ['"fmt"'], body: `_, err := conn.ExecContext(ctx, ${sql})` }),
      (sql) => ({ imports: ['"fmt"'], body: `var query = ${sql}\nrows, err := db.Queryx(query)` }),
    ],
    SQL_TEXTS,
  ),
  { body: `q := "SELECT * FROM t WHERE 1=1"\nq += " AND owner = '" + owner + "'"\nrows, err := db.Query(q)` },
  { imports: ['f "fmt"'], body: `rows, err := db.Query(f.Sprintf("SELECT * FROM t WHERE id = %d", id))` },
  { body: `stmt, err := db.PrepareContext(ctx, fmt.Sprintf("SELECT * FROM %s", table))` },
];

const SQL_NEGATIVES = expand<string>(
  [
    (name) => ({ body: `rows, err := db.Query("SELECT * FROM users WHERE id = $1", ${name})` }),
    (name) => ({ body: `row := db.QueryRow("SELECT name FROM users WHERE id = ?", ${name})` }),
    (name) => ({ imports: ['"fmt"'], body: `_, err := cache.Exec(fmt.Sprintf("hello %s", ${name}))` }),
    (name) => ({ body: `rows, err := db.Query("SELECT * FROM " + "users WHERE id = $1", ${name})` }),
    (name) => ({
      items: `const table${capitalised(name)} = "users"`,
      body: `rows, err := db.Query("SELECT * FROM " + table${capitalised(name)} + " WHERE id = $1", ${name})`,
    }),
    (name) => ({ body: `q := "SELECT 1"\nrows, err := db.Query(q)\n_ = ${name}` }),
    (name) => ({
      imports: ['"fmt"'],
      body: `q := fmt.Sprintf("SELECT * FROM t WHERE id = %d", ${name})\nlog.Println(q)`,
    }),
    (name) => ({ body: `row := db.QueryRow(input, ${name})` }),
    (name) => ({ imports: ['"fmt"'], body: `err := jobs.Exec(fmt.Sprintf("run %s", ${name}))` }),
    (name) => ({ body: `err := tmpl.Execute(w, ${name})` }),
    (name) => ({
      body: `// db.Query(fmt.Sprintf("SELECT * FROM t WHERE id = %d", ${name}))\nnote := "db.Query(\\"SELECT \\" + ${name})"`,
    }),
    (name) => ({ imports: ['"fmt"'], body: `rows, err := db.Query(fmt.Sprintf("SELECT 1 FROM t"))\n_ = ${name}` }),
    (name) => ({ body: `q := "SELECT * FROM t WHERE id = ?"\nrows, err := db.Query(q, ${name})` }),
    (name) => ({ body: `_, err := db.ExecContext(ctx, "UPDATE t SET a = $1 WHERE id = $2", ${name}, 1)` }),
    (name) => ({ body: `res, err := stmt.Exec(${name})` }),
    (name) => ({ body: `msg := "Please select a file from " + ${name}\nerr := dialog.Exec(msg)` }),
  ],
  ['id', 'userID', 'name'],
);

describe('go/sql-concat', () => {
  it('labelled corpus: recall >= 95%, no false positives', () => {
    assertCorpus('go/sql-concat', SQL_POSITIVES, SQL_NEGATIVES);
  });

  it('reports at the call and follows a variable assigned earlier in the function', () => {
    const text = [
      'package store',
      '',
      'import "fmt"',
      '',
      'func (s *Store) Find(ctx context.Context, name string) error {',
      '\tquery := fmt.Sprintf("SELECT id FROM users WHERE name = \'%s\'", name)',
      '\trow := s.db.QueryRowContext(ctx, query)', // 7
      '\treturn row.Err()',
      '}',
    ].join('\n');
    expect(scan(text)).toEqual([{ ruleId: 'go/sql-concat', severity: 'high', line: 7, column: 9 }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// go/tls-disabled

const CONFIG_NAMES = ['cfg', 'conf', 'tlsConfig', 'c'];

const TLS_POSITIVES = expand<string>(
  [
    (name) => ({ body: `${name} := &tls.Config{InsecureSkipVerify: true}` }),
    (name) => ({ body: `${name} := tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}` }),
    (name) => ({
      body: `${name} := &tls.Config{\n\tServerName:         host,\n\tInsecureSkipVerify: true, // local testing\n}`,
    }),
    (name) => ({ body: `${name} := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}` }),
    (name) => ({ body: `${name}.InsecureSkipVerify = true` }),
    (name) => ({ body: `${name}.TLSClientConfig.InsecureSkipVerify = true` }),
    (name) => ({ body: `${name}.Transport.(*http.Transport).TLSClientConfig.InsecureSkipVerify = true` }),
    (name) => ({
      items: `func ${name}Insecure() *tls.Config {\n\treturn &tls.Config{InsecureSkipVerify: true, RootCAs: pool}\n}`,
    }),
    (name) => ({ body: `${name} := []*tls.Config{{InsecureSkipVerify: true}}` }),
    (name) => ({ body: `${name} := websocket.Dialer{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}` }),
  ],
  CONFIG_NAMES,
);

const TLS_NEGATIVES = expand<string>(
  [
    (name) => ({ body: `${name} := &tls.Config{InsecureSkipVerify: false}` }),
    (name) => ({ body: `${name} := &tls.Config{InsecureSkipVerify: insecure}` }),
    (name) => ({ body: `${name} := &tls.Config{InsecureSkipVerify: opts.Insecure}` }),
    (name) => ({ body: `${name}.InsecureSkipVerify = false` }),
    (name) => ({ body: `${name}.InsecureSkipVerify = *insecureFlag` }),
    (name) => ({ body: `// ${name} := &tls.Config{InsecureSkipVerify: true}\nok := true` }),
    (name) => ({ body: `log.Print("${name}: InsecureSkipVerify: true is not allowed")` }),
    (name) => ({ items: `type ${capitalised(name)}Options struct {\n\tInsecureSkipVerify bool\n}` }),
    (name) => ({ body: `if ${name}.InsecureSkipVerify {\n\tlog.Println("insecure")\n}` }),
    (name) => ({ body: `skip := ${name}.InsecureSkipVerify == true` }),
    (name) => ({ body: `${name} := &tls.Config{InsecureSkipVerify: !verify}` }),
  ],
  CONFIG_NAMES,
);

describe('go/tls-disabled', () => {
  it('labelled corpus: recall >= 95%, no false positives', () => {
    assertCorpus('go/tls-disabled', TLS_POSITIVES, TLS_NEGATIVES);
  });

  it('reports the keyed element and the assignment target', () => {
    const text = [
      'package main',
      'func client() {',
      '\tcfg := &tls.Config{',
      '\t\tInsecureSkipVerify: true,', // 4
      '\t}',
      '\ttr.TLSClientConfig.InsecureSkipVerify = true', // 6
      '}',
    ].join('\n');
    expect(scan(text)).toEqual([
      { ruleId: 'go/tls-disabled', severity: 'high', line: 4, column: 3 },
      { ruleId: 'go/tls-disabled', severity: 'high', line: 6, column: 2 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// go/unsafe

const UNSAFE_FORMS = ['"unsafe"', 'u "unsafe"', '_ "unsafe"', 'un "unsafe"', '`unsafe`'];

const UNSAFE_POSITIVES = expand<string>(
  [
    (form) => ({ imports: ['"fmt"', form, '"os"'] }),
    (form) => ({ imports: [form] }),
    (form) => ({ items: `import ${form}` }),
    (form) => ({ imports: [form], body: 'size := 8\n_ = size' }),
    (form) => ({ imports: ['"reflect"', form], body: '_ = reflect.TypeOf(input)' }),
    (form) => ({ items: `import (\n\t// low-level access to the header\n\t${form}\n)` }),
    (form) => ({ imports: [form, '"sync/atomic"'] }),
    (form) => ({ items: `import "fmt"\nimport ${form}` }),
  ],
  UNSAFE_FORMS,
);

const UNSAFE_NEGATIVES = expand<string>(
  [
    (name) => ({ body: `${name} := "unsafe"` }),
    (name) => ({ body: `// import "unsafe"\n${name} := 1` }),
    (name) => ({ imports: ['"golang.org/x/sys/unsafeheader"'], body: `var ${name} unsafeheader.Slice` }),
    (name) => ({ imports: ['"github.com/acme/unsafe"'], body: `${name} := 2` }),
    (name) => ({ body: `unsafeCount${capitalised(name)} := 0` }),
    (name) => ({ imports: ['"unicode/utf8"'], body: `log.Print("the unsafe package is not imported by ${name}")` }),
    (name) => ({ items: `// ${capitalised(name)} avoids package "unsafe".\nfunc ${name}Safe() {}` }),
    (name) => ({ body: `${name} := unsafePointer(nil)` }),
    (name) => ({ imports: ['"example.com/unsafe/sub"'], body: `${name} := sub.Value` }),
    (name) => ({ items: `var unsafeMode${capitalised(name)} = "unsafe"` }),
  ],
  ['a', 'b', 'c', 'd'],
);

describe('go/unsafe', () => {
  it('labelled corpus: recall >= 95%, no false positives', () => {
    assertCorpus('go/unsafe', UNSAFE_POSITIVES, UNSAFE_NEGATIVES);
  });

  it('reports single, grouped, aliased and blank imports at the import spec', () => {
    const text = ['package main', 'import "unsafe"', 'import (', '\t"fmt"', '\tu "unsafe"', '\t_ "unsafe"', ')'].join(
      '\n',
    );
    expect(scan(text)).toEqual([
      { ruleId: 'go/unsafe', severity: 'medium', line: 2, column: 8 },
      { ruleId: 'go/unsafe', severity: 'medium', line: 5, column: 2 },
      { ruleId: 'go/unsafe', severity: 'medium', line: 6, column: 2 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Evasions: each one written the way a patch would hide it

describe('go evasions', () => {
  it.each<[string, GoCase, RuleId]>([
    [
      'aliased os/exec import',
      { imports: ['run "os/exec"'], body: 'run.Command("sh", "-c", input).Run()' },
      'go/shell-exec',
    ],
    [
      'dot import of os/exec',
      { imports: ['. "os/exec"'], body: 'Command("bash", "-c", input).Run()' },
      'go/shell-exec',
    ],
    [
      'CommandContext',
      { imports: ['"os/exec"'], body: 'exec.CommandContext(ctx, "sh", "-c", input).Run()' },
      'go/shell-exec',
    ],
    [
      'execabs drop-in',
      { imports: ['"golang.org/x/sys/execabs"'], body: 'execabs.Command("sh", "-c", input).Run()' },
      'go/shell-exec',
    ],
    [
      'shell name held in a variable',
      { imports: ['"os/exec"'], body: 'shell := "/bin/bash"\nexec.Command(shell, "-c", input).Run()' },
      'go/shell-exec',
    ],
    [
      'script via :=',
      {
        imports: ['"os/exec"'],
        body: 'script := "grep " + input + " log.txt"\nexec.Command("sh", "-c", script).Run()',
      },
      'go/shell-exec',
    ],
    [
      'aliased fmt',
      { imports: ['f "fmt"'], body: 'db.Exec(f.Sprintf("DELETE FROM t WHERE id = %s", input))' },
      'go/sql-concat',
    ],
    [
      'query built with +=',
      { body: 'q := "SELECT * FROM t WHERE 1=1"\nq += " AND name = \'" + input + "\'"\ndb.QueryRow(q)' },
      'go/sql-concat',
    ],
    [
      'package-level SQL prefix',
      {
        items: 'const selectUsers = "SELECT * FROM users WHERE name = \'"',
        body: 'db.Query(selectUsers + input + "\'")',
      },
      'go/sql-concat',
    ],
    ['parenthesised concatenation', { body: 'db.Exec(("UPDATE t SET a = " + input))' }, 'go/sql-concat'],
    [
      'tls.Config under an alias',
      { imports: ['t "crypto/tls"'], body: 'c := &t.Config{InsecureSkipVerify: true}\n_ = c' },
      'go/tls-disabled',
    ],
    ['blank import of unsafe (go:linkname)', { imports: ['_ "unsafe"'] }, 'go/unsafe'],
    ['raw-string import of unsafe', { items: 'import `unsafe`' }, 'go/unsafe'],
  ])('%s', (_name, goCase, ruleId) => {
    expect(scan(render(goCase)).map((finding) => finding.ruleId)).toContain(ruleId);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// All rules together

/** Merges cases into one file: the union of their imports, then each case's declarations and function. */
function mergeCases(cases: readonly GoCase[]): string {
  const imports = [...new Set(cases.flatMap((goCase) => goCase.imports ?? []))];
  return renderFile(
    imports,
    cases.map((goCase, index) => renderParts(goCase, index)),
  );
}

describe('scanGo', () => {
  it('finds nothing at all in one file made of every negative case', () => {
    const negatives = [...SHELL_NEGATIVES, ...SQL_NEGATIVES, ...TLS_NEGATIVES, ...UNSAFE_NEGATIVES];
    const mergeable = negatives.filter((goCase) => goCase.standalone !== true);
    expect(mergeable.length).toBeGreaterThan(negatives.length - 5);
    expect(scan(mergeCases(mergeable))).toEqual([]);
  });

  it('finds every positive again when all of them share one file', () => {
    const groups: [RuleId, GoCase[]][] = [
      ['go/shell-exec', SHELL_POSITIVES],
      ['go/sql-concat', SQL_POSITIVES],
      ['go/tls-disabled', TLS_POSITIVES],
    ];
    for (const [ruleId, positives] of groups) {
      const count = scan(mergeCases(positives)).filter((finding) => finding.ruleId === ruleId).length;
      expect(count, ruleId).toBeGreaterThanOrEqual(Math.ceil(positives.length * 0.95));
    }
  });

  it('returns nothing for a file without any rule keyword', () => {
    expect(scan('package main\n\nfunc main() {\n\tprintln("hello")\n}\n')).toEqual([]);
  });

  // Behaviour only: bench/security.bench.ts measures how long these take.
  it('scans a 1 MB single-line file and a 100k-character string literal', () => {
    const unit =
      'c := exec.Command("sh", "-c", x); rows, err := db.Query(fmt.Sprintf("SELECT * FROM t WHERE id = %d", id)); cfg := &tls.Config{InsecureSkipVerify: true}; ';
    const big = `package main; import "os/exec"; func main() { ${unit.repeat(Math.ceil(1_000_000 / unit.length))} }`;
    const findings = scan(big);
    expect(findings.length).toBeGreaterThan(1000);
    const literal = 'SELECT select from '.repeat(5_300).slice(0, 100_000);
    const text = `package main\n\nfunc main() {\n\tdb.Query(fmt.Sprintf("${literal} %d", id))\n\ts := "${literal}"\n}\n`;
    expect(scan(text).map((finding) => finding.ruleId)).toEqual(['go/sql-concat']);
  });
});

import { syntaxTree } from '@kode/lang';
import { describe, expect, it } from 'vitest';

import { scanRust } from './rules-rust.js';
import type { SecurityFinding } from './types.js';

type RuleId = 'rust/unsafe' | 'rust/shell-exec' | 'rust/sql-concat' | 'rust/tls-disabled';

/** One labelled case: top-level items and the body of a function, so cases can also be merged into one file. */
interface RustCase {
  readonly items?: string;
  readonly body?: string;
}

function scan(text: string): SecurityFinding[] {
  const tree = syntaxTree({ language: 'rust', path: 'src/case.rs', text });
  if (tree === null || tree.kind !== 'tree-sitter') throw new Error('rust did not parse');
  return scanRust(tree.root, text);
}

function render(rustCase: RustCase, index = 0): string {
  const body = (rustCase.body ?? '')
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `${rustCase.items ?? ''}\n\nfn case_${index}(pool: &Pool, conn: &Connection, input: &str) {\n${body}\n}\n`;
}

/** Every template filled with every variant: the labelled corpus, generated at test time. */
function expand<V>(templates: readonly ((variant: V) => RustCase)[], variants: readonly V[]): RustCase[] {
  return templates.flatMap((template) => variants.map((variant) => template(variant)));
}

/** Recall >= 95% on positives, zero findings of the rule on negatives; failures list the offending cases. */
function assertCorpus(ruleId: RuleId, positives: readonly RustCase[], negatives: readonly RustCase[]): void {
  expect(positives.length).toBeGreaterThanOrEqual(40);
  expect(negatives.length).toBeGreaterThanOrEqual(40);
  const missed = positives
    .map((rustCase) => render(rustCase))
    .filter((text) => !scan(text).some((finding) => finding.ruleId === ruleId));
  const recall = (positives.length - missed.length) / positives.length;
  expect(
    recall,
    `${ruleId} missed ${missed.length}/${positives.length}:\n${missed.join('\n---\n')}`,
  ).toBeGreaterThanOrEqual(0.95);
  const falsePositives = negatives
    .map((rustCase) => render(rustCase))
    .filter((text) => scan(text).some((finding) => finding.ruleId === ruleId));
  expect(falsePositives, `${ruleId} false positives:\n${falsePositives.join('\n---\n')}`).toEqual([]);
}

function rulesOf(text: string): string[] {
  return scan(text).map((finding) => finding.ruleId);
}

// ---------------------------------------------------------------------------------------------------------------
// rust/unsafe

const NAMES = ['read_raw', 'Buffer', 'ffi_call', 'Arena'];

const UNSAFE_POSITIVES = expand<string>(
  [
    (name) => ({ items: `unsafe fn ${name.toLowerCase()}(p: *const u8) -> u8 {\n    *p\n}` }),
    (name) => ({ items: `pub unsafe fn ${name.toLowerCase()}_unchecked(&self, index: usize) -> u8 {\n    0\n}` }),
    (name) => ({ items: `pub(crate) const unsafe fn ${name.toLowerCase()}() -> usize {\n    0\n}` }),
    (name) => ({ items: `pub unsafe extern "C" fn ${name.toLowerCase()}_export(x: i32) -> i32 {\n    x\n}` }),
    (name) => ({ items: `unsafe impl Send for ${name} {}` }),
    (name) => ({ items: `unsafe impl<T: Copy> Sync for ${name}<T> {}` }),
    (name) => ({ items: `pub unsafe trait ${name}Raw {\n    fn raw(&self) -> *const u8;\n}` }),
    (name) => ({ items: `trait ${name}Ext {\n    unsafe fn get_unchecked(&self, index: usize) -> u8;\n}` }),
    (name) => ({
      items: `impl ${name} {\n    pub unsafe fn from_raw(ptr: *mut u8) -> Self {\n        todo!()\n    }\n}`,
    }),
    (name) => ({ items: `unsafe extern "C" {\n    fn ${name.toLowerCase()}_native(x: i32) -> i32;\n}` }),
    (name) => ({
      items: `mod sys {\n    unsafe extern "C" {\n        pub safe fn ${name.toLowerCase()}_abs(x: i32) -> i32;\n    }\n}`,
    }),
    (name) => ({
      items: `#[link(name = "${name.toLowerCase()}")] unsafe extern "C" {\n    fn open(x: i32) -> i32;\n}`,
    }),
    (name) => ({ body: `let value = unsafe { *${name.toLowerCase()}_ptr };` }),
    (name) => ({ body: `unsafe {\n    libc::free(${name.toLowerCase()} as *mut libc::c_void);\n}` }),
    (name) => ({ body: `let read = |p: *const u8| unsafe { p.read() };\nread(${name.toLowerCase()});` }),
    (name) => ({ body: `let task = async move {\n    unsafe { ${name.toLowerCase()}.as_mut().unwrap() }\n};` }),
    (name) => ({
      body: `match kind {\n    Kind::Raw => unsafe { ${name.toLowerCase()}.get_unchecked(0) },\n    _ => 0,\n};`,
    }),
    (name) => ({ body: `assert_eq!(unsafe { ${name.toLowerCase()}() }, 1);` }),
    (name) => ({ body: `println!("{}", unsafe { *${name.toLowerCase()} });` }),
    (name) => ({
      items: `macro_rules! ${name.toLowerCase()}_read {\n    ($p:expr) => {\n        unsafe { *$p }\n    };\n}`,
    }),
  ],
  NAMES,
);

const UNSAFE_NEGATIVES = expand<string>(
  [
    (name) => ({ body: `// unsafe { ${name}::raw() } is not needed here\nlet x = 1;` }),
    (name) => ({ body: `/* unsafe fn ${name}() would be faster */\nlet y = 2;` }),
    (name) => ({
      items: `/// # Safety\n/// Calling this is never unsafe: ${name} checks bounds.\npub fn ${name.toLowerCase()}_checked() {}`,
    }),
    (name) => ({ body: `let message = "unsafe { ${name} }";` }),
    (name) => ({ body: `let raw = r#"unsafe impl Send for ${name} {}"#;` }),
    (name) => ({ body: `let unsafe_op = ${name.length};\nlet unsafe_count = unsafe_op + 1;` }),
    (name) => ({ items: `fn unsafe_${name.toLowerCase()}() {}` }),
    () => ({ items: `#![forbid(unsafe_code)]` }),
    () => ({ items: `#![deny(unsafe_op_in_unsafe_fn)]\n#![cfg_attr(not(test), deny(unsafe_code))]` }),
    (name) => ({ items: `type ${name}Callback = unsafe fn(u8) -> u8;` }),
    (name) => ({ items: `struct ${name}Table {\n    call: unsafe extern "C" fn(i32) -> i32,\n}` }),
    (name) => ({ items: `extern "C" {\n    fn ${name.toLowerCase()}_abs(x: i32) -> i32;\n}` }),
    (name) => ({
      items: `mod ffi {\n    extern "C" {\n        pub fn ${name.toLowerCase()}_len(x: *const u8) -> usize;\n    }\n}`,
    }),
    (name) => ({ items: `#[no_mangle]\npub extern "C" fn ${name.toLowerCase()}_exported(x: i32) -> i32 {\n    x\n}` }),
    () => ({ items: `extern crate alloc;` }),
    (name) => ({ body: `log::warn!("refusing unsafe input for ${name}");` }),
    (name) => ({
      items: `impl ${name} {\n    pub fn safe_get(&self, index: usize) -> Option<u8> {\n        None\n    }\n}`,
    }),
    (name) => ({ items: `#[allow(clippy::undocumented_unsafe_blocks)]\nfn ${name.toLowerCase()}_plain() {}` }),
    (name) => ({ body: `let is_unsafe = ${name.toLowerCase()}.is_unsafe();` }),
    (name) => ({
      items: `mod a {\n    mod b {\n        extern "C" {\n            fn ${name.toLowerCase()}_deep(x: i32);\n        }\n    }\n}`,
    }),
  ],
  NAMES,
);

describe('rust/unsafe', () => {
  it('labelled corpus: recall >= 95%, no false positives', () => {
    assertCorpus('rust/unsafe', UNSAFE_POSITIVES, UNSAFE_NEGATIVES);
  });

  it('reports every unsafe block, fn, impl, trait and extern block at the unsafe keyword', () => {
    const text = [
      'unsafe fn a() {}', // 1
      'unsafe impl Send for S {}', // 2
      'unsafe trait T {}', // 3
      'unsafe extern "C" {', // 4
      '    fn c_abs(x: i32) -> i32;',
      '}',
      'fn main() {',
      '    let x = unsafe { a() };', // 8
      '}',
    ].join('\n');
    const findings = scan(text).filter((finding) => finding.ruleId === 'rust/unsafe');
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [8, 13],
    ]);
    expect(findings.every((finding) => finding.severity === 'medium')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// rust/shell-exec

const SHELLS = ['sh', 'bash', '/bin/sh', 'zsh'];
const SCRIPTS = ['&cmd', 'script', 'format!("ls {}", dir)', 'user_input.as_str()', '&format!("echo {name}")'];

const SHELL_POSITIVES: RustCase[] = [
  ...SHELLS.flatMap((shell, index) =>
    SCRIPTS.map((script) => ({
      body: `let out = ${['Command', 'std::process::Command', 'process::Command', 'tokio::process::Command'][index]}::new("${shell}").arg("-c").arg(${script}).output()?;`,
    })),
  ),
  ...expand<string>(
    [
      (script) => ({ body: `Command::new("sh").args(["-c", ${script}]).status()?;` }),
      (script) => ({ body: `Command::new("bash").args(&["-c", ${script}]).spawn()?;` }),
      (script) => ({
        body: `let mut command = Command::new("sh");\ncommand.arg("-c");\ncommand.arg(${script});\ncommand.status()?;`,
      }),
      (script) => ({
        body: `let mut c = Command::new("bash");\nc.arg("-c").arg(${script});\nlet status = c.status()?;`,
      }),
      (script) => ({
        body: `let output = Command::new("sh")\n    .current_dir(&dir)\n    .env("LANG", "C")\n    .arg("-c")\n    .arg(${script})\n    .output()?;`,
      }),
      (script) => ({ body: `Command::new("cmd").args(["/C", ${script}]).status()?;` }),
      (script) => ({ body: `Command::new("cmd.exe").arg("/c").arg(${script}).status()?;` }),
      (script) => ({ body: `Command::new("powershell").arg("-Command").arg(${script}).status()?;` }),
      (script) => ({ body: `Command::new("bash").arg("-lc").arg(${script}).status()?;` }),
      (script) => ({ body: `Command::new("env").args(["sh", "-c", ${script}]).status()?;` }),
      (script) => ({ body: `let mut sh = Command::new("sh");\nsh.args(vec!["-c", ${script}]);\nsh.output()?;` }),
    ],
    ['&cmd', 'line.as_str()', 'script'],
  ),
  { body: `Command::new("sh").args(vec!["-c".to_string(), script]).status()?;` },
  { body: `let script = format!("tar czf {} {}", out, dir);\nCommand::new("sh").arg("-c").arg(&script).status()?;` },
];

const SHELL_NEGATIVES: RustCase[] = [
  ...expand<string>(
    [
      (name) => ({ body: `Command::new("git").arg(${name}).status()?;` }),
      (name) => ({ body: `Command::new("git").args(["log", "--oneline", &${name}]).output()?;` }),
      (name) => ({ body: `Command::new("sh").arg("-c").arg("echo hi").status()?; let _ = ${name};` }),
      (name) => ({ body: `Command::new(${name}).arg("-c").arg(&cmd).status()?;` }),
      (name) => ({ body: `Command::new("sh").arg(${name}).status()?;` }),
      (name) => ({ body: `Command::new("bash").arg("deploy.sh").arg(&${name}).status()?;` }),
      (name) => ({ body: `Command::new("sh").args(["-c", "echo \\"$1\\"", "sh", &${name}]).status()?;` }),
      (name) => ({ body: `Command::new("python3").arg("-c").arg(&${name}).status()?;` }),
      (name) => ({ body: `Command::new("sh").env("TARGET", &${name}).arg("-c").arg("make \\"$TARGET\\"").status()?;` }),
      (name) => ({ body: `let script = "ls -la";\nCommand::new("sh").arg("-c").arg(script).arg(&${name}).status()?;` }),
      (name) => ({
        items: `const BUILD_${name.toUpperCase()}: &str = "cargo build --release";`,
        body: `Command::new("sh").arg("-c").arg(BUILD_${name.toUpperCase()}).status()?;`,
      }),
      (name) => ({ body: `Command::new("sh").arg("-c").arg(concat!("echo ", "ready")).status()?; let _ = ${name};` }),
      (name) => ({ body: `Command::new("sh").arg("-c").arg(format!("echo done")).status()?; let _ = ${name};` }),
      (name) => ({ body: `Command::new("bash").arg("-c").arg(String::from("uptime")).status()?; let _ = ${name};` }),
      (name) => ({ body: `Command::new("cmd").args(["/C", "dir"]).status()?; let _ = ${name};` }),
      (name) => ({
        body: `// Command::new("sh").arg("-c").arg(${name})\nlet note = "Command::new(\\"sh\\").arg(\\"-c\\").arg(${name})";`,
      }),
      (name) => ({ body: `let mut c = Command::new("sh");\nc.arg("script.sh");\nc.arg(&${name});\nc.status()?;` }),
      (name) => ({ body: `Command::new("ls").arg("-c").arg(&${name}).status()?;` }),
      (name) => ({ body: `let shell = std::env::var("SHELL")?;\nCommand::new(shell).arg(&${name}).status()?;` }),
    ],
    ['path', 'user_input', 'target'],
  ),
];

describe('rust/shell-exec', () => {
  it('labelled corpus: recall >= 95%, no false positives', () => {
    assertCorpus('rust/shell-exec', SHELL_POSITIVES, SHELL_NEGATIVES);
  });

  it('follows later .arg/.args calls on the same variable, and reports the script argument', () => {
    const text = [
      'fn run(cmd: &str) {',
      '    let mut shell = std::process::Command::new("bash");',
      '    shell.current_dir("/tmp");',
      '    shell.arg("-c");',
      '    shell.arg(cmd);', // 5
      '}',
    ].join('\n');
    const findings = scan(text);
    expect(findings).toEqual([{ ruleId: 'rust/shell-exec', severity: 'high', line: 5, column: 15 }]);
  });

  it('does not carry arguments across a rebinding of the variable', () => {
    const text = [
      'fn run(cmd: &str) {',
      '    let mut c = Command::new("sh");',
      '    c.arg("-c");',
      '    let mut c = Command::new("git");',
      '    c.arg(cmd);',
      '}',
    ].join('\n');
    expect(rulesOf(text)).toEqual([]);
  });

  it('a mutable or reassigned script variable is not literal', () => {
    const text =
      'fn run(x: &str) {\n    let mut s = String::from("ls");\n    s.push_str(x);\n    Command::new("sh").arg("-c").arg(&s).status();\n}';
    expect(rulesOf(text)).toEqual(['rust/shell-exec']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// rust/sql-concat

const SQL_FORMATS = [
  'format!("SELECT * FROM users WHERE id = {}", id)',
  'format!("select name from accounts where email = \'{email}\'")',
  'format!("DELETE FROM sessions WHERE token = \'{}\'", token)',
  'format!("UPDATE users SET name = \'{}\' WHERE id = {}", name, id)',
  'format!(r#"INSERT INTO logs (line) VALUES (\'{}\')"#, line)',
  'std::format!("SELECT {columns} FROM {table}")',
];

const SQL_POSITIVES: RustCase[] = [
  ...expand<string>(
    [
      (sql) => ({ body: `let rows = sqlx::query(&${sql}).fetch_all(pool).await?;` }),
      (sql) => ({ body: `let user = sqlx::query_as::<_, User>(&${sql})\n    .fetch_one(pool)\n    .await?;` }),
      (sql) => ({ body: `conn.execute(&${sql}, [])?;` }),
      (sql) => ({ body: `let rows = client.query(${sql}.as_str(), &[]).await?;` }),
      (sql) => ({ body: `let sql = ${sql};\nconn.execute(&sql, params![])?;` }),
      (sql) => ({ body: `let query = ${sql};\nlet count: i64 = sqlx::query_scalar(&query).fetch_one(pool).await?;` }),
      (sql) => ({ body: `diesel::sql_query(${sql}).execute(&mut connection)?;` }),
      (sql) => ({ body: `let statement = conn.prepare(&${sql})?;` }),
    ],
    SQL_FORMATS,
  ),
  { body: `client.batch_execute(&format!("DELETE FROM {} WHERE day < {}", table, day)).await?;` },
  { body: `let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {}", table), [], |row| row.get(0))?;` },
  {
    body: `let q = format!("SELECT id FROM t WHERE a = {}", a);\nlet rows = conn.query_map(&*q, [], |row| row.get(0))?;`,
  },
];

const SQL_NEGATIVES: RustCase[] = [
  ...expand<string>(
    [
      (name) => ({
        body: `let rows = sqlx::query("SELECT * FROM users WHERE id = $1").bind(${name}).fetch_all(pool).await?;`,
      }),
      (name) => ({
        body: `let user = sqlx::query!("SELECT * FROM users WHERE id = $1", ${name}).fetch_one(pool).await?;`,
      }),
      (name) => ({
        body: `let user = sqlx::query_as!(User, "SELECT * FROM users WHERE name = $1", ${name}).fetch_one(pool).await?;`,
      }),
      (name) => ({ body: `conn.execute("INSERT INTO t (a) VALUES (?1)", params![${name}])?;` }),
      (name) => ({ body: `let greeting = format!("Hello {}", ${name});\nmailer.execute(&greeting)?;` }),
      (name) => ({ body: `let sql = format!("SELECT * FROM t WHERE id = {}", ${name});\nprintln!("{}", sql);` }),
      (name) => ({ body: `conn.execute(&format!("SELECT 1"), [])?; let _ = ${name};` }),
      (name) => ({
        items: `const LIST_${name.toUpperCase()}: &str = "SELECT * FROM t WHERE id = ?";`,
        body: `conn.execute(LIST_${name.toUpperCase()}, [&${name}])?;`,
      }),
      (name) => ({ body: `let sql = "DELETE FROM t WHERE id = $1";\nclient.query(sql, &[&${name}]).await?;` }),
      (name) => ({ body: `let job = sqlx::query("SELECT 1");\njob.execute(pool).await?; let _ = ${name};` }),
      (name) => ({ body: `dialog.execute(&format!("Please select a file from the list: {}", ${name}))?;` }),
      (name) => ({ body: `runner.execute(&format!("{} rows deleted from the cache", ${name}))?;` }),
      (name) => ({ body: `// conn.execute(&format!("SELECT * FROM t WHERE id = {}", ${name}), [])\nlet done = true;` }),
      (name) => ({ body: `let text = "conn.execute(&format!(\\"SELECT * FROM t WHERE id = {}\\", ${name}), [])";` }),
      (name) => ({
        body: `let stmt = conn.prepare("UPDATE users SET seen = 1 WHERE id = ?1")?;\nstmt.execute([${name}])?;`,
      }),
      (name) => ({ body: `let label = format!("Selected {} items", ${name});\nui.query(&label);` }),
    ],
    ['id', 'user_id', 'name'],
  ),
];

describe('rust/sql-concat', () => {
  it('labelled corpus: recall >= 95%, no false positives', () => {
    assertCorpus('rust/sql-concat', SQL_POSITIVES, SQL_NEGATIVES);
  });

  it('reports at the method name of the sink, or at the start of a path call', () => {
    const text = [
      'async fn f(pool: &PgPool, id: i64) {',
      '    let rows = client',
      '        .query(&format!("SELECT * FROM t WHERE id = {}", id), &[])', // 3
      '        .await;',
      '    sqlx::query(&format!("DELETE FROM t WHERE id = {id}"));', // 5
      '}',
    ].join('\n');
    expect(scan(text)).toEqual([
      { ruleId: 'rust/sql-concat', severity: 'high', line: 3, column: 10 },
      { ruleId: 'rust/sql-concat', severity: 'high', line: 5, column: 5 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// rust/tls-disabled

const BUILDERS = [
  'reqwest::Client::builder()',
  'reqwest::blocking::Client::builder()',
  'native_tls::TlsConnector::builder()',
  'ClientBuilder::new()',
];

const TLS_POSITIVES: RustCase[] = expand<string>(
  [
    (builder) => ({ body: `let client = ${builder}.danger_accept_invalid_certs(true).build()?;` }),
    (builder) => ({ body: `let client = ${builder}.danger_accept_invalid_hostnames(true).build()?;` }),
    (builder) => ({
      body: `let client = ${builder}\n    .timeout(Duration::from_secs(5))\n    .danger_accept_invalid_certs(true)\n    .build()?;`,
    }),
    (builder) => ({ body: `let mut builder = ${builder};\nbuilder = builder.danger_accept_invalid_certs(true);` }),
    (builder) => ({ body: `let mut builder = ${builder};\nbuilder.danger_accept_invalid_hostnames(true);` }),
    (builder) => ({
      body: `let connector = ${builder}.danger_accept_invalid_certs(true).danger_accept_invalid_hostnames(true).build()?;`,
    }),
    (builder) => ({ body: `let client = ${builder}.danger_accept_invalid_certs( true ).build()?;` }),
    (builder) => ({ body: `let make = || ${builder}.danger_accept_invalid_certs(true);` }),
    (builder) => ({ items: `fn insecure() -> Builder {\n    ${builder}.danger_accept_invalid_certs(true)\n}` }),
    (builder) => ({ body: `if debug {\n    client = ${builder}.danger_accept_invalid_certs(true).build()?;\n}` }),
  ],
  BUILDERS,
);

const TLS_NEGATIVES: RustCase[] = expand<string>(
  [
    (builder) => ({ body: `let client = ${builder}.danger_accept_invalid_certs(false).build()?;` }),
    (builder) => ({ body: `let client = ${builder}.danger_accept_invalid_hostnames(false).build()?;` }),
    (builder) => ({ body: `let client = ${builder}.danger_accept_invalid_certs(insecure).build()?;` }),
    (builder) => ({ body: `let client = ${builder}.danger_accept_invalid_certs(config.insecure).build()?;` }),
    (builder) => ({ body: `let client = ${builder}.add_root_certificate(cert).build()?;` }),
    (builder) => ({ body: `let client = ${builder}.https_only(true).tls_built_in_root_certs(true).build()?;` }),
    (builder) => ({ body: `// ${builder}.danger_accept_invalid_certs(true)\nlet ok = true;` }),
    (builder) => ({ body: `let doc = "${builder}.danger_accept_invalid_certs(true)";` }),
    (builder) => ({
      items: `impl Fake {\n    fn danger_accept_invalid_certs(self, accept: bool) -> Self {\n        let _ = ${builder.length};\n        self\n    }\n}`,
    }),
    (builder) => ({ body: `let client = ${builder}.danger_accept_invalid_certs(!verify).build()?;` }),
  ],
  BUILDERS,
);

describe('rust/tls-disabled', () => {
  it('labelled corpus: recall >= 95%, no false positives', () => {
    assertCorpus('rust/tls-disabled', TLS_POSITIVES, TLS_NEGATIVES);
  });

  it('reports at the method name with high severity', () => {
    const text = 'fn c() {\n    let c = reqwest::Client::builder()\n        .danger_accept_invalid_certs(true);\n}';
    expect(scan(text)).toEqual([{ ruleId: 'rust/tls-disabled', severity: 'high', line: 3, column: 10 }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Evasions: each one written the way a patch would hide it

describe('rust evasions', () => {
  it.each<[string, RustCase, RuleId]>([
    [
      'full path std::process::Command',
      { body: 'std::process::Command::new("sh").arg("-c").arg(input).status();' },
      'rust/shell-exec',
    ],
    [
      'process::Command with .args',
      { body: 'process::Command::new("bash").args(["-c", &input]).status();' },
      'rust/shell-exec',
    ],
    [
      'later .args on the variable',
      { body: 'let mut c = Command::new("sh");\nc.args(["-c", input.as_str()]);\nc.status();' },
      'rust/shell-exec',
    ],
    [
      'script built by format! in a let',
      { body: 'let s = format!("rm -rf {}", input);\nCommand::new("sh").arg("-c").arg(&s).status();' },
      'rust/shell-exec',
    ],
    [
      'env wrapper around the shell',
      { body: 'Command::new("/usr/bin/env").arg("bash").arg("-c").arg(input).status();' },
      'rust/shell-exec',
    ],
    [
      '&format! into sqlx::query',
      { body: 'sqlx::query(&format!("SELECT * FROM t WHERE id = {}", input));' },
      'rust/sql-concat',
    ],
    [
      'format! through a let and &*',
      { body: 'let q = format!("DELETE FROM t WHERE id = {input}");\nconn.execute(&*q, []);' },
      'rust/sql-concat',
    ],
    [
      'format!(..).as_str()',
      { body: 'conn.execute(format!("UPDATE t SET a = {}", input).as_str(), []);' },
      'rust/sql-concat',
    ],
    [
      'turbofish query_as',
      { body: 'sqlx::query_as::<_, Row>(&format!("SELECT * FROM {}", input));' },
      'rust/sql-concat',
    ],
    ['unsafe block inside a macro argument', { body: 'assert!(unsafe { check(input) });' }, 'rust/unsafe'],
    ['unsafe extern block (Rust 2024)', { items: 'unsafe extern "C" {\n    fn getpid() -> i32;\n}' }, 'rust/unsafe'],
    [
      'unsafe impl generated by macro_rules',
      { items: 'macro_rules! send {\n    ($t:ty) => {\n        unsafe impl Send for $t {}\n    };\n}' },
      'rust/unsafe',
    ],
    [
      'danger_* split over lines',
      { body: 'let c = Client::builder()\n    .danger_accept_invalid_hostnames(\n        true,\n    );' },
      'rust/tls-disabled',
    ],
  ])('%s', (_name, rustCase, ruleId) => {
    expect(rulesOf(render(rustCase))).toContain(ruleId);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// All rules together

describe('scanRust', () => {
  it('finds nothing at all in one file made of every negative case', () => {
    const negatives = [...UNSAFE_NEGATIVES, ...SHELL_NEGATIVES, ...SQL_NEGATIVES, ...TLS_NEGATIVES];
    const text = negatives.map((rustCase, index) => render(rustCase, index)).join('\n');
    expect(scan(text)).toEqual([]);
  });

  it('finds every positive again when all of them share one file', () => {
    const groups: [RuleId, RustCase[]][] = [
      ['rust/unsafe', UNSAFE_POSITIVES],
      ['rust/shell-exec', SHELL_POSITIVES],
      ['rust/sql-concat', SQL_POSITIVES],
      ['rust/tls-disabled', TLS_POSITIVES],
    ];
    for (const [ruleId, positives] of groups) {
      const text = positives.map((rustCase, index) => render(rustCase, index)).join('\n');
      const count = scan(text).filter((finding) => finding.ruleId === ruleId).length;
      expect(count, ruleId).toBeGreaterThanOrEqual(Math.ceil(positives.length * 0.95));
    }
  });

  it('returns nothing for a file without any rule keyword', () => {
    expect(scan('fn main() {\n    println!("hello");\n}\n')).toEqual([]);
  });

  // Behaviour only: bench/security.bench.ts measures how long these take.
  it('scans a 1 MB single-line file and a 100k-character string literal', () => {
    const unit =
      'let x = unsafe { f(1) }; Command::new("sh").arg("-c").arg(&y); conn.execute(&format!("SELECT a FROM t WHERE id = {}", id), []); ';
    const big = `fn main() { ${unit.repeat(Math.ceil(1_000_000 / unit.length))} }`;
    const findings = scan(big);
    expect(findings.length).toBeGreaterThan(1000);
    const literal = 'SELECT select from '.repeat(5_300).slice(0, 100_000);
    const text = `fn main() {\n    conn.execute(&format!("${literal} {}", id), []);\n    let s = "${literal}";\n}`;
    expect(rulesOf(text)).toEqual(['rust/sql-concat']);
  });
});

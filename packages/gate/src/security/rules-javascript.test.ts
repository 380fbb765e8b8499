// Labelled corpus for the TS/JS dangerous-code rules, generated at test time: templates for each rule are combined
// with variants (input expressions, receivers, quote styles, file kinds, import styles). Every rule must find >= 95 %
// of its positives and nothing on its negatives; a file made of all negatives must produce no finding at all.
import { syntaxTree } from '@kode/lang';
import { describe, expect, it } from 'vitest';
import { scanJavaScript } from './rules-javascript.js';
import type { SecurityFinding } from './types.js';

type RuleId = 'js/eval' | 'js/shell-exec' | 'js/sql-concat' | 'js/tls-disabled' | 'js/html-injection';

interface Variant {
  /** A non-literal input expression. */
  readonly x: string;
  /** Quote character for string literals. */
  readonly q: string;
  /** A database client receiver. */
  readonly r: string;
  /** A DOM element receiver. */
  readonly el: string;
  /** A local name for options objects and results. */
  readonly name: string;
  readonly path: 'case.ts' | 'case.js' | 'case.tsx';
}

const VARIANTS: readonly Variant[] = [
  { x: 'input', q: "'", r: 'db', el: 'element', name: 'options', path: 'case.ts' },
  { x: 'req.body.value', q: '"', r: 'pool', el: 'container', name: 'settings', path: 'case.js' },
  { x: 'userValue', q: "'", r: 'this.client', el: 'document.body', name: 'config', path: 'case.tsx' },
];

interface Template {
  readonly code: (variant: Variant) => string;
  /** Uses JSX: parsed as .tsx/.jsx. */
  readonly jsx?: boolean;
  /** Uses TypeScript-only syntax: parsed as .ts/.tsx. */
  readonly typescript?: boolean;
}

interface Case {
  readonly name: string;
  readonly path: string;
  readonly code: string;
}

function template(code: (variant: Variant) => string, flags: Omit<Template, 'code'> = {}): Template {
  return { code, ...flags };
}

function pathFor(variant: Variant, flags: Omit<Template, 'code'>): string {
  if (flags.jsx === true) return variant.path === 'case.js' ? 'case.jsx' : 'case.tsx';
  if (flags.typescript === true) return variant.path === 'case.js' ? 'case.ts' : variant.path;
  return variant.path;
}

/** Every template with every variant (identical expansions are kept once). */
function expand(prefix: string, templates: readonly Template[]): Case[] {
  const cases: Case[] = [];
  const seen = new Set<string>();
  templates.forEach((entry, templateIndex) => {
    VARIANTS.forEach((variant, variantIndex) => {
      const code = entry.code(variant);
      const path = pathFor(variant, entry);
      if (seen.has(`${path}\u0000${code}`)) return;
      seen.add(`${path}\u0000${code}`);
      cases.push({ name: `${prefix}#${templateIndex}.${variantIndex} (${path})`, path, code });
    });
  });
  return cases;
}

function scan(code: string, path = 'case.ts'): SecurityFinding[] {
  const language = path.endsWith('.ts') || path.endsWith('.tsx') ? 'typescript' : 'javascript';
  const tree = syntaxTree({ language, path, text: code });
  if (tree === null || tree.kind !== 'typescript') throw new Error('expected a TypeScript syntax tree');
  return scanJavaScript(tree);
}

function hits(testCase: Case, rule: RuleId): number {
  return scan(testCase.code, testCase.path).filter((finding) => finding.ruleId === rule).length;
}

// ---------------------------------------------------------------------------------------------------------------------
// js/eval

const EVAL_POSITIVES = expand('eval+', [
  template((v) => `eval(${v.x});`),
  template((v) => `const result = eval(${v.x});`),
  template((v) => `const ${v.name} = new Function(${v.x});`),
  template((v) => `new Function(${v.q}a${v.q}, ${v.q}b${v.q}, ${v.x});`),
  template((v) => `Function(${v.x})();`),
  template((v) => `const fn = new Function(${v.q}return ${v.q} + ${v.x});`),
  template((v) => `globalThis[${v.q}ev${v.q} + ${v.q}al${v.q}](${v.x});`),
  template((v) => `window[${v.q}eval${v.q}](${v.x});`),
  template((v) => `window[\`eval\`](${v.x});`),
  template((v) => `global.eval(${v.x});`),
  template((v) => `self.eval(${v.x});`),
  template((v) => `(0, eval)(${v.x});`),
  template((v) => `const e = eval;\ne(${v.x});`),
  template((v) => `const indirect = (0, eval);\nindirect(${v.x});`),
  template((v) => `eval.call(null, ${v.x});`),
  template((v) => `window.eval.call(window, ${v.x});`),
  template((v) => `eval(\`return \${${v.x}}\`);`),
  template((v) => `globalThis.Function(${v.x})();`),
  template((v) => `const code = ${v.q}return ${v.q} + ${v.x};\neval(code);`),
  template((v) => `async function run(source) {\n  return eval(source);\n}\nrun(${v.x});`),
  template((v) => `import vm from ${v.q}vm${v.q};\nvm.runInNewContext(${v.x}, {});`),
  template((v) => `import * as vm from 'node:vm';\nvm.runInContext(${v.x}, context);`),
  template((v) => `const vm = require(${v.q}vm${v.q});\nvm.runInThisContext(${v.x});`),
  template((v) => `import { compileFunction } from 'vm';\ncompileFunction(${v.x}, ['a']);`),
  template((v) => `const vm = require('node:vm');\nconst script = new vm.Script(${v.x});`),
  template((v) => `import { Script } from 'vm';\nnew Script(${v.x}).runInThisContext();`),
  template((v) => `vm.runInNewContext(${v.x}, sandbox);`),
  template((v) => `require('vm').runInNewContext(${v.x}, sandbox);`),
  template((v) => `const { runInNewContext: run } = require('vm');\nrun(${v.x});`),
  template((v) => `const evaluate = (text: string): unknown => eval(text as string);\nevaluate(${v.x});`, {
    typescript: true,
  }),
]);

const EVAL_NEGATIVES = expand('eval-', [
  template((v) => `eval(${v.q}1 + 1${v.q});`),
  template(() => 'eval(`2 * 3`);'),
  template((v) => `new Function(${v.q}return this${v.q})();`),
  template((v) => `new Function(${v.q}a${v.q}, ${v.q}b${v.q}, ${v.q}return a + b${v.q});`),
  template((v) => `Function(${v.q}return this${v.q})();`),
  template((v) => `const code = ${v.q}1 + 1${v.q};\neval(code);`),
  template((v) => `globalThis[${v.q}ev${v.q} + ${v.q}al${v.q}](${v.q}2 + 2${v.q});`),
  template((v) => `math.eval(${v.x});`),
  template((v) => `const value = parser.eval(${v.x});`),
  template(() => `await redis.eval(script, 1, key);`),
  template((v) => `this.eval(${v.x});`),
  template(() => `class Calculator {\n  eval(expression) {\n    return this.parse(expression);\n  }\n}`),
  template((v) => `const self = this;\nself.eval(${v.x});`),
  template((v) => `const evaluate = (text) => text;\nevaluate(${v.x});`),
  template((v) => `// eval(${v.x}) would be dangerous here`),
  template((v) => `const help = ${v.q}never call eval(input) or new Function(body)${v.q};`),
  template((v) => `JSON.parse(${v.x});`),
  template((v) => `setTimeout(${v.x}, 100);`),
  template(() => `vm.runInNewContext('a + b', { a: 1, b: 2 });`),
  template(
    () => `import vm from 'vm';\nconst script = new vm.Script('globalThis.x = 1');\nscript.runInContext(context);`,
  ),
  template((v) => `const vm = useViewModel();\nvm.runInContext(${v.x});`),
  template(() => `await page.$eval(selector, (node) => node.textContent);`),
  template((v) => `await page.evaluate(${v.x});`),
  template(() => `const empty = new Function();\neval();`),
  template((v) => `obj.Function(${v.x});`),
  template((v) => `import { runInNewContext } from './sandbox';\nrunInNewContext(${v.x});`),
  template((v) => `import { compileFunction } from './compiler';\ncompileFunction(${v.x});`),
  template(() => `type Evaluator = (code: string) => unknown;\ndeclare const evaluator: Evaluator;`, {
    typescript: true,
  }),
  template(() => `const source = eval.toString();\nFunction.prototype.call.call(fn, ctx);`),
  template((v) => `const eval2 = require('./eval');\neval2(${v.x});`),
]);

// ---------------------------------------------------------------------------------------------------------------------
// js/shell-exec

/** Import styles: a header and how a function of child_process is named in calls. */
const SHELL_IMPORTS: readonly { header: (q: string) => string; call: (fn: string) => string; typescript?: boolean }[] =
  [
    {
      header: (q) => `import { exec, execSync, spawn, spawnSync, execFile, execFileSync } from ${q}child_process${q};`,
      call: (fn) => fn,
    },
    { header: (q) => `import * as cp from ${q}node:child_process${q};`, call: (fn) => `cp.${fn}` },
    { header: (q) => `import childProcess from ${q}child_process${q};`, call: (fn) => `childProcess.${fn}` },
    { header: (q) => `const cp = require(${q}child_process${q});`, call: (fn) => `cp.${fn}` },
    {
      header: (q) =>
        `const { exec, execSync, spawn, spawnSync, execFile, execFileSync } = require(${q}node:child_process${q});`,
      call: (fn) => fn,
    },
    {
      header: (q) => `const proc = require(${q}child_${q} + ${q}process${q});`,
      call: (fn) => `proc[${'"'}${fn}${'"'}]`,
    },
    {
      header: (q) => `import cp = require(${q}child_process${q});`,
      call: (fn) => `cp.${fn}`,
      typescript: true,
    },
  ];

const SHELL_CALLS: readonly ((call: (fn: string) => string, v: Variant) => string)[] = [
  (call, v) => `${call('exec')}(${v.x});`,
  (call, v) => `${call('exec')}(${v.x}, (error, stdout) => console.log(stdout));`,
  (call, v) => `${call('execSync')}(${v.x}, { stdio: 'inherit' });`,
  (call, v) => `${call('execSync')}(\`git checkout \${${v.x}}\`);`,
  (call, v) => `${call('exec')}(${v.q}rm -rf ${v.q} + ${v.x});`,
  (call, v) => `${call('spawn')}(${v.x}, [], { shell: true });`,
  (call, v) => `${call('spawn')}(${v.x}, { shell: true, stdio: 'inherit' });`,
  (call, v) => `${call('spawnSync')}(${v.x}, args, { shell: ${v.q}/bin/bash${v.q} });`,
  (call, v) => `${call('execFile')}(${v.x}, [], { shell: true }, callback);`,
  (call, v) => `${call('execFileSync')}(${v.x}, { shell: !0 });`,
];

const SHELL_NEGATIVE_CALLS: readonly ((call: (fn: string) => string, v: Variant) => string)[] = [
  (call, v) => `${call('exec')}(${v.q}ls -la${v.q});`,
  (call) => `${call('execSync')}(\`git status\`);`,
  (call, v) => `${call('exec')}(${v.q}git log ${v.q} + ${v.q}--oneline${v.q}, callback);`,
  (call, v) => `${call('spawn')}(${v.x}, args);`,
  (call, v) => `${call('spawn')}(${v.x}, [], { shell: false });`,
  (call, v) => `${call('execFile')}(${v.q}git${v.q}, [${v.q}log${v.q}, ${v.x}]);`,
  (call, v) => `${call('spawnSync')}('git', ['commit', '-m', ${v.x}], { stdio: 'inherit' });`,
  (call, v) => `${call('spawn')}(${v.x}, args, { shell: process.platform === 'win32' });`,
  (call, v) => `const COMMAND = ${v.q}npm test${v.q};\n${call('execSync')}(COMMAND);`,
  (call, v) => `${call('spawn')}('npm', ['run', 'build'], { shell: true, cwd: ${v.x} });`,
];

function shellCases(prefix: string, calls: typeof SHELL_CALLS): Case[] {
  const cases: Case[] = [];
  SHELL_IMPORTS.forEach((style, styleIndex) => {
    calls.forEach((call, callIndex) => {
      const variant = VARIANTS[(styleIndex + callIndex) % VARIANTS.length] ?? VARIANTS[0];
      if (variant === undefined) return;
      const flags = { typescript: style.typescript === true };
      const path = pathFor(variant, flags);
      const code = `${style.header(variant.q)}\n${call(style.call, variant)}`;
      cases.push({ name: `${prefix}#${styleIndex}.${callIndex} (${path})`, path, code });
    });
  });
  return cases;
}

const SHELL_POSITIVES = [
  ...shellCases('shell+', SHELL_CALLS),
  ...expand('shell+extra', [
    template(
      (v) =>
        `import { promisify } from 'util';\nimport { exec } from 'child_process';\nconst execAsync = promisify(exec);\nawait execAsync(${v.x});`,
    ),
    template(
      (v) => `const util = require('util');\nconst run = util.promisify(require('child_process').exec);\nrun(${v.x});`,
    ),
    template((v) => `require('child_process').exec(${v.x});`),
    template((v) => `(await import('node:child_process')).execSync(${v.x});`),
    template((v) => `const { execSync } = await import('child_process');\nexecSync(${v.x});`),
    template(
      (v) =>
        `import { spawn } from 'child_process';\nconst ${v.name} = { shell: true };\nspawn(${v.x}, [], ${v.name});`,
    ),
    template((v) => `const { exec: run } = require('child_process');\nrun(\`tar -xf \${${v.x}}\`);`),
    template((v) => `import cp from 'child_process';\nconst command = 'convert ' + ${v.x};\ncp.execSync(command);`),
  ]),
];

const SHELL_NEGATIVES = [
  ...shellCases('shell-', SHELL_NEGATIVE_CALLS),
  ...expand('shell-lookalike', [
    template((v) => `const match = regex.exec(${v.x});`),
    template((v) => `const groups = /a(b)/.exec(${v.x});`),
    template((v) => `${v.r}.exec(${v.x});`),
    template((v) => `import { exec } from './db';\nexec(${v.x});`),
    template((v) => `function exec(command) {\n  return command;\n}\nexec(${v.x});`),
    template(
      (v) => `import { exec } from 'child_process';\nfunction run(exec) {\n  return exec(${v.x});\n}\nexec('make');`,
    ),
    template((v) => `// exec(${v.x}) runs a shell`),
    template((v) => `const text = ${v.q}child_process.exec(cmd) is dangerous${v.q};`),
    template((v) => `import { fork } from 'child_process';\nfork(${v.x});`),
    template((v) => `await execa(${v.x}, args);`),
  ]),
];

// ---------------------------------------------------------------------------------------------------------------------
// js/sql-concat

const SQL_POSITIVES = expand('sql+', [
  template((v) => `${v.r}.query(${v.q}SELECT * FROM users WHERE id = ${v.q} + ${v.x});`),
  template((v) => `${v.r}.query(\`SELECT * FROM users WHERE email = '\${${v.x}}'\`);`),
  template((v) => `${v.r}.execute('DELETE FROM sessions WHERE token = \\'' + ${v.x} + '\\'');`),
  template((v) => `${v.r}.raw(\`UPDATE accounts SET balance = \${${v.x}} WHERE id = 1\`);`),
  template(
    (v) =>
      `const sql = "SELECT name FROM products WHERE category = '" + ${v.x} + "'";\nconst rows = await ${v.r}.query(sql);`,
  ),
  template((v) => `let query = \`INSERT INTO logs (message) VALUES ('\${${v.x}}')\`;\n${v.r}.query(query);`),
  template((v) => `await prisma.$queryRawUnsafe(\`SELECT * FROM "User" WHERE name = '\${${v.x}}'\`);`),
  template((v) => `await prisma.$executeRawUnsafe('DELETE FROM "Post" WHERE id = ' + ${v.x});`),
  template(
    (v) =>
      `await sequelize.query(\`select * from orders where customer_id = \${${v.x}}\`, { type: QueryTypes.SELECT });`,
  ),
  template((v) => `knex.raw('select * from users where name = \\'' + ${v.x} + '\\'');`),
  template((v) => `${v.r}.query({ text: ${v.q}SELECT * FROM t WHERE id = ${v.q} + ${v.x} });`),
  template((v) => `const rows = await query(\`SELECT * FROM items WHERE owner = \${${v.x}}\`);`),
  template(
    (v) => `let sql = 'SELECT * FROM users WHERE 1 = 1';\nsql += " AND name = '" + ${v.x} + "'";\n${v.r}.query(sql);`,
  ),
  template((v) => `${v.r}.query(\`SELECT * FROM t ORDER BY \${${v.x}}\`, []);`),
  template((v) => `db.prepare("SELECT * FROM notes WHERE title LIKE '%" + ${v.x} + "%'").all();`),
  template((v) => `${v.r}.execute(\`ALTER TABLE users ADD COLUMN \${${v.x}} TEXT\`);`),
  template((v) => `const where = 'WHERE id = ' + ${v.x};\n${v.r}.query('SELECT * FROM users ' + where);`),
  template(
    (v) => `${v.r}.query(\`WITH recent AS (SELECT * FROM events WHERE user_id = \${${v.x}}) SELECT * FROM recent\`);`,
  ),
  template(
    (v) => `const sql = \`UPDATE users SET name = '\${${v.x}}' WHERE id = \${id}\`;\nawait ${v.r}.execute(sql);`,
  ),
  template((v) => `${v.r}.query("INSERT INTO audit (action) VALUES ('" + ${v.x} + "')", callback);`),
  template((v) => `await sql.unsafe(\`SELECT * FROM t WHERE id = \${${v.x}}\`);`),
  template(
    (v) =>
      `async function find(name: string) {\n  const text = \`SELECT * FROM people WHERE name = '\${name}'\`;\n  return ${v.r}.query(text as string);\n}`,
    { typescript: true },
  ),
]);

const SQL_NEGATIVES = expand('sql-', [
  template((v) => `${v.r}.query('SELECT * FROM users WHERE id = $1', [${v.x}]);`),
  template((v) => `${v.r}.query("SELECT * FROM users WHERE id = ?", [${v.x}]);`),
  template((v) => `${v.r}.query(sql\`SELECT * FROM users WHERE id = \${${v.x}}\`);`),
  template((v) => `await prisma.$queryRaw\`SELECT * FROM "User" WHERE id = \${${v.x}}\`;`),
  template((v) => `await prisma.$queryRaw(Prisma.sql\`SELECT * FROM "User" WHERE id = \${${v.x}}\`);`),
  template((v) => `const rows = await sql\`SELECT * FROM users WHERE name = \${${v.x}}\`;`),
  template((v) => `knex.raw('select * from users where id = ?', [${v.x}]);`),
  template((v) => `await sequelize.query('SELECT * FROM users WHERE id = :id', { replacements: { id: ${v.x} } });`),
  template((v) => `${v.r}.query(${v.q}SELECT ${v.q} + ${v.q}COUNT(*) FROM users${v.q});`),
  template((v) => `const TABLE = 'users';\n${v.r}.query('SELECT * FROM ' + TABLE + ' WHERE id = $1', [${v.x}]);`),
  template((v) => `${v.r}.query(\`SELECT * FROM \${table} WHERE id = $1\`, [${v.x}]);`),
  template(
    (v) =>
      `const placeholders = ids.map(() => '?').join(', ');\n${v.r}.query(\`SELECT * FROM t WHERE id IN (\${placeholders})\`, ids);`,
  ),
  template(
    (v) => `${v.r}.query(\`SELECT * FROM t WHERE id IN (\${ids.map((_, i) => '$' + (i + 1)).join(', ')})\`, ids);`,
  ),
  template((v) => `${v.r}.query(\`SELECT * FROM t LIMIT \${Number(${v.x})}\`);`),
  template((v) => `${v.r}.query('SELECT * FROM t WHERE name = ' + connection.escape(${v.x}));`),
  template((v) => `logger.info('SELECT * FROM users failed for ' + ${v.x});`),
  template((v) => `${v.r}.query('Hello ' + ${v.x});`),
  template((v) => `const match = /^(\\w+)/.exec(${v.x});`),
  template((v) => `${v.r}.query(${v.x});`),
  template((v) => `const message = 'SELECT * FROM users WHERE id = ' + ${v.x};\nconsole.log(message);`),
  template((v) => `const url = api.query('/search?q=' + ${v.x});`),
  template((v) => `${v.r}.query(\`SELECT * FROM t WHERE created_at > NOW() - INTERVAL '1 day'\`);`),
  template((v) => `${v.r}.execute('UPDATE t SET seen = true WHERE id = ?', [${v.x}]);`),
  template((v) => `await graphql.query(\`query { user(id: "\${${v.x}}") { name } }\`);`),
  template((v) => `const sql = 'SELECT * FROM users WHERE id = $1';\n${v.r}.query(sql, [${v.x}]);`),
  template(
    (v) =>
      `let sql = 'SELECT * FROM users WHERE 1 = 1';\nif (${v.x}) sql += ' AND name = ?';\n${v.r}.query(sql, params);`,
  ),
  template((v) => `${v.r}.query(\`SELECT * FROM \${schema}.\${table} WHERE id = $1\`, [${v.x}]);`),
  template((v) => `// ${v.r}.query("SELECT * FROM users WHERE id = " + id)`),
  template((v) => `${v.r}.query(\`SELECT * FROM t WHERE active = \${${v.x} ? 'true' : 'false'}\`);`),
  template((v) => `res.send('Update ' + ${v.x} + ' set successfully');`),
  template((v) => `${v.r}.query(\`SELECT * FROM t WHERE id = \${parseInt(${v.x}, 10)}\`);`),
  template((v) => `${v.r}.query(\`SELECT * FROM t WHERE id IN (\${Array(n).fill('?').join(',')})\`, ${v.x});`),
]);

// ---------------------------------------------------------------------------------------------------------------------
// js/tls-disabled

const TLS_POSITIVES = expand('tls+', [
  template((v) => `https.request({ hostname: ${v.x}, rejectUnauthorized: false });`),
  template(() => `const agent = new https.Agent({ rejectUnauthorized: false });`),
  template((v) => `tls.connect(443, ${v.x}, { rejectUnauthorized: false });`),
  template((v) => `const ${v.name} = { rejectUnauthorized: false, ca };`),
  template(() => `const api = axios.create({ httpsAgent: new Agent({ rejectUnauthorized: false }) });`),
  template(() => `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';`),
  template(() => `process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";`),
  template(() => `process.env.NODE_TLS_REJECT_UNAUTHORIZED = 0;`),
  template((v) => `process.env[${v.q}NODE_TLS_REJECT_UNAUTHORIZED${v.q}] = ${v.q}0${v.q};`),
  template(() => 'process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = `0`;'),
  template((v) => `const ${v.name} = { ${v.q}rejectUnauthorized${v.q}: false };`),
  template(() => `agent.options.rejectUnauthorized = false;`),
  template(() => `https.globalAgent.options.rejectUnauthorized = false;`),
  template(() => `var o={host:h,rejectUnauthorized:!1};`),
  template(
    (v) => `spawn('node', ['app.js'], { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: ${v.q}0${v.q} } });`,
  ),
  template((v) => `const socket = new WebSocket(${v.x}, { rejectUnauthorized: false });`),
  template(() => `const insecure = false;\nconst agent = new https.Agent({ rejectUnauthorized: insecure });`),
  template((v) => `await fetch(${v.x}, { agent: new https.Agent({ ['rejectUnauthorized']: false }) });`),
  template(() => `Object.assign(process.env, { NODE_TLS_REJECT_UNAUTHORIZED: '0' });`),
  template(() => `const connection = mysql.createConnection({ host, ssl: { rejectUnauthorized: false } });`),
  template(() => `const pool = new Pool({ connectionString, ssl: { rejectUnauthorized: false } as const });`, {
    typescript: true,
  }),
]);

const TLS_NEGATIVES = expand('tls-', [
  template(() => `https.request({ hostname, rejectUnauthorized: true });`),
  template((v) => `const agent = new https.Agent({ rejectUnauthorized: ${v.x} });`),
  template(() => `const agent = new https.Agent({ rejectUnauthorized: !insecure });`),
  template(() => `tls.connect({ host, rejectUnauthorized: process.env.NODE_ENV === 'production' });`),
  template(() => `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';`),
  template(
    () => `if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {\n  console.warn('TLS verification is disabled');\n}`,
  ),
  template(() => `delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;`),
  template(
    () => `const rejectUnauthorized = process.env.INSECURE !== '1';\nhttps.request({ host, rejectUnauthorized });`,
  ),
  template(
    () => `type TlsOptions = { rejectUnauthorized: false | true };\ninterface Strict { rejectUnauthorized: true }`,
    {
      typescript: true,
    },
  ),
  template(() => `// rejectUnauthorized: false is only for local tests`),
  template((v) => `const docs = ${v.q}never set rejectUnauthorized: false in production${v.q};`),
  template((v) => `const { rejectUnauthorized = true } = ${v.name};`),
  template((v) => `${v.name}.rejectUnauthorized = true;`),
  template(
    (v) =>
      `if (${v.name}.rejectUnauthorized === false) {\n  throw new Error('refusing to disable certificate checks');\n}`,
  ),
  template((v) => `process.env.NODE_TLS_REJECT_UNAUTHORIZED = ${v.x};`),
  template(
    () => `const ca = fs.readFileSync('ca.pem');\nconst agent = new https.Agent({ ca, rejectUnauthorized: true });`,
  ),
  template(() => `const server = tls.createServer({ requestCert: false, key, cert });`),
  template(() => `const settings = { rejectUnauthorizedWarnings: false, strictSSL: true };`),
  template(() => `log({ NODE_TLS_REJECT_UNAUTHORIZED: process.env.NODE_TLS_REJECT_UNAUTHORIZED, verbose: false });`),
  template(() => `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0' + suffix;`),
]);

// ---------------------------------------------------------------------------------------------------------------------
// js/html-injection

const HTML_POSITIVES = expand('html+', [
  template((v) => `${v.el}.innerHTML = ${v.x};`),
  template((v) => `${v.el}.innerHTML = ${v.q}<p>${v.q} + ${v.x} + ${v.q}</p>${v.q};`),
  template((v) => `${v.el}.outerHTML = \`<div class="card">\${${v.x}}</div>\`;`),
  template((v) => `${v.el}.innerHTML += ${v.x};`),
  template((v) => `${v.el}.insertAdjacentHTML(${v.q}beforeend${v.q}, ${v.x});`),
  template((v) => `${v.el}.insertAdjacentHTML('afterbegin', \`<li>\${${v.x}}</li>\`);`),
  template((v) => `document.write(${v.x});`),
  template((v) => `document.writeln('<script src="' + ${v.x} + '"></script>');`),
  template((v) => `iframe.contentDocument.write(${v.x});`),
  template((v) => `window.document.write(${v.x});`),
  template((v) => `const view = <div dangerouslySetInnerHTML={{ __html: ${v.x} }} />;`, { jsx: true }),
  template((v) => `const view = <span dangerouslySetInnerHTML={{ __html: marked(${v.x}) }}></span>;`, { jsx: true }),
  template((v) => `React.createElement('div', { dangerouslySetInnerHTML: { __html: ${v.x} } });`),
  template((v) => `const html = \`<b>\${${v.x}}</b>\`;\n${v.el}.innerHTML = html;`),
  template((v) => `${v.el}[${v.q}innerHTML${v.q}] = ${v.x};`),
  template((v) => `const markup = { __html: ${v.x} };\nconst view = <div dangerouslySetInnerHTML={markup} />;`, {
    jsx: true,
  }),
  template((v) => `const __html = ${v.x};\nconst view = <div dangerouslySetInnerHTML={{ __html }} />;`, {
    jsx: true,
  }),
  template((v) => `document.querySelector('#out').innerHTML = ${v.x};`),
  template((v) => `${v.el}.innerHTML = isOpen ? ${v.x} : '';`),
  template((v) => `(${v.el} as HTMLElement).innerHTML = String(${v.x});`, { typescript: true }),
]);

const HTML_NEGATIVES = expand('html-', [
  template((v) => `${v.el}.textContent = ${v.x};`),
  template((v) => `${v.el}.innerText = ${v.x};`),
  template((v) => `${v.el}.innerHTML = ${v.q}${v.q};`),
  template((v) => `${v.el}.innerHTML = ${v.q}<p>Loading…</p>${v.q};`),
  template((v) => `${v.el}.innerHTML = \`<span class="spinner"></span>\`;`),
  template((v) => `${v.el}.innerHTML = DOMPurify.sanitize(${v.x});`),
  template((v) => `${v.el}.insertAdjacentHTML('beforeend', '<li>item</li>');`),
  template((v) => `${v.el}.insertAdjacentText('beforeend', ${v.x});`),
  template(() => `document.write('<p>static</p>');`),
  template((v) => `res.write(${v.x});`),
  template((v) => `stream.write(${v.x});`),
  template(() => `const view = <div dangerouslySetInnerHTML={{ __html: '<b>static</b>' }} />;`, { jsx: true }),
  template((v) => `const view = <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(${v.x}) }} />;`, {
    jsx: true,
  }),
  template((v) => `const html = ${v.el}.innerHTML;`),
  template((v) => `console.log(${v.el}.innerHTML);`),
  template((v) => `${v.el}.innerHTML = escapeHtml(${v.x});`),
  template((v) => `${v.el}.innerHTML = \`<b>\${escapeHtml(${v.x})}</b>\`;`),
  template((v) => `${v.el}.innerHTML = items.length;`),
  template((v) => `// ${v.el}.innerHTML = ${v.x}`),
  template((v) => `const note = ${v.q}prefer textContent over el.innerHTML = value${v.q};`),
  template((v) => `${v.el}.setAttribute('title', ${v.x});`),
  template(() => `target.innerHTML = source.innerHTML;`),
  template((v) => `${v.el}.innerHTML = \`<td>\${rows.length}</td>\`;`),
  template((v) => `fs.writeFileSync(path, ${v.x});\nwriter.write(${v.x});`),
  template((v) => `${v.el}.appendChild(document.createTextNode(${v.x}));`),
  template((v) => `const view = <div title={${v.x}}>{${v.x}}</div>;`, { jsx: true }),
  template((v) => `${v.el}.innerHTML = isOpen ? '<span>-</span>' : '<span>+</span>';`),
  template((v) => `const ICON = '<svg></svg>';\n${v.el}.innerHTML = ICON;`),
  template((v) => `${v.el}.innerHTML = html\`<hr class="divider">\`;`),
]);

const CORPUS: readonly { rule: RuleId; positives: readonly Case[]; negatives: readonly Case[] }[] = [
  { rule: 'js/eval', positives: EVAL_POSITIVES, negatives: EVAL_NEGATIVES },
  { rule: 'js/shell-exec', positives: SHELL_POSITIVES, negatives: SHELL_NEGATIVES },
  { rule: 'js/sql-concat', positives: SQL_POSITIVES, negatives: SQL_NEGATIVES },
  { rule: 'js/tls-disabled', positives: TLS_POSITIVES, negatives: TLS_NEGATIVES },
  { rule: 'js/html-injection', positives: HTML_POSITIVES, negatives: HTML_NEGATIVES },
];

function describeCase(testCase: Case): string {
  return `${testCase.name}:\n    ${testCase.code.replace(/\n/g, '\n    ')}`;
}

describe('scanJavaScript labelled corpus', () => {
  for (const { rule, positives, negatives } of CORPUS) {
    it(`${rule}: >= 40 positives, recall >= 95 %`, () => {
      expect(positives.length).toBeGreaterThanOrEqual(40);
      const missed = positives.filter((testCase) => hits(testCase, rule) === 0);
      const recall = (positives.length - missed.length) / positives.length;
      console.log(
        `${rule}: recall ${(recall * 100).toFixed(1)} % (${positives.length - missed.length}/${positives.length})`,
      );
      expect(recall, `missed positives:\n${missed.map(describeCase).join('\n')}`).toBeGreaterThanOrEqual(0.95);
    });

    it(`${rule}: >= 40 negatives, zero findings`, () => {
      expect(negatives.length).toBeGreaterThanOrEqual(40);
      const flagged = negatives.filter((testCase) => hits(testCase, rule) > 0);
      console.log(`${rule}: ${flagged.length} findings on ${negatives.length} negatives`);
      expect(flagged, `flagged negatives:\n${flagged.map(describeCase).join('\n')}`).toEqual([]);
    });
  }

  it('a file made of every negative of every rule yields no finding at all', () => {
    const imports = new Set<string>();
    const bodies: string[] = [];
    CORPUS.flatMap((entry) => entry.negatives).forEach((testCase, index) => {
      const lines = testCase.code.split('\n');
      for (const line of lines.filter((text) => text.startsWith('import '))) imports.add(line);
      const body = lines.filter((text) => !text.startsWith('import ')).join('\n  ');
      bodies.push(`async function negative${index}() {\n  ${body}\n}`);
    });
    const file = [...imports, ...bodies].join('\n');
    const findings = scan(file, 'all-negatives.tsx');
    expect(findings, JSON.stringify(findings)).toEqual([]);
  });
});

describe('scanJavaScript details', () => {
  it('reports 1-based line and column at the start of the offending expression, with catalogue severities', () => {
    const code = [
      "import { exec } from 'child_process';",
      'function handler(req) {',
      '  const output = eval(req.body.expr);',
      '  exec(`ls ${req.query.dir}`);',
      "  db.query('SELECT * FROM users WHERE id = ' + req.params.id);",
      '  const agent = new Agent({ rejectUnauthorized: false });',
      '  panel.innerHTML = req.body.html;',
      '}',
    ].join('\n');
    expect(scan(code, 'handler.js')).toEqual([
      { ruleId: 'js/eval', severity: 'high', line: 3, column: 18 },
      { ruleId: 'js/shell-exec', severity: 'high', line: 4, column: 3 },
      { ruleId: 'js/sql-concat', severity: 'high', line: 5, column: 3 },
      { ruleId: 'js/tls-disabled', severity: 'high', line: 6, column: 29 },
      { ruleId: 'js/html-injection', severity: 'medium', line: 7, column: 3 },
    ]);
  });

  it('reports every occurrence', () => {
    const code = 'eval(a);\neval(b);\nwindow.eval(c);';
    expect(scan(code).map((finding) => finding.line)).toEqual([1, 2, 3]);
  });

  it('follows lexical scope: a parameter shadows an outer SQL variable and a child_process import', () => {
    const code = [
      "import { exec } from 'child_process';",
      "const sql = 'SELECT * FROM t WHERE id = ' + id;",
      'function run(sql, exec) {',
      '  db.query(sql);',
      '  exec(sql);',
      '}',
      'db.query(sql);',
    ].join('\n');
    expect(scan(code)).toEqual([{ ruleId: 'js/sql-concat', severity: 'high', line: 7, column: 1 }]);
  });

  it('detects the listed evasions', () => {
    const evasions: readonly [string, RuleId][] = [
      ['globalThis["ev"+"al"](x);', 'js/eval'],
      ["window['eval'](x);", 'js/eval'],
      ['global.eval(x);', 'js/eval'],
      ['(0, eval)(x);', 'js/eval'],
      ['const e = eval; e(x);', 'js/eval'],
      ['const { eval: run } = globalThis; run(x);', 'js/eval'],
      ['const F = Function; new F(...names, body);', 'js/eval'],
      ["const name = 'ev' + 'al'; globalThis[name](x);", 'js/eval'],
      ['require("child_"+"process").exec(x);', 'js/shell-exec'],
      ["const { execSync: run } = require(`node:child_process`); run('tar ' + x);", 'js/shell-exec'],
      ["process.env['NODE_TLS_' + 'REJECT_UNAUTHORIZED'] = '0';", 'js/tls-disabled'],
      ["el['inner' + 'HTML'] = x;", 'js/html-injection'],
    ];
    for (const [code, rule] of evasions) {
      expect(
        scan(code).map((finding) => finding.ruleId),
        code,
      ).toContain(rule);
    }
  });

  it('parses .js, .jsx, .ts and .tsx alike (JSX in .js too)', () => {
    for (const path of ['a.js', 'a.jsx', 'a.ts', 'a.tsx', 'a.mjs', 'a.cjs']) {
      expect(scan('eval(x);', path), path).toHaveLength(1);
    }
    for (const path of ['a.js', 'a.jsx', 'a.tsx']) {
      const code = 'export const View = ({ html }) => <div dangerouslySetInnerHTML={{ __html: html }} />;';
      expect(scan(code, path), path).toEqual([
        { ruleId: 'js/html-injection', severity: 'medium', line: 1, column: 40 },
      ]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Pathological and typical inputs: behaviour only here; their timings are measured by bench/security.bench.ts.

/** A realistic 200-line Express + DOM module with a few findings. */
function typicalFile(): string {
  const lines: string[] = [
    "import express from 'express';",
    "import { execFile } from 'node:child_process';",
    "import { Pool } from 'pg';",
    '',
    'const pool = new Pool({ connectionString: process.env.DATABASE_URL });',
    'const app = express();',
    '',
  ];
  for (let index = 0; lines.length < 190; index += 1) {
    lines.push(
      `app.get('/items/${index}', async (req, res) => {`,
      `  const rows = await pool.query('SELECT * FROM items_${index} WHERE owner = $1', [req.user.id]);`,
      `  const total = rows.rows.reduce((sum, row) => sum + row.price * ${index + 1}, 0);`,
      `  execFile('git', ['log', '-n', String(total)], (error, stdout) => res.send(stdout));`,
      `  if (req.query.debug) console.log(\`items ${index}: \${total}\`);`,
      `  res.json({ total, label: \`Item \${req.params.id}\`, at: Date.now() });`,
      '});',
      '',
    );
  }
  lines.push(
    "pool.query('SELECT * FROM audit WHERE actor = ' + process.argv[2]);",
    'document.getElementById("out").innerHTML = location.hash.slice(1);',
  );
  while (lines.length < 200) lines.push('// padding');
  return lines.join('\n');
}

describe('scanJavaScript on pathological and typical inputs', () => {
  it('scans a 1 MB single-line minified file without findings', () => {
    const unit = 'var a0=function(b){return b+1};';
    const parts: string[] = [];
    for (let index = 0, size = 0; size < 1_000_000; index += 1) {
      const piece = unit.replace('a0', `a${index}`);
      parts.push(piece);
      size += piece.length;
    }
    expect(scan(parts.join(''), 'bundle.min.js')).toEqual([]);
  });

  it('finds the sinks fed by 100k-character literals', () => {
    const literal = 'SELECT '.repeat(100_000 / 7);
    const text = [
      `const big = '${literal}';`,
      `db.query('${literal} FROM t WHERE id = ' + id);`,
      `eval('${literal}' + code);`,
      `element.innerHTML = '${literal}' + html;`,
    ].join('\n');
    expect(scan(text, 'big.ts').map((finding) => finding.ruleId)).toEqual([
      'js/sql-concat',
      'js/eval',
      'js/html-injection',
    ]);
  });

  it('handles a 20k-term literal concatenation without deep recursion', () => {
    const chain = Array.from({ length: 20_000 }, (_, index) => `'p${index}'`).join(' + ');
    const text = `eval(${chain});\neval(${chain} + code);`;
    expect(scan(text, 'chain.js').map((finding) => finding.line)).toEqual([2]);
  });

  it('reports exactly the two sinks of a typical 200-line server module', () => {
    const text = typicalFile();
    expect(text.split('\n')).toHaveLength(200);
    expect(scan(text, 'server.ts').map((finding) => finding.ruleId)).toEqual(['js/sql-concat', 'js/html-injection']);
  });
});

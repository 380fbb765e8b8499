import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { findSecrets, knownSecretValues, maskSecret, redactKnownSecrets, redactSecrets } from './secrets.js';
import type { SecurityFinding } from './types.js';

// Every secret-looking value is generated here at run time (seeded, so runs are reproducible) and assembled by
// concatenation: the repository itself holds no live-looking credential.

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const BASE62 = UPPER + LOWER + DIGITS;
const BASE64URL = BASE62 + '-_';
const BASE64 = BASE62 + '+/';
const PASSWORDISH = BASE62 + '+/_-!@#^';

/** mulberry32: a small seeded generator, so a failing case reproduces. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const next = seeded(0x5ec7e7);

function random(alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += alphabet.charAt(Math.floor(next() * alphabet.length));
  return text;
}

/** Random with at least one digit, one upper- and one lower-case letter, like every real generated key. */
function mixed(alphabet: string, length: number): string {
  for (;;) {
    const value = random(alphabet, length);
    if (/\d/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value)) return value;
  }
}

function lines(text: string, width: number): string {
  const rows: string[] = [];
  for (let index = 0; index < text.length; index += width) rows.push(text.slice(index, index + width));
  return rows.join('\n');
}

interface Case {
  readonly name: string;
  readonly text: string;
  readonly filePath: string;
  /** Positives: the rule and line that must be reported. */
  readonly ruleId?: string;
  readonly line?: number;
  readonly knownSecrets?: readonly string[];
}

async function scan(testCase: Case): Promise<SecurityFinding[]> {
  return findSecrets(testCase.text, { filePath: testCase.filePath, knownSecrets: testCase.knownSecrets ?? [] });
}

/** Recall over positives (a finding of the expected rule on the expected line); lists the misses. */
async function expectRecall(cases: readonly Case[], minimum: number): Promise<void> {
  const missed: string[] = [];
  for (const testCase of cases) {
    const findings = await scan(testCase);
    const hit = findings.some(
      (finding) =>
        finding.ruleId === testCase.ruleId && (testCase.line === undefined || finding.line === testCase.line),
    );
    if (!hit) missed.push(`${testCase.name}: ${JSON.stringify(findings)}\n${testCase.text.slice(0, 300)}`);
  }
  const recall = (cases.length - missed.length) / cases.length;
  expect(recall, `recall ${recall.toFixed(3)}; missed:\n${missed.join('\n---\n')}`).toBeGreaterThanOrEqual(minimum);
}

/** No finding of the given rules (every secret rule when omitted) on any negative; lists the offenders. */
async function expectClean(cases: readonly Case[], ruleIds?: readonly string[]): Promise<void> {
  const flagged: string[] = [];
  for (const testCase of cases) {
    const findings = (await scan(testCase)).filter(
      (finding) => ruleIds === undefined || ruleIds.includes(finding.ruleId),
    );
    if (findings.length > 0) flagged.push(`${testCase.name}: ${JSON.stringify(findings)}\n${testCase.text}`);
  }
  expect(flagged, `false positives:\n${flagged.join('\n---\n')}`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------------------------
// Provider formats

const PROVIDER_KEYS: Readonly<Record<string, readonly (() => string)[]>> = {
  openai: [
    () => 'sk-' + 'proj-' + mixed(BASE64URL, 156),
    () => 'sk-' + 'svcacct-' + mixed(BASE64URL, 74) + 'T3Blbk' + 'FJ' + mixed(BASE64URL, 74),
    () => 'sk-' + mixed(BASE62, 48),
  ],
  anthropic: [
    () => 'sk-' + 'ant-' + 'api03-' + mixed(BASE64URL, 93) + 'AA',
    () => 'sk-' + 'ant-' + 'admin01-' + mixed(BASE64URL, 93) + 'AA',
  ],
  deepseek: [() => 'sk-' + random(HEX, 32)],
  openrouter: [() => 'sk-' + 'or-' + 'v1-' + random(HEX, 64)],
  google: [() => 'AI' + 'za' + 'Sy' + mixed(BASE64URL, 33)],
  aws: [() => 'AK' + 'IA' + random(UPPER + DIGITS, 16), () => 'AS' + 'IA' + random(UPPER + DIGITS, 16)],
  github: [() => 'gh' + 'p_' + mixed(BASE62, 36), () => 'github' + '_pat_' + mixed(BASE62 + '_', 82)],
  slack: [() => 'xo' + 'xb-' + random(DIGITS, 12) + '-' + random(DIGITS, 13) + '-' + mixed(BASE62, 24)],
  npm: [() => 'np' + 'm_' + mixed(BASE62, 36)],
  gitlab: [() => 'gl' + 'pat-' + mixed(BASE62, 20)],
  sendgrid: [() => 'S' + 'G.' + mixed(BASE62, 22) + '.' + mixed(BASE62, 43)],
  huggingface: [() => 'h' + 'f_' + random(UPPER + LOWER, 34)],
  groq: [() => 'gs' + 'k_' + mixed(BASE62, 52)],
};

const PROVIDER_CONTEXTS: readonly { filePath: string; line: number; render: (key: string) => string }[] = [
  {
    filePath: 'src/client.ts',
    line: 3,
    render: (key) => `import { Client } from './client.js';\n\nconst client = new Client({ apiKey: '${key}' });\n`,
  },
  { filePath: 'app/settings.py', line: 3, render: (key) => `import os\n\nSERVICE_KEY = "${key}"\n` },
  { filePath: 'scripts/deploy.sh', line: 2, render: (key) => `#!/bin/sh\nexport SERVICE_TOKEN=${key}\n` },
  // A key inside a comment is still a leaked key.
  { filePath: 'cmd/main.go', line: 3, render: (key) => `package main\n\n// old key: ${key}\nfunc main() {}\n` },
  {
    filePath: 'README.md',
    line: 3,
    render: (key) => `Call it:\n\n    curl -H "Authorization: Bearer ${key}" https://api.vendor.test/v1\n`,
  },
  { filePath: 'config/app.yaml', line: 2, render: (key) => `service:\n  credentials: ${key}\n` },
  { filePath: 'src/lib.rs', line: 2, render: (key) => `fn client() -> Client {\n    Client::new("${key}")\n}\n` },
];

function providerPositives(): Case[] {
  const cases: Case[] = [];
  let contextIndex = 0;
  for (const [kind, generators] of Object.entries(PROVIDER_KEYS)) {
    for (const generate of generators) {
      // Each key format in four different contexts, rotating through all of them.
      for (let repeat = 0; repeat < 4; repeat += 1) {
        const context = PROVIDER_CONTEXTS[contextIndex % PROVIDER_CONTEXTS.length];
        contextIndex += 1;
        if (context === undefined) continue;
        cases.push({
          name: `${kind} #${cases.length} in ${context.filePath}`,
          text: context.render(generate()),
          filePath: context.filePath,
          ruleId: `secret/${kind}`,
          line: context.line,
        });
      }
    }
  }
  return cases;
}

const HASH_512 = random(BASE64, 86) + '==';

const PROVIDER_NEGATIVES: readonly [string, string][] = [
  ['src/a.ts', 'const apiKey = process.env.OPENAI_API_KEY;\n'],
  ['src/a.ts', "const client = new Anthropic({ apiKey: process.env['ANTHROPIC_API_KEY'] });\n"],
  ['app/a.py', 'api_key = os.environ["DEEPSEEK_API_KEY"]\n'],
  ['app/a.py', 'key = os.getenv("OPENROUTER_API_KEY", "")\n'],
  ['cmd/a.go', 'key := os.Getenv("GOOGLE_API_KEY")\n'],
  ['src/a.rs', 'let key = env::var("OPENAI_API_KEY")?;\n'],
  ['src/a.ts', "const key = '" + 'sk-' + "...example';\n"],
  ['.env.example', 'OPENAI_API_KEY=' + 'sk-' + 'your-key-here\n'],
  ['.env.example', 'OPENAI_API_KEY=<OPENAI_API_KEY>\n'],
  ['.env.example', 'OPENAI_API_KEY=' + 'sk-' + 'proj-' + 'x'.repeat(100) + '\n'],
  ['.env.example', 'OPENAI_API_KEY=' + 'sk-' + 'X'.repeat(48) + '\n'],
  ['.env.example', 'ANTHROPIC_API_KEY=' + 'sk-' + 'ant-' + 'api03-' + '...\n'],
  ['.env.example', 'ANTHROPIC_API_KEY=' + 'sk-' + 'ant-' + 'api03-' + 'your-anthropic-key-goes-here-please-0123\n'],
  ['.env.example', 'DEEPSEEK_API_KEY=' + 'sk-' + 'x'.repeat(32) + '\n'],
  ['.env.example', 'DEEPSEEK_API_KEY=' + 'sk-' + '0'.repeat(32) + '\n'],
  ['.env.example', 'OPENROUTER_API_KEY=' + 'sk-' + 'or-' + 'v1-' + '<your-key>\n'],
  ['.env.example', 'OPENROUTER_API_KEY=' + 'sk-' + 'or-' + 'v1-' + 'f'.repeat(64) + '\n'],
  ['.env.example', 'GOOGLE_API_KEY=' + 'AI' + 'za' + 'Sy' + 'X'.repeat(33) + '\n'],
  ['.env.example', 'GOOGLE_API_KEY=' + 'AI' + 'za' + 'SyYourGoogleApiKeyGoesHere1234567\n'],
  ['.env.example', 'GOOGLE_API_KEY=${GOOGLE_API_KEY}\n'],
  ['docs/aws.md', 'The documented sample key is ' + 'AKIA' + 'IOSFODNN7' + 'EXAMPLE' + '.\n'],
  ['.env.example', 'AWS_ACCESS_KEY_ID=' + 'AKIA' + 'X'.repeat(16) + '\n'],
  ['.env.example', 'GITHUB_TOKEN=' + 'gh' + 'p_' + 'x'.repeat(36) + '\n'],
  ['.env.example', 'GITHUB_TOKEN=' + 'gh' + 'p_' + 'your_github_token_here_0123456789abc\n'],
  ['.env.example', 'SLACK_BOT_TOKEN=' + 'xo' + 'xb-' + 'your-bot-token\n'],
  ['.env.example', 'NPM_TOKEN=' + 'np' + 'm_' + 'X'.repeat(36) + '\n'],
  ['.env.example', 'GITLAB_TOKEN=' + 'gl' + 'pat-' + 'x'.repeat(20) + '\n'],
  ['src/a.ts', "const requestId = '123e4567-e89b-12d3-a456-426614174000';\n"],
  ['src/a.ts', "const commit = 'e83c5163316f89bfbde7d9ab23ca2e25604af290';\n"],
  ['src/a.ts', "const taskId = 'task-" + random(HEX, 32) + "';\n"],
  ['src/a.ts', "const diskId = 'disk-" + mixed(BASE62, 40) + "';\n"],
  ['src/a.ts', "const shortHex = '" + 'sk-' + random(HEX, 31) + "';\n"],
  ['src/a.ts', "const shortRouter = '" + 'sk-' + 'or-' + 'v1-' + random(HEX, 63) + "';\n"],
  ['docs/keys.md', 'A Google key looks like ' + 'AI' + 'za' + mixed(BASE62, 30) + ' (shortened).\n'],
  ['docs/keys.md', 'OpenAI keys start with `sk-`, Anthropic keys with `sk-ant-`, OpenRouter keys with `sk-or-v1-`.\n'],
  ['src/a.ts', "const PREFIX = 'sk-proj-';\nconst isKey = (value: string) => /^sk-[A-Za-z0-9_-]{20,}$/.test(value);\n"],
  ['src/a.ts', "export const looksLikeOpenAi = (key: string): boolean => key.startsWith('sk-');\n"],
  ['web/index.html', '<div class="sk-spinner sk-fading-circle"><span class="sk-circle1"></span></div>\n'],
  ['docs/regions.md', 'Servers in ASIA-PACIFIC and the AKIA prefix of access key ids.\n'],
  ['package-lock.json', `    "node_modules/x": {\n      "integrity": "sha512-${HASH_512}"\n    }\n`],
  ['pnpm-lock.yaml', `  x@1.0.0:\n    resolution: {integrity: sha512-${HASH_512}}\n`],
  ['docs/setup.md', '| OPENAI_API_KEY | your OpenAI key (`sk-...`) |\n| ANTHROPIC_API_KEY | `sk-ant-...` |\n'],
  ['src/a.ts', "const apiKey = '{{ OPENAI_API_KEY }}';\n"],
  ['requirements.txt', 'scikit-learn==1.5.0\nsk-video==1.1.10\n'],
  ['src/a.ts', "const banner = '" + Buffer.from('hello world from the kode command line').toString('base64') + "';\n"],
];

// ---------------------------------------------------------------------------------------------------------------
// Private keys

interface PemKind {
  readonly label: string;
  readonly body: () => string;
  readonly headers?: string;
}

const PEM_KINDS: readonly PemKind[] = [
  { label: 'RSA PRIVATE KEY', body: () => 'MIIEow' + 'IBAAKCAQEA' + random(BASE64, 1570) },
  {
    label: 'RSA PRIVATE KEY',
    headers: 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,' + random(HEX, 32).toUpperCase() + '\n\n',
    body: () => random(BASE64, 1600),
  },
  { label: 'EC PRIVATE KEY', body: () => 'MHcC' + 'AQEEI' + random(BASE64, 218) },
  { label: 'DSA PRIVATE KEY', body: () => 'MIIBuw' + 'IBAAKBgQ' + random(BASE64, 560) },
  {
    label: 'OPENSSH PRIVATE KEY',
    body: () => 'b3BlbnNzaC1rZXktdjE' + 'AAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW' + random(BASE64, 300),
  },
  {
    label: 'PGP PRIVATE KEY BLOCK',
    headers: 'Version: GnuPG v2\n\n',
    body: () => 'lQOY' + 'BF' + random(BASE64, 1200),
  },
  { label: 'ENCRYPTED PRIVATE KEY', body: () => 'MIIFHDBO' + 'BgkqhkiG9w0BBQ0w' + random(BASE64, 1250) },
  { label: 'PRIVATE KEY', body: () => 'MIIEvQ' + 'IBADANBgkqhkiG9w0BAQEFAASC' + random(BASE64, 1600) },
  // Ed25519 in PKCS#8: one line of 48 characters.
  { label: 'PRIVATE KEY', body: () => 'MC4C' + 'AQAwBQYDK2VwBCIEI' + random(BASE64, 27) },
];

function pem(kind: PemKind): string {
  const checksum = kind.label.startsWith('PGP') ? `\n=${random(BASE64, 4)}` : '';
  return `-----BEGIN ${kind.label}-----\n${kind.headers ?? ''}${lines(kind.body(), 64)}${checksum}\n-----END ${kind.label}-----`;
}

const escapeNewlines = (text: string): string => text.replace(/\n/g, '\\n');
const indent = (text: string, spaces: number): string =>
  text
    .split('\n')
    .map((row) => ' '.repeat(spaces) + row)
    .join('\n');

const PEM_CONTEXTS: readonly { filePath: string; line: number; render: (block: string) => string }[] = [
  { filePath: 'deploy/server.key', line: 1, render: (block) => `${block}\n` },
  { filePath: 'src/keys.ts', line: 2, render: (block) => `// test fixture\nexport const KEY = \`${block}\`;\n` },
  {
    filePath: 'service-account.json',
    line: 3,
    render: (block) =>
      `{\n  "type": "service_account",\n  "private_key": "${escapeNewlines(block)}\\n",\n  "client_email": "ci@project.iam.gserviceaccount.com"\n}\n`,
  },
  { filePath: 'app/keys.py', line: 1, render: (block) => `SIGNING_KEY = """${block}"""\n` },
  { filePath: 'k8s/secret.yaml', line: 4, render: (block) => `tls:\n  cert: none\n  key: |\n${indent(block, 4)}\n` },
  { filePath: 'internal/keys.go', line: 3, render: (block) => `package keys\n\nconst key = \`${block}\`\n` },
  { filePath: 'src/keys.rs', line: 1, render: (block) => `const KEY: &str = r#"${block}"#;\n` },
  { filePath: 'docs/setup.md', line: 4, render: (block) => `Put this in place:\n\n\`\`\`\n${block}\n\`\`\`\n` },
  {
    filePath: 'src/pem.js',
    line: 2,
    render: (block) =>
      'const key =\n' +
      block
        .split('\n')
        .map((row) => `  '${row}\\n'`)
        .join(' +\n') +
      ';\n',
  },
  { filePath: '.env', line: 1, render: (block) => `JWT_PRIVATE_KEY="${escapeNewlines(block)}"\n` },
];

function privateKeyPositives(): Case[] {
  const cases: Case[] = [];
  for (const [kindIndex, kind] of PEM_KINDS.entries()) {
    for (let repeat = 0; repeat < 5; repeat += 1) {
      const context = PEM_CONTEXTS[(kindIndex + repeat * 2) % PEM_CONTEXTS.length];
      if (context === undefined) continue;
      cases.push({
        name: `${kind.label} #${cases.length} in ${context.filePath}`,
        text: context.render(pem(kind)),
        filePath: context.filePath,
        ruleId: 'secret/private-key',
        line: context.line,
      });
    }
  }
  return cases;
}

const PEM_LABELS = [
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
  'PGP PRIVATE KEY BLOCK',
  'ENCRYPTED PRIVATE KEY',
  'PRIVATE KEY',
];

function privateKeyNegatives(): Case[] {
  const cases: Case[] = [];
  for (const label of PEM_LABELS) {
    const begin = `-----BEGIN ${label}-----`;
    const end = `-----END ${label}-----`;
    const texts: [string, string][] = [
      ['docs/keys.md', `The file must start with \`${begin}\`.\n`],
      ['docs/keys.md', `${begin}\n...\n${end}\n`],
      ['docs/keys.md', `${begin}\n<your private key here>\n${end}\n`],
      ['src/pem.ts', `if (pem.includes('${begin}')) {\n  throw new Error('refusing a private key');\n}\n`],
      ['src/pem.ts', `const HEADER = '${begin}';\nconst FOOTER = '${end}';\n`],
      ['test/fixture.pem', `${begin}\nMIIE${'x'.repeat(60)}\n${'x'.repeat(64)}\n${end}\n`],
      ['docs/keys.md', `${begin}\nREDACTED\n${end}\n`],
    ];
    for (const [filePath, text] of texts) cases.push({ name: `${label} ${cases.length}`, text, filePath });
  }
  const publicBody = lines('MIIBIj' + 'ANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' + random(BASE64, 330), 64);
  const certificate = lines('MIIDdz' + 'CCAl+gAwIBAgIE' + random(BASE64, 1200), 64);
  cases.push(
    {
      name: 'public key',
      filePath: 'keys/id.pub.pem',
      text: `-----BEGIN PUBLIC KEY-----\n${publicBody}\n-----END PUBLIC KEY-----\n`,
    },
    {
      name: 'rsa public key',
      filePath: 'keys/rsa.pub',
      text: `-----BEGIN RSA PUBLIC KEY-----\n${publicBody}\n-----END RSA PUBLIC KEY-----\n`,
    },
    {
      name: 'certificate',
      filePath: 'certs/ca.crt',
      text: `-----BEGIN CERTIFICATE-----\n${certificate}\n-----END CERTIFICATE-----\n`,
    },
    {
      name: 'openssl how-to',
      filePath: 'docs/tls.md',
      text: 'Run `openssl genrsa -out key.pem 2048`; the file begins with -----BEGIN RSA PRIVATE KEY-----\n',
    },
    {
      name: 'ssh public key',
      filePath: 'keys/id_ed25519.pub',
      text: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' + random(BASE64, 43) + ' dev@laptop\n',
    },
  );
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// High-entropy assignments

function highEntropyValue(): string {
  for (;;) {
    const value = mixed(PASSWORDISH, 24 + Math.floor(next() * 17));
    if (/^[A-Za-z]/.test(value)) return value;
  }
}

const HIGH_ENTROPY_FORMS: readonly { filePath: string; render: (value: string) => string; line: number }[] = [
  { filePath: 'src/config.ts', line: 1, render: (value) => `const API_KEY = '${value}';\n` },
  { filePath: 'src/config.ts', line: 2, render: (value) => `export const config = {\n  apiKey: "${value}",\n};\n` },
  { filePath: 'src/config.ts', line: 1, render: (value) => `const clientSecret: string = \`${value}\`;\n` },
  {
    filePath: 'src/service.ts',
    line: 3,
    render: (value) => `class Service {\n  init() {\n    this.authToken = '${value}';\n  }\n}\n`,
  },
  { filePath: 'src/client.ts', line: 1, render: (value) => `connect({ host: 'db', password: '${value}' });\n` },
  { filePath: 'app/settings.py', line: 1, render: (value) => `SECRET_KEY = "${value}"\n` },
  { filePath: 'app/client.py', line: 1, render: (value) => `client = Client(api_key="${value}")\n` },
  { filePath: 'app/settings.py', line: 1, render: (value) => `settings["db_password"] = '${value}'\n` },
  { filePath: 'app/auth.py', line: 1, render: (value) => `def login(user, password=r"${value}"):\n    pass\n` },
  {
    filePath: 'app/store.py',
    line: 3,
    render: (value) => `class Store:\n    def __init__(self):\n        self.access_token = "${value}"\n`,
  },
  { filePath: 'cmd/main.go', line: 2, render: (value) => `func main() {\n\ttoken := "${value}"\n}\n` },
  { filePath: 'cmd/main.go', line: 1, render: (value) => `var apiKey = "${value}"\n` },
  { filePath: 'cmd/main.go', line: 1, render: (value) => `const clientSecret string = "${value}"\n` },
  { filePath: 'cmd/main.go', line: 1, render: (value) => `cfg := Config{Host: "db", Password: "${value}"}\n` },
  { filePath: 'src/main.rs', line: 2, render: (value) => `fn main() {\n    let token = "${value}";\n}\n` },
  { filePath: 'src/main.rs', line: 1, render: (value) => `const API_KEY: &str = "${value}";\n` },
  { filePath: 'src/main.rs', line: 1, render: (value) => `static SECRET_TOKEN: &'static str = "${value}";\n` },
  {
    filePath: 'src/main.rs',
    line: 2,
    render: (value) => `let cfg = Config {\n    password: "${value}".to_string(),\n};\n`,
  },
  { filePath: '.env', line: 2, render: (value) => `PORT=3000\nSECRET_TOKEN=${value}\n` },
  { filePath: '.env.production', line: 1, render: (value) => `export DB_PASSWORD="${value}"\n` },
  { filePath: '.env', line: 1, render: (value) => `STRIPE_API_KEY='${value}'\n` },
  { filePath: 'config/app.yaml', line: 3, render: (value) => `database:\n  host: db\n  password: ${value}\n` },
  { filePath: 'config/app.yml', line: 2, render: (value) => `auth:\n  client_secret: "${value}"\n` },
  { filePath: 'config/app.yaml', line: 2, render: (value) => `services:\n  - api_key: '${value}'\n` },
  { filePath: 'config/app.json', line: 1, render: (value) => `{ "client_secret": "${value}", "client_id": "app" }\n` },
  { filePath: 'config/app.json', line: 3, render: (value) => `{\n  "name": "app",\n  "apiToken": "${value}"\n}\n` },
  { filePath: 'config/app.json', line: 1, render: (value) => `{"credentials":"${value}"}\n` },
  { filePath: 'config/app.toml', line: 2, render: (value) => `[server]\npasswd = "${value}"\n` },
  { filePath: 'src/App.tsx', line: 1, render: (value) => `const SECRET = '${value}'; // used below\n` },
  { filePath: 'src/keys.ts', line: 2, render: (value) => `const apiKey1 = 'a';\nconst apiKey2 = '${value}';\n` },
  { filePath: 'scripts/run.sh', line: 1, render: (value) => `curl --token="${value}" https://example.test\n` },
];

function highEntropyPositives(): Case[] {
  const cases: Case[] = [];
  for (let repeat = 0; repeat < 2; repeat += 1) {
    for (const form of HIGH_ENTROPY_FORMS) {
      const value = highEntropyValue();
      cases.push({
        name: `${form.filePath} #${cases.length}`,
        text: form.render(value),
        filePath: form.filePath,
        ruleId: 'secret/high-entropy',
        line: form.line,
      });
    }
  }
  return cases;
}

const RANDOM_VALUE = mixed(BASE62, 32);
const WORDS_BASE64 = Buffer.from('hello world from the kode command line').toString('base64');

const HIGH_ENTROPY_NEGATIVES: readonly [string, string][] = [
  ['src/a.ts', 'const apiKey = process.env.API_KEY;\n'],
  ['src/a.ts', "const token = process.env['GITHUB_TOKEN'] ?? '';\n"],
  ['app/a.py', 'api_key = os.environ["API_KEY"]\n'],
  ['app/a.py', 'password = os.getenv("DB_PASSWORD")\n'],
  ['cmd/a.go', 'token := os.Getenv("TOKEN")\n'],
  ['src/a.rs', 'let token = env::var("TOKEN").unwrap();\n'],
  ['.env.example', 'API_KEY=${API_KEY}\nSECRET_TOKEN=\n'],
  ['config/a.yaml', 'password: "{{ vault_db_password }}"\n'],
  ['.env.example', 'SECRET_TOKEN=changeme-changeme-changeme-1234\n'],
  ['src/a.ts', "const apiKey = 'your-api-key-goes-here-1234567890';\n"],
  ['config/a.json', '{ "client_secret": "<CLIENT_SECRET_FROM_CONSOLE>" }\n'],
  ['app/a.py', 'password = "%s:%s@%s/%s" % (user, secret, host, database)\n'],
  ['app/a.py', 'token = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n'],
  ['app/a.py', 'API_KEY = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"\n'],
  ['config/a.yaml', 'secret: EXAMPLE_SECRET_VALUE_9f8e7d6c5b4a\n'],
  ['.env.example', 'AUTH_TOKEN=dummy-token-for-local-dev-Zq81xKp2\n'],
  ['.env.example', 'API_KEY=placeholder-Zq81xKp2Lm9vWc4R\n'],
  ['src/a.ts', 'const token = `${prefix}-${randomBytes(16)}-${suffix}-Zq81xKp2Lm9v`;\n'],
  ['app/a.py', 'token = f"{user_id}:{session_hash}:{nonce_value}"\n'],
  ['src/a.ts', "const sessionToken = '123e4567-e89b-12d3-a456-426614174000';\n"],
  ['src/a.ts', "const revisionKey = 'e83c5163316f89bfbde7d9ab23ca2e25604af290';\n"],
  ['app/a.py', `token = "${WORDS_BASE64}"\n`],
  ['package-lock.json', `{\n  "integrity": "sha512-${HASH_512}"\n}\n`],
  ['pnpm-lock.yaml', `    resolution: {integrity: sha512-${HASH_512}}\n`],
  ['yarn.lock', `  integrity sha512-${HASH_512}\n`],
  ['src/a.ts', `const checksum = '${RANDOM_VALUE}';\n`],
  ['src/a.ts', `const requestId = '${RANDOM_VALUE}';\n`],
  ['src/a.ts', `const publicKey = '${random(BASE64, 43)}=';\n`],
  ['src/a.ts', `const row = { primaryKey: '${RANDOM_VALUE}' };\n`],
  ['src/a.ts', `const page = { nextPageToken: '${RANDOM_VALUE}' };\n`],
  ['src/a.ts', "const tokenUrl = 'https://oauth2.googleapis.com/token';\n"],
  ['src/a.ts', `const secretName = 'prod/db/credentials-v2-${RANDOM_VALUE.slice(0, 6)}';\n`],
  ['app/a.py', 'password_hint = "Use at least twelve characters, one digit"\n'],
  ['src/a.ts', `const tokenizer = '${RANDOM_VALUE}';\n`],
  ['src/a.ts', `const keyboardLayout = '${RANDOM_VALUE}';\n`],
  ['app/a.py', 'password = "hunter2"\n'],
  ['app/a.py', 'password = "passwordpasswordpassword"\n'],
  ['src/a.ts', "const storageKey = 'kode.workspace.lastOpenedFile';\n"],
  ['src/a.ts', 'const config = {\n  apiKey: apiKeyFromEnvironment,\n};\n'],
  ['config/a.yaml', 'password: ${DB_PASSWORD}\ntoken: !vault |\n'],
  ['locales/en.json', '{ "passwordTooShort": "Your password must be at least 12 characters long" }\n'],
  ['src/a.ts', "export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{20,64}$';\n"],
  ['.env', 'SECRET_KEY_FILE=/run/secrets/django_secret_key\n'],
  ['config/a.yaml', 'database_password_file: /etc/app/db-password.txt\n'],
  ['dist/a.js.map', `{"version":3,"mappings":"AAAA,SAASA,GAAG,CAACC,CAAC,EAAE;AAC9B","names":["token"]}\n`],
  ['src/a.go', 'type Creds struct {\n\tToken string `json:"token"`\n}\n'],
  ['src/a.ts', `const cacheKey = 'sha256:${random(HEX, 64)}';\n`],
  ['src/a.ts', "const webhookToken = 'https://hooks.internal.test/ci/trigger/build';\n"],
  ['src/a.ts', "const apiKeyHeader = 'X-Api-Key-For-Upstream-Services';\n"],
  ['app/a.py', 'SECRET_KEY = get_random_secret_key()\n'],
];

// ---------------------------------------------------------------------------------------------------------------
// Known values

const KNOWN_CONTEXTS: readonly { filePath: string; line: number; render: (value: string) => string }[] = [
  { filePath: 'notes.md', line: 1, render: (value) => `The staging credential is ${value} until Friday.\n` },
  {
    filePath: 'src/a.ts',
    line: 2,
    render: (value) => `// configure\nfetch(\`https://api.test/v1?key=${value}&q=1\`);\n`,
  },
  { filePath: 'config/a.json', line: 1, render: (value) => `{"auth": "${value}"}\n` },
  { filePath: 'logs/run.log', line: 2, render: (value) => `GET /v1\nAuthorization: Bearer ${value}\n` },
  { filePath: 'src/a.py', line: 1, render: (value) => `x = "prefix${value}suffix"\n` },
  { filePath: 'deploy/values.yaml', line: 2, render: (value) => `cluster:\n  auth: ${value}\n` },
  { filePath: 'src/a.rs', line: 1, render: (value) => `/* ${value} */ fn main() {}\n` },
  { filePath: 'src/a.go', line: 3, render: (value) => `package a\n\nvar v = []string{"a", "${value}"}\n` },
];

function knownValues(): string[] {
  return [
    mixed(BASE62, 12),
    mixed(BASE62, 24),
    mixed(BASE64URL, 40),
    mixed(PASSWORDISH, 18),
    'correct-horse-battery-staple-' + random(DIGITS, 4),
    'ZmFrZS1saXZlLXRva2Vu' + random(BASE64, 12),
    'sk-' + 'proj-' + mixed(BASE64URL, 60),
  ];
}

function knownValuePositives(): Case[] {
  const cases: Case[] = [];
  for (const value of knownValues()) {
    const env = { SERVICE_TOKEN: value, HOME: '/home/dev', LANG: 'en_US.UTF-8' };
    for (const context of KNOWN_CONTEXTS) {
      cases.push({
        name: `known value ${value.length} chars in ${context.filePath}`,
        text: context.render(value),
        filePath: context.filePath,
        ruleId: 'secret/known-value',
        line: context.line,
        knownSecrets: knownSecretValues(env),
      });
    }
  }
  return cases;
}

function knownValueNegatives(): Case[] {
  const cases: Case[] = [];
  const values = knownValues().slice(0, 5);
  const env: Record<string, string> = {
    HOME: '/home/dev',
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    EDITOR: 'nvim-with-plugins',
    SHORT_TOKEN: 'abc123',
    SSH_KEY_PATH: '/home/dev/.ssh/id_ed25519',
    FEATURE_TOKEN_ENABLED: 'true',
    KEYCLOAK_URL: 'https://auth.internal.test/realms/dev',
  };
  for (const [index, value] of values.entries()) env[`SERVICE_${index}_SECRET`] = value;
  const knownSecrets = knownSecretValues(env);
  for (const value of values) {
    const texts = [
      `The credential starts with ${value.slice(0, 11)} and is rotated weekly.\n`,
      `Upper-cased it would be ${value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase()}.\n`,
      `split = "${value.slice(0, 6)}"\n      "${value.slice(6)}"\n`,
      `const token = process.env.SERVICE_TOKEN;\n`,
      `Reverse: ${[...value].reverse().join('')}\n`,
    ];
    for (const text of texts) cases.push({ name: `known ${cases.length}`, text, filePath: 'notes.md', knownSecrets });
  }
  for (const text of [
    'cd /home/dev && ls\n',
    'PATH=/usr/local/bin:/usr/bin:/bin\n',
    'export LANG=en_US.UTF-8\n',
    'EDITOR=nvim-with-plugins\n',
    'short: abc123 abc123\n',
    'ssh -i /home/dev/.ssh/id_ed25519 host\n',
    'enabled: true\n',
    'KEYCLOAK_URL=https://auth.internal.test/realms/dev\n',
    'nothing to see here\n',
    '',
    'const SERVICE_0_SECRET = process.env.SERVICE_0_SECRET;\n',
    'The rotation job updates SERVICE_1_SECRET and SERVICE_2_SECRET nightly.\n',
    'token: ${SERVICE_TOKEN}\n',
    'Reference the variable: $SERVICE_3_SECRET\n',
    'Values shorter than twelve characters are not tracked.\n',
    'A different random value: ' + mixed(BASE62, 24) + '\n',
  ]) {
    cases.push({ name: `known ${cases.length}`, text, filePath: 'notes.md', knownSecrets });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------

describe('findSecrets corpus', () => {
  it('provider formats: >= 40 positives over >= 8 kinds, recall >= 95%', async () => {
    const positives = providerPositives();
    expect(positives.length).toBeGreaterThanOrEqual(40);
    expect(new Set(positives.map((testCase) => testCase.ruleId)).size).toBeGreaterThanOrEqual(8);
    await expectRecall(positives, 0.95);
  });

  it('provider formats: >= 40 negatives (placeholders, env lookups, ids, hashes) with no finding', async () => {
    const negatives = PROVIDER_NEGATIVES.map(([filePath, text], index) => ({
      name: `negative ${index}`,
      filePath,
      text,
    }));
    expect(negatives.length).toBeGreaterThanOrEqual(40);
    await expectClean(negatives);
  });

  it('private keys: >= 40 positives over RSA, EC, DSA, OPENSSH, PGP, encrypted and PKCS#8 in many embeddings', async () => {
    const positives = privateKeyPositives();
    expect(positives.length).toBeGreaterThanOrEqual(40);
    await expectRecall(positives, 0.95);
    // One finding per block, never one per line or one per scanner.
    for (const testCase of positives.slice(0, 10)) expect(await scan(testCase)).toHaveLength(1);
  });

  it('private keys: >= 40 negatives (BEGIN lines in docs, placeholders, public keys, certificates)', async () => {
    const negatives = privateKeyNegatives();
    expect(negatives.length).toBeGreaterThanOrEqual(40);
    await expectClean(negatives);
  });

  it('high-entropy assignments: >= 40 positives across .ts, .py, .go, .rs, .env, .yaml, .json', async () => {
    const positives = highEntropyPositives();
    expect(positives.length).toBeGreaterThanOrEqual(40);
    const extensions = new Set(positives.map((testCase) => testCase.filePath.replace(/^.*\.(?=[^.]+$)/, '.')));
    for (const extension of ['.ts', '.py', '.go', '.rs', '.env', '.yaml', '.json'])
      expect(extensions).toContain(extension);
    await expectRecall(positives, 0.95);
  });

  it('high-entropy assignments: >= 40 negatives with no finding', async () => {
    const negatives = HIGH_ENTROPY_NEGATIVES.map(([filePath, text], index) => ({
      name: `negative ${index}`,
      filePath,
      text,
    }));
    expect(negatives.length).toBeGreaterThanOrEqual(40);
    await expectClean(negatives);
  });

  it('known values: >= 40 positives anywhere in the text', async () => {
    const positives = knownValuePositives();
    expect(positives.length).toBeGreaterThanOrEqual(40);
    await expectRecall(positives, 0.95);
  });

  it('known values: >= 40 negatives (partial, case-changed, split, non-secret env values)', async () => {
    const negatives = knownValueNegatives();
    expect(negatives.length).toBeGreaterThanOrEqual(40);
    await expectClean(negatives, ['secret/known-value']);
  });
});

describe('findSecrets', () => {
  const openAiKey = 'sk-' + 'proj-' + mixed(BASE64URL, 48);
  const deepSeekKey = 'sk-' + random(HEX, 32);

  it('reports the rule, critical severity, 1-based position of the match start and a masked value', async () => {
    const text = `const a = 1;\n  const client = new OpenAI({ apiKey: '${openAiKey}' });\n`;
    const findings = await findSecrets(text, { filePath: 'src/a.ts' });
    expect(findings).toEqual([
      {
        ruleId: 'secret/openai',
        severity: 'critical',
        line: 2,
        column: 40,
        masked: `${openAiKey.slice(0, 4)}…${openAiKey.slice(-4)}`,
      },
    ]);
    expect(JSON.stringify(findings)).not.toContain(openAiKey.slice(4, -4));
  });

  it('prefers the more specific id and reports one finding per range', async () => {
    // DeepSeek's shape is also a legacy OpenAI `sk-` key and a high-entropy assignment.
    const findings = await findSecrets(`DEEPSEEK_API_KEY = "${deepSeekKey}"\n`, { filePath: 'app/a.py' });
    expect(findings.map((finding) => finding.ruleId)).toEqual(['secret/deepseek']);
    const known = await findSecrets(`key = "${openAiKey}"\n`, { filePath: 'a.py', knownSecrets: [openAiKey] });
    expect(known.map((finding) => finding.ruleId)).toEqual(['secret/known-value']);
  });

  it('reports every occurrence', async () => {
    const text = `a = "${openAiKey}"\nb = "${openAiKey}"\n# ${deepSeekKey}\n`;
    const findings = await findSecrets(text, { filePath: 'a.py' });
    expect(findings.map((finding) => [finding.ruleId, finding.line])).toEqual([
      ['secret/openai', 1],
      ['secret/openai', 2],
      ['secret/deepseek', 3],
    ]);
  });

  it('flags keys in comments of every language', async () => {
    for (const [filePath, comment] of [
      ['a.ts', `// ${openAiKey}`],
      ['a.py', `# ${openAiKey}`],
      ['a.go', `/* ${openAiKey} */`],
      ['a.rs', `/// ${openAiKey}`],
      ['a.html', `<!-- ${openAiKey} -->`],
    ] as const) {
      const findings = await findSecrets(`${comment}\n`, { filePath });
      expect(
        findings.map((finding) => finding.ruleId),
        filePath,
      ).toEqual(['secret/openai']);
    }
  });

  it('is not silenced by secretlint-disable comments (suppression is kode-ignore, which the gate controls)', async () => {
    const github = 'gh' + 'p_' + mixed(BASE62, 36);
    const text = `// secretlint-disable\nconst token = '${github}'; // secretlint-disable-line\n`;
    const findings = await findSecrets(text, { filePath: 'a.ts' });
    expect(findings.map((finding) => [finding.ruleId, finding.line])).toEqual([['secret/github', 2]]);
  });

  it('handles the listed evasions and near misses', async () => {
    const negatives = [
      'const key = process.env.OPENAI_API_KEY;',
      "const key = '" + 'sk-' + "...example';",
      'OPENAI_API_KEY=' + 'sk-' + 'your-key-here',
      'OPENAI_API_KEY=<OPENAI_API_KEY>',
      "const id = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';",
      "const sha = '9fceb02d0ae598e95dc970b74767f19372d61af8';",
      `const token = '${WORDS_BASE64}';`,
      `"integrity": "sha512-${HASH_512}"`,
    ];
    for (const text of negatives) expect(await findSecrets(`${text}\n`, { filePath: 'a.ts' }), text).toEqual([]);
  });

  it('counts positions after a BOM and on CRLF lines like the gate does', async () => {
    const bom = await findSecrets(`\uFEFFconst a = '${openAiKey}';\r\nconst b = '${openAiKey}';\r\n`, {
      filePath: 'a.ts',
    });
    expect(bom.map((finding) => [finding.line, finding.column])).toEqual([
      [1, 13],
      [2, 12],
    ]);
    const github = 'gh' + 'p_' + mixed(BASE62, 36);
    const viaSecretlint = await findSecrets(`\uFEFF// ${github}\n`, { filePath: 'a.ts' });
    expect(viaSecretlint.map((finding) => [finding.ruleId, finding.line, finding.column])).toEqual([
      ['secret/github', 1, 5],
    ]);
  });

  it('reports the value of an AWS secret access key, not the name before it', async () => {
    const secret = mixed(BASE64, 40);
    const findings = await findSecrets(`aws_secret_access_key = ${secret}\n`, { filePath: 'credentials' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'secret/aws', column: 25 });
  });

  it('never throws on odd input', async () => {
    for (const text of [
      '',
      '\u0000',
      '\uD800\uDC00\uD800',
      '"'.repeat(5000),
      "'".repeat(4097),
      '-----BEGIN PRIVATE KEY-----',
    ]) {
      await expect(findSecrets(text, { filePath: '' })).resolves.toEqual([]);
    }
    await expect(findSecrets('x', { filePath: 'a.p12', knownSecrets: ['', 'x'] })).resolves.toEqual([]);
  });

  it('scans a 1 MB minified line and 100k repeated characters', async () => {
    const chunk = `function a${'b'}(c){return c.map(function(d){return d*2}).filter(Boolean)};var e="${random(BASE62, 30)}";`;
    const inputs = [
      chunk.repeat(Math.ceil(1_000_000 / chunk.length)),
      'a'.repeat(100_000),
      'sk-'.repeat(33_000),
      `const token = "${'sk-'.repeat(33_000)}";`,
      '-----BEGIN PRIVATE KEY-----'.repeat(3000),
    ];
    // Behaviour only (no timing: bench/security.bench.ts measures it): each input scans and returns.
    for (const input of inputs) {
      await expect(
        findSecrets(input, { filePath: 'dist/bundle.min.js', knownSecrets: [mixed(BASE62, 20)] }),
      ).resolves.toBeInstanceOf(Array);
    }
    // 150k overlapping matches of two known values: all are reported (a spread push used to overflow and lose them).
    const findings = await findSecrets('z'.repeat(1_000_000), {
      filePath: 'a.txt',
      knownSecrets: ['z'.repeat(12), 'z'.repeat(13)],
    });
    expect(findings.length).toBeGreaterThan(70_000);
  });

  it('leaves no performance marks behind (secretlint profiler is silenced)', async () => {
    await findSecrets('const x = 1;\n', { filePath: 'a.ts' });
    const before = performance.getEntriesByType('mark').length;
    for (let index = 0; index < 5; index += 1) await findSecrets('const x = 1;\n', { filePath: 'a.ts' });
    expect(performance.getEntriesByType('mark').length).toBe(before);
  });
});

describe('maskSecret', () => {
  it('shows the first and last 4 of long values', () => {
    expect(maskSecret('sk-proj-' + 'a1B2c3D4e5F6g7H8' + '9f2c')).toBe('sk-p…9f2c');
  });

  it('shows at most the last 2 of values up to 12 characters, never more than a third', () => {
    expect(maskSecret('abcdefghijkl')).toBe('…kl');
    expect(maskSecret('abcdef')).toBe('…ef');
    expect(maskSecret('abcde')).toBe('…e');
    expect(maskSecret('ab')).toBe('…');
    expect(maskSecret('')).toBe('…');
  });

  it('never shows more than a third of values between 13 and 23 characters', () => {
    for (let length = 13; length <= 30; length += 1) {
      const value = random(BASE62, length);
      const shown = maskSecret(value).replace('…', '').length;
      expect(shown, String(length)).toBeLessThanOrEqual(length / 3);
    }
    expect(maskSecret('abcdefghijklm')).toBe('ab…lm');
  });
});

describe('knownSecretValues', () => {
  it('keeps values of >= 12 chars under *KEY*, *TOKEN*, *SECRET* names plus configured keys, deduplicated', () => {
    const value = mixed(BASE62, 24);
    const values = knownSecretValues(
      {
        OPENAI_API_KEY: value,
        github_token: ` ${value.slice(2)}\n`,
        CLIENT_SECRET: 'short',
        HOME: '/home/dev',
        TOKEN_FILE: '/run/secrets/token',
        SSH_KEY_PATH: '/home/dev/.ssh/id_ed25519',
        KEYCLOAK_URL: 'https://auth.internal.test/realms/dev',
        SIGNING_KEY: '/K7MDENG+bPxRfiCY' + mixed(BASE64, 24),
        GPG_SECRET_HOME: '~/.gnupg/private-keys',
        KEY_TIMEOUT_MS: '1234567890123',
        UNSET_TOKEN: undefined,
        PROXY: value,
      },
      [value, undefined, '', 'EMPTY', 'dummy-api-key-for-ollama', 'configured-key-1'],
    );
    expect(values).toEqual([value, value.slice(2), expect.stringMatching(/^\/K7M/), 'configured-key-1']);
  });
});

describe('redactSecrets', () => {
  it('replaces every secret by its masked form and leaves the rest unchanged', async () => {
    const key = 'sk-' + 'proj-' + mixed(BASE64URL, 48);
    const live = mixed(BASE62, 20);
    const text = `Use ${key} or ${live} with\n-----BEGIN PRIVATE KEY-----\n${lines(mixed(BASE64, 128), 64)}\n-----END PRIVATE KEY-----\n`;
    const redacted = await redactSecrets(text, { filePath: 'prompt.txt', knownSecrets: [live] });
    expect(redacted).toBe(`Use ${maskSecret(key)} or ${maskSecret(live)} with\n----…----\n`);
    expect(await redactSecrets('nothing secret here\n', { filePath: 'prompt.txt' })).toBe('nothing secret here\n');
  });

  it('masks the union of overlapping matches', async () => {
    const key = 'sk-' + 'proj-' + mixed(BASE64URL, 48);
    // The OpenAI rule matches the key, the high-entropy rule the whole literal: both go.
    const redacted = await redactSecrets(`token = "Bearer ${key}"\n`, { filePath: 'a.py' });
    expect(redacted).toBe(`token = "${maskSecret(`Bearer ${key}`)}"\n`);
  });

  it('labels matches with the rule id for prompts and keeps nothing of the value', async () => {
    const key = 'sk-' + 'proj-' + mixed(BASE64URL, 48);
    const live = mixed(BASE62, 20);
    const text = `key ${key} and ${live}\n`;
    const redacted = await redactSecrets(text, { filePath: 'prompt.txt', knownSecrets: [live], replacement: 'label' });
    expect(redacted).toMatch(/^key \[REDACTED:[a-z0-9/_-]+\] and \[REDACTED:secret\/known-value\]\n$/u);
    expect(redacted).not.toContain(key.slice(-4));
    expect(redacted).not.toContain(live.slice(-4));
  });

  it('redactKnownSecrets masks every exact occurrence, longest value first, and leaves short values alone', () => {
    const long = ['ghp', 'Zx9Qv7Lm2Rt8Wk4Np6Jd3Hs5Gf1Cb0Ya'].join('_');
    const prefix = long.slice(0, 20);
    const text = `token=${long}; again ${long}; part ${prefix}; short abc`;
    const redacted = redactKnownSecrets(text, [prefix, long, 'abc']);
    expect(redacted).not.toContain(long);
    expect(redacted).not.toContain(prefix);
    expect(redacted.split(maskSecret(long)).length - 1).toBe(2);
    expect(redacted).toContain('short abc');
    expect(redactKnownSecrets('nothing here', [long])).toBe('nothing here');
  });
});

import { describe, expect, it } from 'vitest';
import { checkSecurity } from './security.js';
import type { SecurityCheckOptions } from './security.js';

// Assembled at run time so the repository holds no live-looking key.
const OPENAI_KEY = ['sk', 'proj', 'Xk3vQ9mZ2rT7wY1bN8cF4hJ6pL0sD5gA'].join('-') + 'e2Wq7Rt9Yu1Io3Pa';

function options(overrides: Partial<SecurityCheckOptions>): SecurityCheckOptions {
  return {
    path: 'src/app.ts',
    preText: null,
    postText: '',
    blockSeverity: 'high',
    ignoreRules: [],
    knownSecrets: [],
    origin: 'human',
    ...overrides,
  };
}

describe('security gate', () => {
  it('fails on a secret the patch adds, masking it in the reason', async () => {
    const postText = `export const client = new OpenAI({\n  apiKey: '${OPENAI_KEY}',\n});\n`;
    const { drafts } = await checkSecurity(options({ postText }));
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ check_name: 'security', status: 'FAIL', line: 2 });
    expect(drafts[0]?.message).toMatch(/^critical secret\/openai at src\/app\.ts:2 — read the key from an env/);
    expect(drafts[0]?.details).toMatch(/^matched sk-p…/);
    expect(JSON.stringify(drafts)).not.toContain(OPENAI_KEY.slice(8, 30));
  });

  it('does not blame the patch for a finding the file already had (same rule, same line text)', async () => {
    const preText = 'import { exec } from "node:child_process";\n\nexec(command);\n';
    const postText = 'import { exec } from "node:child_process";\n\n// run it\n\nexec(command);\nconst x = 1;\n';
    const { drafts } = await checkSecurity(options({ preText, postText }));
    expect(drafts.map((draft) => draft.status)).toEqual(['PASS']);
    const added = `${postText}exec(other);\n`;
    const second = await checkSecurity(options({ preText, postText: added }));
    expect(second.drafts[0]).toMatchObject({ status: 'FAIL', line: 7 });
    expect(second.drafts[0]?.message).toMatch(/^high js\/shell-exec at src\/app\.ts:7 — /);
  });

  it('lists further findings after the most severe one', async () => {
    const postText = [
      'import subprocess',
      'def run(cmd, cur, name):',
      '    subprocess.run(cmd, shell=True)',
      '    cur.execute(f"SELECT * FROM users WHERE name = {name}")',
    ].join('\n');
    const { drafts } = await checkSecurity(options({ path: 'tools/deploy.py', postText }));
    expect(drafts[0]?.message).toBe(
      'high py/shell-exec at tools/deploy.py:3 — pass arguments as a list and drop shell=True',
    );
    expect(drafts[0]?.details).toBe('+1 more: high py/sql-concat at tools/deploy.py:4');
  });

  it('honours block_severity and ignore_rules', async () => {
    const postText = 'fn f(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n';
    const medium = await checkSecurity(options({ path: 'src/lib.rs', postText }));
    expect(medium.drafts[0]).toMatchObject({ status: 'WARN', line: 2 });
    expect(medium.drafts[0]?.message).toMatch(/^medium rust\/unsafe at src\/lib\.rs:2 — /);
    const strict = await checkSecurity(options({ path: 'src/lib.rs', postText, blockSeverity: 'medium' }));
    expect(strict.drafts[0]?.status).toBe('FAIL');
    const off = await checkSecurity(options({ path: 'src/lib.rs', postText, ignoreRules: ['rust/unsafe'] }));
    expect(off.drafts.map((draft) => draft.status)).toEqual(['PASS']);
    const secretsOff = await checkSecurity(
      options({ postText: `const key = '${OPENAI_KEY}';\n`, ignoreRules: ['secret/*'] }),
    );
    expect(secretsOff.drafts.map((draft) => draft.status)).toEqual(['PASS']);
  });

  it('honours kode-ignore from people, records it, and refuses one the model just added', async () => {
    const line = 'const tls = { rejectUnauthorized: false };';
    const postText = `// kode-ignore: js/tls-disabled\n${line}\n`;
    const human = await checkSecurity(options({ postText }));
    expect(human.drafts.map((draft) => draft.status)).toEqual(['PASS']);
    expect(human.suppressed).toEqual([{ rule_id: 'js/tls-disabled', file: 'src/app.ts', line: 2 }]);

    const model = await checkSecurity(options({ postText, origin: 'model' }));
    expect(model.drafts.map((draft) => [draft.status, draft.message.split(' at ')[0]])).toEqual([
      ['FAIL', 'high js/tls-disabled'],
      ['WARN', 'kode-ignore added by the model was ignored'],
    ]);
    expect(model.suppressed).toEqual([]);

    // A suppression that was already in the file is a person's, even when the model edits around it.
    const existing = await checkSecurity(
      options({ preText: `// kode-ignore: js/tls-disabled\n${line}\n`, postText: `${postText}\n`, origin: 'model' }),
    );
    expect(existing.drafts.map((draft) => draft.status)).toEqual(['PASS']);
    const sameLine = await checkSecurity(options({ postText: `${line} // kode-ignore: js/tls-disabled\n` }));
    expect(sameLine.suppressed).toHaveLength(1);
    const otherRule = await checkSecurity(options({ postText: `${line} // kode-ignore: js/eval\n` }));
    expect(otherRule.drafts[0]?.status).toBe('FAIL');
  });

  it('flags Trojan-source bidi controls and zero-width characters inside words, not emoji sequences', async () => {
    const bidi = await checkSecurity(options({ postText: 'const access = "user\u202E \u2066// admin\u2069";\n' }));
    expect(bidi.drafts[0]).toMatchObject({ status: 'FAIL', line: 1 });
    expect(bidi.drafts[0]?.message).toMatch(/^high code\/bidi-control at src\/app\.ts:1 — /);
    const hidden = await checkSecurity(options({ postText: 'const is\u200BAdmin = true;\n' }));
    expect(hidden.drafts[0]?.status).toBe('FAIL');
    const family = await checkSecurity(options({ postText: 'const family = "👨\u200D👩\u200D👧";\n' }));
    expect(family.drafts.map((draft) => draft.status)).toEqual(['PASS']);
  });

  it('runs the secret rules on any text file, the code rules only on code', async () => {
    const env = await checkSecurity(
      options({ path: 'config/.env.production', postText: `OPENAI_API_KEY=${OPENAI_KEY}\n` }),
    );
    expect(env.drafts[0]?.status).toBe('FAIL');
    const markdown = await checkSecurity(options({ path: 'README.md', postText: 'Call `eval(userInput)` never.\n' }));
    expect(markdown.drafts.map((draft) => draft.status)).toEqual(['PASS']);
  });

  it('blocks the value of a live credential from the environment', async () => {
    const live = 'ZmFrZS1saXZlLXRva2VuLXZhbHVl' + 'Q2x1c3Rlcg';
    const { drafts } = await checkSecurity(
      options({ path: 'deploy/values.yaml', postText: `cluster:\n  auth: ${live}\n`, knownSecrets: [live] }),
    );
    expect(drafts[0]).toMatchObject({ status: 'FAIL', line: 2 });
    expect(drafts[0]?.message).toMatch(/^critical secret\/known-value at deploy\/values\.yaml:2 — /);
  });

  it('counts dangerous code in test code as medium (WARN) but secrets as critical everywhere', async () => {
    const tls = 'const agent = new https.Agent({ rejectUnauthorized: false });\n';
    const inTest = await checkSecurity(options({ path: 'src/client.test.ts', postText: tls }));
    expect(inTest.drafts[0]).toMatchObject({ status: 'WARN' });
    expect(inTest.drafts[0]?.message).toMatch(/^medium js\/tls-disabled at src\/client\.test\.ts:1/);
    const inProduction = await checkSecurity(options({ path: 'src/client.ts', postText: tls }));
    expect(inProduction.drafts[0]?.status).toBe('FAIL');
    const secretInTest = await checkSecurity(
      options({ path: 'tests/test_client.py', postText: `API_KEY = "${OPENAI_KEY}"\n` }),
    );
    expect(secretInTest.drafts[0]?.status).toBe('FAIL');
    const rust = [
      'pub fn run(cmd: &str) { std::process::Command::new("sh").arg("-c").arg(cmd).status().unwrap(); }',
      '#[cfg(test)]',
      'mod tests {',
      '    fn helper(cmd: &str) { std::process::Command::new("sh").arg("-c").arg(cmd).status().unwrap(); }',
      '}',
      '',
    ].join('\n');
    const mixed = await checkSecurity(options({ path: 'src/lib.rs', postText: rust }));
    expect(mixed.drafts[0]).toMatchObject({ status: 'FAIL', line: 1 });
    expect(mixed.drafts[0]?.details).toBe('+1 more: medium rust/shell-exec at src/lib.rs:4');
  });

  it('counts code generation into an explicit scope as medium, bare eval as high', async () => {
    const generated = 'export const compile = (body: string) => new Function("input", body);\n';
    const jit = await checkSecurity(options({ postText: generated }));
    expect(jit.drafts[0]?.message).toMatch(/^medium js\/eval at /);
    expect(jit.drafts[0]?.status).toBe('WARN');
    const bare = await checkSecurity(options({ postText: 'export const run = (code: string) => eval(code);\n' }));
    expect(bare.drafts[0]?.message).toMatch(/^high js\/eval at /);
    const namespace = await checkSecurity(
      options({ path: 'lib/gen.py', postText: 'def make(code):\n    ns = {}\n    exec(code, ns)\n    return ns\n' }),
    );
    expect(namespace.drafts[0]?.message).toMatch(/^medium py\/eval at lib\/gen\.py:3/);
    const own = await checkSecurity(options({ path: 'lib/gen.py', postText: 'def run(code):\n    exec(code)\n' }));
    expect(own.drafts[0]).toMatchObject({ status: 'FAIL', line: 2 });
  });

  it('treats a credential in a URL inside a test as medium, anywhere else as critical', async () => {
    const url = ['https://anonymous', 'flabada@developer.mozilla.org/en-US/docs'].join(':');
    const inTest = await checkSecurity(options({ path: 'src/url.test.ts', postText: `parse("${url}");\n` }));
    expect(inTest.drafts[0]?.status).not.toBe('FAIL');
    const inCode = await checkSecurity(options({ path: 'src/url.ts', postText: `fetch("${url}");\n` }));
    expect(inCode.drafts[0]?.status).toBe('FAIL');
    const database = ['postgres://app', 'Xq7pLm2vR9tK@db.internal:5432/main'].join(':');
    const fixture = await checkSecurity(options({ path: 'tests/test_db.py', postText: `URL = "${database}"\n` }));
    expect(fixture.drafts[0]?.status).not.toBe('FAIL');
    const config = await checkSecurity(options({ path: 'app/settings.py', postText: `URL = "${database}"\n` }));
    expect(config.drafts[0]?.status).toBe('FAIL');
  });

  it('fails closed when the scan cannot finish within its budget', async () => {
    const { drafts } = await checkSecurity(options({ postText: 'const x = 1;\n', budgetMs: -1 }));
    expect(drafts).toEqual([
      {
        check_name: 'security',
        status: 'FAIL',
        file: 'src/app.ts',
        line: 1,
        message: 'high scan-timeout at src/app.ts:1 — the file is too large or complex to scan; split it',
      },
    ]);
  });
});

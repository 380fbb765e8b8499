// The engine in-process (SPEC §8, §14) against real fake HTTP servers driven by the official SDK clients: budget
// before the first call and during self-correction, the output-limit retry, format repair through small_model,
// secret redaction of prompts, critique, skipped tests, the Anthropic wire format, and a user edit during the tests.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '@kode/config';
import type { KodeConfig } from '@kode/config';
import { createProvider } from '@kode/providers';
import type { ModelPrice } from '@kode/providers';
import { captureTree, createTempProject, startFakeAnthropic, startFakeOpenAI } from '@kode/test-utils';
import type { FakeServer, FakeStep, TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { generatePatch, runLoop, runTask } from './engine.js';
import { exitCodeOf } from './run-state.js';
import { SHORTER_REPLY_REQUEST } from './prompt.js';
import type { KodeEvent, LoopOptions } from './types.js';

const servers: FakeServer[] = [];
let project: TempProject | undefined;
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await project?.dispose();
  project = undefined;
});

const MATH = 'export function add(a, b) {\n  return a + b;\n}\n';

function configWith(overrides: {
  engine?: Partial<KodeConfig['engine']>;
  permission?: Partial<KodeConfig['permission']>;
}): KodeConfig {
  return {
    ...DEFAULT_CONFIG,
    permission: { ...DEFAULT_CONFIG.permission, edit: 'always', bash: 'always', ...overrides.permission },
    engine: { ...DEFAULT_CONFIG.engine, tdd_mode: false, ...overrides.engine },
  };
}

async function setup(files: Record<string, string> = {}): Promise<TempProject> {
  project = await createTempProject({
    git: true,
    name: 'kode-core',
    files: { 'package.json': '{"name":"demo","type":"module"}\n', 'src/math.js': MATH, ...files },
  });
  return project;
}

async function openAI(script: FakeStep[], price?: ModelPrice) {
  const server = await startFakeOpenAI({ script });
  servers.push(server);
  const model = createProvider({
    id: 'endpoint',
    baseURL: `${server.url}/v1`,
    maxRetries: 0,
    ...(price ? { price } : {}),
  }).languageModel('coder');
  return { server, model };
}

const MULTIPLY = {
  id: 'h1',
  file_path: 'src/math.js',
  action: 'INSERT',
  anchor_text: '',
  new_text: 'export function multiply(a, b) {\n  return a * b;\n}\n',
};

function json(hunks: unknown[], extra: Partial<Extract<FakeStep, { type: 'reply' }>> = {}): FakeStep {
  return { type: 'reply', text: JSON.stringify(hunks), ...extra };
}

function body(server: FakeServer, index: number): string {
  return JSON.stringify(server.requests[index]?.body ?? null);
}

function tree(target: TempProject): Promise<string> {
  return captureTree({ root: target.root, git: (...args) => target.git(...args) });
}

describe('budget (§8.10)', () => {
  it('a first call the budget cannot cover is never sent: ERROR budget, exit 3', async () => {
    const target = await setup();
    const { server, model } = await openAI([json([MULTIPLY])], { inputUsdPerMtok: 100, outputUsdPerMtok: 100 });
    const summary = await runTask({
      projectRoot: target.root,
      task: 'add multiply to src/math.js',
      model,
      config: configWith({}),
      budgetUsd: 0.01,
      logDir: false,
    });
    expect(summary.status).toBe('ERROR');
    expect(summary.error?.kind).toBe('budget');
    expect(summary.error?.message).toMatch(
      /^token budget exceeded before generation: projected \$\d+\.\d{4} > budget \$0\.0100/u,
    );
    expect(exitCodeOf(summary)).toBe(3);
    expect(server.requests).toHaveLength(0);
  });

  it('a self-correction call that no longer fits stops the run: nothing written, ERROR budget', async () => {
    const target = await setup();
    const before = await tree(target);
    const bad = { ...MULTIPLY, new_text: "import pad from 'left-pad-pro';\nexport const x = pad(1);\n" };
    // Each call is projected at 1000 output tokens x $10/Mtok = $0.01; the first reply costs $0.009.
    const { server, model } = await openAI(
      [json([bad], { usage: { inputTokens: 10, outputTokens: 900 } }), json([MULTIPLY])],
      { inputUsdPerMtok: 0, outputUsdPerMtok: 10 },
    );
    const summary = await runTask({
      projectRoot: target.root,
      task: 'add multiply to src/math.js',
      model,
      config: configWith({ engine: { max_output_tokens: 1000 } }),
      budgetUsd: 0.015,
      logDir: false,
    });
    expect(summary).toMatchObject({ status: 'ERROR', written: false, error: { kind: 'budget' } });
    expect(summary.error?.message).toContain('budget exceeded: spent $0.0090 + next call $0.0100 > budget $0.0150');
    expect(server.requests).toHaveLength(1);
    expect(await tree(target)).toBe(before);
  });
});

describe('replies (§8.2, §14)', () => {
  it('a reply cut at the output limit is retried once asking for a smaller answer, then fails schema', async () => {
    const target = await setup();
    const cut = json([MULTIPLY], { finishReason: 'length' });
    const { server, model } = await openAI([cut, cut]);
    const summary = await runTask({
      projectRoot: target.root,
      task: 'add multiply',
      model,
      config: configWith({}),
      maxRounds: 1,
      logDir: false,
    });
    expect(summary.status).toBe('FAIL');
    expect(summary.failed_hunks['<patch>']).toMatch(/^schema: Model reply is not a valid patch \(.*output limit/u);
    expect(server.requests).toHaveLength(2);
    expect(body(server, 1)).toContain(SHORTER_REPLY_REQUEST);
    expect(await target.read('src/math.js')).toBe(MATH);
  });

  it('prose is repaired by one call to small_model and the repaired patch is applied', async () => {
    const target = await setup();
    const main = await openAI([{ type: 'reply', text: 'I would add a multiply function next to add.' }]);
    const small = await openAI([json([MULTIPLY])]);
    const summary = await runTask({
      projectRoot: target.root,
      task: 'add multiply to src/math.js',
      model: main.model,
      smallModel: small.model,
      config: configWith({}),
      logDir: false,
    });
    expect(summary).toMatchObject({ status: 'PASS', written: true, rounds_used: 1 });
    expect(small.server.requests).toHaveLength(1);
    expect(body(small.server, 0)).toContain('could not be parsed');
    expect(body(small.server, 0)).toContain('I would add a multiply function');
    expect(await target.read('src/math.js')).toContain('multiply');
  });

  it('an empty patch from the model is a schema failure, and generate prints the hunks of a good one', async () => {
    const target = await setup();
    const { model } = await openAI([json([]), json([MULTIPLY])]);
    const failed = await runTask({
      projectRoot: target.root,
      task: 'x',
      model,
      config: configWith({}),
      maxRounds: 1,
      logDir: false,
    });
    expect(failed.failed_hunks).toEqual({ '<patch>': 'schema: Model reply contains no hunks' });
    const generated = await generatePatch({
      projectRoot: target.root,
      task: 'add multiply',
      model,
      config: configWith({}),
    });
    expect(generated).toMatchObject({ status: 'GENERATED', hunks: [MULTIPLY], edit_format: 'json' });
    expect(await target.read('src/math.js')).toBe(MATH);
  });

  it('asks through the submit_patch tool where the provider supports tools, and applies its arguments', async () => {
    const target = await setup();
    const server = await startFakeOpenAI({
      script: [{ type: 'reply', text: '', toolCalls: [{ name: 'submit_patch', arguments: { hunks: [MULTIPLY] } }] }],
    });
    servers.push(server);
    const model = createProvider({ id: 'endpoint', baseURL: `${server.url}/v1`, supportsTools: true }).languageModel(
      'm',
    );
    const summary = await runTask({
      projectRoot: target.root,
      task: 'add multiply',
      model,
      config: configWith({}),
      logDir: false,
    });
    expect(summary).toMatchObject({ status: 'PASS', applied_hunks: ['h1'] });
    expect(body(server, 0)).toContain('"submit_patch"');
    expect(await target.read('src/math.js')).toContain('multiply');
  });

  it('SEARCH/REPLACE answers are asked for and applied', async () => {
    const target = await setup();
    const text = 'src/math.js\n<<<<<<< SEARCH\n  return a + b;\n=======\n  return b + a;\n>>>>>>> REPLACE\n';
    const { server, model } = await openAI([{ type: 'reply', text }]);
    const summary = await runTask({
      projectRoot: target.root,
      task: 'swap the operands in src/math.js',
      model,
      config: configWith({}),
      editFormat: 'search-replace',
      logDir: false,
    });
    expect(summary).toMatchObject({ status: 'PASS', applied_hunks: ['hunk-1'] });
    expect(body(server, 0)).toContain('Generate the code changes as SEARCH/REPLACE blocks.');
    expect(await target.read('src/math.js')).toContain('return b + a;');
  });
});

describe('prompts and secrets (§8.1, §8.12)', () => {
  it('sends instructions, task and the named files; never .env; known secret values are redacted', async () => {
    const secret = 'sk-proj-' + 'Zx9Qv7Lm2Rt8Wk4Np6Jd3Hs5Gf1Cb0YaTu';
    const target = await setup({
      'AGENTS.md': 'Use two-space indentation.\n',
      '.env': `OPENAI_API_KEY=${secret}\n`,
      'src/config.js': `// staging key: ${secret}\nexport const region = 'eu';\n`,
    });
    const { server, model } = await openAI([json([MULTIPLY])]);
    const summary = await runTask({
      projectRoot: target.root,
      task: 'add multiply to src/math.js; see src/config.js and .env',
      model,
      config: configWith({}),
      env: { OPENAI_API_KEY: secret },
      logDir: false,
    });
    expect(summary.status).toBe('PASS');
    const sent = body(server, 0);
    expect(sent).toContain('## Instructions from AGENTS.md');
    expect(sent).toContain('Task: add multiply to src/math.js');
    expect(sent).toContain('export function add(a, b)');
    expect(sent).toContain("export const region = 'eu';");
    expect(sent).toContain('[REDACTED:');
    expect(sent).not.toContain(secret);
    expect(sent).not.toContain('OPENAI_API_KEY=');
  });
});

describe('critique and permissions (§8.3, §8.5)', () => {
  const harness = {
    id: 'h1',
    file_path: 'package.json',
    action: 'MODIFY',
    anchor_text: '{"name":"demo","type":"module"}',
    new_text: '{"name":"demo","type":"module","scripts":{"test":"exit 0"}}',
  };

  it('a test-harness change is rejected without approval and accepted (with a warning) with --yes', async () => {
    const target = await setup();
    const { model } = await openAI([json([harness]), json([harness])]);
    const rejected = await runTask({
      projectRoot: target.root,
      task: 'x',
      model,
      config: configWith({}),
      maxRounds: 1,
      logDir: false,
    });
    expect(rejected.status).toBe('FAIL');
    expect(rejected.failed_hunks.h1).toMatch(/^critique: test-harness: /u);
    const approved = await runTask({
      projectRoot: target.root,
      task: 'x',
      model,
      config: configWith({}),
      assumeYes: true,
      logDir: false,
    });
    expect(approved.status).toBe('PASS');
    expect(approved.warnings.some((warning) => warning.startsWith('critique: test-harness: '))).toBe(true);
  });

  it('permission.bash deny applies the verified change and skips the tests', async () => {
    const target = await setup();
    const { model } = await openAI([json([MULTIPLY])]);
    const events: KodeEvent[] = [];
    const notices: string[] = [];
    const result = await runLoop({
      projectRoot: target.root,
      task: 'add multiply',
      model,
      config: configWith({ permission: { bash: 'deny' } }),
      testCommand: 'exit 1',
      logDir: false,
      onEvent: (event) => events.push(event),
      onNotice: (text) => notices.push(text),
    });
    expect(result).toMatchObject({ status: 'PASS', written: true, hunks_applied: 1, test: { skipped: true } });
    expect(notices).toContain('tests skipped: permission.bash is "deny"');
    expect(events.some((event) => event.type === 'test-start')).toBe(false);
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'PASS', exit_code: 0 });
  });

  it('an interactive "no" rejects the patch: FAIL permission, nothing written', async () => {
    const target = await setup();
    const { model } = await openAI([json([MULTIPLY])]);
    const asked: string[] = [];
    const summary = await runTask({
      projectRoot: target.root,
      task: 'add multiply',
      model,
      config: configWith({ permission: { edit: 'ask' } }),
      confirm: (request) => {
        asked.push(`${request.question}\n${request.diff ?? ''}`);
        return Promise.resolve(false);
      },
      logDir: false,
    });
    expect(summary).toMatchObject({
      status: 'FAIL',
      written: false,
      failed_hunks: { '<patch>': 'permission: rejected by user' },
    });
    expect(asked[0]).toMatch(/^Apply 1 change\(s\) to 1 file\(s\)\?\n--- a\/src\/math\.js\n\+\+\+ b\/src\/math\.js/u);
    expect(await target.read('src/math.js')).toBe(MATH);
  });

  it('loop without any test command stops before the model: ERROR config, exit 2', async () => {
    const target = await setup();
    const { server, model } = await openAI([json([MULTIPLY])]);
    const result = await runLoop({ projectRoot: target.root, task: 'x', model, config: configWith({}), logDir: false });
    expect(result.error).toEqual({
      kind: 'config',
      message: 'no test command: set engine.test_command in .kode/kode.json or pass --test-command',
    });
    expect(exitCodeOf(result)).toBe(2);
    expect(server.requests).toHaveLength(0);
  });
});

describe('loop details', () => {
  it('works against the Anthropic wire format (streaming, official SDK)', async () => {
    const target = await setup();
    const server = await startFakeAnthropic({ script: [json([MULTIPLY])] });
    servers.push(server);
    const model = createProvider({
      id: 'anthropic',
      baseURL: server.url,
      apiKey: 'test-key',
      local: false,
    }).languageModel('claude-sonnet-4-6');
    const options: LoopOptions = {
      projectRoot: target.root,
      task: 'add multiply to src/math.js',
      model,
      config: configWith({}),
      testCommand: 'node -e "process.exit(0)"',
      logDir: false,
    };
    const result = await runLoop(options);
    expect(result).toMatchObject({ status: 'PASS', model: 'anthropic/claude-sonnet-4-6', written: true });
    expect(result.tokens.input).toBeGreaterThan(0);
  });

  it('a file the user (or the tests) edited during the run is kept as .kode-conflict when rolling back', async () => {
    const target = await setup();
    const { model } = await openAI([json([MULTIPLY])]);
    const result = await runLoop({
      projectRoot: target.root,
      task: 'add multiply',
      model,
      config: configWith({}),
      testCommand: 'echo "// mine" > src/math.js; exit 1',
      logDir: false,
    });
    expect(result).toMatchObject({ status: 'FAIL', rolled_back: true });
    expect(await target.read('src/math.js')).toBe(MATH);
    expect(await readFile(join(target.root, 'src/math.js.kode-conflict'), 'utf8')).toBe('// mine\n');
  });

  it('a test that forks a writer into a touched file: the group dies before the restore, the bytes stay the pre-image', async () => {
    const target = await setup();
    const { model } = await openAI([json([MULTIPLY])]);
    const result = await runLoop({
      projectRoot: target.root,
      task: 'add multiply',
      model,
      config: configWith({}),
      testCommand: '(while true; do echo x >> src/math.js; sleep 0.01; done) & sleep 0.3; exit 1',
      logDir: false,
    });
    expect(result).toMatchObject({ status: 'FAIL', rolled_back: true });
    expect(await target.read('src/math.js')).toBe(MATH);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await target.read('src/math.js')).toBe(MATH);
  });
});

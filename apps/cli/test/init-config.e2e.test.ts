// Real-process tests of `kode init` and configuration handling (spec §3.1, §3.11, §5).
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempProject, runKode, sanitizeOutput } from '@kode/test-utils';
import { describe, expect, it } from 'vitest';

const DEFAULT_FILE = (testCommand: string, gatewayUrl = 'http://127.0.0.1:8787') => `{
  "$schema": "./kode.schema.json",
  "version": "3.0.0",
  "model": "anthropic/claude-sonnet-4-6",
  "small_model": "anthropic/claude-haiku-4-5",
  "instructions": [
    "AGENTS.md"
  ],
  "permission": {
    "edit": "ask",
    "bash": "ask"
  },
  "engine": {
    "tdd_mode": true,
    "test_command": "${testCommand}",
    "max_blast_radius": 3,
    "token_budget_usd": 1.5,
    "blindfold_mode": false
  },
  "providers": {
    "primary": "kode",
    "gateway_url": "${gatewayUrl}"
  }
}
`;

describe('kode init', () => {
  it('writes exactly the default kode.json with the detected test command, then leaves it alone', async () => {
    await using project = await createTempProject({ git: true, files: { 'go.mod': 'module example.com/demo\n' } });
    const first = await runKode(['init'], { cwd: project.root });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toBe('');
    const configPath = join(project.root, '.kode', 'kode.json');
    expect(await readFile(configPath, 'utf8')).toBe(DEFAULT_FILE('go test ./...'));
    expect(await readFile(join(project.root, '.kode', '.gitignore'), 'utf8')).toBe('cache/\nghost/\n');
    const schema = JSON.parse(await readFile(join(project.root, '.kode', 'kode.schema.json'), 'utf8')) as object;
    expect(schema).toHaveProperty('properties.engine');
    const text = sanitizeOutput(first.stderr, { replacements: { [project.root]: '<root>' } });
    expect(text).toContain('── Kode Init ──────────────────────────────────\n');
    expect(text).toContain('✓ Created directory <root>/.kode\n');
    expect(text).toContain('  Auto-detected test command: go test ./...\n');
    expect(text).toContain('✓ Written <root>/.kode/kode.json\n');
    expect(text).toContain('  Test Command:    go test ./...\n');
    expect(text).toContain('  Blast Radius:    3 files max per verify round\n');
    expect(text).toContain('  Token Budget:    $1.50 per loop cycle\n');
    expect(text).toContain(
      '  Provider:        kode gateway at http://127.0.0.1:8787 (kode providers login to change)\n',
    );
    expect(text).not.toContain('not a git repository');

    const before = await stat(configPath);
    const second = await runKode(['init'], { cwd: project.root });
    expect(second.exitCode).toBe(0);
    expect(sanitizeOutput(second.stderr, { replacements: { [project.root]: '<root>' } })).toBe(
      '✗ kode.json already exists at <root>/.kode/kode.json\n  Delete it first or use a different directory.\n',
    );
    expect((await stat(configPath)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(configPath, 'utf8')).toBe(DEFAULT_FILE('go test ./...'));
  });

  it('uses ${KODE_GATEWAY_URL} when the project has a .env, and says when there is no git repository', async () => {
    await using project = await createTempProject({ files: { '.env': 'KODE_GATEWAY_URL=http://gw\n' } });
    const run = await runKode(['init', project.root], { cwd: '/' });
    expect(run.exitCode).toBe(0);
    expect(await readFile(join(project.root, '.kode', 'kode.json'), 'utf8')).toBe(
      DEFAULT_FILE('', '${KODE_GATEWAY_URL}'),
    );
    expect(run.stderr).toContain('  Auto-detected test command: none (set engine.test_command)\n');
    expect(run.stderr).toContain('  Test Command:    (none)\n');
    expect(run.stderr).toContain(
      '! not a git repository: ghost branches need git; transaction state will live in the user state dir\n',
    );
  });

  it('refuses a directory that does not exist (exit 2, nothing created)', async () => {
    await using project = await createTempProject();
    const missing = join(project.root, 'nope');
    const run = await runKode(['init', missing], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`error: directory does not exist: ${missing}: create it first\n`);
    await expect(stat(missing)).rejects.toThrow();
  });
});

describe('configuration errors', () => {
  const commands = [['config', 'show'], ['stats'], ['explain', 'imports'], ['audit', 'verify']];

  it.each(commands)('an invalid type makes `kode %s` exit 2 naming the file, pointer and problem', async (...args) => {
    await using project = await createTempProject({
      git: true,
      files: { '.kode/kode.json': '{ "engine": { "max_blast_radius": "three" } }\n' },
    });
    const run = await runKode(args, { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'error: invalid .kode/kode.json: /engine/max_blast_radius must be integer (got "three")\n',
    );
  });

  it('bad JSON exits 2 with the line and column', async () => {
    await using project = await createTempProject({
      git: true,
      files: { '.kode/kode.json': '{\n  "model": "x",\n}\n' },
    });
    const run = await runKode(['config', 'show'], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^error: invalid \.kode\/kode\.json: .+ at line 3 column 1\n$/);
  });

  it('an unknown key is only a warning', async () => {
    await using project = await createTempProject({
      git: true,
      files: { '.kode/kode.json': '{ "engine": { "tdd": false } }\n' },
    });
    const run = await runKode(['config', 'show'], { cwd: project.root });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('warning: .kode/kode.json: unknown key /engine/tdd (ignored)\n');
    const config = JSON.parse(run.stdout) as { engine: Record<string, unknown> };
    expect(config.engine).not.toHaveProperty('tdd');
    expect(config.engine.tdd_mode).toBe(true);
  });

  it('refreshes an out-of-date kode.schema.json when the config is read', async () => {
    await using project = await createTempProject({ git: true, files: { 'README.md': 'x\n' } });
    expect((await runKode(['init'], { cwd: project.root })).exitCode).toBe(0);
    const schemaPath = join(project.root, '.kode', 'kode.schema.json');
    const shipped = await readFile(schemaPath, 'utf8');
    await writeFile(schemaPath, '{}\n');
    expect((await runKode(['config', 'show'], { cwd: project.root })).exitCode).toBe(0);
    expect(await readFile(schemaPath, 'utf8')).toBe(shipped);
  });

  it('config show --sources reports flag > env > file > default', async () => {
    await using project = await createTempProject({
      git: true,
      files: { '.kode/kode.json': '{ "model": "openai/gpt-4o", "engine": { "max_blast_radius": 5 } }\n' },
    });
    await writeFile(join(project.root, 'package.json'), '{"scripts":{"test":"vitest"}}');
    const run = await runKode(['config', 'show', '--sources'], {
      cwd: project.root,
      env: { KODE_TEST_COMMAND: 'make check' },
    });
    expect(run.exitCode).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      config: { model: string; engine: { max_blast_radius: number; test_command: string; tdd_mode: boolean } };
      sources: Record<string, string>;
    };
    expect(shown.config.model).toBe('openai/gpt-4o');
    expect(shown.sources.model).toBe('file');
    expect(shown.config.engine.max_blast_radius).toBe(5);
    expect(shown.sources['engine.max_blast_radius']).toBe('file');
    expect(shown.config.engine.test_command).toBe('make check');
    expect(shown.sources['engine.test_command']).toBe('env:KODE_TEST_COMMAND');
    expect(shown.sources['engine.tdd_mode']).toBe('default');
  });
});

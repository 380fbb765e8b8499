import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryNotFoundError } from './errors.js';
import { initProject, refreshSchemaCopy } from './init-project.js';
import { loadConfig } from './load-config.js';
import { configSchema } from './schema.js';
import { git, makeTempDir, withoutGitOnPath } from './temp-dir.test-helpers.js';

// Spec §5.2, byte for byte, with the detected `go test ./...`.
const GO_PROJECT_FILE = `{
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
    "test_command": "go test ./...",
    "max_blast_radius": 3,
    "token_budget_usd": 1.5,
    "blindfold_mode": false
  },
  "providers": {
    "primary": "kode",
    "gateway_url": "http://127.0.0.1:8787"
  }
}
`;

async function snapshot(paths: readonly string[]): Promise<{ bytes: string; mtimeMs: number }[]> {
  return Promise.all(
    paths.map(async (path) => ({ bytes: await readFile(path, 'utf8'), mtimeMs: (await stat(path)).mtimeMs })),
  );
}

describe('initProject', () => {
  it('writes exactly the §5.2 file, the shipped schema and the .gitignore', async () => {
    const directory = await makeTempDir({ 'go.mod': 'module example.com/acme\n' });
    git(directory, 'init', '--quiet');
    const result = await initProject({ directory });
    expect(result).toMatchObject({
      created: true,
      stateDir: join(directory, '.kode'),
      configPath: join(directory, '.kode', 'kode.json'),
      schemaPath: join(directory, '.kode', 'kode.schema.json'),
      testCommand: 'go test ./...',
      gitWorkTree: true,
    });
    expect(await readFile(join(directory, '.kode', 'kode.json'), 'utf8')).toBe(GO_PROJECT_FILE);
    expect(await readFile(join(directory, '.kode', '.gitignore'), 'utf8')).toBe('cache/\nghost/\n');
    const schemaText = await readFile(join(directory, '.kode', 'kode.schema.json'), 'utf8');
    expect(schemaText).toBe(`${JSON.stringify(configSchema, null, 2)}\n`);
    expect(JSON.parse(schemaText)).toEqual(configSchema);
  });

  it('returns the written object and the full configuration it resolves to', async () => {
    const directory = await makeTempDir({ 'go.mod': '' });
    const result = await initProject({ directory });
    if (!result.created) throw new Error('expected a new configuration');
    expect(JSON.stringify(result.initConfig, null, 2) + '\n').toBe(GO_PROJECT_FILE);
    expect(result.config.engine.test_command).toBe('go test ./...');
    expect(result.config.security.block_severity).toBe('high');
    const loaded = await loadConfig({ projectRoot: directory, env: {} });
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config).toEqual(result.config);
    expect(loaded.sources['engine.test_command']).toBe('file');
  });

  it('writes "" when no test command is detected', async () => {
    const directory = await makeTempDir();
    const result = await initProject({ directory });
    expect(result.testCommand).toBeNull();
    const written = await readFile(join(directory, '.kode', 'kode.json'), 'utf8');
    expect(written).toBe(GO_PROJECT_FILE.replace('"go test ./..."', '""'));
  });

  it('writes the ${KODE_GATEWAY_URL} literal when the project has a .env', async () => {
    const directory = await makeTempDir({ '.env': 'KODE_GATEWAY_URL=http://gateway.local:8787\n' });
    await initProject({ directory });
    const written = await readFile(join(directory, '.kode', 'kode.json'), 'utf8');
    expect(written).toContain('    "gateway_url": "${KODE_GATEWAY_URL}"\n');
    const loaded = await loadConfig({ projectRoot: directory, env: {} });
    expect(loaded.config.providers.gateway_url).toBe('http://gateway.local:8787');
    expect(loaded.warnings).toEqual([]);
  });

  it('changes nothing when kode.json already exists', async () => {
    const directory = await makeTempDir({ 'go.mod': '' });
    await initProject({ directory });
    const paths = ['kode.json', 'kode.schema.json', '.gitignore'].map((name) => join(directory, '.kode', name));
    await writeFile(paths[0] ?? '', '{"model": "custom/model"}\n');
    const before = await snapshot(paths);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
    const second = await initProject({ directory });
    expect(second).toEqual({
      created: false,
      stateDir: join(directory, '.kode'),
      configPath: join(directory, '.kode', 'kode.json'),
      schemaPath: join(directory, '.kode', 'kode.schema.json'),
      gitWorkTree: false,
      testCommand: null,
      initConfig: null,
      config: null,
    });
    expect(await snapshot(paths)).toEqual(before);
  });

  it('reports a directory outside git, with or without git installed', async () => {
    const directory = await makeTempDir();
    expect((await initProject({ directory })).gitWorkTree).toBe(false);
    const other = await makeTempDir();
    const result = await withoutGitOnPath(() => initProject({ directory: other }));
    expect(result).toMatchObject({ created: true, gitWorkTree: false });
  });

  it('finds the enclosing work tree from a subdirectory, even without git installed', async () => {
    const repository = await makeTempDir({ 'packages/api/readme.md': '' });
    git(repository, 'init', '--quiet');
    const directory = join(repository, 'packages', 'api');
    expect((await initProject({ directory })).gitWorkTree).toBe(true);
    const second = await makeTempDir({ 'sub/readme.md': '' });
    git(second, 'init', '--quiet');
    const result = await withoutGitOnPath(() => initProject({ directory: join(second, 'sub') }));
    expect(result.gitWorkTree).toBe(true);
  });

  it('throws DirectoryNotFoundError for a missing path or a file', async () => {
    const root = await makeTempDir({ 'file.txt': 'x' });
    const missing = join(root, 'missing');
    const error: unknown = await initProject({ directory: missing }).catch((caught: unknown) => caught);
    expect(DirectoryNotFoundError.isInstance(error)).toBe(true);
    expect((error as DirectoryNotFoundError).message).toBe(`directory does not exist: ${missing}: create it first`);
    expect((error as DirectoryNotFoundError).directory).toBe(missing);
    await expect(initProject({ directory: join(root, 'file.txt') })).rejects.toSatisfy((caught) =>
      DirectoryNotFoundError.isInstance(caught),
    );
    expect(DirectoryNotFoundError.isInstance(new Error('directory does not exist'))).toBe(false);
  });
});

describe('refreshSchemaCopy', () => {
  it('does nothing without a .kode directory', async () => {
    const projectRoot = await makeTempDir();
    expect(await refreshSchemaCopy({ projectRoot })).toBe(false);
    await expect(stat(join(projectRoot, '.kode'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rewrites an outdated or missing copy and leaves a current one alone', async () => {
    const projectRoot = await makeTempDir({ '.kode/kode.json': '{}', '.kode/kode.schema.json': '{"old": true}\n' });
    const schemaPath = join(projectRoot, '.kode', 'kode.schema.json');
    expect(await refreshSchemaCopy({ projectRoot })).toBe(true);
    const current = await readFile(schemaPath, 'utf8');
    expect(current).toBe(`${JSON.stringify(configSchema, null, 2)}\n`);
    const before = await snapshot([schemaPath]);
    expect(await refreshSchemaCopy({ projectRoot })).toBe(false);
    expect(await snapshot([schemaPath])).toEqual(before);

    const withoutCopy = await makeTempDir({ '.kode/kode.json': '{}' });
    expect(await refreshSchemaCopy({ projectRoot: withoutCopy })).toBe(true);
    expect(await readFile(join(withoutCopy, '.kode', 'kode.schema.json'), 'utf8')).toBe(current);
  });
});

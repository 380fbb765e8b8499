// The architecture gate (SPEC §4.9, §5.4) through verify() on real temp projects: rules in both forms, allowed_in,
// WARN by default and FAIL with block, only new violations, and import cycles the patch introduces.
import type { ArchitectureRule, KodeConfig } from '@kode/config';
import { DEFAULT_CONFIG } from '@kode/config';
import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '../verify.js';
import { normalizeArchitectureRules } from './architecture.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

function configWith(rules: readonly ArchitectureRule[], block = false): KodeConfig {
  return { ...DEFAULT_CONFIG, architecture: { block, rules } };
}

async function setup(files: Record<string, string>): Promise<TempProject> {
  project = await createTempProject({
    git: true,
    files: { 'package.json': '{"name":"demo","type":"module"}\n', ...files },
  });
  return project;
}

function architectureOf(result: Awaited<ReturnType<typeof verify>>) {
  return result.verdict.results.find((gate) => gate.check_name === 'architecture');
}

const LAYERS = {
  'src/db/client.ts': 'export const db = {};\n',
  'src/api/users.ts': "import { db } from '../db/client.js';\nexport const users = db;\n",
  'src/ui/panel.ts': "import { users } from '../api/users.js';\nexport const panel = users;\n",
};
const RULE: ArchitectureRule = {
  from: 'src/ui/**',
  to: 'src/db/**',
  allowed_in: [],
  message: 'UI code must go through src/api',
};

describe('architecture rules', () => {
  it('warns on a forbidden import by default and fails with block', async () => {
    const target = await setup(LAYERS);
    const input = {
      files: { 'src/ui/panel.ts': "import { db } from '../db/client.js';\nexport const panel = db;\n" },
    };
    const warned = await verify(input, { projectRoot: target.root, config: configWith([RULE]) });
    expect(architectureOf(warned)).toMatchObject({
      status: 'WARN',
      message: 'Architecture boundaries violated',
      details: 'src/ui/panel.ts:1 imports src/db/client.ts: UI code must go through src/api',
    });
    expect(warned.warnings).toContain(
      'architecture: Architecture boundaries violated (src/ui/panel.ts:1 imports src/db/client.ts: UI code must go through src/api)',
    );
    const failed = await verify(input, { projectRoot: target.root, config: configWith([RULE], true) });
    expect(architectureOf(failed)?.status).toBe('FAIL');
    expect(failed.verdict.overall).toBe('FAIL');
  });

  it('forbidden_import_prefix compares by path component and honours allowed_in; verify-input aliases work', async () => {
    const target = await setup({ ...LAYERS, 'src/dbx/other.ts': 'export const o = 1;\n' });
    const rules = normalizeArchitectureRules([
      { ForbiddenImportPrefix: 'src/db', AllowedInPackages: ['src/api'], ErrorMessage: 'Only the API touches the db' },
    ]);
    expect(rules).toEqual([
      { forbidden_import_prefix: 'src/db', allowed_in: ['src/api'], message: 'Only the API touches the db' },
    ]);
    const fromUi = await verify(
      {
        files: {
          'src/ui/x.ts':
            "import { db } from '../db/client.js';\nimport { o } from '../dbx/other.js';\nexport const x = [db, o];\n",
        },
      },
      { projectRoot: target.root, config: configWith([]), architectureRules: rules },
    );
    expect(architectureOf(fromUi)?.details).toBe('src/ui/x.ts:1 imports src/db/client.ts: Only the API touches the db');
    const fromApi = await verify(
      { files: { 'src/api/y.ts': "import { db } from '../db/client.js';\nexport const y = db;\n" } },
      { projectRoot: target.root, config: configWith([]), architectureRules: rules },
    );
    expect(architectureOf(fromApi)?.status).toBe('PASS');
  });

  it('does not blame a violation the file already had', async () => {
    const target = await setup({
      ...LAYERS,
      'src/ui/old.ts': "import { db } from '../db/client.js';\nexport const old = db;\n",
    });
    const result = await verify(
      {
        hunks: [
          {
            id: 'h1',
            file_path: 'src/ui/old.ts',
            action: 'INSERT',
            anchor_text: '',
            new_text: 'export const more = 1;\n',
          },
        ],
      },
      { projectRoot: target.root, config: configWith([RULE], true) },
    );
    expect(architectureOf(result)?.status).toBe('PASS');
  });
});

describe('import cycles', () => {
  const CHAIN = {
    'src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'src/b.ts': "import { c } from './c.js';\nexport const b = c;\n",
    'src/c.ts': 'export const c = 1;\n',
    // A cycle that exists already, elsewhere.
    'src/x.ts': "import { y } from './y.js';\nexport const x = () => y;\n",
    'src/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
  };

  it('an import that closes a cycle warns (fails with block); the existing cycle elsewhere is not reported', async () => {
    const target = await setup(CHAIN);
    const input = { files: { 'src/c.ts': "import { a } from './a.js';\nexport const c = a;\n" } };
    const result = await verify(input, { projectRoot: target.root, config: configWith([]) });
    expect(architectureOf(result)).toMatchObject({
      status: 'WARN',
      details: 'src/c.ts:1 import cycle introduced: src/c.ts → src/a.ts → src/b.ts → src/c.ts',
    });
    expect(JSON.stringify(result.verdict)).not.toContain('src/x.ts →');
    const blocked = await verify(input, { projectRoot: target.root, config: configWith([]), blockArchitecture: true });
    expect(architectureOf(blocked)?.status).toBe('FAIL');
  });

  it('ignores type-only edges and edits that keep an existing cycle', async () => {
    const target = await setup(CHAIN);
    const typeOnly = await verify(
      { files: { 'src/c.ts': "import type { a } from './a.js';\nexport const c = 1 as unknown as typeof a;\n" } },
      { projectRoot: target.root, config: configWith([], true) },
    );
    expect(architectureOf(typeOnly)?.status).toBe('PASS');
    const keep = await verify(
      { files: { 'src/y.ts': "import { x } from './x.js';\nexport const y = () => x();\n" } },
      { projectRoot: target.root, config: configWith([], true) },
    );
    expect(architectureOf(keep)?.status).toBe('PASS');
  });

  it('finds a cycle a Python patch introduces', async () => {
    const target = await setup({
      'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\n',
      'app/__init__.py': '',
      'app/models.py': 'from app import services\n',
      'app/services.py': 'X = 1\n',
    });
    const result = await verify(
      { files: { 'app/services.py': 'from app import models\nX = 1\n' } },
      { projectRoot: target.root, config: configWith([]) },
    );
    expect(architectureOf(result)?.status).toBe('WARN');
    expect(architectureOf(result)?.details).toContain('import cycle introduced: app/services.py →');
  });
});

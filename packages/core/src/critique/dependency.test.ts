import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changed, findingsOf } from './critique.test-helpers.js';
import type { CritiqueFile } from './critique.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('dependency lens: TypeScript project with node_modules', () => {
  let project: TempProject;
  const dependency = (...files: CritiqueFile[]) => findingsOf({ lens: 'dependency', files, projectRoot: project.root });
  const messages = async (...files: CritiqueFile[]) =>
    (await dependency(...files)).map((finding) => `${finding.severity}: ${finding.message}`);

  const PACKAGE_JSON = json({ name: 'shop-web', version: '1.0.0', type: 'module', dependencies: { zod: '^3.23.0' } });
  const APP = "import { z } from 'zod';\n\nexport const name = z.string().min(1);\n";
  const LEGACY = "import _ from 'lodash';\n\nexport const chunk = _.chunk;\n";

  beforeAll(async () => {
    project = await createTempProject({
      name: 'critique-ts',
      files: {
        'package.json': PACKAGE_JSON,
        'tsconfig.json': json({ compilerOptions: { module: 'NodeNext', strict: true } }),
        'src/app.ts': APP,
        'src/legacy.ts': LEGACY,
        'src/util.ts': 'export const id = <T>(value: T) => value;\n',
        'node_modules/zod/package.json': json({ name: 'zod', version: '3.23.8', main: 'index.js' }),
        'node_modules/zod/index.js': 'export const z = {};\n',
        // Installed only because another package depends on it: importing it directly is undeclared.
        'node_modules/lodash/package.json': json({ name: 'lodash', version: '4.17.21', main: 'lodash.js' }),
        'node_modules/lodash/lodash.js': 'module.exports = {};\n',
        'node_modules/lodash/fp.js': 'module.exports = {};\n',
        'packages/admin/package.json': json({ name: 'admin', version: '0.1.0', dependencies: {} }),
        'packages/admin/src/index.ts': 'export const admin = true;\n',
      },
    });
  });
  afterAll(() => project.dispose());

  it('rejects a new import of an installed but undeclared package, naming file, line and manifest', async () => {
    const after = APP.replace("from 'zod';\n", "from 'zod';\nimport _ from 'lodash';\n");
    expect(await dependency(changed('src/app.ts', APP, after, ['hunk-1', 'hunk-4']))).toEqual([
      {
        lens: 'dependency',
        severity: 'error',
        message: "src/app.ts:2 imports 'lodash', which is not declared; add it to package.json",
        file: 'src/app.ts',
        hunk_ids: ['hunk-1', 'hunk-4'],
      },
    ]);
  });

  it('names the nearest package.json of a nested package and the subpath import', async () => {
    const before = 'export const admin = true;\n';
    const after = `import { map } from 'lodash/fp';\n${before}`;
    expect(await messages(changed('packages/admin/src/index.ts', before, after))).toEqual([
      "error: packages/admin/src/index.ts:1 imports 'lodash/fp' but package lodash is not declared; add it to packages/admin/package.json",
    ]);
  });

  it('accepts the import when the same patch declares it, with a warning for the new dependency', async () => {
    const after = APP.replace("from 'zod';\n", "from 'zod';\nimport _ from 'lodash';\n");
    const manifest = PACKAGE_JSON.replace('"zod": "^3.23.0"', '"zod": "^3.23.0",\n    "lodash": "^4.17.21"');
    expect(
      await dependency(changed('src/app.ts', APP, after), changed('package.json', PACKAGE_JSON, manifest, ['hunk-9'])),
    ).toEqual([
      {
        lens: 'dependency',
        severity: 'warning',
        message: 'adds dependency lodash to package.json',
        file: 'package.json',
        hunk_ids: ['hunk-9'],
      },
    ]);
  });

  it('does not blame an undeclared import the file already had, nor another subpath of it', async () => {
    const edited = LEGACY.replace('_.chunk', '_.chunk ?? _.partition');
    const subpath = `${LEGACY}import fp from 'lodash/fp';\nexport const flow = fp.flow;\n`;
    expect(await dependency(changed('src/legacy.ts', LEGACY, edited))).toEqual([]);
    expect(await dependency(changed('src/legacy.ts', LEGACY, subpath))).toEqual([]);
  });

  it('says nothing about declared, built-in, project or unresolvable imports', async () => {
    const created = [
      "import { readFile } from 'node:fs/promises';",
      "import path from 'path';",
      "import { z } from 'zod';",
      "import { id } from './util.js';",
      "import pad from 'left-pad-hallucinated-zz';",
      'export const all = [readFile, path, z, id, pad];',
      '',
    ].join('\n');
    expect(await dependency(changed('src/new-module.ts', null, created))).toEqual([]);
  });

  it('warns about every dependency a package.json gains, but not about bumps or moves', async () => {
    const added = PACKAGE_JSON.replace(
      '"zod": "^3.23.0"',
      '"zod": "^3.23.0"\n  },\n  "devDependencies": {\n    "dayjs": "^1.11.0",\n    "@types/node": "^20.0.0"',
    );
    expect(await messages(changed('package.json', PACKAGE_JSON, added))).toEqual([
      'warning: adds dependencies dayjs, @types/node to package.json',
    ]);
    const moved = PACKAGE_JSON.replace('"dependencies"', '"devDependencies"').replace('^3.23.0', '^3.24.0');
    expect(await dependency(changed('package.json', PACKAGE_JSON, moved))).toEqual([]);
  });
});

describe('dependency lens: Python project with pyproject and .venv', () => {
  let project: TempProject;
  const dependency = (...files: CritiqueFile[]) => findingsOf({ lens: 'dependency', files, projectRoot: project.root });
  const messages = async (...files: CritiqueFile[]) =>
    (await dependency(...files)).map((finding) => `${finding.severity}: ${finding.message}`);
  const site = '.venv/lib/python3.12/site-packages';
  const PYPROJECT = '[project]\nname = "shop"\nversion = "0.1.0"\ndependencies = [\n    "requests>=2.31",\n]\n';
  const MAIN = 'import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=5).json()\n';

  beforeAll(async () => {
    project = await createTempProject({
      name: 'critique-py',
      files: {
        'pyproject.toml': PYPROJECT,
        'app/__init__.py': '',
        'app/main.py': MAIN,
        'app/models.py': 'class User:\n    pass\n',
        [`${site}/requests/__init__.py`]: '',
        [`${site}/requests-2.32.0.dist-info/top_level.txt`]: 'requests\n',
        [`${site}/yaml/__init__.py`]: '',
        [`${site}/PyYAML-6.0.1.dist-info/top_level.txt`]: 'yaml\n',
      },
    });
  });
  afterAll(() => project.dispose());

  it('rejects importing a module installed in the venv but not declared', async () => {
    const after = MAIN.replace('import requests\n', 'import requests\nimport yaml\n');
    expect(await messages(changed('app/main.py', MAIN, after))).toEqual([
      "error: app/main.py:2 imports 'yaml', which is not declared; add it to pyproject.toml",
    ]);
  });

  it('accepts it when the patch adds the distribution to pyproject.toml or a requirements file', async () => {
    const after = MAIN.replace('import requests\n', 'import requests\nimport yaml\n');
    const pyproject = PYPROJECT.replace('"requests>=2.31",\n', '"requests>=2.31",\n    "PyYAML>=6",\n');
    expect(
      await messages(changed('app/main.py', MAIN, after), changed('pyproject.toml', PYPROJECT, pyproject)),
    ).toEqual(['warning: adds dependency PyYAML to pyproject.toml']);
    const requirements = '# pinned for CI\n-r requirements-base.txt\nPyYAML==6.0.1  # config files\n';
    expect(
      await messages(changed('app/main.py', MAIN, after), changed('requirements-dev.txt', null, requirements)),
    ).toEqual(['warning: adds dependency PyYAML to requirements-dev.txt']);
  });

  it('says nothing about standard library, project, declared, guarded or unknown modules', async () => {
    const after = [
      'import json',
      'import requests',
      'from app.models import User',
      'try:',
      '    import yaml',
      'except ImportError:',
      '    yaml = None',
      'import notarealmodule_zz',
      '',
    ].join('\n');
    expect(await dependency(changed('app/main.py', MAIN, after))).toEqual([]);
  });

  it('treats distribution names as PEP 503 normalised when comparing pyproject versions', async () => {
    const before = PYPROJECT.replace('"requests>=2.31",\n', '"requests>=2.31",\n    "typing_extensions>=4",\n');
    const after = before.replace('typing_extensions>=4', 'Typing-Extensions>=4.12').replace('0.1.0', '0.2.0');
    expect(await dependency(changed('pyproject.toml', before, after))).toEqual([]);
  });
});

describe('dependency lens: Rust and Go projects', () => {
  let rust: TempProject;
  let go: TempProject;
  const CARGO =
    '[package]\nname = "portlib"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nserde = { version = "1", features = ["derive"] }\n';
  const LIB = 'pub fn port() -> u16 {\n    8080\n}\n';
  const GO_MOD = 'module example.com/shop\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n';
  const MAIN_GO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("shop")\n}\n';

  beforeAll(async () => {
    rust = await createTempProject({ name: 'critique-rs', files: { 'Cargo.toml': CARGO, 'src/lib.rs': LIB } });
    go = await createTempProject({ name: 'critique-go', files: { 'go.mod': GO_MOD, 'main.go': MAIN_GO } });
  });
  afterAll(async () => {
    await rust.dispose();
    await go.dispose();
  });

  const messages = async (project: TempProject, ...files: CritiqueFile[]) =>
    (await findingsOf({ lens: 'dependency', files, projectRoot: project.root })).map(
      (finding) => `${finding.severity}: ${finding.message}`,
    );

  it('Rust: a declared crate passes; a crate added to Cargo.toml by the patch is a warning only', async () => {
    const withSerde = `use serde::Serialize;\n\n#[derive(Serialize)]\npub struct Port(u16);\n\n${LIB}`;
    expect(await messages(rust, changed('src/lib.rs', LIB, withSerde))).toEqual([]);
    const withRand = `use rand::Rng;\n\n${LIB}`;
    const cargo = CARGO.replace('[dependencies]\n', '[dependencies]\nrand = "0.8"\n').replace('"1"', '"1.0.200"');
    expect(await messages(rust, changed('src/lib.rs', LIB, withRand), changed('Cargo.toml', CARGO, cargo))).toEqual([
      'warning: adds dependency rand to Cargo.toml',
    ]);
    const devDependency = `${CARGO}\n[dev-dependencies]\nproptest = "1"\n\n[target.'cfg(unix)'.dependencies]\nlibc = "0.2"\n`;
    expect(await messages(rust, changed('Cargo.toml', CARGO, devDependency))).toEqual([
      'warning: adds dependencies proptest, libc to Cargo.toml',
    ]);
  });

  it('Rust: an unknown crate is left to the imports gate (the resolver calls it unresolved, not undeclared)', async () => {
    expect(await messages(rust, changed('src/lib.rs', LIB, `use rand::Rng;\n\n${LIB}`))).toEqual([]);
  });

  it('Go: a required module passes; a require the patch adds is a warning only; a version bump is nothing', async () => {
    const withErrors = MAIN_GO.replace('import "fmt"', 'import (\n\t"fmt"\n\n\t"github.com/pkg/errors"\n)').replace(
      'fmt.Println("shop")',
      'fmt.Println(errors.New("shop"))',
    );
    expect(await messages(go, changed('main.go', MAIN_GO, withErrors))).toEqual([]);
    const withUuid = MAIN_GO.replace('import "fmt"', 'import (\n\t"fmt"\n\n\t"github.com/google/uuid"\n)');
    const goMod = GO_MOD.replace(
      'require github.com/pkg/errors v0.9.1\n',
      'require (\n\tgithub.com/google/uuid v1.6.0\n\tgithub.com/pkg/errors v0.9.1\n)\n',
    );
    expect(await messages(go, changed('main.go', MAIN_GO, withUuid), changed('go.mod', GO_MOD, goMod))).toEqual([
      'warning: adds dependency github.com/google/uuid to go.mod',
    ]);
    expect(await messages(go, changed('go.mod', GO_MOD, GO_MOD.replace('v0.9.1', 'v0.9.2')))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { changed, findingsOf } from './critique.test-helpers.js';
import type { CritiqueFile } from './critique.js';

const harness = (files: CritiqueFile[], harnessApproved?: boolean) =>
  findingsOf({ lens: 'test-harness', files, ...(harnessApproved === undefined ? {} : { harnessApproved }) });
const messages = async (...files: CritiqueFile[]) => (await harness(files)).map((finding) => finding.message);

const HINT = '(needs approval: approve at the permission prompt or pass --yes)';

const PACKAGE_JSON = `${JSON.stringify(
  {
    name: 'shop-api',
    version: '1.4.0',
    type: 'module',
    scripts: { build: 'tsc -p .', test: 'vitest run', lint: 'eslint .' },
    dependencies: { zod: '^3.23.0' },
    devDependencies: { vitest: '^4.1.0' },
  },
  null,
  2,
)}\n`;

const PYPROJECT = `[project]
name = "shop"
version = "0.3.0"
dependencies = ["requests>=2.31"]

[tool.pytest.ini_options]
addopts = "-q"
testpaths = ["tests"]

[tool.ruff]
line-length = 100
`;

const SETUP_CFG = `[metadata]
name = shop

[tool:pytest]
addopts = -q
testpaths = tests

[flake8]
max-line-length = 100
`;

describe('test-harness lens', () => {
  it('rejects changing package.json scripts.test, naming the script and how to approve', async () => {
    const after = PACKAGE_JSON.replace('"vitest run"', '"vitest run --passWithNoTests || true"');
    const file = changed('package.json', PACKAGE_JSON, after, ['hunk-2']);
    expect(await harness([file])).toEqual([
      {
        lens: 'test-harness',
        severity: 'error',
        message: `changes package.json scripts.test ${HINT}`,
        file: 'package.json',
        hunk_ids: ['hunk-2'],
      },
    ]);
  });

  it('downgrades to a warning without the hint when the user approved', async () => {
    const after = PACKAGE_JSON.replace('"lint": "eslint ."', '"lint": "eslint .",\n    "pretest": "rm -rf tests"');
    expect(await harness([changed('packages/api/package.json', PACKAGE_JSON, after)], true)).toMatchObject([
      { severity: 'warning', message: 'changes packages/api/package.json scripts.pretest' },
    ]);
  });

  it('accepts a version bump, a new dependency or reordered scripts in package.json', async () => {
    const bumped = PACKAGE_JSON.replace('"1.4.0"', '"1.5.0"').replace('"zod": "^3.23.0"', '"zod": "^3.24.0"');
    const reordered = PACKAGE_JSON.replace(
      '"build": "tsc -p .",\n    "test": "vitest run",',
      '"test": "vitest run",\n    "build": "tsc -p .",',
    );
    expect(reordered).not.toBe(PACKAGE_JSON);
    const withDependency = PACKAGE_JSON.replace('"zod": "^3.23.0"', '"zod": "^3.23.0",\n    "lodash": "^4.17.21"');
    for (const after of [bumped, reordered, withDependency]) {
      expect(await harness([changed('package.json', PACKAGE_JSON, after)])).toEqual([]);
    }
  });

  it('rejects inline jest configuration in package.json', async () => {
    const before = PACKAGE_JSON.replace(
      '"type": "module",',
      '"type": "module",\n  "jest": { "testMatch": ["**/*.test.js"] },',
    );
    const after = before.replace('"**/*.test.js"', '"**/none.test.js"');
    expect(await messages(changed('package.json', before, after))).toEqual([`changes package.json jest ${HINT}`]);
  });

  it.each([
    ['vitest.config.ts', "export default { test: { include: ['src/**/*.test.ts'] } };\n", 'changes'],
    ['web/jest.config.js', null, 'creates'],
    ['.mocharc.yml', 'spec: test/**/*.spec.js\n', 'changes'],
    ['karma.conf.js', 'module.exports = () => {};\n', 'deletes'],
    ['pytest.ini', '[pytest]\naddopts = -q\n', 'changes'],
    ['tox.ini', '[testenv]\ncommands = pytest\n', 'changes'],
    ['tests/conftest.py', 'import pytest\n', 'changes'],
    ['Makefile', 'test:\n\tgo test ./...\n', 'changes'],
    ['.npmrc', 'engine-strict=true\n', 'changes'],
  ])('rejects a change to %s', async (path, before, verb) => {
    const after = verb === 'deletes' ? null : `${before ?? ''}# edited\n`;
    expect(await messages(changed(path, before, after))).toEqual([`${verb} ${path} ${HINT}`]);
  });

  it('rejects a changed [tool.pytest] section of pyproject.toml, not other sections', async () => {
    const pytest = PYPROJECT.replace('addopts = "-q"', 'addopts = "-q -k \'not slow\'"');
    expect(await messages(changed('pyproject.toml', PYPROJECT, pytest))).toEqual([
      `changes pyproject.toml [tool.pytest.ini_options] ${HINT}`,
    ]);
    const other = PYPROJECT.replace('version = "0.3.0"', 'version = "0.4.0"').replace('100', '120');
    expect(await harness([changed('pyproject.toml', PYPROJECT, other)])).toEqual([]);
  });

  it('rejects a changed [tool:pytest] section of setup.cfg, not other sections', async () => {
    const pytest = SETUP_CFG.replace('testpaths = tests', 'testpaths = tests/unit');
    expect(await messages(changed('setup.cfg', SETUP_CFG, pytest))).toEqual([
      `changes setup.cfg [tool:pytest] ${HINT}`,
    ]);
    const other = SETUP_CFG.replace('max-line-length = 100', 'max-line-length = 120');
    expect(await harness([changed('setup.cfg', SETUP_CFG, other)])).toEqual([]);
  });

  it('ignores README and source edits, and unparseable package.json', async () => {
    expect(
      await harness([
        changed('README.md', '# Shop\n', '# Shop\n\nRun `make test`.\n'),
        changed('src/makefile.ts', 'export const a = 1;\n', 'export const a = 2;\n'),
        changed('package.json', PACKAGE_JSON, PACKAGE_JSON.replace('"vitest run"', '"vitest run",,')),
      ]),
    ).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from '../fixtures.test-helpers.js';
import { tempProject } from '../fixtures.test-helpers.js';
import { pythonStdlibModules } from '../data/python-stdlib.js';
import { createOverlay, EMPTY_OVERLAY } from '../overlay.js';
import { resolveImport } from '../resolve-import.js';

const CORE = 'src/acme_tools/core.py';

describe('Python import resolution in a src-layout project with pyproject, requirements and a .venv', () => {
  let project: TempProject;
  const resolve = (specifier: string, fromFile = CORE, overlay = EMPTY_OVERLAY) =>
    resolveImport({ projectRoot: project.root, fromFile, specifier, overlay });

  beforeAll(() => {
    project = tempProject('python-src-layout');
    const site = '.venv/lib/python3.12/site-packages';
    // The venv is created in the temp copy only: virtual environments are never committed.
    project.write({
      [`${site}/requests/__init__.py`]: '',
      [`${site}/requests-2.32.0.dist-info/METADATA`]: 'Name: requests\nVersion: 2.32.0\n',
      [`${site}/requests-2.32.0.dist-info/top_level.txt`]: 'requests\n',
      [`${site}/yaml/__init__.py`]: '',
      [`${site}/_yaml/__init__.py`]: '',
      [`${site}/PyYAML-6.0.1.dist-info/RECORD`]: 'yaml/__init__.py,sha256=x,1\n_yaml/__init__.py,sha256=y,1\n',
      [`${site}/transitive_only/__init__.py`]: '',
      [`${site}/transitive_only-1.0.dist-info/top_level.txt`]: 'transitive_only\n',
      [`${site}/weird_dist-1.0.dist-info/top_level.txt`]: 'weirdimport\n',
      [`${site}/weirdimport.cpython-312-x86_64-linux-gnu.so`]: '',
    });
  });
  afterAll(() => project.cleanup());

  it('ships per-version standard library lists', () => {
    const python38 = pythonStdlibModules('3.8');
    const python312 = pythonStdlibModules('3.12');
    const python313 = pythonStdlibModules('3.13');
    expect([python38.has('distutils'), python38.has('tomllib'), python38.has('asyncio')]).toEqual([true, false, true]);
    expect([python312.has('distutils'), python312.has('tomllib'), python312.has('cgi')]).toEqual([false, true, true]);
    expect([python313.has('cgi'), python313.has('json')]).toEqual([false, true]);
  });

  it('treats the standard library of any supported version as builtin', () => {
    for (const specifier of [
      'os',
      'os.path',
      'collections.abc',
      'tomllib',
      'distutils.util',
      'asyncore',
      '__future__',
    ]) {
      expect(resolve(specifier)).toEqual({ kind: 'builtin' });
    }
  });

  it('resolves project modules in the src layout, absolute and relative', () => {
    expect(resolve('acme_tools.sub.helpers', 'tests/test_core.py')).toEqual({
      kind: 'project',
      file: 'src/acme_tools/sub/helpers.py',
    });
    expect(resolve('acme_tools', 'tests/test_core.py')).toEqual({
      kind: 'project',
      file: 'src/acme_tools/__init__.py',
    });
    expect(resolve('.')).toEqual({ kind: 'project', file: 'src/acme_tools/__init__.py' });
    expect(resolve('.sub.helpers')).toEqual({ kind: 'project', file: 'src/acme_tools/sub/helpers.py' });
    expect(resolve('..core', 'src/acme_tools/sub/helpers.py')).toEqual({
      kind: 'project',
      file: 'src/acme_tools/core.py',
    });
  });

  it('fails a missing project submodule, a missing relative module and a relative import past the top package', () => {
    const submodule = resolve('acme_tools.sub.hallucinated');
    expect(submodule).toEqual({
      kind: 'unresolved',
      reason:
        "module 'acme_tools.sub.hallucinated' not found: package 'acme_tools.sub' has no submodule 'hallucinated'",
    });
    expect(resolve('.nothing_here')).toMatchObject({ kind: 'unresolved' });
    expect(resolve('...outside')).toMatchObject({ kind: 'unresolved' });
    // setuptools-scm and protoc write these at build time.
    expect(resolve('._version').kind).toBe('unknown');
    expect(resolve('acme_tools.sub.service_pb2').kind).toBe('unknown');
  });

  it('maps declared distributions to import names, with and without the venv', () => {
    expect(resolve('requests')).toEqual({ kind: 'external', name: 'requests', declared: true, installed: true });
    expect(resolve('yaml')).toEqual({ kind: 'external', name: 'yaml', declared: true, installed: true });
    expect(resolve('bs4')).toEqual({ kind: 'external', name: 'bs4', declared: true, installed: false });
    // requirements-dev.txt -> -r requirements/base.txt -> python-dateutil, and an editable #egg= line.
    expect(resolve('dateutil.parser')).toMatchObject({ kind: 'external', declared: true });
    expect(resolve('acme_vendored')).toMatchObject({ kind: 'external', declared: true });
    expect(resolve('pytest', 'tests/test_core.py')).toMatchObject({ kind: 'external', declared: true });
    expect(resolve('hatchling')).toMatchObject({ kind: 'external', declared: true });
  });

  it('reports a venv package that is not declared as installed but undeclared', () => {
    expect(resolve('transitive_only')).toEqual({
      kind: 'external',
      name: 'transitive_only',
      declared: false,
      installed: true,
    });
    expect(resolve('weirdimport')).toMatchObject({ kind: 'external', installed: true });
  });

  it('fails a hallucinated module with the reason naming it', () => {
    expect(resolve('notarealmodule_zz')).toEqual({
      kind: 'unresolved',
      reason:
        "module 'notarealmodule_zz' is not in the standard library, the project, the declared dependencies or .venv",
    });
  });

  it('sees modules created by the patch and not modules it deletes', () => {
    const created = createOverlay({ 'src/acme_tools/sub/extra.py': 'X = 1\n' });
    expect(resolve('acme_tools.sub.extra', CORE, created)).toEqual({
      kind: 'project',
      file: 'src/acme_tools/sub/extra.py',
    });
    const deleted = createOverlay({ 'src/acme_tools/sub/helpers.py': null });
    expect(resolve('.sub.helpers', CORE, deleted).kind).toBe('unresolved');
    const declared = createOverlay({ 'requirements.txt': 'brand-new-lib==1.0\n' });
    expect(resolve('brand_new_lib', CORE, declared)).toMatchObject({ kind: 'external', declared: true });
  });
});

describe('Python leniency where projects legitimately import what they do not declare', () => {
  it('is silent on undeclared tools in tests, examples and tooling files but still fails them in package code', () => {
    const project = tempProject('python-src-layout');
    try {
      const resolve = (fromFile: string, specifier: string) =>
        resolveImport({ projectRoot: project.root, fromFile, specifier, overlay: EMPTY_OVERLAY }).kind;
      expect(resolve('tests/test_core.py', 'freezegun_hallucinated_zz')).toBe('unknown');
      expect(resolve('noxfile.py', 'nox')).not.toBe('unresolved');
      expect(resolve('src/acme_tools/core.py', 'freezegun_hallucinated_zz')).toBe('unresolved');
      // A missing submodule of the project's own package is still a failure from a test.
      expect(resolve('tests/test_core.py', 'acme_tools.nothing')).toBe('unresolved');
    } finally {
      project.cleanup();
    }
  });

  it('reads requirements in subdirectories, tox.ini and noxfile.py, and vendored copies', () => {
    const project = tempProject();
    try {
      project.write({
        'setup.py': "from setuptools import setup\nsetup(install_requires=['google-apitools>=0.5'])\n",
        'testing/requirements.txt': 'responses\n',
        'tox.ini': '[testenv]\ndeps =\n    hypothesis>=6\n    -r{toxinidir}/requirements.txt\n',
        'noxfile.py': 'import nox\n\n@nox.session\ndef lint(session):\n    session.install("flake8", "black==24.1")\n',
        'app/vendored/boto/boto/__init__.py': '',
        'app/__init__.py': '',
        'app/main.py': 'import boto\n',
      });
      const resolve = (specifier: string) =>
        resolveImport({ projectRoot: project.root, fromFile: 'app/main.py', specifier, overlay: EMPTY_OVERLAY }).kind;
      for (const specifier of ['apitools.base.py', 'responses', 'hypothesis', 'flake8', 'black']) {
        expect(resolve(specifier)).toBe('external');
      }
      expect(resolve('boto')).toBe('project');
      expect(resolve('StringIO')).toBe('builtin');
      expect(resolve('js')).toBe('unknown');
      expect(resolve('boto_hallucinated')).toBe('unresolved');
    } finally {
      project.cleanup();
    }
  });
});

describe('Python manifests other than PEP 621', () => {
  const withProject = (files: Record<string, string>, check: (resolve: (specifier: string) => unknown) => void) => {
    const project = tempProject();
    try {
      project.write({ 'app/main.py': 'import x\n', ...files });
      check((specifier) =>
        resolveImport({ projectRoot: project.root, fromFile: 'app/main.py', specifier, overlay: EMPTY_OVERLAY }),
      );
    } finally {
      project.cleanup();
    }
  };

  it('reads Poetry dependencies and groups', () => {
    withProject(
      {
        'pyproject.toml': [
          '[tool.poetry]',
          'name = "svc"',
          '[tool.poetry.dependencies]',
          'python = "^3.11"',
          'Pillow = "^10"',
          '[tool.poetry.group.dev.dependencies]',
          'scikit-learn = "*"',
        ].join('\n'),
      },
      (resolve) => {
        expect(resolve('PIL.Image')).toMatchObject({ kind: 'external', name: 'PIL', declared: true });
        expect(resolve('sklearn')).toMatchObject({ kind: 'external', declared: true });
        expect(resolve('python')).toMatchObject({ kind: 'unresolved' });
      },
    );
  });

  it('reads setup.cfg, setup.py and Pipfile', () => {
    withProject(
      {
        'setup.cfg':
          '[options]\ninstall_requires =\n    opencv-python>=4\n    attrs\n[options.extras_require]\nweb = flask\n',
        'setup.py': "from setuptools import setup\nsetup(install_requires=['protobuf>=4'])\n",
        Pipfile: '[packages]\nrequests = "*"\n[dev-packages]\nmypy = "*"\n',
      },
      (resolve) => {
        for (const name of ['cv2', 'attr', 'flask', 'google.protobuf', 'requests', 'mypy', 'setuptools']) {
          expect(resolve(name)).toMatchObject({ kind: 'external', declared: true });
        }
        expect(resolve('pandas_hallucinated')).toMatchObject({ kind: 'unresolved' });
      },
    );
  });
});

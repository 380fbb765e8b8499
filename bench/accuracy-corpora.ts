// Corpora of `pnpm bench:accuracy`: real, unmodified projects located or installed at run time (idempotent; the
// npm and Python projects are cached under bench/.corpus/, which is git-ignored). Rust and Go sources come from
// Debian packages (librust-*-dev crate sources, golang-go's standard library, golang-github-*-dev modules); a
// missing one is installed with apt-get when we run as root, otherwise it is reported as skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from './lib.js';

export type AccuracyLanguage = 'typescript/javascript' | 'python' | 'rust' | 'go';

export interface AccuracyProject {
  readonly language: AccuracyLanguage;
  readonly name: string;
  /** The project root handed to verify(). */
  readonly root: string;
  /** Project-relative directories whose source files are verified (default: the whole root). */
  readonly include?: readonly string[];
  /** Files left out, each with the reason: only where the published artefact itself is broken, never to hide a finding. */
  readonly exclude?: readonly Exclusion[];
}

export interface Exclusion {
  /** A project-relative path prefix. */
  readonly prefix: string;
  readonly reason: string;
}

export type Located =
  | { readonly ok: true; readonly project: AccuracyProject }
  | { readonly ok: false; readonly name: string; readonly reason: string };

const NPM_PACKAGES: readonly {
  readonly name: string;
  readonly version: string;
  readonly exclude?: readonly Exclusion[];
}[] = [
  {
    name: 'zod',
    version: '4',
    exclude: [
      {
        prefix: 'src/v3/benchmarks/',
        reason:
          "imports 'benchmark', a devDependency of the zod repository that the published package.json omits: " +
          'the import really is undeclared and uninstalled here, so the FAIL is correct',
      },
    ],
  },
  { name: '@tanstack/query-core', version: '5' },
  {
    name: 'date-fns',
    version: '4',
    exclude: [
      {
        prefix: '_lib/test.',
        reason:
          "a test helper that imports './test/vitest', a file the published package does not ship: " +
          'the import really is missing here, so the FAIL is correct',
      },
    ],
  },
  { name: 'hono', version: '4' },
  { name: 'preact', version: '10' },
  { name: 'ky', version: '1' },
];

const PYTHON_PACKAGES: readonly {
  readonly debian: string;
  readonly distribution: string;
  readonly modules: readonly string[];
  readonly exclude?: readonly Exclusion[];
}[] = [
  { debian: 'python3-requests', distribution: 'requests', modules: ['requests'] },
  { debian: 'python3-attr', distribution: 'attrs', modules: ['attr', 'attrs'] },
  { debian: 'python3-yaml', distribution: 'PyYAML', modules: ['yaml'] },
  { debian: 'python3-click', distribution: 'click', modules: ['click'] },
  { debian: 'python3-jinja2', distribution: 'Jinja2', modules: ['jinja2'] },
  {
    debian: 'python3-pygments',
    distribution: 'Pygments',
    modules: ['pygments'],
    exclude: [
      {
        prefix: 'pygments/sphinxext.py',
        reason:
          'a Sphinx extension importing sphinx and docutils, which Pygments does not declare (it only runs inside ' +
          'a Sphinx build): the imports really are undeclared, so the FAIL is correct',
      },
    ],
  },
  { debian: 'python3-pip', distribution: 'pip', modules: ['pip'] },
  {
    debian: 'python3-setuptools',
    distribution: 'setuptools',
    modules: ['setuptools', 'pkg_resources', '_distutils_hack'],
  },
  { debian: 'python3-cryptography', distribution: 'cryptography', modules: ['cryptography'] },
];

/** Packages of the system Python's own standard library, verified in place. */
const PYTHON_STDLIB_PACKAGES: readonly string[] = [
  'asyncio',
  'email',
  'json',
  'http',
  'importlib',
  'concurrent',
  'unittest',
  'collections',
  'logging',
  'xml',
];

const RUST_CRATES: readonly {
  readonly debian: string;
  readonly crate: string;
  readonly exclude?: readonly Exclusion[];
}[] = [
  { debian: 'librust-serde-dev', crate: 'serde' },
  { debian: 'librust-regex-dev', crate: 'regex' },
  { debian: 'librust-anyhow-dev', crate: 'anyhow' },
  { debian: 'librust-clap-dev', crate: 'clap' },
  { debian: 'librust-tokio-dev', crate: 'tokio' },
  { debian: 'librust-syn-dev', crate: 'syn' },
  { debian: 'librust-proc-macro2-dev', crate: 'proc-macro2' },
  { debian: 'librust-libc-dev', crate: 'libc' },
  { debian: 'librust-rayon-dev', crate: 'rayon' },
  {
    debian: 'librust-crossbeam-epoch-dev',
    crate: 'crossbeam-epoch',
    exclude: [
      {
        prefix: 'src/lib.rs',
        reason:
          "`extern crate loom_crate` (behind #[cfg(crossbeam_loom)]): Debian's packaging removes the loom dependency " +
          "that upstream declares under [target.'cfg(crossbeam_loom)'.dependencies], so here it really is undeclared",
      },
    ],
  },
];

const GO_STD_PACKAGES: readonly string[] = [
  'net/http',
  'encoding/json',
  'go/parser',
  'go/types',
  'os',
  'crypto/tls',
  'runtime',
];

const GO_MODULES: readonly { readonly debian: string; readonly path: string }[] = [
  { debian: 'golang-github-google-go-cmp-dev', path: 'github.com/google/go-cmp' },
  { debian: 'golang-github-spf13-cobra-dev', path: 'github.com/spf13/cobra' },
];

const COMPLETE_MARKER = '.kode-accuracy-complete';

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs Debian packages that are not installed yet; returns an error text when it could not. */
function aptEnsure(packages: readonly string[]): string | undefined {
  const missing = packages.filter(
    (name) =>
      spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout.includes('ok installed') ===
      false,
  );
  if (missing.length === 0) return undefined;
  if (!isRoot()) return `not installed (run: apt-get install -y ${missing.join(' ')})`;
  const result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0 ? undefined : `apt-get install ${missing.join(' ')} failed: ${result.stderr.slice(-300)}`;
}

function npmProject(spec: (typeof NPM_PACKAGES)[number]): Located {
  const directory = join(CORPUS_DIR, 'npm', spec.name.replace('/', '__'));
  const root = join(directory, 'node_modules', ...spec.name.split('/'));
  if (!existsSync(join(directory, COMPLETE_MARKER))) {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    // Its own package.json keeps npm from walking up to the workspace; dependencies install beside the package
    // so that its imports resolve exactly as they do for a user of it.
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'kode-accuracy-corpus', private: true }));
    const result = spawnSync(
      'npm',
      ['install', '--prefix', directory, '--no-audit', '--no-fund', '--ignore-scripts', `${spec.name}@${spec.version}`],
      { encoding: 'utf8' },
    );
    if (result.status !== 0)
      return { ok: false, name: spec.name, reason: `npm install failed: ${result.stderr.slice(-300)}` };
    writeFileSync(join(directory, COMPLETE_MARKER), '');
  }
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version;
  return {
    ok: true,
    project: {
      language: 'typescript/javascript',
      name: `${spec.name}@${version ?? '?'}`,
      root,
      ...(spec.exclude === undefined ? {} : { exclude: spec.exclude }),
    },
  };
}

interface Requirement {
  readonly requirement: string;
  readonly extra: string | undefined;
}

/** Requires-Dist lines of an installed distribution, split into base and per-extra requirements. */
function requiresDist(metadata: string): Requirement[] {
  const output: Requirement[] = [];
  for (const line of metadata.split('\n')) {
    if (line.trim() === '') break; // the headers end at the first blank line; the description follows
    const match = /^Requires-Dist:\s*(.+)$/.exec(line);
    if (match?.[1] === undefined) continue;
    const [requirement = '', marker = ''] = match[1].split(';').map((part) => part.trim());
    const extra = /extra\s*==\s*["']([^"']+)["']/.exec(marker)?.[1];
    output.push({
      requirement: marker === '' || extra !== undefined ? requirement : `${requirement}; ${marker}`,
      extra,
    });
  }
  return output;
}

function findDistInfo(distribution: string): string | undefined {
  const site = '/usr/lib/python3/dist-packages';
  const wanted = distribution.toLowerCase().replace(/[-_.]+/g, '_');
  return readdirSync(site)
    .filter((entry) => /\.(dist|egg)-info$/.test(entry))
    .find((entry) =>
      entry
        .toLowerCase()
        .replace(/[-_.]+/g, '_')
        .startsWith(`${wanted}_`),
    )
    ?.replace(/^/, `${site}/`);
}

function pythonProject(spec: (typeof PYTHON_PACKAGES)[number]): Located {
  const problem = aptEnsure([spec.debian]);
  if (problem !== undefined) return { ok: false, name: spec.distribution, reason: problem };
  const root = join(CORPUS_DIR, 'python', spec.distribution);
  if (!existsSync(join(root, COMPLETE_MARKER))) {
    const distInfo = findDistInfo(spec.distribution);
    if (distInfo === undefined) return { ok: false, name: spec.distribution, reason: 'no dist-info/egg-info found' };
    const metadataFile = existsSync(join(distInfo, 'METADATA'))
      ? join(distInfo, 'METADATA')
      : join(distInfo, 'PKG-INFO');
    const metadata = readFileSync(metadataFile, 'utf8');
    const version = /^Version:\s*(\S+)/m.exec(metadata)?.[1] ?? '0';
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    for (const module of spec.modules) {
      const source = join('/usr/lib/python3/dist-packages', module);
      if (existsSync(source))
        cpSync(source, join(root, module), { recursive: true, filter: (path) => !path.includes('__pycache__') });
      else if (existsSync(`${source}.py`)) cpSync(`${source}.py`, join(root, `${module}.py`));
    }
    const requirements = requiresDist(metadata);
    const base = requirements.filter((item) => item.extra === undefined).map((item) => item.requirement);
    const extras = new Map<string, string[]>();
    for (const item of requirements) {
      if (item.extra !== undefined) extras.set(item.extra, [...(extras.get(item.extra) ?? []), item.requirement]);
    }
    const toml = (values: readonly string[]) => `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
    const lines = [
      '[build-system]',
      'requires = ["setuptools>=61"]',
      'build-backend = "setuptools.build_meta"',
      '',
      '[project]',
      `name = ${JSON.stringify(spec.distribution)}`,
      `version = ${JSON.stringify(version)}`,
      `dependencies = ${toml(base)}`,
      ...(extras.size === 0
        ? []
        : [
            '',
            '[project.optional-dependencies]',
            ...[...extras].map(([extra, values]) => `${JSON.stringify(extra)} = ${toml(values)}`),
          ]),
      '',
    ];
    writeFileSync(join(root, 'pyproject.toml'), lines.join('\n'));
    writeFileSync(join(root, COMPLETE_MARKER), '');
  }
  const version = /^version = "(.*)"$/m.exec(readFileSync(join(root, 'pyproject.toml'), 'utf8'))?.[1] ?? '?';
  return {
    ok: true,
    project: {
      language: 'python',
      name: `${spec.distribution} ${version}`,
      root,
      ...(spec.exclude === undefined ? {} : { exclude: spec.exclude }),
    },
  };
}

function pythonStdlibProject(): Located {
  const problem = aptEnsure(['python3']);
  if (problem !== undefined) return { ok: false, name: 'python std', reason: problem };
  const version = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
  }).trim();
  const root = `/usr/lib/python${version}`;
  return {
    ok: true,
    project: {
      language: 'python',
      name: `python ${version} std (${PYTHON_STDLIB_PACKAGES.join(', ')})`,
      root,
      include: PYTHON_STDLIB_PACKAGES,
    },
  };
}

function rustProject(spec: (typeof RUST_CRATES)[number]): Located {
  const problem = aptEnsure([spec.debian]);
  if (problem !== undefined) return { ok: false, name: spec.crate, reason: problem };
  const registry = '/usr/share/cargo/registry';
  const candidates = readdirSync(registry).filter((entry) => new RegExp(`^${spec.crate}-\\d`).test(entry));
  const chosen = candidates.sort().at(-1);
  if (chosen === undefined)
    return { ok: false, name: spec.crate, reason: `no ${spec.crate}-<version> under ${registry}` };
  return {
    ok: true,
    project: {
      language: 'rust',
      name: chosen,
      root: join(registry, chosen),
      ...(spec.exclude === undefined ? {} : { exclude: spec.exclude }),
    },
  };
}

function goStdProject(): Located {
  const problem = aptEnsure(['golang-go']);
  if (problem !== undefined) return { ok: false, name: 'go std', reason: problem };
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const version = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  const root = join(goroot, 'src');
  return {
    ok: true,
    project: { language: 'go', name: `${version} std (${GO_STD_PACKAGES.join(', ')})`, root, include: GO_STD_PACKAGES },
  };
}

function goModuleProject(spec: (typeof GO_MODULES)[number]): Located {
  const problem = aptEnsure([spec.debian]);
  if (problem !== undefined) return { ok: false, name: spec.path, reason: problem };
  const root = join('/usr/share/gocode/src', spec.path);
  if (!existsSync(join(root, 'go.mod')))
    return { ok: false, name: spec.path, reason: 'no go.mod in the Debian package' };
  return { ok: true, project: { language: 'go', name: spec.path, root } };
}

/** Every corpus, located or installed; the ones that could not be set up come back with a reason. */
export function locateCorpora(languages: ReadonlySet<AccuracyLanguage>): Located[] {
  const output: Located[] = [];
  if (languages.has('rust')) output.push(...RUST_CRATES.map(rustProject));
  if (languages.has('go')) output.push(goStdProject(), ...GO_MODULES.map(goModuleProject));
  if (languages.has('typescript/javascript')) output.push(...NPM_PACKAGES.map(npmProject));
  if (languages.has('python')) output.push(pythonStdlibProject(), ...PYTHON_PACKAGES.map(pythonProject));
  return output;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '__pycache__', 'target']);

/** Project-relative paths of the files under `directory` whose extension `accept` takes. */
export function listFiles(root: string, directory: string, accept: (path: string) => boolean): string[] {
  const output: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path);
      } else if ((entry.isFile() || (entry.isSymbolicLink() && statSync(join(root, path)).isFile())) && accept(path)) {
        output.push(path);
      }
    }
  };
  walk(directory);
  return output.sort();
}

import path from 'node:path';
import { PYTHON_STDLIB_ANY_VERSION } from '../data/python-stdlib.js';
import type { ProjectFileSystem } from '../overlay.js';
import { ancestors, memo, toProjectPath } from '../project-cache.js';
import type { ResolveResult } from '../types.js';
import { importNamesForDistribution, normalizeDistributionName } from './distribution-names.js';
import { projectEnvironment, systemPythonModules } from './environment.js';
import { readDeclaredDependencies } from './manifests.js';

// Modules that exist for type checkers or at run time without being in any list.
const ALWAYS_AVAILABLE = new Set(['__future__', '__main__', '_typeshed', 'builtins']);
// Python 2 standard modules: real projects still ship py2 branches (httplib2's python2/, six-style fallbacks).
const PYTHON2_STDLIB = new Set(
  (
    'StringIO cStringIO urlparse urllib2 httplib ConfigParser Queue cPickle __builtin__ HTMLParser Cookie cookielib ' +
    'SocketServer SimpleHTTPServer BaseHTTPServer CGIHTTPServer commands copy_reg dummy_thread htmlentitydefs thread ' +
    'Tkinter tkMessageBox tkFileDialog ttk xmlrpclib DocXMLRPCServer SimpleXMLRPCServer UserDict UserList UserString ' +
    'anydbm dbhash whichdb exceptions md5 sha sets new robotparser repr markupbase mimetools rfc822 multifile sgmllib ' +
    'popen2 posixfile imputil ihooks mhlib mimify MimeWriter compiler dircache fpformat htmllib statvfs user _winreg'
  ).split(' '),
);
// Modules provided by a runtime rather than by any distribution (Pyodide, Jython, IronPython, PyPy, MicroPython).
const PLATFORM_MODULES = new Set([
  'js',
  'pyodide',
  'pyodide_js',
  'java',
  'javax',
  'clr',
  'System',
  '__pypy__',
  'micropython',
  'machine',
]);
// Tests, examples, docs and tooling scripts use tools that projects declare in places we cannot all read (CI
// configs, Makefiles, READMEs); an undeclared module there is not worth a false alarm.
const AUXILIARY_DIRECTORY =
  /^(?:tests?|testing|\w+_tests?|tests?_\w+|examples?|samples?|docs?|benchmarks?|bench|tools|scripts|ci|_?vendor(?:ed)?|third_party|extern(?:al)?)$/;
// Directories whose children are copies of other projects, put on sys.path by the project's entry script.
const VENDOR_DIRECTORY = /^(?:_?vendor(?:ed)?|third_party|extern(?:al)?)$/;
const AUXILIARY_FILE = /^(?:tests?|test_\w+|\w+_test|conftest|noxfile|owlbot|fabfile|tasks|setup|manage)\.pyi?$/;
// Written at build time and often missing from a checkout: setuptools-scm's _version.py, protoc's *_pb2.py.
const GENERATED_MODULE = /^(?:_?version|__version__|_generated\w*|\w+_pb2(?:_grpc)?)$/;
const MODULE_FILE = /^([A-Za-z_]\w*)(?:\.[^.]+)*\.(?:py|pyi|pyc|pyx|pxd|so|pyd)$/;
// A package __init__ that rewires its submodules (six.moves, lazy loaders) defeats file-based resolution.
const DYNAMIC_PACKAGE = /__path__|sys\.modules|__getattr__|extend_path|declare_namespace/;

type ModuleLookup =
  | { readonly kind: 'found'; readonly file: string; readonly namespace: boolean }
  | { readonly kind: 'missing-submodule'; readonly parent: string; readonly missing: string; readonly dynamic: boolean }
  | { readonly kind: 'through-module'; readonly module: string }
  | { readonly kind: 'absent' };

export function resolvePythonImport(options: {
  fileSystem: ProjectFileSystem;
  fromFile: string;
  specifier: string;
}): ResolveResult {
  const { fileSystem, fromFile, specifier } = options;
  const level = /^\.*/.exec(specifier)?.[0].length ?? 0;
  const moduleName = specifier.slice(level);
  const segments = moduleName === '' ? [] : moduleName.split('.');
  return level > 0
    ? resolveRelative({ fileSystem, fromFile, specifier, level, segments })
    : resolveAbsolute({ fileSystem, fromFile, specifier, segments });
}

function resolveRelative(options: {
  fileSystem: ProjectFileSystem;
  fromFile: string;
  specifier: string;
  level: number;
  segments: readonly string[];
}): ResolveResult {
  const { fileSystem, specifier, level, segments } = options;
  const root = fileSystem.projectRoot;
  let base = path.dirname(options.fromFile);
  for (let step = 1; step < level; step += 1) base = path.dirname(base);
  const inside = base === root || base.startsWith(root + path.sep);
  if (!inside) {
    // The project root may itself be a package inside a larger tree (a library verified in place).
    return fileSystem.fileExists(path.join(root, '__init__.py'))
      ? { kind: 'unknown', reason: `relative import '${specifier}' leaves the project root` }
      : { kind: 'unresolved', reason: `relative import '${specifier}' goes beyond the top-level package` };
  }
  const isSourceRoot = base === root || base === path.join(root, 'src');
  if (level >= 2 && isSourceRoot && !isPackageDirectory(fileSystem, base)) {
    return { kind: 'unresolved', reason: `relative import '${specifier}' goes beyond the top-level package` };
  }
  if (segments.length === 0) return { kind: 'project', file: toProjectPath(root, packageFile(fileSystem, base)) };
  const lookup = findModule(fileSystem, base, segments);
  if (lookup.kind === 'found') return { kind: 'project', file: toProjectPath(root, lookup.file) };
  if (lookup.kind === 'through-module') {
    return {
      kind: 'unknown',
      reason: `'${specifier}' reaches into module '${lookup.module}' (six.moves-style aliasing)`,
    };
  }
  if (lookup.kind === 'missing-submodule' && lookup.dynamic) {
    return { kind: 'unknown', reason: `package '${lookup.parent}' builds its submodules at run time` };
  }
  if (segments.some((segment) => GENERATED_MODULE.test(segment))) {
    return { kind: 'unknown', reason: `'${specifier}' is usually generated at build time` };
  }
  if (
    fileSystem.fileExists(path.join(base, '__init__.py')) &&
    DYNAMIC_PACKAGE.test(fileSystem.readFile(path.join(base, '__init__.py')) ?? '')
  ) {
    return { kind: 'unknown', reason: `package at ${toProjectPath(root, base)} builds its submodules at run time` };
  }
  return {
    kind: 'unresolved',
    reason: `module '${specifier}' not found (no ${toProjectPath(root, path.join(base, ...segments))}.py or package directory)`,
  };
}

function resolveAbsolute(options: {
  fileSystem: ProjectFileSystem;
  fromFile: string;
  specifier: string;
  segments: readonly string[];
}): ResolveResult {
  const { fileSystem, fromFile, specifier, segments } = options;
  const top = segments[0] ?? specifier;
  if (ALWAYS_AVAILABLE.has(top)) return { kind: 'builtin' };
  const roots = searchRoots(fileSystem, fromFile);
  let missingSubmodule: Extract<ModuleLookup, { kind: 'missing-submodule' }> | undefined;
  let namespaceMatch: string | undefined;
  let throughModule: string | undefined;
  for (const root of roots) {
    const lookup = findModule(fileSystem, root, segments);
    if (lookup.kind === 'found' && !lookup.namespace) {
      return { kind: 'project', file: toProjectPath(fileSystem.projectRoot, lookup.file) };
    }
    if (lookup.kind === 'found') namespaceMatch ??= lookup.file;
    if (lookup.kind === 'missing-submodule') missingSubmodule ??= lookup;
    if (lookup.kind === 'through-module') throughModule ??= lookup.module;
  }
  if (throughModule !== undefined) {
    return {
      kind: 'unknown',
      reason: `'${specifier}' reaches into module '${throughModule}' (six.moves-style aliasing)`,
    };
  }
  // A regular module anywhere on sys.path wins over a namespace package; the standard library comes next.
  if (PYTHON_STDLIB_ANY_VERSION.has(top) || PYTHON2_STDLIB.has(top)) return { kind: 'builtin' };
  if (namespaceMatch !== undefined)
    return { kind: 'project', file: toProjectPath(fileSystem.projectRoot, namespaceMatch) };

  const manifests = roots.map((root) => readDeclaredDependencies(fileSystem, root));
  const environment = projectEnvironment(fileSystem);
  const installed = environment.topLevelNames.has(top);
  const declaredNames = new Set<string>();
  for (const manifest of manifests) {
    for (const distribution of [
      ...manifest.distributions,
      ...(manifest.projectName === undefined ? [] : [manifest.projectName]),
    ]) {
      for (const name of environment.distributions.get(normalizeDistributionName(distribution)) ?? []) {
        declaredNames.add(name.toLowerCase());
      }
      for (const name of importNamesForDistribution(distribution)) declaredNames.add(name.toLowerCase());
    }
  }
  // The project's own regular package is the authority on its submodules (even when it is also a declared name).
  if (missingSubmodule !== undefined && !installed) {
    // Vendored copies of other projects carry their own dead code; that is not this patch's business.
    return missingSubmodule.dynamic ||
      isVendoredFile(fileSystem.projectRoot, fromFile) ||
      GENERATED_MODULE.test(missingSubmodule.missing)
      ? {
          kind: 'unknown',
          reason: `package '${missingSubmodule.parent}' builds its submodules at run time or is vendored`,
        }
      : {
          kind: 'unresolved',
          reason: `module '${specifier}' not found: package '${missingSubmodule.parent}' has no submodule '${missingSubmodule.missing}'`,
        };
  }
  if (declaredNames.has(top.toLowerCase())) return { kind: 'external', name: top, declared: true, installed };
  const hasManifest = manifests.some((manifest) => manifest.manifests.length > 0);
  if (installed) {
    return hasManifest
      ? { kind: 'external', name: top, declared: false, installed: true }
      : { kind: 'unknown', reason: `'${top}' is installed but the project has no dependency manifest` };
  }
  if (PLATFORM_MODULES.has(top)) return { kind: 'unknown', reason: `'${top}' is provided by a Python runtime` };
  if (isAuxiliaryFile(fileSystem.projectRoot, fromFile)) {
    return { kind: 'unknown', reason: `'${top}' is imported from test, example or tooling code` };
  }
  if (systemPythonModules().has(top)) {
    return { kind: 'unknown', reason: `'${top}' is installed in the system Python, outside the project's manifests` };
  }
  return {
    kind: 'unresolved',
    reason: `module '${top}' is not in the standard library, the project, the declared dependencies or ${environment.venv ?? '.venv'}`,
  };
}

function isVendoredFile(projectRoot: string, file: string): boolean {
  return path
    .relative(projectRoot, file)
    .split(path.sep)
    .slice(0, -1)
    .some((directory) => VENDOR_DIRECTORY.test(directory));
}

function isAuxiliaryFile(projectRoot: string, file: string): boolean {
  const relative = path.relative(projectRoot, file).split(path.sep);
  const name = relative.pop() ?? '';
  return AUXILIARY_FILE.test(name) || relative.some((directory) => AUXILIARY_DIRECTORY.test(directory));
}

/**
 * Directories that may be on sys.path for this file: every directory from the file up to the project root (script
 * directories, pytest rootdirs, Django's manage.py directory) and the `src/` below each.
 */
function searchRoots(fileSystem: ProjectFileSystem, fromFile: string): string[] {
  const roots: string[] = [];
  for (const directory of ancestors(path.dirname(fromFile), fileSystem.projectRoot)) {
    roots.push(directory);
    const source = path.join(directory, 'src');
    if (fileSystem.directoryExists(source)) roots.push(source);
  }
  if (!roots.includes(fileSystem.projectRoot)) roots.push(fileSystem.projectRoot);
  roots.push(...vendorRoots(fileSystem));
  // A project root that is itself a package (a library checked in place) is imported through its parent directory.
  if (isPackageDirectory(fileSystem, fileSystem.projectRoot)) roots.push(path.dirname(fileSystem.projectRoot));
  return roots;
}

/** vendor/, vendored/, third_party/ directories (two levels deep at most) and each project copied into them. */
function vendorRoots(fileSystem: ProjectFileSystem): readonly string[] {
  return memo({
    fileSystem,
    key: 'python-vendor-roots',
    compute: (files) => {
      const roots: string[] = [];
      const visit = (directory: string, depth: number) => {
        for (const entry of files.readDirectory(directory)) {
          if (!entry.isDirectory || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
          const child = path.join(directory, entry.name);
          if (VENDOR_DIRECTORY.test(entry.name)) {
            roots.push(child);
            for (const project of files.readDirectory(child)) {
              if (project.isDirectory) roots.push(path.join(child, project.name));
            }
          } else if (depth < 2) {
            visit(child, depth + 1);
          }
        }
      };
      visit(files.projectRoot, 0);
      return roots;
    },
  });
}

function isPackageDirectory(fileSystem: ProjectFileSystem, directory: string): boolean {
  return (
    fileSystem.fileExists(path.join(directory, '__init__.py')) ||
    fileSystem.fileExists(path.join(directory, '__init__.pyi'))
  );
}

function packageFile(fileSystem: ProjectFileSystem, directory: string): string {
  for (const name of ['__init__.py', '__init__.pyi']) {
    if (fileSystem.fileExists(path.join(directory, name))) return path.join(directory, name);
  }
  return directory;
}

function moduleFileIn(fileSystem: ProjectFileSystem, directory: string, name: string): string | undefined {
  for (const extension of ['.py', '.pyi']) {
    if (fileSystem.fileExists(path.join(directory, name + extension))) return path.join(directory, name + extension);
  }
  // Compiled extensions (`name.cpython-311-x86_64-linux-gnu.so`) and Cython sources.
  const entry = fileSystem
    .readDirectory(directory)
    .find((candidate) => !candidate.isDirectory && MODULE_FILE.exec(candidate.name)?.[1] === name);
  return entry === undefined ? undefined : path.join(directory, entry.name);
}

function findModule(fileSystem: ProjectFileSystem, root: string, segments: readonly string[]): ModuleLookup {
  let directory = root;
  let namespace = false;
  let parentName = '';
  let parentDynamic = false;
  for (const [index, segment] of segments.entries()) {
    const isLast = index === segments.length - 1;
    const packageDirectory = path.join(directory, segment);
    const qualified = parentName === '' ? segment : `${parentName}.${segment}`;
    if (fileSystem.directoryExists(packageDirectory)) {
      const regular = isPackageDirectory(fileSystem, packageDirectory);
      const moduleFile = regular ? undefined : moduleFileIn(fileSystem, directory, segment);
      if (moduleFile !== undefined) {
        // `x.py` beats a namespace directory `x/`.
        return isLast ? { kind: 'found', file: moduleFile, namespace } : { kind: 'through-module', module: qualified };
      }
      namespace ||= !regular;
      if (isLast) return { kind: 'found', file: packageFile(fileSystem, packageDirectory), namespace };
      parentDynamic =
        regular && DYNAMIC_PACKAGE.test(fileSystem.readFile(packageFile(fileSystem, packageDirectory)) ?? '');
      directory = packageDirectory;
      parentName = qualified;
      continue;
    }
    const moduleFile = moduleFileIn(fileSystem, directory, segment);
    if (moduleFile !== undefined) {
      // `import mod.attr` through a plain module only works with sys.modules tricks: not ours to judge.
      return isLast ? { kind: 'found', file: moduleFile, namespace } : { kind: 'through-module', module: qualified };
    }
    if (index === 0 || namespace) return { kind: 'absent' };
    return { kind: 'missing-submodule', parent: parentName, missing: segment, dynamic: parentDynamic };
  }
  return { kind: 'absent' };
}

import { builtinModules } from 'node:module';
import path from 'node:path';
import { ts } from './compiler.js';
import type { TypeScript } from './compiler.js';
import type { ProjectFileSystem } from '../overlay.js';
import { toProjectPath } from '../project-cache.js';
import type { ResolveResult } from '../types.js';
import { ambientModuleMatches } from './ambient-modules.js';
import {
  findInstalledPackage,
  packageJsonChain,
  packageNameOf,
  typesPackageName,
  workspacePackageNames,
} from './packages.js';
import { moduleResolutionHost, tsConfigsFor } from './tsconfig.js';

// Node exposes these only with the `node:` prefix; builtinModules lists them prefixed on some Node versions only.
const PREFIX_ONLY_BUILTINS: ReadonlySet<string> = new Set(['test', 'test/reporters', 'sqlite', 'sea', 'quic', 'ffi']);
// Built-ins newer than the running Node (a project may target a newer runtime than the one Kode runs on).
const NEWER_BUILTINS: readonly string[] = ['stream/iter', 'wasi', 'inspector/promises', 'util/types', 'path/posix'];
const BUILTINS: ReadonlySet<string> = new Set([
  ...builtinModules.map((name) => name.replace(/^node:/, '')),
  ...NEWER_BUILTINS,
]);
// Modules served by dev servers, never installed: `import '@vite/env'` in Vite's client.
const VIRTUAL_MODULES: ReadonlySet<string> = new Set(['@vite/env', '@vite/client', '@react-refresh']);
// React Native platform files import the platform's own modules (expo-*, react-native-*), declared by the app.
// Build and codegen output (dist/, __generated__/, *.generated.ts) is often absent from a checkout until a build runs.
const GENERATED_PATH =
  /(?:^|\/)(?:dist|build|out|gen|generated|__generated__|\.[\w-]+)\/|\.(?:generated|gen)\.[cm]?[jt]sx?$/;
// Tests, examples and docs use tools declared in places we cannot all read (a docs site's own manifest, CI setup).
const AUXILIARY_DIRECTORY = /^(?:__tests__|tests?|examples?|samples?|demos?|docs?|fixtures|__fixtures__|stories)$/;
const AUXILIARY_FILE = /\.(?:test|spec|stories|bench)\.[cm]?[jt]sx?$/;
const PLATFORM_FILE = /\.(?:native|ios|android)\.[cm]?[jt]sx?$/;
// Runtimes and bundlers with their own schemes: not something the project's manifests can answer.
const FOREIGN_SCHEME = /^(?:[a-z][\w+.-]*):/i;
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
const EXTENSION_SUBSTITUTES: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx', '.d.ts', '.jsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

export function resolveTypeScriptImport(options: {
  fileSystem: ProjectFileSystem;
  fromFile: string;
  specifier: string;
  typeOnly?: boolean;
}): ResolveResult {
  const { fileSystem, fromFile, specifier } = options;
  if (specifier.startsWith('node:')) {
    const name = specifier.slice('node:'.length);
    return BUILTINS.has(name) || PREFIX_ONLY_BUILTINS.has(name) || declaredByNodeTypes(fileSystem, fromFile, name)
      ? { kind: 'builtin' }
      : { kind: 'unresolved', reason: `'${specifier}' is not a Node.js built-in module` };
  }
  if (BUILTINS.has(specifier) && !PREFIX_ONLY_BUILTINS.has(specifier)) return { kind: 'builtin' };
  if (FOREIGN_SCHEME.test(specifier))
    return { kind: 'unknown', reason: `'${specifier}' uses a bundler or runtime scheme` };
  if (/[?!*]/.test(specifier)) return { kind: 'unknown', reason: `'${specifier}' is a bundler query, loader or glob` };
  if (VIRTUAL_MODULES.has(specifier))
    return { kind: 'unknown', reason: `'${specifier}' is a dev-server virtual module` };

  const resolved = resolveWithTypeScript(fileSystem, fromFile, specifier);
  const isRelative =
    specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
  // A symlinked workspace package is "external" to TypeScript but its real path is project source.
  const isInsidePackages = resolved !== undefined && /[\\/]node_modules[\\/]/.test(resolved.resolvedFileName);
  if (resolved !== undefined && (!isInsidePackages || isRelative)) {
    return { kind: 'project', file: toProjectPath(fileSystem.projectRoot, resolved.resolvedFileName) };
  }
  if (isRelative) return resolveRelativeFile(fileSystem, fromFile, specifier);
  if (specifier.startsWith('/')) {
    const found = findFile(fileSystem, specifier) ?? findFile(fileSystem, path.join(fileSystem.projectRoot, specifier));
    return found === undefined
      ? { kind: 'unknown', reason: `'${specifier}' is an absolute or server-root path` }
      : { kind: 'project', file: toProjectPath(fileSystem.projectRoot, found) };
  }
  if (specifier.startsWith('#')) return resolveSubpathImport(fileSystem, fromFile, specifier);
  return resolveBarePackage({ ...options, mappedByPaths: pathsPatternMatches(fileSystem, fromFile, specifier) });
}

/** Built-ins newer than the running Node are still declared by the project's @types/node (one file per module). */
function declaredByNodeTypes(fileSystem: ProjectFileSystem, fromFile: string, name: string): boolean {
  const nodeTypes = findInstalledPackage(fileSystem, path.dirname(fromFile), '@types/node');
  return nodeTypes !== undefined && fileSystem.fileExists(path.join(nodeTypes, `${name}.d.ts`));
}

function resolveWithTypeScript(
  fileSystem: ProjectFileSystem,
  fromFile: string,
  specifier: string,
): TypeScript.ResolvedModuleFull | undefined {
  const host = moduleResolutionHost(fileSystem);
  for (const config of tsConfigsFor(fileSystem, fromFile)) {
    const isNodeNext =
      config.options.moduleResolution === ts.ModuleResolutionKind.Node16 ||
      config.options.moduleResolution === ts.ModuleResolutionKind.NodeNext;
    // Under node16/nodenext the import and require conditions differ; either one working is enough to be silent.
    const modes: readonly TypeScript.ResolutionMode[] = isNodeNext
      ? [ts.ModuleKind.ESNext, ts.ModuleKind.CommonJS]
      : [undefined];
    for (const mode of modes) {
      const result = ts.resolveModuleName(specifier, fromFile, config.options, host, undefined, undefined, mode);
      if (result.resolvedModule !== undefined) return result.resolvedModule;
    }
  }
  return undefined;
}

interface PathsMatch {
  readonly pattern: string;
  /** Files the mapping points at, before extension probing. */
  readonly targets: readonly string[];
}

function pathsPatternMatches(
  fileSystem: ProjectFileSystem,
  fromFile: string,
  specifier: string,
): PathsMatch | undefined {
  for (const config of tsConfigsFor(fileSystem, fromFile)) {
    const paths = config.options.paths ?? {};
    const base =
      config.options.baseUrl ??
      (config.options as { pathsBasePath?: string }).pathsBasePath ??
      (config.file === undefined ? fileSystem.projectRoot : path.dirname(config.file));
    for (const [pattern, substitutions] of Object.entries(paths)) {
      const star = pattern.indexOf('*');
      const prefix = star === -1 ? pattern : pattern.slice(0, star);
      const suffix = star === -1 ? '' : pattern.slice(star + 1);
      const matches =
        star === -1
          ? pattern === specifier
          : specifier.length >= prefix.length + suffix.length &&
            specifier.startsWith(prefix) &&
            specifier.endsWith(suffix);
      if (!matches) continue;
      const captured = star === -1 ? '' : specifier.slice(prefix.length, specifier.length - suffix.length);
      const targets = substitutions.map((substitution) => path.resolve(base, substitution.replace('*', captured)));
      return { pattern, targets };
    }
  }
  return undefined;
}

/** A file at the path itself, with a source extension, as a directory index, or `.js` standing for `.ts`. */
function findFile(fileSystem: ProjectFileSystem, target: string): string | undefined {
  const candidates = [target, ...SOURCE_EXTENSIONS.map((extension) => target + extension)];
  for (const extension of SOURCE_EXTENSIONS) candidates.push(path.join(target, `index${extension}`));
  const extension = path.extname(target);
  for (const substitute of EXTENSION_SUBSTITUTES[extension] ?? []) {
    candidates.push(target.slice(0, -extension.length) + substitute);
  }
  return candidates.find((candidate) => fileSystem.fileExists(candidate));
}

function resolveRelativeFile(fileSystem: ProjectFileSystem, fromFile: string, specifier: string): ResolveResult {
  const target = path.resolve(path.dirname(fromFile), specifier);
  const found = findFile(fileSystem, target);
  if (found !== undefined) return { kind: 'project', file: toProjectPath(fileSystem.projectRoot, found) };
  if (fileSystem.directoryExists(target)) {
    // A directory with a package.json `main` pointing somewhere unusual: Node may load it; do not guess.
    return { kind: 'unknown', reason: `'${specifier}' is a directory without an index file` };
  }
  if (GENERATED_PATH.test(specifier)) {
    return { kind: 'unknown', reason: `'${specifier}' points into build or code-generation output` };
  }
  return {
    kind: 'unresolved',
    reason: `'${specifier}' does not exist (no file ${toProjectPath(fileSystem.projectRoot, target)} with any extension)`,
  };
}

function resolveSubpathImport(fileSystem: ProjectFileSystem, fromFile: string, specifier: string): ResolveResult {
  const nearest = packageJsonChain(fileSystem, path.dirname(fromFile))[0];
  const imports = nearest?.data.imports;
  if (typeof imports === 'object' && imports !== null) {
    const keys = Object.keys(imports);
    const matches = keys.some((key) => {
      const star = key.indexOf('*');
      return star === -1
        ? key === specifier
        : specifier.startsWith(key.slice(0, star)) && specifier.endsWith(key.slice(star + 1));
    });
    if (matches)
      return { kind: 'unknown', reason: `'${specifier}' matches package.json "imports" but its target was not found` };
  }
  return {
    kind: 'unresolved',
    reason: `'${specifier}' is not defined in the "imports" field of the nearest package.json`,
  };
}

function resolveBarePackage(options: {
  fileSystem: ProjectFileSystem;
  fromFile: string;
  specifier: string;
  typeOnly?: boolean;
  mappedByPaths: PathsMatch | undefined;
}): ResolveResult {
  const { fileSystem, fromFile, specifier } = options;
  // A mapping to a file TypeScript does not resolve by itself (`@/styles/app.css`, `@/App.vue`).
  for (const target of options.mappedByPaths?.targets ?? []) {
    const found = findFile(fileSystem, target);
    if (found !== undefined) return { kind: 'project', file: toProjectPath(fileSystem.projectRoot, found) };
  }
  const name = packageNameOf(specifier);
  const fromDirectory = path.dirname(fromFile);
  if (name === undefined) {
    return options.mappedByPaths === undefined
      ? { kind: 'unknown', reason: `'${specifier}' looks like a bundler alias` }
      : pathsFailure(specifier, options.mappedByPaths);
  }
  // Workspace members count as installed and declared: the package manager links them into node_modules.
  const isWorkspaceMember = workspacePackageNames(fileSystem, fromDirectory).has(name);
  const installed =
    isWorkspaceMember ||
    findInstalledPackage(fileSystem, fromDirectory, name) !== undefined ||
    (findInstalledPackage(fileSystem, fromDirectory, typesPackageName(name)) !== undefined &&
      options.typeOnly !== false);
  const chain = packageJsonChain(fileSystem, fromDirectory);
  const typesName = typesPackageName(name);
  const declared =
    isWorkspaceMember ||
    chain.some(
      ({ data }) => data.name === name || data.dependencyNames.has(name) || data.dependencyNames.has(typesName),
    );
  if (installed || declared) return { kind: 'external', name, declared, installed };
  if (options.mappedByPaths !== undefined) return pathsFailure(specifier, options.mappedByPaths);
  if (ambientModuleMatches(fileSystem, specifier)) {
    return { kind: 'unknown', reason: `'${specifier}' is declared by an ambient module declaration` };
  }
  if (PLATFORM_FILE.test(fromFile)) {
    return { kind: 'unknown', reason: `'${specifier}' is imported from a React Native platform file` };
  }
  if (isAuxiliaryFile(fileSystem.projectRoot, fromFile)) {
    return { kind: 'unknown', reason: `'${specifier}' is imported from test, example or documentation code` };
  }
  if (chain.length === 0) {
    return { kind: 'unresolved', reason: `'${name}' is not installed and there is no package.json declaring it` };
  }
  return { kind: 'unresolved', reason: `'${name}' is not installed and not declared in package.json` };
}

function isAuxiliaryFile(projectRoot: string, file: string): boolean {
  const directories = path.relative(projectRoot, file).split(path.sep).slice(0, -1);
  return AUXILIARY_FILE.test(file) || directories.some((directory) => AUXILIARY_DIRECTORY.test(directory));
}

function pathsFailure(specifier: string, match: PathsMatch): ResolveResult {
  return {
    kind: 'unresolved',
    reason: `'${specifier}' matches the tsconfig path mapping '${match.pattern}' but no file exists for it`,
  };
}

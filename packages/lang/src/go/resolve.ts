import path from 'node:path';
import { GO_STDLIB_MAX_VERSION, GO_STDLIB_PACKAGES } from '../data/go-stdlib.js';
import type { ProjectFileSystem } from '../overlay.js';
import { toProjectPath } from '../project-cache.js';
import type { ResolveResult } from '../types.js';
import { findGoModule, vendoredModules, workspaceModules } from './go-mod.js';

const isUnder = (importPath: string, prefix: string) => importPath === prefix || importPath.startsWith(`${prefix}/`);

/**
 * The go tool never builds files under testdata/ or under directories whose name starts with `.` or `_`: anything
 * may live there (go/types keeps deliberately invalid Go in testdata/), so neither syntax nor imports are judged.
 */
export function isIgnoredByGoTool(projectPath: string): boolean {
  return projectPath
    .split(/[\\/]/)
    .slice(0, -1)
    .some(
      (directory) =>
        directory === 'testdata' ||
        directory.startsWith('_') ||
        (directory.startsWith('.') && directory !== '.' && directory !== '..'),
    );
}

function versionNumber(version: string | undefined): number {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  return match === null ? 0 : Number(match[1]) * 1_000 + Number(match[2]);
}

export function resolveGoImport(options: {
  fileSystem: ProjectFileSystem;
  fromFile: string;
  specifier: string;
}): ResolveResult {
  const { fileSystem, fromFile, specifier } = options;
  if (specifier === 'C' || GO_STDLIB_PACKAGES.has(specifier)) return { kind: 'builtin' };
  if (isIgnoredByGoTool(toProjectPath(fileSystem.projectRoot, fromFile))) {
    return { kind: 'unknown', reason: `${toProjectPath(fileSystem.projectRoot, fromFile)} is ignored by the go tool` };
  }
  const goModule = findGoModule(fileSystem, fromFile);
  if (goModule === undefined)
    return { kind: 'unknown', reason: `no go.mod above ${toProjectPath(fileSystem.projectRoot, fromFile)}` };

  const localModules: [string, string][] = [
    [goModule.modulePath, goModule.directory],
    ...workspaceModules(fileSystem, goModule.directory),
    ...goModule.replaces.flatMap((replace) =>
      replace.localDirectory === undefined ? [] : [[replace.from, replace.localDirectory] as [string, string]],
    ),
  ];
  // GOROOT/src is `module std`: its packages (internal ones included) have no module prefix.
  if (goModule.modulePath === 'std' && !(specifier.split('/')[0] ?? '').includes('.')) {
    return resolveLocalPackage({ fileSystem, fromFile, specifier, module: ['', goModule.directory] });
  }
  const local = localModules
    .filter(([modulePath]) => isUnder(specifier, modulePath))
    .sort(([left], [right]) => right.length - left.length)[0];
  if (local !== undefined) return resolveLocalPackage({ fileSystem, fromFile, specifier, module: local });

  const declaredModules = [
    ...goModule.requires,
    ...goModule.replaces.flatMap((replace) => (replace.to === undefined ? [] : [replace.from])),
    ...vendoredModules(fileSystem, goModule.directory),
  ];
  const required = declaredModules
    .filter((modulePath) => isUnder(specifier, modulePath))
    .sort((a, b) => b.length - a.length)[0];
  if (required !== undefined) {
    if (/(?:^|\/)internal(?:\/|$)/.test(specifier.slice(required.length))) {
      return {
        kind: 'unresolved',
        reason: `"${specifier}" is an internal package of ${required} and cannot be imported from this module`,
      };
    }
    // Modules are downloaded on build (or vendored); go.mod is the declaration that matters.
    return { kind: 'external', name: required, declared: true, installed: true };
  }
  const firstElement = specifier.split('/')[0] ?? '';
  if (!firstElement.includes('.') && versionNumber(goModule.goVersion) > versionNumber(GO_STDLIB_MAX_VERSION)) {
    return {
      kind: 'unknown',
      reason: `"${specifier}" may be a standard package newer than Go ${GO_STDLIB_MAX_VERSION}`,
    };
  }
  return {
    kind: 'unresolved',
    reason: `"${specifier}" is not in the standard library, module ${goModule.modulePath} or go.mod`,
  };
}

function resolveLocalPackage(options: {
  fileSystem: ProjectFileSystem;
  fromFile: string;
  specifier: string;
  module: [string, string];
}): ResolveResult {
  const { fileSystem, fromFile, specifier } = options;
  const [modulePath, moduleDirectory] = options.module;
  const relative = specifier.slice(modulePath.length).replace(/^\//, '');
  const directory = path.join(moduleDirectory, ...relative.split('/').filter((part) => part !== ''));
  const segments = relative.split('/');
  const internalIndex = segments.lastIndexOf('internal');
  if (internalIndex !== -1) {
    const allowedRoot = path.join(moduleDirectory, ...segments.slice(0, internalIndex));
    const importer = path.dirname(fromFile);
    if (importer !== allowedRoot && !importer.startsWith(allowedRoot + path.sep)) {
      return {
        kind: 'unresolved',
        reason: `"${specifier}" is an internal package and cannot be imported from ${toProjectPath(fileSystem.projectRoot, importer)}`,
      };
    }
  }
  const hasGoFiles = fileSystem
    .readDirectory(directory)
    .some((entry) => !entry.isDirectory && entry.name.endsWith('.go'));
  if (hasGoFiles) return { kind: 'project', file: toProjectPath(fileSystem.projectRoot, directory) };
  return {
    kind: 'unresolved',
    reason: `"${specifier}" is not a package of module ${modulePath} (no .go files in ${toProjectPath(fileSystem.projectRoot, directory)})`,
  };
}

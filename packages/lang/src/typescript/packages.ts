import path from 'node:path';
import type { ProjectFileSystem } from '../overlay.js';
import { ancestors, memo } from '../project-cache.js';

// `~` is legal inside npm names but never first in practice; `~/x` and `@/x` are bundler aliases, not packages.
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i;

/** `lodash/fp` -> `lodash`, `@scope/pkg/sub` -> `@scope/pkg`; undefined when the specifier cannot be an npm name. */
export function packageNameOf(specifier: string): string | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (name === undefined || !PACKAGE_NAME.test(name)) return undefined;
  if (specifier.startsWith('@') && parts.length < 2) return undefined;
  return name;
}

export function typesPackageName(name: string): string {
  return name.startsWith('@') ? `@types/${name.slice(1).replace('/', '__')}` : `@types/${name}`;
}

interface PackageJson {
  readonly name?: string;
  readonly dependencyNames: ReadonlySet<string>;
  readonly workspaces: readonly string[];
  readonly imports?: unknown;
}

const DEPENDENCY_SECTIONS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
  'bundleDependencies',
  'bundledDependencies',
];

export function readPackageJson(fileSystem: ProjectFileSystem, file: string): PackageJson | undefined {
  return memo({
    fileSystem,
    key: `package.json:${file}`,
    dependsOn: [file],
    compute: (files) => {
      const text = files.readFile(file);
      if (text === undefined) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (typeof value !== 'object' || value === null) return undefined;
      const record = value as Record<string, unknown>;
      const dependencyNames = new Set<string>();
      for (const section of DEPENDENCY_SECTIONS) {
        const entries = record[section];
        if (Array.isArray(entries))
          for (const entry of entries) if (typeof entry === 'string') dependencyNames.add(entry);
        if (typeof entries === 'object' && entries !== null && !Array.isArray(entries)) {
          for (const name of Object.keys(entries)) dependencyNames.add(name);
        }
      }
      const workspacesField = record.workspaces;
      const workspaces = Array.isArray(workspacesField)
        ? workspacesField
        : typeof workspacesField === 'object' && workspacesField !== null
          ? ((workspacesField as { packages?: unknown }).packages ?? [])
          : [];
      return {
        ...(typeof record.name === 'string' ? { name: record.name } : {}),
        dependencyNames,
        workspaces: Array.isArray(workspaces) ? workspaces.filter((entry) => typeof entry === 'string') : [],
        imports: record.imports,
      };
    },
  });
}

/** package.json files from the importing file's directory up to the filesystem root, nearest first. */
export function packageJsonChain(
  fileSystem: ProjectFileSystem,
  fromDirectory: string,
): { file: string; data: PackageJson }[] {
  const chain: { file: string; data: PackageJson }[] = [];
  for (const directory of ancestors(fromDirectory)) {
    const file = path.join(directory, 'package.json');
    const data = readPackageJson(fileSystem, file);
    if (data !== undefined) chain.push({ file, data });
  }
  return chain;
}

/** The package directory found by Node's upward node_modules lookup, or undefined. */
export function findInstalledPackage(
  fileSystem: ProjectFileSystem,
  fromDirectory: string,
  name: string,
): string | undefined {
  for (const directory of ancestors(fromDirectory)) {
    if (path.basename(directory) === 'node_modules') continue;
    const candidate = path.join(directory, 'node_modules', ...name.split('/'));
    if (fileSystem.directoryExists(candidate) || fileSystem.fileExists(candidate)) return candidate;
  }
  return undefined;
}

/** Names of workspace packages (package.json `workspaces`, pnpm-workspace.yaml) of every workspace above the file. */
export function workspacePackageNames(fileSystem: ProjectFileSystem, fromDirectory: string): ReadonlySet<string> {
  const names = new Set<string>();
  for (const directory of ancestors(fromDirectory)) {
    const patterns = [...(readPackageJson(fileSystem, path.join(directory, 'package.json'))?.workspaces ?? [])];
    const pnpmWorkspace = fileSystem.readFile(path.join(directory, 'pnpm-workspace.yaml'));
    if (pnpmWorkspace !== undefined) patterns.push(...pnpmWorkspacePatterns(pnpmWorkspace));
    if (patterns.length === 0) continue;
    for (const name of memo({
      fileSystem,
      key: `workspace-members:${directory}`,
      // A patch that adds a workspace package (a new package.json anywhere) must be seen at once.
      dependsOn: [
        path.join(directory, 'pnpm-workspace.yaml'),
        ...fileSystem.touchedFiles().filter((file) => path.basename(file) === 'package.json'),
        path.join(directory, 'package.json'),
      ],
      compute: (files) => workspaceMembers(files, directory, patterns),
    })) {
      names.add(name);
    }
  }
  return names;
}

function pnpmWorkspacePatterns(text: string): string[] {
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      continue;
    }
    if (inPackages && /^\S/.test(line)) inPackages = false;
    const item = inPackages ? /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(?:#.*)?$/.exec(line) : null;
    if (item?.[1] !== undefined && !item[1].startsWith('!')) patterns.push(item[1]);
  }
  return patterns;
}

function workspaceMembers(fileSystem: ProjectFileSystem, root: string, patterns: readonly string[]): string[] {
  const names: string[] = [];
  const addPackage = (directory: string) => {
    const name = readPackageJson(fileSystem, path.join(directory, 'package.json'))?.name;
    if (name !== undefined) names.push(name);
  };
  for (const pattern of patterns) {
    const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
    const starIndex = clean.indexOf('*');
    if (starIndex === -1) {
      addPackage(path.join(root, clean));
      continue;
    }
    // `packages/*` and `packages/**`: list the directories below the fixed prefix (two levels for `**`).
    const base = path.join(
      root,
      clean
        .slice(0, starIndex)
        .replace(/\/[^/]*$/, '')
        .replace(/\/$/, ''),
    );
    const depth = clean.includes('**') ? 3 : 1;
    const walk = (directory: string, level: number) => {
      for (const entry of fileSystem.readDirectory(directory)) {
        if (!entry.isDirectory || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        const child = path.join(directory, entry.name);
        addPackage(child);
        if (level < depth) walk(child, level + 1);
      }
    };
    walk(base, 1);
  }
  return names;
}

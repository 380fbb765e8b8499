import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ProjectFileSystem } from '../overlay.js';
import { createProjectFileSystem, EMPTY_OVERLAY } from '../overlay.js';
import { memo } from '../project-cache.js';
import { normalizeDistributionName } from './distribution-names.js';

export interface PythonEnvironment {
  /** The venv directory that was read (project-relative or absolute), if any. */
  readonly venv?: string;
  /** Top-level import names present in the venv's site-packages (and in directories its .pth files add). */
  readonly topLevelNames: ReadonlySet<string>;
  /** Normalised distribution name -> top-level import names, from *.dist-info (top_level.txt or RECORD). */
  readonly distributions: ReadonlyMap<string, readonly string[]>;
}

const VENV_DIRECTORIES = ['.venv', 'venv', 'env', '.env'];

/** The project's virtual environment: .venv, venv, env (in the project root) or $VIRTUAL_ENV. */
export function projectEnvironment(
  fileSystem: ProjectFileSystem,
  environmentVariables = process.env,
): PythonEnvironment {
  return memo({
    fileSystem,
    key: 'python-environment',
    compute: (files) => {
      const candidates = VENV_DIRECTORIES.map((name) => path.join(files.projectRoot, name));
      const virtualEnv = environmentVariables.VIRTUAL_ENV;
      if (virtualEnv !== undefined && virtualEnv !== '') candidates.push(path.resolve(virtualEnv));
      for (const venv of candidates) {
        const sitePackages = sitePackagesOf(files, venv);
        if (sitePackages.length === 0) continue;
        const environment = readSitePackages(files, sitePackages);
        return { ...environment, venv: path.relative(files.projectRoot, venv) || venv };
      }
      return { topLevelNames: new Set<string>(), distributions: new Map() };
    },
  });
}

let systemNames: ReadonlySet<string> | undefined;

/**
 * Top-level names installed in the machine's system site-packages (Debian dist-packages, /usr/local). Used only to
 * stay silent: a module installed there exists, even if the project's manifests cannot tell us it is declared.
 */
export function systemPythonModules(): ReadonlySet<string> {
  if (systemNames !== undefined) return systemNames;
  const fileSystem = createProjectFileSystem('/', EMPTY_OVERLAY);
  const directories = ['/usr/lib/python3/dist-packages'];
  for (const base of ['/usr/lib', '/usr/local/lib', '/usr/lib64']) {
    let entries: string[] = [];
    try {
      entries = readdirSync(base).filter((name) => /^python3\.\d+$/.test(name));
    } catch {
      // No such directory on this machine.
    }
    for (const entry of entries) {
      directories.push(path.join(base, entry, 'site-packages'), path.join(base, entry, 'dist-packages'));
    }
  }
  directories.push('/usr/local/lib/python3/dist-packages');
  systemNames = readSitePackages(
    fileSystem,
    directories.filter((directory) => fileSystem.directoryExists(directory)),
  ).topLevelNames;
  return systemNames;
}

function sitePackagesOf(fileSystem: ProjectFileSystem, venv: string): string[] {
  if (!fileSystem.directoryExists(venv)) return [];
  const found: string[] = [];
  for (const libraryDirectory of ['lib', 'lib64', 'Lib']) {
    const library = path.join(venv, libraryDirectory);
    if (!fileSystem.directoryExists(library)) continue;
    if (fileSystem.directoryExists(path.join(library, 'site-packages')))
      found.push(path.join(library, 'site-packages'));
    for (const entry of fileSystem.readDirectory(library)) {
      const sitePackages = path.join(library, entry.name, 'site-packages');
      if (entry.isDirectory && /^python/.test(entry.name) && fileSystem.directoryExists(sitePackages)) {
        found.push(sitePackages);
      }
    }
  }
  return found;
}

function readSitePackages(
  fileSystem: ProjectFileSystem,
  directories: readonly string[],
): { topLevelNames: Set<string>; distributions: Map<string, string[]> } {
  const topLevelNames = new Set<string>();
  const distributions = new Map<string, string[]>();
  const addModulesOf = (directory: string) => {
    for (const entry of fileSystem.readDirectory(directory)) {
      const name = topLevelNameOf(entry.name, entry.isDirectory);
      if (name !== undefined) topLevelNames.add(name);
    }
  };
  for (const directory of directories) {
    addModulesOf(directory);
    for (const entry of fileSystem.readDirectory(directory)) {
      if (entry.isDirectory && entry.name.endsWith('.dist-info')) {
        const metadata = path.join(directory, entry.name);
        const distribution = /^(.+?)-\d/.exec(entry.name)?.[1] ?? entry.name.replace(/\.dist-info$/, '');
        const names = distributionTopLevels(fileSystem, metadata);
        for (const name of names) topLevelNames.add(name);
        distributions.set(normalizeDistributionName(distribution), names);
      } else if (!entry.isDirectory && entry.name.endsWith('.pth')) {
        // Editable installs add source directories through .pth files.
        for (const line of (fileSystem.readFile(path.join(directory, entry.name)) ?? '').split(/\r?\n/)) {
          const trimmed = line.trim();
          if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('import ')) continue;
          const extra = path.resolve(directory, trimmed);
          if (fileSystem.directoryExists(extra)) addModulesOf(extra);
        }
      }
    }
  }
  return { topLevelNames, distributions };
}

function topLevelNameOf(entryName: string, isDirectory: boolean): string | undefined {
  if (isDirectory) {
    if (/\.(?:dist-info|egg-info|data)$/.test(entryName) || entryName === '__pycache__' || entryName.startsWith('.')) {
      return undefined;
    }
    return /^[A-Za-z_]\w*$/.test(entryName) ? entryName : undefined;
  }
  const module = /^([A-Za-z_]\w*)(?:\.[^.]+)*\.(?:py|pyi|pyc|so|pyd)$/.exec(entryName);
  return module?.[1];
}

function distributionTopLevels(fileSystem: ProjectFileSystem, metadataDirectory: string): string[] {
  const topLevel = fileSystem.readFile(path.join(metadataDirectory, 'top_level.txt'));
  if (topLevel !== undefined) {
    return topLevel
      .split(/\r?\n/)
      .map((line) => line.trim().split('/')[0] ?? '')
      .filter((line) => line !== '');
  }
  const names = new Set<string>();
  for (const line of (fileSystem.readFile(path.join(metadataDirectory, 'RECORD')) ?? '').split(/\r?\n/)) {
    const file = line.split(',')[0] ?? '';
    if (file.startsWith('..') || file.includes('.dist-info/') || file.startsWith('__pycache__')) continue;
    const first = file.split('/')[0] ?? '';
    const name = topLevelNameOf(first, file.includes('/'));
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

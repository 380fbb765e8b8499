import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { ProjectFileSystem } from '../overlay.js';
import { memo } from '../project-cache.js';

export interface DeclaredDependencies {
  /** Distribution names as written (not normalised). */
  readonly distributions: readonly string[];
  /** The manifest files that were read, project-relative; empty when the directory has none. */
  readonly manifests: readonly string[];
  /** `requires-python` lower bound or `.python-version`, when stated. */
  readonly pythonVersion?: string;
  /** The project's own distribution name (PEP 621 / Poetry), importable by its tests. */
  readonly projectName?: string;
}

const REQUIREMENT_NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

/** The distribution name at the start of a PEP 508 requirement (`requests[socks]>=2; python_version<"4"`). */
export function requirementName(requirement: string): string | undefined {
  const trimmed = requirement.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('-')) return undefined;
  return REQUIREMENT_NAME.exec(trimmed)?.[1];
}

/**
 * Every manifest in one directory and its immediate subdirectories (testing/requirements.txt, ci/constraints.txt):
 * pyproject.toml, requirements*.txt / constraints*.txt / *.in, setup.cfg, setup.py, Pipfile, environment.yml,
 * tox.ini and noxfile.py.
 */
export function readDeclaredDependencies(fileSystem: ProjectFileSystem, directory: string): DeclaredDependencies {
  const touched = fileSystem.touchedFiles().filter((file) => {
    const parent = path.dirname(file);
    return isManifestName(path.basename(file)) && (parent === directory || path.dirname(parent) === directory);
  });
  return memo({
    fileSystem,
    key: `python-manifests:${directory}`,
    dependsOn: touched,
    compute: (files) => readManifests(files, directory, manifestFilesIn(files, directory)),
  });
}

const SKIPPED_SUBDIRECTORIES = /^(?:\.|node_modules$|__pycache__$|venv$|env$|site-packages$|build$|dist$)/;

function manifestFilesIn(fileSystem: ProjectFileSystem, directory: string): string[] {
  const files: string[] = [];
  for (const entry of fileSystem.readDirectory(directory)) {
    if (!entry.isDirectory) {
      if (isManifestName(entry.name)) files.push(path.join(directory, entry.name));
      continue;
    }
    if (SKIPPED_SUBDIRECTORIES.test(entry.name)) continue;
    const subdirectory = path.join(directory, entry.name);
    const isRequirementsDirectory = entry.name === 'requirements';
    for (const child of fileSystem.readDirectory(subdirectory)) {
      if (child.isDirectory) continue;
      if (isRequirementsName(child.name) || (isRequirementsDirectory && /\.(?:txt|in)$/.test(child.name))) {
        files.push(path.join(subdirectory, child.name));
      }
    }
  }
  return files;
}

function isRequirementsName(name: string): boolean {
  return /(?:requirements|constraints).*\.(?:txt|in)$/i.test(name);
}

function isManifestName(name: string): boolean {
  return (
    name === 'pyproject.toml' ||
    name === 'setup.cfg' ||
    name === 'setup.py' ||
    name === 'Pipfile' ||
    name === '.python-version' ||
    name === 'environment.yml' ||
    name === 'tox.ini' ||
    name === 'noxfile.py' ||
    isRequirementsName(name)
  );
}

function readManifests(
  fileSystem: ProjectFileSystem,
  directory: string,
  files: readonly string[],
): DeclaredDependencies {
  const distributions: string[] = [];
  const manifests: string[] = [];
  let pythonVersion: string | undefined;
  let projectName: string | undefined;
  const seenRequirements = new Set<string>();
  for (const file of files) {
    const text = fileSystem.readFile(file);
    if (text === undefined) continue;
    const name = path.basename(file);
    if (name === '.python-version') {
      pythonVersion ??= /(\d+\.\d+)/.exec(text)?.[1];
      continue;
    }
    manifests.push(path.relative(fileSystem.projectRoot, file).split(path.sep).join('/'));
    if (name === 'pyproject.toml') {
      const result = readPyproject(text);
      distributions.push(...result.distributions);
      pythonVersion = result.pythonVersion ?? pythonVersion;
      projectName ??= result.projectName;
    } else if (name === 'setup.cfg') {
      distributions.push(...readSetupCfg(text));
    } else if (name === 'setup.py') {
      // setup.py runs under setuptools whether or not it is listed anywhere.
      distributions.push('setuptools', ...requirementLiterals(text));
    } else if (name === 'noxfile.py') {
      distributions.push('nox', ...requirementLiterals(text));
    } else if (name === 'tox.ini') {
      distributions.push('tox', ...readToxIni(text));
    } else if (name === 'Pipfile') {
      distributions.push(...readPipfile(text));
    } else if (name === 'environment.yml') {
      for (const match of text.matchAll(/^\s*-\s*([A-Za-z0-9][A-Za-z0-9._-]*)/gm))
        if (match[1] !== undefined) distributions.push(match[1]);
    } else {
      distributions.push(...readRequirements(fileSystem, file, seenRequirements));
    }
  }
  return {
    distributions,
    manifests,
    ...(pythonVersion === undefined ? {} : { pythonVersion }),
    ...(projectName === undefined ? {} : { projectName }),
  };
}

function readRequirements(fileSystem: ProjectFileSystem, file: string, seen: Set<string>): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = fileSystem.readFile(file);
  if (text === undefined) return [];
  const names: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '').trim();
    const include = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include?.[1] !== undefined) {
      names.push(...readRequirements(fileSystem, path.resolve(path.dirname(file), include[1]), seen));
      continue;
    }
    // `-e git+https://...#egg=name`, `https://.../pkg.whl#egg=name`
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
    if (egg?.[1] !== undefined) {
      names.push(egg[1]);
      continue;
    }
    const name = requirementName(line);
    if (name !== undefined && !/^[a-z]+:\/\//i.test(line)) names.push(name);
  }
  return names;
}

function readPyproject(text: string): { distributions: string[]; pythonVersion?: string; projectName?: string } {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text);
  } catch {
    return { distributions: [] };
  }
  const distributions: string[] = [];
  const addRequirements = (value: unknown) => {
    if (!Array.isArray(value)) return;
    for (const item of value) {
      const name = typeof item === 'string' ? requirementName(item) : undefined;
      if (name !== undefined) distributions.push(name);
    }
  };
  const addKeys = (value: unknown) => {
    if (isRecord(value))
      for (const key of Object.keys(value)) if (key.toLowerCase() !== 'python') distributions.push(key);
  };
  const project = record(document.project);
  addRequirements(project.dependencies);
  for (const group of Object.values(record(project['optional-dependencies']))) addRequirements(group);
  for (const group of Object.values(record(document['dependency-groups']))) addRequirements(group);
  addRequirements(record(document['build-system']).requires);
  const tool = record(document.tool);
  const poetry = record(tool.poetry);
  addKeys(poetry.dependencies);
  addKeys(poetry['dev-dependencies']);
  for (const group of Object.values(record(poetry.group))) addKeys(record(group).dependencies);
  for (const group of Object.values(record(record(tool.pdm)['dev-dependencies']))) addRequirements(group);
  addRequirements(record(tool.uv)['dev-dependencies']);
  for (const environment of Object.values(record(record(tool.hatch).envs))) {
    addRequirements(record(environment).dependencies);
    addRequirements(record(environment)['extra-dependencies']);
  }
  const requiresPython =
    typeof project['requires-python'] === 'string'
      ? project['requires-python']
      : typeof record(poetry.dependencies).python === 'string'
        ? (record(poetry.dependencies).python as string)
        : undefined;
  const pythonVersion = requiresPython === undefined ? undefined : /(\d+\.\d+)/.exec(requiresPython)?.[1];
  const projectName =
    typeof project.name === 'string' ? project.name : typeof poetry.name === 'string' ? poetry.name : undefined;
  return {
    distributions,
    ...(pythonVersion === undefined ? {} : { pythonVersion }),
    ...(projectName === undefined ? {} : { projectName }),
  };
}

function readSetupCfg(text: string): string[] {
  const names: string[] = [];
  let section = '';
  let key = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header?.[1] !== undefined) {
      section = header[1].trim();
      key = '';
      continue;
    }
    const assignment = /^([A-Za-z_][\w-]*)\s*[=:]\s*(.*)$/.exec(line);
    let value: string | undefined;
    if (assignment !== null) {
      key = assignment[1] ?? '';
      value = assignment[2];
    } else if (/^\s+\S/.test(line)) {
      value = line;
    }
    const inRequirements =
      (section === 'options' && /^(?:install_requires|tests_require|setup_requires)$/.test(key)) ||
      section === 'options.extras_require';
    if (!inRequirements || value === undefined) continue;
    for (const part of value.split(/[;,]\s*(?=[A-Za-z])/)) {
      const name = requirementName(part);
      if (name !== undefined) names.push(name);
    }
  }
  return names;
}

/** setup.py and noxfile.py are code: take every string literal that looks like a requirement. Generous by design. */
function requirementLiterals(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(
    /(['"])([A-Za-z0-9][A-Za-z0-9._-]*)(?:\s*\[[^\]'"]*\])?\s*(?:[<>=!~;][^'"]*)?\1/g,
  )) {
    if (match[2] !== undefined) names.push(match[2]);
  }
  return names;
}

/** `deps =` blocks of tox.ini (continuation lines are indented). */
function readToxIni(text: string): string[] {
  const names: string[] = [];
  let inDeps = false;
  for (const line of text.split(/\r?\n/)) {
    const start = /^\s*deps\s*=\s*(.*)$/.exec(line);
    if (start !== null) {
      inDeps = true;
      const name = requirementName(start[1] ?? '');
      if (name !== undefined) names.push(name);
      continue;
    }
    if (!inDeps) continue;
    if (!/^\s+\S/.test(line)) {
      inDeps = false;
      continue;
    }
    const name = requirementName(line.replace(/^\s*[\w,-]+:\s*/, ''));
    if (name !== undefined) names.push(name);
  }
  return names;
}

function readPipfile(text: string): string[] {
  try {
    const document = parseToml(text) as Record<string, unknown>;
    return Object.entries(document)
      .filter(([section]) => section !== 'source' && section !== 'requires' && section !== 'scripts')
      .flatMap(([, value]) => Object.keys(record(value)));
  } catch {
    return [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

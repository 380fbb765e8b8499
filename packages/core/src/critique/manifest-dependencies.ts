// The dependency lens's manifest half (SPEC §8.3): a patch that adds a dependency gets a warning, because new
// third-party code deserves a human look even when it is declared properly. Names are compared, not versions:
// bumping or moving a dependency adds nothing.
import { parse as parseToml } from 'smol-toml';
import type { CritiqueFile, CritiqueFinding } from './types.js';

type ManifestKind = 'package.json' | 'pyproject.toml' | 'Cargo.toml' | 'go.mod' | 'requirements';

const PACKAGE_JSON_SECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const CARGO_SECTIONS = ['dependencies', 'dev-dependencies', 'build-dependencies'];
const REQUIREMENT_NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/u;

function manifestKind(path: string): ManifestKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'package.json' || name === 'pyproject.toml' || name === 'Cargo.toml' || name === 'go.mod') return name;
  return /^requirements.*\.txt$/iu.test(name) ? 'requirements' : undefined;
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** PEP 503 normalisation, so `Flask` -> `flask` or `typing_extensions` -> `typing-extensions` is not an addition. */
function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/gu, '-');
}

/** The distribution name of a PEP 508 requirement (`requests[socks]>=2; python_version<"4"`). */
function requirementName(requirement: string): string | undefined {
  return REQUIREMENT_NAME.exec(requirement)?.[1];
}

function packageJsonNames(text: string): string[] {
  const document = record(JSON.parse(text));
  return PACKAGE_JSON_SECTIONS.flatMap((section) => Object.keys(record(document[section])));
}

function pyprojectNames(text: string): string[] {
  const document = parseToml(text);
  const names: string[] = [];
  const addRequirements = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    for (const item of value as unknown[]) {
      const name = typeof item === 'string' ? requirementName(item) : undefined;
      if (name !== undefined) names.push(name);
    }
  };
  // Poetry lists the interpreter as a dependency; it is not a package.
  const addKeys = (value: unknown): void => {
    names.push(...Object.keys(record(value)).filter((key) => key.toLowerCase() !== 'python'));
  };
  const project = record(document.project);
  addRequirements(project.dependencies);
  for (const group of Object.values(record(project['optional-dependencies']))) addRequirements(group);
  for (const group of Object.values(record(document['dependency-groups']))) addRequirements(group);
  const poetry = record(record(document.tool).poetry);
  addKeys(poetry.dependencies);
  addKeys(poetry['dev-dependencies']);
  for (const group of Object.values(record(poetry.group))) addKeys(record(group).dependencies);
  return names;
}

function cargoNames(text: string): string[] {
  const document = parseToml(text);
  const tables = [document, ...Object.values(record(document.target))];
  const names = tables.flatMap((table) =>
    CARGO_SECTIONS.flatMap((section) => Object.keys(record(record(table)[section]))),
  );
  return [...names, ...Object.keys(record(record(document.workspace).dependencies))];
}

/** Module paths of `require` directives, single-line and block forms. */
function goModNames(text: string): string[] {
  const names: string[] = [];
  let inRequireBlock = false;
  for (const rawLine of text.split(/\r?\n/u)) {
    const line = rawLine.replace(/\/\/.*$/u, '').trim();
    if (inRequireBlock) {
      if (line === ')') inRequireBlock = false;
      else if (line !== '') names.push(line.split(/\s+/u)[0] ?? '');
      continue;
    }
    if (/^require\s*\($/u.test(line)) inRequireBlock = true;
    else {
      const single = /^require\s+(\S+)/u.exec(line)?.[1];
      if (single !== undefined) names.push(single);
    }
  }
  return names.map((name) => name.replace(/^"(.*)"$/u, '$1')).filter((name) => name !== '');
}

function requirementsNames(text: string): string[] {
  const names: string[] = [];
  for (const rawLine of text.split(/\r?\n/u)) {
    const line = rawLine.replace(/(?:^|\s)#.*$/u, '').trim();
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/u.exec(rawLine)?.[1];
    if (egg !== undefined) names.push(egg);
    // Options (-r other.txt, --index-url) and bare URLs name no distribution of their own.
    else if (line !== '' && !line.startsWith('-') && !/^[a-z+]+:\/\//iu.test(line)) {
      const name = requirementName(line);
      if (name !== undefined) names.push(name);
    }
  }
  return names;
}

/** Declared names keyed by their comparison form (the value is the spelling shown); undefined when unparseable. */
function declaredNames(kind: ManifestKind, text: string | null): Map<string, string> | undefined {
  if (text === null) return new Map();
  let names: string[];
  try {
    if (kind === 'package.json') names = packageJsonNames(text);
    else if (kind === 'pyproject.toml') names = pyprojectNames(text);
    else if (kind === 'Cargo.toml') names = cargoNames(text);
    else if (kind === 'go.mod') names = goModNames(text);
    else names = requirementsNames(text);
  } catch {
    return undefined;
  }
  const python = kind === 'pyproject.toml' || kind === 'requirements';
  return new Map(names.map((name) => [python ? normalizePythonName(name) : name, name]));
}

export function critiqueManifestAdditions(files: readonly CritiqueFile[]): CritiqueFinding[] {
  const findings: CritiqueFinding[] = [];
  for (const file of files) {
    const kind = manifestKind(file.path);
    if (kind === undefined || file.after === null) continue;
    const before = declaredNames(kind, file.before);
    const after = declaredNames(kind, file.after);
    // An unparseable side means we cannot tell what was added; the syntax of manifests is not this lens's business.
    if (before === undefined || after === undefined) continue;
    const added = [...new Set([...after].filter(([key]) => !before.has(key)).map(([, name]) => name))];
    if (added.length === 0) continue;
    findings.push({
      lens: 'dependency',
      severity: 'warning',
      message: `adds ${added.length === 1 ? 'dependency' : 'dependencies'} ${added.join(', ')} to ${file.path}`,
      file: file.path,
      hunk_ids: file.hunk_ids,
    });
  }
  return findings;
}

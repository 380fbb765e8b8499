import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { ProjectFileSystem } from '../overlay.js';
import { ancestors, memo } from '../project-cache.js';

export interface CargoPackage {
  readonly manifest: string;
  readonly directory: string;
  /** The library crate's import name (`[lib] name` or the package name with `-` -> `_`). */
  readonly libraryName: string | undefined;
  /** Import names of every dependency table: normal, dev, build and target-specific (keys are the import names). */
  readonly dependencies: ReadonlySet<string>;
  /** Explicit target roots from `[lib] path` / `[[bin]] path` / tests / examples / benches. */
  readonly explicitRoots: readonly string[];
}

const DEPENDENCY_TABLES = ['dependencies', 'dev-dependencies', 'build-dependencies'];
// Published crates whose library name is not their package name with `-` -> `_`.
const LIBRARY_NAMES: Readonly<Record<string, string>> = {
  'md-5': 'md5',
  'sha-1': 'sha1',
  'rust-ini': 'ini',
  'xml-rs': 'xml',
  'rust-crypto': 'crypto',
  inflector: 'inflector',
  'rustc-hash': 'rustc_hash',
  'derive-new': 'derive_new',
};
const crateName = (name: string) => LIBRARY_NAMES[name.toLowerCase()] ?? name.replace(/-/g, '_');

/** The nearest Cargo.toml with a [package] table above the file, or undefined. */
export function findCargoPackage(fileSystem: ProjectFileSystem, fromFile: string): CargoPackage | undefined {
  for (const directory of ancestors(path.dirname(fromFile))) {
    const manifest = path.join(directory, 'Cargo.toml');
    if (!fileSystem.fileExists(manifest)) continue;
    const parsed = memo({
      fileSystem,
      key: `cargo:${manifest}`,
      dependsOn: [manifest],
      compute: (files) => readCargoPackage(files, manifest),
    });
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

function readCargoPackage(fileSystem: ProjectFileSystem, manifest: string): CargoPackage | undefined {
  const document = readToml(fileSystem, manifest);
  const packageTable = record(document?.package);
  if (document === undefined || Object.keys(packageTable).length === 0) return undefined;
  const directory = path.dirname(manifest);
  const dependencies = new Set<string>();
  const addTable = (table: unknown) => {
    for (const [key, value] of Object.entries(record(table))) {
      dependencies.add(crateName(key));
      // Renamed packages are imported by their key; the package's own name is added too for `extern crate` forms.
      const packageName = record(value).package;
      if (typeof packageName === 'string') dependencies.add(crateName(packageName));
    }
  };
  for (const table of DEPENDENCY_TABLES) addTable(document[table]);
  for (const target of Object.values(record(document.target))) {
    for (const table of DEPENDENCY_TABLES) addTable(record(target)[table]);
  }
  const library = record(document.lib);
  const packageName = typeof packageTable.name === 'string' ? packageTable.name : undefined;
  const libraryName =
    typeof library.name === 'string' ? library.name : packageName === undefined ? undefined : crateName(packageName);
  const explicitRoots: string[] = [];
  if (typeof library.path === 'string') explicitRoots.push(path.resolve(directory, library.path));
  for (const section of ['bin', 'test', 'example', 'bench']) {
    const targets = document[section];
    if (!Array.isArray(targets)) continue;
    for (const target of targets) {
      const targetPath = record(target).path;
      if (typeof targetPath === 'string') explicitRoots.push(path.resolve(directory, targetPath));
    }
  }
  return { manifest, directory, libraryName, dependencies, explicitRoots };
}

function readToml(fileSystem: ProjectFileSystem, file: string): Record<string, unknown> | undefined {
  const text = fileSystem.readFile(file);
  if (text === undefined) return undefined;
  try {
    return parseToml(text);
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Crate roots that may contain the file, most likely first: the file itself when it is a root, the root of its
 * target directory (src/bin/x/main.rs, tests/x/main.rs...), then src/lib.rs and src/main.rs.
 */
export function crateRootsFor(fileSystem: ProjectFileSystem, cargo: CargoPackage, fromFile: string): string[] {
  const roots: string[] = [];
  const add = (file: string) => {
    if (!roots.includes(file) && fileSystem.fileExists(file)) roots.push(file);
  };
  const relative = path.relative(cargo.directory, fromFile).split(path.sep);
  const [top, second] = relative;
  if (cargo.explicitRoots.includes(fromFile)) add(fromFile);
  if (relative.length === 1 && top === 'build.rs') add(fromFile);
  const isTargetDirectory =
    top === 'tests' || top === 'examples' || top === 'benches' || (top === 'src' && second === 'bin');
  if (isTargetDirectory) {
    const base = top === 'src' ? path.join(cargo.directory, 'src', 'bin') : path.join(cargo.directory, top ?? '');
    const depthInBase = top === 'src' ? relative.slice(2) : relative.slice(1);
    if (depthInBase.length === 1) add(fromFile);
    else if (depthInBase[0] !== undefined) add(path.join(base, depthInBase[0], 'main.rs'));
    // A shared helper (tests/common/mod.rs) belongs to whichever target declares it: no root we can name.
    return roots;
  }
  for (const root of cargo.explicitRoots) add(root);
  add(path.join(cargo.directory, 'src', 'lib.rs'));
  add(path.join(cargo.directory, 'src', 'main.rs'));
  if (roots.length === 0 && relative[0] !== 'src') add(fromFile);
  return roots;
}

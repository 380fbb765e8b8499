import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ts } from './compiler.js';
import type { TypeScript } from './compiler.js';
import type { ProjectFileSystem } from '../overlay.js';
import { ancestors, memo } from '../project-cache.js';

export interface LoadedTsConfig {
  /** The config file, or undefined when the project has none (defaults apply). */
  readonly file: string | undefined;
  readonly options: TypeScript.CompilerOptions;
}

// Spec §4.7: `bundler` resolution with allowJs when the project has no tsconfig/jsconfig.
const DEFAULT_OPTIONS: TypeScript.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  resolveJsonModule: true,
};

export function moduleResolutionHost(
  fileSystem: ProjectFileSystem,
): TypeScript.ModuleResolutionHost & TypeScript.ParseConfigHost {
  return {
    fileExists: (file) => fileSystem.fileExists(file),
    readFile: (file) => fileSystem.readFile(file),
    directoryExists: (directory) => fileSystem.directoryExists(directory),
    getDirectories: (directory) =>
      fileSystem
        .readDirectory(directory)
        .filter((entry) => entry.isDirectory)
        .map((entry) => entry.name),
    realpath: (file) => {
      // Overlay files exist only in memory; symlinked packages (pnpm, workspaces) need the real path.
      try {
        return realpathSync(file);
      } catch {
        return file;
      }
    },
    getCurrentDirectory: () => fileSystem.projectRoot,
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: (root, extensions, excludes, includes, depth) =>
      ts.sys.readDirectory(root, extensions, excludes, includes, depth),
  };
}

/**
 * Every config that may govern the file: the nearest tsconfig.json/jsconfig.json (up to the project root) and, for a
 * solution-style config (`references`), the referenced configs. Resolution succeeds if any of them resolves.
 */
export function tsConfigsFor(fileSystem: ProjectFileSystem, fromFile: string): readonly LoadedTsConfig[] {
  for (const directory of ancestors(path.dirname(fromFile), fileSystem.projectRoot)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = path.join(directory, name);
      if (!fileSystem.fileExists(file)) continue;
      return memo({
        fileSystem,
        key: `tsconfig:${file}`,
        dependsOn: [file],
        compute: (files) => {
          const main = loadTsConfig(files, file);
          const referenced = main.references.map((reference) => loadTsConfig(files, reference).config);
          return [main.config, ...referenced];
        },
      });
    }
  }
  return [{ file: undefined, options: DEFAULT_OPTIONS }];
}

function loadTsConfig(
  fileSystem: ProjectFileSystem,
  file: string,
): { config: LoadedTsConfig; references: readonly string[] } {
  const host = moduleResolutionHost(fileSystem);
  const text = fileSystem.readFile(file);
  const json = text === undefined ? { config: {} } : ts.parseConfigFileTextToJson(file, text);
  const parsed = ts.parseJsonConfigFileContent(json.config ?? {}, host, path.dirname(file), undefined, file);
  const options: TypeScript.CompilerOptions = {
    ...parsed.options,
    // JS sources and JSON imports exist whatever the config says; the checker, not resolution, enforces those flags.
    allowJs: true,
    resolveJsonModule: true,
    noEmit: true,
  };
  if (options.moduleResolution === undefined) {
    const moduleKind = options.module;
    options.moduleResolution =
      moduleKind === ts.ModuleKind.Node16 || moduleKind === ts.ModuleKind.NodeNext
        ? ts.ModuleResolutionKind.NodeNext
        : ts.ModuleResolutionKind.Bundler;
  }
  if (options.moduleResolution === ts.ModuleResolutionKind.Bundler && !isEsModuleKind(options.module)) {
    options.module = ts.ModuleKind.ESNext;
  }
  const references = (parsed.projectReferences ?? []).map((reference) =>
    reference.path.endsWith('.json') ? reference.path : path.join(reference.path, 'tsconfig.json'),
  );
  return { config: { file, options }, references };
}

function isEsModuleKind(kind: TypeScript.ModuleKind | undefined): boolean {
  return kind !== undefined && kind >= ts.ModuleKind.ES2015 && kind <= ts.ModuleKind.ESNext;
}

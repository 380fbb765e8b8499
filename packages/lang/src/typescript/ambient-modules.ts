import path from 'node:path';
import type { ProjectFileSystem } from '../overlay.js';
import { memo } from '../project-cache.js';

const AMBIENT_MODULE = /declare\s+module\s+(['"])([^'"]+)\1/g;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', '.turbo', 'target']);
const MAX_FILES = 5_000;

/**
 * Whether a project declaration file declares the module (`declare module 'virtual:icons'`, `declare module '*.svg'`).
 * TypeScript accepts such imports, so an unresolved bare specifier covered by one is not a finding.
 */
export function ambientModuleMatches(fileSystem: ProjectFileSystem, specifier: string): boolean {
  const patterns = memo({
    fileSystem,
    key: 'ambient-modules',
    dependsOn: fileSystem.touchedFiles().filter((file) => /\.d\.[mc]?ts$/.test(file)),
    compute: (files) => collectAmbientModules(files),
  });
  return patterns.some((pattern) => {
    const star = pattern.indexOf('*');
    if (star === -1) return pattern === specifier;
    return specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1));
  });
}

function collectAmbientModules(fileSystem: ProjectFileSystem): string[] {
  const patterns: string[] = [];
  let visited = 0;
  const walk = (directory: string): void => {
    for (const entry of fileSystem.readDirectory(directory)) {
      if (visited >= MAX_FILES) return;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) walk(full);
        continue;
      }
      if (!/\.d\.[mc]?ts$/.test(entry.name)) continue;
      visited += 1;
      const text = fileSystem.readFile(full) ?? '';
      for (const match of text.matchAll(AMBIENT_MODULE)) if (match[2] !== undefined) patterns.push(match[2]);
    }
  };
  walk(fileSystem.projectRoot);
  return patterns;
}

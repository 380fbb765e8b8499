import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TempProject } from './fixtures.test-helpers.js';
import { tempProject } from './fixtures.test-helpers.js';
import { createOverlay, createProjectFileSystem } from './overlay.js';
import { resolveImport } from './resolve-import.js';

describe('overlay file system', () => {
  let project: TempProject;
  beforeEach(() => {
    project = tempProject();
    project.write({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
  });
  afterEach(() => project.cleanup());

  it('shows created files and directories, hides deleted files and reads post-images', () => {
    const overlay = createOverlay(
      new Map<string, string | null>([
        ['src/new/deep/c.ts', 'export const c = 1;\n'],
        ['src/b.ts', null],
        ['./src/a.ts', 'export const a = 2;\n'],
      ]),
    );
    const files = createProjectFileSystem(project.root, overlay);
    const at = (relative: string) => path.join(project.root, relative);
    expect(files.fileExists(at('src/new/deep/c.ts'))).toBe(true);
    expect(files.directoryExists(at('src/new/deep'))).toBe(true);
    expect(files.fileExists(at('src/b.ts'))).toBe(false);
    expect(files.readFile(at('src/b.ts'))).toBeUndefined();
    expect(files.readFile(at('src/a.ts'))).toBe('export const a = 2;\n');
    expect(files.touches(at('src/a.ts'))).toBe(true);
    expect(files.touches(at('src/c.ts'))).toBe(false);
    const entries = files.readDirectory(at('src')).map((entry) => `${entry.name}${entry.isDirectory ? '/' : ''}`);
    expect(entries.sort()).toEqual(['a.ts', 'new/']);
  });

  it('reports a language without a resolver as unknown', () => {
    const result = resolveImport({
      projectRoot: project.root,
      fromFile: 'README.md',
      specifier: './a',
      overlay: createOverlay({}),
    });
    expect(result.kind).toBe('unknown');
  });
});

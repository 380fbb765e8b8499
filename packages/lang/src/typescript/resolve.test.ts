import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from '../fixtures.test-helpers.js';
import { tempProject } from '../fixtures.test-helpers.js';
import { createOverlay, EMPTY_OVERLAY } from '../overlay.js';
import { resolveImport } from '../resolve-import.js';

const FROM = 'packages/app/src/index.ts';

describe('TS/JS import resolution in a workspace with tsconfig extends, paths and package exports', () => {
  let project: TempProject;
  const resolve = (specifier: string, fromFile = FROM, overlay = EMPTY_OVERLAY) =>
    resolveImport({ projectRoot: project.root, fromFile, specifier, overlay });

  beforeAll(() => {
    project = tempProject('ts-monorepo');
    // node_modules stubs live only in the temp copy: a committed node_modules would be ignored by git.
    project.write({
      'node_modules/@acme/tsconfig/package.json': '{ "name": "@acme/tsconfig", "version": "1.0.0" }',
      'node_modules/@acme/tsconfig/base.json':
        '{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext", "strict": true } }',
      'node_modules/left-pad/package.json': '{ "name": "left-pad", "version": "1.3.0", "main": "index.js" }',
      'node_modules/left-pad/index.js': 'module.exports = function leftPad() {};',
      'node_modules/exports-pkg/package.json':
        '{ "name": "exports-pkg", "exports": { ".": "./main.js", "./feature": "./feature.js" } }',
      'node_modules/exports-pkg/main.js': 'export const main = 1;',
      'node_modules/exports-pkg/feature.js': 'export const feature = 1;',
      'node_modules/transitive-only/package.json': '{ "name": "transitive-only", "main": "index.js" }',
      'node_modules/transitive-only/index.js': 'module.exports = 1;',
      'node_modules/@types/only-types/package.json': '{ "name": "@types/only-types", "types": "index.d.ts" }',
      'node_modules/@types/only-types/index.d.ts': 'export interface OnlyTypes { a: string }',
    });
  });
  afterAll(() => project.cleanup());

  it('resolves relative imports, including .js specifiers that name .ts sources and asset files', () => {
    expect(resolve('./util.js')).toEqual({ kind: 'project', file: 'packages/app/src/util.ts' });
    expect(resolve('./util')).toEqual({ kind: 'project', file: 'packages/app/src/util.ts' });
    expect(resolve('./styles.css')).toEqual({ kind: 'project', file: 'packages/app/src/styles.css' });
    expect(resolve('../src/components/Button.js')).toEqual({
      kind: 'project',
      file: 'packages/app/src/components/Button.tsx',
    });
  });

  it('fails a relative import of a missing file with a reason naming it', () => {
    const result = resolve('./missing-helper.js');
    expect(result.kind).toBe('unresolved');
    expect(result.kind === 'unresolved' && result.reason).toContain("'./missing-helper.js' does not exist");
    expect(resolve('./missing.css').kind).toBe('unresolved');
    // Build and codegen output may not exist before a build.
    expect(resolve('./__generated__/graphql.js').kind).toBe('unknown');
    expect(resolve('../dist/index.js').kind).toBe('unknown');
  });

  it('follows tsconfig paths from a config that extends a package config', () => {
    expect(resolve('@app/components/Button')).toEqual({
      kind: 'project',
      file: 'packages/app/src/components/Button.tsx',
    });
    const missing = resolve('@app/components/Hallucinated');
    expect(missing).toMatchObject({ kind: 'unresolved' });
    expect(missing.kind === 'unresolved' && missing.reason).toContain("path mapping '@app/*'");
  });

  it('resolves package.json "imports" subpaths and fails an undefined one', () => {
    expect(resolve('#config')).toEqual({ kind: 'project', file: 'packages/app/src/config.ts' });
    expect(resolve('#nothing')).toMatchObject({ kind: 'unresolved' });
  });

  it('treats Node built-ins with and without node: as builtin', () => {
    for (const specifier of ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'node:test', 'path']) {
      expect(resolve(specifier)).toEqual({ kind: 'builtin' });
    }
    expect(resolve('node:hallucinated')).toMatchObject({ kind: 'unresolved' });
  });

  it('classifies bare packages by installed and declared', () => {
    expect(resolve('left-pad')).toEqual({ kind: 'external', name: 'left-pad', declared: true, installed: true });
    expect(resolve('exports-pkg/feature')).toEqual({
      kind: 'external',
      name: 'exports-pkg',
      declared: true,
      installed: true,
    });
    expect(resolve('transitive-only')).toEqual({
      kind: 'external',
      name: 'transitive-only',
      declared: false,
      installed: true,
    });
    expect(resolve('declared-not-installed')).toEqual({
      kind: 'external',
      name: 'declared-not-installed',
      declared: true,
      installed: false,
    });
    // Declared in the workspace root's package.json, used from a member package.
    expect(resolve('vitest')).toMatchObject({ kind: 'external', declared: true });
    expect(resolve('only-types')).toMatchObject({ kind: 'external', installed: true });
    expect(resolve('@acme/utils')).toEqual({ kind: 'external', name: '@acme/utils', declared: true, installed: true });
  });

  it('resolves a symlinked workspace package to its source file', () => {
    symlinkSync(path.join(project.root, 'packages/utils'), path.join(project.root, 'node_modules/@acme/utils'), 'dir');
    expect(resolve('@acme/utils')).toEqual({ kind: 'project', file: 'packages/utils/src/index.ts' });
  });

  it('fails a hallucinated package with the reason naming it', () => {
    expect(resolve('stripe-sdk-hallucinated')).toEqual({
      kind: 'unresolved',
      reason: "'stripe-sdk-hallucinated' is not installed and not declared in package.json",
    });
    expect(resolve('@stripe/hallucinated/sub')).toMatchObject({ kind: 'unresolved' });
  });

  it('says nothing about undeclared tools in tests, stories and docs, but still checks their relative imports', () => {
    expect(resolve('fixturez-hallucinated', 'packages/app/src/index.test.ts').kind).toBe('unknown');
    expect(resolve('next-hallucinated/link', 'packages/app/docs/guide.tsx').kind).toBe('unknown');
    expect(resolve('./missing-helper.js', 'packages/app/src/index.test.ts').kind).toBe('unresolved');
  });

  it('says nothing about bundler queries, virtual modules, aliases and ambient module declarations', () => {
    for (const specifier of [
      './logo.svg?raw',
      'virtual:build-info',
      '~/components/x',
      '@/components/x',
      'data:text/js,1',
    ]) {
      expect(resolve(specifier).kind).toBe('unknown');
    }
    expect(resolve('undeclared-ambient.svg').kind).toBe('unknown');
  });

  it('sees files created by the patch and not files it deletes', () => {
    const created = createOverlay({ 'packages/app/src/new-feature.ts': 'export const x = 1;\n' });
    expect(resolve('./new-feature.js', FROM, created)).toEqual({
      kind: 'project',
      file: 'packages/app/src/new-feature.ts',
    });
    expect(resolve('./new-feature.js').kind).toBe('unresolved');
    const nested = createOverlay({ 'packages/app/src/feature/index.ts': 'export {};\n' });
    expect(resolve('./feature', FROM, nested)).toEqual({ kind: 'project', file: 'packages/app/src/feature/index.ts' });
    const deleted = createOverlay({ 'packages/app/src/util.ts': null });
    expect(resolve('./util.js', FROM, deleted).kind).toBe('unresolved');
  });

  it('sees a workspace package and an ambient module declaration added by the patch', () => {
    expect(resolve('@acme/brand-new').kind).toBe('unresolved');
    const overlay = createOverlay({
      'packages/brand-new/package.json': '{ "name": "@acme/brand-new", "exports": "./index.ts" }',
      'packages/brand-new/index.ts': 'export const x = 1;\n',
      'packages/app/src/assets.d.ts': "declare module 'icon-font-virtual';\n",
    });
    expect(resolve('@acme/brand-new', FROM, overlay)).toMatchObject({ kind: 'external', declared: true });
    expect(resolve('icon-font-virtual', FROM, overlay).kind).toBe('unknown');
    expect(resolve('icon-font-virtual').kind).toBe('unresolved');
  });

  it('reads a package.json edited by the patch without caching it', () => {
    const overlay = createOverlay({
      'packages/app/package.json': JSON.stringify({ name: '@acme/app', dependencies: { 'brand-new-dep': '1.0.0' } }),
    });
    expect(resolve('brand-new-dep', FROM, overlay)).toMatchObject({
      kind: 'external',
      declared: true,
      installed: false,
    });
    expect(resolve('brand-new-dep').kind).toBe('unresolved');
  });
});

describe('TS/JS resolution without manifests', () => {
  it('uses bundler defaults and fails a bare import when there is no package.json', () => {
    const project = tempProject();
    try {
      project.write({ 'main.js': "import x from 'x-hallucinated-zz';\n", 'lib/util.js': 'export const u = 1;\n' });
      const resolve = (specifier: string) =>
        resolveImport({ projectRoot: project.root, fromFile: 'main.js', specifier, overlay: EMPTY_OVERLAY });
      expect(resolve('./lib/util')).toEqual({ kind: 'project', file: 'lib/util.js' });
      expect(resolve('x-hallucinated-zz')).toEqual({
        kind: 'unresolved',
        reason: "'x-hallucinated-zz' is not installed and there is no package.json declaring it",
      });
    } finally {
      project.cleanup();
    }
  });

  it('honours jsconfig.json baseUrl imports', () => {
    const project = tempProject();
    try {
      project.write({
        'package.json': '{ "name": "site" }',
        'jsconfig.json': '{ "compilerOptions": { "baseUrl": "src" } }',
        'src/app.jsx': "import { api } from 'services/api';\n",
        'src/services/api.js': 'export const api = 1;\n',
      });
      expect(
        resolveImport({
          projectRoot: project.root,
          fromFile: 'src/app.jsx',
          specifier: 'services/api',
          overlay: EMPTY_OVERLAY,
        }),
      ).toEqual({ kind: 'project', file: 'src/services/api.js' });
    } finally {
      project.cleanup();
    }
  });
});

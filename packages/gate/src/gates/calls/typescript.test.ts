// The calls gate for TypeScript/JavaScript (SPEC §4.8) through verify() on real temp projects: missing exports,
// missing namespace members and wrong arity FAIL with a precise reason; re-export chains, default exports, CommonJS,
// overloads, optional/rest parameters, external packages and problems the pre-image already had stay silent.
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '../../verify.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

const BASE: Readonly<Record<string, string>> = {
  'package.json': JSON.stringify({ name: 'app', type: 'module', dependencies: { leftpad: '1.0.0' } }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, allowJs: true },
  }),
  'node_modules/leftpad/package.json': JSON.stringify({ name: 'leftpad', version: '1.0.0', main: 'index.js' }),
  'node_modules/leftpad/index.js': 'module.exports = { pad: (s) => s };\n',
  'src/user/format.ts': [
    'export interface User { readonly name: string }',
    'export function formatUser(user: User): string {',
    '  return user.name;',
    '}',
    'export function joinNames(separator: string, ...users: User[]): string {',
    '  return users.map(formatUser).join(separator);',
    '}',
    'export const greet = (user: User, greeting = "Hello", suffix?: string) => `${greeting} ${user.name}${suffix ?? ""}`;',
    'export function pick(value: string): string;',
    'export function pick(value: string, fallback: string, strict: boolean): string;',
    'export function pick(value: string, fallback?: string, strict?: boolean): string {',
    '  return strict === true ? value : (fallback ?? value);',
    '}',
    'export class Store {',
    '  constructor(private readonly path: string, readonly limit = 10) {}',
    '}',
    'export default function render(user: User): string {',
    '  return formatUser(user);',
    '}',
    '',
  ].join('\n'),
};

async function setup(files: Readonly<Record<string, string>> = {}): Promise<TempProject> {
  project = await createTempProject({ files: { ...BASE, ...files } });
  return project;
}

async function callsOf(root: string, files: Record<string, string>) {
  const result = await verify({ files }, { projectRoot: root });
  const [path] = Object.keys(files);
  return result.verdict.results.find((gate) => gate.check_name === 'calls' && gate.file === path);
}

describe('calls gate: TypeScript/JavaScript failures', () => {
  it('fails an imported name the project module does not export, suggesting the closest one', async () => {
    const { root } = await setup();
    const calls = await callsOf(root, {
      'src/api.ts': "import { formatUsers } from './user/format.js';\nexport const out = formatUsers([]);\n",
    });
    expect(calls).toMatchObject({
      status: 'FAIL',
      message: 'Call validation failed',
      line: 1,
      column: 10,
      details: "src/api.ts:1:10 'formatUsers' is not exported by ./user/format.js; did you mean 'formatUser'?",
    });
  });

  it('fails a call to a function that does not exist in an imported project namespace', async () => {
    const { root } = await setup();
    const calls = await callsOf(root, {
      'src/api.ts':
        "import * as format from './user/format.js';\nexport const out = format.formatUsr({ name: 'a' });\n",
    });
    expect(calls?.status).toBe('FAIL');
    expect(calls?.details).toBe(
      "src/api.ts:2:27 'formatUsr' is not exported by namespace 'format' (./user/format.js); did you mean 'formatUser'?",
    );
  });

  it('fails a wrong argument count on an imported project function, a same-file function and a constructor', async () => {
    const { root } = await setup();
    const calls = await callsOf(root, {
      'src/api.ts': [
        "import { formatUser, Store, greet } from './user/format.js';",
        'function local(a: number, b: number): number { return a + b; }',
        "export const a = formatUser({ name: 'a' }, 2);",
        'export const b = local(1);',
        'export const c = new Store();',
        'export const d = greet();',
        '',
      ].join('\n'),
    });
    expect(calls?.status).toBe('FAIL');
    expect(calls?.details?.split('; ')).toEqual([
      'src/api.ts:3:18 formatUser() expects 1 argument but got 2',
      'src/api.ts:4:18 local() expects 2 arguments but got 1',
      'src/api.ts:5:22 new Store() expects 1-2 arguments but got 0',
      'src/api.ts:6:18 greet() expects 1-3 arguments but got 0',
    ]);
  });

  it('fails a missing default export, a namespace call with the wrong arity and overloads that all mismatch', async () => {
    const { root } = await setup({ 'src/plain.ts': 'export const value = 1;\n' });
    const noDefault = await callsOf(root, { 'src/a.ts': "import value from './plain.js';\nexport const v = value;\n" });
    expect(noDefault?.details).toBe('src/a.ts:1:8 ./plain.js has no default export; did you mean { value }?');
    const overloads = await callsOf(root, {
      'src/b.ts': "import * as f from './user/format.js';\nexport const v = f.pick('a', 'b');\n",
    });
    expect(overloads?.details).toBe('src/b.ts:2:20 f.pick() expects 1 or 3 arguments but got 2');
  });

  it('follows export * chains to report a name no module in the chain exports', async () => {
    const { root } = await setup({
      'src/index.ts': "export * from './user/index.js';\n",
      'src/user/index.ts': "export * from './format.js';\nexport { formatUser as format } from './format.js';\n",
    });
    const calls = await callsOf(root, {
      'src/main.ts': "import { formatUserz, format } from './index.js';\nexport const v = format({ name: 'a' }, 1);\n",
    });
    expect(calls?.details?.split('; ')).toEqual([
      "src/main.ts:1:10 'formatUserz' is not exported by ./index.js",
      "did you mean 'formatUser'?",
      'src/main.ts:2:18 format() expects 1 argument but got 2',
    ]);
  });
});

describe('calls gate: TypeScript/JavaScript stays silent when the code is right or uncertain', () => {
  it('passes re-exports, default exports, namespaces, optional/rest parameters and overloads', async () => {
    const { root } = await setup({
      'src/index.ts': "export * from './user/index.js';\nexport * as models from './models.js';\n",
      'src/user/index.ts': "export * from './format.js';\nexport { default as render } from './format.js';\n",
      'src/models.ts': 'export type Id = string;\nexport const LIMIT = 3;\n',
    });
    const calls = await callsOf(root, {
      'src/main.ts': [
        "import render, { type User, Store } from './user/format.js';",
        "import { formatUser, joinNames, greet, pick, models } from './index.js';",
        "import * as all from './index.js';",
        "const user: User = { name: 'a' };",
        'const users = [user, user];',
        'export const out = [',
        '  render(user), formatUser(user), joinNames(","), joinNames(",", user, user), joinNames(",", ...users),',
        '  greet(user), greet(user, "Hi", "!"), pick("a"), pick("a", "b", true), models.LIMIT,',
        '  all.formatUser(user), all.render(user), new Store("p"), new Store("p", 2), new all.Store("x"),',
        '];',
        'export type Key = all.models.Id;',
        '',
      ].join('\n'),
    });
    expect(calls).toMatchObject({ status: 'PASS', message: 'All calls verified' });
  });

  it('accepts default imports of CommonJS modules and names CommonJS exports define', async () => {
    const { root } = await setup({
      'src/legacy.cjs': 'exports.helper = function (a, b) { return a + b; };\nmodule.exports.other = 1;\n',
      'src/dynamic.cjs': "for (const key of ['a', 'b']) exports[key] = key;\n",
    });
    const calls = await callsOf(root, {
      'src/main.js': [
        "import legacy, { helper, other } from './legacy.cjs';",
        "import dynamic, { a, anything } from './dynamic.cjs';",
        "const required = require('./legacy.cjs');",
        'export const out = [legacy, helper(1, 2), other, dynamic, a, anything, required.helper(1, 2)];',
        '',
      ].join('\n'),
    });
    expect(calls?.status).toBe('PASS');
  });

  it('reports a name a CommonJS module does not define', async () => {
    const { root } = await setup({ 'src/legacy.cjs': 'exports.helper = function (a, b) { return a + b; };\n' });
    const calls = await callsOf(root, {
      'src/main.cjs': "const legacy = require('./legacy.cjs');\nmodule.exports = legacy.helpr(1, 2);\n",
    });
    expect(calls?.details).toBe(
      "src/main.cjs:2:25 'helpr' is not exported by namespace 'legacy' (./legacy.cjs); did you mean 'helper'?",
    );
  });

  it('says nothing about external packages, JSON, shadowed names, spreads, optional calls and dynamic members', async () => {
    const { root } = await setup({ 'src/data.json': '{"a": 1}\n', 'src/star.ts': "export * from 'leftpad';\n" });
    const calls = await callsOf(root, {
      'src/main.ts': [
        "import { pad, nothing } from 'leftpad';",
        "import data from './data.json' with { type: 'json' };",
        "import { whatever } from './star.js';",
        "import { formatUser } from './user/format.js';",
        "import * as format from './user/format.js';",
        'function shadow(formatUser: (a: number, b: number) => string) { return formatUser(1, 2); }',
        'const args: [{ name: string }] = [{ name: "a" }];',
        'export const out = [pad("x", 1, 2), nothing, data, whatever, shadow, formatUser(...args)];',
        'export const maybe = typeof format.legacyHelper === "function" ? format.legacyHelper?.() : undefined;',
        '',
      ].join('\n'),
    });
    expect(calls?.status).toBe('PASS');
  });

  it('does not blame the patch for a problem the pre-image already had', async () => {
    const broken = "import { formatUsers } from './user/format.js';\nexport const a = formatUsers;\n";
    const { root } = await setup({ 'src/api.ts': broken });
    const calls = await callsOf(root, { 'src/api.ts': `${broken}export const b = 2;\n` });
    expect(calls?.status).toBe('PASS');
    const whole = await verify(
      {
        hunks: [{ id: 'h1', file_path: 'src/api.ts', action: 'INSERT', anchor_text: '', new_text: broken }],
        original_files: { 'src/api.ts': '' },
      },
      { projectRoot: root },
    );
    expect(whole.verdict.results.find((gate) => gate.check_name === 'calls')?.status).toBe('FAIL');
  });

  it('judges JavaScript callers of JavaScript functions only on too many arguments, as TypeScript does', async () => {
    const { root } = await setup({
      'src/util.js':
        'export function scale(value, factor) { return value * (factor ?? 1); }\nexport function sum() { return [...arguments].reduce((a, b) => a + b, 0); }\n',
    });
    const ok = await callsOf(root, {
      'src/a.js': "import { scale, sum } from './util.js';\nexport const v = [scale(1), scale(), sum(1, 2, 3)];\n",
    });
    expect(ok?.status).toBe('PASS');
    const tooMany = await callsOf(root, {
      'src/b.js': "import { scale } from './util.js';\nexport const v = scale(1, 2, 3);\n",
    });
    expect(tooMany?.details).toBe('src/b.js:2:18 scale() expects 0-2 arguments but got 3');
  });

  it('says nothing about decorated classes, calls through .call/.apply/.bind and stale workspace build output', async () => {
    const { root } = await setup({
      'src/model.ts': 'function sealed(target: unknown) { return target; }\n@sealed export class Model {}\n',
      'packages/shared/package.json': JSON.stringify({ name: '@app/shared', exports: { '.': './dist/index.js' } }),
      'packages/shared/dist/index.js': 'export const old = 1;\n',
    });
    await project?.write('pnpm-workspace.yaml', "packages:\n  - 'packages/*'\n");
    // The package manager links the workspace package: `@app/shared` resolves to its (stale) build output.
    await mkdir(join(root, 'node_modules/@app'), { recursive: true });
    await symlink(join(root, 'packages/shared'), join(root, 'node_modules/@app/shared'));
    const calls = await callsOf(root, {
      'src/main.ts': [
        "import { Model } from './model.js';",
        "import { formatUser } from './user/format.js';",
        "import { added } from '@app/shared';",
        "export const out = [new Model(1, 2), formatUser.call(null, { name: 'a' }, 2), formatUser.bind(null)(), added];",
        '',
      ].join('\n'),
    });
    expect(calls?.status).toBe('PASS');
  });

  it('lets a JavaScript importer use names the implementation exports beyond its declaration file', async () => {
    const { root } = await setup({
      'lib/util.d.ts': 'export declare function publicHelper(): void;\n',
      'lib/util.js': 'export function publicHelper() {}\nexport function internalHelper() {}\n',
    });
    const ok = await callsOf(root, {
      'lib/main.js':
        "import { publicHelper, internalHelper } from './util.js';\nexport const v = [publicHelper, internalHelper];\n",
    });
    expect(ok?.status).toBe('PASS');
    const missing = await callsOf(root, {
      'lib/other.js': "import { nowhereHelper } from './util.js';\nexport const v = nowhereHelper;\n",
    });
    expect(missing?.details).toBe("lib/other.js:1:10 'nowhereHelper' is not exported by ./util.js");
  });
});

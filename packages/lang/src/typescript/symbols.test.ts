// extractSymbols for TS/JS on realistic snippets: exports (ES modules, CommonJS, declaration files, JSDoc typedefs),
// declarations with call shapes and fingerprints, import bindings, re-exports and references.
import { describe, expect, it } from 'vitest';
import { extractSymbols } from '../symbols/extract.js';
import type { FileSymbols, SymbolDeclaration } from '../symbols/types.js';

const extract = (path: string, lines: readonly string[]): FileSymbols =>
  extractSymbols({
    language: /\.[cm]?jsx?$/.test(path) ? 'javascript' : 'typescript',
    path,
    text: `${lines.join('\n')}\n`,
  });

const named = (list: readonly SymbolDeclaration[], name: string) => list.find((entry) => entry.name === name);
const exportNames = (symbols: FileSymbols) => symbols.exports.map((entry) => entry.name).sort();

describe('TypeScript/JavaScript exports', () => {
  it('lists ES module exports of every declaration form, export lists and default', () => {
    const symbols = extract('src/user.ts', [
      'export function formatUser(user: User): string { return user.name; }',
      'export class Store {}',
      'export const LIMIT = 3, { a, b: [c] } = source;',
      'export let counter = 0;',
      'export enum Color { Red, Green = 2 }',
      'export interface User { readonly name: string }',
      'export type Id = string;',
      'export namespace Tools { export const x = 1; }',
      'function hidden() {}',
      'const internal = 1;',
      'export { internal as exposed, hidden };',
      'export default class Service {}',
    ]);
    expect(exportNames(symbols)).toEqual(
      [
        'Color',
        'Id',
        'LIMIT',
        'Store',
        'Tools',
        'User',
        'a',
        'c',
        'counter',
        'default',
        'exposed',
        'formatUser',
        'hidden',
      ].sort(),
    );
    expect(named(symbols.exports, 'exposed')).toMatchObject({ kind: 'constant', line: 10 });
    expect(named(symbols.exports, 'default')).toMatchObject({
      kind: 'class',
      callable: [{ required: 0, optional: 0, rest: false }],
    });
    expect(named(symbols.declarations, 'hidden')).toMatchObject({ kind: 'function', line: 9 });
    expect(named(symbols.declarations, 'Service')).toMatchObject({ kind: 'class' });
    expect(symbols.openExports).toBe(false);
  });

  it('records re-exports, including names re-exported from an import', () => {
    const symbols = extract('src/index.ts', [
      "import { helper } from './helper.js';",
      "import * as models from './models.js';",
      "export * from './format.js';",
      "export { a as b, default as render } from './render.js';",
      "export * as tools from './tools.js';",
      'export { helper as assist, models };',
    ]);
    expect(symbols.reExports).toEqual([
      { specifier: './format.js', kind: 'export-from', names: '*', line: 3 },
      {
        specifier: './render.js',
        kind: 'export-from',
        names: [
          { imported: 'a', exported: 'b' },
          { imported: 'default', exported: 'render' },
        ],
        line: 4,
      },
      { specifier: './tools.js', kind: 'export-from', names: [{ imported: '*', exported: 'tools' }], line: 5 },
      { specifier: './helper.js', kind: 'import', names: [{ imported: 'helper', exported: 'assist' }], line: 6 },
      { specifier: './models.js', kind: 'import', names: [{ imported: '*', exported: 'models' }], line: 6 },
    ]);
    expect(symbols.exports).toEqual([]);
  });

  it('reads simple CommonJS exports and adds the interop default', () => {
    const symbols = extract('lib/add.cjs', [
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'Object.defineProperty(exports, Symbol.toStringTag, { value: "Module" });',
      'exports.subtract = exports.add = void 0;',
      'exports.add = add;',
      'exports.subtract = (a, b) => a - b;',
      'module.exports.VERSION = "1";',
      'Object.defineProperty(exports, "lazy", { enumerable: true, get: function () { return 1; } });',
      'function add(a, b) { return a + b; }',
      'function scoped(exports) { exports.notExported = 1; }',
    ]);
    expect(exportNames(symbols)).toEqual(['VERSION', 'add', 'default', 'lazy', 'subtract']);
    expect(named(symbols.exports, 'add')).toMatchObject({
      kind: 'function',
      callable: [{ required: 0, optional: 2, rest: false }],
    });
    expect(named(symbols.exports, 'subtract')).toMatchObject({ kind: 'function' });
    expect(named(symbols.exports, 'lazy')?.callable).toBeUndefined();
    expect(symbols.openExports).toBe(false);
  });

  it('reads `module.exports = { ... }` literals and gives up on computed CommonJS exports', () => {
    const literal = extract('lib/a.js', ['function a() {}', 'module.exports = { a, b: 1, c() {} };']);
    expect(exportNames(literal)).toEqual(['a', 'b', 'c', 'default']);
    expect(literal.openExports).toBe(false);
    for (const lines of [
      ["var _index = require('./add.cjs');", 'Object.keys(_index).forEach((key) => { exports[key] = _index[key]; });'],
      ["__exportStar(require('./a'), exports);"],
      ['module.exports = function main() {};'],
      ["module.exports = { ...require('./a') };"],
      ["!function (e, t) { typeof exports == 'object' ? t(exports) : e.lib = t({}); }(this, function (e) {});"],
      ['window.lib = {};'],
    ]) {
      expect(extract('lib/b.js', lines).openExports).toBe(true);
    }
  });

  it('treats `export =`, ambient declaration files, scripts and unparsable files as open', () => {
    expect(extract('src/a.ts', ['function f() {}', 'export = f;']).openExports).toBe(true);
    expect(extract('types/a.d.ts', ["declare module 'lib' { export const x: number; }"]).openExports).toBe(true);
    expect(
      extract('types/b.d.ts', ['export declare const x: number;', 'declare global { interface Window { x: number } }'])
        .openExports,
    ).toBe(true);
    expect(extract('lib/flow.js', ['// @flow', 'export function f(x: ?string) {}']).openExports).toBe(true);
    expect(extract('lib/broken.ts', ['export function f( {', 'export const g = 1;']).openExports).toBe(true);
    expect(extract('src/script.ts', ['const x = 1;']).openExports).toBe(false);
  });

  it('exports every declaration of a declaration-file module without an export list', () => {
    const implicit = extract('types/a.d.ts', [
      "import { Base } from './base';",
      'declare function f(a: string): void;',
    ]);
    expect(exportNames(implicit)).toEqual(['f']);
    const explicit = extract('types/b.d.ts', [
      'declare function f(a: string): void;',
      'declare const g: 1;',
      'export { f };',
    ]);
    expect(exportNames(explicit)).toEqual(['f']);
  });

  it('exports JSDoc typedefs and callbacks of a JavaScript module', () => {
    const symbols = extract('src/types.js', [
      '/** @typedef {{ name: string, tags: { id: number }[] }} User */',
      '/** @callback OnUser',
      ' * @param {User} user',
      ' */',
      'export const x = 1;',
    ]);
    expect(exportNames(symbols)).toEqual(['OnUser', 'User', 'x']);
  });
});

describe('TypeScript/JavaScript declarations', () => {
  it('derives call shapes: optional, defaults, rest, destructuring, `this`, overloads', () => {
    const symbols = extract('src/api.ts', [
      'export function f(this: Window, a: string, { b = 1 }: { b?: number } = {}, ...rest: number[]): void {}',
      'export function g(a: string): void;',
      'export function g(a: string, b: number, c: boolean): void;',
      'export function g(a: string, b?: number, c?: boolean): void {}',
      'export const h = async (a: number, b = 2) => a + b;',
      'export function early(a = 1, b: string) {}',
      'export function generic<T>(value: T, done: void) {}',
      'export const typed: Handler = (a) => a;',
      'export class Store { constructor(private readonly path: string, limit?: number); constructor(path: string, limit?: number) {} }',
      'export class Child extends Store {}',
      '@sealed export class Decorated {}',
    ]);
    const shapes = (name: string) => named(symbols.declarations, name)?.callable;
    expect(shapes('f')).toEqual([{ required: 1, optional: 1, rest: true }]);
    expect(shapes('g')).toEqual([
      { required: 1, optional: 0, rest: false },
      { required: 3, optional: 0, rest: false },
    ]);
    expect(shapes('h')).toEqual([{ required: 1, optional: 1, rest: false }]);
    expect(shapes('early')).toEqual([{ required: 2, optional: 0, rest: false }]);
    expect(shapes('generic')).toEqual([{ required: 0, optional: 2, rest: false }]);
    expect(shapes('typed')).toBeUndefined();
    expect(shapes('Store')).toEqual([{ required: 1, optional: 1, rest: false }]);
    expect(shapes('Child')).toBeUndefined();
    expect(shapes('Decorated')).toBeUndefined();
  });

  it('lets a JavaScript function be called with fewer arguments, and with any number when it reads `arguments`', () => {
    const symbols = extract('src/util.js', [
      'function scale(value, factor) { return value * (factor || 1); }',
      'function sum() { return Array.prototype.reduce.call(arguments, (a, b) => a + b, 0); }',
      '/** @param {...number} values */',
      'function max(values) { return Math.max.apply(null, values); }',
      'let later = () => 1;',
      'later = () => 2;',
    ]);
    expect(named(symbols.declarations, 'scale')?.callable).toEqual([{ required: 0, optional: 2, rest: false }]);
    expect(named(symbols.declarations, 'sum')?.callable).toEqual([{ required: 0, optional: 0, rest: true }]);
    expect(named(symbols.declarations, 'max')?.callable).toEqual([{ required: 0, optional: 1, rest: true }]);
    expect(named(symbols.declarations, 'later')?.callable).toBeUndefined();
  });

  it('fingerprints what callers depend on and nothing else', () => {
    const fingerprint = (lines: readonly string[], name: string) =>
      named(extract('src/a.ts', lines).exports, name)?.fingerprint;
    const before = fingerprint(['export function f(a: string, b?: number): void { return; }'], 'f');
    expect(fingerprint(['/** docs */', 'export function f(a:string,  b?: number): void { other(); }'], 'f')).toBe(
      before,
    );
    expect(fingerprint(['export function f(a: string, b: number): void {}'], 'f')).not.toBe(before);
    expect(fingerprint(['export function f(a: string, b?: number): string { return a; }'], 'f')).not.toBe(before);
    const shape = fingerprint(['export class C { constructor(a: string) {} run() {} private x = 1; }'], 'C');
    expect(fingerprint(['export class C { constructor(a: string) {} run() { return 1; } private y = 2; }'], 'C')).toBe(
      shape,
    );
    expect(fingerprint(['export class C { constructor(a: string) {} run() {} stop() {} }'], 'C')).not.toBe(shape);
    const type = fingerprint(['export interface I { a: string; /* note */ b: number }'], 'I');
    expect(fingerprint(['export interface I {', '  a: string;', '  b: number;', '}'], 'I')).toBe(type);
    expect(fingerprint(['export interface I { a: string; b?: number }'], 'I')).not.toBe(type);
  });

  it('keeps signatures as written, up to the body', () => {
    const symbols = extract('src/a.ts', [
      '/** Formats. */',
      'export async function format(user: User,',
      '  options?: Options): Promise<string> {',
      '  return "";',
      '}',
      'export const double = (n: number): number => n * 2;',
      'export class Store extends Base implements Saver {',
      '  save() {}',
      '}',
    ]);
    expect(named(symbols.declarations, 'format')).toMatchObject({
      line: 2,
      endLine: 5,
      signature: 'export async function format(user: User,\n  options?: Options): Promise<string>',
    });
    expect(named(symbols.declarations, 'double')?.signature).toBe('export const double = (n: number): number =>');
    expect(named(symbols.declarations, 'Store')?.signature).toBe('export class Store extends Base implements Saver');
  });
});

describe('TypeScript/JavaScript imports and references', () => {
  it('lists one binding per imported name, with type-only flags and require forms', () => {
    const symbols = extract('src/main.ts', [
      "import render, { formatUser, type User, helper as assist } from './user.js';",
      "import type { Config } from './config.js';",
      "import * as models from './models.js';",
      "import './polyfill.js';",
      "import legacy = require('./legacy');",
      "const fs = require('node:fs');",
      "const { join, resolve: resolvePath } = require('node:path');",
      "const pick = require('./pick').pick;",
    ]);
    expect(
      symbols.imports.map(({ local, imported, specifier, kind, typeOnly }) => ({
        local,
        imported,
        specifier,
        kind,
        typeOnly,
      })),
    ).toEqual([
      { local: 'render', imported: 'default', specifier: './user.js', kind: 'import', typeOnly: false },
      { local: 'formatUser', imported: 'formatUser', specifier: './user.js', kind: 'import', typeOnly: false },
      { local: 'User', imported: 'User', specifier: './user.js', kind: 'import', typeOnly: true },
      { local: 'assist', imported: 'helper', specifier: './user.js', kind: 'import', typeOnly: false },
      { local: 'Config', imported: 'Config', specifier: './config.js', kind: 'import', typeOnly: true },
      { local: 'models', imported: '*', specifier: './models.js', kind: 'import', typeOnly: false },
      { local: '', imported: '*', specifier: './polyfill.js', kind: 'import', typeOnly: undefined },
      { local: 'legacy', imported: '*', specifier: './legacy', kind: 'import-equals', typeOnly: false },
      { local: 'fs', imported: '*', specifier: 'node:fs', kind: 'require', typeOnly: undefined },
      { local: 'join', imported: 'join', specifier: 'node:path', kind: 'require', typeOnly: undefined },
      { local: 'resolvePath', imported: 'resolve', specifier: 'node:path', kind: 'require', typeOnly: undefined },
      { local: 'pick', imported: 'pick', specifier: './pick', kind: 'require', typeOnly: undefined },
    ]);
    expect(named(symbols.imports as never, 'formatUser')).toBeUndefined();
    expect(symbols.imports[1]).toMatchObject({ line: 1, column: 18 });
  });

  it('ignores require when the file defines its own', () => {
    const symbols = extract('lib/amd.js', [
      "define(function (require) { var a = require('./a'); });",
      "var b = require('./b');",
    ]);
    expect(symbols.imports).toEqual([]);
  });

  it('records calls, new and namespace members, skipping shadowed, optional, decorator and feature-test uses', () => {
    const symbols = extract('src/main.ts', [
      "import { format, Store, decorate } from './user.js';",
      "import * as models from './models.js';",
      'function local(a: number) { return a; }',
      'format(1, 2); new Store(); local(...[1]);',
      'models.create(1); models.LIMIT; let t: models.Id;',
      'function inner(format: unknown) { format(); const local = 1; }',
      'for (const models of []) models.nothing;',
      'format?.(); models.maybe?.(); if (models.flag) {} typeof models.fn; models.x === undefined;',
      'class C { @decorate() m() {} }',
      '<T,>(x: T) => x;',
    ]);
    expect(
      symbols.references.map(({ kind, name, member, line, arguments: args }) => ({ kind, name, member, line, args })),
    ).toEqual([
      { kind: 'call', name: 'format', member: undefined, line: 4, args: { count: 2, spread: false } },
      { kind: 'new', name: 'Store', member: undefined, line: 4, args: { count: 0, spread: false } },
      { kind: 'call', name: 'local', member: undefined, line: 4, args: { count: 1, spread: true } },
      { kind: 'call', name: 'models', member: 'create', line: 5, args: { count: 1, spread: false } },
      { kind: 'member', name: 'models', member: 'LIMIT', line: 5, args: undefined },
      { kind: 'member', name: 'models', member: 'Id', line: 5, args: undefined },
    ]);
  });

  it('does not record uses of reassigned or doubly bound names, nor members of a mutated require result', () => {
    const symbols = extract('lib/a.js', [
      "var a = require('./a');",
      "var a = require('./b');",
      "let c = require('./c');",
      'c = wrap(c);',
      "const d = require('./d');",
      'd.extra = 1;',
      'a.x(); c.y(); d.z; d.extra();',
    ]);
    expect(symbols.references).toEqual([]);
  });
});

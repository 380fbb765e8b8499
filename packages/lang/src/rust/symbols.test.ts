import { describe, expect, it } from 'vitest';
import { extractSymbols } from '../symbols/extract.js';
import type { FileSymbols, SymbolDeclaration } from '../symbols/types.js';

const extract = (lines: readonly string[]): FileSymbols =>
  extractSymbols({ language: 'rust', path: 'src/lib.rs', text: lines.join('\n') });
const names = (declarations: readonly SymbolDeclaration[]) => declarations.map((declaration) => declaration.name);
const declaration = (symbols: FileSymbols, name: string) =>
  symbols.declarations.find((candidate) => candidate.name === name);
const fingerprint = (lines: readonly string[], name: string) => declaration(extract(lines), name)?.fingerprint;

describe('Rust symbols: items and visibility', () => {
  const symbols = extract([
    'pub fn charge(amount: u32, currency: &str) -> u32 { amount }',
    'pub(crate) const LIMIT: u32 = 10;',
    'pub(super) static COUNTER: u32 = 0;',
    'pub(in crate::billing) struct Invoice { pub total: u32, secret: u32 }',
    'pub(self) enum Hidden { A }',
    'fn helper() {}',
    'pub trait Render { fn render(&self) -> String; }',
    'pub type Id = u64;',
    'pub union Bits { a: u32, b: f32 }',
    'pub mod billing;',
    'mod inner {',
    '    pub fn nested(a: u8) {}',
    '    fn hidden() {}',
    '}',
    'macro_rules! local { () => {}; }',
    '#[macro_export]',
    'macro_rules! exported { ($e:expr) => { $e }; }',
    'impl Invoice { pub fn new() -> Self { todo!() } }',
    'const _: () = ();',
    'extern "C" { pub fn abs(x: i32) -> i32; fn printf(format: *const u8, ...) -> i32; }',
  ]);

  it('declares every module-level item, inline-module items under their path, never methods', () => {
    expect(names(symbols.declarations)).toEqual([
      'charge',
      'LIMIT',
      'COUNTER',
      'Invoice',
      'Hidden',
      'helper',
      'Render',
      'Id',
      'Bits',
      'billing',
      'inner',
      'inner::nested',
      'inner::hidden',
      'local',
      'exported',
      'abs',
      'printf',
    ]);
    expect(symbols.declarations.map((entry) => entry.kind)).toEqual([
      'function',
      'constant',
      'variable',
      'struct',
      'enum',
      'function',
      'trait',
      'type',
      'struct',
      'module',
      'module',
      'function',
      'function',
      'macro',
      'macro',
      'function',
      'function',
    ]);
  });

  it('exports what is visible outside its module: pub, pub(crate), pub(super), pub(in ...), #[macro_export]', () => {
    expect(names(symbols.exports)).toEqual([
      'charge',
      'LIMIT',
      'COUNTER',
      'Invoice',
      'Render',
      'Id',
      'Bits',
      'billing',
      'inner::nested',
      'exported',
      'abs',
    ]);
    expect(symbols.openExports).toBe(false);
  });

  it('gives free functions their exact call shape and signature text', () => {
    expect(declaration(symbols, 'charge')).toMatchObject({
      signature: 'pub fn charge(amount: u32, currency: &str) -> u32',
      callable: [{ required: 2, optional: 0, rest: false }],
      line: 1,
      endLine: 1,
    });
    expect(declaration(symbols, 'inner::nested')?.callable).toEqual([{ required: 1, optional: 0, rest: false }]);
    expect(declaration(symbols, 'abs')?.callable).toEqual([{ required: 1, optional: 0, rest: false }]);
    // C variadics take any count.
    expect(declaration(symbols, 'printf')?.callable).toBeUndefined();
    expect(declaration(symbols, 'LIMIT')?.signature).toBe('pub(crate) const LIMIT: u32');
  });

  it('leaves out call shapes that depend on cfg or on a proc-macro attribute', () => {
    const shaped = extract([
      'pub fn a(x: u8, #[cfg(feature = "y")] y: u8) {}',
      '#[tracing::instrument]',
      'pub fn b(x: u8) {}',
      '#[cfg(unix)]',
      'pub fn c(x: u8) {}',
      '#[inline]',
      '#[must_use]',
      'pub fn d(x: u8) -> u8 { x }',
    ]);
    // The proc-macro attribute on b also opens the module, so the cfg'd c may have a macro-made alternative.
    expect(shaped.declarations.map((entry) => entry.callable?.[0]?.required)).toEqual([
      undefined,
      undefined,
      undefined,
      1,
    ]);
    expect(extract(['#[cfg(unix)]', 'pub fn c(x: u8) {}']).declarations[0]?.callable).toEqual([
      { required: 1, optional: 0, rest: false },
    ]);
    // In a module macros add to, a cfg'd function may have a macro-made alternative.
    const open = extract(['#[cfg(unix)]', 'pub fn c(x: u8) {}', 'make_items!();']);
    expect(declaration(open, 'c')?.callable).toBeUndefined();
    expect(open.openExports).toBe(true);
  });
});

describe('Rust symbols: fingerprints (§4.5)', () => {
  it('changes with the signature, not with the body, comments or layout', () => {
    const base = fingerprint(['pub fn f(a: u32) -> u32 { a }'], 'f');
    expect(fingerprint(['pub fn f(a: u32) -> u32 {', '    a + 1', '}'], 'f')).toBe(base);
    expect(fingerprint(['pub fn f(', '    a: u32, // the amount', ') -> u32 { a }'], 'f')).toBe(base);
    expect(fingerprint(['pub fn f(a: u64) -> u32 { 0 }'], 'f')).not.toBe(base);
    expect(fingerprint(['pub fn f(a: u32, b: u32) -> u32 { a }'], 'f')).not.toBe(base);
  });

  it('structs: public fields only; enums: variants; traits: member signatures', () => {
    const struct = fingerprint(['pub struct S { pub a: u32, b: u32 }'], 'S');
    expect(fingerprint(['pub struct S { pub a: u32, b: String, c: u8 }'], 'S')).toBe(struct);
    expect(fingerprint(['pub struct S { pub a: u64, b: u32 }'], 'S')).not.toBe(struct);
    expect(fingerprint(['pub struct T(pub u32, u8);'], 'T')).toBe(fingerprint(['pub struct T(pub u32, u16);'], 'T'));
    const enumeration = fingerprint(['pub enum E { A, B(u32) }'], 'E');
    expect(fingerprint(['pub enum E { A, B(u32), C }'], 'E')).not.toBe(enumeration);
    const trait = fingerprint(['pub trait T { fn m(&self) -> u8 { 1 } }'], 'T');
    expect(fingerprint(['pub trait T { fn m(&self) -> u8 { 2 } }'], 'T')).toBe(trait);
    expect(fingerprint(['pub trait T { fn m(&self, x: u8) -> u8 { 1 } }'], 'T')).not.toBe(trait);
    expect(fingerprint(['pub const C: u32 = 1;'], 'C')).toBe(fingerprint(['pub const C: u32 = 2;'], 'C'));
  });
});

describe('Rust symbols: imports and re-exports', () => {
  it('has one binding per use leaf with the full path as specifier, globs as *, aliases and self', () => {
    const symbols = extract([
      'use crate::billing::{charge, tax::{self, rate as r}, *};',
      'use std::collections::HashMap;',
      'extern crate alloc as heap;',
    ]);
    expect(symbols.imports.map(({ local, imported, specifier, kind }) => [local, imported, specifier, kind])).toEqual([
      ['charge', 'charge', 'crate::billing::charge', 'rust-use'],
      ['tax', 'tax', 'crate::billing::tax', 'rust-use'],
      ['r', 'rate', 'crate::billing::tax::rate', 'rust-use'],
      ['*', '*', 'crate::billing', 'rust-use'],
      ['HashMap', 'HashMap', 'std::collections::HashMap', 'rust-use'],
      ['heap', 'alloc', 'alloc', 'rust-extern-crate'],
    ]);
    expect(symbols.imports[0]).toMatchObject({ line: 1, column: 22 });
    expect(symbols.reExports).toEqual([]);
  });

  it('records pub use (restricted ones too) as re-exports, globs with names *', () => {
    const symbols = extract(['pub use self::a::Item;', 'pub(crate) use b::helper as h;', 'pub use c::*;', 'use d::x;']);
    expect(symbols.reExports.map(({ specifier, names: reExported }) => [specifier, reExported])).toEqual([
      ['self::a::Item', [{ imported: 'Item', exported: 'Item' }]],
      ['b::helper', [{ imported: 'helper', exported: 'h' }]],
      ['c', '*'],
    ]);
    expect(symbols.imports.map((entry) => entry.local)).toEqual(['Item', 'h', '*', 'x']);
  });

  it('names bindings of inline modules by their path and rewrites self/super relative to the file', () => {
    const symbols = extract([
      'fn helper() {}',
      '#[cfg(test)]',
      'mod tests {',
      '    use super::*;',
      '    use super::helper as h;',
      '    use self::deep::f;',
      '    mod deep { pub fn f() {} }',
      '}',
    ]);
    expect(symbols.imports.map(({ local, specifier }) => [local, specifier])).toEqual([
      ['tests::*', 'self'],
      ['tests::h', 'self::helper'],
      ['tests::f', 'self::tests::deep::f'],
    ]);
    expect(names(symbols.declarations)).toEqual(['helper', 'tests', 'tests::deep', 'tests::deep::f']);
  });
});

describe('Rust symbols: open modules', () => {
  it('is open when item-level macros, include! or proc-macro attributes may add names', () => {
    expect(extract(['lazy_static! { static ref X: u8 = 1; }']).openExports).toBe(true);
    expect(extract(['include!(concat!(env!("OUT_DIR"), "/gen.rs"));']).openExports).toBe(true);
    expect(extract(['#[wasm_bindgen]', 'pub fn f() {}']).openExports).toBe(true);
    expect(extract(['#[cfg_attr(feature = "x", my_macro)]', 'pub fn f() {}']).openExports).toBe(true);
  });

  it('stays closed for macro definitions, static assertions, builtin attributes and derive helpers', () => {
    const closed = extract([
      'macro_rules! m { () => {}; }',
      'compile_error!("no");',
      'const_assert!(1 == 1);',
      '#[derive(Debug, Clone, Serialize)]',
      '#[serde(rename_all = "camelCase")]',
      'pub struct S { a: u8 }',
      '#[allow(dead_code)] #[doc(hidden)] #[rustfmt::skip] #[clippy::msrv = "1.60"]',
      'pub fn f() {}',
    ]);
    expect(closed.openExports).toBe(false);
  });

  it('marks an open inline module with a declaration `<path>::*` and leaves the file module closed', () => {
    const symbols = extract(['pub fn f() {}', 'mod tests {', '    proptest! { fn p(x: u8) {} }', '}']);
    expect(symbols.openExports).toBe(false);
    expect(declaration(symbols, 'tests::*')).toMatchObject({ kind: 'unknown' });
  });
});

describe('Rust symbols: call references', () => {
  const calls = (lines: readonly string[]) =>
    extract(lines).references.map(
      (reference) =>
        `${reference.name}${reference.member === undefined ? '' : ` ${reference.member}`}/${reference.arguments?.count ?? '-'}`,
    );

  it('records calls by path whose first segment the module binds, with their argument counts', () => {
    expect(
      calls([
        'use crate::billing;',
        'use crate::billing::charge;',
        'mod inner { pub fn g() {} }',
        'fn local(a: u8) {}',
        'pub struct Item;',
        'fn run() {',
        '    charge(1, "usd");',
        '    billing::tax::rate(1);',
        '    crate::billing::charge(1, "usd", 3);',
        '    self::local(2);',
        '    local::<u8>(2, /* two */ 3);',
        '    inner::g();',
        '    Item::new(1);',
        '    Some(1); Vec::new(); std::mem::drop(1);',
        '    value.charge(1); charge!(1, 2, 3);',
        '}',
      ]),
    ).toEqual([
      'charge/2',
      'billing::tax rate/1',
      'crate::billing charge/3',
      'self local/1',
      'local/2',
      'inner g/0',
      'Item new/1',
    ]);
  });

  it('leaves out calls a local binding may shadow and bodies that may bind anything', () => {
    expect(
      calls([
        'fn f(a: u8) {}',
        'fn g(x: u8) {}',
        'fn one(f: fn(u8)) { f(1); g(1, 2); }',
        'fn two() { let g = |x| x; g(1); }',
        'fn three() { if let Some(f) = None::<fn()> { f() } }',
        'fn four() { fn f() {} f(); }',
        'fn five() { use other::*; f(1); }',
        'fn six() { my_items! { fn g() {} } g(); }',
        'fn seven() { f(f(1)); }',
      ]),
    ).toEqual(['g/2', 'f/1', 'f/1']);
  });

  it('names calls inside inline modules by the module path and self/super relative to the file', () => {
    expect(
      calls([
        'fn helper(a: u8) {}',
        'mod tests {',
        '    use super::*;',
        '    fn t() { helper(1); super::helper(2, 3); self::t(); crate::helper(1); }',
        '}',
      ]),
    ).toEqual(['tests::helper/1', 'self helper/2', 'self::tests t/0', 'crate helper/1']);
  });
});

describe('Rust symbols: speed', () => {
  it('returns the same symbols for the same text without parsing again', () => {
    const text = 'pub fn f() {}\n'.repeat(200);
    const first = extractSymbols({ language: 'rust', path: 'src/a.rs', text });
    expect(extractSymbols({ language: 'rust', path: 'src/b.rs', text })).toBe(first);
  });
});

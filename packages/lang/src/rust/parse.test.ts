import { describe, expect, it } from 'vitest';
import { parseSource } from '../parse-source.js';

const parse = (text: string) => parseSource({ language: 'rust', path: 'src/lib.rs', text });

describe('Rust syntax', () => {
  it('accepts let-else, async closures, raw strings, lifetimes, macros and const generics', () => {
    const text = [
      "fn first<'a, T, const N: usize>(items: &'a [T; N]) -> Option<&'a T> {",
      '    let Some(item) = items.first() else {',
      '        return None;',
      '    };',
      '    let add = async |value: u32| value + 1;',
      '    let raw = r#"quoted "text""#;',
      '    println!("{raw} {}", vec![1, 2].len());',
      '    Some(item)',
      '}',
      'macro_rules! square { ($x:expr) => { $x * $x }; }',
      'async fn run() { let _ = square!(2); }',
    ].join('\n');
    expect(parse(text).diagnostics).toEqual([]);
  });

  it('accepts Rust 2024 unsafe extern blocks with safe items, C strings and labeled blocks', () => {
    const text = [
      'unsafe extern "C" {',
      '    pub safe fn abs(x: i32) -> i32;',
      '    safe static LIMIT: u8;',
      '}',
      '#[unsafe(no_mangle)]',
      'pub extern "C" fn exported() {}',
      'fn main() { let safe = c"hello"; let v = \'block: { break \'block 1; }; let p = &raw const v; }',
    ].join('\n');
    expect(parse(text).diagnostics).toEqual([]);
    expect(parse('unsafe extern "C" {\n    safe fn abs(x: i32) -> i32\n}\n').diagnostics.length).toBeGreaterThan(0);
  });

  it('accepts edition-2015 try!(...) and `~` tokens inside macro token trees, but not `~` as an operator', () => {
    const text = [
      'fn read() -> Result<u8, E> { let v = try!(next()); Ok(try!(check(v))) }',
      'fn raw() -> Result<u8, E> { r#try!(next()) }',
      'macro_rules! fuel { ((~$($rest:tt)*)) => { fuel!(($($rest)*)) }; (()) => {}; }',
      'fn go() { fuel!((~~~ ~~)); }',
    ].join('\n');
    expect(parse(text).diagnostics).toEqual([]);
    expect(parse('fn f() { let x = ~y; }\n').diagnostics[0]).toMatchObject({ line: 1, message: 'unexpected "~"' });
  });

  it('accepts constructs rustc parses that tree-sitter-rust 0.24 does not', () => {
    const text = [
      'fn a(t: T) {',
      '    match t {',
      '        T::L(crate::L {',
      '            #[cfg(a)]',
      '            inner: x,',
      '            #[cfg(not(a))]',
      '            inner: y,',
      '            ..',
      '        }) => {}',
      '    }',
      '}',
      '#[cfg(test)]',
      'struct _Test',
      'where',
      '    Error: Send + Sync;',
      'macro_rules! dollar { [$] => { 1 }; }',
      'fn b() { g(&raw); let r = &raw const x; h(&raw, &raw.y); }',
      'impl !Trait {}',
      'impl ! {}',
      'impl !! {}',
      'impl !Send for X {}',
    ].join('\n');
    expect(parse(text).diagnostics).toEqual([]);
    // The same constructs broken stay errors.
    expect(parse('fn b() { g(&raw const); }\n').diagnostics.length).toBeGreaterThan(0);
    expect(parse('#[derive(Debug)]\nstruct Q { a: u8\n').diagnostics.length).toBeGreaterThan(0);
    expect(parse('fn f() { let x = ; }\n#[test]\nfn t() {}\n').diagnostics[0]).toMatchObject({ line: 1 });
  });

  it('reports errors with line:col and a readable message', () => {
    const result = parse('fn main() {\n    let x = ;\n}\n');
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics[0]).toMatchObject({ line: 2 });
    expect(parse('fn main() {\n    let x = (1;\n}\n').diagnostics[0]?.message).toMatch(/^(missing|unexpected) "/);
  });
});

describe('Rust imports and definitions', () => {
  it('expands use trees and records extern crate and mod declarations', () => {
    const text = [
      'use std::{collections::HashMap, io::{self, Read as R}};',
      'use ::serde::de::*;',
      'pub use crate::config::Config as Settings;',
      'extern crate alloc as heap;',
      '#[path = "gen/codes.rs"]',
      'mod codes;',
      '#[cfg(windows)]',
      'mod windows;',
      'mod inline {',
      '    use super::codes;',
      '    mod nested;',
      '}',
      '#[cfg(test)]',
      'mod tests {',
      '    use super::*;',
      '}',
    ].join('\n');
    const imports = parse(text).imports.map(({ specifier, kind, alias, optional, testOnly, pathAttribute }) => ({
      specifier,
      kind,
      ...(alias === undefined ? {} : { alias }),
      ...(optional === undefined ? {} : { optional }),
      ...(testOnly === undefined ? {} : { testOnly }),
      ...(pathAttribute === undefined ? {} : { pathAttribute }),
    }));
    expect(imports).toEqual([
      { specifier: 'std::collections::HashMap', kind: 'rust-use' },
      { specifier: 'std::io', kind: 'rust-use' },
      { specifier: 'std::io::Read', kind: 'rust-use', alias: 'R' },
      { specifier: '::serde::de', kind: 'rust-use' },
      { specifier: 'crate::config::Config', kind: 'rust-use', alias: 'Settings' },
      { specifier: 'alloc', kind: 'rust-extern-crate', alias: 'heap' },
      { specifier: 'self::codes', kind: 'rust-mod', pathAttribute: 'gen/codes.rs' },
      { specifier: 'self::windows', kind: 'rust-mod', optional: true },
      // `super` inside `mod inline` is the file's own module.
      { specifier: 'self::codes', kind: 'rust-use' },
      { specifier: 'self::inline::nested', kind: 'rust-mod' },
      { specifier: 'self', kind: 'rust-use', testOnly: true },
    ]);
  });

  it('lists structs, enums, traits, impl blocks with methods and modules', () => {
    const text = [
      'pub struct Config { name: String }',
      'impl<T> Display for Wrapper<T> {',
      '    fn fmt(&self) {}',
      '}',
      'trait Shape { fn area(&self) -> f64; }',
      'enum Color { Red }',
      'fn main() {}',
    ].join('\n');
    const definitions = parse(text).definitions.map(({ name, kind, parent }) => ({ name, kind, parent }));
    expect(definitions).toEqual([
      { name: 'Config', kind: 'struct', parent: undefined },
      { name: 'Wrapper', kind: 'impl', parent: undefined },
      { name: 'fmt', kind: 'method', parent: 'Wrapper' },
      { name: 'Shape', kind: 'trait', parent: undefined },
      { name: 'area', kind: 'method', parent: 'Shape' },
      { name: 'Color', kind: 'enum', parent: undefined },
      { name: 'main', kind: 'function', parent: undefined },
    ]);
  });
});

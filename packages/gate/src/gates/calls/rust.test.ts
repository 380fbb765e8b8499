// The calls gate on Rust through verify(), on real temp crates: what it FAILs (with the reason) and what it must leave
// alone (SPEC §4.8, G9), plus the checker itself where the imports gate would stop the chain first.
import { createOverlay, extractSymbols } from '@kode/lang';
import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '../../verify.js';
import { createProjectView } from './project-view.js';
import { checkRustCalls } from './rust.js';

const CRATE = {
  'Cargo.toml': '[package]\nname = "shop"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nserde_json = "1"\n',
  'src/lib.rs': [
    'pub mod billing;',
    'pub mod prelude;',
    'pub mod shop;',
    'mod gen;',
    'pub mod platform;',
    'pub use billing::tax::*;',
    'pub fn top(a: u8) -> u8 { a }',
    '',
  ].join('\n'),
  'src/billing.rs': [
    'pub mod tax;',
    'pub struct Item;',
    'impl Item { pub fn new(a: u8) -> Self { Item } pub fn charge(&self) {} }',
    'pub enum Currency { Usd, Eur }',
    'pub fn charge(amount: u32, currency: &str) -> u32 { amount }',
    'fn helper() {}',
    'pub mod inner {',
    '    pub fn visible(a: u8) {}',
    '    fn hidden() {}',
    '}',
    '#[cfg(test)]',
    'mod tests {',
    '    use super::*;',
    '    #[test]',
    '    fn t() { helper(); charge(1, "usd"); }',
    '}',
    '',
  ].join('\n'),
  'src/billing/tax.rs': 'pub fn rate(country: &str) -> u32 { 0 }\n',
  'src/prelude.rs': 'pub use crate::billing::charge;\npub use crate::billing::Item;\n',
  'src/gen.rs': [
    'macro_rules! make { ($name:ident) => { pub fn $name(a: u8, b: u8) {} }; }',
    'make!(generated);',
    'pub fn written(a: u8) {}',
    '',
  ].join('\n'),
  'src/platform.rs': [
    '#[cfg(unix)]',
    'pub fn open(path: &str) {}',
    '#[cfg(windows)]',
    'pub fn open(path: &str, share: u32) {}',
    '#[cfg(unix)]',
    '#[path = "platform/unix.rs"]',
    'mod imp;',
    '#[cfg(windows)]',
    '#[path = "platform/windows.rs"]',
    'mod imp;',
    'pub fn native() { imp::start(1); }',
    '',
  ].join('\n'),
  'src/platform/unix.rs': 'pub fn start(a: u8) {}\n',
  'src/platform/windows.rs': 'pub fn start(a: u8, b: u8) {}\n',
};

let project: TempProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

async function verifyNew(path: string, lines: readonly string[]) {
  project = await createTempProject({ files: CRATE, name: 'kode-rust-calls' });
  const result = await verify({ files: { [path]: lines.join('\n') } }, { projectRoot: project.root });
  const gate = (check: string) => result.verdict.results.find((entry) => entry.check_name === check);
  return { result, calls: gate('calls'), imports: gate('imports') };
}

describe('Rust calls: FAIL with the reason', () => {
  it('a call to a function the imported project module does not define', async () => {
    const { calls, imports } = await verifyNew('src/shop.rs', [
      'use crate::billing;',
      'pub fn run() -> u32 {',
      '    billing::chrage(10, "usd")',
      '}',
    ]);
    expect(imports?.status).toBe('PASS');
    expect(calls).toMatchObject({ status: 'FAIL', message: 'Call validation failed', line: 3, column: 5 });
    expect(calls?.details).toBe(
      "src/shop.rs:3:5 'chrage' is not defined in module crate::billing (src/billing.rs); did you mean 'charge'?",
    );
  });

  it('a wrong argument count on a project function: imported, by path, through re-exports, same file', async () => {
    const { calls } = await verifyNew('src/shop.rs', [
      'use crate::billing::charge;',
      'use crate::prelude::charge as pay;',
      'use crate::billing::tax;',
      'fn local(a: u8) {}',
      'pub fn run() {',
      '    charge(10, "usd", 3);',
      '    crate::billing::charge(10);',
      '    pay();',
      '    tax::rate("fr", 2);',
      '    local(1, 2);',
      '    charge(10, "usd");',
      '}',
    ]);
    expect(calls?.status).toBe('FAIL');
    expect(calls?.details?.split('; ')).toEqual([
      'src/shop.rs:6:5 charge() takes 2 arguments but 3 were given',
      'src/shop.rs:7:5 charge() takes 2 arguments but 1 was given',
      'src/shop.rs:8:5 pay() takes 2 arguments but 0 were given',
      'src/shop.rs:9:5 rate() takes 1 argument but 2 were given',
      'src/shop.rs:10:5 local() takes 1 argument but 2 were given',
    ]);
  });

  it('a function found through a glob re-export (globs are followed to find a function)', async () => {
    const { calls } = await verifyNew('src/shop.rs', ['pub fn run() { crate::rate("fr", "extra"); }']);
    expect(calls?.details).toBe('src/shop.rs:1:16 rate() takes 1 argument but 2 were given');
  });

  it('a use of a private item or through a private path', async () => {
    const { calls, imports } = await verifyNew('src/shop.rs', [
      'use crate::billing::helper;',
      'use crate::billing::inner::hidden;',
      'use crate::billing::inner::visible;',
      'pub fn run() { visible(1); }',
    ]);
    expect(imports?.status).toBe('PASS');
    expect(calls?.status).toBe('FAIL');
    expect(calls?.details).toBe(
      "src/shop.rs:1:5 'helper' is private in module crate::billing; " +
        "src/shop.rs:2:5 'hidden' is private in module crate::billing::inner",
    );
  });

  it('a use of an item the module does not define (the imports gate reports it first in the chain)', async () => {
    const lines = ['use crate::billing::Itme;', 'use crate::billing::tax::rates;', ''];
    const { imports } = await verifyNew('src/shop.rs', lines);
    expect(imports?.status).toBe('FAIL');
    const root = project?.root ?? '';
    const path = 'src/shop.rs';
    const text = lines.join('\n');
    const view = createProjectView({ projectRoot: root, overlay: createOverlay({ [path]: text }) });
    const symbols = extractSymbols({ language: 'rust', path, text });
    expect(checkRustCalls({ path, symbols, view })).toEqual([
      {
        line: 1,
        column: 5,
        text: "'Itme' is not defined in module crate::billing (src/billing.rs); did you mean 'Item'?",
      },
      {
        line: 2,
        column: 5,
        text: "'rates' is not defined in module crate::billing::tax (src/billing/tax.rs); did you mean 'rate'?",
      },
    ]);
  });
});

describe('Rust calls: silent when it cannot be sure (G9)', () => {
  it('pub use re-exports, glob re-exports, inline modules and a test module seeing private items', async () => {
    const { calls, imports } = await verifyNew('src/shop.rs', [
      'use crate::prelude::{charge, Item};',
      'use crate::rate;',
      'use crate::billing::inner;',
      'pub fn run() {',
      '    charge(1, "usd");',
      '    rate("fr");',
      '    crate::anything_from_the_glob(1);',
      '    inner::visible(1);',
      '    let _ = Item::new(1);',
      '}',
      '#[cfg(test)]',
      'mod tests {',
      '    use super::*;',
      '    use crate::billing::charge;',
      '    fn t() { run(); charge(1, "usd"); }',
      '}',
    ]);
    expect(imports?.status).toBe('PASS');
    expect(calls?.status).toBe('PASS');
  });

  it('macro-generated items, cfg alternatives, methods, associated functions, macros and external crates', async () => {
    const { calls } = await verifyNew('src/shop.rs', [
      'use crate::gen::generated;',
      'use crate::billing::{charge, Currency::Usd, Item};',
      'use crate::platform::open;',
      'pub fn run(item: Item) {',
      '    generated(1);',
      '    crate::gen::other(1, 2, 3);',
      '    open("a");',
      '    open("a", 2);',
      '    item.charge(1, 2, 3);',
      '    Item::new(1, 2, 3);',
      '    let _ = serde_json::to_string(&1, 2);',
      '    println!("{}", crate::billing::charge(1));',
      '    let charge = |a: u8| a;',
      '    charge(1);',
      '    let _ = Usd;',
      '}',
    ]);
    expect(calls?.status).toBe('PASS');
  });

  it('a module declared twice under cfg (path alternatives) gives no verdict on its items', async () => {
    const { calls } = await verifyNew('src/platform.rs', [
      '#[cfg(unix)]',
      '#[path = "platform/unix.rs"]',
      'mod imp;',
      '#[cfg(windows)]',
      '#[path = "platform/windows.rs"]',
      'mod imp;',
      'pub fn native() { imp::start(1, 2, 3); imp::stop(); }',
      '',
    ]);
    expect(calls?.status).toBe('PASS');
  });

  it('any cfg alternative of a function counts; none matching fails', async () => {
    const { calls } = await verifyNew('src/shop.rs', ['pub fn run() { crate::platform::open("a", 1, 2); }']);
    expect(calls?.details).toBe('src/shop.rs:1:16 open() takes 1 or 2 arguments but 3 were given');
  });

  it('a problem the pre-image already has is not blamed on the patch', async () => {
    project = await createTempProject({
      files: { ...CRATE, 'src/shop.rs': 'use crate::billing::charge;\npub fn run() { charge(1); }\n' },
      name: 'kode-rust-calls',
    });
    const result = await verify(
      {
        hunks: [
          {
            id: 'h1',
            file_path: 'src/shop.rs',
            action: 'INSERT',
            anchor_text: 'pub fn run() { charge(1); }\n',
            new_text: 'pub fn more() -> u32 { charge(2, "usd") }\n',
          },
        ],
      },
      { projectRoot: project.root },
    );
    expect(result.verdict.results.find((entry) => entry.check_name === 'calls')?.status).toBe('PASS');
    const added = await verify(
      {
        hunks: [
          {
            id: 'h1',
            file_path: 'src/shop.rs',
            action: 'INSERT',
            anchor_text: 'pub fn run() { charge(1); }\n',
            new_text: 'pub fn more() { crate::top(); }\n',
          },
        ],
      },
      { projectRoot: project.root },
    );
    expect(added.verdict.results.find((entry) => entry.check_name === 'calls')?.details).toBe(
      'src/shop.rs:3:17 top() takes 1 argument but 0 were given',
    );
  });

  it('checks a whole existing file with an empty pre-image', async () => {
    project = await createTempProject({ files: CRATE, name: 'kode-rust-calls' });
    const text = 'use crate::billing::charge;\npub fn run() { charge(1); }\n';
    const result = await verify(
      {
        hunks: [{ id: 'h1', file_path: 'src/shop.rs', action: 'INSERT', anchor_text: '', new_text: text }],
        original_files: { 'src/shop.rs': '' },
      },
      { projectRoot: project.root },
    );
    expect(result.verdict.results.find((entry) => entry.check_name === 'calls')?.details).toBe(
      'src/shop.rs:2:16 charge() takes 2 arguments but 1 was given',
    );
  });

  it('a file outside any known module tree is checked only through self:: paths', async () => {
    const { calls } = await verifyNew('src/orphan.rs', [
      'use crate::billing::helper;',
      'mod local { pub fn f(a: u8) {} }',
      'pub fn run() { crate::billing::charge(1); local::f(); }',
    ]);
    expect(calls?.details).toBe('src/orphan.rs:3:43 f() takes 1 argument but 0 were given');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from '../fixtures.test-helpers.js';
import { tempProject } from '../fixtures.test-helpers.js';
import { createOverlay, EMPTY_OVERLAY } from '../overlay.js';
import { parseSource } from '../parse-source.js';
import { clearResolutionCache } from '../project-cache.js';
import { resolveImport } from '../resolve-import.js';

const LIB = 'crates/core/src/lib.rs';
const CONFIG = 'crates/core/src/config.rs';
const PARSER = 'crates/core/src/parser/mod.rs';
const MAIN = 'crates/cli/src/main.rs';

describe('Rust import resolution in a Cargo workspace', () => {
  let project: TempProject;
  const resolve = (specifier: string, fromFile = LIB, overlay = EMPTY_OVERLAY) =>
    resolveImport({ projectRoot: project.root, fromFile, specifier, overlay });

  beforeAll(() => {
    project = tempProject('rust-workspace');
  });
  afterAll(() => project.cleanup());

  it('treats std, core, alloc, proc_macro and test as builtin', () => {
    for (const specifier of [
      'std::collections::HashMap',
      'core::mem',
      'alloc::vec::Vec',
      'proc_macro::TokenStream',
      'test',
    ]) {
      expect(resolve(specifier)).toEqual({ kind: 'builtin' });
    }
  });

  it('resolves crate, self and super paths through mod declarations, inline modules and #[path]', () => {
    expect(resolve('crate::config::Config', CONFIG)).toEqual({ kind: 'project', file: CONFIG });
    expect(resolve('crate::parser::parse_line', CONFIG)).toEqual({ kind: 'project', file: PARSER });
    expect(resolve('crate::parser::tokens::Token::Word', CONFIG)).toEqual({
      kind: 'project',
      file: 'crates/core/src/parser/tokens.rs',
    });
    expect(resolve('super::config::Config', PARSER)).toEqual({ kind: 'project', file: CONFIG });
    expect(resolve('self::defaults::NAME', CONFIG)).toEqual({
      kind: 'project',
      file: 'crates/core/src/config/defaults.rs',
    });
    expect(resolve('crate::net::http::get', CONFIG)).toEqual({ kind: 'project', file: 'crates/core/src/net/http.rs' });
    expect(resolve('self::codes', LIB)).toEqual({ kind: 'project', file: 'crates/core/src/generated/codes.rs' });
  });

  it('fails a crate path to a missing module and a missing item', () => {
    const module = resolve('crate::parser::hallucinated::Thing', CONFIG);
    expect(module).toEqual({
      kind: 'unresolved',
      reason:
        "'crate::parser::hallucinated::Thing' not found: no module or item 'hallucinated' in crates/core/src/parser/mod.rs",
    });
    project.write({ 'crates/core/src/ghost_host.rs': 'mod ghost;\n' });
    const missingFile = resolve('self::ghost', 'crates/core/src/ghost_host.rs');
    expect(missingFile.kind).toBe('unresolved');
    expect(missingFile.kind === 'unresolved' && missingFile.reason).toContain('ghost_host/ghost.rs');
  });

  it('says nothing about modules behind #[cfg] and paths reached through glob imports', () => {
    expect(resolve('self::windows_only').kind).toBe('unknown');
    project.write({ 'crates/core/src/globbed.rs': 'use crate::config::*;\nuse Config as C;\n' });
    const overlay = createOverlay({ [LIB]: `${project.read(LIB)}pub mod globbed;\n` });
    expect(resolve('crate::globbed::Anything', CONFIG, overlay).kind).toBe('unknown');
    expect(resolve('crate::globbed::Anything', CONFIG).kind).toBe('unresolved');
  });

  it('accepts Cargo dependencies in every form and the own library from a binary', () => {
    expect(resolve('serde::Deserialize', CONFIG)).toEqual({
      kind: 'external',
      name: 'serde',
      declared: true,
      installed: true,
    });
    expect(resolve('regex_lite::Regex', PARSER)).toMatchObject({ kind: 'external', name: 'regex_lite' });
    expect(resolve('json::Value')).toMatchObject({ kind: 'external', name: 'json' });
    expect(resolve('libc::c_int')).toMatchObject({ kind: 'external', name: 'libc' });
    expect(resolve('pretty_assertions::assert_eq')).toMatchObject({ kind: 'external' });
    expect(resolve('cc', 'crates/core/build.rs')).toMatchObject({ kind: 'external' });
    expect(resolve('acme_core::Config', MAIN)).toMatchObject({ kind: 'external', name: 'acme_core' });
    expect(resolve('tokio::runtime::Builder', MAIN)).toMatchObject({ kind: 'external', name: 'tokio' });
  });

  it('fails a crate that is not in Cargo.toml with the reason naming it', () => {
    expect(resolve('serde_yaml_hallucinated::from_str', CONFIG)).toEqual({
      kind: 'unresolved',
      reason: "crate 'serde_yaml_hallucinated' is not a dependency in Cargo.toml",
    });
    // tokio is a workspace dependency, but only the cli crate declares it.
    expect(resolve('tokio::spawn', CONFIG).kind).toBe('unresolved');
  });

  it('accepts names in scope (2018 uniform paths) and extern crate aliases', () => {
    project.write({
      'crates/core/src/scoped.rs':
        'mod inner { pub fn f() {} }\nuse inner::f;\nextern crate alloc as heap;\nuse heap::vec;\n',
    });
    expect(resolve('inner::f', 'crates/core/src/scoped.rs')).toMatchObject({ kind: 'project' });
    expect(resolve('heap::vec', 'crates/core/src/scoped.rs')).toMatchObject({ kind: 'project' });
  });

  it('accepts names declared inside function bodies and macros exported to the crate root', () => {
    project.write({
      'crates/core/src/local_items.rs': 'pub fn visit() {\n    enum State { Start, End }\n    use State::*;\n}\n',
      'crates/core/src/macros.rs': '#[macro_export]\nmacro_rules! acme_log { ($e:expr) => { $e }; }\n',
    });
    // Earlier cases cached the crate's macro names; files changed on disk need an explicit invalidation.
    clearResolutionCache(project.root);
    expect(resolve('State::Start', 'crates/core/src/local_items.rs').kind).toBe('project');
    expect(resolve('crate::acme_log', CONFIG).kind).toBe('project');
  });

  it('says nothing about crate paths in shared test helpers whose crate is not known', () => {
    project.write({ 'crates/core/tests/common/mod.rs': 'use crate::fixtures::load;\n' });
    expect(resolve('crate::fixtures::load', 'crates/core/tests/common/mod.rs').kind).toBe('unknown');
    project.write({ 'crates/core/tests/smoke.rs': 'mod common;\n' });
    expect(resolve('self::common', 'crates/core/tests/smoke.rs')).toEqual({
      kind: 'project',
      file: 'crates/core/tests/common/mod.rs',
    });
    expect(resolve('crate::hallucinated', 'crates/core/tests/smoke.rs').kind).toBe('unresolved');
  });

  it('resolves every import of the fixture sources', () => {
    for (const file of [LIB, CONFIG, PARSER, MAIN, 'crates/cli/src/commands.rs']) {
      const text = project.read(file);
      for (const record of parseSource({ language: 'rust', path: file, text }).imports) {
        expect({ file, specifier: record.specifier, kind: resolve(record.specifier, file).kind }).not.toMatchObject({
          kind: 'unresolved',
        });
      }
    }
  });

  it('sees module files created by the patch and not those it deletes', () => {
    const created = createOverlay({
      'crates/core/src/parser/mod.rs': `${project.read(PARSER)}pub mod lexer;\n`,
      'crates/core/src/parser/lexer.rs': 'pub fn lex() {}\n',
    });
    expect(resolve('crate::parser::lexer::lex', CONFIG, created)).toEqual({
      kind: 'project',
      file: 'crates/core/src/parser/lexer.rs',
    });
    const deleted = createOverlay({ 'crates/core/src/parser/tokens.rs': null });
    expect(resolve('crate::parser::tokens::Token', CONFIG, deleted).kind).toBe('unresolved');
  });

  it('resolves through any of several cfg alternatives declaring the same module (tokio signal/windows.rs)', () => {
    const overlay = createOverlay({
      'crates/core/src/parser/mod.rs': [
        project.read(PARSER),
        '#[cfg(not(docsrs))]',
        '#[path = "imp/sys.rs"]',
        'mod imp;',
        '#[cfg(docsrs)]',
        '#[path = "imp/stub.rs"]',
        'mod imp;',
        '',
      ].join('\n'),
      'crates/core/src/parser/imp/sys.rs': 'pub struct OsStorage;\n',
      'crates/core/src/parser/imp/stub.rs': 'pub struct Stub;\n',
    });
    expect(resolve('self::imp::OsStorage', PARSER, overlay)).toEqual({
      kind: 'project',
      file: 'crates/core/src/parser/imp/sys.rs',
    });
    expect(resolve('self::imp::Stub', PARSER, overlay)).toEqual({
      kind: 'project',
      file: 'crates/core/src/parser/imp/stub.rs',
    });
    expect(resolve('self::imp::Hallucinated', PARSER, overlay).kind).toBe('unresolved');
  });

  it('judges `extern crate` by Cargo.toml, never by the name it declares itself; rustc_* sysroot crates pass', () => {
    const externCrate = (specifier: string) =>
      resolveImport({
        projectRoot: project.root,
        fromFile: LIB,
        specifier,
        overlay: EMPTY_OVERLAY,
        kind: 'rust-extern-crate',
      });
    expect(externCrate('hallucinated_crate')).toEqual({
      kind: 'unresolved',
      reason: "crate 'hallucinated_crate' is not a dependency in Cargo.toml",
    });
    expect(externCrate('rustc_ast')).toEqual({ kind: 'builtin' });
    expect(externCrate('alloc')).toEqual({ kind: 'builtin' });
    // With #![feature(rustc_private)] any sysroot crate may be named, also from a shared test helper.
    const helper = 'crates/core/tests/common/eq.rs';
    const overlay = createOverlay({
      'crates/core/tests/round_trip.rs': '#![feature(rustc_private)]\nmod common;\nextern crate thin_vec;\n',
      [helper]: 'extern crate thin_vec;\n',
    });
    const fromHelper = (file: string, files = overlay) =>
      resolveImport({
        projectRoot: project.root,
        fromFile: file,
        specifier: 'thin_vec',
        overlay: files,
        kind: 'rust-extern-crate',
      });
    expect(fromHelper(helper).kind).toBe('unknown');
    expect(fromHelper('crates/core/tests/round_trip.rs').kind).toBe('unknown');
    const withoutFeature = createOverlay({
      'crates/core/tests/round_trip.rs': 'mod common;\n',
      [helper]: 'extern crate thin_vec;\n',
    });
    expect(fromHelper(helper, withoutFeature).kind).toBe('unresolved');
  });
});

import path from 'node:path';
import type { ProjectFileSystem } from '../overlay.js';
import { memo, toProjectPath } from '../project-cache.js';
import type { ResolveResult } from '../types.js';
import { crateRootsFor, findCargoPackage } from './cargo.js';
import type { ModuleContext } from './module-tree.js';
import type { ChildLookup } from './module-tree.js';
import { childModules, fileContext, fileSummary, rootContext } from './module-tree.js';

const BUILTIN_CRATES = new Set(['std', 'core', 'alloc', 'proc_macro', 'test']);
// Prelude and primitive names a `use` may start with (`use Option::*`, `use i32::MAX` in old code).
const PRELUDE_NAMES = new Set([
  'Option',
  'Some',
  'None',
  'Result',
  'Ok',
  'Err',
  'Vec',
  'String',
  'Box',
  'ToString',
  'ToOwned',
  'Clone',
  'Copy',
  'Default',
  'Drop',
  'Eq',
  'PartialEq',
  'Ord',
  'PartialOrd',
  'Iterator',
  'IntoIterator',
  'Fn',
  'FnMut',
  'FnOnce',
  'u8',
  'u16',
  'u32',
  'u64',
  'u128',
  'usize',
  'i8',
  'i16',
  'i32',
  'i64',
  'i128',
  'isize',
  'f32',
  'f64',
  'bool',
  'char',
  'str',
]);

export function resolveRustImport(options: {
  fileSystem: ProjectFileSystem;
  fromFile: string;
  specifier: string;
  /** The import is `extern crate <specifier>`: it declares the name, so names in scope cannot justify it. */
  externCrate?: boolean;
}): ResolveResult {
  const { fileSystem, fromFile } = options;
  const externCrate = options.externCrate === true;
  const specifier = options.specifier.replace(/\s+/g, '');
  const absolute = specifier.startsWith('::');
  const segments = (absolute ? specifier.slice(2) : specifier).split('::');
  const first = segments[0] ?? '';
  if (BUILTIN_CRATES.has(first)) return { kind: 'builtin' };
  // The compiler's own crates (`#![feature(rustc_private)]`, e.g. syn's round-trip tests) come from the sysroot and
  // are only reachable through `extern crate`.
  if (externCrate && first.startsWith('rustc_')) return { kind: 'builtin' };
  if (first.startsWith('$') || first === 'Self')
    return { kind: 'unknown', reason: `'${specifier}' is a macro or Self path` };

  const cargo = findCargoPackage(fileSystem, fromFile);
  const roots = cargo === undefined ? [fromFile] : crateRootsFor(fileSystem, cargo, fromFile);
  const relative = (file: string) => toProjectPath(fileSystem.projectRoot, file);

  if (!absolute && (first === 'crate' || first === 'self' || first === 'super')) {
    const outcomes = roots.map((root) => {
      const start =
        first === 'crate'
          ? rootContext(fileSystem, root)
          : (fileContext(fileSystem, root, fromFile) ?? detachedContext(fileSystem, fromFile));
      if (start === undefined)
        return { kind: 'unknown', reason: `cannot read the module tree of ${relative(root)}` } as const;
      return walk({
        fileSystem,
        context: start,
        segments: first === 'crate' ? segments.slice(1) : segments,
        specifier,
        relative,
      });
    });
    return (
      outcomes.find((outcome) => outcome.kind === 'project') ??
      outcomes.find((outcome) => outcome.kind === 'unknown') ??
      outcomes[0] ?? { kind: 'unknown', reason: `no crate root for ${relative(fromFile)}` }
    );
  }

  if (cargo !== undefined && (cargo.dependencies.has(first) || cargo.libraryName === first)) {
    return { kind: 'external', name: first, declared: true, installed: true };
  }
  if (externCrate) {
    if (cargo === undefined) return { kind: 'unknown', reason: `no Cargo.toml above ${relative(fromFile)}` };
    if (usesRustcPrivate(fileSystem, cargo.directory, fromFile, roots)) {
      return { kind: 'unknown', reason: `'${first}' may be a sysroot crate (#![feature(rustc_private)])` };
    }
    return { kind: 'unresolved', reason: `crate '${first}' is not a dependency in Cargo.toml` };
  }
  if (!absolute) {
    if (PRELUDE_NAMES.has(first)) return { kind: 'builtin' };
    // 2018 uniform paths: a use may start with any name in scope (a local module, item, import or extern crate).
    const local = fileSummary(fileSystem, fromFile);
    if (local?.nestedNames.has(first) === true) return { kind: 'project', file: relative(fromFile) };
    if (local?.opaque === true || local === undefined) {
      return { kind: 'unknown', reason: `'${first}' may come from a glob import or a macro in ${relative(fromFile)}` };
    }
  }
  for (const root of roots) {
    const rootSummary = fileSummary(fileSystem, root);
    // `extern crate x;` in the crate root puts x in the extern prelude of the whole crate, and 2015-edition crates
    // write `use module::item` for crate-root modules.
    if (rootSummary?.externCrates.has(first) === true || rootSummary?.names.has(first) === true) {
      return { kind: 'project', file: relative(root) };
    }
  }
  if (cargo === undefined) return { kind: 'unknown', reason: `no Cargo.toml above ${relative(fromFile)}` };
  return { kind: 'unresolved', reason: `crate '${first}' is not a dependency in Cargo.toml` };
}

const RUSTC_PRIVATE = /#!\[\s*feature\s*\([^\]]*\brustc_private\b/;

/**
 * Whether the crate of `fromFile` enables `#![feature(rustc_private)]`, which makes every sysroot crate (thin_vec,
 * rustc_*...) available to `extern crate`. A shared helper (tests/common/x.rs) has no root we can name: any target
 * root in its directory (tests/*.rs) enabling the feature counts.
 */
function usesRustcPrivate(
  fileSystem: ProjectFileSystem,
  packageDirectory: string,
  fromFile: string,
  roots: readonly string[],
): boolean {
  const enables = (file: string) => RUSTC_PRIVATE.test(fileSystem.readFile(file) ?? '');
  if (enables(fromFile) || roots.some(enables)) return true;
  if (roots.length > 0) return false;
  const top = path.relative(packageDirectory, fromFile).split(path.sep)[0] ?? '';
  if (!['tests', 'examples', 'benches'].includes(top)) return false;
  const targetDirectory = path.join(packageDirectory, top);
  return fileSystem
    .readDirectory(targetDirectory)
    .some(
      (entry) => !entry.isDirectory && entry.name.endsWith('.rs') && enables(path.join(targetDirectory, entry.name)),
    );
}

const MACRO_DEFINITION = /macro_rules!\s*([A-Za-z_]\w*)/g;

/** Names of every `macro_rules!` in the crate's source tree (the directory of its root file and below). */
function crateMacros(fileSystem: ProjectFileSystem, rootFile: string): ReadonlySet<string> {
  const directory = path.dirname(rootFile);
  return memo({
    fileSystem,
    key: `rust-macros:${directory}`,
    compute: (files) => {
      const names = new Set<string>();
      let visited = 0;
      const walkDirectory = (current: string) => {
        for (const entry of files.readDirectory(current)) {
          if (visited > 5_000) return;
          const full = path.join(current, entry.name);
          if (entry.isDirectory) {
            if (entry.name !== 'target' && !entry.name.startsWith('.')) walkDirectory(full);
          } else if (entry.name.endsWith('.rs')) {
            visited += 1;
            for (const match of (files.readFile(full) ?? '').matchAll(MACRO_DEFINITION)) {
              if (match[1] !== undefined) names.add(match[1]);
            }
          }
        }
      };
      walkDirectory(directory);
      return names;
    },
  });
}

function detachedContext(fileSystem: ProjectFileSystem, file: string): ModuleContext | undefined {
  const summary = fileSummary(fileSystem, file);
  if (summary === undefined) return undefined;
  const base = path.basename(file);
  const isModRs = base === 'mod.rs' || base === 'lib.rs' || base === 'main.rs';
  return {
    file,
    summary,
    childDirectory: isModRs ? path.dirname(file) : path.join(path.dirname(file), base.replace(/\.rs$/, '')),
    parent: undefined,
  };
}

function walk(options: {
  fileSystem: ProjectFileSystem;
  context: ModuleContext;
  segments: readonly string[];
  specifier: string;
  relative: (file: string) => string;
}): ResolveResult {
  const { fileSystem, specifier, relative } = options;
  let context = options.context;
  for (const [index, segment] of options.segments.entries()) {
    if (segment === 'self' || segment === '*' || segment === '') continue;
    if (segment === 'super') {
      if (context.parent === undefined)
        return { kind: 'unknown', reason: `'${specifier}' leaves the known module tree` };
      context = context.parent;
      continue;
    }
    const children = childModules(fileSystem, context, segment);
    if (children.length > 1) {
      // cfg alternatives: the path resolves when it does through any of them.
      const outcomes = children.map((child) =>
        child.kind === 'module'
          ? walk({ ...options, context: child.context, segments: options.segments.slice(index + 1) })
          : missingModule(child, segment, specifier, relative),
      );
      return (
        outcomes.find((outcome) => outcome.kind === 'project') ??
        outcomes.find((outcome) => outcome.kind === 'unknown') ??
        outcomes[0] ?? { kind: 'unknown', reason: `'${specifier}' leaves the known module tree` }
      );
    }
    const child = children[0];
    if (child?.kind === 'module') {
      context = child.context;
      continue;
    }
    if (child?.kind === 'missing-file') return missingModule(child, segment, specifier, relative);
    // An item (fn, struct, enum, re-export...) ends the module path: what follows lives inside it.
    if (context.summary.names.has(segment)) return { kind: 'project', file: relative(context.file) };
    // `#[macro_export] macro_rules! m` anywhere in the crate is `crate::m`.
    if (context.parent === undefined && crateMacros(fileSystem, context.file).has(segment)) {
      return { kind: 'project', file: relative(context.file) };
    }
    if (context.summary.opaque) {
      return {
        kind: 'unknown',
        reason: `'${segment}' may come from a glob import or a macro in ${relative(context.file)}`,
      };
    }
    return {
      kind: 'unresolved',
      reason: `'${specifier}' not found: no module or item '${segment}' in ${relative(context.file)}`,
    };
  }
  return { kind: 'project', file: relative(context.file) };
}

function missingModule(
  child: Exclude<ChildLookup, { kind: 'module' }>,
  segment: string,
  specifier: string,
  relative: (file: string) => string,
): ResolveResult {
  if (child.kind === 'not-a-module') return { kind: 'unknown', reason: `'${segment}' is not a module` };
  if (child.excused) return { kind: 'unknown', reason: `module '${segment}' is behind #[cfg] or #[path]` };
  return {
    kind: 'unresolved',
    reason: `module '${specifier}' not found: no file ${child.candidates.map(relative).join(' or ')}`,
  };
}

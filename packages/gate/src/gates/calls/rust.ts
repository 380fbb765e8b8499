// Rust rules of the calls gate (SPEC §4.8): a `use crate::a::Item` (also `self::`, `super::`, and bare paths through
// local modules) names an item that exists in that module and is visible from here; a call by path to a project free
// function has its exact argument count. Modules are walked through the FileSymbols of their files (names inside
// inline modules carry their path, `inner::item`, see @kode/lang rust/symbols.ts). Every step that is not certain
// ends in silence: macro-opened modules, glob imports (followed only to find a function, never to call a name
// missing), cfg alternatives (a module declared twice), types and enums in a path, external crates, and a crate
// whose root cannot be told. "Not defined" also needs @kode/lang's resolver to agree that the path is unresolved.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { CallableShape, FileSymbols, SymbolDeclaration, SymbolImport } from '@kode/lang';
import type { ProjectView } from './project-view.js';
import { editDistance } from './suggest.js';
import type { CallCheckOptions, CallProblem } from './types.js';

interface Module {
  readonly file: string;
  /** Path of the inline module inside `file` ([] for the file's own module). */
  readonly inline: readonly string[];
  readonly symbols: FileSymbols;
  /** Path from the crate root, or (base 'file') from the checked file's module when its crate is not known. */
  readonly base: 'crate' | 'file';
  readonly path: readonly string[];
}

type Outcome =
  | { readonly kind: 'module'; readonly module: Module }
  | { readonly kind: 'functions'; readonly shapes: readonly CallableShape[] }
  | { readonly kind: 'other' }
  | { readonly kind: 'missing'; readonly module: Module; readonly name: string }
  | { readonly kind: 'private'; readonly module: Module; readonly name: string }
  | { readonly kind: 'unknown' };

interface Context {
  readonly view: ProjectView;
  readonly path: string;
  readonly root: Module | undefined;
  readonly self: Module;
  readonly edition2018: () => boolean;
}

const UNKNOWN: Outcome = { kind: 'unknown' };
const MAX_DEPTH = 8;
const TYPE_KINDS = new Set(['struct', 'enum', 'trait', 'type', 'unknown']);
const VALUE_KINDS = new Set(['constant', 'variable', 'struct', 'unknown']);

// Declarations and import bindings of a file by name: modules are asked for one name at a time, and a file may hold
// thousands of items (libc).
const bindingIndex = new WeakMap<
  FileSymbols,
  ReadonlyMap<string, { declarations: SymbolDeclaration[]; imports: SymbolImport[] }>
>();

function bindingsOf(
  symbols: FileSymbols,
  key: string,
): { declarations: readonly SymbolDeclaration[]; imports: readonly SymbolImport[] } {
  let index = bindingIndex.get(symbols);
  if (index === undefined) {
    const built = new Map<string, { declarations: SymbolDeclaration[]; imports: SymbolImport[] }>();
    const entry = (name: string) => {
      let found = built.get(name);
      if (found === undefined) {
        found = { declarations: [], imports: [] };
        built.set(name, found);
      }
      return found;
    };
    for (const declaration of symbols.declarations) entry(declaration.name).declarations.push(declaration);
    for (const binding of symbols.imports) entry(binding.local).imports.push(binding);
    index = built;
    bindingIndex.set(symbols, index);
  }
  return index.get(key) ?? { declarations: [], imports: [] };
}

const keyOf = (inline: readonly string[], name: string) =>
  inline.length === 0 ? name : `${inline.join('::')}::${name}`;
const fileModule = (module: Module): Module => ({
  ...module,
  inline: [],
  path: module.path.slice(0, module.path.length - module.inline.length),
});
const isInlineModule = (declaration: SymbolDeclaration) => declaration.fingerprint.endsWith('{}');
const isOpen = (module: Module) =>
  module.inline.length === 0
    ? module.symbols.openExports
    : bindingsOf(module.symbols, keyOf(module.inline, '*')).declarations.length > 0;
const globsOf = (module: Module) => bindingsOf(module.symbols, keyOf(module.inline, '*')).imports;
const isReExported = (symbols: FileSymbols, entry: SymbolImport) =>
  symbols.reExports.some(
    (reExport) =>
      reExport.line === entry.line &&
      reExport.specifier === entry.specifier &&
      (reExport.names === '*' || reExport.names.some((name) => name.exported === entry.local)),
  );
const describeModule = (module: Module) =>
  `${[module.base === 'crate' ? 'crate' : 'self', ...module.path].join('::')} (${module.file})`;

/** The module `name` declares inside `module` (`mod name;` through the resolver, inline ones in the same file). */
function childModule(ctx: Context, module: Module, declaration: SymbolDeclaration, name: string): Module | undefined {
  const step = { base: module.base, path: [...module.path, name] };
  if (isInlineModule(declaration)) return { ...module, ...step, inline: [...module.inline, name] };
  const resolved = ctx.view.resolve(module.file, {
    specifier: ['self', ...module.inline, name].join('::'),
    kind: 'rust-use',
  });
  if (resolved.kind !== 'project' || resolved.file === module.file) return undefined;
  const symbols = ctx.view.symbolsOf(resolved.file);
  return symbols === undefined ? undefined : { file: resolved.file, inline: [], symbols, ...step };
}

function moduleAtPath(ctx: Context, path: readonly string[]): Module | undefined {
  let module = ctx.root;
  for (const name of path) {
    if (module === undefined) return undefined;
    const { declarations } = bindingsOf(module.symbols, keyOf(module.inline, name));
    const only = declarations[0];
    module = declarations.length === 1 && only?.kind === 'module' ? childModule(ctx, module, only, name) : undefined;
  }
  return module;
}

function superOf(ctx: Context, module: Module): Module | undefined {
  if (module.inline.length > 0)
    return { ...module, inline: module.inline.slice(0, -1), path: module.path.slice(0, -1) };
  if (module.base !== 'crate' || module.path.length === 0) return undefined;
  return moduleAtPath(ctx, module.path.slice(0, -1));
}

/** Whether a binding in `module` may be named from `from`; true when it cannot be told. */
function isVisible(options: {
  module: Module;
  declarations: readonly SymbolDeclaration[];
  imports: readonly SymbolImport[];
  from: Module;
}): boolean {
  const { module, from } = options;
  const { symbols } = module;
  // By name and line, not identity: symbols may come from a serialised index.
  const exported = (declaration: SymbolDeclaration) =>
    symbols.exports.some((entry) => entry.name === declaration.name && entry.line === declaration.line);
  if (options.declarations.some(exported)) return true;
  if (options.imports.some((entry) => isReExported(symbols, entry))) return true;
  if (isOpen(module) || globsOf(module).some((entry) => isReExported(symbols, entry))) return true;
  if (module.base !== from.base) return true;
  return module.path.every((segment, index) => from.path[index] === segment);
}

function lookup(options: {
  ctx: Context;
  module: Module;
  name: string;
  namespace: 'type' | 'value';
  /** Judge visibility from this module; undefined: do not. */
  from: Module | undefined;
  depth: number;
}): Outcome {
  const { ctx, module, name, namespace, depth } = options;
  if (depth > MAX_DEPTH) return UNKNOWN;
  const { declarations, imports } = bindingsOf(module.symbols, keyOf(module.inline, name));
  if (declarations.length === 0 && imports.length === 0) {
    if (isOpen(module)) return UNKNOWN;
    const globs = globsOf(module);
    return globs.length === 0 ? { kind: 'missing', module, name } : throughGlobs({ ...options, globs });
  }
  if (options.from !== undefined && !isVisible({ module, declarations, imports, from: options.from })) {
    return { kind: 'private', module, name };
  }
  const relevant = declarations.filter((declaration) =>
    namespace === 'type'
      ? declaration.kind === 'module' || TYPE_KINDS.has(declaration.kind)
      : declaration.kind === 'function' || VALUE_KINDS.has(declaration.kind),
  );
  const [first] = relevant;
  if (first !== undefined) {
    if (imports.length > 0) return UNKNOWN;
    if (namespace === 'type') {
      return relevant.length === 1 && first.kind === 'module'
        ? moduleOutcome(childModule(ctx, module, first, name))
        : { kind: 'other' };
    }
    if (!relevant.every((declaration) => declaration.kind === 'function' && declaration.callable !== undefined)) {
      return { kind: 'other' };
    }
    return { kind: 'functions', shapes: relevant.flatMap((declaration) => declaration.callable ?? []) };
  }
  const [only] = imports;
  if (imports.length !== 1 || only === undefined)
    return declarations.length > 0 && imports.length === 0 ? { kind: 'other' } : UNKNOWN;
  if (only.kind !== 'rust-use') return UNKNOWN;
  // What the binding names: problems further down the chain belong to the module that wrote that `use`.
  const followed = walk({
    ctx,
    start: module,
    segments: only.specifier.split('::'),
    namespace,
    from: undefined,
    depth: depth + 1,
    use: true,
  });
  return followed.kind === 'missing' || followed.kind === 'private' ? UNKNOWN : followed;
}

const moduleOutcome = (module: Module | undefined): Outcome =>
  module === undefined ? UNKNOWN : { kind: 'module', module };

/** A name no explicit binding gives: it names something only when exactly one glob provides it. */
function throughGlobs(options: {
  ctx: Context;
  module: Module;
  name: string;
  namespace: 'type' | 'value';
  depth: number;
  globs: readonly SymbolImport[];
}): Outcome {
  const provided: Outcome[] = [];
  for (const glob of options.globs) {
    const target = walk({
      ...options,
      start: options.module,
      segments: glob.specifier.split('::'),
      namespace: 'type',
      from: undefined,
      depth: options.depth + 1,
      use: true,
    });
    if (target.kind !== 'module') return UNKNOWN;
    // A glob imports only what is visible to the importing module.
    const found = lookup({ ...options, module: target.module, from: options.module, depth: options.depth + 1 });
    if (found.kind === 'unknown' || found.kind === 'private') return UNKNOWN;
    if (found.kind !== 'missing') provided.push(found);
  }
  return provided.length === 1 && provided[0] !== undefined ? provided[0] : UNKNOWN;
}

/**
 * Follows a path from `start`, the module where it is written (specifiers are relative to its file, as parseRust
 * writes them). A bare first segment is a name in scope there: missing, it may be an extern crate or the prelude.
 */
function walk(options: {
  ctx: Context;
  start: Module;
  segments: readonly string[];
  namespace: 'type' | 'value';
  from: Module | undefined;
  depth: number;
  /** A `use` path: a bare first segment is crate-relative in edition 2015, so it is followed only from 2018 on. */
  use: boolean;
}): Outcome {
  const { ctx, segments } = options;
  const [first] = segments;
  let module: Module | undefined = options.start;
  let index = 0;
  if (first === 'crate') {
    module = ctx.root;
    index = 1;
  } else if (first === 'self' || first === 'super') {
    module = fileModule(options.start);
    for (; segments[index] === 'self' || segments[index] === 'super'; index += 1) {
      if (segments[index] === 'super' && module !== undefined) module = superOf(ctx, module);
    }
  } else if (first === undefined || first === '' || first.startsWith('$')) {
    return UNKNOWN;
  } else if (options.use && !(module.base === 'crate' && module.path.length === 0) && !ctx.edition2018()) {
    return UNKNOWN;
  }
  if (module === undefined) return UNKNOWN;
  const bare = index === 0;
  for (; index < segments.length; index += 1) {
    const last = index === segments.length - 1;
    const outcome: Outcome = lookup({
      ctx,
      module,
      name: segments[index] ?? '',
      namespace: last ? options.namespace : 'type',
      from: options.from,
      depth: options.depth,
    });
    if (outcome.kind === 'missing' && bare && index === 0) return UNKNOWN;
    if (last) return outcome;
    // A type, enum or trait in the middle of a path (`Enum::Variant`, `Type::CONST`): what follows is not checked.
    if (outcome.kind !== 'module') return outcome.kind === 'missing' || outcome.kind === 'private' ? outcome : UNKNOWN;
    module = outcome.module;
  }
  return { kind: 'module', module };
}

function suggestion(module: Module, name: string): string {
  const prefix = module.inline.length === 0 ? '' : `${module.inline.join('::')}::`;
  const names = [
    ...module.symbols.declarations.map((declaration) => declaration.name),
    ...module.symbols.imports.map((entry) => entry.local),
  ]
    .filter((candidate) => candidate.startsWith(prefix) && !candidate.slice(prefix.length).includes(':'))
    .map((candidate) => candidate.slice(prefix.length))
    .filter((candidate) => candidate !== '*' && candidate !== name);
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: { name: string; score: number } | undefined;
  for (const candidate of new Set(names)) {
    const score = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(candidate, name, limit);
    if (score <= limit && (best === undefined || score < best.score)) best = { name: candidate, score };
  }
  return best === undefined ? '' : `; did you mean '${best.name}'?`;
}

/** The text of a missing or private name, or undefined when the resolver does not agree that it is missing. */
function problemText(ctx: Context, outcome: Outcome): string | undefined {
  if (outcome.kind === 'private') {
    return `'${outcome.name}' is private in module ${describeModule(outcome.module).replace(/ \(.*$/u, '')}`;
  }
  if (outcome.kind !== 'missing') return undefined;
  const { module, name } = outcome;
  // The resolver must agree, asked from here and from the module's own file (from here it may try another target's
  // root; from a shared test helper it knows no root): neither finds the name, one says it is missing.
  const outcomes = [
    ctx.view.resolve(ctx.path, {
      specifier: [module.base === 'crate' ? 'crate' : 'self', ...module.path, name].join('::'),
      kind: 'rust-use',
    }).kind,
    ctx.view.resolve(module.file, { specifier: ['self', ...module.inline, name].join('::'), kind: 'rust-use' }).kind,
  ];
  if (outcomes.includes('project') || !outcomes.includes('unresolved')) return undefined;
  return `'${name}' is not defined in module ${describeModule(module)}${suggestion(module, name)}`;
}

function readText(view: ProjectView, path: string): string | undefined {
  const overlaid = view.overlay.read(path);
  if (overlaid !== undefined) return overlaid ?? undefined;
  try {
    return readFileSync(join(view.projectRoot, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** The nearest Cargo.toml with a [package] table: its directory ('' for the project root) and text. */
function packageOf(view: ProjectView, file: string): { directory: string; manifest: string } | undefined {
  for (let directory = posix.dirname(file); ; directory = posix.dirname(directory)) {
    const relative = directory === '.' ? '' : directory;
    const manifest = readText(view, relative === '' ? 'Cargo.toml' : `${relative}/Cargo.toml`);
    if (manifest !== undefined && /^\s*\[package\]/mu.test(manifest)) return { directory: relative, manifest };
    if (relative === '' || directory === '/') return undefined;
  }
}

/** Whether `use` paths are 2018-style (relative to the module); 2015 when the edition is absent or inherited. */
function isEdition2018(view: ProjectView, file: string): boolean {
  const edition = /^\s*edition\s*=\s*["'](\d{4})["']/mu.exec(packageOf(view, file)?.manifest ?? '')?.[1];
  return edition !== undefined && edition !== '2015';
}

/**
 * The checked file's module and its crate root, when exactly one candidate root's module tree holds the file at the
 * place its path implies (src/a/b.rs -> crate::a::b). Candidates: the resolver's crate root (its first target, which
 * need not be this file's), the package's src/lib.rs and src/main.rs, and `[lib] path`.
 */
function placeInCrate(options: CallCheckOptions): { root: Module | undefined; self: Module } {
  const { view, path, symbols } = options;
  const detached: Module = { file: path, inline: [], symbols, base: 'file', path: [] };
  const resolved = view.resolve(path, { specifier: 'crate', kind: 'rust-use' });
  if (resolved.kind !== 'project') return { root: undefined, self: detached };
  const cargo = packageOf(view, path);
  const inPackage = (relative: string) =>
    cargo === undefined || cargo.directory === '' ? relative : `${cargo.directory}/${relative}`;
  const libraryPath = /^\s*\[lib\][^[]*?^\s*path\s*=\s*["']([^"']+)["']/mu.exec(cargo?.manifest ?? '')?.[1];
  const candidates = new Set([resolved.file, inPackage('src/lib.rs'), inPackage('src/main.rs')]);
  if (libraryPath !== undefined) candidates.add(posix.normalize(inPackage(libraryPath)));
  const placed: { root: Module; self: Module }[] = [];
  for (const candidate of candidates) {
    const rootSymbols = candidate === path ? symbols : view.symbolsOf(candidate);
    if (rootSymbols === undefined) continue;
    const root: Module = { file: candidate, inline: [], symbols: rootSymbols, base: 'crate', path: [] };
    if (candidate === path) {
      placed.push({ root, self: root });
      continue;
    }
    const relative = posix.relative(posix.dirname(candidate), path);
    if (relative.startsWith('..')) continue;
    const segments = relative.replace(/\.rs$/u, '').split('/');
    if (segments[segments.length - 1] === 'mod') segments.pop();
    const found = moduleAtPath({ view, path, root, self: detached, edition2018: () => false }, segments);
    if (found?.file === path && found.inline.length === 0) placed.push({ root, self: { ...found, symbols } });
  }
  const [only] = placed;
  return placed.length === 1 && only !== undefined ? only : { root: undefined, self: detached };
}

function arityText(name: string, shapes: readonly CallableShape[], given: number): string | undefined {
  if (
    shapes.length === 0 ||
    shapes.some((shape) => shape.rest || (given >= shape.required && given <= shape.required + shape.optional))
  ) {
    return undefined;
  }
  const counts = [...new Set(shapes.map((shape) => shape.required))].sort((left, right) => left - right);
  const plural = counts.length === 1 && counts[0] === 1 ? 'argument' : 'arguments';
  return `${name}() takes ${counts.join(' or ')} ${plural} but ${given} ${given === 1 ? 'was' : 'were'} given`;
}

export function checkRustCalls(options: CallCheckOptions): CallProblem[] {
  const { view, symbols } = options;
  const placed = placeInCrate(options);
  let edition: boolean | undefined;
  const ctx: Context = {
    view,
    path: options.path,
    ...placed,
    edition2018: () => (edition ??= isEdition2018(view, options.path)),
  };
  const problems: CallProblem[] = [];
  const inlineModules = new Set(
    symbols.declarations
      .filter((declaration) => declaration.kind === 'module' && isInlineModule(declaration))
      .map((declaration) => declaration.name),
  );
  const inModule = (inline: readonly string[]): Module => ({
    ...ctx.self,
    inline,
    path: [...ctx.self.path, ...inline],
  });
  for (const entry of symbols.imports) {
    if (entry.kind !== 'rust-use' || entry.imported === '*') continue;
    const segments = entry.specifier.split('::');
    if (segments.length < 2) continue;
    const from = inModule(entry.local.split('::').slice(0, -1));
    const outcome = walk({ ctx, start: from, segments, namespace: 'type', from, depth: 0, use: true });
    const text = problemText(ctx, outcome);
    if (text !== undefined) problems.push({ line: entry.line, column: entry.column, text });
  }
  for (const reference of symbols.references) {
    if (reference.kind !== 'call' || reference.arguments === undefined || reference.arguments.spread) continue;
    const segments = [...reference.name.split('::'), ...(reference.member === undefined ? [] : [reference.member])];
    // The longest inline-module prefix is where the call is written (or a path through it: same resolution).
    let inline = 0;
    for (let length = segments.length - 1; length > 0 && inline === 0; length -= 1) {
      if (inlineModules.has(segments.slice(0, length).join('::'))) inline = length;
    }
    const relative = segments[0] === 'crate' || segments[0] === 'self' || segments[0] === 'super';
    const start = inModule(relative ? [] : segments.slice(0, inline));
    const outcome = walk({
      ctx,
      start,
      segments: relative ? segments : segments.slice(inline),
      namespace: 'value',
      from: undefined,
      depth: 0,
      use: false,
    });
    const name = segments[segments.length - 1] ?? '';
    const text =
      outcome.kind === 'functions'
        ? arityText(name, outcome.shapes, reference.arguments.count)
        : reference.member === undefined || outcome.kind !== 'missing'
          ? undefined
          : problemText(ctx, outcome);
    if (text !== undefined) problems.push({ line: reference.line, column: reference.column, text });
  }
  return problems;
}

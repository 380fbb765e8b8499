// Go rules of the calls gate (SPEC §4.8). A Go package is a directory: `pkg.Name` must be declared and exported by
// some file of the imported project package, a plain call `F(x)` must be declared by some file of the caller's own
// package, and a call to a function must pass as many arguments as it takes (variadic respected).
//
// Build tags and `_GOOS`/`_GOARCH` file names only ever leave files out of a build, so every file of the directory is
// read whatever its constraints: a name declared under other tags is found (never reported missing), and a function
// declared differently under two sets of tags has no single arity (never checked). A name no file declares is missing
// under every configuration. What the go tool adds beyond the directory's Go files (cgo, SWIG), files that cannot be
// read or parsed, and dot imports make a package or file silent (G9).
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isIgnoredByGoTool } from '@kode/lang';
import type { SymbolDeclaration, SymbolImport, SymbolReference } from '@kode/lang';
import { similarity } from '../../similarity.js';
import type { ProjectView } from './project-view.js';
import type { CallCheckOptions, CallProblem } from './types.js';

/** Predeclared functions and types: `len(x)` and `int64(x)` need no declaration. */
const PREDECLARED = new Set(
  (
    'append cap clear close complex copy delete imag len make max min new panic print println real recover ' +
    'any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string ' +
    'uint uint8 uint16 uint32 uint64 uintptr'
  ).split(' '),
);

// Every GOOS and GOARCH the go tool knows, past ones included: `x_linux.go`, `x_arm64.go`, `x_windows_386.go`.
const KNOWN_OS = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos'.split(
    ' ',
  ),
);
const KNOWN_ARCH = new Set(
  (
    '386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ' +
    'ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm'
  ).split(' '),
);

const isExported = (name: string) => /^\p{Lu}/u.test(name);
const isTestFile = (path: string) => path.endsWith('_test.go');
const directoryOf = (path: string) => (posix.dirname(path) === '.' ? '' : posix.dirname(path));

/** goimports' assumed name of an unaliased import (mirrors @kode/lang's extractor, which records it as `local`). */
function assumedPackageName(importPath: string): string {
  const parts = importPath.split('/');
  let base = parts[parts.length - 1] ?? '';
  if (/^v\d+$/u.test(base) && parts.length > 1) base = parts[parts.length - 2] ?? base;
  base = base.replace(/^go-/u, '');
  return /^[\p{L}\p{Nd}_]*/u.exec(base)?.[0] ?? base;
}

/**
 * The go tool builds this file only for some GOOS/GOARCH/tags (`//go:build`, `// +build`, a file-name suffix). Only
 * used to tell a directory's package from a `//go:build ignore` program sharing it.
 */
function isConditionalFile(view: ProjectView, path: string): boolean {
  const parts = posix
    .basename(path, '.go')
    .replace(/_test$/u, '')
    .split('_')
    .slice(1);
  const last = parts[parts.length - 1];
  if (last !== undefined && (KNOWN_OS.has(last) || KNOWN_ARCH.has(last))) return true;
  let text: string | null | undefined = view.overlay.read(path);
  if (text === undefined) {
    try {
      text = readFileSync(join(view.projectRoot, path), 'utf8');
    } catch {
      return true;
    }
  }
  if (text === null) return true;
  // Constraints must come before the package clause.
  const header = text.slice(0, /^package\s/mu.exec(text)?.index ?? text.length);
  return /^\s*\/\/(?:go:build|\s*\+build)\s/mu.test(header);
}

interface GoPackage {
  readonly name: string;
  /** Package-level declarations by name, over all files (a name may be declared once per build configuration). */
  readonly declarations: ReadonlyMap<string, readonly SymbolDeclaration[]>;
  /** A file could not be read or parsed, or cgo/SWIG add code: a name missing from `declarations` proves nothing. */
  readonly open: boolean;
}

/**
 * The package in a directory as the go tool sees it: `.go` files not ignored by name, test files only when checking
 * a test file, and one package clause (a `//go:build ignore` program may share the directory).
 */
function loadPackage(options: {
  view: ProjectView;
  directory: string;
  includeTests: boolean;
  name?: string;
}): GoPackage | undefined {
  const { view } = options;
  const listing = view.filesIn(options.directory);
  const candidates = listing
    .filter((file) => file.endsWith('.go') && !/^[_.]/u.test(posix.basename(file)))
    .filter((file) => options.includeTests || !isTestFile(file));
  // The go tool generates Go code from SWIG interface files at build time.
  let open = listing.some((file) => file.endsWith('.swig') || file.endsWith('.swigcxx'));
  const named = candidates.flatMap((file) => {
    const symbols = view.symbolsOf(file);
    if (symbols?.packageName === undefined) open = true;
    return symbols?.packageName === undefined ? [] : [{ file, symbols, packageName: symbols.packageName }];
  });
  let name = options.name;
  if (name === undefined) {
    const nonTest = named.filter((entry) => !isTestFile(entry.file));
    let names = new Set(nonTest.map((entry) => entry.packageName));
    if (names.size > 1) {
      names = new Set(
        nonTest.filter((entry) => !isConditionalFile(view, entry.file)).map((entry) => entry.packageName),
      );
    }
    if (names.size !== 1) return undefined;
    name = [...names][0];
  }
  if (name === undefined) return undefined;
  const declarations = new Map<string, SymbolDeclaration[]>();
  for (const entry of named) {
    if (entry.packageName !== name) continue;
    open ||= entry.symbols.openExports;
    for (const declaration of entry.symbols.declarations) {
      if (declaration.kind === 'method') continue;
      const list = declarations.get(declaration.name);
      if (list === undefined) declarations.set(declaration.name, [declaration]);
      else list.push(declaration);
    }
  }
  return { name, declarations, open };
}

function closest(name: string, candidates: Iterable<string>): string {
  let best = { name: '', score: 0.6 };
  for (const candidate of candidates) {
    const score = similarity(name.toLowerCase(), candidate.toLowerCase());
    if (score > best.score) best = { name: candidate, score };
  }
  return best.name === '' ? '' : `; did you mean '${best.name}'?`;
}

const plural = (count: number) => `${count} argument${count === 1 ? '' : 's'}`;

/** Arity of a call to a function every declaration of which takes the same parameters; undefined when fine or unsure. */
function arityProblem(
  label: string,
  declarations: readonly SymbolDeclaration[],
  reference: SymbolReference,
): string | undefined {
  const given = reference.arguments;
  if (reference.kind !== 'call' || given === undefined || given.spread) return undefined;
  const shapes = declarations.map((declaration) =>
    declaration.kind === 'function' && declaration.callable?.length === 1 ? declaration.callable[0] : undefined,
  );
  const first = shapes[0];
  if (first === undefined) return undefined;
  if (shapes.some((shape) => shape === undefined || shape.required !== first.required || shape.rest !== first.rest)) {
    return undefined;
  }
  if (first.rest ? given.count >= first.required : given.count === first.required) return undefined;
  const takes = first.rest ? `at least ${plural(first.required)}` : plural(first.required);
  return `${label} takes ${takes} but ${given.count} ${given.count === 1 ? 'was' : 'were'} given`;
}

interface Binding {
  readonly specifier: string;
  readonly target: GoPackage;
}

/** Local name → project package for each import; ambiguous or undecidable bindings are left out. */
function projectBindings(options: {
  path: string;
  imports: readonly SymbolImport[];
  view: ProjectView;
  ownDeclarations: () => ReadonlyMap<string, readonly SymbolDeclaration[]> | undefined;
}): Map<string, Binding> {
  const { path, view } = options;
  const bindings = new Map<string, Binding | null>();
  for (const entry of options.imports) {
    if (entry.local === '_' || entry.local === '.') continue;
    const resolved = view.resolve(path, { specifier: entry.specifier, kind: entry.kind });
    const target =
      resolved.kind === 'project'
        ? loadPackage({ view, directory: resolved.file, includeTests: isTestFile(path) })
        : undefined;
    // An unaliased import binds the target's package clause, which the extractor could only guess.
    let local = entry.local;
    if (target !== undefined && local === assumedPackageName(entry.specifier) && target.name !== local) {
      // Unless the guess was an explicit alias: then `target.name` would name a package-level declaration instead.
      if (options.ownDeclarations()?.has(target.name) !== false) continue;
      local = target.name;
    }
    bindings.set(local, bindings.has(local) || target === undefined ? null : { specifier: entry.specifier, target });
  }
  const result = new Map<string, Binding>();
  for (const [local, binding] of bindings) if (binding !== null) result.set(local, binding);
  return result;
}

function memberProblem(binding: Binding, reference: SymbolReference): string | undefined {
  const { target, specifier } = binding;
  const member = reference.member ?? '';
  const label = `${reference.name}.${member}`;
  const exportedNames = () => [...target.declarations.keys()].filter(isExported);
  const declarations = target.declarations.get(member);
  if (!isExported(member)) {
    // Never visible from another package, whatever the build configuration.
    const missing = declarations === undefined && !target.open;
    const verdict = missing ? `is not defined in package ${specifier}` : `is not exported by package ${specifier}`;
    return `${label} ${verdict}${closest(member, exportedNames())}`;
  }
  if (declarations !== undefined) return arityProblem(label, declarations, reference);
  if (target.open) return undefined;
  return `${label} is not defined in package ${specifier}${closest(member, exportedNames())}`;
}

/**
 * A plain call `F(x)`. When this file declares F, that declaration is the one in effect in every build that includes
 * the file (another file declaring F in the same build would not compile), so the rest of the package is not read.
 */
function plainCallProblem(options: {
  reference: SymbolReference;
  fileDeclarations: ReadonlyMap<string, readonly SymbolDeclaration[]>;
  ownPackage: () => GoPackage | undefined;
}): string | undefined {
  const { reference } = options;
  const inFile = options.fileDeclarations.get(reference.name);
  if (inFile !== undefined) return arityProblem(reference.name, inFile, reference);
  // A builtin is only ever shadowed by a declaration of the same name: not worth reading the package for.
  if (PREDECLARED.has(reference.name)) return undefined;
  const own = options.ownPackage();
  if (own === undefined) return undefined;
  const declarations = own.declarations.get(reference.name);
  if (declarations !== undefined) return arityProblem(reference.name, declarations, reference);
  if (own.open) return undefined;
  const callable = [...own.declarations].filter(([, list]) => list.some((entry) => entry.callable !== undefined));
  const suggestion = closest(
    reference.name,
    callable.map(([name]) => name),
  );
  return `${reference.name} is not defined in package ${own.name}${suggestion}`;
}

export function checkGoCalls(options: CallCheckOptions): CallProblem[] {
  const { path, symbols, view } = options;
  const packageName = symbols.packageName;
  // cgo, parse errors, files the go tool never builds, and dot imports (any plain name may come from them).
  if (symbols.openExports || packageName === undefined || isIgnoredByGoTool(path)) return [];
  if (/^[_.]/u.test(posix.basename(path)) || symbols.imports.some((entry) => entry.local === '.')) return [];
  let own: GoPackage | null | undefined = null;
  const ownPackage = () => {
    if (own === null) {
      own = loadPackage({ view, directory: directoryOf(path), includeTests: isTestFile(path), name: packageName });
    }
    return own;
  };
  const bindings = projectBindings({
    path,
    imports: symbols.imports,
    view,
    ownDeclarations: () => ownPackage()?.declarations,
  });
  const fileDeclarations = new Map<string, SymbolDeclaration[]>();
  for (const declaration of symbols.declarations) {
    if (declaration.kind === 'method') continue;
    fileDeclarations.set(declaration.name, [...(fileDeclarations.get(declaration.name) ?? []), declaration]);
  }
  const importNames = new Set(symbols.imports.map((entry) => entry.local));
  const problems: CallProblem[] = [];
  for (const reference of symbols.references) {
    let text: string | undefined;
    if (reference.member !== undefined) {
      const binding = bindings.get(reference.name);
      if (binding !== undefined) text = memberProblem(binding, reference);
    } else if (reference.kind === 'call' && !importNames.has(reference.name)) {
      text = plainCallProblem({ reference, fileDeclarations, ownPackage });
    }
    if (text !== undefined) problems.push({ line: reference.line, column: reference.column, text });
  }
  return problems;
}

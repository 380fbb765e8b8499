// Python rules of the calls gate (SPEC §4.8): `from m import x` names something m has, and calls to project functions
// and classes (imported by name, through an imported module, or defined in the same file) fit their parameters.
// Everything uncertain is silent (G9): star imports and module `__getattr__` (openExports), decorated functions and
// special classes (no callable shape), `*`/`**` at the call, names the file rebinds (the extractor leaves those
// references out), imports under `try`/`if`/TYPE_CHECKING, stubs, and modules shadowed by a compiled extension.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseSource } from '@kode/lang';
import type {
  CallableShape,
  FileSymbols,
  ImportRecord,
  SymbolDeclaration,
  SymbolImport,
  SymbolReference,
} from '@kode/lang';
import type { ProjectView } from './project-view.js';
import { editDistance } from './suggest.js';
import type { CallCheckOptions, CallProblem } from './types.js';

type Lookup =
  | { readonly kind: 'declaration'; readonly declaration: SymbolDeclaration }
  | { readonly kind: 'module'; readonly file: string }
  | { readonly kind: 'exists' }
  | { readonly kind: 'missing'; readonly names: readonly string[] }
  | { readonly kind: 'unknown' };

type CallArguments = NonNullable<SymbolReference['arguments']>;

interface Pending {
  readonly line: number;
  readonly column: number;
  readonly text: string;
  /** What makes the finding moot when the file's text shows it (lazily checked: findings are rare). */
  readonly guard: 'import' | 'attribute' | 'type-error';
  readonly entry?: SymbolImport;
  readonly binding?: string;
}

// Attributes every module has without declaring them.
const IMPLICIT_NAMES = new Set(
  '__name__ __file__ __doc__ __spec__ __loader__ __package__ __path__ __builtins__ __dict__ __cached__ __all__'.split(
    ' ',
  ),
);
const MAX_FOLLOWED_IMPORTS = 8;
// A file that handles TypeError anywhere (`except TypeError`, `pytest.raises(TypeError)`, `assertRaises`) may call
// with a wrong arity on purpose: feature probes, compatibility fallbacks, tests of the error itself.
const HANDLES_TYPE_ERROR = (text: string): boolean => /\bTypeError\b/.test(text.replace(/\braise\s+TypeError\b/g, ''));

export function checkPythonCalls(options: CallCheckOptions): CallProblem[] {
  const { path, symbols, view } = options;
  // Stubs are read by type checkers only (which resolve imports to other stubs), never run.
  if (path.endsWith('.pyi')) return [];
  const pending: Pending[] = [];
  for (const entry of symbols.imports) {
    if (entry.kind !== 'python-from' || entry.imported === '*' || entry.local === '' || entry.typeOnly === true)
      continue;
    const file = projectModule({ view, fromFile: path, entry });
    if (file === undefined) continue;
    const found = lookupName({ view, file, name: entry.imported });
    if (found.kind !== 'missing') continue;
    pending.push({
      line: entry.line,
      column: entry.column,
      text: notDefined({ name: entry.imported, module: entry.specifier, file, names: found.names }),
      guard: 'import',
      entry,
    });
  }
  for (const reference of symbols.references) {
    if (reference.kind !== 'call' || reference.arguments === undefined || reference.arguments.spread) continue;
    const problem = checkCall({ path, symbols, view, reference, arguments: reference.arguments });
    if (problem !== undefined) pending.push(problem);
  }
  if (pending.length === 0) return [];
  const text = fileText(view, path);
  if (text === undefined) return [];
  const isGuarded = lazyImportGuards(path, text);
  return pending
    .filter((problem) => {
      if (problem.guard === 'type-error') return !HANDLES_TYPE_ERROR(text);
      if (problem.guard === 'attribute') {
        const name = problem.binding ?? '';
        return !text.includes('AttributeError') && !new RegExp(`\\b(?:has|get)attr\\(\\s*${name}\\b`).test(text);
      }
      // `with pytest.raises(ImportError): from m import gone` tests the failure itself.
      if (/[Rr]aises\w*\(\s*(?:ImportError|ModuleNotFoundError)\b/.test(text)) return false;
      return problem.entry !== undefined && !isGuarded(problem.entry);
    })
    .map(({ line, column, text: message }) => ({ line, column, text: message }));
}

/** What a call reference's name is bound to, as far as it can be known for certain. */
function bindingOf(options: { path: string; symbols: FileSymbols; view: ProjectView; name: string }): Lookup {
  const { symbols, view, name } = options;
  const declarations = symbols.declarations.filter((declaration) => declaration.name === name);
  const imports = symbols.imports.filter((entry) => entry.local === name);
  // Bound twice (try/except fallbacks, a def replaced by an assignment...): which one runs is not ours to guess.
  if (declarations.length + imports.length !== 1) return { kind: 'unknown' };
  const declaration = declarations[0];
  if (declaration !== undefined) {
    // A star import or `globals()` may replace the definition at run time.
    return symbols.openExports ? { kind: 'unknown' } : { kind: 'declaration', declaration };
  }
  const entry = imports[0];
  if (entry === undefined || entry.typeOnly === true) return { kind: 'unknown' };
  return followImport({ view, file: options.path, entry, seen: new Set() });
}

function checkCall(options: {
  path: string;
  symbols: FileSymbols;
  view: ProjectView;
  reference: SymbolReference;
  arguments: CallArguments;
}): Pending | undefined {
  const { reference, view } = options;
  const { line, column } = reference;
  const binding = bindingOf({ ...options, name: reference.name });
  let target: Lookup = binding;
  if (reference.member !== undefined) {
    if (binding.kind !== 'module') return undefined;
    target = lookupName({ view, file: binding.file, name: reference.member });
    if (target.kind === 'missing') {
      const module = moduleLabel(options.symbols, reference.name);
      if (module === undefined) return undefined;
      const text = notDefined({ name: reference.member, module, file: binding.file, names: target.names });
      return { line, column, text, guard: 'attribute', binding: reference.name };
    }
  }
  if (target.kind !== 'declaration') return undefined;
  const shapes = target.declaration.callable;
  if (shapes === undefined || shapes.length === 0) return undefined;
  const label = `${reference.name}${reference.member === undefined ? '' : `.${reference.member}`}()`;
  const problems = shapes.map((shape) => arityProblem({ label, shape, call: options.arguments }));
  // Conditional definitions with different shapes: a call that fits any of them is fine.
  if (problems.some((problem) => problem === undefined)) return undefined;
  const text = problems[0];
  return text === undefined ? undefined : { line, column, text, guard: 'type-error' };
}

/** The dotted module a local module binding stands for, as the file wrote it (`app.billing`, `.billing`). */
function moduleLabel(symbols: FileSymbols, local: string): string | undefined {
  const entry = symbols.imports.find((candidate) => candidate.local === local);
  if (entry === undefined) return undefined;
  if (entry.imported === '*') return entry.specifier;
  return entry.specifier.endsWith('.') ? `${entry.specifier}${entry.imported}` : `${entry.specifier}.${entry.imported}`;
}

function followImport(options: { view: ProjectView; file: string; entry: SymbolImport; seen: Set<string> }): Lookup {
  const { view, entry } = options;
  if (entry.typeOnly === true) return { kind: 'exists' };
  const file = projectModule({ view, fromFile: options.file, entry });
  if (file === undefined) return { kind: 'exists' };
  if (entry.imported === '*') return { kind: 'module', file };
  const found = lookupName({ view, file, name: entry.imported, seen: options.seen });
  // A name the other module fails to provide is that module's problem, not this import's.
  return found.kind === 'declaration' || found.kind === 'module' ? found : { kind: 'exists' };
}

/**
 * The project file an import loads, when that is certain. The resolver also searches the importing file's own
 * directories (script directories are on sys.path), so `import types` from inside package `click` finds
 * `click/types.py`; run as part of its package, the module gets the standard library's `types`. A top-level module
 * found inside a package directory is therefore no certain target.
 */
function projectModule(options: { view: ProjectView; fromFile: string; entry: SymbolImport }): string | undefined {
  const { view, entry } = options;
  const resolved = view.resolve(options.fromFile, { specifier: entry.specifier, kind: entry.kind });
  if (resolved.kind !== 'project') return undefined;
  if (entry.specifier.startsWith('.')) return resolved.file;
  const segments = entry.specifier.split('.');
  const parts = resolved.file
    .replace(/\/__init__\.pyi?$/, '')
    .replace(/\.pyi?$/, '')
    .split('/');
  if (parts.slice(-segments.length).join('.') !== entry.specifier) return undefined;
  const root = parts.slice(0, -segments.length).join('/');
  if (root === '') return resolved.file;
  return view.filesIn(root).some((file) => /\/__init__\.pyi?$/.test(file)) ? undefined : resolved.file;
}

/** What `name` is in project module `file`: `from file import name` and `file.name` both mean this. */
function lookupName(options: { view: ProjectView; file: string; name: string; seen?: Set<string> }): Lookup {
  const { view, file, name } = options;
  const seen = options.seen ?? new Set<string>();
  const key = `${file}\u0000${name}`;
  if (seen.has(key) || seen.size >= MAX_FOLLOWED_IMPORTS) return { kind: 'unknown' };
  seen.add(key);
  const symbols = view.symbolsOf(file);
  if (symbols === undefined) return { kind: 'unknown' };
  if (IMPLICIT_NAMES.has(name)) return { kind: 'exists' };
  // Stubs describe a module that lives elsewhere (often compiled) and may be partial.
  const stub = file.endsWith('.pyi');
  const declarations = symbols.declarations.filter((declaration) => declaration.name === name);
  const imports = symbols.imports.filter((entry) => entry.local === name);
  if (declarations.length + imports.length > 0) {
    if (stub || symbols.openExports) return { kind: 'exists' };
    const declaration = declarations[0];
    if (declarations.length === 1 && imports.length === 0 && declaration !== undefined) {
      return { kind: 'declaration', declaration };
    }
    const entry = imports[0];
    if (imports.length === 1 && declarations.length === 0 && entry !== undefined) {
      return followImport({ view, file, entry, seen });
    }
    return { kind: 'exists' };
  }
  if (symbols.exports.some((declaration) => declaration.name === name) || symbols.all?.includes(name) === true) {
    return { kind: 'exists' };
  }
  if (stub || symbols.openExports || hasCompiledTwin(view, file)) return { kind: 'unknown' };
  const isPackage = /^__init__\.pyi?$/.test(posix.basename(file));
  if (isPackage) {
    // A package's submodules are importable from it by name.
    const submodule = view.resolve(file, { specifier: `.${name}`, kind: 'python-from' });
    if (submodule.kind === 'project') return { kind: 'module', file: submodule.file };
    if (submodule.kind !== 'unresolved') return { kind: 'unknown' };
  }
  return { kind: 'missing', names: knownNames({ view, file, symbols, isPackage }) };
}

/** `x.py` next to `x.cpython-312-x86_64-linux-gnu.so`: the import system loads the compiled one. */
function hasCompiledTwin(view: ProjectView, file: string): boolean {
  if (!file.endsWith('.py')) return false;
  const stem = posix.basename(file, '.py');
  return view
    .filesIn(posix.dirname(file))
    .some((other) => new RegExp(`^${stem}(?:\\.[^./]+)?\\.(?:so|pyd)$`).test(posix.basename(other)));
}

function knownNames(options: { view: ProjectView; file: string; symbols: FileSymbols; isPackage: boolean }): string[] {
  const { symbols } = options;
  const names = [
    ...symbols.declarations.map((declaration) => declaration.name),
    ...symbols.imports.map((entry) => entry.local),
    ...(symbols.all ?? []),
  ];
  if (options.isPackage) {
    for (const sibling of options.view.filesIn(posix.dirname(options.file))) {
      const match = /^([A-Za-z_]\w*)\.pyi?$/.exec(posix.basename(sibling));
      if (match?.[1] !== undefined && match[1] !== '__init__') names.push(match[1]);
    }
  }
  return names.filter((name) => name !== '');
}

function notDefined(options: { name: string; module: string; file: string; names: readonly string[] }): string {
  const suggestion = closestName(options.name, options.names);
  return (
    `'${options.name}' is not defined in module ${options.module} (${options.file})` +
    (suggestion === undefined ? '' : `; did you mean '${suggestion}'?`)
  );
}

/** Python's own TypeError wording, with the call written as the caller wrote it. */
function arityProblem(options: { label: string; shape: CallableShape; call: CallArguments }): string | undefined {
  const { label, shape, call } = options;
  const positional = shape.required + shape.optional;
  const positionalOnly = shape.positionalOnly ?? 0;
  const keywords = shape.keywords;
  if (keywords === undefined) return undefined;
  // The extractor lists positional-or-keyword parameters first, in order, then keyword-only ones.
  const named = keywords.slice(0, positional - positionalOnly);
  if (!shape.rest && call.count > positional) {
    const takes = shape.optional === 0 ? `${positional}` : `${shape.required} to ${positional}`;
    const noun = takes === '1' ? 'argument' : 'arguments';
    return `${label} takes ${takes} positional ${noun} but ${call.count} ${call.count === 1 ? 'was' : 'were'} given`;
  }
  const given = call.keywords ?? [];
  for (const keyword of given) {
    const index = named.indexOf(keyword);
    if (index !== -1) {
      if (positionalOnly + index < call.count) return `${label} got multiple values for argument '${keyword}'`;
      continue;
    }
    if (keywords.includes(keyword) || shape.anyKeyword === true) continue;
    const suggestion = closestName(keyword, keywords);
    return (
      `${label} got an unexpected keyword argument '${keyword}'` +
      (suggestion === undefined ? '' : `; did you mean '${suggestion}'?`)
    );
  }
  for (let slot = call.count; slot < shape.required; slot += 1) {
    const name = slot < positionalOnly ? undefined : named[slot - positionalOnly];
    if (name === undefined) {
      return `${label} takes at least ${shape.required} positional argument${shape.required === 1 ? '' : 's'} but ${call.count} ${call.count === 1 ? 'was' : 'were'} given`;
    }
    if (!given.includes(name)) return `${label} missing required argument '${name}'`;
  }
  const missing = (shape.requiredKeywords ?? []).find((name) => !given.includes(name));
  return missing === undefined ? undefined : `${label} missing required argument '${missing}'`;
}

/** The closest candidate within a typo's reach (optimal string alignment distance, transpositions count one). */
function closestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of new Set(candidates)) {
    if (candidate === name || Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function fileText(view: ProjectView, path: string): string | undefined {
  const overlaid = view.overlay.read(path);
  if (overlaid !== undefined) return overlaid ?? undefined;
  try {
    return readFileSync(join(view.projectRoot, path), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether an import may fail by design: under `try`/`if`/`with suppress(...)`, in a function body, or marked
 * `# type: ignore` (the imports gate skips the same ones). Parsed only when a finding needs it.
 */
function lazyImportGuards(path: string, text: string): (entry: SymbolImport) => boolean {
  let records: readonly ImportRecord[] | undefined;
  return (entry) => {
    if (records === undefined) {
      const parsed = parseSource({ language: 'python', path, text });
      records = parsed.incomplete ? [] : parsed.imports.filter((record) => record.kind === 'python-from');
      if (parsed.incomplete) return true;
    }
    // A record sits on its module name's line; the names of a parenthesised import may follow on later lines.
    let statement: ImportRecord | undefined;
    for (const record of records) {
      if (record.specifier !== entry.specifier || record.line > entry.line) continue;
      if (statement === undefined || record.line >= statement.line) statement = record;
    }
    return statement === undefined || statement.optional === true;
  };
}

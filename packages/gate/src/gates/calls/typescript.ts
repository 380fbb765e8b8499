// TypeScript/JavaScript rules of the calls gate (SPEC §4.8): names imported from project modules exist there
// (through re-exports and `export *`), members of `import * as ns` / `require()` namespaces exist, and calls and
// `new` on project functions and classes fit one of their call shapes. Every lookup that meets something it cannot
// see through (an external package, a CommonJS module built at run time, `export =`, a declaration file of a
// workspace package's build output) answers "unknown", and unknown is silent (G9).
import type { CallableShape, FileSymbols, SymbolDeclaration, SymbolImport, SymbolReference } from '@kode/lang';
import type { ProjectView } from './project-view.js';
import type { CallCheckOptions, CallProblem } from './types.js';

type Lookup =
  | { readonly kind: 'found'; readonly declaration: SymbolDeclaration | undefined }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unknown' };

interface Target {
  readonly file: string;
  readonly symbols: FileSymbols;
}

const FOUND_WITHOUT_SHAPE: Lookup = { kind: 'found', declaration: undefined };
const MISSING: Lookup = { kind: 'missing' };
const UNKNOWN: Lookup = { kind: 'unknown' };
/** Re-export chains longer than this are not followed (unknown). */
const MAX_DEPTH = 24;
/** A `require()` result is an ordinary object: `x.hasOwnProperty` exists without being exported. */
const OBJECT_MEMBERS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__esModule']);
const DECLARATION_FILE = /\.d\.(?:[mc]?ts|[^/]*\.ts)$/i;
const BUILD_OUTPUT = /(?:^|\/)(?:dist|build|out)\//;

export function checkTypeScriptCalls(options: CallCheckOptions): CallProblem[] {
  const { path, symbols, view } = options;
  if (symbols.language !== 'typescript' && symbols.language !== 'javascript') return [];
  const modules = createModuleLookup(view);
  const importerIsJavaScript = symbols.language === 'javascript';
  const problems: CallProblem[] = [];
  const importsByLocal = new Map<string, SymbolImport>();
  for (const binding of symbols.imports) if (binding.local !== '') importsByLocal.set(binding.local, binding);

  const find = (binding: SymbolImport, name: string): { target: Target; result: Lookup } | undefined => {
    const target = modules.target(path, binding);
    if (target === undefined) return undefined;
    let result = modules.lookup(target, name, 0, new Set());
    if (result.kind === 'missing' && importerIsJavaScript && DECLARATION_FILE.test(target.file)) {
      // A .js importer runs against the implementation beside the declaration file, which may export more
      // (`@internal` names stripped from the .d.ts).
      const implementation = modules.implementationOf(target.file);
      if (implementation !== undefined) result = modules.lookup(implementation, name, 0, new Set());
    }
    return { target, result };
  };

  for (const binding of symbols.imports) {
    if (binding.local === '' || binding.imported === '*') continue;
    const found = find(binding, binding.imported);
    if (found?.result.kind !== 'missing') continue;
    const names = modules.exportNames(found.target);
    if (binding.imported === 'default') {
      const hint = names.has(binding.local) ? `; did you mean { ${binding.local} }?` : '';
      problems.push({ ...at(binding), text: `${binding.specifier} has no default export${hint}` });
    } else {
      problems.push({
        ...at(binding),
        text: `'${binding.imported}' is not exported by ${binding.specifier}${suggestion(binding.imported, names)}`,
      });
    }
  }

  for (const reference of symbols.references) {
    const binding = importsByLocal.get(reference.name);
    if (reference.member !== undefined) {
      if (binding?.imported !== '*' || OBJECT_MEMBERS.has(reference.member)) continue;
      const found = find(binding, reference.member);
      if (found === undefined) continue;
      if (found.result.kind === 'missing') {
        const names = modules.exportNames(found.target);
        problems.push({
          ...at(reference),
          text:
            `'${reference.member}' is not exported by namespace '${reference.name}' (${binding.specifier})` +
            suggestion(reference.member, names),
        });
      } else if (found.result.kind === 'found') {
        const problem = arityProblem(reference, found.result.declaration);
        if (problem !== undefined) problems.push(problem);
      }
      continue;
    }
    if (reference.kind === 'member') continue;
    let declaration: SymbolDeclaration | undefined;
    if (binding !== undefined) {
      if (binding.imported === '*' || binding.typeOnly === true) continue;
      const found = find(binding, binding.imported);
      if (found?.result.kind !== 'found') continue;
      declaration = found.result.declaration;
    } else {
      declaration = symbols.declarations.find((candidate) => candidate.name === reference.name);
    }
    const problem = arityProblem(reference, declaration);
    if (problem !== undefined) problems.push(problem);
  }

  // One report per distinct problem: the same wrong call repeated says nothing new.
  const seen = new Set<string>();
  return problems
    .sort((left, right) => left.line - right.line || left.column - right.column)
    .filter((problem) => !seen.has(problem.text) && seen.add(problem.text));
}

function at(node: { readonly line: number; readonly column: number }): { line: number; column: number } {
  return { line: node.line, column: node.column };
}

function createModuleLookup(view: ProjectView) {
  const target = (
    fromFile: string,
    request: { specifier: string; kind: SymbolImport['kind']; typeOnly?: boolean },
  ): Target | undefined => {
    const resolved = view.resolve(fromFile, {
      specifier: request.specifier,
      kind: request.kind,
      ...(request.typeOnly === undefined ? {} : { typeOnly: request.typeOnly }),
    });
    if (resolved.kind !== 'project') return undefined;
    // A package name that lands on a declaration file or a build directory (a workspace package's `exports`) lands on
    // build output, which may lag the source the patch edits.
    if (
      !/^\.\.?(?:\/|$)/.test(request.specifier) &&
      (DECLARATION_FILE.test(resolved.file) || BUILD_OUTPUT.test(resolved.file))
    ) {
      return undefined;
    }
    const symbols = view.symbolsOf(resolved.file);
    if (symbols === undefined || (symbols.language !== 'typescript' && symbols.language !== 'javascript')) {
      return undefined;
    }
    return { file: resolved.file, symbols };
  };

  const lookup = (module: Target, name: string, depth: number, seen: Set<string>): Lookup => {
    const key = `${module.file}\u0000${name}`;
    if (seen.has(key)) return MISSING; // a cycle adds nothing the first visit did not
    seen.add(key);
    if (module.symbols.openExports || depth > MAX_DEPTH) return UNKNOWN;
    const own = module.symbols.exports.find((declaration) => declaration.name === name);
    if (own !== undefined) return { kind: 'found', declaration: own };
    for (const reExport of module.symbols.reExports) {
      if (reExport.names === '*') continue;
      const entry = reExport.names.find((candidate) => candidate.exported === name);
      if (entry === undefined) continue;
      if (entry.imported === '*') return FOUND_WITHOUT_SHAPE;
      const next = target(module.file, reExport);
      if (next === undefined) return FOUND_WITHOUT_SHAPE;
      const result = lookup(next, entry.imported, depth + 1, seen);
      // The name is exported here whatever the other file holds; a broken re-export is that file's problem.
      return result.kind === 'found' ? result : FOUND_WITHOUT_SHAPE;
    }
    if (name === 'default') return MISSING; // `export *` never re-exports a default
    let unknown = false;
    for (const reExport of module.symbols.reExports) {
      if (reExport.names !== '*') continue;
      const next = target(module.file, reExport);
      const result = next === undefined ? UNKNOWN : lookup(next, name, depth + 1, seen);
      if (result.kind === 'found') return result;
      if (result.kind === 'unknown') unknown = true;
    }
    return unknown ? UNKNOWN : MISSING;
  };

  /** Every name a module exports, for "did you mean" (best effort: only used once a name is known missing). */
  const exportNames = (module: Target, depth = 0, seen = new Set<string>()): Set<string> => {
    const names = new Set<string>();
    if (seen.has(module.file) || depth > MAX_DEPTH) return names;
    seen.add(module.file);
    for (const declaration of module.symbols.exports) names.add(declaration.name);
    for (const reExport of module.symbols.reExports) {
      if (reExport.names !== '*') for (const entry of reExport.names) names.add(entry.exported);
      else {
        const next = target(module.file, reExport);
        if (next !== undefined) for (const name of exportNames(next, depth + 1, seen)) names.add(name);
      }
    }
    return names;
  };

  const implementationOf = (declarationFile: string): Target | undefined => {
    for (const extension of ['js', 'mjs', 'cjs', 'jsx']) {
      const file = declarationFile.replace(DECLARATION_FILE, `.${extension}`);
      const symbols = view.symbolsOf(file);
      if (symbols !== undefined) return { file, symbols };
    }
    return undefined;
  };

  return { target, lookup, exportNames, implementationOf };
}

/** A call that fits none of the callee's shapes; undefined when it fits one or the callee's shape is not known. */
function arityProblem(reference: SymbolReference, declaration: SymbolDeclaration | undefined): CallProblem | undefined {
  const shapes = declaration?.callable;
  const given = reference.arguments;
  if (shapes === undefined || shapes.length === 0 || given === undefined || given.spread) return undefined;
  if (reference.kind === 'member') return undefined;
  // Calling a class without `new` is another error than arity; `new` on a plain function is an old-style constructor.
  if (reference.kind === 'call' && declaration?.kind !== 'function') return undefined;
  if (reference.kind === 'new' && declaration?.kind !== 'class' && declaration?.kind !== 'function') return undefined;
  const count = given.count;
  if (shapes.some((shape) => count >= shape.required && (shape.rest || count <= shape.required + shape.optional))) {
    return undefined;
  }
  const callee = reference.member === undefined ? reference.name : `${reference.name}.${reference.member}`;
  const label = reference.kind === 'new' ? `new ${callee}()` : `${callee}()`;
  return { ...at(reference), text: `${label} expects ${describeShapes(shapes)} but got ${count}` };
}

/** "1 argument", "1-2 arguments", "at least 1 argument", "1 or 3 arguments". */
function describeShapes(shapes: readonly CallableShape[]): string {
  const ranges = shapes
    .map((shape) => [shape.required, shape.rest ? Infinity : shape.required + shape.optional] as [number, number])
    .sort((left, right) => left[0] - right[0] || left[1] - right[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  const parts = merged.map(([low, high]) =>
    high === Infinity ? `at least ${low}` : low === high ? `${low}` : `${low}-${high}`,
  );
  const text = parts.length === 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1) ?? ''}`;
  const only = merged.length === 1 ? merged[0] : undefined;
  const singular = only !== undefined && only[0] === 1 && (only[1] === 1 || only[1] === Infinity);
  return `${text} ${singular ? 'argument' : 'arguments'}`;
}

/** `; did you mean 'x'?` for the closest name within edit distance 2 (and shorter than the name itself). */
function suggestion(name: string, candidates: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of [...candidates].sort()) {
    if (candidate === name || candidate === 'default') continue;
    const distance = editDistance(name, candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance < name.length ? `; did you mean '${best}'?` : '';
}

/** Levenshtein distance, stopping early once every path exceeds `limit`. */
function editDistance(left: string, right: string, limit: number): number {
  if (Math.abs(left.length - right.length) >= limit) return limit;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    let smallest = row;
    for (let column = 1; column <= right.length; column += 1) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      const value = Math.min(
        (previous[column] ?? Infinity) + 1,
        (current[column - 1] ?? Infinity) + 1,
        (previous[column - 1] ?? Infinity) + cost,
      );
      current.push(value);
      smallest = Math.min(smallest, value);
    }
    if (smallest >= limit) return limit;
    previous = current;
  }
  return previous[right.length] ?? limit;
}

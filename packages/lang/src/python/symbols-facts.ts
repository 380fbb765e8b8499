// The facts one walk over a Python tree collects (symbols-walk.ts), and the writers that record bindings and imports
// into them. symbols.ts assembles them into FileSymbols.
import type { CallableShape, SymbolKind } from '../symbols/types.js';
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import type { LiteralStrings, Targets } from './symbols-nodes.js';
import { collectCaptures, collectStrings, collectTargets } from './symbols-nodes.js';

export type Scope = 'module' | 'function' | 'class' | 'comprehension';

export interface Context {
  readonly scope: Scope;
  /** Where `:=` binds: comprehensions bind in the enclosing function or module. */
  readonly walrusScope: Scope;
  readonly typeChecking: boolean;
}

export interface ScopeRange {
  readonly start: number;
  readonly end: number;
  readonly scope: Exclude<Scope, 'module'>;
}

/** One module-level binding of a name. */
export interface Site {
  readonly kind: SymbolKind;
  /** The statement (with decorators) the binding belongs to. */
  readonly span: SyntaxNode;
  /** `def`/`class` header end (the `:`), for the signature text; undefined for other bindings. */
  readonly headerEnd?: number;
  /** Undefined: cannot be called with certainty. */
  readonly shape: CallableShape | undefined;
  readonly fingerprint: string;
}

export interface ImportFact {
  readonly local: string;
  readonly imported: string;
  readonly specifier: string;
  readonly kind: 'python-import' | 'python-from';
  readonly offset: number;
  readonly statement: SyntaxNode;
  readonly typeOnly: boolean;
  readonly moduleLevel: boolean;
}

export interface Candidate {
  readonly kind: 'call' | 'member';
  readonly name: string;
  readonly member?: string;
  readonly offset: number;
  readonly inClassBody: boolean;
  /** The call, for its arguments: read only for the few candidates that become references. */
  readonly node?: SyntaxNode;
}

export interface WalkFacts {
  readonly sites: Map<string, Site[]>;
  readonly imports: ImportFact[];
  /** Module-level import bindings per local name (how many). */
  readonly moduleImports: Map<string, number>;
  readonly localBound: Set<string>;
  readonly classBound: Set<string>;
  readonly globalNames: Set<string>;
  readonly attributeTargets: Set<string>;
  readonly all: LiteralStrings & { line: number; seen: boolean };
  readonly starImports: { readonly specifier: string; readonly statement: SyntaxNode }[];
  /** In document order. */
  readonly candidates: Candidate[];
  /** `globals()`, `exec`, module-level `vars()`/`locals()`: names appear that no statement declares. */
  dynamic: boolean;
}

const CONSTANT_NAME = /^_*[A-Z][A-Z0-9_]*$/;

export function createFacts(): WalkFacts {
  return {
    sites: new Map(),
    imports: [],
    moduleImports: new Map(),
    localBound: new Set(),
    classBound: new Set(),
    globalNames: new Set(),
    attributeTargets: new Set(),
    all: { values: [], literal: true, line: 0, seen: false },
    starImports: [],
    candidates: [],
    dynamic: false,
  };
}

/** Records bindings by scope: module-level ones as sites, the others as names the references must avoid. */
export function factWriter(facts: WalkFacts) {
  const addSite = (name: string, site: Site) => {
    const list = facts.sites.get(name);
    if (list === undefined) facts.sites.set(name, [site]);
    else list.push(site);
  };
  const bind = (name: string, scope: Scope, span: SyntaxNode) => {
    if (scope === 'module') {
      const kind = CONSTANT_NAME.test(name) ? 'constant' : 'variable';
      addSite(name, { kind, span, shape: undefined, fingerprint: kind });
    } else if (scope === 'class') facts.classBound.add(name);
    else facts.localBound.add(name);
  };
  const bindTargets = (target: SyntaxNode | null, scope: Scope, span: SyntaxNode) => {
    if (target === null) return;
    const out: Targets = { names: [], attributes: [] };
    collectTargets(target, out);
    for (const name of out.names) bind(name, scope, span);
    for (const attribute of out.attributes) facts.attributeTargets.add(attribute);
  };
  const bindLocals = (node: SyntaxNode | null) => {
    if (node === null) return;
    const names: string[] = [];
    collectCaptures(node, names);
    for (const name of names) facts.localBound.add(name);
  };
  const bindImport = (fact: Omit<ImportFact, 'moduleLevel'>, context: Context) => {
    facts.imports.push({ ...fact, moduleLevel: context.scope === 'module' });
    if (fact.local === '') return;
    if (context.scope === 'module') facts.moduleImports.set(fact.local, (facts.moduleImports.get(fact.local) ?? 0) + 1);
    else if (context.scope === 'class') facts.classBound.add(fact.local);
    else facts.localBound.add(fact.local);
  };
  const collectAll = (value: SyntaxNode | null, statement: SyntaxNode) => {
    facts.all.seen = true;
    facts.all.line ||= statement.startPosition.row + 1;
    if (value === null) facts.all.literal = false;
    else collectStrings(value, facts.all);
  };

  const importStatement = (node: SyntaxNode, context: Context) => {
    for (const name of node.childrenForFieldName('name')) {
      const dotted = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
      if (dotted === null) continue;
      const specifier = dotted.text.replace(/\s+/g, '');
      const common = { imported: '*', kind: 'python-import', offset: dotted.startIndex, statement: node } as const;
      const typeOnly = context.typeChecking;
      if (name.type === 'aliased_import') {
        bindImport({ ...common, local: name.childForFieldName('alias')?.text ?? '', specifier, typeOnly }, context);
        continue;
      }
      // `import a.b` binds `a`; loading `a.b` also makes it reachable as an attribute of `a`.
      const top = specifier.split('.')[0] ?? specifier;
      bindImport({ ...common, local: top, specifier: top, typeOnly }, context);
      if (top !== specifier) bindImport({ ...common, local: '', specifier, typeOnly }, context);
    }
  };
  const fromImport = (node: SyntaxNode, context: Context) => {
    const moduleNode = node.childForFieldName('module_name');
    if (moduleNode === null) return;
    const specifier = moduleNode.text.replace(/\s+/g, '');
    const common = { kind: 'python-from', specifier, statement: node, typeOnly: context.typeChecking } as const;
    if (node.namedChildren.some((child) => child.type === 'wildcard_import')) {
      bindImport({ ...common, local: '', imported: '*', offset: moduleNode.startIndex }, context);
      if (context.scope === 'module') facts.starImports.push({ specifier, statement: node });
      return;
    }
    for (const name of node.childrenForFieldName('name')) {
      const importedNode = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
      if (importedNode === null) continue;
      const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : importedNode.text;
      if (local === undefined) continue;
      bindImport({ ...common, local, imported: importedNode.text, offset: importedNode.startIndex }, context);
    }
  };

  return { addSite, bind, bindTargets, bindLocals, bindImport, collectAll, importStatement, fromImport };
}

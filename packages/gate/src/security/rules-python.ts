// Python dangerous-code rules of the security gate (SPEC §4.10): py/eval, py/shell-exec, py/sql-concat,
// py/tls-disabled and py/unsafe-deserialization, decided on the tree-sitter-python tree (the raw text is only
// consulted to skip collecting node kinds whose trigger words do not occur in the file at all).
//
// Calls are judged by what they really call: names go through imports (`import subprocess as sp`,
// `from pickle import loads`), plain aliases (`run = subprocess.run`) and the usual evasions (`__import__("os")`,
// `getattr(os, "system")`, `sys.modules["os"]`). Local variables are followed to the assignments that reach the call,
// so `os.system(CLEAR)` with a constant stays quiet while `sql = f"...{x}"` then `cur.execute(sql)` is caught.
//
// Linear time: one native `descendantsOfType` pass collects the nodes of interest, scopes and blocks come from an
// interval sweep over them (no `.parent` walks, which tree-sitter answers by descending from the root), and every
// variable's value is analysed once (memoised, cycles cut) with a bounded recursion depth.
import type { SyntaxNode } from '@kode/lang';

import { ruleSeverity } from './catalog.js';
import type { SecurityFinding, Severity } from './types.js';

type PythonRuleId = 'py/eval' | 'py/shell-exec' | 'py/sql-concat' | 'py/tls-disabled' | 'py/unsafe-deserialization';

/** A name whose value cannot be known statically (a parameter, a call result, ...). Matches no rule. */
const UNKNOWN = '?';

/** Deeper expressions than this are not analysed: they are judged "not provably dangerous" (no finding). */
const MAX_DEPTH = 48;

const SCOPE_TYPES = ['function_definition', 'lambda', 'class_definition'];
const BINDING_TYPES = [
  'import_statement',
  'import_from_statement',
  'assignment',
  'augmented_assignment',
  'for_statement',
  'for_in_clause',
  'as_pattern_target',
  'named_expression',
  'global_statement',
];
const ALWAYS_COLLECTED_TYPES = [...SCOPE_TYPES, 'block', ...BINDING_TYPES, 'call', 'exec_statement'];

/** Builtins that matter here; a bare use of one of these names that nothing in the file rebinds is the builtin. */
const BUILTIN_NAMES = new Set([
  'eval',
  'exec',
  'compile',
  'getattr',
  '__import__',
  'vars',
  'int',
  'float',
  'len',
  'bool',
  'range',
]);
/** Builtins whose result carries no text an attacker chooses. */
const SAFE_BUILTIN_CALLS = ['builtins.int', 'builtins.float', 'builtins.len', 'builtins.bool', 'builtins.range'];

const EVAL_TARGETS = new Set(['builtins.eval', 'builtins.exec', 'builtins.compile']);

/** subprocess functions that run a shell only with `shell=True`. */
const SHELL_OPTIONAL_TARGETS = new Set([
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.Popen',
]);

/** Functions that always hand their command to a shell. */
const ALWAYS_SHELL_TARGETS = new Set([
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'os.system',
  'os.popen',
  'commands.getoutput',
  'commands.getstatusoutput',
  'asyncio.create_subprocess_shell',
]);

const UNPICKLE_TARGETS = new Set(
  ['pickle', 'cPickle', '_pickle', 'dill', 'cloudpickle'].flatMap((module) => [
    `${module}.load`,
    `${module}.loads`,
    `${module}.Unpickler`,
  ]),
);
const ALWAYS_UNSAFE_DESERIALIZE_TARGETS = new Set([
  ...UNPICKLE_TARGETS,
  'marshal.load',
  'marshal.loads',
  'jsonpickle.decode',
  'yaml.unsafe_load',
  'yaml.unsafe_load_all',
  'yaml.full_load',
  'yaml.full_load_all',
]);
const YAML_LOAD_TARGETS = new Set(['yaml.load', 'yaml.load_all']);
const YAML_SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
const YAML_UNSAFE_LOADERS = new Set([
  'Loader',
  'CLoader',
  'FullLoader',
  'CFullLoader',
  'UnsafeLoader',
  'CUnsafeLoader',
]);

const UNVERIFIED_CONTEXT = 'ssl._create_unverified_context';
const HTTP_SESSION_FACTORIES = new Set([
  'requests.Session',
  'requests.session',
  'requests.sessions.Session',
  'httpx.Client',
  'httpx.AsyncClient',
]);

/** Methods whose first argument is SQL text (DB-API cursors and connections, SQLAlchemy, Django, pandas). */
const SQL_METHODS = new Set([
  'execute',
  'executemany',
  'executescript',
  'exec_driver_sql',
  'raw',
  'read_sql',
  'read_sql_query',
]);
const SQL_FUNCTION_TARGETS = new Set(['pandas.read_sql', 'pandas.read_sql_query']);
const SQL_ARGUMENT_KEYWORDS = ['sql', 'query', 'operation', 'statement'];
const SQL_VERB = /\b(?:select|insert|update|delete|replace|merge|upsert|create|drop|alter|truncate)\b/i;
const SQL_CLAUSE = /\b(?:from|into|set|where|values|table|join)\b/i;
const SQL_HAS_VERB = 1;
const SQL_HAS_CLAUSE = 2;
const SQL_LOOKING = SQL_HAS_VERB | SQL_HAS_CLAUSE;

/** Every name a star import may provide that some rule cares about. */
const KNOWN_TARGETS = new Set([
  ...EVAL_TARGETS,
  ...SHELL_OPTIONAL_TARGETS,
  ...ALWAYS_SHELL_TARGETS,
  ...ALWAYS_UNSAFE_DESERIALIZE_TARGETS,
  ...YAML_LOAD_TARGETS,
  ...SQL_FUNCTION_TARGETS,
  UNVERIFIED_CONTEXT,
]);

/** Method names worth resolving: `x.foo(...)` with any other name cannot be a finding, so it costs one lookup. */
const INTERESTING_METHODS = new Set([...[...KNOWN_TARGETS].map(lastSegment), ...SQL_METHODS]);

interface Scope {
  readonly kind: 'module' | 'function' | 'class';
  readonly parent: Scope | null;
  readonly bindings: Map<string, Binding[]>;
  readonly starModules: string[];
  readonly globals: Set<string>;
}

/** Where a node sits: its scope, its offset and the innermost block around it (to tell whether a write dominates). */
interface Place {
  readonly scope: Scope;
  readonly offset: number;
  readonly blockStart: number;
  readonly blockEnd: number;
}

type Binding =
  | { readonly kind: 'import'; readonly target: string; readonly place: Place }
  | { readonly kind: 'assign'; readonly value: SyntaxNode; readonly place: Place }
  | { readonly kind: 'augment'; readonly operator: string; readonly value: SyntaxNode; readonly place: Place }
  | { readonly kind: 'class'; readonly node: SyntaxNode; readonly place: Place }
  /** A `for` target: its values come from `value`, the iterable. */
  | { readonly kind: 'iterate'; readonly value: SyntaxNode; readonly place: Place }
  | { readonly kind: 'other'; readonly place: Place };
type AssignBinding = Extract<Binding, { readonly kind: 'assign' }>;

/** What the SQL rule knows about a string expression: SQL keywords in its literal parts, and how it was made. */
interface SqlShape {
  /** SQL_HAS_VERB | SQL_HAS_CLAUSE bits seen in the literal parts. */
  readonly keywords: number;
  /** Some part is not a literal (or literal-derived placeholder text). */
  readonly dynamic: boolean;
  /** A non-literal part was spliced in by f-string, `%`, `+` or `.format`. */
  readonly built: boolean;
}

const STATIC_SHAPE: SqlShape = { keywords: 0, dynamic: false, built: false };
const OPAQUE_SHAPE: SqlShape = { keywords: 0, dynamic: true, built: false };

interface CallArguments {
  /** Positional arguments in order; a `*splat` stays in the list (it is not a literal). */
  readonly positional: readonly SyntaxNode[];
  readonly keywords: ReadonlyMap<string, SyntaxNode>;
  readonly hasSplat: boolean;
  readonly hasKeywordSplat: boolean;
}

/** Dangerous-code findings in one Python file (py/eval, py/shell-exec, py/sql-concat, py/tls-disabled, py/unsafe-deserialization). */
export function scanPython(root: SyntaxNode): SecurityFinding[] {
  return new PythonScan(root).run();
}

function newScope(kind: Scope['kind'], parent: Scope | null): Scope {
  return { kind, parent, bindings: new Map(), starModules: [], globals: new Set() };
}

function last<T>(items: readonly T[]): T | undefined {
  return items[items.length - 1];
}

/** `posix.system` and `nt.system` are `os.system`; `__builtins__` and Python 2 `__builtin__` are `builtins`. */
function normalizeName(name: string): string {
  const dot = name.indexOf('.');
  const head = dot === -1 ? name : name.slice(0, dot);
  const rest = dot === -1 ? '' : name.slice(dot);
  if (head === 'posix' || head === 'nt') return `os${rest}`;
  if (head === '__builtins__' || head === '__builtin__') return `builtins${rest}`;
  return name;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** `a.b.c` of a dotted_name, ignoring whitespace and comments between the parts. */
function dottedName(node: SyntaxNode): string {
  return node.namedChildren
    .filter((child) => child.type === 'identifier')
    .map((child) => child.text)
    .join('.');
}

function isStringLiteralWithoutInterpolation(node: SyntaxNode): boolean {
  return node.type === 'string' && !node.namedChildren.some((child) => child.type === 'interpolation');
}

/** The text between the quotes of a string node (escapes left as written), interpolations dropped. */
function stringContent(node: SyntaxNode): string {
  let text = '';
  for (const child of node.namedChildren) if (child.type === 'string_content') text += child.text;
  return text;
}

function sqlKeywords(text: string): number {
  return (SQL_VERB.test(text) ? SQL_HAS_VERB : 0) | (SQL_CLAUSE.test(text) ? SQL_HAS_CLAUSE : 0);
}

function unionShapes(first: SqlShape, second: SqlShape): SqlShape {
  return {
    keywords: first.keywords | second.keywords,
    dynamic: first.dynamic || second.dynamic,
    built: first.built || second.built,
  };
}

/** `left + right`: splicing a non-literal part into SQL text is building it. */
function concatenateShapes(left: SqlShape, right: SqlShape): SqlShape {
  const dynamic = left.dynamic || right.dynamic;
  return { keywords: left.keywords | right.keywords, dynamic, built: left.built || right.built || dynamic };
}

function callArguments(call: SyntaxNode): CallArguments {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  let hasSplat = false;
  let hasKeywordSplat = false;
  const list = call.childForFieldName('arguments');
  if (list !== null && list.type === 'generator_expression') positional.push(list);
  else if (list !== null) {
    for (const argument of list.namedChildren) {
      if (argument.type === 'comment') continue;
      if (argument.type === 'keyword_argument') {
        const name = argument.childForFieldName('name');
        const value = argument.childForFieldName('value');
        if (name !== null && value !== null) keywords.set(name.text, value);
      } else if (argument.type === 'dictionary_splat') {
        hasKeywordSplat = true;
      } else {
        if (argument.type === 'list_splat') hasSplat = true;
        positional.push(argument);
      }
    }
  }
  return { positional, keywords, hasSplat, hasKeywordSplat };
}

/** The first positional argument, or the first of `keywordNames` given by keyword. */
function firstArgument(args: CallArguments, keywordNames: readonly string[]): SyntaxNode | undefined {
  const first = args.positional[0];
  if (first !== undefined) return first;
  for (const name of keywordNames) {
    const value = args.keywords.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Identifiers a binding target introduces (`a`, `a, (b, *c)`, `[a, b]`); attributes and subscripts bind nothing. */
function targetNames(target: SyntaxNode, into: SyntaxNode[] = [], depth = 0): SyntaxNode[] {
  if (depth > MAX_DEPTH) return into;
  switch (target.type) {
    case 'identifier':
      into.push(target);
      break;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'list_splat_pattern':
    case 'parenthesized_expression':
    case 'as_pattern_target':
      for (const child of target.namedChildren) targetNames(child, into, depth + 1);
      break;
    default:
      break;
  }
  return into;
}

/** Names bound by a parameter list (`a`, `b: int`, `c=1`, `*args`, `**kwargs`). */
function parameterNames(parameters: SyntaxNode): SyntaxNode[] {
  const names: SyntaxNode[] = [];
  for (const parameter of parameters.namedChildren) {
    switch (parameter.type) {
      case 'identifier':
        names.push(parameter);
        break;
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = parameter.childForFieldName('name');
        if (name !== null) targetNames(name, names);
        break;
      }
      case 'typed_parameter':
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
      case 'tuple_pattern':
        for (const child of parameter.namedChildren) {
          if (child.type === 'identifier') names.push(child);
          else if (child.type === 'list_splat_pattern' || child.type === 'dictionary_splat_pattern') {
            names.push(...child.namedChildren.filter((inner) => inner.type === 'identifier'));
          }
        }
        break;
      default:
        break;
    }
  }
  return names;
}

/** The value finally assigned by `a = b = value` (the right side of the innermost assignment). */
function assignedValue(assignment: SyntaxNode): SyntaxNode | null {
  let value = assignment.childForFieldName('right');
  for (let depth = 0; value !== null && value.type === 'assignment' && depth < MAX_DEPTH; depth += 1) {
    value = value.childForFieldName('right');
  }
  return value;
}

class PythonScan {
  private readonly module = newScope('module', null);
  private readonly checks: { readonly node: SyntaxNode; readonly place: Place }[] = [];
  private readonly findings: SecurityFinding[] = [];
  private readonly namesMemo = new Map<Binding, readonly string[]>();
  private readonly safeMemo = new Map<Binding, boolean>();
  private readonly shapeMemo = new Map<Binding, SqlShape>();
  private mentionsUnverifiedContext = false;
  private mentionsVerify = false;

  constructor(private readonly root: SyntaxNode) {}

  run(): SecurityFinding[] {
    this.collect();
    for (const { node, place } of this.checks) {
      switch (node.type) {
        case 'call':
          this.checkCall(node, place);
          break;
        case 'keyword_argument':
          this.checkKeywordArgument(node);
          break;
        case 'attribute':
          this.checkAttribute(node, place);
          break;
        case 'assignment':
          this.checkAssignment(node, place);
          break;
        case 'exec_statement': {
          const code = node.childForFieldName('code');
          if (code !== null && !this.isSafe(code, place, 0)) this.report('py/eval', node);
          break;
        }
        default:
          break;
      }
    }
    return this.sortedUniqueFindings();
  }

  // ---- collection: scopes, blocks, bindings and the nodes to check, in one sweep ----

  /**
   * Keyword arguments and attributes are numerous and only two TLS checks read them: they are collected only when
   * the words those checks look for occur in the file at all (the decision itself stays on the tree).
   */
  private collectedTypes(): string[] {
    const text = this.root.text;
    const types = [...ALWAYS_COLLECTED_TYPES];
    this.mentionsUnverifiedContext = text.includes('_create_unverified_context');
    this.mentionsVerify = text.includes('verify');
    if (this.mentionsVerify || text.includes('cert_reqs')) types.push('keyword_argument');
    if (this.mentionsUnverifiedContext) types.push('attribute');
    return types;
  }

  private collect(): void {
    const scopes: { readonly scope: Scope; readonly end: number }[] = [];
    const blocks: { readonly start: number; readonly end: number }[] = [];
    for (const node of this.root.descendantsOfType(this.collectedTypes())) {
      const offset = node.startIndex;
      while (scopes.length > 0 && (last(scopes)?.end ?? 0) <= offset) scopes.pop();
      while (blocks.length > 0 && (last(blocks)?.end ?? 0) <= offset) blocks.pop();
      const scope = last(scopes)?.scope ?? this.module;
      const block = last(blocks);
      const place: Place = {
        scope,
        offset,
        blockStart: block?.start ?? 0,
        blockEnd: block?.end ?? Number.POSITIVE_INFINITY,
      };
      switch (node.type) {
        case 'function_definition':
        case 'lambda': {
          const name = node.type === 'function_definition' ? node.childForFieldName('name') : null;
          if (name !== null) this.bind(scope, name.text, { kind: 'other', place });
          const inner = newScope('function', scope);
          scopes.push({ scope: inner, end: node.endIndex });
          const parameters = node.childForFieldName('parameters');
          const innerPlace: Place = { scope: inner, offset, blockStart: offset, blockEnd: node.endIndex };
          if (parameters !== null) {
            for (const parameter of parameterNames(parameters)) {
              this.bind(inner, parameter.text, { kind: 'other', place: innerPlace });
            }
          }
          break;
        }
        case 'class_definition': {
          const name = node.childForFieldName('name');
          if (name !== null) this.bind(scope, name.text, { kind: 'class', node, place });
          scopes.push({ scope: newScope('class', scope), end: node.endIndex });
          break;
        }
        case 'block':
          blocks.push({ start: offset, end: node.endIndex });
          break;
        case 'import_statement':
          this.collectImport(node, place);
          break;
        case 'import_from_statement':
          this.collectImportFrom(node, place);
          break;
        case 'assignment':
          this.collectAssignment(node, place);
          this.checks.push({ node, place });
          break;
        case 'augmented_assignment': {
          const left = node.childForFieldName('left');
          const operator = node.childForFieldName('operator');
          const value = node.childForFieldName('right');
          if (left !== null && left.type === 'identifier' && operator !== null && value !== null) {
            this.bind(scope, left.text, { kind: 'augment', operator: operator.text, value, place });
          }
          break;
        }
        case 'for_statement':
        case 'for_in_clause':
        case 'as_pattern_target': {
          const target = node.type === 'as_pattern_target' ? node : node.childForFieldName('left');
          const iterable = node.type === 'as_pattern_target' ? null : node.childForFieldName('right');
          if (target !== null) {
            for (const name of targetNames(target)) {
              const binding: Binding =
                iterable === null ? { kind: 'other', place } : { kind: 'iterate', value: iterable, place };
              this.bind(scope, name.text, binding);
            }
          }
          break;
        }
        case 'named_expression': {
          const name = node.childForFieldName('name');
          const value = node.childForFieldName('value');
          if (name !== null && value !== null) this.bind(scope, name.text, { kind: 'assign', value, place });
          break;
        }
        case 'global_statement':
          if (scope.kind === 'function') {
            for (const name of node.namedChildren) if (name.type === 'identifier') scope.globals.add(name.text);
          }
          break;
        default:
          this.checks.push({ node, place });
          break;
      }
    }
  }

  private bind(scope: Scope, name: string, binding: Binding): void {
    const target = scope.kind === 'function' && scope.globals.has(name) ? this.module : scope;
    const existing = target.bindings.get(name);
    if (existing === undefined) target.bindings.set(name, [binding]);
    else existing.push(binding);
  }

  /** `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`. */
  private collectImport(node: SyntaxNode, place: Place): void {
    for (const name of node.childrenForFieldName('name')) {
      if (name.type === 'dotted_name') {
        const head = name.namedChildren.find((child) => child.type === 'identifier');
        if (head !== undefined) this.bind(place.scope, head.text, { kind: 'import', target: head.text, place });
      } else if (name.type === 'aliased_import') {
        const module = name.childForFieldName('name');
        const alias = name.childForFieldName('alias');
        if (module !== null && alias !== null) {
          this.bind(place.scope, alias.text, { kind: 'import', target: normalizeName(dottedName(module)), place });
        }
      }
    }
  }

  /** `from m import a as b` binds `b` to `m.a`; relative imports bind to names no rule knows. */
  private collectImportFrom(node: SyntaxNode, place: Place): void {
    const moduleNode = node.childForFieldName('module_name');
    if (moduleNode === null) return;
    const module = moduleNode.type === 'dotted_name' ? normalizeName(dottedName(moduleNode)) : `.${moduleNode.text}`;
    if (node.namedChildren.some((child) => child.type === 'wildcard_import')) {
      place.scope.starModules.push(module);
      return;
    }
    for (const name of node.childrenForFieldName('name')) {
      if (name.type === 'dotted_name') {
        const imported = dottedName(name);
        this.bind(place.scope, imported, { kind: 'import', target: `${module}.${imported}`, place });
      } else if (name.type === 'aliased_import') {
        const imported = name.childForFieldName('name');
        const alias = name.childForFieldName('alias');
        if (imported !== null && alias !== null) {
          this.bind(place.scope, alias.text, { kind: 'import', target: `${module}.${dottedName(imported)}`, place });
        }
      }
    }
  }

  private collectAssignment(node: SyntaxNode, place: Place): void {
    const left = node.childForFieldName('left');
    const value = assignedValue(node);
    if (left === null || value === null) return;
    if (left.type === 'identifier') this.bind(place.scope, left.text, { kind: 'assign', value, place });
    else for (const name of targetNames(left)) this.bind(place.scope, name.text, { kind: 'other', place });
  }

  // ---- name resolution ----

  private lookup(name: string, place: Place): { readonly scope: Scope; readonly bindings: Binding[] } | null {
    let innermost = true;
    for (let scope: Scope | null = place.scope; scope !== null; scope = scope.parent) {
      // A class body's names are visible in the class body only, not in its methods.
      if (scope.kind !== 'class' || innermost) {
        const bindings = scope.bindings.get(name);
        if (bindings !== undefined) return { scope, bindings };
      }
      innermost = false;
    }
    return null;
  }

  /**
   * The writes of `name` that may reach `place`, in source order: in the same scope, those before it back to the
   * last plain write whose block encloses `place` (writes inside a branch do not stop the search); from an enclosing
   * scope, all of them (a function body runs after the module has been set up). Null when nothing binds the name.
   */
  private reachingWrites(name: string, place: Place): readonly Binding[] | null {
    const found = this.lookup(name, place);
    if (found === null) return null;
    if (found.scope !== place.scope) return found.bindings;
    const reaching: Binding[] = [];
    for (let index = found.bindings.length - 1; index >= 0; index -= 1) {
      const binding = found.bindings[index];
      if (binding === undefined || binding.place.offset >= place.offset) continue;
      reaching.push(binding);
      const enclosing = binding.place.blockStart <= place.offset && place.offset < binding.place.blockEnd;
      if (binding.kind !== 'augment' && enclosing) break;
    }
    // Used before any write in this scope (a loop, or code after a nested def): any write may reach it.
    return reaching.length > 0 ? reaching.reverse() : found.bindings;
  }

  /** The dotted names `node` may denote (`subprocess.run`, `builtins.eval`, `os`), or UNKNOWN. */
  private resolveNames(node: SyntaxNode, place: Place, depth: number): readonly string[] {
    if (depth > MAX_DEPTH) return [UNKNOWN];
    switch (node.type) {
      case 'identifier':
        return this.resolveIdentifier(node.text, place, depth);
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((child) => child.type !== 'comment');
        return inner === undefined ? [UNKNOWN] : this.resolveNames(inner, place, depth + 1);
      }
      case 'attribute': {
        const object = node.childForFieldName('object');
        const attribute = node.childForFieldName('attribute');
        if (object === null || attribute === null) return [UNKNOWN];
        return this.member(this.resolveNames(object, place, depth + 1), attribute.text);
      }
      case 'call':
        return this.resolveCallResult(node, place, depth);
      case 'subscript': {
        // sys.modules["os"], os.__dict__["system"], vars(os)["system"], __builtins__["eval"]
        const value = node.childForFieldName('value');
        const key = node.childForFieldName('subscript');
        const keyText = key === null ? null : this.literalValue(key, place, depth + 1);
        if (value === null || keyText === null) return [UNKNOWN];
        const containers = this.resolveNames(value, place, depth + 1);
        const names: string[] = [];
        for (const container of containers) {
          if (container === 'sys.modules') names.push(normalizeName(keyText));
          else if (container === 'builtins') names.push(`builtins.${keyText}`);
          else if (container.endsWith('.__dict__')) names.push(normalizeName(`${container.slice(0, -9)}.${keyText}`));
        }
        if (value.type === 'call' && this.calls(value, place, depth, 'builtins.vars')) {
          const object = callArguments(value).positional[0];
          if (object !== undefined) names.push(...this.member(this.resolveNames(object, place, depth + 1), keyText));
        }
        return names.length > 0 ? names : [UNKNOWN];
      }
      default:
        return [UNKNOWN];
    }
  }

  private member(bases: readonly string[], attribute: string): readonly string[] {
    const names = bases.filter((base) => base !== UNKNOWN).map((base) => normalizeName(`${base}.${attribute}`));
    return names.length > 0 ? names : [UNKNOWN];
  }

  /** What a call returns, when it is a module or a member: `__import__("os")`, `getattr(os, "system")`. */
  private resolveCallResult(call: SyntaxNode, place: Place, depth: number): readonly string[] {
    const callee = call.childForFieldName('function');
    if (callee === null) return [UNKNOWN];
    const args = callArguments(call);
    const first = args.positional[0];
    const second = args.positional[1];
    const functions = this.resolveNames(callee, place, depth + 1);
    if (functions.includes('builtins.__import__') || functions.includes('importlib.import_module')) {
      const module = first === undefined ? null : this.literalValue(first, place, depth + 1);
      if (module === null) return [UNKNOWN];
      // __import__("os.path") returns the top package unless a fromlist is given.
      const topOnly = functions.includes('builtins.__import__') && args.positional.length < 4;
      return [normalizeName(topOnly ? (module.split('.')[0] ?? module) : module)];
    }
    if (functions.includes('builtins.getattr') && first !== undefined && second !== undefined) {
      const attribute = this.literalValue(second, place, depth + 1);
      if (attribute === null) return [UNKNOWN];
      return this.member(this.resolveNames(first, place, depth + 1), attribute);
    }
    return [UNKNOWN];
  }

  private resolveIdentifier(name: string, place: Place, depth: number): readonly string[] {
    const writes = this.reachingWrites(name, place);
    if (writes === null) return [this.freeName(name, place)];
    const names = new Set<string>();
    for (const write of writes) {
      if (write.kind === 'import') names.add(write.target);
      else if (write.kind === 'assign') for (const resolved of this.bindingNames(write, depth)) names.add(resolved);
      else names.add(UNKNOWN);
    }
    return [...names];
  }

  private bindingNames(binding: AssignBinding, depth: number): readonly string[] {
    const cached = this.namesMemo.get(binding);
    if (cached !== undefined) return cached;
    this.namesMemo.set(binding, [UNKNOWN]);
    const names = this.resolveNames(binding.value, binding.place, depth + 1);
    this.namesMemo.set(binding, names);
    return names;
  }

  /** A name nothing in the file binds: a star import's member, a builtin, or a module used without its import. */
  private freeName(name: string, place: Place): string {
    for (let scope: Scope | null = place.scope; scope !== null; scope = scope.parent) {
      for (const module of scope.starModules) {
        const candidate = normalizeName(`${module}.${name}`);
        if (KNOWN_TARGETS.has(candidate)) return candidate;
      }
    }
    if (BUILTIN_NAMES.has(name)) return `builtins.${name}`;
    return normalizeName(name);
  }

  private calls(call: SyntaxNode, place: Place, depth: number, ...targets: string[]): boolean {
    const callee = call.childForFieldName('function');
    if (callee === null) return false;
    return this.resolveNames(callee, place, depth + 1).some((name) => targets.includes(name));
  }

  // ---- literal values ----

  /** The string value of a literal-only expression (`"sys" + "tem"`, a constant variable), else null. */
  private literalValue(node: SyntaxNode, place: Place, depth: number): string | null {
    if (depth > MAX_DEPTH) return null;
    switch (node.type) {
      case 'string':
        return isStringLiteralWithoutInterpolation(node) ? stringContent(node) : null;
      case 'concatenated_string':
      case 'parenthesized_expression': {
        let text = '';
        for (const child of node.namedChildren) {
          if (child.type === 'comment') continue;
          const value = this.literalValue(child, place, depth + 1);
          if (value === null) return null;
          text += value;
        }
        return text;
      }
      case 'binary_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (node.childForFieldName('operator')?.type !== '+' || left === null || right === null) return null;
        const leftValue = this.literalValue(left, place, depth + 1);
        const rightValue = leftValue === null ? null : this.literalValue(right, place, depth + 1);
        return leftValue === null || rightValue === null ? null : leftValue + rightValue;
      }
      case 'identifier': {
        const writes = this.reachingWrites(node.text, place);
        const only = writes?.length === 1 ? writes[0] : undefined;
        return only?.kind === 'assign' ? this.literalValue(only.value, only.place, depth + 1) : null;
      }
      default:
        return null;
    }
  }

  /**
   * Whether `node` carries no outside input: literals, constants, operations on them, and the harmless derivations
   * (`"?" * n`, `",".join(["%s"] * n)`, `int(x)`, `len(x)`). Deeper than MAX_DEPTH counts as safe (no finding).
   */
  private isSafe(node: SyntaxNode, place: Place, depth: number): boolean {
    if (depth > MAX_DEPTH) return true;
    switch (node.type) {
      case 'string':
        return node.namedChildren.every((child) => {
          if (child.type !== 'interpolation') return true;
          const expression = child.childForFieldName('expression');
          return expression === null || this.isSafe(expression, place, depth + 1);
        });
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
      case 'comment':
        return true;
      case 'concatenated_string':
      case 'parenthesized_expression':
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return node.namedChildren.every((child) => this.isSafe(child, place, depth + 1));
      case 'unary_operator':
      case 'not_operator': {
        const argument = node.childForFieldName('argument');
        return argument === null || this.isSafe(argument, place, depth + 1);
      }
      case 'dictionary':
        return node.namedChildren.every((pair) => {
          if (pair.type === 'comment') return true;
          if (pair.type !== 'pair') return false;
          const key = pair.childForFieldName('key');
          const value = pair.childForFieldName('value');
          return (
            key !== null && value !== null && this.isSafe(key, place, depth + 1) && this.isSafe(value, place, depth + 1)
          );
        });
      case 'conditional_expression': {
        const [whenTrue, , whenFalse] = node.namedChildren.filter((child) => child.type !== 'comment');
        return (
          whenTrue !== undefined &&
          whenFalse !== undefined &&
          this.isSafe(whenTrue, place, depth + 1) &&
          this.isSafe(whenFalse, place, depth + 1)
        );
      }
      case 'binary_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left === null || right === null) return false;
        if (node.childForFieldName('operator')?.type === '*' && (this.isRepeatable(left) || this.isRepeatable(right))) {
          return true;
        }
        return this.isSafe(left, place, depth + 1) && this.isSafe(right, place, depth + 1);
      }
      case 'list_comprehension':
      case 'generator_expression':
      case 'set_comprehension': {
        // ("?" for _ in ids): every element is the same literal.
        const body = node.childForFieldName('body');
        return body !== null && this.isSafe(body, place, depth + 1);
      }
      case 'call':
        return this.isSafeCall(node, place, depth);
      case 'identifier':
        return this.isSafeIdentifier(node.text, place, depth);
      default:
        return false;
    }
  }

  /** A literal string or a list/tuple of literals: repeating it `n` times injects nothing. */
  private isRepeatable(node: SyntaxNode): boolean {
    if (node.type === 'string') return isStringLiteralWithoutInterpolation(node);
    if (node.type === 'list' || node.type === 'tuple') {
      return node.namedChildren.every(
        (child) => child.type === 'comment' || isStringLiteralWithoutInterpolation(child),
      );
    }
    return false;
  }

  /** `int(x)`, `len(x)`, `range(n)`... yield no text an attacker chooses; `"lit".join(lits)` and friends neither. */
  private isSafeCall(call: SyntaxNode, place: Place, depth: number): boolean {
    const callee = call.childForFieldName('function');
    if (callee === null) return false;
    if (this.calls(call, place, depth, ...SAFE_BUILTIN_CALLS)) return true;
    if (callee.type !== 'attribute') return false;
    const object = callee.childForFieldName('object');
    if (object === null || !this.isSafe(object, place, depth + 1)) return false;
    const args = callArguments(call);
    if (args.hasKeywordSplat) return false;
    return (
      args.positional.every((argument) => this.isSafe(argument, place, depth + 1)) &&
      [...args.keywords.values()].every((argument) => this.isSafe(argument, place, depth + 1))
    );
  }

  private isSafeIdentifier(name: string, place: Place, depth: number): boolean {
    const writes = this.reachingWrites(name, place);
    if (writes === null || writes.length === 0) return false;
    return writes.every((write) => {
      // `for statement in ("FAIL", "ABORT")`: a loop over literals yields literals.
      if (write.kind !== 'assign' && write.kind !== 'augment' && write.kind !== 'iterate') return false;
      const cached = this.safeMemo.get(write);
      if (cached !== undefined) return cached;
      this.safeMemo.set(write, true);
      const safe = this.isSafe(write.value, write.place, depth + 1);
      this.safeMemo.set(write, safe);
      return safe;
    });
  }

  // ---- SQL shapes ----

  private sqlShape(node: SyntaxNode, place: Place, depth: number): SqlShape {
    if (depth > MAX_DEPTH) return STATIC_SHAPE;
    switch (node.type) {
      case 'string': {
        let keywords = sqlKeywords(stringContent(node));
        let dynamic = false;
        for (const child of node.namedChildren) {
          if (child.type !== 'interpolation') continue;
          const expression = child.childForFieldName('expression');
          if (expression === null) continue;
          if (!this.isSafe(expression, place, depth + 1)) dynamic = true;
          // An interpolated constant contributes its text: f"{BASE} WHERE id = {x}".
          else keywords |= this.sqlShape(expression, place, depth + 1).keywords;
        }
        return { keywords, dynamic, built: dynamic };
      }
      case 'concatenated_string':
        return node.namedChildren
          .filter((child) => child.type !== 'comment')
          .map((child) => this.sqlShape(child, place, depth + 1))
          .reduce(concatenateShapes, STATIC_SHAPE);
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((child) => child.type !== 'comment');
        return inner === undefined ? OPAQUE_SHAPE : this.sqlShape(inner, place, depth + 1);
      }
      case 'conditional_expression': {
        const [whenTrue, , whenFalse] = node.namedChildren.filter((child) => child.type !== 'comment');
        if (whenTrue === undefined || whenFalse === undefined) return OPAQUE_SHAPE;
        return unionShapes(this.sqlShape(whenTrue, place, depth + 1), this.sqlShape(whenFalse, place, depth + 1));
      }
      case 'binary_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const operator = node.childForFieldName('operator')?.type;
        if (left === null || right === null) return OPAQUE_SHAPE;
        if (operator === '+') {
          return concatenateShapes(this.sqlShape(left, place, depth + 1), this.sqlShape(right, place, depth + 1));
        }
        if (operator === '%') return this.formatted(this.sqlShape(left, place, depth + 1), [right], place, depth);
        return this.isSafe(node, place, depth + 1) ? STATIC_SHAPE : OPAQUE_SHAPE;
      }
      case 'call':
        return this.sqlCallShape(node, place, depth);
      case 'identifier':
        return this.sqlIdentifierShape(node.text, place, depth);
      default:
        return this.isSafe(node, place, depth + 1) ? STATIC_SHAPE : OPAQUE_SHAPE;
    }
  }

  /** `template % values` or `template.format(values)`: built when a value is not safe. */
  private formatted(template: SqlShape, values: readonly SyntaxNode[], place: Place, depth: number): SqlShape {
    const spliced = values.some((value) => !this.isSafe(value, place, depth + 1));
    return { keywords: template.keywords, dynamic: template.dynamic || spliced, built: template.built || spliced };
  }

  private sqlCallShape(call: SyntaxNode, place: Place, depth: number): SqlShape {
    const callee = call.childForFieldName('function');
    const args = callArguments(call);
    if (callee === null) return OPAQUE_SHAPE;
    const method = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    const object = callee.type === 'attribute' ? callee.childForFieldName('object') : null;
    if (method === 'format' && object !== null) {
      if (args.hasKeywordSplat) return { ...this.sqlShape(object, place, depth + 1), dynamic: true, built: true };
      const values = [...args.positional, ...args.keywords.values()];
      return this.formatted(this.sqlShape(object, place, depth + 1), values, place, depth);
    }
    // SQLAlchemy text(...) wraps SQL text: judge the text.
    if ((callee.type === 'identifier' && callee.text === 'text') || method === 'text') {
      const text = firstArgument(args, ['text']);
      return text === undefined ? OPAQUE_SHAPE : this.sqlShape(text, place, depth + 1);
    }
    return this.isSafe(call, place, depth + 1) ? STATIC_SHAPE : OPAQUE_SHAPE;
  }

  private sqlIdentifierShape(name: string, place: Place, depth: number): SqlShape {
    const writes = this.reachingWrites(name, place);
    if (writes === null) return OPAQUE_SHAPE;
    let shape: SqlShape | null = null;
    for (const write of writes) {
      if (write.kind === 'assign') {
        const assigned = this.bindingShape(write, depth);
        shape = shape === null ? assigned : unionShapes(shape, assigned);
      } else if (write.kind === 'augment' && (write.operator === '+=' || write.operator === '%=')) {
        const base: SqlShape = shape ?? OPAQUE_SHAPE;
        shape =
          write.operator === '+='
            ? concatenateShapes(base, this.sqlShape(write.value, write.place, depth + 1))
            : this.formatted(base, [write.value], write.place, depth);
      } else {
        const safe = write.kind === 'iterate' && this.isSafe(write.value, write.place, depth + 1);
        const other = safe ? STATIC_SHAPE : OPAQUE_SHAPE;
        shape = shape === null ? other : unionShapes(shape, other);
      }
    }
    return shape ?? OPAQUE_SHAPE;
  }

  private bindingShape(binding: AssignBinding, depth: number): SqlShape {
    const cached = this.shapeMemo.get(binding);
    if (cached !== undefined) return cached;
    this.shapeMemo.set(binding, STATIC_SHAPE);
    const shape = this.sqlShape(binding.value, binding.place, depth + 1);
    this.shapeMemo.set(binding, shape);
    return shape;
  }

  // ---- rules ----

  private checkCall(call: SyntaxNode, place: Place): void {
    const callee = call.childForFieldName('function');
    if (callee === null) return;
    if (callee.type === 'attribute' && !INTERESTING_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) {
      return;
    }
    const names = this.resolveNames(callee, place, 0);
    const sqlSink = this.isSqlSink(callee, names);
    if (!sqlSink && !names.some((name) => KNOWN_TARGETS.has(name))) return;
    const has = (targets: ReadonlySet<string>): boolean => names.some((name) => targets.has(name));
    const args = callArguments(call);

    if (has(EVAL_TARGETS)) {
      const source = firstArgument(args, ['source', 'expression', 'object']);
      if (source !== undefined && !this.isSafe(source, place, 0)) {
        // `exec(code, namespace)`: code generation into a namespace the caller builds (namedtuple, attrs, jinja2,
        // importlib): medium. A bare `eval(x)` runs in the caller's own scope: high.
        const namespace = args.positional[1] ?? args.keywords.get('globals');
        this.report('py/eval', call, namespace === undefined ? ruleSeverity('py/eval') : 'medium');
      }
    }

    if (has(ALWAYS_SHELL_TARGETS)) {
      const command = firstArgument(args, ['cmd', 'command', 'program']);
      if (command !== undefined && !this.isSafe(command, place, 0)) this.report('py/shell-exec', call);
    } else if (has(SHELL_OPTIONAL_TARGETS) && args.keywords.get('shell')?.type === 'true') {
      const command = firstArgument(args, ['args']);
      if (command !== undefined && !this.isSafeShellCommand(command, place)) this.report('py/shell-exec', call);
    }

    if (sqlSink) {
      const sql = firstArgument(args, SQL_ARGUMENT_KEYWORDS);
      if (sql !== undefined) {
        const shape = this.sqlShape(sql, place, 0);
        if (shape.built && (shape.keywords & SQL_LOOKING) === SQL_LOOKING) this.report('py/sql-concat', call);
      }
    }

    // A from-imported or getattr-fetched ssl._create_unverified_context; the attribute form is checked on its own.
    if (callee.type !== 'attribute' && names.includes(UNVERIFIED_CONTEXT)) this.report('py/tls-disabled', call);

    this.checkDeserialization(call, names, args, place);
  }

  /** With shell=True and a list, the first item is the shell script and the rest are `$0`, `$1`...: only it counts. */
  private isSafeShellCommand(command: SyntaxNode, place: Place): boolean {
    if (command.type === 'list' || command.type === 'tuple') {
      const script = command.namedChildren.find((child) => child.type !== 'comment');
      return script === undefined || this.isSafe(script, place, 0);
    }
    return this.isSafe(command, place, 0);
  }

  private isSqlSink(callee: SyntaxNode, names: readonly string[]): boolean {
    if (names.some((name) => SQL_FUNCTION_TARGETS.has(name))) return true;
    if (callee.type !== 'attribute') return false;
    const method = callee.childForFieldName('attribute');
    return method !== null && SQL_METHODS.has(method.text);
  }

  private checkDeserialization(call: SyntaxNode, names: readonly string[], args: CallArguments, place: Place): void {
    const always = names.some((name) => ALWAYS_UNSAFE_DESERIALIZE_TARGETS.has(name));
    const yamlLoad = names.some((name) => YAML_LOAD_TARGETS.has(name));
    if (!always && !yamlLoad) return;
    const data = firstArgument(args, ['stream', 'file', 'data', 'str', 's', 'value']);
    // Deserialising a literal in the source is deserialising code the author wrote: not an injection point.
    if (data === undefined || this.isSafe(data, place, 0)) return;
    if (always || this.yamlLoaderIsUnsafe(args, place)) this.report('py/unsafe-deserialization', call);
  }

  /** No Loader at all, or a loader that can build arbitrary objects. An unknown loader is not flagged. */
  private yamlLoaderIsUnsafe(args: CallArguments, place: Place): boolean {
    const loader = args.keywords.get('Loader') ?? (args.hasSplat ? undefined : args.positional[1]);
    if (loader === undefined) return !args.hasSplat && !args.hasKeywordSplat;
    return this.loaderSafety(loader, place, 0) === 'unsafe';
  }

  private loaderSafety(loader: SyntaxNode, place: Place, depth: number): 'safe' | 'unsafe' | 'unknown' {
    if (depth > MAX_DEPTH) return 'unknown';
    const verdicts = new Set<'safe' | 'unsafe' | 'unknown'>();
    for (const name of this.resolveNames(loader, place, depth + 1)) {
      const segment = lastSegment(name);
      if (name !== UNKNOWN && YAML_SAFE_LOADERS.has(segment)) verdicts.add('safe');
      else if (name !== UNKNOWN && YAML_UNSAFE_LOADERS.has(segment)) verdicts.add('unsafe');
      else verdicts.add(this.localLoaderClassSafety(loader, place, depth));
    }
    if (verdicts.has('unsafe')) return 'unsafe';
    return verdicts.size === 1 && verdicts.has('safe') ? 'safe' : 'unknown';
  }

  /** `class MyLoader(yaml.SafeLoader)` is as safe as its bases. */
  private localLoaderClassSafety(loader: SyntaxNode, place: Place, depth: number): 'safe' | 'unsafe' | 'unknown' {
    if (loader.type !== 'identifier') return 'unknown';
    const writes = this.reachingWrites(loader.text, place);
    const definition = writes?.length === 1 ? writes[0] : undefined;
    if (definition?.kind !== 'class') return 'unknown';
    const bases = definition.node.childForFieldName('superclasses');
    if (bases === null) return 'unknown';
    const verdicts = bases.namedChildren
      .filter((base) => base.type !== 'keyword_argument' && base.type !== 'comment')
      .map((base) => this.loaderSafety(base, definition.place, depth + 1));
    if (verdicts.includes('unsafe')) return 'unsafe';
    return verdicts.includes('safe') ? 'safe' : 'unknown';
  }

  /** `verify=False` / `verify_ssl=False` in any call; `cert_reqs=ssl.CERT_NONE`. */
  private checkKeywordArgument(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (value === null) return;
    // A decorator's `verify=False` configures the decorated function (numpy's array_function_dispatch), not TLS.
    const isDecorator = node.parent?.parent?.parent?.type === 'decorator';
    if ((name === 'verify' || name === 'verify_ssl') && value.type === 'false' && !isDecorator) {
      this.report('py/tls-disabled', node);
    }
    if (name === 'cert_reqs' && isCertNone(value)) this.report('py/tls-disabled', node);
  }

  /** Any reference to ssl._create_unverified_context, called or not. */
  private checkAttribute(node: SyntaxNode, place: Place): void {
    if (node.childForFieldName('attribute')?.text !== '_create_unverified_context') return;
    if (this.resolveNames(node, place, 0).includes(UNVERIFIED_CONTEXT)) this.report('py/tls-disabled', node);
  }

  /** `ctx.verify_mode = ssl.CERT_NONE`, `session.verify = False`, `x = _create_unverified_context` (from-imported). */
  private checkAssignment(node: SyntaxNode, place: Place): void {
    if (!this.mentionsVerify && !this.mentionsUnverifiedContext) return;
    const left = node.childForFieldName('left');
    const right = assignedValue(node);
    if (left === null || right === null) return;
    const unverified = this.mentionsUnverifiedContext && right.type === 'identifier';
    if (unverified && this.resolveNames(right, place, 0).includes(UNVERIFIED_CONTEXT)) {
      this.report('py/tls-disabled', right);
    }
    if (left.type !== 'attribute') return;
    const attribute = left.childForFieldName('attribute')?.text;
    const object = left.childForFieldName('object');
    // `self.verify_mode = CERT_NONE` inside a class is that class's own default (urllib3's stand-in SSLContext); on
    // any other receiver it switches verification off.
    if (attribute === 'verify_mode' && isCertNone(right) && object?.text !== 'self') {
      this.report('py/tls-disabled', node);
    }
    if (attribute === 'verify' && right.type === 'false' && object !== null && this.isHttpSession(object, place)) {
      this.report('py/tls-disabled', node);
    }
  }

  /** `session`, `self.client`, or a variable assigned `requests.Session()` / `httpx.Client()`. */
  private isHttpSession(object: SyntaxNode, place: Place): boolean {
    const name = object.type === 'attribute' ? object.childForFieldName('attribute')?.text : object.text;
    if (name !== undefined && /(?:session|client)$/i.test(name) && name.length <= 64) return true;
    if (object.type !== 'identifier') return false;
    const writes = this.reachingWrites(object.text, place) ?? [];
    return writes.some((write) => {
      if (write.kind !== 'assign' || write.value.type !== 'call') return false;
      const callee = write.value.childForFieldName('function');
      return (
        callee !== null &&
        this.resolveNames(callee, write.place, 0).some((target) => HTTP_SESSION_FACTORIES.has(target))
      );
    });
  }

  // ---- findings ----

  private report(ruleId: PythonRuleId, node: SyntaxNode, severity: Severity = ruleSeverity(ruleId)): void {
    this.findings.push({
      ruleId,
      severity,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
    });
  }

  private sortedUniqueFindings(): SecurityFinding[] {
    const seen = new Set<string>();
    return this.findings
      .filter((finding) => {
        const key = `${finding.ruleId}:${finding.line}:${finding.column}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((first, second) => first.line - second.line || first.column - second.column);
  }
}

/** `ssl.CERT_NONE`, a from-imported `CERT_NONE`, or the string `"CERT_NONE"` urllib3 accepts. */
function isCertNone(value: SyntaxNode): boolean {
  if (value.type === 'attribute') return value.childForFieldName('attribute')?.text === 'CERT_NONE';
  if (value.type === 'identifier') return value.text === 'CERT_NONE';
  return isStringLiteralWithoutInterpolation(value) && stringContent(value) === 'CERT_NONE';
}

// The raw facts symbols.ts assembles - module-level binding sites, import bindings, names bound in other scopes,
// `__all__`, dynamic-namespace signs and candidate references - from one native query for the node types that matter.
// Walking every node through the binding (namedChildren) costs several times the parse itself; the query returns the
// few thousand relevant nodes of a large module in document order, and scopes follow from their ranges: a stack of the
// function, lambda, class and comprehension bodies that contain the current position.
import type { SyntaxNode } from '../tree-sitter/parsers.js';
import type { Context, Scope, ScopeRange, WalkFacts } from './symbols-facts.js';
import { createFacts, factWriter } from './symbols-facts.js';
import { collectCaptures } from './symbols-nodes.js';
import { classInfo, functionInfo } from './symbols-shapes.js';

export type { Site, WalkFacts } from './symbols-facts.js';

const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
const QUERIED_TYPES = [
  'ERROR',
  'import_statement',
  'import_from_statement',
  'function_definition',
  'class_definition',
  'lambda',
  ...COMPREHENSIONS,
  'for_in_clause',
  'call',
  'attribute',
  'assignment',
  'augmented_assignment',
  'named_expression',
  'for_statement',
  'as_pattern',
  'delete_statement',
  'case_pattern',
  'global_statement',
  'nonlocal_statement',
  'type_alias_statement',
  'exec_statement',
  'if_statement',
];
const TYPE_CHECKING = /^(?:\w+\.)?TYPE_CHECKING$/;
const IDENTIFIER = String.raw`[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*`;
/** `name(` or `name.member(` at the start of a call. */
const CALLEE = new RegExp(String.raw`^(${IDENTIFIER})(?:\s*\.\s*(${IDENTIFIER}))?\s*\(`, 'u');
const ATTRIBUTE = new RegExp(String.raw`^(${IDENTIFIER})\s*\.\s*(${IDENTIFIER})$`, 'u');
const EMPTY_CALL = /^\w+\s*\(\s*\)/;
const MAX_CALLEE_LENGTH = 256;

export function walkPython(options: { root: SyntaxNode; text: string; check: () => void }): WalkFacts {
  const { root, text, check } = options;
  const facts = createFacts();
  const { addSite, bind, bindTargets, bindLocals, collectAll, importStatement, fromImport } = factWriter(facts);

  /** Parameter names (annotations and defaults are other nodes of the query, judged in the enclosing scope). */
  const bindParameters = (parameters: SyntaxNode | null) => {
    for (const child of parameters?.namedChildren ?? []) {
      if (child.type === 'identifier') facts.localBound.add(child.text);
      else if (child.type === 'list_splat_pattern' || child.type === 'dictionary_splat_pattern') bindLocals(child);
      else {
        const name = child.childForFieldName('name') ?? child.namedChildren[0] ?? null;
        if (name?.type === 'identifier') facts.localBound.add(name.text);
        else if (name !== null) bindLocals(name);
      }
    }
  };

  const scopes: ScopeRange[] = [];
  const contextAt = (position: number, typeChecking: boolean): Context => {
    while ((scopes.at(-1)?.end ?? Infinity) <= position) scopes.pop();
    let scope: Scope = 'module';
    let walrusScope: Scope | undefined;
    for (let index = scopes.length - 1; index >= 0; index -= 1) {
      const range = scopes[index] as ScopeRange;
      // A body that has not started yet: the position is in its def's parameters or decorators.
      if (range.start > position) continue;
      if (scope === 'module' && walrusScope === undefined) scope = range.scope;
      if (range.scope !== 'comprehension') {
        walrusScope = range.scope;
        break;
      }
    }
    return { scope, walrusScope: walrusScope ?? 'module', typeChecking };
  };
  const enter = (body: SyntaxNode | null, scope: ScopeRange['scope']) => {
    if (body !== null) scopes.push({ start: body.startIndex, end: body.endIndex, scope });
  };

  const specialClasses = new Set<string>();
  const definition = (node: SyntaxNode, context: Context) => {
    const nameNode = node.childForFieldName('name');
    const isClass = node.type === 'class_definition';
    const parent = node.parent;
    const decorated = parent?.type === 'decorated_definition';
    const span = decorated && parent !== null ? parent : node;
    if (nameNode !== null) {
      const name = nameNode.text;
      if (context.scope === 'module') {
        const info = isClass
          ? classInfo({ node, decorated, specialClasses })
          : { ...functionInfo({ node, decorated }), special: false };
        if (info.special) specialClasses.add(name);
        const colon = node.children.find((child) => child.type === ':');
        addSite(name, {
          kind: isClass ? 'class' : 'function',
          span,
          headerEnd: colon?.endIndex ?? node.startIndex,
          shape: info.shape,
          fingerprint: info.fingerprint,
        });
      } else bind(name, context.scope, span);
    }
    bindLocals(node.childForFieldName('type_parameters'));
    if (!isClass) bindParameters(node.childForFieldName('parameters'));
    enter(node.childForFieldName('body'), isClass ? 'class' : 'function');
  };

  // Calls and attributes are most of the queried nodes: their names are read from the source text (one regex) rather
  // than through several binding calls per node. Anything the patterns do not match is not a simple name use.
  const callStarts = new Map<number, number>();
  const memberCallStarts = new Set<number>();
  const call = (node: SyntaxNode, context: Context, position: number) => {
    // `f(x)(y)`, `f(x).g(y)`: the outer call starts where the inner one does; only the innermost calls `f`, and
    // comes later in document order: its arguments replace the outer call's.
    const previous = callStarts.get(position);
    if (previous !== undefined) {
      const candidate = facts.candidates[previous];
      if (candidate !== undefined) facts.candidates[previous] = { ...candidate, node };
      return;
    }
    const head = text.slice(position, position + MAX_CALLEE_LENGTH);
    const match = CALLEE.exec(head);
    if (match === null) return;
    const [, name = '', member] = match;
    const inClassBody = context.scope === 'class';
    callStarts.set(position, facts.candidates.length);
    if (member === undefined) {
      if (name === 'globals' || name === 'exec' || name === 'execfile') facts.dynamic = true;
      if ((name === 'vars' || name === 'locals') && context.scope === 'module' && EMPTY_CALL.test(head)) {
        facts.dynamic = true;
      }
      facts.candidates.push({ kind: 'call', name, offset: position, inClassBody, node });
      return;
    }
    memberCallStarts.add(position);
    if (name === '__all__' && context.scope === 'module') {
      if (member === 'extend' || member === 'append') collectAll(node.childForFieldName('arguments'), node);
      else facts.all.literal = false;
    }
    facts.candidates.push({ kind: 'call', name, member, offset: position, inClassBody, node });
  };
  const attribute = (node: SyntaxNode, context: Context, position: number) => {
    // The callee of a member call is that call's reference already.
    if (memberCallStarts.has(position)) return;
    const match = ATTRIBUTE.exec(text.slice(position, node.endIndex));
    if (match === null) return;
    const [, name = '', member = ''] = match;
    facts.candidates.push({ kind: 'member', name, member, offset: position, inClassBody: context.scope === 'class' });
  };

  const nodes = root.descendantsOfType(QUERIED_TYPES);
  let errorEnd = -1;
  let typeCheckingEnd = -1;
  for (const node of nodes) {
    check();
    const position = node.startIndex;
    // What sits inside an ERROR node is error recovery's guess, not code.
    if (position < errorEnd) continue;
    const context = contextAt(position, position < typeCheckingEnd);
    switch (node.type) {
      case 'ERROR':
        errorEnd = Math.max(errorEnd, node.endIndex);
        break;
      case 'import_statement':
        importStatement(node, context);
        break;
      case 'import_from_statement':
        fromImport(node, context);
        break;
      case 'function_definition':
      case 'class_definition':
        definition(node, context);
        break;
      case 'lambda':
        bindParameters(node.childForFieldName('parameters'));
        enter(node.childForFieldName('body'), 'function');
        break;
      case 'call':
        call(node, context, position);
        break;
      case 'attribute':
        attribute(node, context, position);
        break;
      case 'assignment':
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        bindTargets(left, context.scope, node);
        if (left?.type === 'identifier' && left.text === '__all__' && context.scope === 'module') {
          collectAll(node.childForFieldName('right'), node);
        }
        break;
      }
      case 'named_expression':
        bindTargets(node.childForFieldName('name'), context.walrusScope, node);
        break;
      case 'for_statement':
      case 'for_in_clause':
        bindTargets(node.childForFieldName('left'), context.scope, node);
        break;
      case 'as_pattern':
        bindTargets(node.childForFieldName('alias'), context.scope, node);
        break;
      case 'delete_statement':
        bindTargets(node.namedChildren[0] ?? null, context.scope, node);
        break;
      case 'case_pattern': {
        if (node.parent?.type !== 'case_clause') break;
        const names: string[] = [];
        collectCaptures(node, names);
        for (const name of names) bind(name, context.scope, node);
        break;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        // `global` at module level changes nothing.
        if (context.scope === 'module') break;
        for (const child of node.namedChildren) {
          if (child.type !== 'identifier') continue;
          if (node.type === 'global_statement') {
            facts.globalNames.add(child.text);
            // A function may create or rebind the module-level name: it exists, and its shape is unknown.
            bind(child.text, 'module', node);
          }
          facts.localBound.add(child.text);
        }
        break;
      case 'type_alias_statement':
        typeAlias(node, context.scope);
        break;
      case 'exec_statement':
        facts.dynamic = true;
        break;
      case 'if_statement': {
        const condition = node.childForFieldName('condition');
        const consequence = node.childForFieldName('consequence');
        const simple = condition?.type === 'identifier' || condition?.type === 'attribute';
        if (simple && consequence !== null && TYPE_CHECKING.test(condition.text)) {
          typeCheckingEnd = Math.max(typeCheckingEnd, consequence.endIndex);
        }
        break;
      }
      default:
        if (COMPREHENSIONS.has(node.type)) scopes.push({ start: position, end: node.endIndex, scope: 'comprehension' });
    }
  }

  function typeAlias(node: SyntaxNode, scope: Scope) {
    const head = node.childForFieldName('left')?.namedChildren[0];
    const nameNode = head?.type === 'generic_type' ? head.namedChildren[0] : head;
    if (nameNode?.type !== 'identifier') return;
    if (scope !== 'module') bind(nameNode.text, scope, node);
    else
      addSite(nameNode.text, {
        kind: 'type',
        span: node,
        shape: undefined,
        fingerprint: node.text.replace(/\s+/g, ' '),
      });
  }
  return facts;
}

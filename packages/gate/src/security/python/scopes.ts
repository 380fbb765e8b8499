// Scanner state, findings and the collection sweep of the Python scanner: scopes, blocks, bindings and checks.
import type { SyntaxNode } from '@kode/lang';
import { ruleSeverity } from '../catalog.js';
import type { SecurityFinding, Severity } from '../types.js';
import type { Binding, Place, PythonRuleId, Scope, SqlShape } from './model.js';
import { assignedValue, dottedName, last, newScope, normalizeName, parameterNames, targetNames } from './syntax.js';
import { ALWAYS_COLLECTED_TYPES } from './targets.js';

export class PythonScopes {
  private readonly module = newScope('module', null);
  protected readonly checks: { readonly node: SyntaxNode; readonly place: Place }[] = [];
  private readonly findings: SecurityFinding[] = [];
  protected readonly namesMemo = new Map<Binding, readonly string[]>();
  protected readonly safeMemo = new Map<Binding, boolean>();
  protected readonly shapeMemo = new Map<Binding, SqlShape>();
  protected mentionsUnverifiedContext = false;
  protected mentionsVerify = false;

  constructor(private readonly root: SyntaxNode) {}

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

  protected collect(): void {
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

  // ---- findings ----

  protected report(ruleId: PythonRuleId, node: SyntaxNode, severity: Severity = ruleSeverity(ruleId)): void {
    this.findings.push({
      ruleId,
      severity,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
    });
  }

  protected sortedUniqueFindings(): SecurityFinding[] {
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

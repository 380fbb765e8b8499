// Name resolution of the Python scanner: reaching writes, imports, aliases, evasions and literal string values.
import type { SyntaxNode } from '@kode/lang';
import { MAX_DEPTH, UNKNOWN } from './model.js';
import type { AssignBinding, Binding, Place, Scope } from './model.js';
import { PythonScopes } from './scopes.js';
import { callArguments, isStringLiteralWithoutInterpolation, normalizeName, stringContent } from './syntax.js';
import { BUILTIN_NAMES, KNOWN_TARGETS } from './targets.js';

export class PythonNames extends PythonScopes {
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
  protected reachingWrites(name: string, place: Place): readonly Binding[] | null {
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
  protected resolveNames(node: SyntaxNode, place: Place, depth: number): readonly string[] {
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

  protected calls(call: SyntaxNode, place: Place, depth: number, ...targets: string[]): boolean {
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
}

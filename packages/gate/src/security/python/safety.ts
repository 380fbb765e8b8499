// Whether a Python expression carries no outside input: literals, constants and harmless derivations.
import type { SyntaxNode } from '@kode/lang';
import { MAX_DEPTH } from './model.js';
import type { Place } from './model.js';
import { PythonNames } from './names.js';
import { callArguments, isStringLiteralWithoutInterpolation } from './syntax.js';
import { SAFE_BUILTIN_CALLS } from './targets.js';

export class PythonSafety extends PythonNames {
  /**
   * Whether `node` carries no outside input: literals, constants, operations on them, and the harmless derivations
   * (`"?" * n`, `",".join(["%s"] * n)`, `int(x)`, `len(x)`). Deeper than MAX_DEPTH counts as safe (no finding).
   */
  protected isSafe(node: SyntaxNode, place: Place, depth: number): boolean {
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
}

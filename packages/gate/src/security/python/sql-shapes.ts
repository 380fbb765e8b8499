// SQL shapes of the Python scanner: SQL keywords in an expression's literal parts and how the text was built.
import type { SyntaxNode } from '@kode/lang';
import { MAX_DEPTH } from './model.js';
import type { AssignBinding, Place, SqlShape } from './model.js';
import { PythonSafety } from './safety.js';
import { callArguments, firstArgument, stringContent } from './syntax.js';

const SQL_VERB = /\b(?:select|insert|update|delete|replace|merge|upsert|create|drop|alter|truncate)\b/i;
const SQL_CLAUSE = /\b(?:from|into|set|where|values|table|join)\b/i;
const SQL_HAS_VERB = 1;
const SQL_HAS_CLAUSE = 2;
export const SQL_LOOKING = SQL_HAS_VERB | SQL_HAS_CLAUSE;

const STATIC_SHAPE: SqlShape = { keywords: 0, dynamic: false, built: false };
const OPAQUE_SHAPE: SqlShape = { keywords: 0, dynamic: true, built: false };

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

export class PythonSqlShapes extends PythonSafety {
  // ---- SQL shapes ----

  protected sqlShape(node: SyntaxNode, place: Place, depth: number): SqlShape {
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
}

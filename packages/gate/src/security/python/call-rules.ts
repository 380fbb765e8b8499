// Python rules decided at a call: py/eval, py/shell-exec, py/sql-concat, py/unsafe-deserialization, TLS context.
import type { SyntaxNode } from '@kode/lang';
import { ruleSeverity } from '../catalog.js';
import { MAX_DEPTH, UNKNOWN } from './model.js';
import type { CallArguments, Place } from './model.js';
import { PythonSqlShapes, SQL_LOOKING } from './sql-shapes.js';
import { callArguments, firstArgument, lastSegment } from './syntax.js';
import {
  ALWAYS_SHELL_TARGETS,
  ALWAYS_UNSAFE_DESERIALIZE_TARGETS,
  EVAL_TARGETS,
  INTERESTING_METHODS,
  KNOWN_TARGETS,
  SHELL_OPTIONAL_TARGETS,
  SQL_ARGUMENT_KEYWORDS,
  SQL_FUNCTION_TARGETS,
  SQL_METHODS,
  UNVERIFIED_CONTEXT,
  YAML_LOAD_TARGETS,
  YAML_SAFE_LOADERS,
  YAML_UNSAFE_LOADERS,
} from './targets.js';

export class PythonCallRules extends PythonSqlShapes {
  // ---- rules ----

  protected checkCall(call: SyntaxNode, place: Place): void {
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
}

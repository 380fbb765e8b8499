// Dangerous-code rules for Go (SPEC §4.10): `go/shell-exec`, `go/sql-concat`, `go/tls-disabled`, `go/unsafe`, read
// from the tree-sitter-go tree of the post-image.
//
// Speed: in node-tree-sitter every SyntaxNode step (`parent`, `namedChildren`, `childForFieldName`) is a native call
// that allocates and caches a node, several microseconds each in a large tree, while a TreeCursor step is about ten
// times cheaper. A dense 1 MB one-line file has tens of thousands of candidates, so the rules read the tree through
// cursors: one walk picks candidates by node type and token text (import specs; `Command`, `QueryRow`,
// `InsecureSkipVerify`), a second cursor goes up from a candidate and down into its arguments, and text comes from
// one copy of the source. Imports and package-level declarations are read first; the walk indexes each function's
// assignments in document order, so a call is judged when the walk reaches it, against the assignments before it.
// Nodes are materialised only where they must be kept for later (an assigned value).
import type { SyntaxNode } from '@kode/lang';
import { ruleSeverity } from './catalog.js';
import type { SecurityFinding } from './types.js';

type TreeCursor = ReturnType<SyntaxNode['walk']>;

interface Point {
  readonly row: number;
  readonly column: number;
}

/** Methods whose SQL text is the first argument (database/sql, sqlx, gorm). */
const SQL_METHODS = new Set(['Query', 'QueryRow', 'Exec', 'Prepare', 'Queryx', 'QueryRowx', 'MustExec', 'Raw']);
/** The same with a leading `ctx` argument: the SQL is the second. */
const SQL_CONTEXT_METHODS = new Set([
  'QueryContext',
  'QueryRowContext',
  'ExecContext',
  'PrepareContext',
  'QueryxContext',
  'QueryRowxContext',
  'MustExecContext',
]);
const COMMAND_FUNCTIONS = new Set(['Command', 'CommandContext']);
/** Import paths whose `Command` runs a program: os/exec and its drop-in golang.org/x/sys/execabs. */
const EXEC_PACKAGES = new Set(['os/exec', 'golang.org/x/sys/execabs']);
const TLS_FIELD = 'InsecureSkipVerify';
const SCOPE_TYPES = new Set(['function_declaration', 'method_declaration']);
/** Nodes that bind or assign names. */
const BINDING_TYPES = new Set([
  'var_spec',
  'const_spec',
  'short_var_declaration',
  'assignment_statement',
  'parameter_declaration',
  'variadic_parameter_declaration',
  'range_clause',
  'receive_statement',
  'type_switch_statement',
]);
/** How many wrappers and variables deep a value is followed; bounds the work per candidate. */
const MAX_RESOLVE_DEPTH = 8;
/** At most this many assignments reaching a use are read; a name assigned more often is never taken for a literal. */
const MAX_ASSIGNMENTS = 32;

type ShellKind = 'posix' | 'cmd' | 'powershell';

interface Assignment {
  /** Where the name is (re)bound; a binding applies to uses after it. */
  readonly position: number;
  /** The assigned expression; null for parameters, range variables and multi-value assignments from one call. */
  readonly value: SyntaxNode | null;
  /** `+=`: the value is appended to the previous one. */
  readonly appends: boolean;
  /** `:=`, `var`, `const`, a parameter: starts a new variable (earlier assignments of the name are another one). */
  readonly declares: boolean;
  /** Memo of the value's literal text (null: not literal), filled on first need: every use reads it again. */
  literal?: string | null;
  /** Memo of the value's SQL reading, filled on first need. */
  sql?: AssignedSql;
}

/** An assigned value read as SQL: built by Sprintf/`+` itself, its literal parts' text, and whether a part is not. */
interface AssignedSql {
  readonly built: boolean;
  readonly text: string;
  readonly hasNonLiteralPart: boolean;
}

interface Imports {
  /** Names `Command` is reached through (`exec`, an alias). */
  readonly exec: Set<string>;
  readonly fmt: Set<string>;
  execDot: boolean;
  fmtDot: boolean;
  /** Names bound by imports of other packages (`exec "example.com/fake/exec"`): not os/exec. */
  readonly shadowed: Set<string>;
}

interface Context {
  readonly root: SyntaxNode;
  readonly source: string;
  /** Offset of `source` in the tree's text: the root node starts after leading whitespace. */
  readonly base: number;
  readonly findings: SecurityFinding[];
  /** Second cursor: goes up from a candidate of the walk and down into its arguments. */
  readonly probe: TreeCursor;
  readonly imports: Imports;
  /** Assignments per function (the SyntaxNode object the walk hands out) and name, in document order. */
  readonly scopes: Map<SyntaxNode, Map<string, Assignment[]>>;
}

/** Findings of the four Go rules in one file, ordered by position. */
export function scanGo(root: SyntaxNode): SecurityFinding[] {
  const source = root.text;
  const wantsUnsafe = source.includes('unsafe');
  const wantsShell = source.includes('Command');
  const wantsSql = /Query|Exec|Prepare|Raw/.test(source);
  const wantsTls = source.includes(TLS_FIELD);
  if (!wantsUnsafe && !wantsShell && !wantsSql && !wantsTls) return [];
  const context: Context = {
    root,
    source,
    base: root.startIndex,
    findings: [],
    probe: root.walk(),
    imports: { exec: new Set(), fmt: new Set(), execDot: false, fmtDot: false, shadowed: new Set() },
    scopes: new Map(),
  };
  const wantsBindings = wantsShell || wantsSql;
  // Imports and package-level declarations first: a function may use a constant declared below it.
  indexPackageLevel(context, wantsBindings);
  walkWithScope(root, SCOPE_TYPES, (cursor, scope, depth) => {
    const type = typeAt(cursor);
    if (type === 'field_identifier' || type === 'identifier') {
      const name = cursorText(context, cursor);
      if (wantsTls && name === TLS_FIELD) checkTls(context, cursor);
      else if (wantsShell && COMMAND_FUNCTIONS.has(name)) {
        const operand = calleeCallAt(context, cursor);
        if (typeof operand === 'string') checkCommand(context, context.probe, name, operand, scope);
      } else if (wantsSql && type === 'field_identifier' && (SQL_METHODS.has(name) || SQL_CONTEXT_METHODS.has(name))) {
        if (calleeCallAt(context, cursor) !== undefined) checkSql(context, context.probe, name, scope);
      }
    } else if (wantsBindings && BINDING_TYPES.has(type)) {
      // source_file > var_declaration > [var_spec_list >] var_spec: indexed before the walk.
      const packageLevel = scope === root && depth <= 3 && isVarOrConstSpec(type);
      if (!packageLevel) indexAssignments(context, cursor, scope);
    }
  });
  return context.findings.sort((left, right) => left.line - right.line || left.column - right.column);
}

/**
 * Visits every node of `root` depth-first with one cursor, passing the innermost enclosing node of `scopeTypes` (or
 * the root) and the node's depth. The scope stack is kept by depth, so no node is asked for its parent.
 */
function walkWithScope(
  root: SyntaxNode,
  scopeTypes: ReadonlySet<string>,
  visit: (cursor: TreeCursor, scope: SyntaxNode, depth: number) => void,
): void {
  const cursor = root.walk();
  const scopes: { readonly depth: number; readonly node: SyntaxNode }[] = [];
  let depth = 0;
  for (;;) {
    while (scopes.length > 0 && (scopes[scopes.length - 1]?.depth ?? -1) >= depth) scopes.pop();
    if (scopeTypes.has(typeAt(cursor))) scopes.push({ depth, node: cursor.currentNode });
    visit(cursor, scopes[scopes.length - 1]?.node ?? root, depth);
    if (cursor.gotoFirstChild()) {
      depth += 1;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return;
      depth -= 1;
    }
  }
}

function report(context: Context, ruleId: string, position: Point): void {
  context.findings.push({
    ruleId,
    severity: ruleSeverity(ruleId),
    line: position.row + 1,
    column: position.column + 1,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cursor reading. Every helper returns the cursor to the node it started on.

/** The node type under a cursor. Read through a call: the cursor moves, so TypeScript must not narrow a property. */
function typeAt(cursor: TreeCursor): string {
  return cursor.nodeType;
}

/** The field name of the node under a cursor within its parent (see typeAt). */
function fieldAt(cursor: TreeCursor): string {
  return cursor.currentFieldName;
}

function cursorText(context: Context, cursor: TreeCursor): string {
  return context.source.slice(cursor.startIndex - context.base, cursor.endIndex - context.base);
}

function textOf(context: Context, node: SyntaxNode): string {
  return context.source.slice(node.startIndex - context.base, node.endIndex - context.base);
}

/** Calls `read` on the child in `field` and returns its result; undefined when there is no such child. */
function inField<T>(cursor: TreeCursor, field: string, read: (cursor: TreeCursor) => T): T | undefined {
  if (!cursor.gotoFirstChild()) return undefined;
  let result: T | undefined;
  do {
    if (fieldAt(cursor) === field) {
      result = read(cursor);
      break;
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return result;
}

/** Calls `visit` on each named child that is not a comment, with its index; returns how many there are. */
function forEachNamedChild(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  if (!cursor.gotoFirstChild()) return 0;
  let count = 0;
  do {
    if (cursor.nodeIsNamed && typeAt(cursor) !== 'comment') {
      visit(cursor, count);
      count += 1;
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return count;
}

/** Calls `visit` on each argument of the call under the cursor; returns how many there are. */
function forEachArgument(cursor: TreeCursor, visit: (cursor: TreeCursor, index: number) => void): number {
  return inField(cursor, 'arguments', (list) => forEachNamedChild(list, visit)) ?? 0;
}

/** Descends through parentheses, calls `read` on the inner expression and comes back. */
function atInnerExpression<T>(cursor: TreeCursor, read: (cursor: TreeCursor) => T): T {
  let levels = 0;
  while (levels < MAX_RESOLVE_DEPTH && typeAt(cursor) === 'parenthesized_expression') {
    if (!cursor.gotoFirstChild()) break;
    levels += 1;
    while (!cursor.nodeIsNamed || typeAt(cursor) === 'comment') if (!cursor.gotoNextSibling()) break;
  }
  const result = read(cursor);
  for (; levels > 0; levels -= 1) cursor.gotoParent();
  return result;
}

/**
 * Calls `visit` on each operand of the `+` chain under the cursor, left to right (iteratively: a long left-deep chain
 * does not recurse). False when an operator other than `+` takes part (the parts are then meaningless).
 */
function forEachConcatenationPart(cursor: TreeCursor, visit: (cursor: TreeCursor) => void): boolean {
  let depth = 0;
  while (typeAt(cursor) === 'binary_expression' && cursor.gotoFirstChild()) depth += 1;
  visit(cursor);
  let plus = true;
  for (; depth > 0; depth -= 1) {
    cursor.gotoParent();
    if (!plus || !cursor.gotoFirstChild()) continue;
    let operator = '';
    while (cursor.gotoNextSibling()) {
      const field = fieldAt(cursor);
      if (field === 'operator') operator = typeAt(cursor);
      else if (field === 'right' && operator === '+') visit(cursor);
    }
    cursor.gotoParent();
    plus = operator === '+';
  }
  return plus;
}

/**
 * Moves the probe from the name under the cursor to the call `operand.name(..)` or `name(..)`. Returns the operand
 * when it is a plain name (`exec` in `exec.Command`; '' for a bare call, null for `s.db.Query`), or undefined when
 * the name is not called that way.
 */
function calleeCallAt(context: Context, cursor: TreeCursor): string | null | undefined {
  const probe = context.probe;
  probe.resetTo(cursor);
  let operand: string | null = '';
  if (typeAt(probe) === 'field_identifier') {
    if (fieldAt(probe) !== 'field' || !probe.gotoParent() || typeAt(probe) !== 'selector_expression') {
      return undefined;
    }
    if (!probe.gotoFirstChild()) return undefined;
    operand = typeAt(probe) === 'identifier' ? cursorText(context, probe) : null;
    probe.gotoParent();
  }
  const field = fieldAt(probe);
  if (!probe.gotoParent() || typeAt(probe) !== 'call_expression' || field !== 'function') return undefined;
  return operand;
}

/** Records the imports and indexes the package-level `var`/`const` declarations, before the main walk. */
function indexPackageLevel(context: Context, wantsBindings: boolean): void {
  const cursor = context.root.walk();
  if (!cursor.gotoFirstChild()) return;
  do {
    const type = typeAt(cursor);
    if (type === 'import_declaration') {
      for (const spec of cursor.currentNode.descendantsOfType('import_spec')) recordImport(context, spec);
    } else if (wantsBindings && (type === 'var_declaration' || type === 'const_declaration')) {
      forEachSpec(cursor, (spec) => indexAssignments(context, spec, context.root));
    }
  } while (cursor.gotoNextSibling());
  const imports = context.imports;
  if (!imports.shadowed.has('exec')) imports.exec.add('exec');
  if (!imports.shadowed.has('fmt')) imports.fmt.add('fmt');
}

/** Calls `visit` on each `var_spec`/`const_spec` of a declaration, grouped (`var ( .. )`) or not. */
function forEachSpec(cursor: TreeCursor, visit: (spec: TreeCursor) => void): void {
  forEachNamedChild(cursor, (child) => {
    if (isVarOrConstSpec(typeAt(child))) visit(child);
    else if (typeAt(child) === 'var_spec_list' || typeAt(child) === 'const_spec_list') forEachSpec(child, visit);
  });
}

function isVarOrConstSpec(type: string): boolean {
  return type === 'var_spec' || type === 'const_spec';
}

// ---------------------------------------------------------------------------------------------------------------
// Imports and go/unsafe

function recordImport(context: Context, spec: SyntaxNode): void {
  const pathNode = spec.childForFieldName('path');
  if (pathNode === null) return;
  const path = stringLiteralText(pathNode.type, textOf(context, pathNode));
  if (path === undefined) return;
  if (path === 'unsafe') report(context, 'go/unsafe', spec.startPosition);
  const nameNode = spec.childForFieldName('name');
  const imports = context.imports;
  const bound = nameNode === null ? path.slice(path.lastIndexOf('/') + 1) : textOf(context, nameNode);
  if (EXEC_PACKAGES.has(path) || path === 'fmt') {
    if (nameNode?.type === 'dot') {
      if (path === 'fmt') imports.fmtDot = true;
      else imports.execDot = true;
    } else if (nameNode?.type !== 'blank_identifier') {
      (path === 'fmt' ? imports.fmt : imports.exec).add(bound);
    }
  } else if (nameNode?.type !== 'blank_identifier' && nameNode?.type !== 'dot') {
    imports.shadowed.add(bound);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// go/tls-disabled

/** `InsecureSkipVerify: true` in a composite literal, `x.InsecureSkipVerify = true` in an assignment. */
function checkTls(context: Context, cursor: TreeCursor): void {
  const probe = context.probe;
  probe.resetTo(cursor);
  if (typeAt(probe) === 'identifier') {
    // keyed_element > key: literal_element > identifier
    if (!probe.gotoParent() || typeAt(probe) !== 'literal_element') return;
    const keyField = fieldAt(probe);
    if (!probe.gotoParent() || typeAt(probe) !== 'keyed_element' || keyField !== 'key') return;
    const element = probe.startPosition;
    const isTrue = inField(probe, 'value', (value) => {
      if (typeAt(value) === 'true') return true;
      if (typeAt(value) !== 'literal_element') return false;
      let inner = '';
      const count = forEachNamedChild(value, (child) => {
        inner = typeAt(child);
      });
      return count === 1 && inner === 'true';
    });
    if (isTrue === true) report(context, 'go/tls-disabled', element);
    return;
  }
  if (fieldAt(probe) !== 'field' || !probe.gotoParent() || typeAt(probe) !== 'selector_expression') return;
  const target = probe.startIndex;
  const targetPosition = probe.startPosition;
  if (!probe.gotoParent() || typeAt(probe) !== 'expression_list' || fieldAt(probe) !== 'left') return;
  if (!probe.gotoParent() || typeAt(probe) !== 'assignment_statement') return;
  if (inField(probe, 'operator', (operator) => typeAt(operator)) !== '=') return;
  let position = -1;
  inField(probe, 'left', (left) =>
    forEachNamedChild(left, (child, index) => {
      if (child.startIndex === target) position = index;
    }),
  );
  let isTrue = false;
  inField(probe, 'right', (right) =>
    forEachNamedChild(right, (child, index) => {
      if (index === position) isTrue = typeAt(child) === 'true';
    }),
  );
  if (isTrue) report(context, 'go/tls-disabled', targetPosition);
}

// ---------------------------------------------------------------------------------------------------------------
// go/shell-exec

/**
 * `exec.Command("sh", "-c", <non-literal>)`, `exec.CommandContext(ctx, "bash", "-c", ..)`, aliased or dot-imported;
 * the cursor is on the call.
 */
function checkCommand(context: Context, call: TreeCursor, name: string, operand: string, scope: SyntaxNode): void {
  const imports = context.imports;
  if (operand === '' ? !imports.execDot : !imports.exec.has(operand)) return;
  const skip = name === 'CommandContext' ? 1 : 0;
  const values: (string | undefined)[] = [];
  forEachArgument(call, (argument, index) => {
    if (index < skip) return;
    values.push(typeAt(argument) === 'variadic_argument' ? undefined : literalValue(context, scope, argument, 0));
  });
  const [program, ...operands] = values;
  if (program !== undefined && isShellScriptNonLiteral(program, operands)) {
    report(context, 'go/shell-exec', call.startPosition);
  }
}

/** Whether the script operand of `sh -c <script>` / `cmd /C ..` / `powershell -Command ..` is non-literal. */
function isShellScriptNonLiteral(program: string, operands: readonly (string | undefined)[]): boolean {
  let kind = shellKindOf(program);
  let items = operands;
  if (kind === undefined && commandBaseName(program) === 'env') {
    // `env [-i] [NAME=value] sh -c ..`: the first plain operand is the program env runs.
    const programIndex = items.findIndex(
      (item) => item === undefined || (!item.startsWith('-') && !item.includes('=')),
    );
    const wrapped = items[programIndex];
    if (wrapped === undefined) return false;
    kind = shellKindOf(wrapped);
    items = items.slice(programIndex + 1);
  }
  if (kind === undefined) return false;
  const flagIndex = items.findIndex((item) => item !== undefined && isCommandFlag(kind, item));
  if (flagIndex === -1) return false;
  for (const item of items.slice(flagIndex + 1)) {
    if (item === undefined) return true;
    // `sh -c script arg0 arg1`: only the first operand is code; later ones are safe positional parameters.
    if (kind === 'posix' && !item.startsWith('-')) return false;
  }
  return false;
}

function commandBaseName(program: string): string {
  const base = program.slice(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish', 'csh', 'tcsh']);

function shellKindOf(program: string): ShellKind | undefined {
  const base = commandBaseName(program);
  if (POSIX_SHELLS.has(base)) return 'posix';
  if (base === 'cmd') return 'cmd';
  if (base === 'powershell' || base === 'pwsh') return 'powershell';
  return undefined;
}

const POWERSHELL_COMMAND_FLAGS = new Set(['-c', '-command', '-encodedcommand', '-ec', '-enc', '/c', '/command']);

/** `-c` and bundles such as `-lc`, `-ec` for POSIX shells; `/C` or `/K` for cmd; `-Command` for PowerShell. */
function isCommandFlag(kind: ShellKind, flag: string): boolean {
  if (kind === 'cmd') return /^\/[ck]$/i.test(flag);
  if (kind === 'powershell') return POWERSHELL_COMMAND_FLAGS.has(flag.toLowerCase());
  return flag.length >= 2 && flag.length <= 6 && /^-[A-Za-z]+$/.test(flag) && flag.includes('c');
}

// ---------------------------------------------------------------------------------------------------------------
// go/sql-concat

/** `db.Query(sql, ..)` and the other SQL methods; the cursor is on the call. */
function checkSql(context: Context, call: TreeCursor, name: string, scope: SyntaxNode): void {
  const sqlIndex = SQL_CONTEXT_METHODS.has(name) ? 1 : 0;
  const before = call.startIndex;
  let built = false;
  forEachArgument(call, (argument, index) => {
    if (index === sqlIndex) built = isBuiltSql(context, scope, argument, before, 0);
  });
  if (built) report(context, 'go/sql-concat', call.startPosition);
}

/**
 * SQL text built from non-literal parts: `fmt.Sprintf(sqlLooking, args..)` or `"SELECT .." + x`, directly or through
 * a variable of the same function: built when one of the assignments reaching `before` is, or when its last value
 * set and the `+=` parts appended after it join SQL-looking text with a non-literal part.
 */
function isBuiltSql(context: Context, scope: SyntaxNode, cursor: TreeCursor, before: number, depth: number): boolean {
  if (depth > MAX_RESOLVE_DEPTH) return false;
  return atInnerExpression(cursor, (node) => {
    switch (typeAt(node)) {
      case 'call_expression': {
        if (!isSprintf(context, node)) return false;
        let template: string | undefined;
        const count = forEachArgument(node, (argument, index) => {
          if (index === 0) template = literalValue(context, scope, argument, depth + 1);
        });
        return count > 1 && template !== undefined && looksLikeSql(template);
      }
      case 'binary_expression': {
        let literalText = '';
        let dynamic = false;
        let built = false;
        const plus = forEachConcatenationPart(node, (part) => {
          if (built) return;
          if (isBuiltSql(context, scope, part, before, depth + 1)) built = true;
          const value = literalValue(context, scope, part, depth + 1);
          if (value === undefined) dynamic = true;
          else literalText += value;
        });
        return plus && (built || (dynamic && looksLikeSql(literalText)));
      }
      case 'identifier': {
        const assignments = reachingAssignments(context, scope, cursorText(context, node), before);
        for (const assignment of assignments) {
          if (assignedSql(context, scope, assignment, depth)?.built === true) return true;
        }
        // `q += " AND id = " + id` after `q := "SELECT .."`: the last value set and the parts appended to it.
        let start = assignments.length - 1;
        while (start > 0 && assignments[start]?.appends === true) start -= 1;
        let literalText = '';
        let dynamic = false;
        for (const assignment of assignments.slice(Math.max(start, 0))) {
          const sql = assignedSql(context, scope, assignment, depth);
          if (sql === undefined) continue;
          literalText += sql.text;
          dynamic ||= assignment.appends && sql.hasNonLiteralPart;
        }
        return dynamic && looksLikeSql(literalText);
      }
      default:
        return false;
    }
  });
}

/** The SQL reading of an assigned value, computed once per assignment (a variable can be used many times). */
function assignedSql(
  context: Context,
  scope: SyntaxNode,
  assignment: Assignment,
  depth: number,
): AssignedSql | undefined {
  if (assignment.value === null) return undefined;
  if (assignment.sql !== undefined) return assignment.sql;
  const built = isBuiltSql(context, scope, assignment.value.walk(), assignment.position, depth + 1);
  let text = '';
  let hasNonLiteralPart = false;
  const collect = (part: TreeCursor): void => {
    const value = literalValue(context, scope, part, depth + 1);
    if (value === undefined) hasNonLiteralPart = true;
    else text += value;
  };
  const valueCursor = assignment.value.walk();
  if (typeAt(valueCursor) === 'binary_expression') forEachConcatenationPart(valueCursor, collect);
  else collect(valueCursor);
  assignment.sql = { built, text, hasNonLiteralPart };
  return assignment.sql;
}

/** Whether the call under the cursor is `fmt.Sprintf(..)` (any alias of fmt, or `Sprintf` when dot-imported). */
function isSprintf(context: Context, cursor: TreeCursor): boolean {
  const imports = context.imports;
  return (
    inField(cursor, 'function', (callee) => {
      if (typeAt(callee) === 'identifier') return imports.fmtDot && cursorText(context, callee) === 'Sprintf';
      if (typeAt(callee) !== 'selector_expression') return false;
      const operand = inField(callee, 'operand', (node) =>
        typeAt(node) === 'identifier' ? cursorText(context, node) : undefined,
      );
      const field = inField(callee, 'field', (node) => cursorText(context, node));
      return operand !== undefined && imports.fmt.has(operand) && field === 'Sprintf';
    }) === true
  );
}

const SQL_VERBS = new Set(['select', 'insert', 'update', 'delete']);
const SQL_CLAUSES = new Set(['from', 'into', 'set', 'where', 'values']);

/**
 * SQL-looking text: a statement verb (SELECT/INSERT/UPDATE/DELETE) followed later by FROM/INTO/SET/WHERE/VALUES. The
 * verb must open the text (after `WITH ..` or `EXPLAIN`, anywhere) or be written in capitals, so English sentences
 * ("select a file from the list") are not SQL. One pass over the words: linear on any input.
 */
function looksLikeSql(text: string): boolean {
  let verbSeen = false;
  let first = true;
  let anywhere = false;
  for (const match of text.matchAll(/[A-Za-z]+/g)) {
    const word = match[0];
    const lower = word.toLowerCase();
    if (verbSeen) {
      if (SQL_CLAUSES.has(lower)) return true;
    } else if (SQL_VERBS.has(lower) && (first || anywhere || word === word.toUpperCase())) {
      verbSeen = true;
    } else if (first && (lower === 'with' || lower === 'explain')) {
      anywhere = true;
    }
    first = false;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Literal values and assignments

/**
 * The text of the string-valued expression under the cursor when it is a literal: `"x"`, `` `x` ``, `("x")`,
 * `"a" + "b"`, or a name whose every assignment before the use in its function (or at package level) is such a
 * literal, constants included. Undefined otherwise.
 */
function literalValue(context: Context, scope: SyntaxNode, cursor: TreeCursor, depth: number): string | undefined {
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  return atInnerExpression(cursor, (node) => {
    const type = typeAt(node);
    if (type === 'interpreted_string_literal' || type === 'raw_string_literal') {
      return stringLiteralText(type, cursorText(context, node));
    }
    if (type === 'binary_expression') {
      let text: string | undefined = '';
      const plus = forEachConcatenationPart(node, (part) => {
        if (text === undefined) return;
        const value = literalValue(context, scope, part, depth + 1);
        text = value === undefined ? undefined : text + value;
      });
      return plus ? text : undefined;
    }
    if (type !== 'identifier') return undefined;
    const assignments = reachingAssignments(context, scope, cursorText(context, node), node.startIndex);
    if (assignments.length === 0 || assignments.length >= MAX_ASSIGNMENTS) return undefined;
    let text: string | undefined;
    for (const assignment of assignments) {
      const value = assignedLiteral(context, scope, assignment, depth);
      if (value === undefined) return undefined;
      text = assignment.appends ? (text ?? '') + value : value;
    }
    return text;
  });
}

/** The literal text of an assigned value, computed once per assignment. */
function assignedLiteral(
  context: Context,
  scope: SyntaxNode,
  assignment: Assignment,
  depth: number,
): string | undefined {
  if (assignment.literal === undefined) {
    const value =
      assignment.value === null ? undefined : literalValue(context, scope, assignment.value.walk(), depth + 1);
    assignment.literal = value ?? null;
  }
  return assignment.literal ?? undefined;
}

function stringLiteralText(type: string, text: string): string | undefined {
  if (type !== 'interpreted_string_literal' && type !== 'raw_string_literal') return undefined;
  return text.slice(1, -1);
}

/**
 * The assignments that can give a name its value at `before`: the last declaration of it in the function before that
 * point (`:=`, `var`, a parameter) and the assignments after that declaration. Without a declaration in the function,
 * the package-level declarations come first (their order does not matter: they are visible in the whole package).
 * At most MAX_ASSIGNMENTS, the latest.
 */
function reachingAssignments(context: Context, scope: SyntaxNode, name: string, before: number): Assignment[] {
  const local = scope === context.root ? undefined : context.scopes.get(scope)?.get(name);
  const count = local === undefined ? 0 : firstAtOrAfter(local, before);
  let start = count - 1;
  while (start >= 0 && count - start <= MAX_ASSIGNMENTS && local?.[start]?.declares !== true) start -= 1;
  if (local !== undefined && start >= 0) return local.slice(start, count);
  const tail = local === undefined ? [] : local.slice(Math.max(0, count - MAX_ASSIGNMENTS), count);
  const global = context.scopes.get(context.root)?.get(name) ?? [];
  const globalBefore = scope === context.root ? global.slice(0, firstAtOrAfter(global, before)) : global;
  return [...globalBefore.slice(-MAX_ASSIGNMENTS), ...tail].slice(-MAX_ASSIGNMENTS);
}

/** Binary search: the index of the first assignment at or after `position`. */
function firstAtOrAfter(assignments: readonly Assignment[], position: number): number {
  let low = 0;
  let high = assignments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((assignments[middle]?.position ?? 0) < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A name on the left of a binding: its text and start; undefined for `_`, selectors and index expressions. */
interface Target {
  readonly name: string | undefined;
  readonly start: number;
}

/** Records the names a declaration, assignment, parameter or range clause under the cursor binds, with values. */
function indexAssignments(context: Context, cursor: TreeCursor, scope: SyntaxNode): void {
  let index = context.scopes.get(scope);
  if (index === undefined) {
    index = new Map();
    context.scopes.set(scope, index);
  }
  const probe = context.probe;
  probe.resetTo(cursor);
  const targets: Target[] = [];
  const values: SyntaxNode[] = [];
  let operator = ':=';
  const readTarget = (node: TreeCursor): void => {
    targets.push({
      name: typeAt(node) === 'identifier' ? cursorText(context, node) : undefined,
      start: node.startIndex,
    });
  };
  if (!probe.gotoFirstChild()) return;
  do {
    const field = fieldAt(probe);
    if (field === 'name') readTarget(probe);
    else if (field === 'left' || field === 'alias') forEachNamedChild(probe, readTarget);
    else if (field === 'operator') operator = typeAt(probe);
    else if (field === 'value' || field === 'right') {
      if (typeAt(probe) === 'expression_list') forEachNamedChild(probe, (value) => values.push(value.currentNode));
      else values.push(probe.currentNode);
    }
  } while (probe.gotoNextSibling());
  const type = typeAt(cursor);
  const carriesValues = type === 'var_spec' || type === 'const_spec' || type === 'short_var_declaration';
  const appends = operator === '+=';
  const plain = carriesValues || (type === 'assignment_statement' && (appends || operator === '='));
  targets.forEach((target, position) => {
    if (target.name === undefined || target.name === '_') return;
    // `var x string`, `a, b := f()`, parameters and range variables: no single value to follow.
    const value = plain && values.length === targets.length ? (values[position] ?? null) : null;
    const assignment: Assignment = {
      position: target.start,
      value,
      appends,
      declares: type !== 'assignment_statement',
    };
    const list = index.get(target.name);
    if (list === undefined) {
      index.set(target.name, [assignment]);
      return;
    }
    // Sorted by position: package-level declarations are indexed before the walk reaches function literals.
    let at = list.length;
    while (at > 0 && (list[at - 1]?.position ?? 0) > assignment.position) at -= 1;
    list.splice(at, 0, assignment);
  });
}

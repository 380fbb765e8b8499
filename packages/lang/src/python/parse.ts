import type { ParseLimits, SyntaxNode } from '../tree-sitter/parsers.js';
import { ancestorScopes, createPositionMapper, deadlineCheck, parseTree } from '../tree-sitter/parsers.js';
import { neutralizePythonGaps } from '../tree-sitter/grammar-gaps.js';
import { collectSyntaxErrors, MAX_TREE_SITTER_DIAGNOSTICS } from '../tree-sitter/syntax-errors.js';
import type { Definition, ImportRecord, ParsedFile, SyntaxDiagnostic } from '../types.js';
import { indentationErrors } from './indentation.js';

export type PythonImportGuard = 'try' | 'if' | 'function' | 'type-ignore';

const SUPPRESSES_IMPORT_ERROR = /\bsuppress\s*\([^)]*\b(?:ImportError|ModuleNotFoundError|Exception|BaseException)\b/;

export function parsePython(options: { path: string; text: string } & ParseLimits): ParsedFile {
  const check = deadlineCheck(options);
  const tree = parseTree('python', neutralizePythonGaps(options.text), options);
  if (tree === null) return { language: 'python', diagnostics: [], imports: [], definitions: [], incomplete: true };
  const position = createPositionMapper(options.text);
  const diagnostics: SyntaxDiagnostic[] = collectSyntaxErrors({ root: tree.rootNode, position });
  if (diagnostics.length < MAX_TREE_SITTER_DIAGNOSTICS && !tree.rootNode.hasError) {
    // tree-sitter-python accepts mis-indented blocks silently; Python does not.
    diagnostics.push(...indentationErrors(tree.rootNode, position, check).slice(0, MAX_TREE_SITTER_DIAGNOSTICS));
  }
  const imports: ImportRecord[] = [];
  const definitions: Definition[] = [];
  // Only these nodes carry facts; tree-sitter finds them natively, and each one's context (import guard, enclosing
  // class) comes from its ancestors. Walking every node through the binding instead cost ~1 s per MB of code.
  const contextOf = ancestorScopes<PythonContext>({ guard: undefined, parentClass: undefined }, pythonContext);
  const factNodes = tree.rootNode.descendantsOfType(FACT_NODE_TYPES);
  check(true);
  for (const node of factNodes) {
    check();
    const { guard, parentClass } = contextOf(node.parent);
    switch (node.type) {
      case 'import_statement':
        collectImport(node, guard ?? typeIgnoreGuard(node, options.text), position, imports);
        continue;
      case 'import_from_statement':
        collectFromImport(node, guard ?? typeIgnoreGuard(node, options.text), position, imports);
        continue;
      case 'future_import_statement':
        imports.push({
          specifier: '__future__',
          kind: 'python-from',
          ...position(node.startIndex),
          optional: true,
          level: 0,
          names: node.childrenForFieldName('name').map((name) => name.text),
        });
        continue;
      case 'type_alias_statement': {
        const name = node.childForFieldName('left')?.text;
        if (name !== undefined) {
          definitions.push({
            name: name.replace(/\[.*$/s, ''),
            kind: 'type',
            startLine: position(node.startIndex).line,
            endLine: position(node.endIndex).line,
            startOffset: node.startIndex,
            endOffset: node.endIndex,
          });
        }
        continue;
      }
    }
    const name = node.childForFieldName('name')?.text;
    if (name === undefined) continue;
    // Decorators belong to the definition's span (anchors often include them).
    const spanNode = node.parent?.type === 'decorated_definition' ? node.parent : node;
    definitions.push({
      name,
      kind: node.type === 'class_definition' ? 'class' : parentClass === undefined ? 'function' : 'method',
      startLine: position(spanNode.startIndex).line,
      endLine: position(spanNode.endIndex).line,
      startOffset: spanNode.startIndex,
      endOffset: spanNode.endIndex,
      ...(parentClass === undefined ? {} : { parent: parentClass }),
    });
  }
  return { language: 'python', diagnostics, imports, definitions, incomplete: false };
}

const FACT_NODE_TYPES = [
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'function_definition',
  'class_definition',
  'type_alias_statement',
];

interface PythonContext {
  /** The outermost construct that makes an import inside it optional. */
  readonly guard: PythonImportGuard | undefined;
  /** The class whose body directly holds the node (a function body resets it). */
  readonly parentClass: string | undefined;
}

/** The context a node gives its descendants. */
function pythonContext(node: SyntaxNode, outer: PythonContext): PythonContext {
  let { guard, parentClass } = outer;
  if (node.type === 'try_statement') guard ??= 'try';
  if (node.type === 'if_statement') guard ??= 'if';
  // `with contextlib.suppress(ImportError):` is a try/except ImportError written as a context manager.
  if (node.type === 'with_statement' && SUPPRESSES_IMPORT_ERROR.test(node.namedChildren[0]?.text ?? '')) {
    guard ??= 'try';
  }
  if (node.type === 'function_definition' || node.type === 'class_definition') {
    const name = node.childForFieldName('name')?.text;
    if (name !== undefined) {
      parentClass = node.type === 'class_definition' ? name : undefined;
      if (node.type === 'function_definition') guard ??= 'function';
    }
  }
  return guard === outer.guard && parentClass === outer.parentClass ? outer : { guard, parentClass };
}

type PositionOf = (offset: number) => { line: number; column: number };

/** `import cffi  # type: ignore`: the author tells type checkers the module may be missing, like @ts-ignore. */
function typeIgnoreGuard(node: SyntaxNode, text: string): PythonImportGuard | undefined {
  const lineEnd = text.indexOf('\n', node.endIndex);
  const rest = text.slice(node.endIndex, lineEnd === -1 ? text.length : lineEnd);
  return /#\s*type:\s*ignore/.test(rest) ? 'type-ignore' : undefined;
}

function guardFields(guard: PythonImportGuard | undefined): Partial<ImportRecord> {
  // Guarded imports may fail by design (optional dependencies, TYPE_CHECKING, version checks, lazy imports).
  return guard === undefined ? {} : { optional: true, guard };
}

function collectImport(
  node: SyntaxNode,
  guard: PythonImportGuard | undefined,
  position: PositionOf,
  out: ImportRecord[],
) {
  for (const name of node.childrenForFieldName('name')) {
    const dotted = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
    const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : undefined;
    if (dotted === null) continue;
    out.push({
      specifier: dotted.text.replace(/\s+/g, ''),
      kind: 'python-import',
      ...position(dotted.startIndex),
      level: 0,
      ...(alias === undefined ? {} : { alias }),
      ...guardFields(guard),
    });
  }
}

function collectFromImport(
  node: SyntaxNode,
  guard: PythonImportGuard | undefined,
  position: PositionOf,
  out: ImportRecord[],
) {
  const moduleNode = node.childForFieldName('module_name');
  if (moduleNode === null) return;
  const specifier = moduleNode.text.replace(/\s+/g, '');
  const level = /^\.*/.exec(specifier)?.[0].length ?? 0;
  const names = node.namedChildren.some((child) => child.type === 'wildcard_import')
    ? ['*']
    : node
        .childrenForFieldName('name')
        .map((name) => (name.type === 'aliased_import' ? (name.childForFieldName('name') ?? name) : name).text);
  out.push({
    specifier,
    kind: 'python-from',
    ...position(moduleNode.startIndex),
    level,
    names,
    ...(specifier === '__future__' ? { optional: true } : {}),
    ...guardFields(guard),
  });
}

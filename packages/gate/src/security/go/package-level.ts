// Go imports (which names reach os/exec and fmt; `go/unsafe`) and package-level `var`/`const` declarations.
import type { SyntaxNode } from '@kode/lang';
import { indexAssignments } from './assignments.js';
import { EXEC_PACKAGES, report } from './context.js';
import type { Context, TreeCursor } from './context.js';
import { forEachNamedChild, textOf, typeAt } from './cursor.js';
import { stringLiteralText } from './literals.js';

/** Records the imports and indexes the package-level `var`/`const` declarations, before the main walk. */
export function indexPackageLevel(context: Context, wantsBindings: boolean): void {
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

export function isVarOrConstSpec(type: string): boolean {
  return type === 'var_spec' || type === 'const_spec';
}

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

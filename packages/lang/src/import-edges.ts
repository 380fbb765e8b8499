// A file's imports resolved to project files: the edges of the dependency graph (the index, the architecture gate).
// Python `from pkg import name` also links to `pkg/name.py` when `name` is a submodule: the file depends on it.
import type { ImportKind, ImportRecord, ResolveResult } from './types.js';

export interface ImportEdge {
  readonly specifier: string;
  readonly kind: ImportKind;
  readonly line: number;
  readonly column: number;
  readonly typeOnly: boolean;
  readonly optional: boolean;
  /** The project file it resolves to, or null (external, built-in, unresolved). */
  readonly target: string | null;
}

export type ImportResolver = (request: { specifier: string; kind: ImportKind; typeOnly?: boolean }) => ResolveResult;

export function resolveImportEdges(options: {
  readonly imports: readonly ImportRecord[];
  readonly resolve: ImportResolver;
}): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const seen = new Set<string>();
  const add = (record: ImportRecord, specifier: string, kind: ImportKind, keepUnresolved: boolean): void => {
    const key = `${kind}\u0000${specifier}\u0000${record.typeOnly === true ? 't' : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    const resolved = options.resolve({
      specifier,
      kind,
      ...(record.typeOnly === undefined ? {} : { typeOnly: record.typeOnly }),
    });
    const target = resolved.kind === 'project' ? resolved.file : null;
    if (target === null && !keepUnresolved) return;
    edges.push({
      specifier,
      kind,
      line: record.line,
      column: record.column,
      typeOnly: record.typeOnly === true,
      optional: record.optional === true,
      target,
    });
  };
  for (const record of options.imports) {
    add(record, record.specifier, record.kind, true);
    if (record.kind !== 'python-from') continue;
    for (const name of record.names ?? []) {
      if (name === '*') continue;
      const specifier = record.specifier.endsWith('.') ? `${record.specifier}${name}` : `${record.specifier}.${name}`;
      add(record, specifier, 'python-import', false);
    }
  }
  return edges;
}

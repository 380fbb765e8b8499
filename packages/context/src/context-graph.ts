// `kode plan` (SPEC §3.2): entry points from the task (named paths, symbol names, then task terms), scores that decay
// over import/definition/call edges, and trimming to a token budget — full content while it fits, signatures after.
// The same packet is what generate/run/loop send as "Project Context".
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { IndexedFile, ProjectIndex } from './project-index.js';

export type Confidence = 'certain' | 'resolved' | 'ambiguous';
export type EdgeKind = 'imports' | 'calls' | 'defines' | 'implements' | 'extends';

export interface ContextNode {
  readonly id: string;
  readonly file_path: string;
  readonly kind: string;
  readonly name: string;
  readonly signature: string | null;
  readonly content: string | null;
  readonly token_cost: number;
  readonly start_line: number;
  readonly end_line: number;
  readonly score: number;
}

export interface ContextEdge {
  readonly source: string;
  readonly target: string;
  readonly kind: EdgeKind;
  readonly confidence: Confidence;
}

export interface ContextGraph {
  readonly nodes: Readonly<Record<string, ContextNode>>;
  readonly edges: readonly ContextEdge[];
  readonly total_tokens: number;
  readonly max_tokens: number;
  readonly project_root: string;
}

export interface ContextPacket {
  readonly version: 1;
  readonly task: string;
  readonly files: readonly {
    readonly path: string;
    readonly kind: string;
    readonly name: string;
    readonly signature: string | null;
    readonly content: string | null;
    readonly start_line: number;
    readonly end_line: number;
  }[];
  readonly edges: readonly ContextEdge[];
  readonly total_tokens: number;
  readonly max_tokens: number;
}

export type ContextGraphResult =
  | { readonly ok: true; readonly graph: ContextGraph; readonly entryNodes: readonly string[] }
  | { readonly ok: false; readonly reason: 'no-match' };

const WEIGHT: Readonly<Record<Confidence, number>> = { certain: 1, resolved: 0.8, ambiguous: 0.4 };
const STOP_WORDS = new Set(
  'the and for with that this from into when then than them they their there what which while where make made '
    .concat('add adds added use uses using new all any can should would could must not but are was were has have ')
    .concat('had its our your you out via per each also only just more most some such very file files code function')
    .split(/\s+/u)
    .filter((word) => word !== ''),
);

/** Tokens as the whole product estimates them: ceil(characters / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Task terms: split on non-letters and camelCase/snake_case, lower-cased, ≥ 3 characters, stop words removed. */
export function taskTerms(task: string): string[] {
  const words = task
    .replace(/([a-z0-9])([A-Z])/gu, '$1 $2')
    .split(/[^A-Za-z]+/u)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length >= 3 && !STOP_WORDS.has(word));
  return [...new Set(words)];
}

function nameTerms(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/gu, '$1 $2')
    .split(/[^A-Za-z]+/u)
    .map((word) => word.toLowerCase())
    .filter((word) => word !== '');
}

interface GraphParts {
  readonly nodes: Map<string, Omit<ContextNode, 'score' | 'content' | 'token_cost'> & { text: string }>;
  readonly edges: ContextEdge[];
}

function fileText(index: ProjectIndex, path: string): string {
  try {
    return readFileSync(join(index.projectRoot, path), 'utf8');
  } catch {
    return '';
  }
}

function linesOf(text: string, start: number, end: number): string {
  return text
    .split('\n')
    .slice(start - 1, end)
    .join('\n');
}

function buildParts(index: ProjectIndex, paths: ReadonlySet<string>): GraphParts {
  const nodes: GraphParts['nodes'] = new Map();
  const edges: ContextEdge[] = [];
  const texts = new Map<string, string>();
  const textOf = (path: string) => {
    let text = texts.get(path);
    if (text === undefined) {
      text = fileText(index, path);
      texts.set(path, text);
    }
    return text;
  };
  const files = [...paths].flatMap((path) => {
    const file = index.files.get(path);
    return file === undefined ? [] : [file];
  });
  for (const file of files) {
    nodes.set(file.path, {
      id: file.path,
      file_path: file.path,
      kind: 'file',
      name: posix.basename(file.path),
      signature: null,
      start_line: 1,
      // Known once the file is read, which only happens if the node makes it into the graph.
      end_line: 0,
      get text() {
        return textOf(file.path);
      },
    });
    for (const declaration of file.symbols.declarations) {
      const id = `${file.path}#${declaration.name}`;
      if (nodes.has(id)) continue;
      nodes.set(id, {
        id,
        file_path: file.path,
        kind: declaration.kind,
        name: declaration.name,
        signature: declaration.signature === '' ? null : declaration.signature,
        start_line: declaration.line,
        end_line: declaration.endLine,
        get text() {
          return linesOf(textOf(file.path), declaration.line, declaration.endLine);
        },
      });
      edges.push({ source: file.path, target: id, kind: 'defines', confidence: 'certain' });
    }
    for (const target of index.dependencies(file.path)) {
      if (paths.has(target)) edges.push({ source: file.path, target, kind: 'imports', confidence: 'resolved' });
    }
  }
  for (const file of files) addCallEdges({ index, file, nodes, edges });
  return { nodes, edges };
}

/** A reference through an import binding to a declaration of the imported project file: a `calls` edge. */
function addCallEdges(options: {
  index: ProjectIndex;
  file: IndexedFile;
  nodes: GraphParts['nodes'];
  edges: ContextEdge[];
}) {
  const { file, nodes, edges } = options;
  const targets = new Map(file.imports.map((entry) => [`${entry.kind}\u0000${entry.specifier}`, entry.target]));
  const seen = new Set<string>();
  for (const binding of file.symbols.imports) {
    const target = targets.get(`${binding.kind}\u0000${binding.specifier}`);
    if (target === undefined || target === null) continue;
    const names =
      binding.imported === '*'
        ? file.symbols.references
            .filter((reference) => reference.name === binding.local)
            .map((reference) => reference.member)
        : [binding.imported];
    for (const name of names) {
      if (name === undefined) continue;
      const id = `${target}#${name}`;
      if (!nodes.has(id) || seen.has(id)) continue;
      seen.add(id);
      edges.push({ source: file.path, target: id, kind: 'calls', confidence: 'resolved' });
    }
  }
}

interface NamedNode {
  readonly id: string;
  readonly name: string;
  readonly isFile: boolean;
}

/** Every node's id and name, without building the graph (entry points are looked up across the whole project). */
function allNames(index: ProjectIndex): NamedNode[] {
  const names: NamedNode[] = [];
  for (const file of index.files.values()) {
    names.push({ id: file.path, name: posix.basename(file.path), isFile: true });
    for (const declaration of file.symbols.declarations) {
      names.push({ id: `${file.path}#${declaration.name}`, name: declaration.name, isFile: false });
    }
  }
  return names;
}

function entryPoints(options: { index: ProjectIndex; task: string }): string[] {
  const { index } = options;
  const named = allNames(index);
  const words = options.task
    .split(/[\s,;:()'"`<>]+/u)
    .map((word) => word.replace(/[.?!]+$/u, '').replace(/^\.\//u, ''));
  const found = new Set<string>();
  for (const word of words) {
    if (word === '') continue;
    if (index.files.has(word)) {
      found.add(word);
      continue;
    }
    // A directory expands to its source files.
    const directory = word.replace(/\/+$/u, '');
    if (directory.length < 2) continue;
    for (const path of index.files.keys()) if (path.startsWith(`${directory}/`)) found.add(path);
  }
  const identifiers = new Set(options.task.split(/[^A-Za-z0-9_$]+/u).filter((word) => word.length >= 2));
  const symbols = named.filter((node) => !node.isFile);
  for (const identifier of identifiers) {
    const exact = symbols.filter((node) => node.name === identifier);
    const matches =
      exact.length > 0
        ? exact
        : symbols.filter((node) => node.name.toLowerCase() === identifier.toLowerCase() && identifier.length >= 4);
    for (const node of matches) found.add(node.id);
  }
  if (found.size > 0) return [...found];
  const terms = new Set(taskTerms(options.task));
  if (terms.size === 0) return [];
  for (const node of named) {
    const base = node.isFile ? node.name.replace(/\.[^.]+$/u, '') : node.name;
    if (nameTerms(base).some((term) => terms.has(term))) found.add(node.id);
  }
  return [...found];
}

function score(options: { parts: GraphParts; entries: readonly string[]; task: string }): Map<string, number> {
  const { parts } = options;
  const adjacency = new Map<string, { next: string; weight: number }[]>();
  const inDegree = new Map<string, number>();
  for (const edge of parts.edges) {
    const weight = WEIGHT[edge.confidence];
    for (const [from, to] of [
      [edge.source, edge.target],
      [edge.target, edge.source],
    ] as const) {
      const list = adjacency.get(from) ?? [];
      list.push({ next: to, weight });
      adjacency.set(from, list);
    }
    inDegree.set(edge.target, (inDegree.get(edge.target) ?? 0) + 1);
  }
  const proximity = new Map<string, number>();
  let frontier = new Map<string, number>(options.entries.map((id) => [id, 1]));
  for (const [id, value] of frontier) proximity.set(id, value);
  for (let hop = 1; hop <= 3; hop += 1) {
    const next = new Map<string, number>();
    for (const [id, value] of frontier) {
      for (const { next: neighbour, weight } of adjacency.get(id) ?? []) {
        const candidate = value * 0.5 * weight;
        if (candidate > (proximity.get(neighbour) ?? 0) && candidate > (next.get(neighbour) ?? 0))
          next.set(neighbour, candidate);
      }
    }
    for (const [id, value] of next) proximity.set(id, Math.max(proximity.get(id) ?? 0, value));
    frontier = next;
  }
  const terms = taskTerms(options.task);
  const maxIn = Math.max(1, ...inDegree.values());
  const scores = new Map<string, number>();
  for (const [id, value] of proximity) {
    const node = parts.nodes.get(id);
    if (node === undefined) continue;
    const named =
      terms.length === 0 ? 0 : terms.filter((term) => nameTerms(node.name).includes(term)).length / terms.length;
    const total = options.entries.includes(id) ? 1 : value + 0.2 * named + 0.1 * ((inDegree.get(id) ?? 0) / maxIn);
    scores.set(id, Math.round(total * 1000) / 1000);
  }
  return scores;
}

/**
 * Files within reach of the entry points: scores reach 3 edges from an entry, and a symbol is one edge from its
 * file, so 4 file-level hops cover every node that can score. Building the graph only there keeps a large project's
 * plan proportional to the task, not to the repository.
 */
function neighbourhood(index: ProjectIndex, entries: readonly string[]): Set<string> {
  const reached = new Set(entries.map((id) => id.split('#')[0] as string));
  let frontier = [...reached];
  for (let hop = 0; hop < 4 && frontier.length > 0; hop += 1) {
    const next: string[] = [];
    for (const path of frontier) {
      for (const neighbour of [...index.dependencies(path), ...index.dependents(path)]) {
        if (reached.has(neighbour)) continue;
        reached.add(neighbour);
        next.push(neighbour);
      }
    }
    frontier = next;
  }
  return reached;
}

/** The ranked, trimmed context graph for a task; `no-match` when nothing in the project matches it. */
export function buildContextGraph(options: {
  index: ProjectIndex;
  task: string;
  maxTokens: number;
}): ContextGraphResult {
  const entries = entryPoints({ index: options.index, task: options.task });
  if (entries.length === 0) return { ok: false, reason: 'no-match' };
  const parts = buildParts(options.index, neighbourhood(options.index, entries));
  const scores = score({ parts, entries, task: options.task });
  const ranked = [...scores.entries()].sort(
    ([left, leftScore], [right, rightScore]) =>
      rightScore - leftScore ||
      (parts.nodes.get(left)?.file_path ?? '').localeCompare(parts.nodes.get(right)?.file_path ?? '') ||
      (parts.nodes.get(left)?.start_line ?? 0) - (parts.nodes.get(right)?.start_line ?? 0),
  );
  const nodes: Record<string, ContextNode> = {};
  let total = 0;
  // A file node whose symbols are included in full would repeat their text: files are included by content only
  // when they have no included symbol, symbols by content while they fit, then by signature.
  for (const [id, value] of ranked) {
    const node = parts.nodes.get(id);
    if (node === undefined) continue;
    const full = node.text;
    const fullCost = estimateTokens(full);
    const signatureCost = node.signature === null ? Infinity : estimateTokens(node.signature);
    let content: string | null = null;
    let cost: number;
    if (total + fullCost <= options.maxTokens) {
      content = full;
      cost = fullCost;
    } else if (total + signatureCost <= options.maxTokens) {
      cost = signatureCost;
    } else {
      continue;
    }
    total += cost;
    nodes[id] = {
      id: node.id,
      file_path: node.file_path,
      kind: node.kind,
      name: node.name,
      signature: node.signature,
      content,
      token_cost: cost,
      start_line: node.start_line,
      end_line: node.kind === 'file' ? full.split('\n').length - (full.endsWith('\n') ? 1 : 0) : node.end_line,
      score: value,
    };
  }
  const included = new Set(Object.keys(nodes));
  const edges = parts.edges.filter((edge) => included.has(edge.source) && included.has(edge.target));
  return {
    ok: true,
    entryNodes: entries,
    graph: {
      nodes,
      edges,
      total_tokens: total,
      max_tokens: options.maxTokens,
      project_root: options.index.projectRoot,
    },
  };
}

/** The `--packet` document (§3.2) of a graph. */
export function contextPacket(options: { graph: ContextGraph; task: string }): ContextPacket {
  return {
    version: 1,
    task: options.task,
    files: Object.values(options.graph.nodes).map((node) => ({
      path: node.file_path,
      kind: node.kind,
      name: node.name,
      signature: node.signature,
      content: node.content,
      start_line: node.start_line,
      end_line: node.end_line,
    })),
    edges: options.graph.edges,
    total_tokens: options.graph.total_tokens,
    max_tokens: options.graph.max_tokens,
  };
}

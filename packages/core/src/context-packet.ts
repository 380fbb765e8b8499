// The context packet (§3.2 `--packet` shape, version 1): what the model sees of the project. Until the repository
// index (@kode/context) lands, the engine builds it from the files the task names plus their direct project imports
// (§8.1's fallback: the project's entry files when the task names nothing), whole files while the token budget
// allows. A packet from `--context-file` is validated against the same shape.
import { lstat, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isExcludedFromContext } from '@kode/context';
import { createOverlay, detectLanguage, parseSource, resolveImport } from '@kode/lang';

export interface ContextPacketFile {
  readonly path: string;
  readonly kind: string;
  readonly name?: string;
  readonly signature?: string | null;
  readonly content: string | null;
  readonly start_line?: number;
  readonly end_line?: number;
}

export interface ContextPacket {
  readonly version: 1;
  readonly task: string;
  readonly files: readonly ContextPacketFile[];
  readonly edges: readonly unknown[];
  readonly total_tokens: number;
  readonly max_tokens: number;
}

export type ContextPacketParseResult =
  { readonly ok: true; readonly packet: ContextPacket } | { readonly ok: false; readonly error: string };

/** Tokens as the whole product estimates them (§3.2): ceil(characters / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a `kode plan --packet` document (unknown keys ignored). */
export function parseContextPacket(value: unknown): ContextPacketParseResult {
  if (!isRecord(value)) return { ok: false, error: 'a context packet must be a JSON object' };
  if (value.version !== 1) return { ok: false, error: `version must be 1 (got ${JSON.stringify(value.version)})` };
  if (!Array.isArray(value.files)) return { ok: false, error: 'files must be an array' };
  const files: ContextPacketFile[] = [];
  for (const [index, entry] of value.files.entries()) {
    const where = `files[${index}]`;
    if (!isRecord(entry)) return { ok: false, error: `${where} must be an object` };
    if (typeof entry.path !== 'string' || entry.path === '') {
      return { ok: false, error: `${where}.path must be a non-empty string` };
    }
    if (entry.content !== null && entry.content !== undefined && typeof entry.content !== 'string') {
      return { ok: false, error: `${where}.content must be a string or null` };
    }
    if (entry.signature !== undefined && entry.signature !== null && typeof entry.signature !== 'string') {
      return { ok: false, error: `${where}.signature must be a string or null` };
    }
    files.push({
      path: entry.path,
      kind: typeof entry.kind === 'string' ? entry.kind : 'file',
      ...(typeof entry.name === 'string' ? { name: entry.name } : {}),
      ...(typeof entry.signature === 'string' ? { signature: entry.signature } : {}),
      content: typeof entry.content === 'string' ? entry.content : null,
      ...(typeof entry.start_line === 'number' ? { start_line: entry.start_line } : {}),
      ...(typeof entry.end_line === 'number' ? { end_line: entry.end_line } : {}),
    });
  }
  const edges = Array.isArray(value.edges) ? value.edges : [];
  const totalTokens = typeof value.total_tokens === 'number' ? value.total_tokens : 0;
  const maxTokens = typeof value.max_tokens === 'number' ? value.max_tokens : 0;
  return {
    ok: true,
    packet: {
      version: 1,
      task: typeof value.task === 'string' ? value.task : '',
      files,
      edges,
      total_tokens: totalTokens,
      max_tokens: maxTokens,
    },
  };
}

export { isExcludedFromContext } from '@kode/context';

const ENTRY_FILES = [
  'src/index.ts',
  'src/index.js',
  'src/main.ts',
  'src/main.js',
  'main.go',
  'src/lib.rs',
  'src/main.rs',
  '__main__.py',
  'main.py',
  'app.py',
];

async function readProjectFile(options: {
  projectRoot: string;
  path: string;
  maxFileBytes: number;
}): Promise<string | undefined> {
  if (isExcludedFromContext(options.path)) return undefined;
  const absolute = join(options.projectRoot, options.path);
  const info = await lstat(absolute).catch(() => undefined);
  if (!info?.isFile() || info.size > options.maxFileBytes) return undefined;
  const bytes = await readFile(absolute);
  if (bytes.includes(0)) return undefined;
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}

/** Words of the task that look like project paths (`src/math.js`, `./lib/a.py`, `` `main.go` ``). */
function pathsNamedIn(task: string): string[] {
  const words = task.split(/[\s,;:()'"`<>]+/u).map((word) => word.replace(/[.?!]+$/u, ''));
  const candidates = words
    .map((word) => posix.normalize(word.replace(/^\.\//u, '')))
    .filter((word) => /[./]/u.test(word) && !word.startsWith('..') && !word.startsWith('/') && word !== '.');
  return [...new Set(candidates)];
}

async function entryFiles(projectRoot: string): Promise<string[]> {
  const found: string[] = [];
  const manifest = await readFile(join(projectRoot, 'package.json'), 'utf8').catch(() => undefined);
  if (manifest !== undefined) {
    try {
      const parsed = JSON.parse(manifest) as { main?: unknown };
      if (typeof parsed.main === 'string') found.push(posix.normalize(parsed.main.replace(/^\.\//u, '')));
    } catch {
      // A broken package.json names no entry file.
    }
  }
  for (const candidate of ENTRY_FILES) {
    const info = await lstat(join(projectRoot, candidate)).catch(() => undefined);
    if (info?.isFile()) found.push(candidate);
  }
  return [...new Set(found)];
}

function directProjectImports(options: { projectRoot: string; path: string; text: string }): string[] {
  const language = detectLanguage(options.path);
  if (language === null) return [];
  const parsed = parseSource({ language, path: options.path, text: options.text });
  const overlay = createOverlay({});
  const imports: string[] = [];
  for (const record of parsed.imports) {
    const resolved = resolveImport({
      projectRoot: options.projectRoot,
      fromFile: options.path,
      specifier: record.specifier,
      overlay,
      kind: record.kind,
    });
    if (resolved.kind === 'project') imports.push(resolved.file);
  }
  return imports;
}

export interface BuiltContext {
  readonly packet: ContextPacket;
  /** True when the task named no existing file and the entry files were used (§8.1's notice). */
  readonly usedEntryFiles: boolean;
}

/** The fallback packet: named files, then their direct project imports, whole files while they fit. */
export async function buildTaskContext(options: {
  projectRoot: string;
  task: string;
  maxTokens: number;
  maxFileBytes: number;
}): Promise<BuiltContext> {
  const { projectRoot, maxFileBytes } = options;
  const texts = new Map<string, string>();
  const read = async (path: string): Promise<string | undefined> => {
    if (texts.has(path)) return texts.get(path);
    const text = await readProjectFile({ projectRoot, path, maxFileBytes });
    if (text !== undefined) texts.set(path, text);
    return text;
  };
  const named: string[] = [];
  for (const path of pathsNamedIn(options.task)) if ((await read(path)) !== undefined) named.push(path);
  const usedEntryFiles = named.length === 0;
  const seeds = usedEntryFiles ? await entryFiles(projectRoot) : named;
  const ordered: string[] = [];
  for (const path of seeds) if ((await read(path)) !== undefined) ordered.push(path);
  for (const path of [...ordered]) {
    for (const imported of directProjectImports({ projectRoot, path, text: texts.get(path) ?? '' })) {
      if (!ordered.includes(imported) && (await read(imported)) !== undefined) ordered.push(imported);
    }
  }
  const files: ContextPacketFile[] = [];
  let total = 0;
  for (const path of ordered) {
    const content = texts.get(path) ?? '';
    const cost = estimateTokens(content);
    if (total + cost > options.maxTokens) continue;
    total += cost;
    files.push({
      path,
      kind: 'file',
      content,
      start_line: 1,
      end_line: content.split('\n').length - (content.endsWith('\n') ? 1 : 0),
    });
  }
  return {
    packet: { version: 1, task: options.task, files, edges: [], total_tokens: total, max_tokens: options.maxTokens },
    usedEntryFiles,
  };
}

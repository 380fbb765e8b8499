// @kode/context: the repository index (symbols, imports, dependency graph, incremental cache) and context packets.
export { openIndex } from './project-index.js';
export type { IndexedFile, IndexedImport, IndexStats, OpenIndexOptions, ProjectIndex } from './project-index.js';
export { indexCachePath, INDEX_CACHE_VERSION } from './cache.js';
export { isExcludedFromContext } from './exclusions.js';
export { listSourceFiles } from './list-files.js';
export { buildContextGraph, contextPacket, estimateTokens, taskTerms } from './context-graph.js';
export type {
  Confidence,
  ContextEdge,
  ContextGraph,
  ContextGraphResult,
  ContextNode,
  ContextPacket,
  EdgeKind,
} from './context-graph.js';

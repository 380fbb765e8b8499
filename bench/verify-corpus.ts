// Generated projects for bench/verify.bench.ts: deterministic (no randomness, the file index decides everything),
// cached under bench/.corpus/verify-<language>-<files>/, and copied into a temp dir for each run so that nothing the
// CLI writes (audit log, state dir) lands in the workspace or its .git.
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORPUS_DIR } from './lib.js';
import { pythonProject, typescriptProject } from './verify-projects.js';
import { goProject, rustProject } from './verify-projects-native.js';
import type { ProjectShape } from './verify-projects.js';

export type BenchLanguage = 'typescript' | 'python' | 'rust' | 'go';

export interface CorpusProject {
  readonly language: BenchLanguage;
  readonly sourceFiles: number;
  /** Absolute path of the cached project under bench/.corpus/. */
  readonly cachedRoot: string;
  /** Project-relative path of the file the one-hunk patch edits. */
  readonly target: string;
  /** A line that occurs exactly once in the target: the MODIFY anchor. */
  readonly anchor: string;
  /** The anchor's replacement; the iteration varies it so no run can reuse an earlier verdict. */
  readonly replacement: (iteration: number) => string;
}

const GENERATORS: Readonly<Record<BenchLanguage, (files: number) => ProjectShape>> = {
  typescript: typescriptProject,
  python: pythonProject,
  rust: rustProject,
  go: goProject,
};

// Bump when the generators change so stale caches are not benchmarked.
const CORPUS_VERSION = 1;
const COMPLETE_MARKER = '.kode-bench-complete';

export function ensureVerifyCorpus(language: BenchLanguage, sourceFiles: number): CorpusProject {
  const shape = GENERATORS[language](sourceFiles);
  const cachedRoot = join(CORPUS_DIR, `verify-v${CORPUS_VERSION}-${language}-${sourceFiles}`);
  if (!existsSync(join(cachedRoot, COMPLETE_MARKER))) {
    // Written beside the final directory and renamed, so an interrupted run never leaves a half project cached.
    const staging = `${cachedRoot}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    for (const [path, content] of shape.files) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), content);
    }
    writeFileSync(join(staging, COMPLETE_MARKER), '');
    rmSync(cachedRoot, { recursive: true, force: true });
    renameSync(staging, cachedRoot);
  }
  return {
    language,
    sourceFiles,
    cachedRoot,
    target: shape.target,
    anchor: shape.anchor,
    replacement: shape.replacement,
  };
}

/** Copies a cached project to `destination` (which must not exist); returns `destination`. */
export function copyProject(project: CorpusProject, destination: string): string {
  cpSync(project.cachedRoot, destination, {
    recursive: true,
    filter: (source) => !source.endsWith(COMPLETE_MARKER),
  });
  return destination;
}

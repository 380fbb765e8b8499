// The dependency lens's import half (SPEC §8.3): a third-party import the patch introduces must be declared by the
// nearest manifest, or added to it by the same patch. Resolution is @kode/lang's, the same the `imports` gate uses;
// this lens only turns "resolved but not declared" into an error, and only for imports the patch adds (G9: anything
// the resolver cannot decide, or that the pre-image already had, produces nothing).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createOverlay, detectLanguage, parseSource, resolveImport } from '@kode/lang';
import type { ImportRecord, Language, Overlay, ResolveResult } from '@kode/lang';
import type { CritiqueFile, CritiqueFinding } from './types.js';

const MANIFESTS: Readonly<Record<Language, readonly string[]>> = {
  typescript: ['package.json'],
  javascript: ['package.json'],
  python: ['pyproject.toml', 'setup.cfg', 'requirements.txt', 'Pipfile', 'setup.py'],
  rust: ['Cargo.toml'],
  go: ['go.mod'],
};

const FALLBACK_MANIFEST: Readonly<Record<Language, string>> = {
  typescript: 'package.json',
  javascript: 'package.json',
  python: "the project's dependencies",
  rust: 'Cargo.toml',
  go: 'go.mod',
};

interface Context {
  readonly projectRoot: string;
  readonly overlay: Overlay;
}

function resolve(context: Context, fromFile: string, record: ImportRecord): ResolveResult {
  try {
    return resolveImport({
      projectRoot: context.projectRoot,
      fromFile,
      specifier: record.specifier,
      overlay: context.overlay,
      ...(record.typeOnly === undefined ? {} : { typeOnly: record.typeOnly }),
      kind: record.kind,
    });
  } catch (error) {
    // A resolver bug must not reject a patch: treat it as "cannot decide".
    return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Does the file exist as the patch leaves the project? */
function existsAfterPatch(context: Context, relativePath: string): boolean {
  const fromOverlay = context.overlay.read(relativePath);
  if (fromOverlay !== undefined) return fromOverlay !== null;
  return existsSync(path.join(context.projectRoot, relativePath));
}

/** The project-relative manifest nearest to the file (as the patch leaves the project), for the fix hint. */
function nearestManifest(context: Context, file: string, language: Language): string {
  for (let directory = path.posix.dirname(file); ; directory = path.posix.dirname(directory)) {
    for (const name of MANIFESTS[language]) {
      const candidate = directory === '.' ? name : `${directory}/${name}`;
      if (existsAfterPatch(context, candidate)) return candidate;
    }
    if (directory === '.' || directory === '/' || directory === '') return FALLBACK_MANIFEST[language];
  }
}

function undeclaredImports(context: Context, file: CritiqueFile & { readonly after: string }): CritiqueFinding[] {
  const language = detectLanguage(file.path);
  if (language === null) return [];
  const before = file.before === null ? [] : parseSource({ language, path: file.path, text: file.before }).imports;
  // Only what the patch introduces counts: an undeclared import the file already had is not this patch's doing.
  const existing = new Set(before.map((record) => record.specifier));
  const candidates: { readonly record: ImportRecord; readonly name: string }[] = [];
  for (const record of parseSource({ language, path: file.path, text: file.after }).imports) {
    if (record.optional === true || existing.has(record.specifier)) continue;
    const resolved = resolve(context, file.path, record);
    if (resolved.kind === 'external' && !resolved.declared) candidates.push({ record, name: resolved.name });
  }
  if (candidates.length === 0) return [];
  // `lodash/fp` added next to an existing `lodash` import is the same undeclared package, already there before.
  const existingPackages = new Set(
    before.flatMap((record) => {
      const resolved = resolve(context, file.path, record);
      return resolved.kind === 'external' ? [resolved.name] : [];
    }),
  );
  const reported = new Set<string>();
  const findings: CritiqueFinding[] = [];
  for (const { record, name } of candidates) {
    if (existingPackages.has(name) || reported.has(name)) continue;
    reported.add(name);
    const imported = record.specifier === name ? `'${name}', which is` : `'${record.specifier}' but package ${name} is`;
    findings.push({
      lens: 'dependency',
      severity: 'error',
      message: `${file.path}:${record.line} imports ${imported} not declared; add it to ${nearestManifest(context, file.path, language)}`,
      file: file.path,
      hunk_ids: file.hunk_ids,
    });
  }
  return findings;
}

export function critiqueUndeclaredImports(options: {
  readonly projectRoot: string;
  readonly files: readonly CritiqueFile[];
}): CritiqueFinding[] {
  // Every post-image at once, so a manifest the patch edits counts as declared. An existing file emptied by the patch
  // is deleted on apply (SPEC §2.1).
  const overlay = createOverlay(
    new Map(options.files.map((file) => [file.path, file.after === '' && file.before !== null ? null : file.after])),
  );
  const context: Context = { projectRoot: path.resolve(options.projectRoot), overlay };
  return options.files.flatMap((file) =>
    file.after === null || file.after === '' ? [] : undeclaredImports(context, { ...file, after: file.after }),
  );
}

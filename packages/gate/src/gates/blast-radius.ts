// The `blast_radius` pre-gate (SPEC §4.5): radius = files the patch touches + project files outside the patch that
// use an exported symbol the patch removes, renames or re-signs. Signatures are compared through @kode/lang's
// fingerprints; dependents come from the repository index (@kode/context), opened only when some exported signature
// actually changed — a body-only patch costs nothing more than counting files. A dependent counts only when its use
// of the changed name is certain (G9).
import { posix } from 'node:path';
import { openIndex } from '@kode/context';
import type { IndexedFile, ProjectIndex } from '@kode/context';
import { detectLanguage, extractSymbols } from '@kode/lang';
import type { FileSymbols } from '@kode/lang';

export type BlastRadiusOutcome =
  | { readonly status: 'PASS'; readonly message: string; readonly details: string }
  | { readonly status: 'FAIL'; readonly message: string; readonly details: string };

export interface BlastRadiusFile {
  readonly path: string;
  readonly preText: string | null;
  /** null: deleted by the patch. */
  readonly postText: string | null;
}

/** Exported names whose existence or signature the patch changes, per file. */
export function changedExports(file: BlastRadiusFile): string[] {
  const language = detectLanguage(file.path);
  if (language === null || file.preText === null || file.preText === '') return [];
  const before = extractSymbols({ language, path: file.path, text: file.preText });
  if (before.exports.length === 0) return [];
  const after: FileSymbols | undefined =
    file.postText === null ? undefined : extractSymbols({ language, path: file.path, text: file.postText });
  // An export set that became unknowable (dynamic) cannot be compared: no verdict.
  if (after?.openExports === true) return [];
  const afterByName = new Map((after?.exports ?? []).map((declaration) => [declaration.name, declaration.fingerprint]));
  return [
    ...new Set(
      before.exports
        .filter((declaration) => afterByName.get(declaration.name) !== declaration.fingerprint)
        .map((declaration) => declaration.name),
    ),
  ];
}

/** Whether `dependent` certainly uses one of `names` exported by `target`. */
function usesChangedName(options: { dependent: IndexedFile; target: string; names: ReadonlySet<string> }): boolean {
  const { dependent, target, names } = options;
  const { symbols } = dependent;
  const targets = new Map<string, string | null>();
  for (const entry of dependent.imports) targets.set(`${entry.kind}\u0000${entry.specifier}`, entry.target);
  const pointsAtTarget = (specifier: string, kind: string) => targets.get(`${kind}\u0000${specifier}`) === target;
  for (const binding of symbols.imports) {
    if (!pointsAtTarget(binding.specifier, binding.kind)) continue;
    if (binding.imported !== '*' && names.has(binding.imported)) return true;
    if (binding.imported === '*' || binding.imported === 'default') {
      if (
        symbols.references.some(
          (reference) =>
            reference.name === binding.local && reference.member !== undefined && names.has(reference.member),
        )
      ) {
        return true;
      }
    }
  }
  for (const reExport of symbols.reExports) {
    if (!pointsAtTarget(reExport.specifier, reExport.kind)) continue;
    if (reExport.names === '*' || reExport.names.some((name) => names.has(name.imported))) return true;
  }
  // Go: files of the same package use package-level names without importing anything.
  if (
    dependent.language === 'go' &&
    posix.dirname(dependent.path) === posix.dirname(target) &&
    symbols.references.some((reference) => reference.member === undefined && names.has(reference.name))
  ) {
    return true;
  }
  return false;
}

function outcome(options: {
  touched: readonly string[];
  dependents: ReadonlyMap<string, readonly string[]>;
  maxBlastRadius: number;
}): BlastRadiusOutcome {
  const all = new Set([...options.dependents.values()].flat());
  const radius = options.touched.length + all.size;
  const parts = [`touched ${options.touched.join(', ')}`];
  for (const [name, files] of options.dependents) parts.push(`dependents of ${name}: ${files.join(', ')}`);
  if (radius > options.maxBlastRadius) {
    return {
      status: 'FAIL',
      message: 'Blast radius check failed',
      details: `radius ${radius} > max ${options.maxBlastRadius}: ${parts.join('; ')}`,
    };
  }
  return {
    status: 'PASS',
    message: 'Blast radius within limit',
    details: `radius ${radius} <= max ${options.maxBlastRadius}`,
  };
}

export async function checkBlastRadius(options: {
  projectRoot: string;
  /** Every path the patch touches. */
  files: readonly string[];
  /** The changed files with pre- and post-images. */
  changed: readonly BlastRadiusFile[];
  maxBlastRadius: number;
  index?: ProjectIndex;
  maxFileBytes?: number;
}): Promise<BlastRadiusOutcome> {
  const touched = new Set(options.files);
  const changedNames = options.changed
    .map((file) => ({ file, names: changedExports(file) }))
    .filter((entry) => entry.names.length > 0);
  const dependents = new Map<string, string[]>();
  if (changedNames.length > 0) {
    const base =
      options.index ??
      (await openIndex({
        projectRoot: options.projectRoot,
        ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }),
      }));
    const patched = base.withOverlay(
      Object.fromEntries(options.changed.map((file) => [file.path, file.postText] as const)),
    );
    for (const { file, names } of changedNames) {
      const wanted = new Set(names);
      const candidates = new Set([...base.dependents(file.path), ...patched.dependents(file.path)]);
      if (file.path.endsWith('.go')) {
        for (const path of patched.files.keys()) {
          if (posix.dirname(path) === posix.dirname(file.path)) candidates.add(path);
        }
      }
      for (const candidate of [...candidates].sort()) {
        if (touched.has(candidate)) continue;
        const dependent = patched.files.get(candidate);
        if (dependent === undefined || !usesChangedName({ dependent, target: file.path, names: wanted })) continue;
        const usedNames = names.filter((name) =>
          usesChangedName({ dependent, target: file.path, names: new Set([name]) }),
        );
        for (const name of usedNames.length > 0 ? usedNames : names) {
          const list = dependents.get(name) ?? [];
          if (!list.includes(candidate)) list.push(candidate);
          dependents.set(name, list);
        }
      }
    }
  }
  return outcome({ touched: options.files, dependents, maxBlastRadius: options.maxBlastRadius });
}

// The `imports` gate (SPEC §4.7): every import of a changed file's post-image is resolved against the project as
// the patch leaves it (the overlay). Findings the pre-image already had are not reported (§4.0); what the resolver
// cannot decide produces nothing (G9).
import { detectLanguage, parseSource, resolveImport } from '@kode/lang';
import type { ImportRecord, Language, Overlay, ParsedFile, ResolveResult } from '@kode/lang';
import { joinDetails } from '../format-reason.js';
import type { ResultDraft } from '../recorder.js';

type Finding = { readonly severity: 'FAIL' | 'WARN'; readonly record: ImportRecord; readonly text: string };

function manifestFor(language: Language): string {
  switch (language) {
    case 'typescript':
    case 'javascript':
      return 'package.json';
    case 'python':
      return "the project's dependencies";
    case 'rust':
      return 'Cargo.toml';
    case 'go':
      return 'go.mod';
  }
}

function classify(options: {
  path: string;
  language: Language;
  record: ImportRecord;
  resolved: ResolveResult;
}): Finding | undefined {
  const { path, record, resolved } = options;
  const where = `${path}:${record.line}:${record.column}`;
  if (resolved.kind === 'unresolved') return { severity: 'FAIL', record, text: `${where} ${resolved.reason}` };
  if (resolved.kind !== 'external') return undefined;
  // Declared but not installed is "cannot decide": dependencies are often simply not installed yet (fresh
  // checkout, CI before install), and Cargo/Go/Python declarations need no local install at all.
  if (!resolved.installed || resolved.declared) return undefined;
  const isJavaScript = options.language === 'typescript' || options.language === 'javascript';
  const how = isJavaScript ? 'is installed only as a dependency of another package' : 'is installed but not declared';
  return {
    severity: 'WARN',
    record,
    text: `${where} '${resolved.name}' ${how}; add it to ${manifestFor(options.language)}`,
  };
}

function findingKey(finding: Pick<Finding, 'severity' | 'record'>): string {
  return `${finding.severity}\u0000${finding.record.kind}\u0000${finding.record.specifier}`;
}

export function checkImports(options: {
  projectRoot: string;
  path: string;
  parsed: ParsedFile | undefined;
  preText: string | null;
  /** The project as the patch leaves it, and as it was (for pre-existing findings). */
  postOverlay: Overlay;
  preOverlay: Overlay;
}): ResultDraft {
  const { path } = options;
  const language = detectLanguage(path);
  if (language === null || options.parsed === undefined) {
    return { check_name: 'imports', status: 'SKIPPED', file: path, message: 'Not checked: unsupported file type' };
  }
  const findings: Finding[] = [];
  for (const record of options.parsed.imports) {
    if (record.optional === true) continue;
    const resolved = resolveImport({
      projectRoot: options.projectRoot,
      fromFile: path,
      specifier: record.specifier,
      overlay: options.postOverlay,
      ...(record.typeOnly === undefined ? {} : { typeOnly: record.typeOnly }),
      kind: record.kind,
    });
    const finding = classify({ path, language, record, resolved });
    if (finding !== undefined) findings.push(finding);
  }
  const blamed = findings.length === 0 ? findings : withoutPreexisting({ ...options, language, findings });
  const failures = blamed.filter((finding) => finding.severity === 'FAIL');
  const reported = failures.length > 0 ? failures : blamed;
  const first = reported[0];
  if (first === undefined) return { check_name: 'imports', status: 'PASS', file: path, message: 'Imports OK' };
  const details = joinDetails(reported.map((finding) => finding.text));
  return {
    check_name: 'imports',
    status: first.severity,
    file: path,
    line: first.record.line,
    column: first.record.column,
    message:
      first.severity === 'FAIL'
        ? 'Import validation failed: unresolvable or hallucinated dependencies detected'
        : 'Import validation warning: dependency resolved but not declared',
    ...(details === undefined ? {} : { details }),
  };
}

/** Drops findings the pre-image produces too (same kind of import, same specifier, same outcome), in the old project. */
function withoutPreexisting(options: {
  projectRoot: string;
  path: string;
  language: Language;
  preText: string | null;
  preOverlay: Overlay;
  findings: readonly Finding[];
}): Finding[] {
  if (options.preText === null || options.preText === '') return [...options.findings];
  const preParsed = parseSource({ language: options.language, path: options.path, text: options.preText });
  const preexisting = new Set<string>();
  const wanted = new Set(options.findings.map((finding) => `${finding.record.kind}\u0000${finding.record.specifier}`));
  for (const record of preParsed.imports) {
    if (record.optional === true || !wanted.has(`${record.kind}\u0000${record.specifier}`)) continue;
    const resolved = resolveImport({
      projectRoot: options.projectRoot,
      fromFile: options.path,
      specifier: record.specifier,
      overlay: options.preOverlay,
      ...(record.typeOnly === undefined ? {} : { typeOnly: record.typeOnly }),
      kind: record.kind,
    });
    const finding = classify({ path: options.path, language: options.language, record, resolved });
    if (finding !== undefined) preexisting.add(findingKey(finding));
  }
  return options.findings.filter((finding) => !preexisting.has(findingKey(finding)));
}

// The `architecture` file gate (SPEC §4.9, §5.4): configured module-boundary rules on resolved project imports, and
// import cycles the patch introduces (a cycle is reported only when one of the patch's new import edges lies on it;
// TS `import type` edges are ignored). Violations WARN by default and FAIL with architecture.block.
import { detectLanguage } from '@kode/lang';
import type { ArchitectureRule } from '@kode/config';
import picomatch from 'picomatch';
import { joinDetails } from '../format-reason.js';
import type { ResultDraft } from '../recorder.js';
import type { ProjectView, ResolvedImport } from './calls/project-view.js';

const DEFAULT_MESSAGE = 'Architecture rule violation';
/** Files visited looking for a way back; past this the search gives up silently (G9: no verdict). */
const MAX_VISITED = 20_000;

/** A pattern without glob characters matches that path and everything below it (§5.4). */
function matcher(pattern: string): (path: string) => boolean {
  const trimmed = pattern.replace(/^\.\//u, '').replace(/\/+$/u, '');
  if (!/[*?[\]{}()!+@]/u.test(trimmed)) {
    return (path) => path === trimmed || path.startsWith(`${trimmed}/`);
  }
  const glob = picomatch(trimmed, { dot: true });
  return (path) => glob(path);
}

function startsWithComponents(value: string, prefix: string): boolean {
  const trimmed = prefix.replace(/^\.\//u, '').replace(/\/+$/u, '');
  const normalized = value.replace(/^\.\//u, '');
  return normalized === trimmed || normalized.startsWith(`${trimmed}/`);
}

interface Violation {
  readonly line: number;
  readonly text: string;
}

function ruleViolations(options: {
  path: string;
  imports: readonly ResolvedImport[];
  rules: readonly ArchitectureRule[];
}): Violation[] {
  const violations: Violation[] = [];
  for (const rule of options.rules) {
    if (rule.allowed_in.some((pattern) => matcher(pattern)(options.path))) continue;
    for (const entry of options.imports) {
      let broken = false;
      if ('forbidden_import_prefix' in rule) {
        broken =
          startsWithComponents(entry.specifier, rule.forbidden_import_prefix) ||
          (entry.target !== null && startsWithComponents(entry.target, rule.forbidden_import_prefix));
      } else if (entry.target !== null) {
        broken = matcher(rule.from)(options.path) && matcher(rule.to)(entry.target);
      }
      if (!broken) continue;
      const imported = entry.target ?? entry.specifier;
      violations.push({
        line: entry.line,
        text: `imports ${imported}: ${rule.message === '' ? DEFAULT_MESSAGE : rule.message}`,
      });
    }
  }
  return violations;
}

/** The import path from `start` back to `goal`, following resolved project imports (type-only edges excluded). */
function pathBack(view: ProjectView, start: string, goal: string): string[] | undefined {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let index = 0; index < queue.length && previous.size < MAX_VISITED; index += 1) {
    const current = queue[index] as string;
    for (const entry of view.importsOf(current)) {
      if (entry.target === null || entry.typeOnly || previous.has(entry.target)) continue;
      previous.set(entry.target, current);
      if (entry.target === goal) {
        const path = [goal];
        for (let node: string | null = current; node !== null; node = previous.get(node) ?? null) path.unshift(node);
        return path;
      }
      queue.push(entry.target);
    }
  }
  return undefined;
}

function newCycles(options: {
  path: string;
  view: ProjectView;
  preView: () => ProjectView;
  diskView: () => ProjectView;
}): Violation[] {
  const edges = options.view.importsOf(options.path).filter((entry) => entry.target !== null && !entry.typeOnly);
  if (edges.length === 0) return [];
  // An edge the file has in its pre-image, or on disk (a pre-image given as "" to check a file in full), is not new:
  // a cycle through it already exists and is never blamed on the patch.
  const before = new Set(
    [...options.preView().importsOf(options.path), ...options.diskView().importsOf(options.path)]
      .filter((entry) => !entry.typeOnly)
      .map((entry) => entry.target),
  );
  const cycles: Violation[] = [];
  const reported = new Set<string>();
  for (const edge of edges) {
    const target = edge.target as string;
    if (before.has(target) || target === options.path || reported.has(target)) continue;
    const back = pathBack(options.view, target, options.path);
    if (back === undefined) continue;
    reported.add(target);
    cycles.push({ line: edge.line, text: `import cycle introduced: ${[options.path, ...back].join(' → ')}` });
  }
  return cycles;
}

export function checkArchitecture(options: {
  path: string;
  preText: string | null;
  rules: readonly ArchitectureRule[];
  block: boolean;
  view: ProjectView;
  preView: () => ProjectView;
  diskView: () => ProjectView;
}): ResultDraft {
  const { path } = options;
  if (detectLanguage(path) === null) {
    return { check_name: 'architecture', status: 'SKIPPED', file: path, message: 'Unsupported file type' };
  }
  const imports = options.view.importsOf(path);
  if (options.rules.length === 0 && !imports.some((entry) => entry.target !== null)) {
    return { check_name: 'architecture', status: 'SKIPPED', file: path, message: 'No rules and no project imports' };
  }
  let violations = ruleViolations({ path, imports, rules: options.rules });
  if (violations.length > 0 && options.preText !== null && options.preText !== '') {
    // Only the patch is blamed (§4.0): a violation the pre-image already has is not reported.
    const before = new Set(
      ruleViolations({ path, imports: options.preView().importsOf(path), rules: options.rules }).map(
        (violation) => violation.text,
      ),
    );
    violations = violations.filter((violation) => !before.has(violation.text));
  }
  violations = [
    ...violations,
    ...newCycles({ path, view: options.view, preView: options.preView, diskView: options.diskView }),
  ];
  const first = violations[0];
  if (first === undefined) {
    return { check_name: 'architecture', status: 'PASS', file: path, message: 'Architecture boundaries respected' };
  }
  return {
    check_name: 'architecture',
    status: options.block ? 'FAIL' : 'WARN',
    file: path,
    line: first.line,
    message: 'Architecture boundaries violated',
    details: joinDetails(violations.map((violation) => `${path}:${violation.line} ${violation.text}`)),
  };
}

/** Rules from verify input (§5.4 aliases: ForbiddenImportPrefix, AllowedInPackages, ErrorMessage in any case). */
export function normalizeArchitectureRules(raw: readonly unknown[]): ArchitectureRule[] {
  const rules: ArchitectureRule[] = [];
  for (const value of raw) {
    if (typeof value !== 'object' || value === null) continue;
    const fields = new Map<string, unknown>(
      Object.entries(value as Record<string, unknown>).map(([key, field]) => [
        key.toLowerCase().replaceAll('_', ''),
        field,
      ]),
    );
    const text = (key: string): string | undefined => {
      const field = fields.get(key);
      return typeof field === 'string' ? field : undefined;
    };
    const allowedRaw = fields.get('allowedin') ?? fields.get('allowedinpackages');
    const allowed = Array.isArray(allowedRaw)
      ? allowedRaw.filter((item): item is string => typeof item === 'string')
      : [];
    const message = text('message') ?? text('errormessage') ?? DEFAULT_MESSAGE;
    const prefix = text('forbiddenimportprefix');
    if (prefix !== undefined) {
      rules.push({ forbidden_import_prefix: prefix, allowed_in: allowed, message });
      continue;
    }
    const from = text('from');
    const to = text('to');
    if (from !== undefined && to !== undefined) rules.push({ from, to, allowed_in: allowed, message });
  }
  return rules;
}

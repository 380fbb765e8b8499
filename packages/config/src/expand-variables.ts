// `${VAR}` expansion in every string value of the configuration (spec §5.1).
import { toPointer } from './json-pointer.js';
import type { ConfigIssue } from './types.js';

// `$${` is the escape for a literal `${`; it is matched first so `$${HOME}` stays `${HOME}`.
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Returns the value of a variable, or undefined when it is not set anywhere. */
export type VariableLookup = (name: string) => string | undefined;

export interface ExpansionResult {
  readonly value: unknown;
  readonly warnings: ConfigIssue[];
}

/** True if any string in the value contains a reference or an escape, i.e. expansion could change it. */
export function containsVariableSyntax(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (Array.isArray(value)) return value.some(containsVariableSyntax);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsVariableSyntax);
  return false;
}

function expandString(options: {
  text: string;
  lookup: VariableLookup;
  pointer: string;
  file: string;
  warnings: ConfigIssue[];
}): string {
  return options.text.replace(REFERENCE, (match: string, name: string | undefined) => {
    if (name === undefined) return '${';
    const value = options.lookup(name);
    if (value !== undefined) return value;
    options.warnings.push({
      file: options.file,
      pointer: options.pointer,
      message: `${options.pointer}: \${${name}} is not set (expanded to "")`,
      kind: 'unset-variable',
    });
    return '';
  });
}

/**
 * Returns a copy of a parsed JSON document with every string value expanded (keys are left alone).
 * An unset variable becomes "" and adds an `unset-variable` warning naming the value's pointer.
 */
export function expandVariables(options: { value: unknown; lookup: VariableLookup; file: string }): ExpansionResult {
  const warnings: ConfigIssue[] = [];
  const visit = (value: unknown, path: readonly (string | number)[]): unknown => {
    if (typeof value === 'string') {
      return expandString({
        text: value,
        lookup: options.lookup,
        pointer: toPointer(path),
        file: options.file,
        warnings,
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, index]));
    if (typeof value === 'object' && value !== null) {
      // fromEntries defines own properties, so a `__proto__` key stays a key instead of a prototype.
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, visit(child, [...path, key])]));
    }
    return value;
  };
  return { value: visit(options.value, []), warnings };
}

// Makes CLI output comparable across runs: no ANSI codes, no temp paths, no timings.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export interface SanitizeOptions {
  /** Exact strings to replace, e.g. `{ [project.root]: '<root>' }`. Longest first. */
  readonly replacements?: Readonly<Record<string, string>>;
  /** Replace durations such as `143.2ms`, `18.3s` with `<duration>` (default true). */
  readonly durations?: boolean;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function sanitizeOutput(text: string, options: SanitizeOptions = {}): string {
  let result = stripAnsi(text);
  const replacements = Object.entries(options.replacements ?? {}).sort(([a], [b]) => b.length - a.length);
  for (const [from, to] of replacements) result = result.split(from).join(to);
  if (options.durations ?? true) result = result.replace(/\b\d+(\.\d+)?(ms|s)\b/g, '<duration>');
  return result;
}

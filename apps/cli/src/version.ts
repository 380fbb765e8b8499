import { readFileSync } from 'node:fs';

export interface VersionInfo {
  readonly version: string;
  readonly commit: string;
  readonly date: string;
  readonly node: string;
}

function readJson(relative: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

let cached: VersionInfo | undefined;

/** Version from the CLI's package.json; commit and date recorded at build time. */
export function versionInfo(): VersionInfo {
  if (cached) return cached;
  const manifest = readJson('../package.json');
  const build = readJson('./build-info.json');
  cached = {
    version: typeof manifest.version === 'string' ? manifest.version : '0.0.0',
    commit: typeof build.commit === 'string' ? build.commit : 'unknown',
    date: typeof build.date === 'string' ? build.date : 'unknown',
    node: process.version,
  };
  return cached;
}

// Test-command detection (spec §5.8): the first marker found in the project root wins.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function hasTestScript(packageJsonPath: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(packageJsonPath, 'utf8')) as unknown;
    if (typeof manifest !== 'object' || manifest === null) return false;
    const scripts = (manifest as { scripts?: unknown }).scripts;
    if (typeof scripts !== 'object' || scripts === null) return false;
    return typeof (scripts as { test?: unknown }).test === 'string';
  } catch {
    // An unreadable or malformed package.json is not a marker; detection moves on.
    return false;
  }
}

async function nodeTestCommand(projectRoot: string): Promise<string> {
  if (await isFile(join(projectRoot, 'pnpm-lock.yaml'))) return 'pnpm test';
  if (await isFile(join(projectRoot, 'yarn.lock'))) return 'yarn test';
  return 'npm test';
}

interface Marker {
  readonly file: string;
  readonly command: (projectRoot: string) => Promise<string | null>;
}

const MARKERS: readonly Marker[] = [
  { file: 'go.mod', command: () => Promise.resolve('go test ./...') },
  {
    file: 'package.json',
    command: async (projectRoot) =>
      (await hasTestScript(join(projectRoot, 'package.json'))) ? nodeTestCommand(projectRoot) : null,
  },
  { file: 'Cargo.toml', command: () => Promise.resolve('cargo test') },
  { file: 'pyproject.toml', command: () => Promise.resolve('pytest') },
  { file: 'requirements.txt', command: () => Promise.resolve('python -m pytest') },
  { file: 'Gemfile', command: () => Promise.resolve('bundle exec rspec') },
];

/**
 * The test command for a project from the files in its root (not below it), or null when no marker
 * matches. A `package.json` counts only if it has a `scripts.test` entry.
 */
export async function detectTestCommand(projectRoot: string): Promise<string | null> {
  for (const marker of MARKERS) {
    if (!(await isFile(join(projectRoot, marker.file)))) continue;
    const command = await marker.command(projectRoot);
    if (command !== null) return command;
  }
  return null;
}

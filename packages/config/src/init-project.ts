// `kode init` (spec §3.1 steps 2–6) as data: the CLI prints, this writes and reports.
import { lstat, mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { applyDefaults, createInitConfig, deepFreeze } from './defaults.js';
import { detectTestCommand } from './detect-test-command.js';
import { DirectoryNotFoundError } from './errors.js';
import { isInsideGitWorkTree } from './git.js';
import { schemaFileContent } from './schema.js';
import type { InitConfig, KodeConfig } from './types.js';

/** Contents of `.kode/.gitignore`: the index cache and ghost worktrees are local state. */
export const STATE_DIR_GITIGNORE = 'cache/\nghost/\n';

interface InitPaths {
  /** Absolute path of `.kode/`. */
  readonly stateDir: string;
  /** Absolute path of `.kode/kode.json`. */
  readonly configPath: string;
  /** Absolute path of `.kode/kode.schema.json`. */
  readonly schemaPath: string;
  /** Whether the directory is inside a git work tree (the CLI warns when it is not). */
  readonly gitWorkTree: boolean;
}

export type InitProjectResult =
  | (InitPaths & {
      readonly created: true;
      readonly testCommand: string | null;
      /** Exactly what was written to kode.json (§5.2). */
      readonly initConfig: InitConfig;
      /** The written file with every default applied (values as written, `${VAR}` not expanded). */
      readonly config: KodeConfig;
    })
  | (InitPaths & {
      /** kode.json already existed: nothing was read, detected or written. */
      readonly created: false;
      readonly testCommand: null;
      readonly initConfig: null;
      readonly config: null;
    });

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The bytes of a config file as `kode init` writes it: 2-space JSON and a final newline. */
export function serializeConfigFile(config: unknown): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Creates `<directory>/.kode/` with kode.json, kode.schema.json and .gitignore, each written
 * atomically. An existing kode.json is left alone (`created: false`). A relative `directory` resolves
 * against the current directory. Throws `DirectoryNotFoundError` if it does not exist or is not a
 * directory (the CLI checks first and prints the same message).
 */
export async function initProject(options: { directory: string }): Promise<InitProjectResult> {
  const directory = resolve(options.directory);
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) throw new DirectoryNotFoundError(directory);

  const stateDir = join(directory, '.kode');
  const configPath = join(stateDir, 'kode.json');
  const schemaPath = join(stateDir, 'kode.schema.json');
  const gitWorkTree = await isInsideGitWorkTree(directory);
  const paths = { stateDir, configPath, schemaPath, gitWorkTree };
  if (await exists(configPath)) return { ...paths, created: false, testCommand: null, initConfig: null, config: null };

  const testCommand = await detectTestCommand(directory);
  const hasDotEnv = await exists(join(directory, '.env'));
  const initConfig = createInitConfig({ testCommand, hasDotEnv });

  await mkdir(stateDir, { recursive: true });
  await writeFileAtomic(schemaPath, schemaFileContent());
  await writeFileAtomic(join(stateDir, '.gitignore'), STATE_DIR_GITIGNORE);
  // kode.json last: its presence is what makes a later init a no-op, so it must mean "init finished".
  await writeFileAtomic(configPath, serializeConfigFile(initConfig));

  const config = deepFreeze(applyDefaults(initConfig as unknown as Readonly<Record<string, unknown>>));
  return { ...paths, created: true, testCommand, initConfig, config };
}

/**
 * Rewrites `<projectRoot>/.kode/kode.schema.json` atomically when `.kode/` exists and the copy differs
 * from the schema shipped with this version (spec §5.1). Returns whether it wrote.
 */
export async function refreshSchemaCopy(options: { projectRoot: string }): Promise<boolean> {
  const stateDir = join(resolve(options.projectRoot), '.kode');
  const info = await stat(stateDir).catch(() => undefined);
  if (!info?.isDirectory()) return false;
  const schemaPath = join(stateDir, 'kode.schema.json');
  const expected = schemaFileContent();
  const current = await readFile(schemaPath, 'utf8').catch(() => undefined);
  if (current === expected) return false;
  await writeFileAtomic(schemaPath, expected);
  return true;
}

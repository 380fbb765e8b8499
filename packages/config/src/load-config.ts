// Loading the effective configuration of a project (spec §5): file, ${VAR} expansion, validation,
// environment and flag overrides, test-command detection, and where every value came from.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseDotEnv } from 'dotenv';
import { applyDefaults, deepFreeze } from './defaults.js';
import { detectTestCommand } from './detect-test-command.js';
import { containsVariableSyntax, expandVariables } from './expand-variables.js';
import { isPointerWithin, toDottedPath } from './json-pointer.js';
import { applyOverrides } from './overrides.js';
import { parseJsonText } from './parse-json.js';
import { CONFIG_FILE_LABEL, checkConfigDocument } from './validate.js';
import type { ConfigIssue, ConfigSource, KodeConfig } from './types.js';

export interface LoadConfigOptions {
  readonly projectRoot: string;
  /** Environment for overrides and `${VAR}`; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Parsed command-line flags keyed by flag name (see FLAG_BINDINGS); others are ignored. */
  readonly flags?: Readonly<Record<string, unknown>>;
}

export interface LoadConfigResult {
  /**
   * The effective configuration. Always complete; when `errors` is non-empty it is built without the
   * invalid file (or without the invalid override) and callers must not act on it (the CLI exits 2).
   */
  readonly config: KodeConfig;
  /** Dotted path -> origin, for every leaf of `config` (arrays and empty objects are leaves). */
  readonly sources: Readonly<Record<string, ConfigSource>>;
  readonly warnings: readonly ConfigIssue[];
  readonly errors: readonly ConfigIssue[];
  /** Absolute path of `.kode/kode.json`, or null when the project has none. */
  readonly configFile: string | null;
}

type FileOutcome =
  | { readonly status: 'absent' }
  | { readonly status: 'error'; readonly issue: ConfigIssue }
  | { readonly status: 'ok'; readonly value: unknown };

function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function readConfigFile(path: string): Promise<FileOutcome> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    // ENOTDIR: `.kode` is a plain file, so there is no config file inside it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'absent' };
    const message = code ?? (error instanceof Error ? error.message : String(error));
    return { status: 'error', issue: { file: CONFIG_FILE_LABEL, pointer: '', message, kind: 'read' } };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    return { status: 'error', issue: { file: CONFIG_FILE_LABEL, pointer: '', message: parsed.message, kind: 'parse' } };
  }
  return { status: 'ok', value: parsed.value };
}

/** `<root>/.env` is read only to expand `${VAR}`: its values never reach process.env or anything else. */
async function readDotEnv(projectRoot: string): Promise<Readonly<Record<string, string>>> {
  try {
    return parseDotEnv(await readFile(join(projectRoot, '.env')));
  } catch {
    return {};
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasPath(document: unknown, segments: readonly string[]): boolean {
  let node = document;
  for (const segment of segments) {
    if (!isRecord(node) || !Object.hasOwn(node, segment)) return false;
    node = node[segment];
  }
  return true;
}

function collectLeaves(
  value: unknown,
  segments: readonly string[],
  visit: (segments: readonly string[]) => void,
): void {
  if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) collectLeaves(child, [...segments, key], visit);
  } else {
    visit(segments);
  }
}

/**
 * Loads `<projectRoot>/.kode/kode.json` and resolves every setting with flag > env > file > default.
 * A missing file means defaults; problems are returned as `errors`/`warnings`, never thrown. When no
 * test command is set anywhere (or it is `""`), `engine.test_command` is the detected one (§5.8) with
 * source `default`.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const projectRoot = resolve(options.projectRoot);
  const env = options.env ?? process.env;
  const configPath = join(projectRoot, '.kode', 'kode.json');
  const warnings: ConfigIssue[] = [];
  const errors: ConfigIssue[] = [];

  const file = await readConfigFile(configPath);
  let fileDocument: Readonly<Record<string, unknown>> | undefined;
  if (file.status === 'error') errors.push(file.issue);
  if (file.status === 'ok') {
    let value = file.value;
    let expansionWarnings: ConfigIssue[] = [];
    if (containsVariableSyntax(value)) {
      const dotEnv = await readDotEnv(projectRoot);
      const expanded = expandVariables({
        value,
        lookup: (name) => env[name] ?? (Object.hasOwn(dotEnv, name) ? dotEnv[name] : undefined),
        file: CONFIG_FILE_LABEL,
      });
      value = expanded.value;
      expansionWarnings = expanded.warnings;
    }
    const checked = checkConfigDocument(value, CONFIG_FILE_LABEL);
    warnings.push(...checked.warnings);
    // A variable inside an ignored key does not matter: the key is dropped anyway.
    warnings.push(
      ...expansionWarnings.filter(
        (issue) => !checked.droppedPointers.some((dropped) => isPointerWithin(issue.pointer, dropped)),
      ),
    );
    errors.push(...checked.errors);
    fileDocument = checked.document;
  }

  const config = applyDefaults(fileDocument ?? {}) as unknown as Record<string, unknown>;
  const overrides = applyOverrides({ target: config, env, flags: options.flags ?? {} });
  errors.push(...overrides.errors);

  const resolved = config as unknown as KodeConfig;
  let testCommandDetected = false;
  if (resolved.engine.test_command === '') {
    const detected = await detectTestCommand(projectRoot);
    if (detected !== null) {
      (config.engine as Record<string, unknown>).test_command = detected;
      testCommandDetected = true;
    }
  }

  const sources: Record<string, ConfigSource> = {};
  collectLeaves(config, [], (segments) => {
    const path = toDottedPath(segments);
    const override = overrides.sources.get(path);
    if (path === 'engine.test_command' && testCommandDetected) sources[path] = 'default';
    else if (override !== undefined) sources[path] = override;
    else sources[path] = hasPath(fileDocument, segments) ? 'file' : 'default';
  });

  return {
    config: deepFreeze(resolved),
    sources,
    warnings,
    errors,
    configFile: file.status === 'absent' ? null : configPath,
  };
}

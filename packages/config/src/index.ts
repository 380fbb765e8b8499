export { loadConfig } from './load-config.js';
export type { LoadConfigOptions, LoadConfigResult } from './load-config.js';
export { validateConfig } from './validate.js';
export type { ValidateConfigOptions, ValidateConfigResult } from './validate.js';
export { formatConfigIssue } from './format-issue.js';
export { detectTestCommand } from './detect-test-command.js';
export { initProject, refreshSchemaCopy, serializeConfigFile, STATE_DIR_GITIGNORE } from './init-project.js';
export type { InitProjectResult } from './init-project.js';
export { findProjectRoot } from './project-root.js';
export { userConfigDir, userStateDir } from './user-dirs.js';
export { ENV_BINDINGS, FLAG_BINDINGS } from './overrides.js';
export {
  createInitConfig,
  DEFAULT_ARCHITECTURE_MESSAGE,
  DEFAULT_CONFIG,
  DEFAULT_INIT_CONFIG,
  GATEWAY_URL_FROM_ENV,
} from './defaults.js';
export { configSchema, schemaFileContent } from './schema.js';
export { DirectoryNotFoundError } from './errors.js';
export type {
  ArchitectureRule,
  ConfigIssue,
  ConfigIssueKind,
  ConfigSource,
  CritiqueMode,
  EditFormat,
  EndpointConfig,
  InitConfig,
  KodeConfig,
  PermissionMode,
  PriceOverride,
  Severity,
} from './types.js';

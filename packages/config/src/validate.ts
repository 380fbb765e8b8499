// Schema validation of a parsed .kode/kode.json with ajv, turning ajv's errors into the messages of
// spec §5.9. Unknown keys are warnings and are dropped; everything else the schema rejects is an error.
import { Ajv } from 'ajv';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import { applyDefaults, deepFreeze } from './defaults.js';
import { describeValue } from './format-issue.js';
import { escapePointerSegment, parsePointer } from './json-pointer.js';
import { configSchema } from './schema.js';
import type { ConfigIssue, KodeConfig } from './types.js';

export const CONFIG_FILE_LABEL = '.kode/kode.json';
const SUPPORTED_MAJOR = 3;

export interface ValidateConfigOptions {
  /** How the file is named in issues; default `.kode/kode.json`. */
  readonly file?: string;
}

export interface ValidateConfigResult {
  /** The configuration with defaults applied; undefined when there are errors. */
  readonly config: KodeConfig | undefined;
  readonly warnings: ConfigIssue[];
  readonly errors: ConfigIssue[];
}

/** Internal result: also the cleaned document (unknown keys removed) and the pointers that were dropped. */
export interface CheckedDocument {
  readonly document: Readonly<Record<string, unknown>> | undefined;
  readonly warnings: ConfigIssue[];
  readonly errors: ConfigIssue[];
  readonly droppedPointers: readonly string[];
}

let ajvInstance: Ajv | undefined;
let documentValidator: ValidateFunction | undefined;
const leafValidators = new Map<string, ValidateFunction>();

function ajv(): Ajv {
  // strict: a typo in the schema's keywords fails loudly in our tests instead of being ignored.
  // strictRequired is off because the rule forms' oneOf branches name properties declared beside them.
  ajvInstance ??= new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
  return ajvInstance;
}

function validateDocumentWithSchema(value: unknown): readonly ErrorObject[] {
  documentValidator ??= ajv().compile(configSchema as SchemaObject);
  return documentValidator(value) ? [] : (documentValidator.errors ?? []);
}

/** The schema node for a path of property names (`['engine', 'token_budget_usd']`). */
export function schemaForPath(segments: readonly string[]): SchemaObject | undefined {
  let node: unknown = configSchema;
  for (const segment of segments) {
    const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
    node = properties?.[segment];
    if (node === undefined) return undefined;
  }
  return node as SchemaObject;
}

const VERSION_PATTERN = new RegExp(String(schemaForPath(['version'])?.pattern));

function quoteList(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(' and ');
}

function oneOfCause(error: ErrorObject): string {
  const forms = ((error.parentSchema as { oneOf?: { required?: string[] }[] } | undefined)?.oneOf ?? []).map(
    (branch) => branch.required ?? [],
  );
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  if (passing === null || passing === undefined) {
    const alternatives = forms.map((names) => (names.length > 1 ? `both ${quoteList(names)}` : quoteList(names)));
    return `must have ${alternatives.join(', or ')}`;
  }
  return `must have ${forms.map(quoteList).join(', or ')}, but not both forms`;
}

/** The cause part of a message (`must be integer (got "three")`), without the pointer. */
export function describeSchemaError(error: ErrorObject, instancePath = error.instancePath): string {
  const got = `(got ${describeValue(error.data)})`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? params.type.map(String) : [String(params.type)];
      return `must be ${types.join(' or ')} ${got}`;
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map(String) : [];
      return `must be one of ${allowed.join(', ')} ${got}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)} ${got}`;
    case 'pattern':
      return instancePath === '/version'
        ? `must be a version like "3.0.0" ${got}`
        : `must match the pattern ${String(params.pattern)} ${got}`;
    case 'minLength':
      return params.limit === 1 ? `must not be empty` : `must be at least ${String(params.limit)} characters ${got}`;
    case 'oneOf':
      return oneOfCause(error);
    default:
      return `${error.message ?? 'is invalid'} ${got}`;
  }
}

function pointerLabel(pointer: string): string {
  return pointer === '' ? 'the top level' : pointer;
}

function deleteAtPointer(document: unknown, pointer: string): void {
  const segments = parsePointer(pointer);
  const last = segments.pop();
  let node: unknown = document;
  for (const segment of segments) node = (node as Record<string, unknown> | undefined)?.[segment];
  if (last !== undefined && typeof node === 'object' && node !== null) delete (node as Record<string, unknown>)[last];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function versionIssue(version: string, file: string): ConfigIssue | undefined {
  if (!VERSION_PATTERN.test(version)) return undefined;
  const major = Number(version.split('.')[0]);
  if (major === SUPPORTED_MAJOR) return undefined;
  const message =
    major > SUPPORTED_MAJOR
      ? `version ${version} is newer than this kode (supports ${SUPPORTED_MAJOR}.x): run kode upgrade`
      : `version ${version} is older than this kode supports (${SUPPORTED_MAJOR}.x): update the file to the ${SUPPORTED_MAJOR}.0.0 format`;
  return { file, pointer: '/version', message, kind: 'version' };
}

/** Validates a parsed document and returns it without its unknown keys. */
export function checkConfigDocument(value: unknown, file: string = CONFIG_FILE_LABEL): CheckedDocument {
  if (isRecord(value) && typeof value.version === 'string') {
    // A file from a newer major version would mostly produce noise (new keys, new enum values):
    // the one useful message is to upgrade.
    const issue = versionIssue(value.version, file);
    if (issue) return { document: undefined, warnings: [], errors: [issue], droppedPointers: [] };
  }
  const schemaErrors = validateDocumentWithSchema(value);
  const oneOfPaths = schemaErrors.filter((error) => error.keyword === 'oneOf').map((error) => `${error.schemaPath}/`);
  const warnings: ConfigIssue[] = [];
  const errors: ConfigIssue[] = [];
  const droppedPointers: string[] = [];
  for (const error of schemaErrors) {
    // A failed oneOf also reports why each branch failed; its own message already says it all.
    if (oneOfPaths.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty?: unknown }).additionalProperty);
      const pointer = `${error.instancePath}/${escapePointerSegment(key)}`;
      droppedPointers.push(pointer);
      warnings.push({ file, pointer, message: `unknown key ${pointer} (ignored)`, kind: 'unknown-key' });
      continue;
    }
    if (error.keyword === 'required') {
      const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
      const pointer = `${error.instancePath}/${escapePointerSegment(missing)}`;
      errors.push({ file, pointer, message: `${pointer} is required`, kind: 'schema' });
      continue;
    }
    const pointer = error.instancePath;
    errors.push({ file, pointer, message: `${pointerLabel(pointer)} ${describeSchemaError(error)}`, kind: 'schema' });
  }
  if (errors.length > 0 || !isRecord(value)) return { document: undefined, warnings, errors, droppedPointers };
  const document = structuredClone(value);
  for (const pointer of droppedPointers) deleteAtPointer(document, pointer);
  return { document, warnings, errors, droppedPointers };
}

/**
 * Validates a parsed `.kode/kode.json` (spec §5.1, §5.9) without touching the environment: no
 * `${VAR}` expansion and no overrides (that is `loadConfig`). Never throws.
 */
export function validateConfig(value: unknown, options: ValidateConfigOptions = {}): ValidateConfigResult {
  const checked = checkConfigDocument(value, options.file ?? CONFIG_FILE_LABEL);
  const config = checked.document ? deepFreeze(applyDefaults(checked.document)) : undefined;
  return { config, warnings: checked.warnings, errors: checked.errors };
}

/**
 * Checks one override value (a flag or an environment variable) against the schema of its leaf and
 * returns the cause (`must be > 0 (got 0)`), or null when it is valid.
 */
export function checkLeafValue(segments: readonly string[], value: unknown): string | null {
  const key = segments.join('/');
  let validator = leafValidators.get(key);
  if (!validator) {
    const schema = schemaForPath(segments);
    if (!schema) return null;
    validator = ajv().compile(schema);
    leafValidators.set(key, validator);
  }
  if (validator(value)) return null;
  const [first] = validator.errors ?? [];
  return first ? describeSchemaError(first, `/${segments.map(escapePointerSegment).join('/')}`) : 'is invalid';
}

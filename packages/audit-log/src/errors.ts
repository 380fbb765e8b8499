// Exceptional errors of @kode/audit-log. Each carries a Symbol.for marker so `isInstance` works across duplicate
// installs of the package (an `instanceof` check fails when two copies are loaded).

const auditLogErrorMarker = Symbol.for('kode.error.AuditLogError');
const auditLogNotFoundErrorMarker = Symbol.for('kode.error.AuditLogNotFoundError');
const unknownCheckErrorMarker = Symbol.for('kode.error.UnknownCheckError');

function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

export type AuditLogOperation = 'read' | 'write';

/**
 * The audit log could not be read or written. `message` is `cannot open log file <path>: <reason>` for reads and
 * `cannot write audit log <path>: <reason>` for writes, ready for an `error:` line.
 */
export class AuditLogError extends Error {
  readonly [auditLogErrorMarker] = true;
  readonly path: string;
  readonly operation: AuditLogOperation;
  /** The reason alone, without the path (`no such file or directory`, `the log directory is a symlink`, ...). */
  readonly reason: string;
  /** errno code (`ENOENT`, `EACCES`, `ELOOP`, ...) when a system call failed. */
  readonly code: string | undefined;

  constructor(options: { path: string; operation: AuditLogOperation; reason: string; code?: string; cause?: unknown }) {
    const prefix = options.operation === 'read' ? 'cannot open log file' : 'cannot write audit log';
    super(
      `${prefix} ${options.path}: ${options.reason}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'AuditLogError';
    this.path = options.path;
    this.operation = options.operation;
    this.reason = options.reason;
    this.code = options.code;
  }

  static isInstance(error: unknown): error is AuditLogError {
    return hasMarker(error, auditLogErrorMarker);
  }
}

/** The log file does not exist (also an `AuditLogError`). `stats` and `audit verify` exit 1 on it. */
export class AuditLogNotFoundError extends AuditLogError {
  readonly [auditLogNotFoundErrorMarker] = true;

  constructor(options: { path: string; cause?: unknown }) {
    super({
      path: options.path,
      operation: 'read',
      reason: 'no such file or directory',
      code: 'ENOENT',
      cause: options.cause,
    });
    this.name = 'AuditLogNotFoundError';
  }

  static override isInstance(error: unknown): error is AuditLogNotFoundError {
    return hasMarker(error, auditLogNotFoundErrorMarker);
  }
}

/** `kode explain` was given a name that is not one of `CHECK_NAMES` (exit 2). */
export class UnknownCheckError extends Error {
  readonly [unknownCheckErrorMarker] = true;
  readonly check: string;
  readonly available: readonly string[];

  constructor(options: { check: string; available: readonly string[] }) {
    super(`unknown check: "${options.check}". Available: ${options.available.join(', ')}`);
    this.name = 'UnknownCheckError';
    this.check = options.check;
    this.available = options.available;
  }

  static isInstance(error: unknown): error is UnknownCheckError {
    return hasMarker(error, unknownCheckErrorMarker);
  }
}

const errnoDescriptions: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EEXIST: 'file already exists',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** A short cause for a failed system call, without the path Node appends to its messages. */
export function describeSystemError(error: unknown): string {
  const code = errnoCode(error);
  if (code !== undefined && errnoDescriptions[code] !== undefined) return errnoDescriptions[code];
  if (error instanceof Error) {
    const text = error.message.replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
    return code !== undefined && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(error);
}

/** Wraps a failed system call on the log as an AuditLogError (ENOENT on a read becomes AuditLogNotFoundError). */
export function toAuditLogError(options: {
  error: unknown;
  path: string;
  operation: AuditLogOperation;
}): AuditLogError {
  const { error, path, operation } = options;
  if (AuditLogError.isInstance(error)) return error;
  const code = errnoCode(error);
  if (operation === 'read' && code === 'ENOENT') return new AuditLogNotFoundError({ path, cause: error });
  return new AuditLogError({ path, operation, reason: describeSystemError(error), code, cause: error });
}

// Exceptional errors of @kode/snapshot. Expected outcomes (an unsafe path, a recovery report) are results;
// these classes cover what callers must stop on. Each carries a Symbol.for marker so `isInstance` works across
// duplicate installs of the package.

const applyErrorMarker = Symbol.for('kode.error.ApplyError');
const rollbackErrorMarker = Symbol.for('kode.error.RollbackError');
const lockHeldErrorMarker = Symbol.for('kode.error.LockHeldError');
const foreignLockErrorMarker = Symbol.for('kode.error.ForeignLockError');
const transactionStateErrorMarker = Symbol.for('kode.error.TransactionStateError');

function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

export type ApplyErrorKind = 'filesystem' | 'changed' | 'unsafe-path' | 'invalid-change';

export interface RollbackSummary {
  readonly restored: string[];
  readonly removed: string[];
  readonly conflicts: { path: string; savedAs: string }[];
}

/**
 * A transaction could not be applied. By the time this is thrown the transaction has been rolled back
 * (`rollback` holds the result) unless `rollbackError` says the rollback failed too; then the journal is kept
 * and recovery finishes the job.
 */
export class ApplyError extends Error {
  readonly [applyErrorMarker] = true;
  readonly kind: ApplyErrorKind;
  /** errno code (`ENOSPC`, `EACCES`, ...) for filesystem errors. */
  readonly code: string | undefined;
  /** Project-relative path the error is about. */
  readonly path: string;
  rollback: RollbackSummary | undefined;
  rollbackError: unknown;

  constructor(options: { kind: ApplyErrorKind; path: string; code?: string; message: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApplyError';
    this.kind = options.kind;
    this.path = options.path;
    this.code = options.code;
    this.rollback = undefined;
    this.rollbackError = undefined;
  }

  static isInstance(error: unknown): error is ApplyError {
    return hasMarker(error, applyErrorMarker);
  }

  /** `apply: <errno>: <message> (<path>)` as required by SPEC §8.7. */
  static fromFilesystem(error: unknown, path: string): ApplyError {
    if (ApplyError.isInstance(error)) return error;
    const code = errnoCode(error) ?? 'EIO';
    return new ApplyError({
      kind: 'filesystem',
      code,
      path,
      message: `apply: ${code}: ${errnoMessage(error)} (${path})`,
      cause: error,
    });
  }

  static changed(path: string): ApplyError {
    return new ApplyError({ kind: 'changed', path, message: `apply: ${path} changed since verification` });
  }
}

/** Rollback could not restore every path; the journal is kept so `kode recover` can retry. */
export class RollbackError extends Error {
  readonly [rollbackErrorMarker] = true;
  readonly path: string;
  readonly code: string | undefined;

  constructor(options: { path: string; message: string; code?: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RollbackError';
    this.path = options.path;
    this.code = options.code;
  }

  static isInstance(error: unknown): error is RollbackError {
    return hasMarker(error, rollbackErrorMarker);
  }
}

/** Another live run on this host holds the run lock (SPEC §8.9, exit 2). */
export class LockHeldError extends Error {
  readonly [lockHeldErrorMarker] = true;
  readonly pid: number;
  readonly hostname: string;
  readonly command: string;
  readonly startedAt: string;
  readonly lockPath: string;

  constructor(options: { pid: number; hostname: string; command: string; startedAt: string; lockPath: string }) {
    super(
      `another kode run is active in this project (pid ${options.pid} on host ${options.hostname}, ${options.command}, started ${options.startedAt}): wait for it to finish`,
    );
    this.name = 'LockHeldError';
    this.pid = options.pid;
    this.hostname = options.hostname;
    this.command = options.command;
    this.startedAt = options.startedAt;
    this.lockPath = options.lockPath;
  }

  static isInstance(error: unknown): error is LockHeldError {
    return hasMarker(error, lockHeldErrorMarker);
  }
}

/** The run lock belongs to another host; it is never taken over (SPEC §8.9, exit 2). */
export class ForeignLockError extends Error {
  readonly [foreignLockErrorMarker] = true;
  readonly pid: number;
  readonly hostname: string;
  readonly lockPath: string;

  constructor(options: { pid: number; hostname: string; lockPath: string }) {
    super(
      `the kode lock is held by host ${options.hostname} (pid ${options.pid}): if that run is gone, delete ${options.lockPath}`,
    );
    this.name = 'ForeignLockError';
    this.pid = options.pid;
    this.hostname = options.hostname;
    this.lockPath = options.lockPath;
  }

  static isInstance(error: unknown): error is ForeignLockError {
    return hasMarker(error, foreignLockErrorMarker);
  }
}

/** A Transaction method was called out of order (apply twice, apply after commit, ...): a programming error. */
export class TransactionStateError extends Error {
  readonly [transactionStateErrorMarker] = true;

  constructor(message: string) {
    super(message);
    this.name = 'TransactionStateError';
  }

  static isInstance(error: unknown): error is TransactionStateError {
    return hasMarker(error, transactionStateErrorMarker);
  }
}

export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The OS text of an errno error without Node's `CODE: ` prefix and `, op 'path'` suffix. */
function errnoMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const match = /^[A-Z0-9_]+: (.*?)(?:, [a-z]+ '.*')?$/s.exec(error.message);
  return match?.[1] ?? error.message;
}

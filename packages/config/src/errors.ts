// Exceptional errors of @kode/config. Expected problems with a configuration are ConfigIssue results;
// these classes are for what the caller should have ruled out. The Symbol.for marker makes `isInstance`
// work across duplicate installs of the package.

const directoryNotFoundMarker = Symbol.for('kode.error.DirectoryNotFoundError');

/** `initProject` was given a path that does not exist or is not a directory (spec §3.1 step 1). */
export class DirectoryNotFoundError extends Error {
  readonly [directoryNotFoundMarker] = true;
  /** The absolute path that was checked. */
  readonly directory: string;

  constructor(directory: string) {
    super(`directory does not exist: ${directory}: create it first`);
    this.name = 'DirectoryNotFoundError';
    this.directory = directory;
  }

  static isInstance(error: unknown): error is DirectoryNotFoundError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[directoryNotFoundMarker] === true
    );
  }
}

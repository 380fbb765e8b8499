// Where the log lives and whether it may be written: `<logDir>/kode.log`, never through a symlink (SPEC §6.1).
import { accessSync, constants, lstatSync, mkdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AuditLogError, toAuditLogError } from './errors.js';

export const LOG_FILE_NAME = 'kode.log';
export const LOCK_FILE_NAME = 'kode.log.lock';

function lstatIfExists(path: string): Stats | undefined {
  return lstatSync(path, { throwIfNoEntry: false });
}

/** Checks the directory, then the file, and returns whether the file exists. Throws AuditLogError when unsafe. */
function inspectLocation(logDir: string, logFile: string, directory: Stats): boolean {
  const refuse = (reason: string): AuditLogError => new AuditLogError({ path: logFile, operation: 'write', reason });
  if (directory.isSymbolicLink()) throw refuse(`the log directory ${logDir} is a symlink`);
  if (!directory.isDirectory()) throw refuse(`${logDir} is not a directory`);
  const file = lstatIfExists(logFile);
  if (file?.isSymbolicLink()) throw refuse('the log file is a symlink');
  if (file && !file.isFile()) throw refuse('the log file is not a regular file');
  return file !== undefined;
}

/** Creates the log directory if needed and refuses symlinks. Returns whether `kode.log` already existed. */
export function prepareLogLocation(logDir: string, logFile: string): boolean {
  try {
    let directory = lstatIfExists(logDir);
    if (directory === undefined) {
      mkdirSync(logDir, { recursive: true });
      directory = lstatSync(logDir);
    }
    return inspectLocation(logDir, logFile, directory);
  } catch (error) {
    throw toAuditLogError({ error, path: logFile, operation: 'write' });
  }
}

export type AuditLogWritableResult =
  | { readonly ok: true; readonly logFile: string }
  | { readonly ok: false; readonly logFile: string; readonly error: AuditLogError };

/**
 * Whether an append to `<logDir>/kode.log` would be allowed, without creating anything: `run`, `loop` and
 * `generate --apply` call this before any model call and stop with `error: <error.message>` (SPEC §6.1).
 */
export function checkAuditLogWritable(options: { logDir: string }): AuditLogWritableResult {
  const logDir = resolve(options.logDir);
  const logFile = join(logDir, LOG_FILE_NAME);
  try {
    const directory = lstatIfExists(logDir);
    if (directory === undefined) {
      // The directory will be created on the first append: the nearest existing ancestor must allow that.
      let ancestor = dirname(logDir);
      while (!lstatIfExists(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
      if (!statSync(ancestor).isDirectory()) {
        throw new AuditLogError({ path: logFile, operation: 'write', reason: `${ancestor} is not a directory` });
      }
      accessSync(ancestor, constants.W_OK);
      return { ok: true, logFile };
    }
    const fileExists = inspectLocation(logDir, logFile, directory);
    accessSync(fileExists ? logFile : logDir, constants.W_OK);
    return { ok: true, logFile };
  } catch (error) {
    return { ok: false, logFile, error: toAuditLogError({ error, path: logFile, operation: 'write' }) };
  }
}

import { CliError, EXIT } from './errors.js';

/** A log that cannot be opened ends `stats`/`audit verify` with exit 1 (spec §3.7). Other errors pass through. */
export async function logOpenError(error: unknown): Promise<unknown> {
  const { AuditLogError } = await import('@kode/audit-log');
  if (!AuditLogError.isInstance(error) || error.operation !== 'read') return error;
  return new CliError({
    message: `cannot open log file ${error.path}: ${error.reason}: run kode verify first or pass --log-dir`,
    exitCode: EXIT.fail,
  });
}

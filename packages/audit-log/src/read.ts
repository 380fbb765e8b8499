// readAuditLog: the public streaming reader.
import { isBlankLine, parseLogLine, readLineBatches } from './line-reader.js';
import type { AuditEntry, AuditLogLine } from './types.js';

/**
 * Streams the log line by line: `{ line, entry }` for each JSON object, `{ line, error }` for a line that is not
 * one (torn, edited, foreign). Blank lines are skipped; `line` is the 1-based physical line number. Throws
 * AuditLogNotFoundError / AuditLogError on the first iteration when the file cannot be opened.
 */
export async function* readAuditLog(logFile: string): AsyncGenerator<AuditLogLine, void, undefined> {
  for await (const batch of readLineBatches(logFile)) {
    let line = batch.firstLine;
    for (const text of batch.lines) {
      const number = line++;
      if (isBlankLine(text)) continue;
      const parsed = parseLogLine(text);
      yield parsed.ok
        ? { line: number, entry: parsed.value as unknown as AuditEntry }
        : { line: number, error: parsed.error };
    }
  }
}

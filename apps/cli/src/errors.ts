// A CliError ends the command with its exit code after printing `error: <message>` lines.
const marker = Symbol.for('kode.error.CliError');

export class CliError extends Error {
  readonly [marker] = true;
  readonly exitCode: number;
  /** Extra `error:` lines printed after the first (e.g. several config problems). */
  readonly lines: readonly string[];

  constructor(options: { message: string; exitCode: number; lines?: readonly string[] }) {
    super(options.message);
    this.name = 'CliError';
    this.exitCode = options.exitCode;
    this.lines = options.lines ?? [options.message];
  }

  static isInstance(error: unknown): error is CliError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

export const EXIT = { ok: 0, fail: 1, usage: 2, provider: 3, interrupted: 130 } as const;

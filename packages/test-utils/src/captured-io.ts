// An in-memory stand-in for the CLI's process streams, so command handlers run as plain functions.
export interface CapturedIO {
  readonly io: {
    readonly stdout: { write(text: string): boolean };
    readonly stderr: { write(text: string): boolean };
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly cwd: string;
    readonly stdinIsTTY: boolean;
    readonly stdoutIsTTY: boolean;
    readonly stderrIsTTY: boolean;
  };
  stdout(): string;
  stderr(): string;
}

export function createCapturedIO(options: {
  cwd: string;
  env?: Readonly<Record<string, string | undefined>>;
  tty?: boolean;
}): CapturedIO {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (text: string) => ((stdout += text), true) },
      stderr: { write: (text: string) => ((stderr += text), true) },
      env: options.env ?? {},
      cwd: options.cwd,
      stdinIsTTY: options.tty ?? false,
      stdoutIsTTY: options.tty ?? false,
      stderrIsTTY: options.tty ?? false,
    },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

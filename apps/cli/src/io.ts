// Where the CLI writes and how it styles human progress. Commands never touch process.stdout/stderr
// directly, so handlers can run as plain functions in tests with captured streams.
import pc from 'picocolors';

export interface CliIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

export type ProgressFormat = 'text' | 'jsonl';

const HEADER_WIDTH = 47;

/** Styled writer for one invocation: machine output on stdout, everything human on stderr. */
export class Output {
  readonly color: boolean;
  readonly quiet: boolean;
  readonly progress: ProgressFormat;
  private readonly io: CliIO;
  private readonly colors: ReturnType<typeof pc.createColors>;

  constructor(options: { io: CliIO; color: boolean; quiet: boolean; progress: ProgressFormat }) {
    this.io = options.io;
    this.progress = options.progress;
    this.quiet = options.quiet;
    // Colour only when asked for, NO_COLOR unset, stderr a terminal, and progress is text.
    this.color =
      options.color && options.io.env.NO_COLOR === undefined && options.io.stderrIsTTY && options.progress === 'text';
    this.colors = pc.createColors(this.color);
  }

  /** Colour for stdout documents (stats text): same rules, judged on stdout. */
  get stdoutColor(): boolean {
    return this.color && this.io.stdoutIsTTY;
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  private progressLine(text: string): void {
    if (this.quiet || this.progress !== 'text') return;
    this.io.stderr.write(`${text}\n`);
  }

  header(title: string): void {
    const start = `── ${title} `;
    this.progressLine(this.colors.bold(start + '─'.repeat(Math.max(3, HEADER_WIDTH - start.length))));
  }
  success(text: string): void {
    this.progressLine(`${this.colors.green('✓')} ${text}`);
  }
  failure(text: string): void {
    this.progressLine(`${this.colors.red('✗')} ${text}`);
  }
  step(text: string): void {
    this.progressLine(`${this.colors.cyan('•')} ${text}`);
  }
  detail(text: string): void {
    this.progressLine(this.colors.dim(text));
  }
  plain(text: string): void {
    this.progressLine(text);
  }

  /** `! …` notices. Shown even with --progress jsonl? No: jsonl means only events on stderr. */
  notice(text: string): void {
    this.progressLine(`${this.colors.yellow('!')} ${text}`);
  }

  /** `warning: …` lines (configuration warnings). Suppressed only by jsonl progress, not by --quiet. */
  warning(text: string): void {
    if (this.progress !== 'text') return;
    this.io.stderr.write(`${this.colors.yellow('warning:')} ${text}\n`);
  }

  /** `error: …` lines are printed even with --quiet. */
  error(text: string): void {
    if (this.progress !== 'text') return;
    this.io.stderr.write(`${this.colors.red('error:')} ${text}\n`);
  }
}

// Signal handling for a run that writes (SPEC §8.11). The first SIGINT/SIGTERM/SIGHUP starts the caller's
// cleanup (kill the test group, roll back); a second one only prints that a rollback is in progress, because
// aborting it half-way is exactly what the journal exists to avoid; a third exits at once and leaves the journal
// for `kode recover`.

export const ROLLBACK_WAIT_MESSAGE =
  'rolling back, please wait (Ctrl-C again to force quit; kode recover will finish the job)';

export const INTERRUPT_EXIT_CODE = 130;

export interface InterruptHandlerOptions {
  /** Runs once, on the first signal: kill the test process group, roll back, print the summary. */
  readonly onInterrupt: (signal: NodeJS.Signals) => Promise<void>;
  readonly signals?: readonly NodeJS.Signals[];
  /** Where the second-signal message goes (default process.stderr). */
  readonly stderr?: { write(text: string): unknown };
  /** Default process.exit. */
  readonly exit?: (code: number) => void;
  /** Exit with 130 once onInterrupt settles (default true). */
  readonly exitAfterInterrupt?: boolean;
}

export interface InterruptHandlers {
  /** Aborted on the first signal, so in-flight model requests and waits stop. */
  readonly signal: AbortSignal;
  readonly interrupted: boolean;
  readonly receivedSignal: NodeJS.Signals | undefined;
  /** Resolves when onInterrupt has settled (never, if no signal arrives). */
  readonly settled: Promise<void>;
  uninstall(): void;
}

export function installInterruptHandlers(options: InterruptHandlerOptions): InterruptHandlers {
  const signals = options.signals ?? (['SIGINT', 'SIGTERM', 'SIGHUP'] as const);
  const stderr = options.stderr ?? process.stderr;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const controller = new AbortController();
  let count = 0;
  let receivedSignal: NodeJS.Signals | undefined;
  let resolveSettled: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => {
    resolveSettled = resolve;
  });

  const handle = (signal: NodeJS.Signals): void => {
    count += 1;
    if (count === 1) {
      receivedSignal = signal;
      controller.abort(new Error(`interrupted by ${signal}`));
      void Promise.resolve()
        .then(() => options.onInterrupt(signal))
        .catch((error: unknown) => {
          stderr.write(`error: ${error instanceof Error ? error.message : String(error)}: run kode recover\n`);
        })
        .finally(() => {
          resolveSettled();
          if (options.exitAfterInterrupt !== false) exit(INTERRUPT_EXIT_CODE);
        });
      return;
    }
    if (count === 2) {
      stderr.write(`${ROLLBACK_WAIT_MESSAGE}\n`);
      return;
    }
    exit(INTERRUPT_EXIT_CODE);
  };

  for (const signal of signals) process.on(signal, handle);
  return {
    signal: controller.signal,
    get interrupted() {
      return count > 0;
    },
    get receivedSignal() {
      return receivedSignal;
    },
    settled,
    uninstall(): void {
      for (const signal of signals) process.off(signal, handle);
    },
  };
}

import { describe, expect, it } from 'vitest';
import { INTERRUPT_EXIT_CODE, ROLLBACK_WAIT_MESSAGE, installInterruptHandlers } from './interrupt.js';

function harness(onInterrupt: (signal: NodeJS.Signals) => Promise<void>) {
  const output: string[] = [];
  const exits: number[] = [];
  const handlers = installInterruptHandlers({
    onInterrupt,
    signals: ['SIGUSR2'],
    stderr: { write: (text: string) => output.push(text) },
    exit: (code) => exits.push(code),
  });
  return { handlers, output, exits };
}

describe('installInterruptHandlers', () => {
  it('runs onInterrupt once, prints the wait message on a second signal, exits 130 when done', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const { handlers, output, exits } = harness(async () => {
      calls += 1;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(handlers.interrupted).toBe(true);
    expect(handlers.signal.aborted).toBe(true);
    await Promise.resolve();
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(output).toEqual([`${ROLLBACK_WAIT_MESSAGE}\n`]);
    expect(exits).toEqual([]);
    release();
    await handlers.settled;
    expect(calls).toBe(1);
    expect(exits).toEqual([INTERRUPT_EXIT_CODE]);
    handlers.uninstall();
  });

  it('a third signal exits at once, leaving the rollback (and journal) unfinished', () => {
    const { handlers, exits } = harness(() => new Promise<void>(() => undefined));
    for (let count = 0; count < 3; count++) process.emit('SIGUSR2', 'SIGUSR2');
    expect(exits).toEqual([INTERRUPT_EXIT_CODE]);
    expect(handlers.receivedSignal).toBe('SIGUSR2');
    handlers.uninstall();
  });

  it('reports a failed cleanup and still exits 130', async () => {
    const { handlers, output, exits } = harness(() => Promise.reject(new Error('rollback: disk gone')));
    process.emit('SIGUSR2', 'SIGUSR2');
    await handlers.settled;
    expect(output).toEqual(['error: rollback: disk gone: run kode recover\n']);
    expect(exits).toEqual([130]);
    handlers.uninstall();
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});

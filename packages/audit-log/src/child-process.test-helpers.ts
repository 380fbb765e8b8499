// Spawning the test drivers in src/test-fixtures: real node processes running the built package.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));

export function fixturePath(name: string): string {
  if (!existsSync(distIndex)) {
    throw new Error(`${distIndex} is missing: run \`pnpm --filter @kode/audit-log build\` before these tests`);
  }
  return fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url));
}

export interface RunningDriver {
  readonly child: ChildProcess;
  /** Resolves with the exit code and everything the driver wrote, once it exits. */
  readonly finished: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves when the driver has written `text` to stdout. */
  waitForOutput(text: string): Promise<void>;
}

export function startDriver(name: string, args: readonly string[]): RunningDriver {
  const child = spawn(process.execPath, [fixturePath(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const outputWaiters: { text: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of outputWaiters.filter((candidate) => stdout.includes(candidate.text))) waiter.resolve();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    finished,
    waitForOutput: (text) =>
      new Promise((resolve, reject) => {
        if (stdout.includes(text)) return resolve();
        outputWaiters.push({ text, resolve });
        void finished.then(({ code }) =>
          reject(new Error(`driver exited (${code}) before printing ${text}: ${stderr}`)),
        );
      }),
  };
}

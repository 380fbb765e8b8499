// Runs the project's test command (SPEC §8.6): platform shell, own process group, filtered environment,
// bounded output tail, timeout and interrupt handling. A failing command is a result, never an exception.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { BUILTIN_PROVIDERS } from '@kode/providers';

export interface TestRunOptions {
  /** Run through `/bin/sh -c` (POSIX) or `cmd.exe /d /s /c` (Windows). */
  readonly command: string;
  /** Project root. */
  readonly cwd: string;
  /** engine.test_timeout_s; fractions are allowed (tests use them). */
  readonly timeoutS: number;
  /** Kode's own environment; filtered by testEnvironment before the child sees it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** engine.test_env_allow. */
  readonly envAllow?: readonly string[];
  /** Exported to the child as KODE_RUN_ID. */
  readonly runId: string;
  /** Abort = interrupt: the group is killed and the run resolves with interrupted: true. */
  readonly signal?: AbortSignal;
  /** Raw combined stdout+stderr chunks in arrival order (not redacted: a secret can straddle two chunks). */
  readonly onOutput?: (text: string) => void;
  /** Called right after spawn so the engine can journal the group id; awaited before the run resolves. */
  readonly onStart?: (info: { readonly pid: number; readonly processGroupId: number }) => void | Promise<void>;
  /** Applied to output_tail. */
  readonly redact?: (text: string) => string;
  /** Delay between SIGTERM and SIGKILL of the group (default 5000). */
  readonly killGraceMs?: number;
}

export interface TestRunResult {
  readonly exit_code: number | null;
  readonly signal: string | null;
  readonly timed_out: boolean;
  readonly interrupted: boolean;
  readonly duration_ms: number;
  readonly output_tail: string;
}

const TAIL_MAX_LINES = 100;
const TAIL_MAX_BYTES = 16 * 1024;
/*
 * Raw output kept for the tail. Larger than the 16 KiB result so that redaction sees every secret that
 * ends inside the final tail whole (a secret cut in half at the buffer start would not match its rule).
 */
const RAW_TAIL_CHARS = 64 * 1024;
const DEFAULT_KILL_GRACE_MS = 5000;
/** How long to wait for SIGKILLed members to disappear before giving up (a process stuck in D state). */
const REAP_LIMIT_MS = 5000;
const REAP_POLL_MS = 10;
/** After the group is gone the pipes close at once; this only bounds a process that escaped the group. */
const STREAM_CLOSE_WAIT_MS = 200;
/** setTimeout overflows above this and fires at once; a timeout of weeks is "never" anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Kode's own credentials: no project test has a reason to see them, so the allow list cannot pass them. */
const KODE_CREDENTIALS: readonly string[] = ['KODE_LLM_API_KEY', 'KODE_GATEWAY_API_KEY'];
/** Key variables of vendors Kode does not ship as built-ins but users commonly have set. */
const OTHER_PROVIDER_KEYS: readonly string[] = ['GROQ_API_KEY', 'MISTRAL_API_KEY', 'XAI_API_KEY', 'TOGETHER_API_KEY'];
const PROVIDER_KEYS: ReadonlySet<string> = new Set([
  ...BUILTIN_PROVIDERS.flatMap((provider) => provider.keyVariables),
  ...OTHER_PROVIDER_KEYS,
]);
const SECRET_LIKE_NAME = /KEY|TOKEN|SECRET|PASSWORD/i;

/**
 * The child's environment: Kode's minus its credentials, provider keys and anything that looks like a
 * secret (unless allow-listed), plus KODE_RUN_ID. The tests are project code Kode did not write and
 * should not be handed the keys Kode pays with.
 */
export function testEnvironment(options: {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly allow?: readonly string[];
  readonly runId: string;
}): Record<string, string> {
  const allow = new Set(options.allow ?? []);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.env)) {
    if (value === undefined || name === 'KODE_RUN_ID') continue;
    if (KODE_CREDENTIALS.includes(name.toUpperCase())) continue;
    const secret = PROVIDER_KEYS.has(name.toUpperCase()) || SECRET_LIKE_NAME.test(name);
    if (secret && !allow.has(name)) continue;
    result[name] = value;
  }
  result['KODE_RUN_ID'] = options.runId;
  return result;
}

/** The `test_error` text for a failed run; undefined when the run passed. */
export function testFailureReason(options: {
  readonly result: TestRunResult;
  readonly command: string;
  readonly timeoutS: number;
}): string | undefined {
  const { result, command, timeoutS } = options;
  if (result.interrupted) return `tests: test command was interrupted (${command})`;
  if (result.timed_out) return `tests: test command timed out after ${timeoutS}s (${command})`;
  if (result.signal !== null) return `tests: test command was killed by ${result.signal} (${command})`;
  if (result.exit_code !== 0) return `tests: test command exited with code ${String(result.exit_code)} (${command})`;
  return undefined;
}

export async function runTestCommand(options: TestRunOptions): Promise<TestRunResult> {
  const started = performance.now();
  if (options.signal?.aborted) {
    // Nothing was started, so there is nothing to kill; the caller still gets the interrupt outcome.
    return { exit_code: null, signal: null, timed_out: false, interrupted: true, duration_ms: 0, output_tail: '' };
  }
  const windows = process.platform === 'win32';
  const child = spawn(
    windows ? (process.env['ComSpec'] ?? 'cmd.exe') : '/bin/sh',
    windows ? ['/d', '/s', '/c', `"${options.command}"`] : ['-c', options.command],
    {
      cwd: options.cwd,
      env: testEnvironment({ env: options.env, allow: options.envAllow ?? [], runId: options.runId }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      windowsVerbatimArguments: windows,
    },
  );
  // Listeners go on before anything is awaited so no event can be missed.
  const spawned = new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  const exited = new Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let tail = '';
  let streaming = options.onOutput !== undefined;
  const onData = (text: string): void => {
    if (streaming) {
      try {
        options.onOutput?.(text);
      } catch {
        // A broken progress stream (EPIPE on stderr) must not abandon a running test group: stop streaming.
        streaming = false;
      }
    }
    tail = text.length >= RAW_TAIL_CHARS ? text.slice(-RAW_TAIL_CHARS) : tail + text;
    // Trim in batches: appending stays amortised O(1) and memory stays bounded however much is printed.
    if (tail.length > 2 * RAW_TAIL_CHARS) tail = tail.slice(-RAW_TAIL_CHARS);
  };
  const streamsClosed = Promise.all(
    [child.stdout, child.stderr].map(
      (stream) =>
        new Promise<void>((resolve) => {
          stream.setEncoding('utf8'); // one decoder per stream: multi-byte characters survive chunk splits
          stream.on('data', onData);
          stream.once('close', resolve);
        }),
    ),
  );

  const spawnError = await spawned;
  if (spawnError !== undefined || child.pid === undefined) {
    // ENOENT for the shell or the cwd, EACCES, EAGAIN: Kode's environment is broken, not the tests.
    child.stdout.destroy();
    child.stderr.destroy();
    throw new Error(
      `tests: could not start the test command (${options.command}): ${spawnError?.message ?? 'no process id'}`,
      { cause: spawnError },
    );
  }
  // Later 'error' events (a failed kill or IPC send) carry nothing we act on; unhandled they would throw.
  child.on('error', () => undefined);
  const pid = child.pid;
  // detached: the shell leads a new process group whose id is its pid.
  const group = createGroupKiller({ group: pid, graceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS });
  const startOutcome = Promise.resolve()
    .then(() => options.onStart?.({ pid, processGroupId: pid }))
    .then(
      () => ({ ok: true as const }),
      (error: unknown) => {
        // The engine could not journal the group, so a crash now would leave it unkillable by recovery.
        group.kill();
        return { ok: false as const, error };
      },
    );

  let timedOut = false;
  let interrupted = false;
  const timeoutTimer = setTimeout(
    () => {
      timedOut = true;
      group.terminate();
    },
    Math.min(Math.max(0, options.timeoutS * 1000), MAX_TIMER_MS),
  );
  const onAbort = (): void => {
    interrupted = true;
    group.terminate();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const exit = await exited;
  clearTimeout(timeoutTimer);
  options.signal?.removeEventListener('abort', onAbort);
  await group.reap();
  // Every member is gone, so the pipes are closed; only a process that left the group (setsid) can
  // still hold one open, and its output is not worth waiting for.
  await Promise.race([streamsClosed, delay(STREAM_CLOSE_WAIT_MS)]);
  child.stdout.destroy();
  child.stderr.destroy();
  const start = await startOutcome;
  if (!start.ok) throw start.error;

  return {
    exit_code: exit.code,
    signal: exit.signal,
    timed_out: timedOut,
    interrupted,
    duration_ms: Math.round(performance.now() - started),
    output_tail: trimTail(options.redact ? options.redact(tail) : tail),
  };
}

interface GroupKiller {
  /** SIGTERM now, SIGKILL after the grace period (timeout and interrupt). */
  terminate(): void;
  kill(): void;
  /** After the shell exited: kill what is left and wait, bounded, until no member is alive. */
  reap(): Promise<void>;
}

function createGroupKiller(options: { readonly group: number; readonly graceMs: number }): GroupKiller {
  const { group, graceMs } = options;
  let terminating = false;
  let killedAt: number | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  // Once the group is gone its id may be reused by an unrelated process: nothing may signal it after that.
  let reaped = false;
  const kill = (): void => {
    if (reaped) return;
    killedAt ??= performance.now();
    signalGroup(group, 'SIGKILL');
  };
  return {
    terminate(): void {
      if (terminating || reaped) return;
      terminating = true;
      signalGroup(group, 'SIGTERM');
      graceTimer = setTimeout(kill, graceMs);
    },
    kill,
    async reap(): Promise<void> {
      // During a SIGTERM grace period members may still be cleaning up; the grace timer decides. Otherwise
      // the shell finished on its own and whatever it left behind (a forked watcher, a server, a loop still
      // writing a file) dies now: the engine restores or keeps files right after the run resolves, and a
      // survivor writing into the tree would corrupt the rollback or the kept change.
      if (!terminating) kill();
      while (groupAlive(group)) {
        if (killedAt !== undefined) {
          if (performance.now() - killedAt > REAP_LIMIT_MS) break;
          // Again each round: a member may have forked while the previous SIGKILL was being delivered.
          signalGroup(group, 'SIGKILL');
        }
        await delay(REAP_POLL_MS);
      }
      reaped = true;
      clearTimeout(graceTimer);
    },
  };
}

function signalGroup(group: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  if (process.platform === 'win32') {
    // Windows has no process groups to signal; taskkill walks the tree from the shell (SPEC §8.6).
    spawn('taskkill', ['/pid', String(group), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on(
      'error',
      () => undefined,
    );
    return;
  }
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: the group is already gone, which is the goal.
  }
}

function groupAlive(group: number): boolean {
  if (process.platform === 'win32') return false; // no group to poll; taskkill /T is the whole story there
  try {
    process.kill(-group, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // kill(0) also succeeds for zombies. Where PID 1 does not reap orphans (minimal containers) a killed
  // grandchild stays a zombie forever, so on Linux only members that can still run count.
  return process.platform === 'linux' ? hasRunnableMember(group) : true;
}

function hasRunnableMember(group: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses, so parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === group && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** The last 100 lines, then at most 16 KiB of them, cut on a UTF-8 character boundary. */
function trimTail(text: string): string {
  // A final newline ends the last line rather than starting an empty one.
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  let start = 0;
  let newlines = 0;
  for (let index = end - 1; index >= 0; index -= 1) {
    if (text.charCodeAt(index) !== 10) continue;
    newlines += 1;
    if (newlines === TAIL_MAX_LINES) {
      start = index + 1;
      break;
    }
  }
  const lines = text.slice(start);
  const bytes = Buffer.from(lines, 'utf8');
  if (bytes.length <= TAIL_MAX_BYTES) return lines;
  let from = bytes.length - TAIL_MAX_BYTES;
  while (from < bytes.length && ((bytes[from] ?? 0) & 0xc0) === 0x80) from += 1;
  return bytes.subarray(from).toString('utf8');
}

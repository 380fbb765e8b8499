// Who owns a lock or journal: pid + hostname + boot id + process start time. The start time tells a live owner from
// an unrelated process that reused its pid; the boot id tells a pre-reboot owner from anything alive now.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { errnoCode } from './errors.js';

export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
  /** Linux only (/proc/sys/kernel/random/boot_id). */
  readonly bootId: string | undefined;
  /** Milliseconds since the epoch; exact on Linux (btime + start ticks), whole seconds on macOS, else undefined. */
  readonly processStartTime: number | undefined;
}

export type OwnerStatus = 'alive' | 'dead' | 'foreign';

// /proc reports start times in USER_HZ, which Linux fixes at 100 for user space on every architecture.
const userHz = 100;
let cachedBootTimeSeconds: number | undefined;
let cachedBootId: { value: string | undefined } | undefined;

export function readBootId(): string | undefined {
  if (cachedBootId === undefined) {
    let value: string | undefined;
    if (process.platform === 'linux') {
      try {
        value = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
      } catch {
        value = undefined;
      }
    }
    cachedBootId = { value };
  }
  return cachedBootId.value;
}

function bootTimeSeconds(): number | undefined {
  if (cachedBootTimeSeconds === undefined) {
    const match = /^btime (\d+)$/mu.exec(readFileSync('/proc/stat', 'utf8'));
    if (match?.[1] === undefined) return undefined;
    cachedBootTimeSeconds = Number(match[1]);
  }
  return cachedBootTimeSeconds;
}

interface ProcStat {
  readonly state: string;
  readonly processGroupId: number;
  readonly startTicks: number;
}

function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses; the fields after the last ')' are unambiguous.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const processGroupId = Number(fields[2]);
  const startTicks = Number(fields[19]);
  if (state === undefined || Number.isNaN(processGroupId) || Number.isNaN(startTicks)) return undefined;
  return { state, processGroupId, startTicks };
}

function ticksToEpochMs(ticks: number): number | undefined {
  const bootTime = bootTimeSeconds();
  return bootTime === undefined ? undefined : bootTime * 1000 + Math.round((ticks * 1000) / userHz);
}

export function processStartTime(pid: number): number | undefined {
  try {
    if (process.platform === 'linux') {
      const stat = readProcStat(pid);
      return stat === undefined ? undefined : ticksToEpochMs(stat.startTicks);
    }
    if (process.platform === 'darwin' || process.platform === 'freebsd') {
      const output = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      }).trim();
      const parsed = Date.parse(output);
      return Number.isNaN(parsed) ? undefined : parsed;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

let cachedSelf: ProcessIdentity | undefined;

export function currentProcessIdentity(): ProcessIdentity {
  if (cachedSelf === undefined || cachedSelf.pid !== process.pid) {
    cachedSelf = {
      pid: process.pid,
      hostname: hostname(),
      bootId: readBootId(),
      processStartTime: processStartTime(process.pid),
    };
  }
  return cachedSelf;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/** Judges a recorded owner: same host and boot, pid alive and (when known) the same start time. */
export function ownerStatus(owner: ProcessIdentity): OwnerStatus {
  const self = currentProcessIdentity();
  if (owner.hostname !== self.hostname) return 'foreign';
  if (owner.bootId !== undefined && self.bootId !== undefined && owner.bootId !== self.bootId) return 'dead';
  if (!isProcessAlive(owner.pid)) return 'dead';
  if (owner.processStartTime !== undefined) {
    const actual = processStartTime(owner.pid);
    if (actual !== undefined && actual !== owner.processStartTime) return 'dead';
  }
  return 'alive';
}

export interface GroupMember {
  readonly pid: number;
  readonly startTime: number | undefined;
}

/**
 * Live (non-zombie) members of a process group. On Linux read from /proc; elsewhere only whether the group exists
 * can be known, reported as one member with an unknown start time.
 */
export function processGroupMembers(processGroupId: number): GroupMember[] {
  if (process.platform === 'linux') {
    const members: GroupMember[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/u.test(name)) continue;
      const stat = readProcStat(Number(name));
      if (stat === undefined || stat.processGroupId !== processGroupId) continue;
      if (stat.state === 'Z' || stat.state === 'X') continue;
      members.push({ pid: Number(name), startTime: ticksToEpochMs(stat.startTicks) });
    }
    return members;
  }
  try {
    process.kill(-processGroupId, 0);
    return [{ pid: processGroupId, startTime: undefined }];
  } catch (error) {
    return errnoCode(error) === 'EPERM' ? [{ pid: processGroupId, startTime: undefined }] : [];
  }
}

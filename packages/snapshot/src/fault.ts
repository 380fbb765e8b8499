// Test-only fault injection (README "Fault injection"). `KODE_FAULT=<point>[:<n>]` SIGKILLs the process the n-th
// time (default 1st) it reaches `point`; `KODE_FAULT=errno:<CODE>:<op>[:<n>[+]]` makes the n-th matching filesystem
// step throw that errno. Unset, each hook costs one env lookup and a string
// comparison, so it stays in production builds and the kill tests exercise the shipped code.
// `errno:` occurrences: `<n>` only the n-th, `<n>+` the n-th and every later one, `<n>+<k>` k of them from the n-th.
import { constants as osConstants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

export type FaultPoint =
  | 'after-lock'
  | 'after-backups'
  | 'after-journal-fsync'
  | 'after-applying'
  | 'after-rename'
  | 'before-testing'
  | 'after-testing'
  | 'during-rollback'
  | 'during-recovery';

/** Filesystem steps that can be traced and failed. Working-tree steps and Kode-state steps are named apart. */
export type FsStep =
  | 'backup-write'
  | 'backup-fsync'
  | 'journal-write'
  | 'journal-fsync'
  | 'state-write'
  | 'state-dir-fsync'
  | 'mkdir'
  | 'open'
  | 'write'
  | 'fsync'
  | 'chmod'
  | 'rename'
  | 'dir-fsync'
  | 'unlink'
  | 'rmdir'
  | 'link'
  | 'symlink';

type FaultSpec =
  | { readonly kind: 'kill'; readonly point: string; readonly occurrence: number }
  | {
      readonly kind: 'errno';
      readonly code: string;
      readonly step: string;
      readonly occurrence: number;
      readonly last: number;
    };

let parsedSource: string | undefined;
let parsedSpec: FaultSpec | undefined;
const counters = new Map<string, number>();
let traceListener: ((step: FsStep, path: string) => void) | undefined;

function currentSpec(): FaultSpec | undefined {
  const source = process.env.KODE_FAULT;
  if (source === undefined || source === '') return undefined;
  if (source !== parsedSource) {
    parsedSource = source;
    parsedSpec = parseFaultSpec(source);
    counters.clear();
  }
  return parsedSpec;
}

function parseFaultSpec(source: string): FaultSpec | undefined {
  const parts = source.split(':');
  if (parts[0] === 'errno') {
    const [, code, step, occurrenceText] = parts;
    if (code === undefined || step === undefined) return undefined;
    // `<n>`: only the n-th; `<n>+`: the n-th and every later one; `<n>+<k>`: k occurrences from the n-th.
    const [firstText, countText] = (occurrenceText ?? '1').split('+');
    const occurrence = Number.parseInt(firstText ?? '1', 10);
    const first = Number.isNaN(occurrence) ? 1 : occurrence;
    const count =
      countText === undefined ? 1 : countText === '' ? Number.POSITIVE_INFINITY : Number.parseInt(countText, 10);
    return { kind: 'errno', code, step, occurrence: first, last: first + (Number.isNaN(count) ? 1 : count) - 1 };
  }
  const [point, occurrenceText] = parts;
  if (point === undefined) return undefined;
  const occurrence = Number.parseInt(occurrenceText ?? '1', 10);
  return { kind: 'kill', point, occurrence: Number.isNaN(occurrence) ? 1 : occurrence };
}

function bump(key: string): number {
  const count = (counters.get(key) ?? 0) + 1;
  counters.set(key, count);
  return count;
}

/** SIGKILLs this process if KODE_FAULT names this point and occurrence. */
export function faultPoint(point: FaultPoint): void {
  const spec = currentSpec();
  if (spec?.kind !== 'kill' || spec.point !== point) return;
  if (bump(point) === spec.occurrence) {
    process.kill(process.pid, 'SIGKILL');
  }
}

/** Called before every filesystem step on the working tree and the journal: trace for tests, then maybe fail. */
export function fsStep(step: FsStep, path: string): void {
  traceListener?.(step, path);
  const spec = currentSpec();
  if (spec?.kind !== 'errno' || spec.step !== step) return;
  const count = bump(`errno:${step}`);
  if (count >= spec.occurrence && count <= spec.last) {
    throw injectedError(spec.code, step, path);
  }
}

function injectedError(code: string, step: string, path: string): NodeJS.ErrnoException {
  const errno = (osConstants.errno as Record<string, number | undefined>)[code];
  const description = errno === undefined ? undefined : getSystemErrorMap().get(-errno)?.[1];
  const error: NodeJS.ErrnoException = new Error(`${code}: ${description ?? 'injected fault'}, ${step} '${path}'`);
  error.code = code;
  if (errno !== undefined) error.errno = -errno;
  error.syscall = step;
  error.path = path;
  return error;
}

/** Test hook: observe every filesystem step (RELIABILITY A8 ordering test). Pass undefined to stop. */
export function setFsTrace(listener: ((step: FsStep, path: string) => void) | undefined): void {
  traceListener = listener;
}

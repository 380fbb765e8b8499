// Where Kode keeps its run lock and journals (SPEC §1.4): inside the git dir, so the test command, the model and
// `git add` never see them; for non-git projects in the per-user state directory, keyed by the project's real path.
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { posix, resolve, win32 } from 'node:path';
import { promisify } from 'node:util';
import { sha256Hex } from './hash.js';

const execFileAsync = promisify(execFile);

/** §1.4 user state dir: `$XDG_STATE_HOME/kode` or `~/.local/state/kode` (Linux), per-OS equivalents elsewhere. */
export function userStateDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') {
    const localAppData = env.LOCALAPPDATA || win32.join(env.USERPROFILE || homedir(), 'AppData', 'Local');
    return win32.join(localAppData, 'kode', 'Data');
  }
  const home = env.HOME || homedir();
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'kode');
  const stateHome = env.XDG_STATE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  if (stateHome !== undefined && posix.isAbsolute(stateHome)) return posix.join(stateHome, 'kode');
  return posix.join(home, '.local', 'state', 'kode');
}

const gitDirCache = new Map<string, string>();

/** `<git dir>/kode`, or `<user state dir>/projects/<16 hex of sha256(real root)>` outside git. */
export async function transactionStateDir(projectRoot: string): Promise<string> {
  const realRoot = await realpath(projectRoot);
  const cached = gitDirCache.get(realRoot);
  if (cached !== undefined) return cached;
  const gitDir = await findGitDir(realRoot);
  if (gitDir !== undefined) {
    const stateDir = resolve(gitDir, 'kode');
    gitDirCache.set(realRoot, stateDir);
    return stateDir;
  }
  return resolve(userStateDir(), 'projects', sha256Hex(realRoot).slice(0, 16));
}

async function findGitDir(realRoot: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['rev-parse', '--git-dir'], {
      cwd: realRoot,
      timeout: 10_000,
      windowsHide: true,
    });
    const gitDir = stdout.trim();
    return gitDir === '' ? undefined : resolve(realRoot, gitDir);
  } catch {
    return undefined;
  }
}

// Per-user directories of spec §1.4. Both functions take the environment and platform as inputs so
// callers (and tests) can resolve them for any OS without touching process state.
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

type Environment = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function homeDirectory(env: Environment, platform: NodeJS.Platform): string {
  return (platform === 'win32' ? nonEmpty(env.USERPROFILE) : nonEmpty(env.HOME)) ?? homedir();
}

// The XDG base-directory spec says relative values are invalid and must be ignored.
function xdgDirectory(value: string | undefined): string | undefined {
  const directory = nonEmpty(value);
  return directory !== undefined && posix.isAbsolute(directory) ? directory : undefined;
}

/**
 * Where the credential store, trusted hosts and gateway config live: `$KODE_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/kode` or `~/.config/kode` (Linux and other Unix), `~/Library/Preferences/kode`
 * (macOS), `%APPDATA%\kode\Config` (Windows). Empty variables count as unset.
 */
export function userConfigDir(env: Environment = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = nonEmpty(env.KODE_CONFIG_DIR);
  if (override !== undefined) return override;
  const home = homeDirectory(env, platform);
  if (platform === 'win32') {
    return win32.join(nonEmpty(env.APPDATA) ?? win32.join(home, 'AppData', 'Roaming'), 'kode', 'Config');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Preferences', 'kode');
  return posix.join(xdgDirectory(env.XDG_CONFIG_HOME) ?? posix.join(home, '.config'), 'kode');
}

/**
 * Where per-user state lives (transaction state of non-git projects): `$XDG_STATE_HOME/kode` or
 * `~/.local/state/kode` (Linux and other Unix), `~/Library/Application Support/kode` (macOS),
 * `%LOCALAPPDATA%\kode\Data` (Windows).
 */
export function userStateDir(env: Environment = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homeDirectory(env, platform);
  if (platform === 'win32') {
    return win32.join(nonEmpty(env.LOCALAPPDATA) ?? win32.join(home, 'AppData', 'Local'), 'kode', 'Data');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'kode');
  return posix.join(xdgDirectory(env.XDG_STATE_HOME) ?? posix.join(home, '.local', 'state'), 'kode');
}

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from './project-root.js';
import { git, makeTempDir, withoutGitOnPath } from './temp-dir.test-helpers.js';
import { userConfigDir, userStateDir } from './user-dirs.js';

describe('findProjectRoot (spec §1.4)', () => {
  it('uses --project-dir, resolved against cwd', async () => {
    const cwd = await makeTempDir({ '.kode/kode.json': '{}' });
    expect(await findProjectRoot({ cwd, projectDir: 'apps/web' })).toBe(join(cwd, 'apps', 'web'));
    expect(await findProjectRoot({ cwd, projectDir: '/srv/project' })).toBe('/srv/project');
  });

  it('prefers the nearest ancestor with .kode/kode.json, even inside a git repository', async () => {
    const repository = await makeTempDir({
      'services/api/.kode/kode.json': '{}',
      'services/api/src/deep/file.ts': '',
    });
    git(repository, 'init', '--quiet');
    const cwd = join(repository, 'services', 'api', 'src', 'deep');
    expect(await findProjectRoot({ cwd })).toBe(join(repository, 'services', 'api'));
    expect(await findProjectRoot({ cwd: join(repository, 'services', 'api') })).toBe(
      join(repository, 'services', 'api'),
    );
  });

  it('ignores a .kode directory without kode.json', async () => {
    const root = await makeTempDir({ 'a/.kode/cache/index': '', 'a/b/file': '' });
    expect(await findProjectRoot({ cwd: join(root, 'a', 'b') })).toBe(join(root, 'a', 'b'));
  });

  it('falls back to the git top level, with or without git installed', async () => {
    const repository = await makeTempDir({ 'src/lib/file.ts': '' });
    git(repository, 'init', '--quiet');
    const cwd = join(repository, 'src', 'lib');
    expect(await findProjectRoot({ cwd })).toBe(repository);
    expect(await withoutGitOnPath(() => findProjectRoot({ cwd }))).toBe(repository);
  });

  it('falls back to cwd outside any project or repository', async () => {
    const root = await makeTempDir();
    const cwd = join(root, 'nested');
    await mkdir(cwd);
    expect(await findProjectRoot({ cwd })).toBe(cwd);
    expect(await withoutGitOnPath(() => findProjectRoot({ cwd }))).toBe(cwd);
  });
});

describe('user directories (spec §1.4)', () => {
  it('resolves the user config dir per platform', () => {
    expect(userConfigDir({ KODE_CONFIG_DIR: '/opt/kode', HOME: '/home/ana' }, 'linux')).toBe('/opt/kode');
    expect(userConfigDir({ XDG_CONFIG_HOME: '/xdg/config', HOME: '/home/ana' }, 'linux')).toBe('/xdg/config/kode');
    expect(userConfigDir({ HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.config/kode');
    expect(userConfigDir({ XDG_CONFIG_HOME: 'relative', HOME: '/home/ana' }, 'freebsd')).toBe('/home/ana/.config/kode');
    expect(userConfigDir({ XDG_CONFIG_HOME: '', HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.config/kode');
    expect(userConfigDir({ HOME: '/Users/ana' }, 'darwin')).toBe('/Users/ana/Library/Preferences/kode');
    expect(userConfigDir({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\kode\\Config',
    );
    expect(userConfigDir({ USERPROFILE: 'C:\\Users\\ana' }, 'win32')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\kode\\Config',
    );
  });

  it('resolves the user state dir per platform', () => {
    expect(userStateDir({ XDG_STATE_HOME: '/xdg/state', HOME: '/home/ana' }, 'linux')).toBe('/xdg/state/kode');
    expect(userStateDir({ HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.local/state/kode');
    expect(userStateDir({ HOME: '/Users/ana' }, 'darwin')).toBe('/Users/ana/Library/Application Support/kode');
    expect(userStateDir({ LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32')).toBe(
      'C:\\Users\\ana\\AppData\\Local\\kode\\Data',
    );
  });
});

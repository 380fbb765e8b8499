import { mkdirSync, realpathSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { transactionStateDir, userStateDir } from './state-dir.js';
import { createGitRepo, makeTempDir, removeTempDir } from './tree.test-helpers.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const path of cleanup.splice(0)) removeTempDir(path);
});

describe('userStateDir', () => {
  it('follows SPEC §1.4 per platform', () => {
    expect(userStateDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.local/state/kode');
    expect(userStateDir({ HOME: '/home/u', XDG_STATE_HOME: '/xdg/state' }, 'linux')).toBe('/xdg/state/kode');
    expect(userStateDir({ HOME: '/home/u', XDG_STATE_HOME: 'relative' }, 'linux')).toBe('/home/u/.local/state/kode');
    expect(userStateDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Application Support/kode');
    expect(userStateDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toBe(
      'C:\\Users\\u\\AppData\\Local\\kode\\Data',
    );
  });
});

describe('transactionStateDir', () => {
  it('is <git dir>/kode in a git repository, also from a subdirectory', async () => {
    const root = createGitRepo({ 'a/b.txt': 'x\n' });
    cleanup.push(root);
    const real = realpathSync(root);
    expect(await transactionStateDir(root)).toBe(join(real, '.git', 'kode'));
    expect(await transactionStateDir(join(root, 'a'))).toBe(join(real, '.git', 'kode'));
  });

  it('falls back to the user state dir keyed by the real path outside git', async () => {
    const root = makeTempDir();
    cleanup.push(root);
    mkdirSync(join(root, 'project'));
    const real = realpathSync(join(root, 'project'));
    const expectedKey = createHash('sha256').update(real).digest('hex').slice(0, 16);
    expect(await transactionStateDir(join(root, 'project'))).toBe(join(userStateDir(), 'projects', expectedKey));
  });
});

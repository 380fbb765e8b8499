// Disposable project directories with real files and, optionally, a real git repository.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Git needs an identity to commit; CI machines have none configured. */
export const GIT_IDENTITY_ENV: Readonly<Record<string, string>> = {
  GIT_AUTHOR_NAME: 'Kode Test',
  GIT_AUTHOR_EMAIL: 'test@kode.invalid',
  GIT_COMMITTER_NAME: 'Kode Test',
  GIT_COMMITTER_EMAIL: 'test@kode.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface TempProject extends AsyncDisposable {
  /** Real path of the project root (symlinks such as /tmp -> /private/tmp resolved). */
  readonly root: string;
  path(relative: string): string;
  write(relative: string, content: string | Uint8Array): Promise<void>;
  read(relative: string): Promise<string>;
  /** Runs git in the project with a fixed identity and returns trimmed stdout. */
  git(...args: string[]): string;
  dispose(): Promise<void>;
}

export interface CreateTempProjectOptions {
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Initialise a git repository (default false). */
  readonly git?: boolean;
  /** With git: commit the initial files (default true when files are given). */
  readonly commit?: boolean;
  /** Prefix of the temp directory name, for readable failure messages. */
  readonly name?: string;
}

export async function createTempProject(options: CreateTempProjectOptions = {}): Promise<TempProject> {
  const root = await realpath(await mkdtemp(join(tmpdir(), `${options.name ?? 'kode-project'}-`)));
  const path = (relative: string): string => join(root, relative);
  const write = async (relative: string, content: string | Uint8Array): Promise<void> => {
    await mkdir(dirname(path(relative)), { recursive: true });
    await writeFile(path(relative), content);
  };
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_IDENTITY_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  for (const [relative, content] of Object.entries(options.files ?? {})) await write(relative, content);
  if (options.git) {
    git('init', '--quiet', '--initial-branch=main');
    const hasFiles = Object.keys(options.files ?? {}).length > 0;
    if ((options.commit ?? hasFiles) && hasFiles) {
      git('add', '--all');
      git('commit', '--quiet', '--no-gpg-sign', '-m', 'initial');
    }
  }
  const dispose = (): Promise<void> => rm(root, { recursive: true, force: true });
  return {
    root,
    path,
    write,
    read: (relative) => readFile(path(relative), 'utf8'),
    git,
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}

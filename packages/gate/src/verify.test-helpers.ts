import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Project {
  readonly root: string;
  write(path: string, content: string | Uint8Array): Promise<void>;
  dispose(): Promise<void>;
}

export async function createProject(files: Readonly<Record<string, string | Uint8Array>> = {}): Promise<Project> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'kode-gate-')));
  const write = async (path: string, content: string | Uint8Array) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  };
  for (const [path, content] of Object.entries(files)) await write(path, content);
  return { root, write, dispose: () => rm(root, { recursive: true, force: true }) };
}

export function text(content: Uint8Array | null | undefined): string | null | undefined {
  return content === null || content === undefined ? content : Buffer.from(content).toString('utf8');
}

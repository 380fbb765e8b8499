// The credential store and trusted hosts (§7.3), both in the user config dir. Files are created 0600 from
// their first byte (write-file-atomic opens the temp file with that mode) in a 0700 directory and replaced
// atomically. A symlinked, group- or world-readable file is refused rather than used: a key file someone
// else can read, or that points somewhere we did not choose, is already compromised.
import { chmod, lstat, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { CredentialStoreError } from './errors.js';

export interface StoredCredential {
  /** Absent for providers saved without a key (local servers). */
  readonly key?: string;
  readonly base_url: string;
  readonly created_at: string;
}

export type CredentialStore = Readonly<Record<string, StoredCredential>>;

export function credentialsFile(configDir: string): string {
  return join(configDir, 'credentials.json');
}

export function trustedHostsFile(configDir: string): string {
  return join(configDir, 'trusted-hosts.json');
}

const checkModes = process.platform !== 'win32';

/** Reads a private JSON file; undefined when it does not exist. Throws CredentialStoreError when unsafe. */
async function readPrivateJson(file: string): Promise<unknown> {
  let info;
  try {
    info = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredentialStoreError({ file, message: `cannot read ${file}: ${(error as Error).message}`, cause: error });
  }
  if (info.isSymbolicLink()) {
    throw new CredentialStoreError({
      file,
      message: `${file} is a symlink, which kode refuses for credentials: replace it with a regular file (chmod 600 ${file})`,
    });
  }
  if (!info.isFile()) {
    throw new CredentialStoreError({ file, message: `${file} is not a regular file: remove it and log in again` });
  }
  if (checkModes && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new CredentialStoreError({
      file,
      message: `${file} is readable by other users (mode ${mode}): run chmod 600 ${file}`,
    });
  }
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CredentialStoreError({
      file,
      message: `${file} is not valid JSON: fix it or delete it and log in again`,
    });
  }
}

async function writePrivateJson(configDir: string, file: string, value: unknown): Promise<void> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  if (checkModes) await chmod(configDir, 0o700);
  const existing = await lstat(file).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    throw new CredentialStoreError({
      file,
      message: `${file} is a symlink, which kode refuses for credentials: replace it with a regular file (chmod 600 ${file})`,
    });
  }
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function readCredentials(options: { configDir: string }): Promise<CredentialStore> {
  const file = credentialsFile(options.configDir);
  const value = await readPrivateJson(file);
  if (value === undefined) return {};
  if (!isRecord(value)) {
    throw new CredentialStoreError({ file, message: `${file} must hold a JSON object: fix it or delete it` });
  }
  const store: Record<string, StoredCredential> = {};
  for (const [provider, entry] of Object.entries(value)) {
    if (!isRecord(entry) || typeof entry.base_url !== 'string') continue;
    store[provider] = {
      ...(typeof entry.key === 'string' && entry.key !== '' ? { key: entry.key } : {}),
      base_url: entry.base_url,
      created_at: typeof entry.created_at === 'string' ? entry.created_at : '',
    };
  }
  return store;
}

export async function saveCredential(options: {
  configDir: string;
  provider: string;
  key: string | undefined;
  baseURL: string;
  now?: Date;
}): Promise<void> {
  const store = { ...(await readCredentials(options)) };
  store[options.provider] = {
    ...(options.key === undefined ? {} : { key: options.key }),
    base_url: options.baseURL,
    created_at: (options.now ?? new Date()).toISOString(),
  };
  await writePrivateJson(options.configDir, credentialsFile(options.configDir), store);
}

/** Removes a provider's entry; false when there was none. */
export async function removeCredential(options: { configDir: string; provider: string }): Promise<boolean> {
  const store = { ...(await readCredentials(options)) };
  if (!(options.provider in store)) return false;
  delete store[options.provider];
  await writePrivateJson(options.configDir, credentialsFile(options.configDir), store);
  return true;
}

export async function readTrustedHosts(options: { configDir: string }): Promise<readonly string[]> {
  const file = trustedHostsFile(options.configDir);
  const value = await readPrivateJson(file);
  if (value === undefined) return [];
  const hosts = isRecord(value) ? value.hosts : undefined;
  return Array.isArray(hosts) ? hosts.filter((host): host is string => typeof host === 'string') : [];
}

export async function addTrustedHost(options: { configDir: string; host: string }): Promise<boolean> {
  const hosts = await readTrustedHosts(options);
  const host = options.host.toLowerCase();
  if (hosts.includes(host)) return false;
  await writePrivateJson(options.configDir, trustedHostsFile(options.configDir), { hosts: [...hosts, host].sort() });
  return true;
}

/** `…` + the last 4 characters: enough to tell keys apart, useless to anyone reading the screen. */
export function maskKey(key: string): string {
  return `…${key.slice(-4)}`;
}

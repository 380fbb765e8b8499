import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAuditLogWritable } from './log-location.js';
import { useTemporaryDirectories } from './test-support.test-helpers.js';

const temporaryDirectory = useTemporaryDirectories();

describe('checkAuditLogWritable', () => {
  it('accepts a log directory that does not exist yet, without creating it', async () => {
    const root = await temporaryDirectory();
    const logDir = join(root, 'a', 'b', 'logs');
    expect(checkAuditLogWritable({ logDir })).toEqual({ ok: true, logFile: join(logDir, 'kode.log') });
    expect(await readdir(root)).toEqual([]);
  });

  it('accepts an existing directory and log file', async () => {
    const logDir = await temporaryDirectory();
    await writeFile(join(logDir, 'kode.log'), '');
    expect(checkAuditLogWritable({ logDir })).toEqual({ ok: true, logFile: join(logDir, 'kode.log') });
  });

  it('refuses a symlinked log directory or log file with the message of SPEC §6.1', async () => {
    const root = await temporaryDirectory();
    await mkdir(join(root, 'real'));
    await symlink(join(root, 'real'), join(root, 'linked'));
    const linkedDirectory = checkAuditLogWritable({ logDir: join(root, 'linked') });
    expect(linkedDirectory.ok).toBe(false);
    if (!linkedDirectory.ok) {
      expect(linkedDirectory.error.message).toBe(
        `cannot write audit log ${join(root, 'linked', 'kode.log')}: the log directory ${join(root, 'linked')} is a symlink`,
      );
    }
    await writeFile(join(root, 'elsewhere.log'), '');
    await symlink(join(root, 'elsewhere.log'), join(root, 'real', 'kode.log'));
    const linkedFile = checkAuditLogWritable({ logDir: join(root, 'real') });
    expect(linkedFile.ok ? 'ok' : linkedFile.error.reason).toBe('the log file is a symlink');
  });

  it('refuses a log directory below a regular file', async () => {
    const root = await temporaryDirectory();
    await writeFile(join(root, 'file'), '');
    const result = checkAuditLogWritable({ logDir: join(root, 'file', 'logs') });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toBe(
        `cannot write audit log ${join(root, 'file', 'logs', 'kode.log')}: not a directory`,
      );
  });
});

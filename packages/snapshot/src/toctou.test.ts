// RELIABILITY F11: a directory swapped for a symlink to the outside while Kode writes. Every write must be refused
// or land inside the project; nothing may appear outside.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { captureSnapshot } from './capture.js';
import { recoverInterrupted } from './recovery.js';
import { applyTransaction } from './transaction.js';
import { createGitRepo, makeTempDir, removeTempDir } from './tree.test-helpers.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const path of cleanup.splice(0)) removeTempDir(path);
});

const racer = `
const fs = require('node:fs');
const [root, outside] = process.argv.slice(1);
const sub = root + '/sub', real = root + '/sub.real';
for (;;) {
  try { fs.renameSync(sub, real); fs.symlinkSync(outside, sub); fs.unlinkSync(sub); fs.renameSync(real, sub); } catch {}
}`;

describe('F11: directory swapped for a symlink during apply', () => {
  it('never writes outside the project', async () => {
    const outside = makeTempDir();
    cleanup.push(outside);
    writeFileSync(join(outside, 'sentinel.txt'), 'sentinel\n');
    const root = createGitRepo({ 'sub/x.txt': 'x\n', 'top.txt': 't\n' });
    cleanup.push(root);
    const child = spawn(process.execPath, ['-e', racer, root, outside], { stdio: 'ignore' });
    const outcomes = { applied: 0, refused: 0 };
    try {
      await delay(50);
      for (let attempt = 0; attempt < 40; attempt++) {
        try {
          const transaction = await applyTransaction({
            projectRoot: root,
            runId: `race-${attempt}`,
            changes: [{ path: 'sub/x.txt', content: Buffer.from(`payload ${attempt}\n`) }],
          });
          outcomes.applied++;
          await transaction.rollback('race').catch(() => undefined);
        } catch {
          outcomes.refused++;
        }
      }
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    if (lstatSync(join(root, 'sub'), { throwIfNoEntry: false })?.isSymbolicLink() === true) rmSync(join(root, 'sub'));
    if (existsSync(join(root, 'sub.real'))) renameSync(join(root, 'sub.real'), join(root, 'sub'));
    await recoverInterrupted({ projectRoot: root });
    expect(outcomes.applied + outcomes.refused).toBe(40);
    expect(readdirSync(outside)).toEqual(['sentinel.txt']);
    expect(readFileSync(join(outside, 'sentinel.txt'), 'utf8')).toBe('sentinel\n');
  }, 60_000);
});

describe('captureSnapshot', () => {
  it('records bytes, mode, type and symlink targets without following a final symlink', async () => {
    const root = createGitRepo({
      'a.sh': { content: '#!/bin/sh\n', mode: 0o755 },
      link: { symlink: 'a.sh' },
      'dir/f': 'f',
    });
    cleanup.push(root);
    const snapshot = await captureSnapshot({ projectRoot: root, paths: ['a.sh', 'link', 'dir', 'missing.txt'] });
    const file = snapshot.entries.get('a.sh');
    expect(file?.type === 'file' && [file.mode, Buffer.from(file.content).toString()]).toEqual([0o755, '#!/bin/sh\n']);
    expect(snapshot.entries.get('link')).toEqual({ path: 'link', type: 'symlink', target: 'a.sh' });
    expect(snapshot.entries.get('dir')?.type).toBe('directory');
    expect(snapshot.entries.get('missing.txt')?.type).toBe('missing');
  });
});

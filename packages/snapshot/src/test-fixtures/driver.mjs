// Test driver: a minimal "Kode run" in a child process so tests can SIGKILL it (KODE_FAULT), signal it, or run
// two at once. Imports the built package, exactly as the CLI will.
import { spawn } from 'node:child_process';
import {
  ApplyError,
  acquireRunLock,
  applyTransaction,
  installInterruptHandlers,
  recoverInterrupted,
} from '../../dist/index.js';

const config = JSON.parse(process.argv[2] ?? '{}');
const print = (line) => process.stdout.write(`${line}\n`);
const changes = (config.changes ?? []).map((change) => ({
  ...change,
  content: change.content === null ? null : Buffer.from(change.content, 'base64'),
}));

async function main() {
  if (config.mode === 'recover') {
    const lock = await acquireRunLock({ projectRoot: config.root, runId: config.runId, command: 'recover' });
    const report = await recoverInterrupted({ projectRoot: config.root, dryRun: config.dryRun === true });
    print(`report ${JSON.stringify(report)}`);
    await lock.release();
    return report.rejected.length > 0 || report.failed.length > 0 ? 1 : report.active.length > 0 ? 2 : 0;
  }

  let lock;
  try {
    lock = await acquireRunLock({ projectRoot: config.root, runId: config.runId, command: config.command ?? 'loop' });
  } catch (error) {
    print(`lock-error ${error.name} ${error.message}`);
    return 2;
  }
  print('locked');
  if (config.mode === 'hold-lock') {
    await new Promise((resolve) => process.stdin.on('close', resolve).resume());
    await lock.release();
    return 0;
  }

  let transaction;
  let testChild;
  let handlers;
  if (config.mode === 'loop') {
    handlers = installInterruptHandlers({
      onInterrupt: async (signal) => {
        print(`interrupted ${signal}`);
        for (const extra of config.selfSignals ?? []) process.kill(process.pid, extra);
        if (testChild !== undefined) {
          try {
            process.kill(-testChild.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        if (transaction !== undefined)
          print(`rollback ${JSON.stringify(await transaction.rollback(`interrupted by ${signal}`))}`);
        await lock.release();
      },
    });
  }

  try {
    transaction = await applyTransaction({
      projectRoot: config.root,
      runId: config.runId,
      changes,
      command: config.command ?? 'loop',
    });
  } catch (error) {
    print(
      `apply-error ${ApplyError.isInstance(error) ? `${error.kind} ${error.code ?? '-'} ${error.path}` : error.name}`,
    );
    print(`message ${error.message}`);
    if (ApplyError.isInstance(error) && error.rollback !== undefined)
      print(`rollback ${JSON.stringify(error.rollback)}`);
    if (ApplyError.isInstance(error) && error.rollbackError !== undefined)
      print(`rollback-error ${error.rollbackError}`);
    await lock.release();
    return 1;
  }
  print('applied');
  if (config.mode === 'apply-commit') {
    await transaction.commit();
    print('committed');
    await lock.release();
    return 0;
  }

  testChild = spawn('/bin/sh', ['-c', config.testCommand ?? 'exit 1'], {
    cwd: config.root,
    detached: true,
    stdio: 'ignore',
  });
  const testExit = new Promise((resolve) => testChild.on('exit', (code) => resolve(code)));
  await transaction.markTesting({ processGroupId: testChild.pid });
  print(`testing ${testChild.pid}`);
  const exitCode = await testExit;
  // Interrupted: the handler owns the rest (rollback, then exit 130).
  if (handlers?.interrupted) await new Promise(() => setInterval(() => undefined, 1000));
  testChild = undefined;
  if (exitCode === 0) {
    await transaction.commit();
    print('committed');
  } else {
    print(`rollback ${JSON.stringify(await transaction.rollback('tests failed'))}`);
  }
  await lock.release();
  return exitCode === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    print(`crash ${error?.stack ?? error}`);
    process.exit(3);
  },
);

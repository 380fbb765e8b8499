import { join } from 'node:path';
import { booleanArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import { loadProjectConfig, resolveLogFile } from '../context.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../errors.js';
import { logOpenError } from '../log-errors.js';

export async function runAuditVerify(context: CommandContext, options: { json: boolean }): Promise<number> {
  const { projectRoot } = await loadProjectConfig(context);
  const logFile = resolveLogFile(context, projectRoot);
  const [{ verifyAuditChain }, { transactionStateDir }] = await Promise.all([
    import('@kode/audit-log'),
    import('@kode/snapshot'),
  ]);
  const anchorFile = join(await transactionStateDir(projectRoot), 'audit-head.json');
  let report;
  try {
    report = await verifyAuditChain({ logFile, anchorFile });
  } catch (error) {
    throw await logOpenError(error);
  }
  const intact = report.problems.length === 0;
  if (options.json) {
    context.output.json(report);
  } else if (intact) {
    const head = report.head;
    const headText = head ? `head seq ${head.seq}, ${head.hash.slice(0, 4)}…${head.hash.slice(-4)}` : 'empty log';
    context.output.out(`✓ ${report.entries} entries, chain intact (${headText})`);
  } else {
    for (const problem of report.problems) context.output.out(`✗ ${problem.message}`);
  }
  return intact ? EXIT.ok : EXIT.fail;
}

export const auditCommand: KodeCommand = {
  command: 'audit',
  describe: 'Audit log tools',
  run: () => 0,
  subcommands: [
    {
      command: 'verify',
      describe: "Check the audit log's hash chain",
      builder: (yargs) => yargs.option('json', { type: 'boolean', default: false, describe: 'JSON output' }),
      run: (context, args) => runAuditVerify(context, { json: booleanArg(args, 'json') }),
    },
  ],
};

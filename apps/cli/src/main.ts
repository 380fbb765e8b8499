import { versionInfo } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // Fast path: scripts call `kode --version` to probe the install; answer without loading the parser.
  process.stdout.write(`${versionInfo().version}\n`);
} else {
  const [{ runCli }, { processIO }] = await Promise.all([import('./cli.js'), import('./io.js')]);
  const exitCode = await runCli({ argv, io: processIO() });
  process.exitCode = exitCode;
  // The command is done. Idle keep-alive sockets of HTTP clients (model providers) would hold the process open for
  // seconds; exit as soon as what was written to stdout and stderr has been handed to the OS (the write callbacks).
  await Promise.all(
    [process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))),
  );
  process.exit(exitCode);
}

import { versionInfo } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // Fast path: scripts call `kode --version` to probe the install; answer without loading the parser.
  process.stdout.write(`${versionInfo().version}\n`);
} else {
  const [{ runCli }, { processIO }] = await Promise.all([import('./cli.js'), import('./io.js')]);
  const exitCode = await runCli({ argv, io: processIO() });
  process.exitCode = exitCode;
  // The command is done and its output written. Idle keep-alive sockets of HTTP clients (model providers) would hold
  // the process open for seconds after that; an unref'd timer ends it then without delaying a process that is free to
  // exit on its own.
  setTimeout(() => process.exit(exitCode), 200).unref();
}

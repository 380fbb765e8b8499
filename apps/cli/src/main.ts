import { versionInfo } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // Fast path: scripts call `kode --version` to probe the install; answer without loading the parser.
  process.stdout.write(`${versionInfo().version}\n`);
} else {
  const [{ runCli }, { processIO }] = await Promise.all([import('./cli.js'), import('./io.js')]);
  process.exitCode = await runCli({ argv, io: processIO() });
}

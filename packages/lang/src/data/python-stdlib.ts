import { PYTHON_STDLIB_BASE, PYTHON_STDLIB_BASE_VERSION } from './python-stdlib-base.js';

export const PYTHON_VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'] as const;
export type PythonVersion = (typeof PYTHON_VERSIONS)[number];

// Hand-checked against the "What's New" pages of Python 3.9-3.13: top-level modules added in a version (absent before)
// and removed in a version (absent from it on). Private helper modules are kept for every version.
const ADDED: Readonly<Record<string, PythonVersion>> = {
  graphlib: '3.9',
  zoneinfo: '3.9',
  tomllib: '3.11',
  _sha2: '3.12',
  _pylong: '3.12',
  _colorize: '3.13',
  _pyrepl: '3.13',
  _interpchannels: '3.13',
  _interpqueues: '3.13',
  _interpreters: '3.13',
  _suggestions: '3.13',
  _sysconfig: '3.13',
  _opcode_metadata: '3.13',
  _ios_support: '3.13',
};
const REMOVED: Readonly<Record<string, PythonVersion>> = {
  _dummy_thread: '3.9',
  dummy_threading: '3.9',
  formatter: '3.10',
  parser: '3.10',
  symbol: '3.10',
  _peg_parser: '3.10',
  binhex: '3.11',
  asynchat: '3.12',
  asyncore: '3.12',
  distutils: '3.12',
  imp: '3.12',
  smtpd: '3.12',
  aifc: '3.13',
  audioop: '3.13',
  cgi: '3.13',
  cgitb: '3.13',
  chunk: '3.13',
  crypt: '3.13',
  _crypt: '3.13',
  imghdr: '3.13',
  lib2to3: '3.13',
  mailcap: '3.13',
  msilib: '3.13',
  _msi: '3.13',
  nis: '3.13',
  nntplib: '3.13',
  ossaudiodev: '3.13',
  pipes: '3.13',
  sndhdr: '3.13',
  spwd: '3.13',
  sunau: '3.13',
  telnetlib: '3.13',
  uu: '3.13',
  xdrlib: '3.13',
};

const versionIndex = (version: string): number => PYTHON_VERSIONS.indexOf(version as PythonVersion);

/** Top-level standard-library module names of one Python version (3.8-3.13). */
export function pythonStdlibModules(version: PythonVersion): ReadonlySet<string> {
  const target = versionIndex(version);
  const names = new Set<string>();
  const candidates = new Set([...PYTHON_STDLIB_BASE, ...Object.keys(ADDED), ...Object.keys(REMOVED)]);
  for (const name of candidates) {
    const added = ADDED[name];
    const removed = REMOVED[name];
    if (added !== undefined && versionIndex(added) > target) continue;
    if (removed !== undefined && versionIndex(removed) <= target) continue;
    names.add(name);
  }
  return names;
}

/**
 * Every module that is standard in at least one supported version. Resolution uses this union: code guarded by
 * `sys.version_info` checks legitimately imports modules of other versions (tomllib vs tomli, distutils).
 */
export const PYTHON_STDLIB_ANY_VERSION: ReadonlySet<string> = new Set(
  PYTHON_VERSIONS.flatMap((version) => [...pythonStdlibModules(version)]),
);

export { PYTHON_STDLIB_BASE_VERSION };

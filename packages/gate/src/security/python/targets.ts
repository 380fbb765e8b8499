// Names the Python rules look for: collected node types, builtins, and the dangerous functions of each rule.
import { lastSegment } from './syntax.js';

const SCOPE_TYPES = ['function_definition', 'lambda', 'class_definition'];
const BINDING_TYPES = [
  'import_statement',
  'import_from_statement',
  'assignment',
  'augmented_assignment',
  'for_statement',
  'for_in_clause',
  'as_pattern_target',
  'named_expression',
  'global_statement',
];
export const ALWAYS_COLLECTED_TYPES = [...SCOPE_TYPES, 'block', ...BINDING_TYPES, 'call', 'exec_statement'];

/** Builtins that matter here; a bare use of one of these names that nothing in the file rebinds is the builtin. */
export const BUILTIN_NAMES = new Set([
  'eval',
  'exec',
  'compile',
  'getattr',
  '__import__',
  'vars',
  'int',
  'float',
  'len',
  'bool',
  'range',
]);
/** Builtins whose result carries no text an attacker chooses. */
export const SAFE_BUILTIN_CALLS = ['builtins.int', 'builtins.float', 'builtins.len', 'builtins.bool', 'builtins.range'];

export const EVAL_TARGETS = new Set(['builtins.eval', 'builtins.exec', 'builtins.compile']);

/** subprocess functions that run a shell only with `shell=True`. */
export const SHELL_OPTIONAL_TARGETS = new Set([
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.Popen',
]);

/** Functions that always hand their command to a shell. */
export const ALWAYS_SHELL_TARGETS = new Set([
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'os.system',
  'os.popen',
  'commands.getoutput',
  'commands.getstatusoutput',
  'asyncio.create_subprocess_shell',
]);

const UNPICKLE_TARGETS = new Set(
  ['pickle', 'cPickle', '_pickle', 'dill', 'cloudpickle'].flatMap((module) => [
    `${module}.load`,
    `${module}.loads`,
    `${module}.Unpickler`,
  ]),
);
export const ALWAYS_UNSAFE_DESERIALIZE_TARGETS = new Set([
  ...UNPICKLE_TARGETS,
  'marshal.load',
  'marshal.loads',
  'jsonpickle.decode',
  'yaml.unsafe_load',
  'yaml.unsafe_load_all',
  'yaml.full_load',
  'yaml.full_load_all',
]);
export const YAML_LOAD_TARGETS = new Set(['yaml.load', 'yaml.load_all']);
export const YAML_SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
export const YAML_UNSAFE_LOADERS = new Set([
  'Loader',
  'CLoader',
  'FullLoader',
  'CFullLoader',
  'UnsafeLoader',
  'CUnsafeLoader',
]);

export const UNVERIFIED_CONTEXT = 'ssl._create_unverified_context';
export const HTTP_SESSION_FACTORIES = new Set([
  'requests.Session',
  'requests.session',
  'requests.sessions.Session',
  'httpx.Client',
  'httpx.AsyncClient',
]);

/** Methods whose first argument is SQL text (DB-API cursors and connections, SQLAlchemy, Django, pandas). */
export const SQL_METHODS = new Set([
  'execute',
  'executemany',
  'executescript',
  'exec_driver_sql',
  'raw',
  'read_sql',
  'read_sql_query',
]);
export const SQL_FUNCTION_TARGETS = new Set(['pandas.read_sql', 'pandas.read_sql_query']);
export const SQL_ARGUMENT_KEYWORDS = ['sql', 'query', 'operation', 'statement'];

/** Every name a star import may provide that some rule cares about. */
export const KNOWN_TARGETS = new Set([
  ...EVAL_TARGETS,
  ...SHELL_OPTIONAL_TARGETS,
  ...ALWAYS_SHELL_TARGETS,
  ...ALWAYS_UNSAFE_DESERIALIZE_TARGETS,
  ...YAML_LOAD_TARGETS,
  ...SQL_FUNCTION_TARGETS,
  UNVERIFIED_CONTEXT,
]);

/** Method names worth resolving: `x.foo(...)` with any other name cannot be a finding, so it costs one lookup. */
export const INTERESTING_METHODS = new Set([...[...KNOWN_TARGETS].map(lastSegment), ...SQL_METHODS]);

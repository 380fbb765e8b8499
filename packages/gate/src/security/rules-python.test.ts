import { syntaxTree } from '@kode/lang';
import { describe, expect, it } from 'vitest';

import { scanPython } from './rules-python.js';
import type { SecurityFinding } from './types.js';

type RuleId = 'py/eval' | 'py/shell-exec' | 'py/sql-concat' | 'py/tls-disabled' | 'py/unsafe-deserialization';

function scan(text: string): SecurityFinding[] {
  const tree = syntaxTree({ language: 'python', path: 'case.py', text });
  if (tree === null || tree.kind !== 'tree-sitter') throw new Error('python did not parse');
  return scanPython(tree.root);
}

/** Every template filled with every variant: the labelled corpus, generated at test time. */
function expand<V>(templates: readonly ((variant: V) => string)[], variants: readonly V[]): string[] {
  return templates.flatMap((template) => variants.map((variant) => template(variant)));
}

/** Recall >= 95% on positives, zero findings of the rule on negatives; failures list the offending cases. */
function assertCorpus(ruleId: RuleId, positives: readonly string[], negatives: readonly string[]): void {
  expect(positives.length).toBeGreaterThanOrEqual(40);
  expect(negatives.length).toBeGreaterThanOrEqual(40);
  const missed = positives.filter((text) => !scan(text).some((finding) => finding.ruleId === ruleId));
  const recall = (positives.length - missed.length) / positives.length;
  expect(
    recall,
    `${ruleId} missed ${missed.length}/${positives.length}:\n${missed.join('\n---\n')}`,
  ).toBeGreaterThanOrEqual(0.95);
  const falsePositives = negatives.filter((text) => scan(text).some((finding) => finding.ruleId === ruleId));
  expect(falsePositives, `${ruleId} false positives:\n${falsePositives.join('\n---\n')}`).toEqual([]);
}

/** Indents a snippet into a function body so unrelated cases cannot see each other's names. */
function asFunction(text: string, index: number): string {
  const body = text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `def case_${index}():\n${body}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// py/eval

const EVAL_VARIANTS = ['source', 'user_expr', 'request_body'].map((name, index) => ({
  name,
  quote: index % 2 === 0 ? '"' : "'",
}));
type Variant = (typeof EVAL_VARIANTS)[number];

const EVAL_POSITIVES = expand<Variant>(
  [
    ({ name }) => `eval(${name})`,
    ({ name }) => `exec(${name})`,
    ({ name, quote }) => `code = compile(${name}, ${quote}<string>${quote}, ${quote}exec${quote})`,
    ({ quote }) => `result = eval(request.args[${quote}expr${quote}])`,
    ({ name }) => `value = eval(f"{${name}} + 1")`,
    ({ name, quote }) => `exec(${quote}print(${quote} + ${name} + ${quote})${quote})`,
    ({ name }) => `import builtins\nbuiltins.eval(${name})`,
    ({ name }) => `from builtins import exec as run_code\nrun_code(${name})`,
    ({ name, quote }) => `import builtins\ngetattr(builtins, ${quote}eval${quote})(${name})`,
    ({ name }) => `__builtins__.eval(${name})`,
    ({ name }) => `evaluate = eval\nevaluate(${name})`,
    ({ name, quote }) => `code = compile(source=${name}, filename=${quote}x${quote}, mode=${quote}eval${quote})`,
    ({ name }) => `def handler(${name}):\n    return eval(${name}, {}, {})`,
    ({ name, quote }) => `eval(${quote}{}${quote}.format(${name}))`,
    ({ name, quote }) => `exec(${quote}x = %s${quote} % ${name})`,
    () => `answer = eval(input())`,
    ({ quote }) => `exec(open(${quote}setup.py${quote}).read())`,
    ({ name, quote }) => `__import__(${quote}builtins${quote}).exec(${name})`,
  ],
  EVAL_VARIANTS,
);

const EVAL_NEGATIVES = expand<Variant>(
  [
    ({ quote }) => `total = eval(${quote}1 + 2${quote})`,
    () => `exec('print("hi")')`,
    ({ quote }) => `code = compile(${quote}x = 1${quote}, ${quote}<string>${quote}, ${quote}exec${quote})`,
    () => `value = eval(f"1 + 2")`,
    ({ quote }) => `exec(${quote}a = 1${quote} + ${quote}; b = 2${quote})`,
    () => `model.eval()`,
    () => `self.model.eval()`,
    ({ name }) => `cursor.execute(${name})`,
    ({ name }) => `import re\npattern = re.compile(${name})`,
    () => `import re\nDIGITS = re.compile(r"\\d+")`,
    ({ name }) => `import ast\nvalue = ast.literal_eval(${name})`,
    ({ name }) => `def eval(text):\n    return text\n\neval(${name})`,
    ({ name }) => `from mylib import compile\ncompile(${name})`,
    ({ name }) => `# eval(${name}) would be dangerous here`,
    ({ name, quote }) => `message = ${quote}never call eval(${name})${quote}`,
    ({ name }) => `conn.exec(${name})`,
    ({ quote }) => `EXPR = ${quote}2 * 3${quote}\nvalue = eval(EXPR)`,
    () => `model = torch.compile(model)`,
    ({ name }) => `class Model:\n    def eval(self, ${name}):\n        return ${name}\n\nModel().eval(${name})`,
    () => `with torch.no_grad():\n    net.eval()`,
    ({ name }) => `def run(compile, ${name}):\n    return compile(${name})`,
  ],
  EVAL_VARIANTS,
);

// ---------------------------------------------------------------------------------------------------------------
// py/shell-exec

const SHELL_VARIANTS = ['cmd', 'user_command', 'args.target'].map((name, index) => ({
  name,
  quote: index % 2 === 0 ? '"' : "'",
}));

const SHELL_POSITIVES = expand<Variant>(
  [
    ({ name }) => `import subprocess\nsubprocess.run(${name}, shell=True)`,
    ({ name }) => `import subprocess\nsubprocess.call(${name}, shell=True)`,
    ({ name }) => `import subprocess\nsubprocess.check_call(${name}, shell=True)`,
    ({ name }) => `import subprocess\nout = subprocess.check_output(${name}, shell=True, text=True)`,
    ({ name }) => `import subprocess\nproc = subprocess.Popen(${name}, shell=True, stdout=subprocess.PIPE)`,
    ({ name }) => `import subprocess\nsubprocess.run(shell=True, args=${name})`,
    ({ name }) => `import subprocess\nsubprocess.run(f"ls {${name}}", shell=True, check=True)`,
    ({ name, quote }) => `import subprocess\nsubprocess.run(${quote}ls ${quote} + ${name}, shell=True)`,
    ({ name }) => `import subprocess\noutput = subprocess.getoutput(${name})`,
    ({ name, quote }) => `import subprocess\nsubprocess.getstatusoutput(${quote}grep ${quote} + ${name})`,
    ({ name }) => `import os\nos.system(${name})`,
    ({ name, quote }) => `import os\nos.system(${quote}rm -rf ${quote} + ${name})`,
    ({ name }) => `import os\ntext = os.popen(f"cat {${name}}").read()`,
    ({ name }) => `from subprocess import run\nrun(${name}, shell=True)`,
    ({ name }) => `from subprocess import Popen as P\nP(${name}, shell=True)`,
    ({ name }) => `import subprocess as sp\nsp.call(${name}, shell=True)`,
    ({ name }) => `from os import system\nsystem(${name})`,
    ({ name, quote }) => `__import__(${quote}os${quote}).system(${name})`,
    ({ name, quote }) => `import os\ngetattr(os, ${quote}system${quote})(${name})`,
    ({ name, quote }) => `getattr(__import__(${quote}os${quote}), ${quote}system${quote})(${name})`,
    ({ name }) => `import os as o\no.popen(${name})`,
    ({ name }) => `import subprocess\nsubprocess.run([${name}], shell=True)`,
    ({ name, quote }) =>
      `import importlib\nimportlib.import_module(${quote}subprocess${quote}).check_output(${name}, shell=True)`,
    ({ name }) => `import os\nrun_shell = os.system\nrun_shell(${name})`,
  ],
  SHELL_VARIANTS,
);

const SHELL_NEGATIVES = expand<Variant>(
  [
    ({ name, quote }) => `import subprocess\nsubprocess.run([${quote}ls${quote}, ${name}])`,
    ({ name }) => `import subprocess\nsubprocess.run(${name}, shell=False)`,
    () => `import subprocess\nsubprocess.run("ls -la", shell=True)`,
    ({ quote }) =>
      `import subprocess\nsubprocess.check_output([${quote}git${quote}, ${quote}status${quote}], text=True)`,
    ({ quote }) => `import os\nos.system(${quote}clear${quote})`,
    () => `import os\nuptime = os.popen("uptime").read()`,
    ({ name, quote }) => `import subprocess\nsubprocess.call([${quote}ls${quote}, ${name}], shell=True)`,
    ({ quote }) => `import os\nCMD = ${quote}make build${quote}\nos.system(CMD)`,
    ({ name }) => `import subprocess\nsubprocess.run(${name})`,
    ({ name }) => `import subprocess\nsubprocess.Popen(${name}, stdout=subprocess.PIPE)`,
    ({ name }) => `import os\npath = os.path.join(base, ${name})`,
    ({ name }) => `celery_app.send_task(${name})`,
    () => `import subprocess\nnow = subprocess.getoutput("date")`,
    () => `import os\nos.system(f"echo done")`,
    ({ quote }) => `import os\nos.system(${quote}ls ${quote} + ${quote}-la${quote})`,
    ({ name }) => `# os.system(${name}) is what we avoid`,
    ({ name, quote }) => `print(${quote}use os.system(${name}) carefully${quote})`,
    ({ name }) => `import shlex\nparts = shlex.split(${name})`,
    ({ name }) => `import shlex, subprocess\nsubprocess.run(shlex.split(${name}), check=True)`,
    ({ quote }) => `import os\nhome = os.getenv(${quote}HOME${quote})`,
    ({ name }) => `from mytools import system\nsystem(${name})`,
    ({ name }) => `import subprocess\nsubprocess.run(f"kill -9 {int(${name})}", shell=True)`,
  ],
  SHELL_VARIANTS,
);

// ---------------------------------------------------------------------------------------------------------------
// py/sql-concat

const SQL_VARIANTS = [
  { receiver: 'cur', name: 'user_id' },
  { receiver: 'self.cursor', name: 'name' },
  { receiver: 'conn', name: 'request.args["q"]' },
];
type SqlVariant = (typeof SQL_VARIANTS)[number];

const SQL_POSITIVES = expand<SqlVariant>(
  [
    ({ receiver, name }) => `${receiver}.execute(f"SELECT * FROM users WHERE id = {${name}}")`,
    ({ receiver, name }) => `${receiver}.execute("SELECT * FROM users WHERE name = '%s'" % ${name})`,
    ({ receiver, name }) => `${receiver}.execute("SELECT * FROM users WHERE name = '" + ${name} + "'")`,
    ({ receiver, name }) => `${receiver}.execute('DELETE FROM items WHERE id = {}'.format(${name}))`,
    ({ receiver, name }) => `${receiver}.executemany(f"INSERT INTO logs VALUES ({${name}}, ?)", rows)`,
    ({ receiver, name }) => `sql = f"UPDATE accounts SET balance = {${name}} WHERE id = 1"\n${receiver}.execute(sql)`,
    ({ receiver, name }) => `query = "select * from t where a = " + str(${name})\n${receiver}.execute(query)`,
    ({ receiver, name }) => `${receiver}.executescript("DROP TABLE " + ${name})`,
    ({ name }) =>
      `from sqlalchemy import text\nsession.execute(text(f"SELECT * FROM users WHERE email = '{${name}}'"))`,
    ({ name }) =>
      `import sqlalchemy as sa\nstmt = sa.text("SELECT * FROM t WHERE id = %s" % ${name})\nconn.execute(stmt)`,
    ({ name }) => `import pandas as pd\ndf = pd.read_sql(f"SELECT * FROM sales WHERE region = '{${name}}'", con)`,
    ({ receiver, name }) =>
      `sql = "SELECT * FROM users WHERE 1=1"\nif ${name}:\n    sql += " AND name = '" + ${name} + "'"\n${receiver}.execute(sql)`,
    ({ name }) => `import pandas as pd\ndf = pd.read_sql(sql="SELECT * FROM t WHERE a = '%s'" % ${name}, con=engine)`,
    ({ receiver, name }) =>
      `${receiver}.execute("""\n    SELECT *\n    FROM orders\n    WHERE customer = '%s'\n""" % ${name})`,
    ({ receiver, name }) =>
      `${receiver}.execute(f"""\n    SELECT id, total\n    FROM orders\n    WHERE customer = '{${name}}'\n""")`,
    ({ receiver, name }) =>
      `query = "SELECT name FROM users WHERE id = {id}".format(id=${name})\n${receiver}.execute(query)`,
    ({ name }) => `users = User.objects.raw(f"SELECT * FROM app_user WHERE name = '{${name}}'")`,
    ({ receiver, name }) => `template = "SELECT * FROM t WHERE a = %s"\n${receiver}.execute(template % ${name})`,
    ({ receiver, name }) => `${receiver}.execute(f'''INSERT INTO t (a) VALUES ('{${name}}')''')`,
    ({ receiver, name }) =>
      `def load(table):\n    ${receiver}.execute("SELECT * FROM " + table + " WHERE id = ?", (${name},))`,
    ({ receiver, name }) =>
      `def find(${receiver.replace('.', '_')}):\n    where = f"WHERE owner = '{${name}}'"\n    ${receiver}.execute("SELECT * FROM files " + where)`,
  ],
  SQL_VARIANTS,
);

const SQL_NEGATIVES = expand<SqlVariant>(
  [
    ({ receiver, name }) => `${receiver}.execute("SELECT * FROM users WHERE id = %s", (${name},))`,
    ({ receiver, name }) => `${receiver}.execute("SELECT * FROM users WHERE id = ?", [${name}])`,
    ({ receiver, name }) => `${receiver}.execute("SELECT * FROM users WHERE id = %(id)s", {"id": ${name}})`,
    ({ receiver, name }) => `${receiver}.execute("SELECT * FROM users WHERE id = :id", {"id": ${name}})`,
    ({ receiver }) => `${receiver}.execute("SELECT COUNT(*) FROM users")`,
    ({ receiver, name }) => `${receiver}.execute(f"SELECT * FROM users WHERE id = ?", (${name},))`,
    ({ name }) => `logger.info(f"selected {${name}} rows from cache")`,
    ({ receiver, name }) => `${receiver}.execute("SELECT * FROM users " + "WHERE id = ?", (${name},))`,
    ({ receiver, name }) =>
      `placeholders = ",".join("?" * len(ids))\n${receiver}.execute(f"SELECT * FROM t WHERE id IN ({placeholders})", ids + [${name}])`,
    ({ receiver }) => `${receiver}.execute("SELECT * FROM t WHERE id IN (%s)" % ",".join(["%s"] * len(ids)), ids)`,
    ({ receiver, name }) => `TABLE = "users"\n${receiver}.execute(f"SELECT * FROM {TABLE} WHERE id = ?", (${name},))`,
    ({ name }) => `executor.execute(f"process {${name}} now")`,
    ({ receiver, name }) => `${receiver}.execute(${name})`,
    ({ receiver }) => `${receiver}.execute(query, params)`,
    ({ name }) =>
      `from sqlalchemy import text\nsession.execute(text("SELECT * FROM users WHERE id = :id"), {"id": ${name}})`,
    ({ name }) => `import pandas as pd\npd.read_sql("SELECT * FROM s WHERE r = %(r)s", con, params={"r": ${name}})`,
    ({ receiver, name }) => `sql = "SELECT * FROM users WHERE id = %s"\n${receiver}.execute(sql, (${name},))`,
    ({ name }) => `message = f"DELETE FROM cache WHERE key = {${name}}"\nprint(message)`,
    ({ receiver, name }) => `${receiver}.execute(f"SELECT * FROM t LIMIT {int(${name})}")`,
    ({ receiver, name }) => `# ${receiver}.execute(f"SELECT * FROM t WHERE a = {${name}}")`,
    ({ name }) => `thread_pool.execute(lambda: handle(${name}))`,
  ],
  SQL_VARIANTS,
);

// ---------------------------------------------------------------------------------------------------------------
// py/tls-disabled

const TLS_VARIANTS = ['url', '"https://internal.example/api"', "f'https://{host}/health'"].map((name, index) => ({
  name,
  quote: index % 2 === 0 ? '"' : "'",
}));

const TLS_POSITIVES = expand<Variant>(
  [
    ({ name }) => `import requests\nresponse = requests.get(${name}, verify=False)`,
    ({ name }) => `import requests\nrequests.post(${name}, data=payload, verify=False)`,
    ({ name, quote }) => `import requests\nrequests.request(${quote}GET${quote}, ${name}, verify=False, timeout=5)`,
    ({ name }) => `session.get(${name}, verify=False)`,
    ({ name }) => `import httpx\nhttpx.get(${name}, verify=False)`,
    () => `import httpx\nclient = httpx.Client(verify=False)`,
    ({ name }) => `import httpx\nclient = httpx.AsyncClient(base_url=${name}, verify=False)`,
    () => `import ssl\nctx = ssl._create_unverified_context()`,
    () => `import ssl\nssl._create_default_https_context = ssl._create_unverified_context`,
    ({ name }) =>
      `import ssl, urllib.request\nurllib.request.urlopen(${name}, context=ssl._create_unverified_context())`,
    () => `from ssl import _create_unverified_context\nctx = _create_unverified_context()`,
    ({ name }) => `from ssl import _create_unverified_context as insecure\nurlopen(${name}, context=insecure())`,
    () => `import requests\ns = requests.Session()\ns.verify = False`,
    () => `self.session.verify = False`,
    () => `import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE`,
    ({ quote }) => `import urllib3\nhttp = urllib3.PoolManager(cert_reqs=${quote}CERT_NONE${quote})`,
    () => `import aiohttp\nconnector = aiohttp.TCPConnector(verify_ssl=False)`,
    ({ name }) => `import requests\nrequests.get(\n    ${name},\n    timeout=10,\n    verify=False,\n)`,
    ({ quote }) => `import ssl\nctx = getattr(ssl, ${quote}_create_unverified_context${quote})()`,
  ],
  TLS_VARIANTS,
);

const TLS_NEGATIVES = expand<Variant>(
  [
    ({ name }) => `import requests\nrequests.get(${name}, verify=True)`,
    ({ name }) => `import requests\nrequests.get(${name}, verify=ca_path)`,
    ({ name, quote }) => `import requests\nrequests.get(${name}, verify=${quote}/etc/ssl/certs/ca.pem${quote})`,
    ({ name }) => `import requests\nrequests.get(${name}, timeout=5)`,
    () => `import ssl\nctx = ssl.create_default_context()`,
    ({ quote }) => `import ssl\nctx = ssl.create_default_context(cafile=${quote}ca.pem${quote})`,
    () => `import httpx\nclient = httpx.Client(verify=ssl_context)`,
    () => `validate(form, verify_email=False)`,
    ({ name }) => `# requests.get(${name}, verify=False)`,
    ({ quote }) => `doc = ${quote}pass verify=False only in tests${quote}`,
    ({ name }) => `def fetch(url=${name}, verify=True):\n    return url`,
    () => `import ssl\nctx.verify_mode = ssl.CERT_REQUIRED`,
    () => `ctx.check_hostname = True`,
    () => `class Form:\n    def __init__(self):\n        self.verify = False`,
    ({ name, quote }) =>
      `import os, requests\nrequests.get(${name}, verify=os.environ.get(${quote}CA_BUNDLE${quote}, True))`,
    ({ quote }) => `import urllib3\nhttp = urllib3.PoolManager(cert_reqs=${quote}CERT_REQUIRED${quote})`,
    ({ quote }) => `parser.add_argument(${quote}--no-verify${quote}, action=${quote}store_true${quote})`,
    () => `import ssl\nssl.create_default_context().load_verify_locations(cafile)`,
  ],
  TLS_VARIANTS,
);

// ---------------------------------------------------------------------------------------------------------------
// py/unsafe-deserialization

const DESERIALIZE_VARIANTS = ['payload', 'request.data', 'fh'].map((name, index) => ({
  name,
  quote: index % 2 === 0 ? '"' : "'",
}));

const DESERIALIZE_POSITIVES = expand<Variant>(
  [
    ({ name }) => `import pickle\nobj = pickle.loads(${name})`,
    ({ name }) => `import pickle\nobj = pickle.load(${name})`,
    ({ name }) => `import pickle as pk\nobj = pk.loads(${name})`,
    ({ name }) => `from pickle import loads\nobj = loads(${name})`,
    ({ name }) => `from pickle import load as unpickle\nobj = unpickle(${name})`,
    ({ name }) => `import cPickle\nobj = cPickle.loads(${name})`,
    ({ name }) => `import dill\nobj = dill.loads(${name})`,
    ({ name }) => `import dill\nobj = dill.load(${name})`,
    ({ name }) => `import marshal\ncode = marshal.loads(${name})`,
    ({ name }) => `import marshal\ncode = marshal.load(${name})`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name})`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name}, Loader=yaml.Loader)`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name}, Loader=yaml.FullLoader)`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name}, Loader=yaml.UnsafeLoader)`,
    ({ name }) => `import yaml\nconfig = yaml.unsafe_load(${name})`,
    ({ name }) => `from yaml import load, Loader\nconfig = load(${name}, Loader=Loader)`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name}, yaml.Loader)`,
    ({ quote }) => `import pickle\nwith open(path, ${quote}rb${quote}) as fh:\n    model = pickle.load(fh)`,
    ({ name, quote }) => `obj = __import__(${quote}pickle${quote}).loads(${name})`,
    ({ name }) => `import yaml\ndocs = list(yaml.load_all(${name}))`,
    ({ name }) => `import pickle\nobj = pickle.Unpickler(${name}).load()`,
    ({ name }) =>
      `try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\nobj = pickle.loads(${name})`,
  ],
  DESERIALIZE_VARIANTS,
);

const DESERIALIZE_NEGATIVES = expand<Variant>(
  [
    ({ name }) => `import yaml\nconfig = yaml.safe_load(${name})`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name}, Loader=yaml.SafeLoader)`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name}, Loader=yaml.CSafeLoader)`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name}, Loader=yaml.BaseLoader)`,
    ({ name }) => `import json\ndata = json.loads(${name})`,
    ({ name }) => `import pickle\nblob = pickle.dumps(${name})`,
    ({ name }) => `import pickle\npickle.dump(${name}, out)`,
    ({ name }) => `import yaml\nfrom yaml import SafeLoader\nconfig = yaml.load(${name}, Loader=SafeLoader)`,
    ({ name }) => `import yaml\nconfig = yaml.load(${name}, yaml.SafeLoader)`,
    ({ name }) => `import yaml\ndocs = yaml.safe_load_all(${name})`,
    ({ name }) => `import marshal\nblob = marshal.dumps(${name})`,
    ({ name, quote }) =>
      `from ruamel.yaml import YAML\nyaml = YAML(typ=${quote}safe${quote})\nconfig = yaml.load(${name})`,
    ({ name }) => `# pickle.loads(${name}) is unsafe`,
    ({ name, quote }) => `doc = ${quote}never call pickle.loads(${name})${quote}`,
    () => `import pickle\nvalue = pickle.loads(b"\\x80\\x04K\\x01.")`,
    ({ name }) =>
      `import yaml\n\nclass ConfigLoader(yaml.SafeLoader):\n    pass\n\nconfig = yaml.load(${name}, Loader=ConfigLoader)`,
    ({ name }) => `import orjson\ndata = orjson.loads(${name})`,
    ({ name }) => `import yaml\ntext = yaml.dump(${name})`,
    ({ name }) =>
      `import yaml\ntry:\n    from yaml import CSafeLoader as Loader\nexcept ImportError:\n    from yaml import SafeLoader as Loader\nconfig = yaml.load(${name}, Loader=Loader)`,
    ({ name }) => `import shelve\ndb = shelve.open(${name})`,
  ],
  DESERIALIZE_VARIANTS,
);

const ALL_NEGATIVES = [
  ...EVAL_NEGATIVES,
  ...SHELL_NEGATIVES,
  ...SQL_NEGATIVES,
  ...TLS_NEGATIVES,
  ...DESERIALIZE_NEGATIVES,
];

describe('scanPython labelled corpus', () => {
  it('py/eval: recall >= 95%, no false positive', () => {
    assertCorpus('py/eval', EVAL_POSITIVES, EVAL_NEGATIVES);
  });

  it('py/shell-exec: recall >= 95%, no false positive', () => {
    assertCorpus('py/shell-exec', SHELL_POSITIVES, SHELL_NEGATIVES);
  });

  it('py/sql-concat: recall >= 95%, no false positive', () => {
    assertCorpus('py/sql-concat', SQL_POSITIVES, SQL_NEGATIVES);
  });

  it('py/tls-disabled: recall >= 95%, no false positive', () => {
    assertCorpus('py/tls-disabled', TLS_POSITIVES, TLS_NEGATIVES);
  });

  it('py/unsafe-deserialization: recall >= 95%, no false positive', () => {
    assertCorpus('py/unsafe-deserialization', DESERIALIZE_POSITIVES, DESERIALIZE_NEGATIVES);
  });

  it('finds nothing at all in a file made of every negative', () => {
    const file = ALL_NEGATIVES.map(asFunction).join('\n');
    expect(scan(file)).toEqual([]);
    // The same cases at module level, each on its own, find nothing either.
    const noisy = ALL_NEGATIVES.filter((text) => scan(text).length > 0);
    expect(noisy, `findings in negatives:\n${noisy.join('\n---\n')}`).toEqual([]);
  });

  it('finds every positive again when the cases are wrapped in functions', () => {
    const families: [RuleId, string[]][] = [
      ['py/eval', EVAL_POSITIVES],
      ['py/shell-exec', SHELL_POSITIVES],
      ['py/sql-concat', SQL_POSITIVES],
      ['py/tls-disabled', TLS_POSITIVES],
      ['py/unsafe-deserialization', DESERIALIZE_POSITIVES],
    ];
    for (const [ruleId, positives] of families) {
      const missed = positives.filter((text, index) => !scan(asFunction(text, index)).some((f) => f.ruleId === ruleId));
      expect(
        missed.length / positives.length,
        `${ruleId} missed in functions:\n${missed.join('\n---\n')}`,
      ).toBeLessThanOrEqual(0.05);
    }
  });
});

describe('scanPython details', () => {
  it('reports 1-based line and column at the start of the call, with the catalogue severity', () => {
    const findings = scan('import os\n\ndef run(cmd):\n    os.system(cmd)\n');
    expect(findings).toEqual([{ ruleId: 'py/shell-exec', severity: 'high', line: 4, column: 5 }]);
  });

  it('reports every occurrence', () => {
    const text = 'import pickle\na = pickle.loads(x)\nb = pickle.loads(y)\neval(z); eval(w)\n';
    expect(scan(text).map((finding) => `${finding.ruleId}@${finding.line}:${finding.column}`)).toEqual([
      'py/unsafe-deserialization@2:5',
      'py/unsafe-deserialization@3:5',
      'py/eval@4:1',
      'py/eval@4:10',
    ]);
  });

  it('reports verify=False at the keyword argument', () => {
    expect(scan('requests.get(\n    url,\n    verify=False,\n)\n')).toEqual([
      { ruleId: 'py/tls-disabled', severity: 'high', line: 3, column: 5 },
    ]);
  });

  it('catches the shell evasions', () => {
    const evasions = [
      '__import__("os").system(cmd)',
      'import os\ngetattr(os, "system")(cmd)',
      'getattr(__import__("os"), "system")(cmd)',
      'getattr(__import__("o" + "s"), "sys" + "tem")(cmd)',
      'import sys\nsys.modules["os"].system(cmd)',
      'import os\nos.__dict__["system"](cmd)',
      'import os\nvars(os)["popen"](cmd)',
      'import posix\nposix.system(cmd)',
      'from os import *\nsystem(cmd)',
      'name = "system"\nimport os\ngetattr(os, name)(cmd)',
      'sp = __import__("subprocess")\nsp.run(cmd, shell=True)',
      'import asyncio\nasync def go(cmd):\n    await asyncio.create_subprocess_shell(cmd)',
    ];
    const missed = evasions.filter((text) => !scan(text).some((finding) => finding.ruleId === 'py/shell-exec'));
    expect(missed).toEqual([]);
  });

  it('catches the eval evasions and the Python 2 exec statement', () => {
    const evasions = [
      '__builtins__["eval"](code)',
      'import builtins as b\nb.exec(code)',
      'run = getattr(__import__("builtins"), "exec")\nrun(code)',
      'exec code',
    ];
    const missed = evasions.filter((text) => !scan(text).some((finding) => finding.ruleId === 'py/eval'));
    expect(missed).toEqual([]);
  });

  it('follows variables: constants stay quiet, values built from input are flagged', () => {
    expect(scan('import os\nCLEAR = "clear"\ndef wipe():\n    os.system(CLEAR)\n')).toEqual([]);
    expect(
      scan('import os\ndef wipe(target):\n    command = "rm -rf " + target\n    os.system(command)\n'),
    ).toHaveLength(1);
    // A parameter named like a module shadows it.
    expect(scan('def run(os, cmd):\n    os.system(cmd)\n')).toEqual([]);
    // Reassigned to a literal in the same block before the call: the later value wins.
    expect(scan('import os\ncmd = input()\ncmd = "ls"\nos.system(cmd)\n')).toEqual([]);
    // Assigned in a branch: either value may reach the call.
    expect(scan('import os\ncmd = "ls"\nif flag:\n    cmd = input()\nos.system(cmd)\n')).toHaveLength(1);
  });

  it('judges SQL built in a variable in the same function, and its placeholder idioms', () => {
    const built = [
      'def q(cur, name):',
      '    sql = "SELECT * FROM users WHERE name = \'%s\'"',
      '    sql = sql % name',
      '    cur.execute(sql)',
    ].join('\n');
    expect(scan(built).map((finding) => finding.line)).toEqual([4]);
    const safe = [
      'def q(cur, ids):',
      '    marks = ", ".join(["%s"] * len(ids))',
      '    sql = f"SELECT * FROM users WHERE id IN ({marks})"',
      '    cur.execute(sql, ids)',
    ].join('\n');
    expect(scan(safe)).toEqual([]);
    const loopOverLiterals = [
      'for statement in ("FAIL", "ABORT"):',
      '    cur.execute("INSERT OR {} INTO t VALUES (?)".format(statement), (statement,))',
    ].join('\n');
    expect(scan(loopOverLiterals)).toEqual([]);
    const loopOverInput = [
      'def q(cur, names):',
      '    sql = "SELECT * FROM t WHERE 1=1"',
      '    for name in names:',
      '        sql += f" OR name = \'{name}\'"',
      '    cur.execute(sql)',
    ].join('\n');
    expect(scan(loopOverInput).map((finding) => finding.line)).toEqual([5]);
  });

  it('tells yaml loaders apart through aliases and local subclasses', () => {
    expect(scan('import yaml\nfrom yaml import CLoader as L\nyaml.load(f, Loader=L)\n')).toHaveLength(1);
    expect(scan('import yaml\nclass L(yaml.Loader):\n    pass\nyaml.load(f, Loader=L)\n')).toHaveLength(1);
    expect(scan('import yaml\nyaml.load(f, Loader=custom_loader)\n')).toEqual([]);
    expect(scan('import yaml\nyaml.load(f, **options)\n')).toEqual([]);
  });
});

// Behaviour only: the timings of these inputs are measured by bench/security.bench.ts.
describe('scanPython on pathological inputs', () => {
  it('scans a 1 MB single-line file without findings', () => {
    const numbers: string[] = [];
    let length = 0;
    for (let index = 0; length < 1_000_000; index += 1) {
      const item = String(index * 7919);
      numbers.push(item);
      length += item.length + 2;
    }
    expect(scan(`x = [${numbers.join(', ')}]\n`)).toEqual([]);
  });

  it('finds the sink fed by a 100k-character literal and not the literal-only one', () => {
    const literal = 'SELECT * FROM t WHERE a = '.repeat(4000).slice(0, 100_000);
    const findings = scan(`import os\ncur.execute("${literal}" + name)\nos.system("${literal}")\n`);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['py/sql-concat']);
  });

  it('scans deeply nested and long concatenations without blowing the stack', () => {
    // Past its depth limit the analysis cannot decide and says nothing; what matters is that it returns.
    expect(() => scan(`eval(${'('.repeat(500)}x${')'.repeat(500)})\n`)).not.toThrow();
    const chain = `import os\nos.system(${Array.from({ length: 5000 }, () => '"a"').join(' + ')})\n`;
    expect(scan(chain)).toEqual([]);
  });

  it('does not take a decorator argument named verify for TLS (numpy array_function_dispatch)', () => {
    const text = '@array_function_dispatch(_dispatcher, verify=False)\ndef f(x):\n    return x\n';
    expect(scan(text)).toEqual([]);
    expect(scan('import requests\nrequests.get(url, verify=False)\n').map((finding) => finding.ruleId)).toEqual([
      'py/tls-disabled',
    ]);
    // A stand-in SSLContext setting its own default (urllib3) is not a TLS bypass.
    const standIn =
      'import ssl\nclass SSLContext:\n    def __init__(self):\n        self.verify_mode = ssl.CERT_NONE\n';
    expect(scan(standIn)).toEqual([]);
  });
});

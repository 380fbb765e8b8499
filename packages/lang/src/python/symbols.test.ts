import { describe, expect, it } from 'vitest';
import { extractSymbols } from '../symbols/extract.js';
import type { FileSymbols, SymbolDeclaration } from '../symbols/types.js';

const extract = (lines: readonly string[], path = 'app/billing.py'): FileSymbols =>
  extractSymbols({ language: 'python', path, text: `${lines.join('\n')}\n` });

const declaration = (symbols: FileSymbols, name: string): SymbolDeclaration | undefined =>
  symbols.declarations.find((candidate) => candidate.name === name);

describe('Python symbols: declarations and call shapes', () => {
  it('reads every parameter kind of a function: positional-only, defaults, *args, keyword-only, **kwargs', () => {
    const symbols = extract([
      'async def charge(customer, amount, currency="EUR", /, retries=3, *items, note=None, strict, **extra) -> int:',
      '    return amount',
    ]);
    expect(declaration(symbols, 'charge')).toEqual({
      name: 'charge',
      kind: 'function',
      line: 1,
      endLine: 2,
      signature:
        'async def charge(customer, amount, currency="EUR", /, retries=3, *items, note=None, strict, **extra) -> int:',
      fingerprint: 'async def(customer, amount, currency="EUR", /, retries=3, *items, note=None, strict, **extra)',
      callable: [
        {
          required: 2,
          optional: 2,
          rest: true,
          keywords: ['retries', 'note', 'strict'],
          requiredKeywords: ['strict'],
          anyKeyword: true,
          positionalOnly: 3,
        },
      ],
    });
  });

  it('keeps annotations out of the fingerprint and the shape, and a bare * makes the rest keyword-only', () => {
    const symbols = extract([
      'def refund(invoice: "Invoice", *, reason: str = "duplicate", notify: bool) -> None:',
      '    """Refund an invoice."""',
    ]);
    expect(declaration(symbols, 'refund')?.fingerprint).toBe('def(invoice, *, reason="duplicate", notify)');
    expect(declaration(symbols, 'refund')?.callable).toEqual([
      {
        required: 1,
        optional: 0,
        rest: false,
        keywords: ['invoice', 'reason', 'notify'],
        requiredKeywords: ['notify'],
        anyKeyword: false,
        positionalOnly: 0,
      },
    ]);
  });

  it('gives classes their __init__ minus self, or no arguments when they have neither __init__ nor bases', () => {
    const symbols = extract([
      'class Client(BaseClient):',
      '    def __init__(self, api_key, *, timeout=30):',
      '        self.api_key = api_key',
      '    def fetch(self, path): ...',
      '    def _sign(self): ...',
      '',
      'class Registry:',
      '    items = []',
      '',
      'class Ledger(object):',
      '    pass',
    ]);
    expect(declaration(symbols, 'Client')).toMatchObject({
      kind: 'class',
      signature: 'class Client(BaseClient):',
      fingerprint: 'class(def(self, api_key, *, timeout=30); fetch)',
      callable: [{ required: 1, optional: 0, rest: false, keywords: ['api_key', 'timeout'] }],
    });
    expect(declaration(symbols, 'Registry')?.callable).toEqual([
      { required: 0, optional: 0, rest: false, keywords: [], anyKeyword: false },
    ]);
    expect(declaration(symbols, 'Ledger')?.callable).toHaveLength(1);
  });

  it('gives no shape where the definition does not decide how calls look', () => {
    const symbols = extract([
      'import functools',
      '@functools.lru_cache',
      'def rates(currency): ...',
      '@dataclass',
      'class Invoice:',
      '    total: int',
      'class Status(Enum):',
      '    def __init__(self, code, label): ...',
      'class Settings(BaseModel):',
      '    def __init__(self, **data): ...',
      'class Singleton(metaclass=Meta):',
      '    pass',
      'class Child(Parent):',
      '    pass',
      'class Shaped:',
      '    def __new__(cls, value): ...',
      'class Patched:',
      '    __init__ = make_init()',
      'from typing import overload',
      '@overload',
      'def parse(value: int) -> int: ...',
      '@overload',
      'def parse(value: str) -> str: ...',
      'def parse(value): return value',
    ]);
    for (const name of ['rates', 'Invoice', 'Status', 'Settings', 'Singleton', 'Child', 'Shaped', 'Patched', 'parse']) {
      expect(declaration(symbols, name)?.callable, name).toBeUndefined();
    }
  });

  it('treats subclasses of a same-file special class as special', () => {
    const symbols = extract([
      'class Base(enum.Enum):',
      '    pass',
      'class Color(Base):',
      '    def __init__(self, red, green): ...',
      'class Plain:',
      '    pass',
      'class Child(Plain):',
      '    def __init__(self, value): ...',
    ]);
    expect(declaration(symbols, 'Color')?.callable).toBeUndefined();
    expect(declaration(symbols, 'Child')?.callable).toHaveLength(1);
  });

  it('merges conditional definitions: distinct shapes are alternatives, any uncallable binding drops the shape', () => {
    const symbols = extract([
      'import sys',
      'if sys.version_info >= (3, 11):',
      '    def load(path, *, strict=True): ...',
      'else:',
      '    def load(path): ...',
      'try:',
      '    from ._speedups import render',
      'except ImportError:',
      '    def render(template): ...',
      'def reset(): ...',
      'reset = None',
      'def configure(value): ...',
      'def setup():',
      '    global configure',
      '    configure = None',
    ]);
    expect(declaration(symbols, 'load')?.callable).toHaveLength(2);
    expect(declaration(symbols, 'load')?.line).toBe(3);
    expect(declaration(symbols, 'render')?.callable).toBeUndefined();
    expect(declaration(symbols, 'reset')?.callable).toBeUndefined();
    expect(declaration(symbols, 'configure')?.callable).toBeUndefined();
  });

  it('records module-level assignments, loop and with targets, type aliases and names functions declare global', () => {
    const symbols = extract([
      'MAX_RETRIES = 3',
      'timeout: float = 2.5',
      'first, *rest = load()',
      'for _name in ("a", "b"):',
      '    pass',
      'with open("x") as handle:',
      '    pass',
      'type Money = int',
      'def init():',
      '    global _cache',
      '    _cache = {}',
      'def helper(local_value):',
      '    inner = 1',
    ]);
    const kinds = Object.fromEntries(symbols.declarations.map((entry) => [entry.name, entry.kind]));
    expect(kinds).toEqual({
      MAX_RETRIES: 'constant',
      timeout: 'variable',
      first: 'variable',
      rest: 'variable',
      _name: 'variable',
      handle: 'variable',
      Money: 'type',
      init: 'function',
      _cache: 'variable',
      helper: 'function',
    });
  });
});

describe('Python symbols: exports, imports and open modules', () => {
  it('exports public names, import bindings and everything in a literal __all__', () => {
    const symbols = extract([
      'import os.path',
      'from .models import Invoice as Invoice, _Row',
      'from typing import TYPE_CHECKING',
      'if TYPE_CHECKING:',
      '    from .client import Client',
      '__all__ = ["charge", "_private_helper"] + ["Missing"]',
      '__all__ += ("refund",)',
      'def charge(): ...',
      'def refund(): ...',
      'def _private_helper(): ...',
      'def _internal(): ...',
    ]);
    expect(symbols.exports.map((entry) => entry.name).sort()).toEqual(
      ['Invoice', 'Missing', 'TYPE_CHECKING', '_private_helper', 'charge', 'os', 'refund'].sort(),
    );
    expect(symbols.all).toEqual(['charge', '_private_helper', 'Missing', 'refund']);
    expect(symbols.openExports).toBe(false);
    expect(symbols.imports).toEqual([
      { local: 'os', imported: '*', specifier: 'os', kind: 'python-import', line: 1, column: 8 },
      { local: '', imported: '*', specifier: 'os.path', kind: 'python-import', line: 1, column: 8 },
      { local: 'Invoice', imported: 'Invoice', specifier: '.models', kind: 'python-from', line: 2, column: 21 },
      { local: '_Row', imported: '_Row', specifier: '.models', kind: 'python-from', line: 2, column: 41 },
      {
        local: 'TYPE_CHECKING',
        imported: 'TYPE_CHECKING',
        specifier: 'typing',
        kind: 'python-from',
        line: 3,
        column: 20,
      },
      {
        local: 'Client',
        imported: 'Client',
        specifier: '.client',
        kind: 'python-from',
        line: 5,
        column: 25,
        typeOnly: true,
      },
    ]);
  });

  it('maps aliases and relative imports, and treats a non-literal __all__ as partial', () => {
    const symbols = extract(
      [
        'import app.billing as billing',
        'from . import invoices',
        'from ..core import (Money,',
        '    Currency as Cur)',
        'from .util import *',
        '__all__ = ["billing"] + invoices.__all__',
      ],
      'app/api/__init__.py',
    );
    expect(symbols.imports.map(({ local, imported, specifier }) => [local, imported, specifier])).toEqual([
      ['billing', '*', 'app.billing'],
      ['invoices', 'invoices', '.'],
      ['Money', 'Money', '..core'],
      ['Cur', 'Currency', '..core'],
      ['', '*', '.util'],
    ]);
    expect(symbols.all).toBeUndefined();
    expect(symbols.exports.some((entry) => entry.name === 'billing')).toBe(true);
    expect(symbols.openExports).toBe(true);
    expect(symbols.reExports).toEqual([
      { specifier: '.util', kind: 'python-from', names: '*', line: 5 },
      { specifier: '.', kind: 'python-from', names: [{ imported: 'invoices', exported: 'invoices' }], line: 2 },
      {
        specifier: '..core',
        kind: 'python-from',
        names: [
          { imported: 'Money', exported: 'Money' },
          { imported: 'Currency', exported: 'Cur' },
        ],
        line: 3,
      },
    ]);
  });

  it.each([
    ['a module __getattr__', ['def __getattr__(name): ...']],
    ['a lazy loader assigning __getattr__', ['__getattr__, __dir__, __all__ = lazy.attach(__name__, ["a"])']],
    ['a star import', ['from .impl import *']],
    ['globals()', ['globals().update(make())']],
    ['sys.modules[__name__]', ['import sys', 'setattr(sys.modules[__name__], "x", 1)']],
    ['exec', ['exec("x = 1")']],
    ['a syntax error', ['def broken(:', '    pass']],
  ])('marks the export set open for %s', (_label, lines) => {
    expect(extract(lines).openExports).toBe(true);
  });
});

describe('Python symbols: references', () => {
  it('records calls with their arguments and member uses of imported modules', () => {
    const symbols = extract([
      'import app.models as models',
      'from app.billing import charge',
      'def local(): ...',
      'def run(order):',
      '    charge(order.customer, order.total, currency="EUR")',
      '    models.save(order, *order.items)',
      '    models.Invoice',
      '    local(x for x in order)',
      '    order.total()',
      '    print(order)',
    ]);
    expect(symbols.references).toEqual([
      {
        kind: 'call',
        name: 'charge',
        line: 5,
        column: 5,
        arguments: { count: 2, spread: false, keywords: ['currency'] },
      },
      {
        kind: 'call',
        name: 'models',
        member: 'save',
        line: 6,
        column: 5,
        arguments: { count: 1, spread: true, keywords: [] },
      },
      { kind: 'member', name: 'models', member: 'Invoice', line: 7, column: 5 },
      { kind: 'call', name: 'local', line: 8, column: 5, arguments: { count: 1, spread: false, keywords: [] } },
    ]);
  });

  it('leaves out names the file also binds in a function, lambda, comprehension or (in class bodies) a class', () => {
    const symbols = extract([
      'from app.billing import charge, refund, quote, render, total',
      'def a(charge): charge(1)',
      'handler = lambda refund: refund(1)',
      'values = [quote(v) for quote in ()]',
      'class View:',
      '    render = staticmethod(render)',
      '    render(1)',
      '    def method(self): return total(render(2))',
    ]);
    expect(symbols.references.map((entry) => entry.name)).toEqual(['total', 'render']);
  });

  it('reads chained calls as the innermost call of the name, with its own arguments', () => {
    const symbols = extract([
      'import app.client as client',
      'def factory(kind): ...',
      'factory("a")(1, 2, 3)',
      'client.connect(host="h").fetch(1, 2)',
      'client.pool.acquire(1)',
    ]);
    expect(symbols.references).toEqual([
      { kind: 'call', name: 'factory', line: 3, column: 1, arguments: { count: 1, spread: false, keywords: [] } },
      {
        kind: 'call',
        name: 'client',
        member: 'connect',
        line: 4,
        column: 1,
        arguments: { count: 0, spread: false, keywords: ['host'] },
      },
      { kind: 'member', name: 'client', member: 'pool', line: 5, column: 1 },
    ]);
  });

  it('binds a walrus in a module-level comprehension at module level, and nothing else it binds', () => {
    const symbols = extract(['values = [(last := v) for v in range(3)]', 'def last_value(): return last']);
    expect(declaration(symbols, 'last')?.kind).toBe('variable');
    expect(declaration(symbols, 'v')).toBeUndefined();
  });

  it('turns a call through a rebound module attribute into a plain member use', () => {
    const symbols = extract(['import app.billing as billing', 'billing.charge = fake', 'billing.charge(1)']);
    expect(symbols.references.filter((entry) => entry.kind === 'call')).toEqual([]);
  });

  it('records nothing uncertain from a file with syntax errors', () => {
    const symbols = extract(['from app.billing import charge', 'charge(1, 2', 'def x(:']);
    expect(symbols.references).toEqual([]);
    expect(symbols.openExports).toBe(true);
  });
});

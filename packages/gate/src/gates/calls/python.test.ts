import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../../types.js';
import { verify } from '../../verify.js';

// A small project the patches below are verified against (files on disk are the pre-image).
const PROJECT_FILES: Readonly<Record<string, string>> = {
  'pyproject.toml': '[project]\nname = "shop"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = []\n',
  'app/__init__.py': 'from .billing import charge\n\n__all__ = ["charge", "VERSION"]\n',
  'app/billing.py': [
    'from dataclasses import dataclass',
    'import functools',
    '',
    'DEFAULT_CURRENCY = "EUR"',
    '',
    '',
    'def charge(customer, amount, currency=DEFAULT_CURRENCY):',
    '    return Receipt(customer, amount)',
    '',
    '',
    'def refund(receipt, /, *reasons, notify=True, **metadata):',
    '    return receipt',
    '',
    '',
    'def quote(amount, *, currency, rounding="half-even"):',
    '    return amount',
    '',
    '',
    '@functools.cache',
    'def rates(currency):',
    '    return {}',
    '',
    '',
    '@dataclass',
    'class Invoice:',
    '    customer: str',
    '    total: int = 0',
    '',
    '',
    'class Receipt:',
    '    def __init__(self, customer, amount, *, paid=False):',
    '        self.customer = customer',
    '        self.amount = amount',
    '',
    '    def total(self, tax):',
    '        return self.amount + tax',
    '',
  ].join('\n'),
  'app/payments/__init__.py': '',
  'app/payments/stripe.py': 'def capture(payment_id, amount):\n    return payment_id\n',
  'app/compat.py':
    'import sys\n\nif sys.version_info >= (3, 12):\n    def batched(items, n, *, strict=False): ...\nelse:\n    def batched(items, n): ...\n',
  'app/lazy.py': 'def __getattr__(name):\n    return name\n',
  'app/star.py': 'from .billing import *\n',
  'app/types.py': 'Money = int\n',
  'app/plugins.py':
    'from .billing import charge as _charge\n\n\ndef charge(*args, **kwargs):\n    return _charge(*args, **kwargs)\n',
};

let project: TempProject;
beforeAll(async () => {
  project = await createTempProject({ files: PROJECT_FILES, name: 'kode-py-calls' });
});
afterAll(async () => {
  await project.dispose();
});

/** The calls gate's result for a new file with this text. */
async function callsFor(text: string, path = 'app/api.py'): Promise<GateResult | undefined> {
  const result = await verify({ files: { [path]: text } }, { projectRoot: project.root });
  return result.verdict.results.find((entry) => entry.check_name === 'calls' && entry.file === path);
}

async function expectFail(text: string, details: string): Promise<void> {
  const calls = await callsFor(text);
  expect(calls?.status, calls?.details).toBe('FAIL');
  expect(calls?.message).toBe('Call validation failed');
  expect(calls?.details).toBe(details);
}

async function expectPass(text: string): Promise<void> {
  const calls = await callsFor(text);
  expect(calls?.status, calls?.details).toBe('PASS');
}

describe('calls gate, Python: names imported from project modules', () => {
  it('fails a name the project module does not define, with the closest name', async () => {
    await expectFail(
      'from app.billing import chrage\n\nchrage("c1", 10)\n',
      "app/api.py:1:25 'chrage' is not defined in module app.billing (app/billing.py); did you mean 'charge'?",
    );
  });

  it('fails a missing name in a package __init__ and in a relative import', async () => {
    await expectFail(
      'from app import Receipt\n',
      "app/api.py:1:17 'Receipt' is not defined in module app (app/__init__.py)",
    );
    const calls = await callsFor('from .billing import Reciept\n', 'app/orders.py');
    expect(calls?.details).toBe(
      "app/orders.py:1:22 'Reciept' is not defined in module .billing (app/billing.py); did you mean 'Receipt'?",
    );
  });

  it('accepts definitions, imported names, submodules, __all__ names and package re-exports', async () => {
    await expectPass(
      [
        'from app.billing import charge, Invoice, DEFAULT_CURRENCY, dataclass, functools',
        'from app import billing, payments, charge as charge_again, VERSION',
        'from app.payments import stripe',
        'from . import compat',
        'from app import __name__',
      ].join('\n'),
    );
  });

  it('is silent for modules with __getattr__ or star imports, and for guarded imports', async () => {
    await expectPass(
      [
        'from app.lazy import anything',
        'from app.star import whatever',
        'try:',
        '    from app.billing import charge_v2',
        'except ImportError:',
        '    charge_v2 = None',
        'from typing import TYPE_CHECKING',
        'if TYPE_CHECKING:',
        '    from app.billing import Typed',
      ].join('\n'),
    );
  });
});

describe('calls gate, Python: what is not a certain target', () => {
  it('does not take a standard-library import for a same-named module inside the package', async () => {
    // Run as part of package `app`, `import types` is the standard library, not app/types.py.
    await expectPass('from types import SimpleNamespace\n');
  });

  it('does not judge stubs, nor files that handle the errors a check would predict', async () => {
    expect((await callsFor('from app.billing import Missing\n', 'app/api.pyi'))?.status).toBe('PASS');
    const test = [
      'import pytest',
      'from app.billing import charge',
      '',
      'with pytest.raises(TypeError):',
      '    charge()',
    ];
    expect((await callsFor(test.join('\n'), 'tests/test_billing.py'))?.status).toBe('PASS');
    const unguarded = ['from app.billing import charge', '', 'def test_charge():', '    charge()'];
    expect((await callsFor(unguarded.join('\n'), 'tests/test_billing.py'))?.status).toBe('FAIL');
    await expectPass(
      ['import app.billing as billing', '', 'if hasattr(billing, "charge_v2"):', '    billing.charge_v2(1)'].join('\n'),
    );
    await expectFail(
      'import app.billing as billing\n\nbilling.charge_v2(1)\n',
      "app/api.py:3:1 'charge_v2' is not defined in module app.billing (app/billing.py); did you mean 'charge'?",
    );
  });
});

describe('calls gate, Python: arity of calls to project functions and classes', () => {
  it('fails too many positional arguments, with the accepted range', async () => {
    await expectFail(
      'from app.billing import charge\n\ncharge("c1", 10, "EUR", True)\n',
      'app/api.py:3:1 charge() takes 2 to 3 positional arguments but 4 were given',
    );
  });

  it('fails an unexpected keyword, a missing argument, a missing keyword-only argument', async () => {
    await expectFail(
      'from app.billing import charge\n\ncharge("c1", amount2=10)\n',
      "app/api.py:3:1 charge() got an unexpected keyword argument 'amount2'; did you mean 'amount'?",
    );
    await expectFail(
      'from app.billing import charge\n\ncharge("c1")\n',
      "app/api.py:3:1 charge() missing required argument 'amount'",
    );
    await expectFail(
      'from app.billing import quote\n\nquote(10)\n',
      "app/api.py:3:1 quote() missing required argument 'currency'",
    );
  });

  it('checks classes through __init__ minus self', async () => {
    await expectFail(
      'from app.billing import Receipt\n\nReceipt("c1", 10, True)\n',
      'app/api.py:3:1 Receipt() takes 2 positional arguments but 3 were given',
    );
    await expectPass('from app.billing import Receipt\n\nReceipt("c1", amount=10, paid=True)\n');
  });

  it('checks calls through an imported module, a package re-export and a same-file definition', async () => {
    await expectFail(
      [
        'import app.billing as billing',
        'from app import charge',
        'from app.payments import stripe',
        '',
        'def total(items):',
        '    return len(items)',
        '',
        'billing.refund()',
        'charge(1, 2, 3, 4)',
        'stripe.capture("p1")',
        'total()',
        'billing.chrage(1)',
      ].join('\n'),
      [
        'app/api.py:8:1 billing.refund() takes at least 1 positional argument but 0 were given',
        'app/api.py:9:1 charge() takes 2 to 3 positional arguments but 4 were given',
        "app/api.py:10:1 stripe.capture() missing required argument 'amount'",
        "app/api.py:11:1 total() missing required argument 'items'",
        "app/api.py:12:1 'chrage' is not defined in module app.billing (app/billing.py); did you mean 'charge'?",
      ].join('; '),
    );
  });

  it('accepts calls that defaults, *args, **kwargs and keyword-only parameters allow', async () => {
    await expectPass(
      [
        'from app.billing import charge, refund, quote',
        'from app.compat import batched',
        'charge("c1", 10)',
        'charge("c1", amount=10, currency="USD")',
        'refund(object(), "late", "duplicate", notify=False, ticket=12)',
        'quote(10, currency="EUR", rounding="up")',
        'batched([1, 2], 2, strict=True)',
        'batched([1, 2], 2)',
      ].join('\n'),
    );
  });

  it('is silent where the call cannot be judged with certainty', async () => {
    await expectPass(
      [
        'from app.billing import charge, rates, Invoice, Receipt',
        'from app import plugins',
        'from app.star import charge as star_charge',
        'rates()',
        'Invoice()',
        'plugins.charge(1, 2, 3, 4, 5)',
        'star_charge(1, 2, 3, 4, 5)',
        'args = (1, 2, 3, 4)',
        'charge(*args)',
        'charge("c1", **{"amount": 1, "bogus": 2})',
        'Receipt("c1", 10).total()',
      ].join('\n'),
    );
    // A name the file binds again anywhere (here a parameter) is not judged anywhere in the file.
    await expectPass(
      [
        'from app.billing import charge',
        'charge()',
        '',
        'def handler(charge):',
        '    return charge(1, 2, 3, 4, 5)',
      ].join('\n'),
    );
  });
});

describe('calls gate, Python: only the patch is blamed', () => {
  it('does not report a problem the file already had, and reports one the patch adds', async () => {
    const before = 'from app.billing import charge\n\ncharge(1, 2, 3, 4)\nvalue = 1\n';
    await project.write('app/legacy.py', before);
    try {
      const untouched = await verify(
        {
          hunks: [
            { id: 'h1', file_path: 'app/legacy.py', action: 'MODIFY', anchor_text: 'value = 1', new_text: 'value = 2' },
          ],
        },
        { projectRoot: project.root },
      );
      const calls = untouched.verdict.results.find((entry) => entry.check_name === 'calls');
      expect(calls?.status, calls?.details).toBe('PASS');

      // Checking an existing file in full: an empty pre-image excuses nothing (SPEC §4.0).
      const audited = await verify(
        {
          hunks: [{ id: 'h1', file_path: 'app/legacy.py', action: 'INSERT', anchor_text: '', new_text: before }],
          original_files: { 'app/legacy.py': '' },
        },
        { projectRoot: project.root },
      );
      expect(audited.verdict.results.find((entry) => entry.check_name === 'calls')?.status).toBe('FAIL');

      const added = await verify(
        {
          hunks: [
            {
              id: 'h1',
              file_path: 'app/legacy.py',
              action: 'MODIFY',
              anchor_text: 'value = 1',
              new_text: 'value = charge("c1")',
            },
          ],
        },
        { projectRoot: project.root },
      );
      expect(added.verdict.results.find((entry) => entry.check_name === 'calls')?.details).toBe(
        "app/legacy.py:4:9 charge() missing required argument 'amount'",
      );
    } finally {
      await project.write('app/legacy.py', '');
    }
  });

  it('judges the project as the patch leaves it: a function the same patch renames', async () => {
    const result = await verify(
      {
        files: {
          'app/payments/stripe.py': 'def capture_payment(payment_id, amount):\n    return payment_id\n',
          'app/api.py': 'from app.payments.stripe import capture\n',
        },
      },
      { projectRoot: project.root },
    );
    const calls = result.verdict.results.find((entry) => entry.check_name === 'calls' && entry.file === 'app/api.py');
    expect(calls?.details).toBe(
      "app/api.py:1:33 'capture' is not defined in module app.payments.stripe (app/payments/stripe.py)",
    );
  });
});

import { describe, expect, it } from 'vitest';
import { changed, findingsOf } from './critique.test-helpers.js';
import { critiquePatch, critiqueReason } from './critique.js';
import type { CritiqueFinding } from './critique.js';

const source = (index: number) => `export const value${index} = ${index};\n`;
const files = (count: number) =>
  Array.from({ length: count }, (_, index) => changed(`src/m${index}.ts`, source(index), source(index + 1)));

describe('blast-radius lens', () => {
  it('warns at the patch level when more than 5 files change', async () => {
    expect(await findingsOf({ lens: 'blast-radius', files: files(6) })).toEqual([
      { lens: 'blast-radius', severity: 'warning', message: 'patch touches 6 files', hunk_ids: [] },
    ]);
  });

  it('says nothing for 5 files', async () => {
    expect(await findingsOf({ lens: 'blast-radius', files: files(5) })).toEqual([]);
  });
});

describe('out-of-context lens', () => {
  const edited = changed('src/billing/invoice.ts', 'export const tax = 0.2;\n', 'export const tax = 0.21;\n', ['h-7']);
  const created = changed('src/billing/credit.ts', null, 'export const credit = 0;\n');
  const deleted = changed('src/billing/old.ts', 'export {};\n', null);

  it('warns about existing files the model was not shown, including deletions', async () => {
    expect(
      await findingsOf({
        lens: 'out-of-context',
        files: [edited, created, deleted],
        contextFiles: new Set(['src/billing/credit.ts']),
      }),
    ).toEqual([
      {
        lens: 'out-of-context',
        severity: 'warning',
        message: 'modifies src/billing/invoice.ts, which is not in the context packet',
        file: 'src/billing/invoice.ts',
        hunk_ids: ['h-7'],
      },
      {
        lens: 'out-of-context',
        severity: 'warning',
        message: 'modifies src/billing/old.ts, which is not in the context packet',
        file: 'src/billing/old.ts',
        hunk_ids: deleted.hunk_ids,
      },
    ]);
  });

  it('accepts files in the packet (however the path is spelled) and new files; is skipped without a packet', async () => {
    const contextFiles = new Set(['./src/billing/invoice.ts', 'src\\billing\\old.ts']);
    expect(await findingsOf({ lens: 'out-of-context', files: [edited, created, deleted], contextFiles })).toEqual([]);
    expect(await findingsOf({ lens: 'out-of-context', files: [edited, deleted] })).toEqual([]);
  });
});

describe('critiquePatch', () => {
  it('finds nothing in a small documented change to files in context', async () => {
    const readme = changed('README.md', '# Shop\n', '# Shop\n\nRun `pnpm test` before pushing.\n');
    const code = changed('src/price.ts', 'export const vat = 0.2;\n', 'export const vat = 0.21;\n');
    const test = changed(
      'src/price.test.ts',
      "import { expect, it } from 'vitest';\nimport { vat } from './price.js';\n\nit('has VAT', () => {\n  expect(vat).toBe(0.2);\n});\n",
      "import { expect, it } from 'vitest';\nimport { vat } from './price.js';\n\nit('has VAT', () => {\n  expect(vat).toBe(0.21);\n});\n",
    );
    expect(
      await critiquePatch({
        projectRoot: '/nonexistent/kode-critique-project',
        files: [readme, code, test],
        contextFiles: new Set(['README.md', 'src/price.ts', 'src/price.test.ts']),
      }),
    ).toEqual([]);
  });

  it('reports several lenses at once, one finding each', async () => {
    const testFile = "it('works', () => {\n  expect(1).toBe(1);\n});\n";
    const findings = await critiquePatch({
      projectRoot: '/nonexistent/kode-critique-project',
      files: [
        ...files(5),
        changed('src/works.test.ts', testFile, testFile.replace("it('works'", `${['it', 'only'].join('.')}('works'`)),
        changed('Makefile', 'test:\n\tnpm test\n', 'test:\n\ttrue\n'),
      ],
    });
    expect(findings.map((finding) => [finding.lens, finding.severity])).toEqual([
      ['blast-radius', 'warning'],
      ['test-tampering', 'error'],
      ['test-harness', 'error'],
    ]);
  });
});

describe('critiqueReason', () => {
  const finding = (message: string): CritiqueFinding => ({
    lens: 'test-tampering',
    severity: 'error',
    message,
    hunk_ids: [],
  });

  it('formats `critique: <lens>: <message>` on one line', () => {
    expect(critiqueReason(finding('adds it.only to src/a.test.ts'))).toBe(
      'critique: test-tampering: adds it.only to src/a.test.ts',
    );
    expect(critiqueReason(finding('first line\r\n  second line\n\n'))).toBe(
      'critique: test-tampering: first line; second line',
    );
  });

  it('cuts reasons longer than 500 characters to 499 and an ellipsis', () => {
    const reason = critiqueReason(finding('x'.repeat(600)));
    expect(reason).toHaveLength(500);
    expect(reason.endsWith('x…')).toBe(true);
  });
});

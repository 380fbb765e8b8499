import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_EXPLANATIONS, CHECK_NAMES } from './check-explanations.js';
import { UnknownCheckError } from './errors.js';
import { explainCheck } from './explain.js';
import { useTemporaryDirectories } from './test-support.test-helpers.js';

const temporaryDirectory = useTemporaryDirectories();

const importsMarkdown = `# Unresolvable Imports

**An import names a package, module or file that does not exist in this project.**

## Common Causes

- hallucinated package name
- misspelled path or wrong extension
- dependency used but not declared or installed
- alias not in tsconfig \`paths\`

## How to Fix

- check the manifest and lockfile
- install and declare the dependency (\`npm i x\`, \`cargo add x\`, \`go get x\`, add to pyproject)
- reuse an existing import
- fix the path
`;

function failEntry(index: number, failures: Record<string, string>, status = 'FAIL'): string {
  return JSON.stringify({
    timestamp: `2025-07-15T10:00:${String(index).padStart(2, '0')}.000Z`,
    command: 'verify',
    status,
    failures,
  });
}

describe('explainCheck', () => {
  it('prints the five most recent import failures, last in the file first, for any case of the name', async () => {
    const root = await temporaryDirectory();
    const logFile = join(root, 'kode.log');
    const lines = [
      failEntry(1, { 'src/one.ts': 'imports: Import validation failed (one)' }),
      failEntry(2, { 'src/two.ts': 'imports: Import validation failed (two)', 'src/x.ts': 'syntax: bad' }),
      failEntry(3, { 'src/passed.ts': 'imports: not an example, the entry passed' }, 'PASS'),
      'corrupt {"imports": line',
      failEntry(4, { 'src/three.ts': 'imports: Import validation failed (three)' }),
      failEntry(5, { '<patch>': 'imports: Import validation failed (four)', 'src/four.ts': 'calls: nope' }),
      failEntry(6, { 'src/y.ts': 'syntax: imports are fine here' }),
      failEntry(7, { 'src/five.ts': 'imports: Import validation failed (five)' }, 'ERROR'),
      failEntry(8, { 'src/six.ts': 'imports: Import validation failed (six)' }),
    ];
    await writeFile(logFile, `${lines.join('\n')}\n`);

    for (const check of ['IMPORTS', 'Imports', 'imports']) {
      expect(await explainCheck({ check, logFile })).toBe(
        `${importsMarkdown}
## Recent Examples from Audit Log

- \`src/six.ts\` at 2025-07-15T10:00:08.000Z: imports: Import validation failed (six)
- \`src/five.ts\` at 2025-07-15T10:00:07.000Z: imports: Import validation failed (five)
- \`<patch>\` at 2025-07-15T10:00:05.000Z: imports: Import validation failed (four)
- \`src/three.ts\` at 2025-07-15T10:00:04.000Z: imports: Import validation failed (three)
- \`src/two.ts\` at 2025-07-15T10:00:02.000Z: imports: Import validation failed (two)
`,
      );
    }
  });

  it('omits the examples without a log, with a missing log, and when no reason has the type', async () => {
    const root = await temporaryDirectory();
    const logFile = join(root, 'kode.log');
    expect(await explainCheck({ check: 'imports' })).toBe(importsMarkdown);
    expect(await explainCheck({ check: 'imports', logFile })).toBe(importsMarkdown);
    await writeFile(logFile, `${failEntry(1, { 'a.ts': 'syntax: imports broke the parser' })}\n`);
    expect(await explainCheck({ check: 'imports', logFile })).toBe(importsMarkdown);
  });

  it('inserts extra sections before the examples', async () => {
    const root = await temporaryDirectory();
    const logFile = join(root, 'kode.log');
    await writeFile(logFile, `${failEntry(1, { 'src/k.ts': 'security: critical secret/openai at src/k.ts:4' })}\n`);
    const markdown = await explainCheck({
      check: 'security',
      logFile,
      extraSections: '## Rules\n\n| Rule id | Languages | Severity | Fix |\n|---|---|---|---|\n',
    });
    expect(markdown).toContain(
      '- suppress a reviewed false positive with `kode-ignore: <rule-id>`\n\n## Rules\n\n| Rule id | Languages | Severity | Fix |\n|---|---|---|---|\n\n## Recent Examples from Audit Log\n\n- `src/k.ts` at 2025-07-15T10:00:01.000Z: security: critical secret/openai at src/k.ts:4\n',
    );
  });

  it('rejects an unknown check with the exact message of SPEC §3.8', async () => {
    await expect(explainCheck({ check: 'x' })).rejects.toSatisfy(
      (error) =>
        UnknownCheckError.isInstance(error) &&
        error.message ===
          'unknown check: "x". Available: syntax, imports, calls, architecture, diff_applier, blast_radius, security, tdd, schema, path_safety, critique, tests',
    );
    // `permission` and `apply` are reason types but not explainable checks.
    await expect(explainCheck({ check: 'permission' })).rejects.toSatisfy((error) =>
      UnknownCheckError.isInstance(error),
    );
  });

  it('has canned content for every check, split from the spec table cells', async () => {
    expect(Object.keys(CHECK_EXPLANATIONS)).toEqual([...CHECK_NAMES]);
    expect(CHECK_EXPLANATIONS.tests).toEqual({
      title: 'Tests Failed',
      description: 'The test command failed after the patch was applied; the change was rolled back.',
      causes: ['behaviour change', 'missing test fixture', 'flaky or slow tests', 'wrong test command'],
      fixes: [
        'read the output tail in the result',
        'run the tests yourself',
        'raise `engine.test_timeout_s`',
        'fix `engine.test_command`',
      ],
    });
    for (const check of CHECK_NAMES) {
      const markdown = await explainCheck({ check });
      const explanation = CHECK_EXPLANATIONS[check];
      expect(
        markdown.startsWith(`# ${explanation?.title}\n\n**${explanation?.description}**\n\n## Common Causes\n\n- `),
      ).toBe(true);
      expect(explanation?.causes.length).toBeGreaterThanOrEqual(3);
      expect(explanation?.fixes.length).toBeGreaterThanOrEqual(3);
    }
  });
});

// The blast-radius gate (SPEC §4.5) through verify() on real temp projects: a re-signed export used by five files
// fails with max 3 and lists them; a body-only change, or a new export, counts only the touched file.
import type { KodeConfig } from '@kode/config';
import { DEFAULT_CONFIG } from '@kode/config';
import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '../verify.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

const config: KodeConfig = { ...DEFAULT_CONFIG, engine: { ...DEFAULT_CONFIG.engine, max_blast_radius: 3 } };
const FORMAT = 'export function formatUser(name: string): string {\n  return name.trim();\n}\n';
const USERS = ['api/users', 'api/admin', 'jobs/report', 'mail/welcome', 'cli/show'];

async function setup(): Promise<TempProject> {
  const files: Record<string, string> = {
    'package.json': '{"name":"demo","type":"module"}\n',
    'src/fmt/user.ts': FORMAT,
  };
  for (const user of USERS) {
    files[`src/${user}.ts`] =
      `import { formatUser } from '../fmt/user.js';\nexport const show = (name: string) => formatUser(name);\n`;
  }
  // Imports the module but not the changed name: not a dependent of formatUser.
  files['src/web/profile.ts'] = "import * as fmt from '../fmt/user.js';\nexport const keep = Object.keys(fmt);\n";
  project = await createTempProject({ git: true, files });
  return project;
}

function blastOf(result: Awaited<ReturnType<typeof verify>>) {
  return result.verdict.results.find((gate) => gate.check_name === 'blast_radius');
}

describe('blast radius', () => {
  it('a changed signature used by 5 other files fails with max 3 and lists them', async () => {
    const target = await setup();
    const result = await verify(
      {
        files: {
          'src/fmt/user.ts':
            'export function formatUser(name: string, upper: boolean): string {\n  return upper ? name.toUpperCase() : name.trim();\n}\n',
        },
      },
      { projectRoot: target.root, config },
    );
    const blast = blastOf(result);
    expect(blast?.status).toBe('FAIL');
    expect(blast?.details).toBe(
      'radius 6 > max 3: touched src/fmt/user.ts; dependents of formatUser: src/api/admin.ts, src/api/users.ts, src/cli/show.ts, src/jobs/report.ts, src/mail/welcome.ts',
    );
    expect(result.failed['<patch>']).toMatch(/^blast_radius: Blast radius check failed \(radius 6 > max 3/u);
  });

  it('changing only the body, or adding an export, counts just the touched file', async () => {
    const target = await setup();
    const body = await verify(
      { files: { 'src/fmt/user.ts': FORMAT.replace('name.trim()', 'name.trim().normalize()') } },
      { projectRoot: target.root, config },
    );
    expect(blastOf(body)).toMatchObject({ status: 'PASS', details: 'radius 1 <= max 3' });
    const added = await verify(
      {
        files: {
          'src/fmt/user.ts': `${FORMAT}export function formatAdmin(name: string): string {\n  return name;\n}\n`,
        },
      },
      { projectRoot: target.root, config },
    );
    expect(blastOf(added)).toMatchObject({ status: 'PASS', details: 'radius 1 <= max 3' });
  });

  it('re-verifying a file with its own content changes nothing', async () => {
    const target = await setup();
    const result = await verify({ files: { 'src/fmt/user.ts': FORMAT } }, { projectRoot: target.root, config });
    expect(result.verdict.overall).toBe('PASS');
  });
});

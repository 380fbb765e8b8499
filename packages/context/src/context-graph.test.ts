// kode plan's graph (SPEC §3.2) on a real temp project: entry points from paths and symbol names, neighbours ranked
// by distance, the token budget never exceeded (signatures when content does not fit), and no match → no graph.
import { createTempProject } from '@kode/test-utils';
import type { TempProject } from '@kode/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContextGraph, contextPacket, estimateTokens, taskTerms } from './context-graph.js';
import { openIndex } from './project-index.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.dispose();
  project = undefined;
});

const BIG_BODY = Array.from({ length: 200 }, (_, index) => `  const line${index} = input.length + ${index};`).join(
  '\n',
);

async function setup(): Promise<TempProject> {
  project = await createTempProject({
    git: true,
    files: {
      'package.json': '{"name":"demo","type":"module"}\n',
      'src/user/handler.ts': `import { validateUser } from './validate.js';\nexport function createUser(input: string): string {\n  return validateUser(input);\n}\n`,
      'src/user/validate.ts': `export function validateUser(input: string): string {\n${BIG_BODY}\n  return input;\n}\n`,
      'src/billing/charge.ts': 'export function charge(amount: number): number {\n  return amount;\n}\n',
    },
  });
  return project;
}

describe('buildContextGraph', () => {
  it('starts from a named symbol and ranks its neighbours by distance', async () => {
    const target = await setup();
    const index = await openIndex({ projectRoot: target.root });
    const result = buildContextGraph({ index, task: 'validate the email in createUser', maxTokens: 8000 });
    if (!result.ok) throw new Error('expected a graph');
    expect(result.entryNodes).toContain('src/user/handler.ts#createUser');
    const nodes = result.graph.nodes;
    expect(nodes['src/user/handler.ts#createUser']?.score).toBe(1);
    expect(nodes['src/user/handler.ts']?.score).toBeGreaterThan(0);
    expect(nodes['src/billing/charge.ts#charge']).toBeUndefined();
    expect(result.graph.total_tokens).toBeLessThanOrEqual(8000);
  });

  it('never exceeds the budget: content while it fits, then signatures', async () => {
    const target = await setup();
    const index = await openIndex({ projectRoot: target.root });
    const result = buildContextGraph({ index, task: 'change src/user/validate.ts', maxTokens: 500 });
    if (!result.ok) throw new Error('expected a graph');
    const nodes = Object.values(result.graph.nodes);
    const counted = nodes.reduce((sum, node) => sum + estimateTokens(node.content ?? node.signature ?? ''), 0);
    expect(result.graph.total_tokens).toBe(counted);
    expect(result.graph.total_tokens).toBeLessThanOrEqual(500);
    const validate = result.graph.nodes['src/user/validate.ts#validateUser'];
    expect(validate?.content).toBeNull();
    expect(validate?.signature).toContain('validateUser(input: string)');
    const packet = contextPacket({ graph: result.graph, task: 'change src/user/validate.ts' });
    expect(packet).toMatchObject({ version: 1, max_tokens: 500 });
    expect(packet.total_tokens).toBeLessThanOrEqual(500);
  });

  it('reports no match when nothing in the project relates to the task', async () => {
    const target = await setup();
    const index = await openIndex({ projectRoot: target.root });
    expect(buildContextGraph({ index, task: 'zzz qqq', maxTokens: 8000 })).toEqual({ ok: false, reason: 'no-match' });
    expect(taskTerms('Refactor the parseUserInput helper')).toEqual(['refactor', 'parse', 'user', 'input', 'helper']);
  });
});

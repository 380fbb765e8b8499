// `kode plan <task>` (SPEC §3.2): the context graph for a task from the repository index — a summary on stderr,
// `--graph` the graph JSON, `--packet` the context packet that generate/run/loop accept with --context-file.
import { posix } from 'node:path';
import type { ContextGraph } from '@kode/context';
import type { ParsedArgs } from '../args.js';
import { booleanArg, numberArg, stringArg } from '../args.js';
import type { KodeCommand } from '../command.js';
import { loadProjectConfig } from '../context.js';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';

export interface PlanOptions {
  readonly task: string;
  readonly graph: boolean;
  readonly packet: boolean;
  readonly maxTokens: number | undefined;
}

/** Directories in import order: a file comes after the files it imports (cycles broken by path order). */
function planSteps(graph: ContextGraph, dependencies: (path: string) => readonly string[]): [string, string[]][] {
  const files = [...new Set(Object.values(graph.nodes).map((node) => node.file_path))].sort();
  const included = new Set(files);
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (path: string) => {
    if (state.has(path)) return;
    state.set(path, 'visiting');
    for (const dependency of dependencies(path)) if (included.has(dependency)) visit(dependency);
    state.set(path, 'done');
    ordered.push(path);
  };
  for (const path of files) visit(path);
  const steps = new Map<string, string[]>();
  for (const path of ordered) {
    const directory = posix.dirname(path);
    const list = steps.get(directory) ?? [];
    list.push(path);
    steps.set(directory, list);
  }
  return [...steps.entries()];
}

function printSummary(options: {
  context: CommandContext;
  graph: ContextGraph;
  dependencies: (path: string) => readonly string[];
}): void {
  const { output } = options.context;
  const { graph } = options;
  const nodes = Object.values(graph.nodes);
  output.header('Context Graph Summary');
  output.plain(
    `Nodes: ${nodes.length} | Edges: ${graph.edges.length} | Tokens: ${graph.total_tokens} / ${graph.max_tokens}`,
  );
  output.header('Files');
  const byFile = new Map<string, string[]>();
  for (const node of nodes) {
    const lines = byFile.get(node.file_path) ?? [];
    if (node.kind !== 'file') lines.push(`  ├─ ${node.kind}: ${node.name} [certain]`);
    byFile.set(node.file_path, lines);
  }
  for (const edge of graph.edges) {
    if (edge.kind !== 'imports') continue;
    byFile.get(edge.source)?.push(`  ├─ import: ${edge.target} [${edge.confidence}]`);
  }
  for (const [path, lines] of [...byFile.entries()].sort(([left], [right]) => left.localeCompare(right))) {
    output.plain(path);
    for (const line of lines) output.plain(line);
  }
  output.header('Plan Steps');
  for (const [index, [directory, files]] of planSteps(graph, options.dependencies).entries()) {
    output.plain(`Step ${index + 1}: Process ${directory === '.' ? '(root)' : directory}`);
    for (const file of files) output.plain(`  ${file}`);
  }
}

export async function runPlan(context: CommandContext, options: PlanOptions): Promise<number> {
  if (options.graph && options.packet) {
    throw new CliError({ message: '--graph and --packet cannot be combined: pass one of them', exitCode: EXIT.usage });
  }
  const maxTokens = options.maxTokens;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 500)) {
    throw new CliError({
      message: `--max-tokens must be an integer >= 500 (got ${String(maxTokens)})`,
      exitCode: EXIT.usage,
    });
  }
  const { projectRoot, config } = await loadProjectConfig(
    context,
    maxTokens === undefined ? {} : { 'max-tokens': maxTokens },
  );
  const { buildContextGraph, contextPacket, openIndex } = await import('@kode/context');
  const index = await openIndex({ projectRoot, maxFileBytes: config.engine.max_file_bytes });
  const result = buildContextGraph({ index, task: options.task, maxTokens: config.engine.context_max_tokens });
  if (!result.ok) {
    throw new CliError({
      message:
        'no file or symbol in the project matches the task: name a file or symbol, e.g. kode plan "refactor src/middleware/auth.ts"',
      exitCode: EXIT.usage,
    });
  }
  if (options.graph) context.output.json(result.graph);
  else if (options.packet) context.output.json(contextPacket({ graph: result.graph, task: options.task }));
  else printSummary({ context, graph: result.graph, dependencies: (path) => index.dependencies(path) });
  return EXIT.ok;
}

export const planCommand: KodeCommand = {
  command: 'plan <task>',
  describe: 'Rank the files and symbols a task needs and trim them to a token budget (the context packet)',
  builder: (yargs) =>
    yargs
      .positional('task', { type: 'string', describe: 'What to change, in plain words' })
      .option('graph', { type: 'boolean', default: false, describe: 'Print the context graph JSON on stdout' })
      .option('packet', { type: 'boolean', default: false, describe: 'Print the context packet JSON (--context-file)' })
      .option('max-tokens', { type: 'number', requiresArg: true, describe: 'Token budget (>= 500, default 8000)' }),
  run: (context, args: ParsedArgs) =>
    runPlan(context, {
      task: stringArg(args, 'task') ?? '',
      graph: booleanArg(args, 'graph'),
      packet: booleanArg(args, 'packet'),
      maxTokens: args['max-tokens'] === undefined ? undefined : (numberArg(args, 'max-tokens') ?? Number.NaN),
    }),
};

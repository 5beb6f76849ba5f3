// `spinal ir FILE...`: the typed graph of every model, as text or JSON.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { compileFiles } from './load.js';
import { checkOptionsFrom, parsePasses, withCompileFlags } from './options.js';
import type { Graph, IrNode } from '../ir/graph.js';
import { optimize } from '../passes/optimize.js';

interface IrOptions {
  readonly json?: boolean;
  readonly set?: Record<string, number>;
  readonly passes: ReturnType<typeof parsePasses>;
}

export function registerIr(program: Command, io: Io): void {
  withCompileFlags(program
    .command('ir')
    .description('print the intermediate representation (typed graph) of every model')
    .argument('<files...>', '.spinal files')
    .option('--json', 'print JSON'))
    .option('--passes <list>', "'all', 'none', or a comma-separated list of passes", parsePasses, parsePasses('all'))
    .action((files: string[], options: IrOptions) => {
      const graphs = compileFiles(files, io, checkOptionsFrom(options)).flatMap((f) =>
        f.models.map((m) => optimize(m.graph, { passes: options.passes })),
      );
      io.out(options.json ? `${JSON.stringify({ models: graphs }, null, 2)}\n` : graphs.map(renderGraph).join('\n'));
    });
}

export function renderGraph(g: Graph): string {
  const lines = [`model ${g.name}: ${g.inputSize} -> ${g.outputSize}`];
  for (const n of g.nodes) lines.push(`  ${n.id} = ${n.op}(${n.inputs.join(', ')})${attributes(n)} : [${n.shape[0]}]`);
  return `${lines.join('\n')}\n`;
}

function attributes(n: IrNode): string {
  switch (n.op) {
    case 'slice': return ` start=${n.start} stride=${n.stride}`;
    case 'dense': {
      const parts = [`act=${n.activation}`, `in=${n.inFeatures}`];
      if (n.inputs.length > 1) parts.push(`columns=${n.columns.join(',')}`);
      if (n.foldOut.length) parts.push(`folded-bn-after=${n.foldOut.length}`);
      if (n.foldIn.length) parts.push(`folded-bn-before=${n.foldIn.length}`);
      if (n.place) parts.push(`into=${n.place.buffer}[${n.place.column}:${n.place.column + n.shape[0]}]`);
      return ` ${parts.join(' ')}`;
    }
    case 'dropout': return ` p=${n.p}`;
    case 'activation': return ` ${n.activation}`;
    default: return '';
  }
}

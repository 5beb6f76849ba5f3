// `spinal ir`'s work: every model's graph after the chosen passes, as text or JSON.
import type { Io } from '../io.js';
import type { IrOptions } from '../ir.js';
import { compileFiles } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import type { Graph, IrNode } from '../../ir/graph.js';
import { optimize } from '../../passes/optimize.js';

export function ir(files: readonly string[], options: IrOptions, io: Io): void {
  const graphs = compileFiles(files, io, checkOptionsFrom(options)).flatMap((f) =>
    f.models.map((m) => optimize(m.graph, { passes: options.passes })),
  );
  io.out(options.json ? `${JSON.stringify({ models: graphs }, null, 2)}\n` : graphs.map(renderGraph).join('\n'));
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

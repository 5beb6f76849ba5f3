// The IR as text, one node a line with its attributes: `spinal ir` prints it, tests keep it as
// golden files and show it for a failing random model.
import type { Graph, IrNode } from './graph.js';

export function renderGraph(g: Graph): string {
  const inputs = g.inputs.length === 1 ? `${g.inputSize}` : g.inputs.map((i) => `${i.name} ${i.size}`).join(', ');
  const lines = [`model ${g.name}: ${inputs} -> ${g.outputSize}`];
  for (const n of g.nodes) lines.push(`  ${n.id} = ${n.op}(${n.inputs.join(', ')})${attributes(n)} : [${n.shape[0]}]`);
  return `${lines.join('\n')}\n`;
}

function attributes(n: IrNode): string {
  switch (n.op) {
    case 'slice': return ` start=${n.start} stride=${n.stride}`;
    case 'dense': {
      const parts = [`act=${n.activation}`, `in=${n.inFeatures}`];
      if (n.inputs.length > 1) parts.push(`columns=${n.columns.join(',')}`);
      // a tied sub-layer computes with its owner's Linear
      if (n.weight !== `${n.layer}.weight`) parts.push(`tied=${n.weight.replace(/\.weight$/, '')}`);
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
